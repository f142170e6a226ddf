//! The large pool's query plans on PostgreSQL (docs/operations.md): the experts page filtered by a skill
//! and the needs page read the big tables through the indexes they rely on, never by scanning them whole, and in
//! the order of a key, so a page stops after its rows. The plans are PostgreSQL's own for the very statements the
//! store runs (`store::expert::list_sql`, `count_sql`, and the same for needs), with the values a page binds.
//!
//! The planner scans small tables whole, so the statements are planned on a pool of the large benchmark's size
//! (benches/api/compare.sh large: 20,000 experts, 2,000 open needs), loaded in SQL in a second or two, with the
//! generator's shape (server/matching/generate.rs: skills and municipalities Zipf-like, 2 to 5 skills an expert,
//! mostly one role a need), then vacuumed and analysed as autovacuum leaves a loaded table. A statement's plan
//! depends only on the tables it reads, so each test loads the half of the pool its statements read.
//!
//! PostgreSQL only (SQLite's planner is another matter): without `TEST_DATABASE_URL` each test says it was skipped.

mod common;

use std::collections::BTreeSet;

use common::{Backend, Scratch, store_settings};
use recovery_pool::app::open;
use recovery_pool::auth::Principal;
use recovery_pool::auth::policy::need_visibility;
use recovery_pool::domain::Role;
use recovery_pool::service::Services;
use recovery_pool::store::Db;
use recovery_pool::store::expert::{self, ExpertFilter};
use recovery_pool::store::need::{self, NeedFilter};
use serde_json::Value;
use uuid::Uuid;

/// The experts' half of the large pool: 20,000 experts of the contributing municipalities (Zipf-like: large cities
/// give more) with 2 to 5 skills drawn each, Zipf-like over the skill list, levels peaked at 3 and 4. Ids are
/// time-ordered like the service's UUIDv7 and rows are written in id order, as a pool built over time lies on disk.
/// The most common skill is held by over 40% of the experts.
const EXPERTS: &str = r#"
SELECT setseed(0.25);

WITH dutch AS (
    SELECT id, row_number() OVER (ORDER BY code) AS rank FROM municipalities WHERE side = 'CONTRIBUTING'
), drawn AS MATERIALIZED (
    SELECT i, floor(power((SELECT count(*) FROM dutch) + 1, random()))::int AS rank, random() AS u
    FROM generate_series(1, 20000) AS i
)
INSERT INTO experts (id, municipality_id, name, email, job_title, hours_per_week, available_from, available_until,
                     remote, on_site, hosting, status, consent_date, created_at, updated_at)
SELECT (lpad(to_hex(1767600000000 + i), 12, '0') || '7' || substr(md5('e' || i), 1, 3) || '8'
        || substr(md5('e' || i), 4, 15))::uuid,
       dutch.id, 'Expert ' || i, 'expert-' || i || '@pool.invalid', 'Municipal specialist', 8 + 4 * (i % 9),
       date '2026-01-05' + i % 180, CASE WHEN i % 4 = 0 THEN NULL ELSE date '2026-07-01' + i % 365 END,
       i % 7 <> 0, i % 5 < 2, i % 10 < 3,
       CASE WHEN u < 0.92 THEN 'ACTIVE' WHEN u < 0.98 THEN 'PAUSED' ELSE 'WITHDRAWN' END,
       date '2025-11-01', now(), now()
FROM drawn JOIN dutch USING (rank)
ORDER BY i;

WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY code) AS rank FROM skills
), sized AS MATERIALIZED (
    SELECT id, random() AS u FROM experts
), drawn AS MATERIALIZED (
    SELECT sized.id AS expert_id, floor(power((SELECT count(*) FROM ranked) + 1, random()))::int AS rank,
           random() AS u
    FROM sized JOIN generate_series(1, 5) AS k
        ON k <= CASE WHEN sized.u < 0.25 THEN 2 WHEN sized.u < 0.6 THEN 3 WHEN sized.u < 0.85 THEN 4 ELSE 5 END
)
INSERT INTO expert_skills (expert_id, skill_id, level, years)
SELECT expert_id, ranked.id,
       CASE WHEN u < 0.05 THEN 1 WHEN u < 0.2 THEN 2 WHEN u < 0.55 THEN 3 WHEN u < 0.85 THEN 4 ELSE 5 END, 5
