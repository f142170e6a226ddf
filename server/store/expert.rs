//! Experts with their skills and languages.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::{Cefr, ExpertKind, ExpertStatus};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ExpertRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub job_title: String,
    pub bio: Option<String>,
    pub hours_per_week: i32,
    pub available_from: NaiveDate,
    pub available_until: Option<NaiveDate>,
    pub remote: bool,
    pub on_site: bool,
    pub hosting: bool,
    pub status: ExpertStatus,
    pub consent_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// MUNICIPAL_STAFF, DISPLACED_PROFESSIONAL, INTERPRETER or OTHER.
    pub kind: ExpertKind,
}

const COLUMNS: &str = "id, municipality_id, name, email, phone, job_title, bio, hours_per_week, available_from, \
     available_until, remote, on_site, hosting, status, consent_date, created_at, updated_at, kind";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ExpertSkillRow {
    pub expert_id: Uuid,
    pub skill_id: Uuid,
    pub level: i32,
    pub years: Option<i32>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LanguageRow {
    /// The expert or role the language belongs to.
    pub owner_id: Uuid,
    pub language: String,
    pub level: Cefr,
}

#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    pub municipality_id: Option<Uuid>,
    pub status: Option<ExpertStatus>,
    /// Experts having this skill at `min_level` or above.
    pub skill_id: Option<Uuid>,
    pub min_level: Option<i32>,
    pub language: Option<String>,
    pub search: Option<String>,
    /// Available by this day (their availability starts on or before it)…
    pub available_from: Option<NaiveDate>,
    /// …and still on this one (open-ended, or ending on or after it).
    pub available_until: Option<NaiveDate>,
    /// Working in this way: `remote`, `on_site` or `hosting` (a column name, from the domain's own list).
    pub mode_column: Option<&'static str>,
    /// At least this many weekly hours not held by assignments that have not ended by `today`.
    pub min_free_hours: Option<i32>,
    /// Experts of municipalities in this region (province).
    pub region: Option<String>,
    pub order: Order,
    /// The day free hours are counted from.
    pub today: NaiveDate,
}

/// The order of the expert list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// As they joined the pool.
    #[default]
    OldestFirst,
    Name,
    /// Most free hours first.
    MostFreeHours,
}

/// The weekly hours of the expert `alias` not held by assignments that have not ended by the bound day.
fn free_hours_sql(alias: &str) -> String {
    format!(
        "({alias}.hours_per_week - COALESCE((SELECT SUM(a.hours_per_week) FROM assignments a WHERE a.expert_id = {alias}.id \
         AND a.status IN {} AND a.end_date >= ",
        super::assignment::sql_list(&super::assignment::holding())
    )
}

fn filtered(select: &str, f: &ExpertFilter) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(m) = f.municipality_id {
        q.push(" AND e.municipality_id = ").bind(m);
    }
    if let Some(s) = &f.status {
        q.push(" AND e.status = ").bind(s.as_str());
    }
    if let Some(skill) = f.skill_id {
        q.push(" AND EXISTS (SELECT 1 FROM expert_skills s WHERE s.expert_id = e.id AND s.skill_id = ").bind(skill);
        q.push(" AND s.level >= ").bind(f.min_level.unwrap_or(1)).push(")");
    }
    if let Some(l) = &f.language {
        q.push(" AND EXISTS (SELECT 1 FROM expert_languages l WHERE l.expert_id = e.id AND l.language = ");
        q.bind(l.as_str()).push(")");
    }
    if let Some(s) = &f.search {
        let pattern = format!("%{}%", super::municipality::escape_like(&s.to_lowercase()));
        q.push(" AND (LOWER(e.name) LIKE ").bind(pattern.clone()).push(" ESCAPE '\\' OR LOWER(e.job_title) LIKE ");
        q.bind(pattern).push(" ESCAPE '\\')");
    }
    if let Some(d) = f.available_from {
        q.push(" AND e.available_from <= ").bind(d);
    }
    if let Some(d) = f.available_until {
        q.push(" AND (e.available_until IS NULL OR e.available_until >= ").bind(d).push(")");
    }
    if let Some(column) = f.mode_column {
        q.push(&format!(" AND e.{column} = ")).bind(true);
    }
    if let Some(h) = f.min_free_hours {
        q.push(&format!(" AND {}", free_hours_sql("e"))).bind(f.today).push("), 0)) >= ").bind(h);
    }
    if let Some(r) = &f.region {
        q.push(" AND e.municipality_id IN (SELECT id FROM municipalities WHERE region = ").bind(r.as_str()).push(")");
    }
    q
}

