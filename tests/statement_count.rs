//! The SQL statements one page of needs, or of experts filtered by a skill, costs (docs/architecture.md,
//! docs/operations.md): a constant number, at most 5 for needs and 6 for experts, whatever the page size. Statements are counted from sqlx's own log: it emits one `tracing` event with the target `sqlx::query`
//! for every statement it runs, which a global subscriber layer counts here. This file is a test binary of its
//! own, and its tests take turns, so nothing else runs statements while one counts.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Backend, TestServer, codes, expert_profile, nodes};
use recovery_pool::auth::Principal;
use recovery_pool::domain::input::{LanguageInput, NeedInput, NeedRoleInput, PlanInput, RoleSkillInput};
use recovery_pool::domain::workflow::PlanAction;
use recovery_pool::domain::{Cefr, Priority, Role, WorkMode};
use serde_json::json;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use uuid::Uuid;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
/// The statements' texts, in order, to show what a page cost when it costs too much.
static TEXTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Counts sqlx's per-statement log events and keeps their SQL.
struct CountStatements;

/// Picks the statement's text out of sqlx's event (the `db.statement` field; `summary` when that is empty).
#[derive(Default)]
struct StatementText(String);

impl tracing::field::Visit for StatementText {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_empty()) {
            self.0 = value.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_empty()) {
            let text = format!("{value:?}");
            self.0 = text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
}

impl<S: Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut text = StatementText::default();
            event.record(&mut text);
            // A new SQLite connection sets itself up with PRAGMAs; that is the pool's cost, not the query's.
            if text.0.starts_with("PRAGMA ") {
                return;
            }
            TEXTS.lock().unwrap_or_else(|p| p.into_inner()).push(text.0);
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The texts of the statements counted from `from` on.
fn texts_since(from: usize) -> String {
    let texts = TEXTS.lock().unwrap_or_else(|p| p.into_inner());
    texts.iter().skip(from).map(|t| format!("  {:.160}", t)).collect::<Vec<_>>().join("\n")
}

/// Installs the counter for the whole process. sqlx logs statements at DEBUG (slow ones at WARN), so the
/// filter lets every level of that one target through, and nothing else.
fn install_counter() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let only_statements = Targets::new().with_target("sqlx::query", tracing::Level::TRACE);
        tracing_subscriber::registry()
            .with(CountStatements.with_filter(only_statements))
            .try_init()
            .expect("no other subscriber is installed in this test binary");
    });
}

/// Runs `f` and returns how many statements it cost.
async fn statements_of<T>(f: impl std::future::Future<Output = T>) -> (usize, T) {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let out = f.await;
    (STATEMENTS.load(Ordering::SeqCst) - before, out)
}

const PAGE: &str = "query($first: Int!) { needs(first: $first) { totalCount edges { node { id title \
    plan { title municipality { name } } municipality { name } \
    roles { title seats skills { minLevel essential skill { code labelEn } } } } } } }";

/// 40 needs in 8 plans of 4 hromadas, with one to three roles of one to three skills each, written through the
/// service as a needs coordinator. Half the plans are endorsed, so needs of both states are on the page.
async fn seed(s: &TestServer) {
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let p = Principal {
        user_id: Uuid::parse_str(&auc.id).expect("a user id"),
        role: Role::NeedsCoordinator,
        municipality_id: None,
        expert_id: None,
    };
    let skills = s.services.skills(Some(&p)).await.expect("the skill list");
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let mut n = 0_usize;
    for (i, code) in [codes::LVIV, codes::VINNYTSIA, codes::KYIV, codes::BEREZIVKA].into_iter().enumerate() {
        let municipality = s.municipality_id(code).await;
        for j in 0..2 {
            let plan = PlanInput {
                title: format!("Recovery plan {i}.{j}"),
                summary: "Rebuild what was destroyed.".into(),
                sectors: vec!["ENERGY".into(), "HOUSING".into()],
                period_start: date(2026, 1, 1),
                period_end: date(2028, 12, 31),
                programme: Some("SDLG".into()),
            };
            let plan = s.services.create_plan(Some(&p), municipality, plan).await.expect("a plan");
            for _ in 0..5 {
                let roles = (0..=(n % 3))
                    .map(|r| NeedRoleInput {
                        title: format!("Role {r}"),
                        seats: 1 + (r as i32),
                        hours_per_week: 8,
                        interpreter_available: r == 1,
                        skills: (0..=((n + r) % 3))
                            .map(|k| RoleSkillInput {
                                skill_id: skills[(n * 3 + r * 5 + k * 7) % skills.len()].id,
                                min_level: 1 + ((n + k) % 5) as i32,
                                essential: k == 0,
                            })
                            .collect(),
                        languages: vec![LanguageInput { language: "uk".into(), level: Cefr::B1 }],
                    })
                    .collect();
                let need = NeedInput {
                    title: format!("Need {n}"),
                    description: "Expertise wanted.".into(),
                    sector: "ENERGY".into(),
                    start_date: date(2026, 3, 1),
                    end_date: date(2026, 12, 31),
                    modes: vec![WorkMode::Remote],
                    priority: Priority::ALL[n % Priority::ALL.len()],
                    dream_project_id: None,
                    roles,
                };
                s.services.create_need(Some(&p), plan.id, need).await.expect("a need");
                n += 1;
            }
            if j == 0 {
                s.services.transition_plan(Some(&p), plan.id, PlanAction::Submit, None).await.expect("submitted");
                s.services.transition_plan(Some(&p), plan.id, PlanAction::Endorse, None).await.expect("endorsed");
            }
        }
    }
    assert_eq!(n, 40);
}