FROM drawn JOIN ranked USING (rank)
ORDER BY expert_id
ON CONFLICT DO NOTHING;
"#;

/// The needs' half, as `load-instance` writes the large pool: 2,000 open needs over the hromadas (Zipf-like), each
/// hromada with one endorsed plan holding its needs; one role for most needs, two or three for some, with one to
/// four skills each (Zipf-like, flatter than the experts'). Need ids are time-ordered like the experts'.
const NEEDS: &str = r#"
SELECT setseed(0.5);

WITH hromadas AS (
    SELECT id, row_number() OVER (ORDER BY code) AS rank FROM municipalities WHERE side = 'RECOVERING'
), drawn AS MATERIALIZED (
    SELECT i, floor(power((SELECT count(*) FROM hromadas) + 1, random()))::int AS rank, random() AS u
    FROM generate_series(1, 2000) AS i
), plans AS (
    INSERT INTO recovery_plans (id, municipality_id, title, summary, sectors, period_start, period_end, status,
                                created_at, updated_at)
    SELECT md5('p' || id)::uuid, id, 'Local recovery plan', 'Rebuild what was destroyed.', 'GOVERNANCE',
           date '2026-01-01', date '2028-12-31', 'ENDORSED', now(), now()
    FROM hromadas WHERE rank IN (SELECT rank FROM drawn)
    RETURNING id, municipality_id
)
INSERT INTO needs (id, plan_id, title, description, sector, start_date, end_date, remote, on_site, hosting, priority,
                   status, created_at, updated_at)
SELECT (lpad(to_hex(1767500000000 + i), 12, '0') || '7' || substr(md5('n' || i), 1, 3) || '8'
        || substr(md5('n' || i), 4, 15))::uuid,
       plans.id, 'Need ' || i, 'Expertise wanted.', 'GOVERNANCE', date '2026-01-05' + i % 150,
       date '2026-01-19' + i % 150 + i % 166, i % 5 <> 0, i % 3 = 0, i % 5 = 0,
       CASE WHEN u < 0.1 THEN 'CRITICAL' WHEN u < 0.4 THEN 'HIGH' WHEN u < 0.8 THEN 'MEDIUM' ELSE 'LOW' END,
       'OPEN', now(), now()
FROM drawn JOIN hromadas USING (rank) JOIN plans ON plans.municipality_id = hromadas.id
ORDER BY i;

WITH sized AS MATERIALIZED (
    SELECT id, random() AS u FROM needs
), drawn AS MATERIALIZED (
    SELECT sized.id AS need_id, k, random() AS u
    FROM sized JOIN generate_series(1, 3) AS k ON k <= CASE WHEN u < 0.85 THEN 1 WHEN u < 0.95 THEN 2 ELSE 3 END
)
INSERT INTO need_roles (id, need_id, position, title, seats, hours_per_week, interpreter_available)
SELECT md5('r' || need_id || k)::uuid, need_id, k - 1, 'Specialist ' || k,
       CASE WHEN u < 0.7 THEN 1 WHEN u < 0.9 THEN 2 ELSE 3 END, 4 + 4 * (k % 3), u < 0.4
FROM drawn
ORDER BY need_id, k;

WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY code) AS rank FROM skills
), sized AS MATERIALIZED (
    SELECT id, random() AS u FROM need_roles
), drawn AS MATERIALIZED (
    SELECT sized.id AS role_id, k,
           floor(power(1 + random() * (power((SELECT count(*) FROM ranked) + 1, 0.4) - 1), 2.5))::int AS rank,
           random() AS u
    FROM sized JOIN generate_series(1, 4) AS k
        ON k <= CASE WHEN u < 0.2 THEN 1 WHEN u < 0.6 THEN 2 WHEN u < 0.9 THEN 3 ELSE 4 END
)
INSERT INTO role_skills (role_id, skill_id, min_level, essential)
SELECT role_id, ranked.id, CASE WHEN u < 0.3 THEN 2 WHEN u < 0.8 THEN 3 ELSE 4 END, k = 1
FROM drawn JOIN ranked USING (rank)
ORDER BY role_id
ON CONFLICT DO NOTHING;
"#;

