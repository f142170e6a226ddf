//! Needs and their team roles (skills and languages per role).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::expert::LanguageRow;
use super::plan::Visibility;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::{Cefr, NeedStatus, PlanStatus, Priority};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct NeedRow {
    pub id: Uuid,
    pub plan_id: Uuid,
    /// The plan's municipality (joined, not stored twice).
    pub municipality_id: Uuid,
    /// The plan's status (joined; who sees a need depends on it). Not part of the need's audit record.
    #[serde(skip)]
    pub plan_status: PlanStatus,
    pub title: String,
    pub description: String,
    pub sector: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub remote: bool,
    pub on_site: bool,
    pub hosting: bool,
    pub priority: Priority,
    pub status: NeedStatus,
    pub dream_project_id: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Needs with their plan's municipality and the status users see (FILLED derived from the assignments).
fn select() -> String {
    format!(
        "SELECT n.id, n.plan_id, p.municipality_id, p.status AS plan_status, n.title, n.description, n.sector, n.start_date, n.end_date, \
         n.remote, n.on_site, n.hosting, n.priority, {} AS status, n.dream_project_id, n.created_by, n.created_at, \
         n.updated_at FROM needs n JOIN recovery_plans p ON p.id = n.plan_id",
        derived_status_sql()
    )
}

/// Seats of all roles of need `n`.
pub const SEATS_SQL: &str = "(SELECT COALESCE(SUM(r.seats), 0) FROM need_roles r WHERE r.need_id = n.id)";
/// Seats of need `n` filled by assignments accepted or further (the domain's `fills_seat`).
pub fn filled_sql() -> &'static str {
    static FILLED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "(SELECT COUNT(*) FROM assignments a WHERE a.need_id = n.id AND a.status IN {})",
            super::assignment::sql_list(&super::assignment::filling())
        )
    });
    &FILLED
}

/// A need's status as users see it: FILLED is derived from the assignments, never stored, so it cannot drift.
pub fn derived_status_sql() -> String {
    format!(
        "CASE WHEN n.status = 'OPEN' AND {SEATS_SQL} > 0 AND {filled} >= {SEATS_SQL} THEN 'FILLED' ELSE n.status END",
        filled = filled_sql()
    )
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RoleRow {
    pub id: Uuid,
    pub need_id: Uuid,
    pub position: i32,
    pub title: String,
    pub seats: i32,
    pub hours_per_week: i32,
    pub interpreter_available: bool,
}

/// A skill a role asks for, with the skill's own columns joined so one statement serves both.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RoleSkillRow {
    pub role_id: Uuid,
    pub skill_id: Uuid,
    pub min_level: i32,
    pub essential: bool,
    pub code: String,
    pub category: String,
    pub label_en: String,
    pub label_nl: String,
    pub label_uk: String,
    pub esco_group: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub plan_id: Option<Uuid>,
    pub municipality_id: Option<Uuid>,
    pub status: Option<NeedStatus>,
    pub sector: Option<String>,
    pub priority: Option<Priority>,
    /// Needs with a role that asks for this skill.
    pub skill_id: Option<Uuid>,
}

/// Who may see a need: its plan's municipality decides "own"; outsiders see needs past DRAFT.
fn filtered(select: &str, f: &NeedFilter, v: &Visibility) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(p) = f.plan_id {
        q.push(" AND n.plan_id = ").bind(p);
    }
    if let Some(m) = f.municipality_id {
        q.push(" AND p.municipality_id = ").bind(m);
    }
    if let Some(s) = &f.status {
        q.push(" AND ").push(&derived_status_sql()).push(" = ").bind(s.as_str());
    }
    if let Some(s) = &f.sector {
        q.push(" AND n.sector = ").bind(s.as_str());
    }
    if let Some(p) = &f.priority {
        q.push(" AND n.priority = ").bind(p.as_str());
    }
    if let Some(skill) = f.skill_id {
        q.push(" AND EXISTS (SELECT 1 FROM need_roles r JOIN role_skills rs ON rs.role_id = r.id ");
        q.push("WHERE r.need_id = n.id AND rs.skill_id = ").bind(skill).push(")");
    }
    v.push_condition(&mut q, "p.municipality_id", "n.status");
    q
}