fn prefixed() -> String {
    COLUMNS.split(", ").map(|c| format!("e.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

pub async fn list(
    conn: &mut Conn<'_>,
    f: &ExpertFilter,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<ExpertRow>> {
    Ok(Page::from_rows(list_sql(f, after, first).fetch_all(conn).await?, first))
}

/// The statement [`list`] runs, public so that tests/query_plans.rs explains the very text a page runs.
pub fn list_sql(f: &ExpertFilter, after: Option<Uuid>, first: usize) -> Sql {
    let mut q = filtered(&format!("SELECT {} FROM experts e", prefixed()), f);
    match (f.order, after) {
        (Order::OldestFirst, Some(a)) => {
            q.push(" AND e.id > ").bind(a);
        }
        (Order::Name, Some(a)) => {
            q.push(" AND (e.name > (SELECT name FROM experts WHERE id = ").bind(a);
            q.push(") OR (e.name = (SELECT name FROM experts WHERE id = ").bind(a).push(") AND e.id > ").bind(a);
            q.push("))");
        }
        (Order::MostFreeHours, Some(a)) => {
            let mine = free_hours_sql("e");
            let theirs = format!("(SELECT {}", free_hours_sql("c"));
            q.push(&format!(" AND ({mine}")).bind(f.today).push("), 0)) < ");
            q.push(&theirs).bind(f.today).push("), 0)) FROM experts c WHERE c.id = ").bind(a).push(")");
            q.push(&format!(" OR ({mine}")).bind(f.today).push("), 0)) = ");
            q.push(&theirs).bind(f.today).push("), 0)) FROM experts c WHERE c.id = ").bind(a).push(")");
            q.push(" AND e.id > ").bind(a).push("))");
        }
        (_, None) => {}
    }
    match f.order {
        Order::OldestFirst => {
            q.push(" ORDER BY e.id");
        }
        Order::Name => {
            q.push(" ORDER BY e.name, e.id");
        }
        Order::MostFreeHours => {
            q.push(&format!(" ORDER BY {}", free_hours_sql("e"))).bind(f.today).push("), 0)) DESC, e.id");
        }
    }
    q.push(" LIMIT ").bind(first as i64 + 1);
    q
}

/// How many experts the filter finds ([`count_sql`]).
pub async fn count(conn: &mut Conn<'_>, f: &ExpertFilter) -> AppResult<i64> {
    count_sql(f).fetch_count(conn).await
}

/// The statement [`count`] runs (public for tests/query_plans.rs). Filtered by a skill alone, the count reads
/// only that skill's entries: `(expert_id, skill_id)` is the key of `expert_skills`, so an expert has at most one
/// per skill (on a pool of 20,000 experts, 3 ms instead of 13 ms hashing every expert). The list of fields is
/// exhaustive, so a new filter cannot be left out of the check.
pub fn count_sql(f: &ExpertFilter) -> Sql {
    let ExpertFilter {
        municipality_id,
        status,
        skill_id,
        min_level,
        language,
        search,
        available_from,
        available_until,
        mode_column,
        min_free_hours,
        region,
        order: _,
        today: _,
    } = f;
    let only_the_skill = municipality_id.is_none()
        && status.is_none()
        && language.is_none()
        && search.is_none()
        && available_from.is_none()
        && available_until.is_none()
        && mode_column.is_none()
        && min_free_hours.is_none()
        && region.is_none();
    match skill_id {
        Some(skill) if only_the_skill => {
            let mut q = Sql::new("SELECT COUNT(*) FROM expert_skills s WHERE s.skill_id = ");
            q.bind(*skill).push(" AND s.level >= ").bind(min_level.unwrap_or(1));
            q
        }
        _ => filtered("SELECT COUNT(*) FROM experts e", f),
    }
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<ExpertRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM experts WHERE id = $1")).arg(id).fetch_optional(conn).await
}

/// The expert row, locked for the rest of the transaction on PostgreSQL.
pub async fn get_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<ExpertRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {COLUMNS} FROM experts WHERE id = $1{lock}")).arg(id).fetch_optional(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<ExpertRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM experts WHERE id IN "));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

pub async fn skills_of(conn: &mut Conn<'_>, expert_ids: &[Uuid]) -> AppResult<Vec<ExpertSkillRow>> {
    let mut q = Sql::new("SELECT expert_id, skill_id, level, years FROM expert_skills WHERE expert_id IN ");
    q.bind_list(expert_ids).push(" ORDER BY expert_id, level DESC, skill_id");
    q.fetch_all(conn).await
}

pub async fn languages_of(conn: &mut Conn<'_>, expert_ids: &[Uuid]) -> AppResult<Vec<LanguageRow>> {
    let mut q = Sql::new("SELECT expert_id AS owner_id, language, level FROM expert_languages WHERE expert_id IN ");
    q.bind_list(expert_ids).push(" ORDER BY expert_id, language");
    q.fetch_all(conn).await
}

/// An expert's whole profile as written: the row, its skills and its languages.
#[derive(Debug, Clone)]
pub struct ExpertWrite<'a> {
    pub row: &'a ExpertRow,
    pub skills: &'a [ExpertSkillRow],
    pub languages: &'a [LanguageRow],
}

pub async fn insert(conn: &mut Conn<'_>, e: ExpertWrite<'_>) -> AppResult<()> {
    let r = e.row;
    Sql::new(&format!(
        "INSERT INTO experts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18)"
    ))
    .arg(r.id)
    .arg(r.municipality_id)
    .arg(r.name.as_str())
    .arg(r.email.as_str())
    .arg(r.phone.clone())
    .arg(r.job_title.as_str())
    .arg(r.bio.clone())
    .arg(r.hours_per_week)
    .arg(r.available_from)
    .arg(r.available_until)
    .arg(r.remote)
    .arg(r.on_site)
    .arg(r.hosting)
    .arg(r.status.as_str())
    .arg(r.consent_date)
    .arg(r.created_at)
    .arg(r.updated_at)
    .arg(r.kind.as_str())
    .execute(conn)
    .await?;
    insert_children(conn, r.id, e.skills, e.languages).await
}

/// Replaces the profile: the row's editable columns, and the skills and languages wholesale.
pub async fn update(conn: &mut Conn<'_>, e: ExpertWrite<'_>) -> AppResult<()> {
    let r = e.row;
    Sql::new(
        "UPDATE experts SET name = $2, email = $3, phone = $4, job_title = $5, bio = $6, hours_per_week = $7, \
         available_from = $8, available_until = $9, remote = $10, on_site = $11, hosting = $12, consent_date = $13, \
         updated_at = $14, kind = $15 WHERE id = $1",
    )
    .arg(r.id)
    .arg(r.name.as_str())
    .arg(r.email.as_str())
    .arg(r.phone.clone())
    .arg(r.job_title.as_str())
    .arg(r.bio.clone())
    .arg(r.hours_per_week)
    .arg(r.available_from)
    .arg(r.available_until)
    .arg(r.remote)
    .arg(r.on_site)
    .arg(r.hosting)
    .arg(r.consent_date)
    .arg(r.updated_at)
    .arg(r.kind.as_str())
    .execute(conn)
    .await?;
    Sql::new("DELETE FROM expert_skills WHERE expert_id = $1").arg(r.id).execute(conn).await?;
    Sql::new("DELETE FROM expert_languages WHERE expert_id = $1").arg(r.id).execute(conn).await?;
    insert_children(conn, r.id, e.skills, e.languages).await
}

async fn insert_children(
    conn: &mut Conn<'_>,
    expert_id: Uuid,
    skills: &[ExpertSkillRow],
    languages: &[LanguageRow],
) -> AppResult<()> {
    if !skills.is_empty() {
        let mut q = Sql::new("INSERT INTO expert_skills (expert_id, skill_id, level, years) VALUES ");
        for (i, s) in skills.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" }).bind(expert_id).push(", ").bind(s.skill_id);
            q.push(", ").bind(s.level).push(", ").bind(s.years).push(")");
        }
        q.execute(conn).await?;
    }
    if !languages.is_empty() {
        let mut q = Sql::new("INSERT INTO expert_languages (expert_id, language, level) VALUES ");
        for (i, l) in languages.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" }).bind(expert_id).push(", ").bind(l.language.as_str());
            q.push(", ").bind(l.level.as_str()).push(")");
        }
        q.execute(conn).await?;
    }
    Ok(())
}