/// What autovacuum does to a freshly loaded table: statistics for the planner, and the visibility map that lets
/// an index-only scan skip the table's rows. VACUUM cannot run inside the load's transaction, hence a statement
/// of its own.
const VACUUM: &str = "VACUUM (ANALYZE) experts, expert_skills, recovery_plans, needs, need_roles, role_skills";

/// The page size of the benchmark's pages (and the API's default).
const PAGE: usize = 20;

/// A fresh database holding part of the large pool. Fields drop in order: the pool's connections, then the
/// database.
struct LargePool {
    services: Services,
    _scratch: Scratch,
}

impl LargePool {
    /// `load` (EXPERTS or NEEDS) in a fresh, migrated database with the reference data; `None`, after saying so,
    /// without PostgreSQL.
    async fn load(test: &str, load: &str) -> Option<LargePool> {
        let Some(b) = Backend::postgres() else {
            eprintln!("TEST_DATABASE_URL is not set: {test} skipped (query plans are PostgreSQL's)");
            return None;
        };
        let (url, scratch) = b.scratch_database().await;
        let services = open(&store_settings(&url, &scratch.dir))
            .await
            .expect("the test database opens, migrates and loads the reference data");
        let Db::Postgres(pg) = &services.db else { panic!("TEST_DATABASE_URL names a PostgreSQL server") };
        // One connection: setseed() holds for the session, so every run draws the same pool.
        let mut conn = pg.acquire().await.expect("a connection");
        sqlx::raw_sql(load).execute(&mut *conn).await.expect("the large pool loads");
        sqlx::raw_sql(VACUUM).execute(&mut *conn).await.expect("the loaded tables are vacuumed and analysed");
        drop(conn);
        Some(LargePool { services, _scratch: scratch })
    }

    /// The skill most experts have, as the benchmark's experts page asks for it (benches/api/compare.sh).
    async fn most_common_skill(&self) -> Uuid {
        let Db::Postgres(pg) = &self.services.db else { panic!("a PostgreSQL database") };
        let (skill,): (Uuid,) = sqlx::query_as(
            "SELECT skill_id FROM expert_skills GROUP BY skill_id ORDER BY count(*) DESC, skill_id LIMIT 1",
        )
        .fetch_one(pg)
        .await
        .expect("the pool's experts have skills");
        skill
    }
}

/// A reader of the given role, as a page's token names them (the needs a role sees do not depend on the rest).
fn reader(role: Role) -> Principal {
    Principal { user_id: Uuid::new_v4(), role, municipality_id: None, expert_id: None }
}

/// A string field of a plan node; empty when the node has none.
fn field<'a>(node: &'a Value, name: &str) -> &'a str {
    node[name].as_str().unwrap_or_default()
}

/// Every node of a plan: the top one and everything under it, subplans included (EXPLAIN puts them all in
/// "Plans").
fn nodes(plan: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = plan.as_array().into_iter().flatten().map(|p| &p["Plan"]).collect();
    while let Some(node) = stack.pop() {
        out.push(node);
        stack.extend(node["Plans"].as_array().into_iter().flatten());
    }
    out
}