pub async fn list(
    conn: &mut Conn<'_>,
    f: &NeedFilter,
    v: &Visibility,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<NeedRow>> {
    Ok(Page::from_rows(list_sql(f, v, after, first).fetch_all(conn).await?, first))
}

/// The statement [`list`] runs, public so that tests/query_plans.rs explains the very text a page runs.
pub fn list_sql(f: &NeedFilter, v: &Visibility, after: Option<Uuid>, first: usize) -> Sql {
    let mut q = filtered(&select(), f, v);
    if let Some(a) = after {
        q.push(" AND n.id > ").bind(a);
    }
    q.push(" ORDER BY n.id LIMIT ").bind(first as i64 + 1);
    q
}

pub async fn count(conn: &mut Conn<'_>, f: &NeedFilter, v: &Visibility) -> AppResult<i64> {
    count_sql(f, v).fetch_count(conn).await
}

/// The statement [`count`] runs (public for tests/query_plans.rs).
pub fn count_sql(f: &NeedFilter, v: &Visibility) -> Sql {
    // The plan is joined only when the filter or the caller's visibility asks about it.
    let from = if v.all && f.municipality_id.is_none() {
        "SELECT COUNT(*) FROM needs n"
    } else {
        "SELECT COUNT(*) FROM needs n JOIN recovery_plans p ON p.id = n.plan_id"
    };
    filtered(from, f, v)
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<NeedRow>> {
    Sql::new(&format!("{} WHERE n.id = $1", select())).arg(id).fetch_optional(conn).await
}

/// The need row, locked for the rest of the transaction on PostgreSQL.
pub async fn get_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<NeedRow>> {
    let lock = match conn {
        Conn::Sqlite(_) => "",
        Conn::Postgres(_) => " FOR UPDATE OF n",
    };
    Sql::new(&format!("{} WHERE n.id = $1{lock}", select())).arg(id).fetch_optional(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<NeedRow>> {
    let mut q = Sql::new(&format!("{} WHERE n.id IN ", select()));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

/// Needs of one plan in a given status (to open them when the plan is endorsed).
/// Every need of a plan, whatever its status.
pub async fn of_plan(conn: &mut Conn<'_>, plan_id: Uuid) -> AppResult<Vec<NeedRow>> {
    Sql::new(&format!("{} WHERE n.plan_id = $1 ORDER BY n.id", select())).arg(plan_id).fetch_all(conn).await
}

pub async fn of_plan_in_status(conn: &mut Conn<'_>, plan_id: Uuid, status: NeedStatus) -> AppResult<Vec<NeedRow>> {
    Sql::new(&format!("{} WHERE n.plan_id = $1 AND n.status = $2 ORDER BY n.id", select()))
        .arg(plan_id)
        .arg(status)
        .fetch_all(conn)
        .await
}

/// A role joined with one of its skills (or none): one statement loads a page's teams with their skills.
#[derive(Debug, Clone, sqlx::FromRow)]
struct RoleSkillJoinRow {
    id: Uuid,
    need_id: Uuid,
    position: i32,
    title: String,
    seats: i32,
    hours_per_week: i32,
    interpreter_available: bool,
    skill_id: Option<Uuid>,
    min_level: Option<i32>,
    essential: Option<bool>,
    code: Option<String>,
    category: Option<String>,
    label_en: Option<String>,
    label_nl: Option<String>,
    label_uk: Option<String>,
    esco_group: Option<String>,
}

/// The roles of the given needs, each with its skills (essential first), in one statement.
pub async fn roles_with_skills(conn: &mut Conn<'_>, need_ids: &[Uuid]) -> AppResult<Vec<(RoleRow, Vec<RoleSkillRow>)>> {
    let mut q = Sql::new(
        "SELECT r.id, r.need_id, r.position, r.title, r.seats, r.hours_per_week, r.interpreter_available, \
         rs.skill_id, rs.min_level, rs.essential, s.code, s.category, s.label_en, s.label_nl, s.label_uk, s.esco_group \
         FROM need_roles r LEFT JOIN role_skills rs ON rs.role_id = r.id LEFT JOIN skills s ON s.id = rs.skill_id \
         WHERE r.need_id IN ",
    );
    q.bind_list(need_ids).push(" ORDER BY r.need_id, r.position, rs.essential DESC, s.code");
    let rows: Vec<RoleSkillJoinRow> = q.fetch_all(conn).await?;
    let mut out: Vec<(RoleRow, Vec<RoleSkillRow>)> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|(role, _)| role.id != r.id) {
            let role = RoleRow {
                id: r.id,
                need_id: r.need_id,
                position: r.position,
                title: r.title.clone(),
                seats: r.seats,
                hours_per_week: r.hours_per_week,
                interpreter_available: r.interpreter_available,
            };
            out.push((role, Vec::new()));
        }
        if let (Some(skill_id), Some(min_level), Some(essential), Some(code)) =
            (r.skill_id, r.min_level, r.essential, r.code)
        {
            let skills = &mut out.last_mut().expect("a role was pushed above").1;
            skills.push(RoleSkillRow {
                role_id: r.id,
                skill_id,
                min_level,
                essential,
                code,
                category: r.category.unwrap_or_default(),
                label_en: r.label_en.unwrap_or_default(),
                label_nl: r.label_nl.unwrap_or_default(),
                label_uk: r.label_uk.unwrap_or_default(),
                esco_group: r.esco_group,
            });
        }
    }
    Ok(out)
}

pub async fn role_languages_of(conn: &mut Conn<'_>, role_ids: &[Uuid]) -> AppResult<Vec<LanguageRow>> {
    let mut q =
        Sql::new("SELECT role_id AS owner_id, language, min_level AS level FROM role_languages WHERE role_id IN ");
    q.bind_list(role_ids).push(" ORDER BY role_id, language");
    q.fetch_all(conn).await
}

/// A role as written, with its skills and languages.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleWrite {
    pub role: RoleRow,
    /// (skill, minimum level, essential)
    pub skills: Vec<(Uuid, i32, bool)>,
    /// (language, minimum level)
    pub languages: Vec<(String, Cefr)>,
}

pub async fn insert(conn: &mut Conn<'_>, n: &NeedRow, roles: &[RoleWrite]) -> AppResult<()> {
    Sql::new(
        "INSERT INTO needs (id, plan_id, title, description, sector, start_date, end_date, remote, on_site, hosting, \
         priority, status, dream_project_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .arg(n.id)
    .arg(n.plan_id)
    .arg(n.title.as_str())
    .arg(n.description.as_str())
    .arg(n.sector.as_str())
    .arg(n.start_date)
    .arg(n.end_date)
    .arg(n.remote)
    .arg(n.on_site)
    .arg(n.hosting)
    .arg(n.priority.as_str())
    .arg(n.status.as_str())
    .arg(n.dream_project_id.clone())
    .arg(n.created_by)
    .arg(n.created_at)
    .arg(n.updated_at)
    .execute(conn)
    .await?;
    insert_roles(conn, roles).await
}

/// Writes the need's editable columns and priority (the status only through [`set_status`]).
pub async fn update(conn: &mut Conn<'_>, n: &NeedRow) -> AppResult<u64> {
    Sql::new(
        "UPDATE needs SET title = $2, description = $3, sector = $4, start_date = $5, end_date = $6, remote = $7, \
         on_site = $8, hosting = $9, priority = $10, dream_project_id = $11, updated_at = $12 WHERE id = $1",
    )
    .arg(n.id)
    .arg(n.title.as_str())
    .arg(n.description.as_str())
    .arg(n.sector.as_str())
    .arg(n.start_date)
    .arg(n.end_date)
    .arg(n.remote)
    .arg(n.on_site)
    .arg(n.hosting)
    .arg(n.priority.as_str())
    .arg(n.dream_project_id.clone())
    .arg(n.updated_at)
    .execute(conn)
    .await
}

/// Stores a workflow status. FILLED is never stored: it is derived from the assignments, so it cannot drift.
pub async fn set_status(conn: &mut Conn<'_>, id: Uuid, status: NeedStatus, at: DateTime<Utc>) -> AppResult<u64> {
    debug_assert_ne!(status, NeedStatus::Filled, "FILLED is derived, never stored");
    Sql::new("UPDATE needs SET status = $1, updated_at = $2 WHERE id = $3")
        .arg(status)
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

/// Replaces a need's team (only while it is a draft: no assignment refers to its roles yet).
pub async fn replace_roles(conn: &mut Conn<'_>, need_id: Uuid, roles: &[RoleWrite]) -> AppResult<()> {
    Sql::new("DELETE FROM need_roles WHERE need_id = $1").arg(need_id).execute(conn).await?;
    insert_roles(conn, roles).await
}

async fn insert_roles(conn: &mut Conn<'_>, roles: &[RoleWrite]) -> AppResult<()> {
    for w in roles {
        let r = &w.role;
        Sql::new(
            "INSERT INTO need_roles (id, need_id, position, title, seats, hours_per_week, interpreter_available) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .arg(r.id)
        .arg(r.need_id)
        .arg(r.position)
        .arg(r.title.as_str())
        .arg(r.seats)
        .arg(r.hours_per_week)
        .arg(r.interpreter_available)
        .execute(conn)
        .await?;
        if !w.skills.is_empty() {
            let mut q = Sql::new("INSERT INTO role_skills (role_id, skill_id, min_level, essential) VALUES ");
            for (i, (skill, level, essential)) in w.skills.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ", (" }).bind(r.id).push(", ").bind(*skill);
                q.push(", ").bind(*level).push(", ").bind(*essential).push(")");
            }
            q.execute(conn).await?;
        }
        if !w.languages.is_empty() {
            let mut q = Sql::new("INSERT INTO role_languages (role_id, language, min_level) VALUES ");
            for (i, (language, level)) in w.languages.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ", (" }).bind(r.id).push(", ").bind(language.as_str());
                q.push(", ").bind(*level).push(")");
            }
            q.execute(conn).await?;
        }
    }
    Ok(())
}

