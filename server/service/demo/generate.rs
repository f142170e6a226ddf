//! The demo pool, generated without I/O from the reference data, the demo's data files (compiled in, see `data`)
//! and a seeded random generator: the same reference data and day give the same pool. Every expert, plan, need and
//! account passes the same input validation as one made through the API.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::data::{self, NeedSpec, PlanSpec};
use crate::domain::input::{
    ExpertProfileInput, ExpertSkillInput, LanguageInput, NeedInput, NeedRoleInput, PlanInput, RoleSkillInput, UserInput,
};
use crate::domain::{
    AppError, AppResult, Cefr, ExpertStatus, NeedStatus, PlanStatus, Priority, Role, SecurityStatus, WorkMode, new_id,
};
use crate::store::expert::{ExpertRow, ExpertSkillRow, LanguageRow};
use crate::store::municipality::MunicipalityRow;
use crate::store::need::{NeedRow, RoleRow, RoleWrite};
use crate::store::plan::PlanRow;
use crate::store::skill::SkillRow;

/// How many experts the demo volunteers.
pub const EXPERTS: usize = 400;
/// The domain of the demo accounts' e-mail addresses.
pub const ACCOUNT_DOMAIN: &str = "demo.recovery-pool.example";

/// The seed of everything random in the demo. Each part draws from its own stream, so changing the plans does not
/// change the experts.
const SEED: u64 = 1_469;

/// An expert's profile as written.
#[derive(Debug, Clone)]
pub struct ExpertDraft {
    pub row: ExpertRow,
    pub skills: Vec<ExpertSkillRow>,
    pub languages: Vec<LanguageRow>,
}

/// A need with its team as written.
#[derive(Debug, Clone)]
pub struct NeedDraft {
    pub row: NeedRow,
    pub roles: Vec<RoleWrite>,
}

/// A demo account (its password is the demo password).
#[derive(Debug, Clone)]
pub struct Account {
    pub role: Role,
    pub email: String,
    pub display_name: String,
    pub municipality_id: Option<Uuid>,
    pub expert_id: Option<Uuid>,
}

/// Everything the demo writes.
#[derive(Debug, Clone)]
pub struct DemoPool {
    /// Every Ukrainian municipality as it was, with the security status it gets.
    pub security: Vec<(MunicipalityRow, SecurityStatus)>,
    pub experts: Vec<ExpertDraft>,
    pub plans: Vec<PlanRow>,
    pub needs: Vec<NeedDraft>,
    pub accounts: Vec<Account>,
}

/// Generates the demo pool over the reference data (`skills` and `municipalities` as the store lists them),
/// with availability relative to `now`.
pub fn generate(skills: &[SkillRow], municipalities: &[MunicipalityRow], now: DateTime<Utc>) -> AppResult<DemoPool> {
    let reference = Reference::new(skills, municipalities);
    let today = now.date_naive();
    let security = security_statuses(municipalities)?;
    let status_of: BTreeMap<Uuid, SecurityStatus> = security.iter().map(|(m, s)| (m.id, *s)).collect();
    let experts = experts(&mut stream(1), &reference, today, now)?;
    let plans = plans(&reference, now)?;
    let needs = needs(&mut stream(2), &reference, &plans, &status_of, now)?;
    let accounts = accounts(&reference, &experts)?;
    Ok(DemoPool { security, experts, plans, needs, accounts })
}

fn stream(part: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    rng.set_stream(part);
    rng
}

/// The reference data by code.
struct Reference<'a> {
    skills: &'a [SkillRow],
    skill_by_code: BTreeMap<&'a str, &'a SkillRow>,
    municipality_by_code: BTreeMap<&'a str, &'a MunicipalityRow>,
}

impl<'a> Reference<'a> {
    fn new(skills: &'a [SkillRow], municipalities: &'a [MunicipalityRow]) -> Reference<'a> {
        Reference {
            skills,
            skill_by_code: skills.iter().map(|s| (s.code.as_str(), s)).collect(),
            municipality_by_code: municipalities.iter().map(|m| (m.code.as_str(), m)).collect(),
        }
    }

    fn skill(&self, code: &str) -> AppResult<&'a SkillRow> {
        self.skill_by_code.get(code).copied().ok_or_else(|| missing("skill", code))
    }

    fn municipality(&self, code: &str) -> AppResult<&'a MunicipalityRow> {
        self.municipality_by_code.get(code).copied().ok_or_else(|| missing("municipality", code))
    }
}