/// The plan in the shape of EXPLAIN's text form, one node a line, to show in a failed check's message.
fn outline(plan: &Value) -> String {
    fn walk(node: &Value, depth: usize, out: &mut String) {
        out.push_str(&"  ".repeat(depth));
        out.push_str(field(node, "Node Type"));
        for (key, word) in [("Index Name", "using"), ("Relation Name", "on")] {
            if !field(node, key).is_empty() {
                out.push_str(&format!(" {word} {}", field(node, key)));
            }
        }
        for key in ["Index Cond", "Merge Cond", "Hash Cond", "Join Filter", "Filter"] {
            if !field(node, key).is_empty() {
                out.push_str(&format!(" [{key}: {}]", field(node, key)));
            }
        }
        out.push('\n');
        for child in node["Plans"].as_array().into_iter().flatten() {
            walk(child, depth + 1, out);
        }
    }
    let mut out = String::new();
    for top in plan.as_array().into_iter().flatten() {
        walk(&top["Plan"], 0, &mut out);
    }
    out
}

/// The tables the plan reads: every node that names one (scans of any kind, bitmap heap scans).
fn tables(plan: &Value) -> BTreeSet<&str> {
    nodes(plan).into_iter().map(|n| field(n, "Relation Name")).filter(|t| !t.is_empty()).collect()
}

/// How the plan reads `table`, one entry a node that reads it: the index it goes through (a bitmap heap scan's
/// are in its bitmap index scans), or the node's type when it goes through none ("Seq Scan").
fn reads_of(plan: &Value, table: &str) -> Vec<String> {
    let mut reads = Vec::new();
    for node in nodes(plan).into_iter().filter(|n| field(n, "Relation Name") == table) {
        let indexes: BTreeSet<&str> =
            nodes_under(node).into_iter().map(|n| field(n, "Index Name")).filter(|i| !i.is_empty()).collect();
        if indexes.is_empty() {
            reads.push(field(node, "Node Type").to_string());
        } else {
            reads.extend(indexes.into_iter().map(str::to_string));
        }
    }
    reads
}

/// A node and everything under it.
fn nodes_under(node: &Value) -> Vec<&Value> {
    let mut out = vec![node];
    let mut stack: Vec<&Value> = node["Plans"].as_array().into_iter().flatten().collect();
    while let Some(n) = stack.pop() {
        out.push(n);
        stack.extend(n["Plans"].as_array().into_iter().flatten());
    }
    out
}

/// The plan reads `table`, and only through `index`: never a Seq Scan, never another index.
fn assert_reads_only_through(plan: &Value, table: &str, index: &str, what: &str) {
    let reads = reads_of(plan, table);
    assert!(
        !reads.is_empty() && reads.iter().all(|r| r == index),
        "{what} reads {table} by {reads:?}, not only through {index}:\n{}",
        outline(plan)
    );
}

/// No node sorts: the rows come in the order of the key the plan walks, so a page stops after its rows.
fn assert_no_sort(plan: &Value, what: &str) {
    let sorts: Vec<&str> =
        nodes(plan).into_iter().map(|n| field(n, "Node Type")).filter(|t| t.contains("Sort")).collect();
    assert!(sorts.is_empty(), "{what} sorts ({sorts:?}) instead of walking a key in order:\n{}", outline(plan));
}

/// The count of experts with a skill (and no other filter) reads that skill's entries of `expert_skills_skill`
/// and nothing else: no expert row, no table row (the visibility map answers for them), no other skill's entry.
#[tokio::test]
async fn the_experts_count_by_skill_reads_only_that_skills_index_entries() {
    let test = "the_experts_count_by_skill_reads_only_that_skills_index_entries";
    let Some(pool) = LargePool::load(test, EXPERTS).await else { return };
    let skill = pool.most_common_skill().await;
    let f = ExpertFilter { skill_id: Some(skill), ..Default::default() };
    let mut c = pool.services.db.acquire().await.expect("a connection");
    let plan = expert::count_sql(&f).explain(&mut c.conn()).await.expect("PostgreSQL explains the count");
    println!("experts count with the most common skill:\n{}", outline(&plan));

    let what = "the experts count by skill";
    assert_eq!(tables(&plan), BTreeSet::from(["expert_skills"]), "{what} reads other tables:\n{}", outline(&plan));
    assert_reads_only_through(&plan, "expert_skills", "expert_skills_skill", what);
    let scan = nodes(&plan).into_iter().find(|n| field(n, "Relation Name") == "expert_skills").expect("a scan");
    assert_eq!(field(scan, "Node Type"), "Index Only Scan", "{what} reads table rows:\n{}", outline(&plan));
    assert!(
        field(scan, "Index Cond").contains("skill_id ="),
        "{what} does not bound the index to the skill's entries:\n{}",
        outline(&plan)
    );
}