/// Open needs per sector, for the public figures.
pub async fn open_per_sector(conn: &mut Conn<'_>) -> AppResult<Vec<(String, i64)>> {
    Sql::new("SELECT sector, COUNT(*) FROM needs WHERE status IN ('OPEN', 'FILLED') GROUP BY sector ORDER BY sector")
        .fetch_all(conn)
        .await
}

/// Needs still open for matching (not yet filled) per region of their hromada, most first.
pub async fn open_per_region(conn: &mut Conn<'_>) -> AppResult<Vec<(String, i64)>> {
    let status = derived_status_sql();
    Sql::new(&format!(
        "SELECT m.region, COUNT(*) FROM needs n JOIN recovery_plans p ON p.id = n.plan_id \
         JOIN municipalities m ON m.id = p.municipality_id WHERE {status} = 'OPEN' GROUP BY m.region ORDER BY 2 DESC, 1"
    ))
    .fetch_all(conn)
    .await
}

/// Seats of OPEN needs that no assignment holds (none proposed for them yet, or all refused).
pub async fn open_seats(conn: &mut Conn<'_>) -> AppResult<i64> {
    let seats = Sql::new(
        "SELECT COALESCE(SUM(r.seats), 0) FROM need_roles r JOIN needs n ON n.id = r.need_id WHERE n.status = 'OPEN'",
    )
    .fetch_count(conn)
    .await?;
    let mut taken = Sql::new(
        "SELECT COUNT(*) FROM assignments a JOIN needs n ON n.id = a.need_id WHERE n.status = 'OPEN' AND a.status IN ",
    );
    taken.bind_list(&super::assignment::seated());
    Ok(seats - taken.fetch_count(conn).await?)
}

/// Needs per status, for the public figures.
pub async fn per_status(conn: &mut Conn<'_>) -> AppResult<Vec<(String, i64)>> {
    let status = derived_status_sql();
    Sql::new(&format!("SELECT {status} AS status, COUNT(*) FROM needs n GROUP BY {status} ORDER BY 1"))
        .fetch_all(conn)
        .await
}

/// One role by id.
pub async fn role(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<RoleRow>> {
    Sql::new("SELECT id, need_id, position, title, seats, hours_per_week, interpreter_available FROM need_roles WHERE id = $1")
        .arg(id)
        .fetch_optional(conn)
        .await
}