fn missing(what: &str, code: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("the demo names the {what} {code}, which the reference data lacks"))
}

/// Demo data that fails the API's validation is a bug in the demo.
fn invalid(what: &str, e: AppError) -> AppError {
    AppError::internal(anyhow::anyhow!("the demo's {what} is invalid: {e}"))
}

/// One of `items`, each as likely as its weight.
fn weighted<'t, T>(rng: &mut impl Rng, items: &'t [(T, u32)]) -> &'t T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1].0
}

fn pick<'t, T>(rng: &mut impl Rng, items: &'t [T]) -> &'t T {
    items.choose(rng).expect("the demo's tables are not empty")
}

fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("months of the demo are 1–12")
}

fn months_later(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).expect("the demo's dates are close to today")
}

/// The last day of the month `months` after the one `d` starts.
fn month_end(d: NaiveDate, months: u32) -> NaiveDate {
    months_later(d, months + 1).pred_opt().expect("the demo's dates are close to today")
}

// ---------------------------------------------------------------------------------------------------------------
// Security

/// A security status for every Ukrainian municipality: by how close it lies to the front in its oblast
/// (the fronts of `data/demo/security.json`), a few well-known places set by hand, NORMAL elsewhere. Ordered by code.
pub fn security_statuses(municipalities: &[MunicipalityRow]) -> AppResult<Vec<(MunicipalityRow, SecurityStatus)>> {
    let security = data::security()?;
    let mut ua: Vec<&MunicipalityRow> = municipalities.iter().filter(|m| m.country == "UA").collect();
    ua.sort_by(|a, b| a.code.cmp(&b.code));
    let mut status: BTreeMap<&str, SecurityStatus> =
        ua.iter().map(|m| (m.code.as_str(), SecurityStatus::Normal)).collect();
    for front in &security.fronts {
        let mut in_oblast: Vec<(f64, &str)> = ua
            .iter()
            .filter(|m| m.region == front.region)
            .map(|m| {
                let toward_front = front.east * m.longitude.unwrap_or(0.0) + front.north * m.latitude.unwrap_or(0.0);
                (toward_front, m.code.as_str())
            })
            .collect();
        in_oblast.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let n = in_oblast.len() as f64;
        let mut share = 0.0;
        let mut from = 0;
        for (s, part) in &front.shares {
            share += part;
            let to = ((share * n).round() as usize).min(in_oblast.len());
            for (_, code) in &in_oblast[from..to] {
                status.insert(code, *s);
            }
            from = to;
        }
    }
    for o in &security.overrides {
        if let Some(v) = status.get_mut(o.code.as_str()) {
            *v = o.status;
        }
    }
    Ok(ua.into_iter().map(|m| (m.clone(), status[m.code.as_str()])).collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Experts

/// `total` split over `weights` in proportion, remainders to the largest fractions (ties to the first).
fn apportion(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum::<u64>().max(1);
    let exact: Vec<u64> = weights.iter().map(|&w| total as u64 * u64::from(w)).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| (e / sum) as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i] % sum));
    let short = total - counts.iter().sum::<usize>();
    for &i in order.iter().take(short) {
        counts[i] += 1;
    }
    counts
}

fn experts(
    rng: &mut ChaCha8Rng,
    r: &Reference<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<ExpertDraft>> {
    let contributors = data::contributors()?;
    let weights: Vec<u32> = contributors.iter().map(|c| c.weight).collect();
    let fields = data::main_skills()?;
    let main_skills: Vec<(&SkillRow, u32)> = r
        .skills
        .iter()
        .map(|s| {
            let w = fields.iter().find(|f| f.skill == s.code).map_or(10, |f| f.weight);
            (s, w)
        })
        .collect();
    let mut out = Vec::with_capacity(EXPERTS);
    for (contributor, count) in contributors.iter().zip(apportion(EXPERTS, &weights)) {
        let m = r.municipality(contributor.code)?;
        let mut emails = BTreeSet::new();
        for _ in 0..count {
            out.push(expert(rng, r, &main_skills, m, contributor.slug, &mut emails, today, now)?);
        }
    }
    Ok(out)
}

/// An e-mail address's local part: letters and digits only, accents dropped, lower case.
fn mail_name(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => Some('i'),
            'ò' | 'ó' | 'ô' | 'ö' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// `text` with its first letter in lower case, unless it starts an abbreviation ("EU funds", "GIS").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if b.is_lowercase() => a.to_lowercase().chain(text.chars().skip(1)).collect(),
        _ => text.to_string(),
    }
}