/// The statements a page of `first` needs costs, after checking the page is whole.
async fn page_cost(s: &TestServer, token: Option<&str>, first: usize) -> usize {
    let from = STATEMENTS.load(Ordering::SeqCst);
    let (count, d) = statements_of(s.ok(PAGE, json!({ "first": first }), token)).await;
    println!("{}: a page of {first}: {count} statements\n{}", s.backend, texts_since(from));
    let page = nodes(&d["needs"]);
    assert_eq!(page.len(), first);
    assert_eq!(d["needs"]["totalCount"], 40);
    for need in &page {
        assert!(need["plan"]["municipality"]["name"].is_string(), "{need}");
        assert_eq!(need["plan"]["municipality"], need["municipality"], "a need's municipality is its plan's");
        let roles = need["roles"].as_array().expect("roles");
        assert!(!roles.is_empty() && roles.iter().all(|r| r["skills"][0]["skill"]["labelEn"].is_string()), "{need}");
    }
    count
}

/// A server with 40 needs, a reader, and a counter checked to count: one statement is one event, on this
/// backend's pool and through the server.
async fn prepared(b: &Backend) -> (TestServer, common::User) {
    let s = b.start().await;
    seed(&s).await;
    let reader = s.user(Role::PoolCoordinator, None).await;
    let (one, _) = statements_of(async {
        match &s.services.db {
            recovery_pool::store::Db::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
            recovery_pool::store::Db::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
        }
    })
    .await;
    assert_eq!(one, 1, "one SELECT 1 is counted once");
    s.ok("{ skills { code } }", json!({}), reader.auth()).await;
    let (skills, _) = statements_of(s.ok("{ skills { code } }", json!({}), reader.auth())).await;
    assert_eq!(skills, 1, "the skill list is one statement");
    // Warm up: connections opened, statements prepared.
    page_cost(&s, reader.auth(), 20).await;
    page_cost(&s, reader.auth(), 5).await;
    (s, reader)
}

/// The tests of this binary share the counter, so they take turns.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The budget of docs/architecture.md and §12: at most 5 statements for a page of 20, the same for a page of 5, on a
/// multi-threaded runtime like the server's own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_needs_costs_at_most_5_statements_whatever_its_size() {
    install_counter();
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut over = Vec::new();
    for b in Backend::all() {
        let (s, reader) = prepared(&b).await;
        let small = page_cost(&s, reader.auth(), 5).await;
        let large = page_cost(&s, reader.auth(), 20).await;
        let larger = page_cost(&s, reader.auth(), 35).await;
        println!(
            "{}: a page of needs with totalCount costs {small} statements for 5 needs, {large} for 20, {larger} for 35",
            b.name()
        );
        if large > 5 || small != large || larger != large {
            over.push(format!("{}: {small} for 5 needs, {large} for 20, {larger} for 35", b.name()));
        }
    }
    assert!(over.is_empty(), "a page of needs costs more than 5 statements, or more for more needs: {over:?}");
}