/// A page of experts with a skill walks the experts' key and the skill entries' key (`expert_id` first) side by
/// side in id order, so it stops after the page's rows: no Seq Scan of either table, no sort of all the experts
/// with the skill. Today PostgreSQL merge-joins the two keys; a nested loop over them would do as well.
#[tokio::test]
async fn the_experts_list_by_skill_walks_both_primary_keys_in_id_order() {
    let test = "the_experts_list_by_skill_walks_both_primary_keys_in_id_order";
    let Some(pool) = LargePool::load(test, EXPERTS).await else { return };
    let skill = pool.most_common_skill().await;
    let f = ExpertFilter { skill_id: Some(skill), ..Default::default() };
    let mut c = pool.services.db.acquire().await.expect("a connection");
    let plan = expert::list_sql(&f, None, PAGE).explain(&mut c.conn()).await.expect("PostgreSQL explains the list");
    println!("a page of experts with the most common skill:\n{}", outline(&plan));

    let what = "a page of experts with a skill";
    assert_eq!(
        tables(&plan),
        BTreeSet::from(["experts", "expert_skills"]),
        "{what} reads other tables:\n{}",
        outline(&plan)
    );
    assert_reads_only_through(&plan, "experts", "experts_pkey", what);
    assert_reads_only_through(&plan, "expert_skills", "expert_skills_pkey", what);
    assert_no_sort(&plan, what);
}

/// A page of needs walks the needs' key in id order and stops after the page's rows, whoever reads it (a
/// coordinator sees every need, an officer only those of endorsed plans); each need's seats come from its roles
/// through `need_roles_need`, never from a scan of all the roles.
#[tokio::test]
async fn the_needs_list_walks_the_needs_key_in_id_order_and_finds_roles_by_need() {
    let test = "the_needs_list_walks_the_needs_key_in_id_order_and_finds_roles_by_need";
    let Some(pool) = LargePool::load(test, NEEDS).await else { return };
    for role in [Role::PoolCoordinator, Role::MunicipalityOfficer] {
        let v = need_visibility(&reader(role));
        let mut c = pool.services.db.acquire().await.expect("a connection");
        let plan = need::list_sql(&NeedFilter::default(), &v, None, PAGE)
            .explain(&mut c.conn())
            .await
            .expect("PostgreSQL explains the list");
        println!("a page of needs as a {}:\n{}", role.as_str(), outline(&plan));

        let what = format!("a page of needs as a {}", role.as_str());
        assert_reads_only_through(&plan, "needs", "needs_pkey", &what);
        assert_reads_only_through(&plan, "need_roles", "need_roles_need", &what);
        assert_no_sort(&plan, &what);
    }
}

/// The needs count of a reader who sees every need reads the needs alone: the plans are joined only when the
/// filter or the reader's visibility asks about them. Counting every need reads every need, so a Seq Scan of
/// `needs` is the right plan here and is not ruled out.
#[tokio::test]
async fn the_needs_count_of_a_reader_who_sees_every_need_reads_no_other_table() {
    let test = "the_needs_count_of_a_reader_who_sees_every_need_reads_no_other_table";
    let Some(pool) = LargePool::load(test, NEEDS).await else { return };
    let v = need_visibility(&reader(Role::PoolCoordinator));
    let mut c = pool.services.db.acquire().await.expect("a connection");
    let plan = need::count_sql(&NeedFilter::default(), &v)
        .explain(&mut c.conn())
        .await
        .expect("PostgreSQL explains the count");
    println!("the needs count as a pool coordinator:\n{}", outline(&plan));

    assert_eq!(tables(&plan), BTreeSet::from(["needs"]), "the needs count reads other tables:\n{}", outline(&plan));
}