const LEVELS_MAIN: &[(i32, u32)] = &[(1, 2), (2, 15), (3, 38), (4, 35), (5, 10)];
const LEVELS_OTHER: &[(i32, u32)] = &[(1, 8), (2, 32), (3, 35), (4, 20), (5, 5)];
const HOURS: &[i32] = &[4, 4, 6, 8, 8, 8, 10, 12, 12, 16];

#[allow(clippy::too_many_arguments)]
fn expert(
    rng: &mut ChaCha8Rng,
    r: &Reference<'_>,
    main_skills: &[(&SkillRow, u32)],
    m: &MunicipalityRow,
    slug: &str,
    emails: &mut BTreeSet<String>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<ExpertDraft> {
    // Who: mostly Dutch names, a few colleagues who came from Ukraine.
    let people = data::people()?;
    let from_ukraine = rng.random_bool(0.025);
    let (name, local) = if from_ukraine {
        let (first, last) = pick(rng, &people.ukrainian_names);
        (format!("{first} {last}"), format!("{}.{}", mail_name(first), mail_name(last)))
    } else {
        let first = pick(rng, &people.first_names);
        let (particle, surname) = pick(rng, &people.surnames);
        let name =
            if particle.is_empty() { format!("{first} {surname}") } else { format!("{first} {particle} {surname}") };
        (name, format!("{}.{}{}", mail_name(first), mail_name(particle), mail_name(surname)))
    };
    let mut email = format!("{local}@{slug}.example.nl");
    let mut n = 2;
    while !emails.insert(email.clone()) {
        email = format!("{local}{n}@{slug}.example.nl");
        n += 1;
    }

    // What: a main skill, and up to three more, mostly of the same field.
    let main = *weighted(rng, main_skills);
    let mut skills = vec![(main, *weighted(rng, LEVELS_MAIN))];
    let extra = *weighted(rng, &[(0usize, 20), (1, 40), (2, 30), (3, 10)]);
    let same_field: Vec<&SkillRow> = r.skills.iter().filter(|s| s.category == main.category).collect();
    let mut attempts = 0;
    while skills.len() < 1 + extra && attempts < 20 {
        attempts += 1;
        let s = if rng.random_bool(0.6) { *pick(rng, &same_field) } else { pick(rng, r.skills) };
        if skills.iter().all(|(k, _)| k.id != s.id) {
            skills.push((s, *weighted(rng, LEVELS_OTHER)));
        }
    }
    let career: i32 = rng.random_range(3..=30);
    let skill_inputs: Vec<ExpertSkillInput> = skills
        .iter()
        .enumerate()
        .map(|(i, (s, level))| {
            let years = (i == 0 || rng.random_bool(0.8)).then(|| (level * 2 + rng.random_range(0..=6)).min(career));
            ExpertSkillInput { skill_id: s.id, level: *level, years }
        })
        .collect();

    let titles =
        data::main_skills()?.iter().find(|f| f.skill == main.code).map_or(&[][..], |f| f.job_titles.as_slice());
    let mut job_title =
        titles.choose(rng).map_or_else(|| format!("Adviseur {}", lower_first(&main.label_nl)), |t| t.to_string());
    let (_, main_level) = skills[0];
    if main_level >= 4 && !job_title.starts_with("Senior") && rng.random_bool(0.5) {
        let lowered = lower_first(&job_title);
        if lowered != job_title {
            job_title = format!("Senior {lowered}");
        }
    }
    let since = today.year() - rng.random_range(1..=career.min(25));
    let mut bio = format!(
        "{job_title} at the municipality of {} since {since}. {career} years of experience, mostly in {}",
        m.name,
        lower_first(&main.label_en)
    );
    if let Some((other, _)) = skills.get(1) {
        bio.push_str(&format!(", and also in {}", lower_first(&other.label_en)));
    }
    bio.push('.');
    if rng.random_bool(0.45) {
        let extra = *pick(rng, &people.bio_extras);
        bio.push(' ');
        bio.push_str(extra);
    }

    let languages = languages(rng, from_ukraine);
    let available_from = months_later(month_start(today.year(), today.month()), rng.random_range(1..=6));
    let available_until = rng.random_bool(0.75).then(|| month_end(available_from, rng.random_range(11..=29)));
    let mut modes = Vec::new();
    if rng.random_bool(0.92) {
        modes.push(WorkMode::Remote);
    }
    if rng.random_bool(0.3) {
        modes.push(WorkMode::Hosting);
    }
    if rng.random_bool(0.15) {
        modes.push(WorkMode::OnSite);
    }
    if modes.is_empty() {
        modes.push(WorkMode::Remote);
    }
    let status = *weighted(rng, &[(ExpertStatus::Active, 90), (ExpertStatus::Paused, 7), (ExpertStatus::Withdrawn, 3)]);
    let consent_date = today - chrono::Days::new(rng.random_range(14..=540));

    let profile = ExpertProfileInput {
        name,
        email,
        phone: None,
        job_title,
        bio: Some(bio),
        hours_per_week: *pick(rng, HOURS),
        available_from,
        available_until,
        modes,
        skills: skill_inputs,
        languages,
        consent_date,
        kind: None,
    }
    .validate()
    .map_err(|e| invalid("expert", e))?;

    let id = new_id();
    let row = ExpertRow {
        id,
        municipality_id: m.id,
        name: profile.name,
        email: profile.email,
        phone: profile.phone,
        job_title: profile.job_title,
        bio: profile.bio,
        hours_per_week: profile.hours_per_week,
        available_from: profile.available_from,
        available_until: profile.available_until,
        remote: profile.modes.contains(&WorkMode::Remote),
        on_site: profile.modes.contains(&WorkMode::OnSite),
        hosting: profile.modes.contains(&WorkMode::Hosting),
        status,
        consent_date: profile.consent_date,
        created_at: now,
        updated_at: now,
        kind: crate::domain::ExpertKind::MunicipalStaff,
    };
    let skills = profile
        .skills
        .iter()
        .map(|s| ExpertSkillRow { expert_id: id, skill_id: s.skill_id, level: s.level, years: s.years })
        .collect();
    let languages = profile
        .languages
        .iter()
        .map(|l| LanguageRow { owner_id: id, language: l.language.clone(), level: l.level })
        .collect();
    Ok(ExpertDraft { row, skills, languages })
}

/// CEFR levels, each as likely as its weight.
type Levels = &'static [(Cefr, u32)];

/// Dutch as mother tongue and English at work for most; German and French often, Polish, Ukrainian, Russian and
/// Spanish now and then. Colleagues from Ukraine speak Ukrainian natively and learned Dutch.
fn languages(rng: &mut ChaCha8Rng, from_ukraine: bool) -> Vec<LanguageInput> {
    use Cefr::*;
    let mut out: Vec<(&str, Cefr)> = Vec::new();
    if from_ukraine {
        out.push(("uk", Native));
        out.push(("nl", *weighted(rng, &[(B1, 40), (B2, 45), (C1, 15)])));
        out.push(("en", *weighted(rng, &[(B2, 50), (C1, 50)])));
        if rng.random_bool(0.7) {
            out.push(("ru", *weighted(rng, &[(C1, 50), (C2, 50)])));
        }
    } else {
        out.push(("nl", *weighted(rng, &[(Native, 95), (C2, 3), (C1, 2)])));
        out.push(("en", *weighted(rng, &[(B1, 5), (B2, 35), (C1, 45), (C2, 15)])));
        let others: [(&str, f64, Levels); 6] = [
            ("de", 0.25, &[(A2, 20), (B1, 40), (B2, 30), (C1, 10)]),
            ("fr", 0.12, &[(A2, 40), (B1, 40), (B2, 20)]),
            ("pl", 0.02, &[(B1, 30), (B2, 30), (C1, 20), (Native, 20)]),
            ("uk", 0.04, &[(A1, 30), (A2, 35), (B1, 25), (B2, 10)]),
            ("ru", 0.04, &[(A2, 30), (B1, 30), (B2, 25), (C1, 15)]),
            ("es", 0.03, &[(A2, 30), (B1, 40), (B2, 30)]),
        ];
        for (code, p, levels) in others {
            if rng.random_bool(p) {
                out.push((code, *weighted(rng, levels)));
            }
        }
    }
    out.into_iter().map(|(language, level)| LanguageInput { language: language.to_string(), level }).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Plans and needs

fn plans(r: &Reference<'_>, now: DateTime<Utc>) -> AppResult<Vec<PlanRow>> {
    data::plans()?.iter().map(|spec| plan(r, spec, now)).collect()
}

fn plan(r: &Reference<'_>, spec: &PlanSpec, now: DateTime<Utc>) -> AppResult<PlanRow> {
    let m = r.municipality(&spec.code)?;
    let input = PlanInput {
        title: spec.title.to_string(),
        summary: spec.summary.to_string(),
        sectors: spec.sectors.iter().map(|s| s.to_string()).collect(),
        period_start: month_start(spec.from, 1),
        period_end: month_end(month_start(spec.until, 12), 0),
        programme: spec.programme.clone(),
    }
    .validate()
    .map_err(|e| invalid("plan", e))?;
    Ok(PlanRow {
        id: new_id(),
        municipality_id: m.id,
        title: input.title,
        summary: input.summary,
        sectors: input.sectors.join(","),
        period_start: input.period_start,
        period_end: input.period_end,
        programme: input.programme,
        status: spec.status,
        return_reason: None,
        created_by: None,
        created_at: now,
        updated_at: now,
    })
}

fn needs(
    rng: &mut ChaCha8Rng,
    r: &Reference<'_>,
    plans: &[PlanRow],
    security: &BTreeMap<Uuid, SecurityStatus>,
    now: DateTime<Utc>,
) -> AppResult<Vec<NeedDraft>> {
    let mut out = Vec::new();
    let templates_all = data::needs()?;
    for (spec, plan) in data::plans()?.iter().zip(plans) {
        let count = match spec.status {
            PlanStatus::Endorsed => rng.random_range(3..=5),
            PlanStatus::Submitted => rng.random_range(2..=4),
            PlanStatus::Draft | PlanStatus::Closed => rng.random_range(2..=3),
        };
        // Round-robin over the plan's sectors, each sector's templates in a shuffled order.
        let mut by_sector: Vec<Vec<&NeedSpec>> = spec
            .sectors
            .iter()
            .map(|sector| {
                let mut templates: Vec<&NeedSpec> = templates_all.iter().filter(|n| n.sector == *sector).collect();
                templates.shuffle(rng);
                templates
            })
            .collect();
        let mut chosen = Vec::new();
        let sectors = by_sector.len();
        let mut i = 0;
        while chosen.len() < count && by_sector.iter().any(|t| !t.is_empty()) {
            if let Some(t) = by_sector[i % sectors].pop() {
                chosen.push(t);
            }
            i += 1;
        }
        let on_site_safe = security.get(&plan.municipality_id).is_some_and(|s| s.allows_on_site());
        for template in chosen {
            out.push(need(rng, r, spec, plan, template, on_site_safe, now)?);
        }
    }
    Ok(out)
}

fn need(
    rng: &mut ChaCha8Rng,
    r: &Reference<'_>,
    spec: &PlanSpec,
    plan: &PlanRow,
    template: &NeedSpec,
    on_site_safe: bool,
    now: DateTime<Utc>,
) -> AppResult<NeedDraft> {
    use Cefr::*;
    let status = match spec.status {
        PlanStatus::Endorsed => {
            *weighted(rng, &[(NeedStatus::Open, 85), (NeedStatus::Draft, 10), (NeedStatus::Cancelled, 5)])
        }
        PlanStatus::Submitted | PlanStatus::Draft => NeedStatus::Draft,
        // A closed plan's work is done: its needs were closed with it, in the plan's last year.
        PlanStatus::Closed => NeedStatus::Closed,
    };
    let year = if spec.status == PlanStatus::Closed { spec.until } else { 2027 };
    let start_month = rng.random_range(1..=9);
    let start_date = month_start(year, start_month);
    let end_date = month_end(start_date, rng.random_range(1..=7).min(12 - start_month));
    let mut modes = vec![WorkMode::Remote];
    if rng.random_bool(0.3) {
        modes.push(WorkMode::Hosting);
    }
    if on_site_safe && rng.random_bool(0.25) {
        modes.push(WorkMode::OnSite);
    }
    let priority =
        *weighted(rng, &[(Priority::Critical, 15), (Priority::High, 35), (Priority::Medium, 35), (Priority::Low, 15)]);
    let dream_project_id = (status != NeedStatus::Draft && rng.random_bool(0.4))
        .then(|| format!("DREAM-{}", rng.random_range(100_000..1_000_000)));

    let mut roles = Vec::new();
    for role in &template.roles {
        let mut skills = Vec::new();
        for s in &role.essential {
            skills.push(RoleSkillInput { skill_id: r.skill(&s.skill)?.id, min_level: s.min_level, essential: true });
        }
        for s in &role.desired {
            skills.push(RoleSkillInput { skill_id: r.skill(&s.skill)?.id, min_level: s.min_level, essential: false });
        }
        let language = |code: &str, level| LanguageInput { language: code.to_string(), level };
        let choice = rng.random_range(0..100);
        let languages = match choice {
            0..60 => vec![language("en", B2)],
            60..72 => vec![language("uk", B1)],
            72..88 => vec![language("en", B2), language("uk", B1)],
            _ => Vec::new(),
        };
        roles.push(NeedRoleInput {
            title: role.title.to_string(),
            seats: *weighted(rng, &[(1, 60), (2, 30), (3, 10)]),
            hours_per_week: *pick(rng, &[4, 6, 8, 8, 10, 12, 16]),
            interpreter_available: languages.is_empty() || rng.random_bool(0.2),
            skills,
            languages,
        });
    }
    let input = NeedInput {
        title: template.title.to_string(),
        description: template.description.replace("{place}", &spec.place),
        sector: template.sector.to_string(),
        start_date,
        end_date,
        modes,
        priority,
        dream_project_id,
        roles,
    }
    .validate()
    .map_err(|e| invalid("need", e))?;

    let id = new_id();
    let row = NeedRow {
        id,
        plan_id: plan.id,
        municipality_id: plan.municipality_id,
        plan_status: plan.status,
        title: input.title,
        description: input.description,
        sector: input.sector,
        start_date: input.start_date,
        end_date: input.end_date,
        remote: input.modes.contains(&WorkMode::Remote),
        on_site: input.modes.contains(&WorkMode::OnSite),
        hosting: input.modes.contains(&WorkMode::Hosting),
        priority: input.priority,
        status,
        dream_project_id: input.dream_project_id,
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    let roles = input
        .roles
        .iter()
        .enumerate()
        .map(|(i, role)| RoleWrite {
            role: RoleRow {
                id: new_id(),
                need_id: id,
                position: i as i32,
                title: role.title.clone(),
                seats: role.seats,
                hours_per_week: role.hours_per_week,
                interpreter_available: role.interpreter_available,
            },
            skills: role.skills.iter().map(|s| (s.skill_id, s.min_level, s.essential)).collect(),
            languages: role.languages.iter().map(|l| (l.language.clone(), l.level)).collect(),
        })
        .collect();
    Ok(NeedDraft { row, roles })
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts

fn accounts(r: &Reference<'_>, experts: &[ExpertDraft]) -> AppResult<Vec<Account>> {
    let hromada = r.municipality(data::DEMO_HROMADA)?;
    let hromada_place = data::plans()?
        .iter()
        .find(|p| p.code == data::DEMO_HROMADA)
        .map_or(hromada.name.as_str(), |p| p.place.as_str());
    let municipality = r.municipality(data::DEMO_MUNICIPALITY)?;
    let expert = experts
        .iter()
        .find(|e| e.row.municipality_id == municipality.id && e.row.status == ExpertStatus::Active)
        .ok_or_else(|| missing("active expert of", data::DEMO_MUNICIPALITY))?;
    let account = |role, local: &str, display_name: String| Account {
        role,
        email: format!("{local}@{ACCOUNT_DOMAIN}"),
        display_name,
        municipality_id: None,
        expert_id: None,
    };
    let officer = |role, local: &str, title: &str, m: &MunicipalityRow, place: &str| Account {
        municipality_id: Some(m.id),
        ..account(role, local, format!("{title} ({place})"))
    };
    [
        account(Role::Admin, "admin", "Demo Administrator".into()),
        account(Role::PoolCoordinator, "coordinator", "Pool Coordinator (VNG International)".into()),
        account(Role::NeedsCoordinator, "auc", "Needs Coordinator (AUC)".into()),
        officer(Role::HromadaOfficer, "hromada", "Hromada Officer", hromada, hromada_place),
        officer(Role::MunicipalityOfficer, "municipality", "Municipality Officer", municipality, &municipality.name),
        Account { expert_id: Some(expert.row.id), ..account(Role::Expert, "expert", expert.row.name.clone()) },
        account(Role::FundOfficer, "fund", "Fund Officer (VNG Fund)".into()),
        // A grant is approved by a second person: the demo has two fund officers.
        account(Role::FundOfficer, "fund2", "Second Fund Officer (VNG Fund)".into()),
    ]
    .into_iter()
    .map(checked)
    .collect()
}

/// The account as the API would accept it (`UserInput` validation with the demo password).
fn checked(a: Account) -> AppResult<Account> {
    let input = UserInput {
        email: a.email,
        display_name: a.display_name,
        password: super::DEMO_PASSWORD.to_string(),
        role: a.role,
        municipality_id: a.municipality_id,
        expert_id: a.expert_id,
    }
    .validate()
    .map_err(|e| invalid("account", e))?;
    Ok(Account {
        role: input.role,
        email: input.email,
        display_name: input.display_name,
        municipality_id: input.municipality_id,
        expert_id: input.expert_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::reference;

    /// The shipped reference data as the store would list it, without a database.
    fn reference_rows() -> (Vec<SkillRow>, Vec<MunicipalityRow>) {
        let skills = reference::skills().expect("the skill list parses");
        let municipalities = reference::municipalities()
            .expect("the municipalities parse")
            .into_iter()
            .map(|m| MunicipalityRow {
                id: m.id,
                country: m.country,
                code: m.code,
                name: m.name,
                name_local: m.name_local,
                name_latin: m.name_latin,
                region: m.region,
                side: m.side,
                security_status: m.security_status,
                population: m.population,
                latitude: m.latitude,
                longitude: m.longitude,
            })
            .collect();
        (skills, municipalities)
    }

    fn demo() -> DemoPool {
        let (skills, municipalities) = reference_rows();
        let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").expect("a time").with_timezone(&Utc);
        generate(&skills, &municipalities, now).expect("the demo generates")
    }

    /// What makes the demo the demo, without the generated ids.
    fn fingerprint(p: &DemoPool) -> Vec<String> {
        let mut out: Vec<String> = p.security.iter().map(|(m, s)| format!("{} {s}", m.code)).collect();
        out.extend(p.experts.iter().map(|e| {
            let levels: Vec<i32> = e.skills.iter().map(|s| s.level).collect();
            let languages: Vec<String> = e.languages.iter().map(|l| format!("{} {}", l.language, l.level)).collect();
            format!(
                "{} {} {} {} {levels:?} {languages:?} {:?}",
                e.row.name, e.row.email, e.row.job_title, e.row.status, e.row.available_from
            )
        }));
        out.extend(p.needs.iter().map(|n| {
            format!("{} {} {} {} {}", n.row.title, n.row.status, n.row.priority, n.row.start_date, n.roles.len())
        }));
        out.extend(p.accounts.iter().map(|a| a.email.clone()));
        out
    }

    #[test]
    fn the_same_reference_data_and_day_give_the_same_demo() {
        assert_eq!(fingerprint(&demo()), fingerprint(&demo()));
    }

    #[test]
    fn the_demo_holds_hundreds_of_experts_from_dozens_of_municipalities_weighted_to_the_large_ones() {
        let p = demo();
        assert_eq!(p.experts.len(), EXPERTS);
        let mut per_municipality: BTreeMap<Uuid, usize> = BTreeMap::new();
        for e in &p.experts {
            *per_municipality.entry(e.row.municipality_id).or_default() += 1;
        }
        assert_eq!(per_municipality.len(), data::contributors().expect("the contributors read").len());
        let largest = per_municipality.values().max().copied().unwrap_or(0);
        let smallest = per_municipality.values().min().copied().unwrap_or(0);
        assert!(largest >= 30 && smallest >= 3, "from {smallest} to {largest} experts per municipality");
        let active = p.experts.iter().filter(|e| e.row.status == ExpertStatus::Active).count();
        assert!((320..=385).contains(&active), "{active} active experts");
        let emails: BTreeSet<&str> = p.experts.iter().map(|e| e.row.email.as_str()).collect();
        assert_eq!(emails.len(), EXPERTS, "e-mail addresses are unique");
        assert!(p.experts.iter().all(|e| e.row.email.ends_with(".example.nl") && e.row.email.is_ascii()));
        assert!(
            p.experts.iter().all(|e| (1..=4).contains(&e.skills.len()) && (4..=16).contains(&e.row.hours_per_week))
        );
        assert!(p.experts.iter().all(|e| e.languages.iter().any(|l| l.language == "en")));
        assert!(p.experts.iter().any(|e| e.row.name.contains(" van der ")), "Dutch names with tussenvoegsels");
    }

    #[test]
    fn needs_follow_their_plans_and_on_site_work_is_asked_only_where_it_is_safe() {
        let p = demo();
        assert!((25..=35).contains(&p.plans.len()), "{} plans", p.plans.len());
        assert!((80..=130).contains(&p.needs.len()), "{} needs", p.needs.len());
        for status in PlanStatus::ALL {
            assert!(p.plans.iter().any(|plan| plan.status == *status), "a {status} plan");
        }
        let security: BTreeMap<Uuid, SecurityStatus> = p.security.iter().map(|(m, s)| (m.id, *s)).collect();
        for n in &p.needs {
            let plan = p.plans.iter().find(|plan| plan.id == n.row.plan_id).expect("the need's plan");
            match plan.status {
                PlanStatus::Endorsed => {
                    assert!([NeedStatus::Open, NeedStatus::Draft, NeedStatus::Cancelled].contains(&n.row.status))
                }
                PlanStatus::Closed => assert_eq!(n.row.status, NeedStatus::Closed),
                _ => assert_eq!(n.row.status, NeedStatus::Draft, "needs of a plan not yet endorsed are drafts"),
            }
            assert!((1..=3).contains(&n.roles.len()));
            if n.row.on_site {
                assert_eq!(security.get(&n.row.municipality_id), Some(&SecurityStatus::Normal), "{}", n.row.title);
            }
        }
        let open = p.needs.iter().filter(|n| n.row.status == NeedStatus::Open).count();
        assert!(open * 2 > p.needs.len(), "most needs are open: {open} of {}", p.needs.len());
    }

    #[test]
    fn security_follows_the_front() {
        let p = demo();
        let of = |code: &str| p.security.iter().find(|(m, _)| m.code == code).map(|(_, s)| *s);
        assert_eq!(p.security.len(), 1_470);
        assert_eq!(of("UA46060250000025047"), Some(SecurityStatus::Normal), "Lviv");
        assert_eq!(of("UA80000000000093317"), Some(SecurityStatus::Normal), "Kyiv");
        assert_eq!(of("UA65100150000057191"), Some(SecurityStatus::ActiveHostilities), "Kherson");
        assert!(p.security.iter().filter(|(m, _)| m.region.is_empty()).all(|(_, s)| *s == SecurityStatus::Occupied));
        let in_region = |region: &str, s: SecurityStatus| {
            p.security.iter().filter(|(m, status)| m.region == region && *status == s).count()
        };
        assert!(in_region("Luhansk", SecurityStatus::Occupied) > 20);
        assert!(in_region("Kharkiv", SecurityStatus::NearFrontline) > 20);
        assert_eq!(in_region("Zakarpatska", SecurityStatus::Normal), 64);
    }

    #[test]
    fn there_is_an_account_per_role_two_fund_officers_and_the_expert_account_is_one_of_its_municipalitys_experts() {
        let p = demo();
        let mut roles: Vec<Role> = p.accounts.iter().map(|a| a.role).collect();
        roles.dedup();
        assert_eq!(roles, Role::ALL);
        assert_eq!(p.accounts.iter().filter(|a| a.role == Role::FundOfficer).count(), 2, "four eyes on grants");
        let officer = p.accounts.iter().find(|a| a.role == Role::MunicipalityOfficer).expect("an officer");
        let expert = p.accounts.iter().find(|a| a.role == Role::Expert).expect("an expert");
        let profile = p.experts.iter().find(|e| Some(e.row.id) == expert.expert_id).expect("the expert's profile");
        assert_eq!(Some(profile.row.municipality_id), officer.municipality_id);
        let hromada = p.accounts.iter().find(|a| a.role == Role::HromadaOfficer).expect("a hromada officer");
        let statuses: BTreeSet<&str> = p
            .plans
            .iter()
            .filter(|plan| Some(plan.municipality_id) == hromada.municipality_id)
            .map(|plan| plan.status.as_str())
            .collect();
        assert!(statuses.contains("ENDORSED") && statuses.contains("DRAFT"), "{statuses:?}");
    }

    #[test]
    fn apportioning_keeps_the_total_and_the_proportions() {
        assert_eq!(apportion(10, &[1, 1, 1]), [4, 3, 3]);
        assert_eq!(apportion(400, &[3, 1]), [300, 100]);
        assert_eq!(apportion(5, &[0, 2]), [0, 5]);
    }

    #[test]
    fn mail_names_are_plain_ascii() {
        assert_eq!(mail_name("Chloë"), "chloe");
        assert_eq!(mail_name("van der"), "vander");
        assert_eq!(mail_name("El Amrani"), "elamrani");
        assert_eq!(mail_name("Öztürk"), "ozturk");
    }
}