/// The loaders are wired: on a single-threaded runtime, where a batch can only start once every resolver of
/// the page has asked for its keys, a page costs a few statements, never one per need.
#[tokio::test]
async fn a_page_of_needs_never_costs_a_statement_per_need() {
    install_counter();
    let _turn = ONE_AT_A_TIME.lock().await;
    for b in Backend::all() {
        let (s, reader) = prepared(&b).await;
        let small = page_cost(&s, reader.auth(), 5).await;
        let large = page_cost(&s, reader.auth(), 20).await;
        let larger = page_cost(&s, reader.auth(), 35).await;
        println!("{}: a page of needs costs {small} statements for 5 needs, {large} for 20, {larger} for 35", b.name());
        for (size, cost) in [(20, large), (35, larger)] {
            assert!(cost <= 12, "{}: a page of {size} needs costs {cost} statements", b.name());
        }
    }
    if Backend::postgres().is_none() {
        eprintln!("TEST_DATABASE_URL is not set: statements counted on SQLite only");
    }
}

const EXPERTS_PAGE: &str = "query($first: Int!, $skill: ID!) { experts(first: $first, filter: { skillId: $skill }) { \
    totalCount edges { node { id name jobTitle municipality { name } skills { level skill { code labelEn } } \
    languages { language level } } } } }";

/// 40 experts of four Dutch municipalities, each with district heating and one other skill, created through the
/// API by their municipality's officer. Returns the id of district heating.
async fn seed_experts(s: &TestServer) -> String {
    let admin = s.admin().await;
    let skills = s.skill_ids(admin.auth()).await;
    let mut others: Vec<&String> = skills.keys().filter(|c| c.as_str() != "DISTRICT_HEATING").collect();
    others.sort();
    let heating = skills["DISTRICT_HEATING"].clone();
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let mut n = 0_usize;
    for code in [codes::AMSTERDAM, codes::UTRECHT, codes::ROTTERDAM, codes::EINDHOVEN] {
        let officer = s.user(Role::MunicipalityOfficer, Some(code)).await;
        let m = s.mid(code).await;
        for _ in 0..10 {
            let other = &skills[others[(n * 7) % others.len()]];
            let skills = [(heating.as_str(), 3), (other.as_str(), 2)];
            let p = expert_profile(&format!("Expert {n}"), "Heat engineer", &skills, &[("en", "B2"), ("uk", "A2")]);
            s.ok(q, json!({ "m": m, "p": p }), officer.auth()).await;
            n += 1;
        }
    }
    heating
}

/// The statements a page of `first` experts with the skill costs, after checking the page is whole.
async fn experts_page_cost(s: &TestServer, token: Option<&str>, skill: &str, first: usize) -> usize {
    let from = STATEMENTS.load(Ordering::SeqCst);
    let (count, d) = statements_of(s.ok(EXPERTS_PAGE, json!({ "first": first, "skill": skill }), token)).await;
    println!("{}: a page of {first} experts: {count} statements\n{}", s.backend, texts_since(from));
    let page = nodes(&d["experts"]);
    assert_eq!(page.len(), first);
    assert_eq!(d["experts"]["totalCount"], 40);
    for expert in &page {
        assert!(expert["municipality"]["name"].is_string(), "{expert}");
        let skills = expert["skills"].as_array().expect("skills");
        assert_eq!(skills.len(), 2, "{expert}");
        assert!(skills.iter().any(|k| k["skill"]["code"] == "DISTRICT_HEATING"), "{expert}");
        assert!(skills.iter().all(|k| k["skill"]["labelEn"].is_string()), "{expert}");
        assert_eq!(expert["languages"].as_array().map(Vec::len), Some(2), "{expert}");
    }
    count
}

/// The experts page of §12's budget: a page of experts filtered by a skill, with municipality, skills and
/// languages, costs at most 6 statements (list, count, municipalities, skills, the skill list's entries,
/// languages), the same for 5, 20 or 35 experts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_experts_with_a_skill_costs_at_most_6_statements_whatever_its_size() {
    install_counter();
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut over = Vec::new();
    for b in Backend::all() {
        let s = b.start().await;
        let skill = seed_experts(&s).await;
        let reader = s.user(Role::PoolCoordinator, None).await;
        // Warm up: connections opened, statements prepared.
        experts_page_cost(&s, reader.auth(), &skill, 20).await;
        let small = experts_page_cost(&s, reader.auth(), &skill, 5).await;
        let large = experts_page_cost(&s, reader.auth(), &skill, 20).await;
        let larger = experts_page_cost(&s, reader.auth(), &skill, 35).await;
        println!("{}: a page of experts costs {small} statements for 5, {large} for 20, {larger} for 35", b.name());
        if large > 6 || small != large || larger != large {
            over.push(format!("{}: {small} for 5 experts, {large} for 20, {larger} for 35", b.name()));
        }
    }
    assert!(over.is_empty(), "a page of experts costs more than 6 statements, or more for more experts: {over:?}");
}