pub async fn set_status(conn: &mut Conn<'_>, id: Uuid, status: ExpertStatus, now: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE experts SET status = $1, updated_at = $2 WHERE id = $3")
        .arg(status)
        .arg(now)
        .arg(id)
        .execute(conn)
        .await
}

/// (active experts, municipalities with at least one active expert)
pub async fn pool_size(conn: &mut Conn<'_>) -> AppResult<(i64, i64)> {
    let row: Option<(i64, i64)> =
        Sql::new("SELECT COUNT(*), COUNT(DISTINCT municipality_id) FROM experts WHERE status = 'ACTIVE'")
            .fetch_optional(conn)
            .await?;
    Ok(row.unwrap_or((0, 0)))
}

/// Every expert of one municipality, by name.
pub async fn of_municipality(conn: &mut Conn<'_>, municipality_id: Uuid) -> AppResult<Vec<ExpertRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM experts WHERE municipality_id = $1 ORDER BY name, id"))
        .arg(municipality_id)
        .fetch_all(conn)
        .await
}

/// Of `emails` (lower case), those that belong to an expert of another municipality than `municipality_id`.
pub async fn emails_elsewhere(conn: &mut Conn<'_>, municipality_id: Uuid, emails: &[String]) -> AppResult<Vec<String>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT LOWER(email) FROM experts WHERE municipality_id <> ");
    q.bind(municipality_id).push(" AND LOWER(email) IN ");
    q.bind_list(emails);
    let rows: Vec<(String,)> = q.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
