//! Municipalities on both sides of the pool.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::{SecurityStatus, Side};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MunicipalityRow {
    pub id: Uuid,
    pub country: String,
    pub code: String,
    pub name: String,
    pub name_local: String,
    pub name_latin: String,
    pub region: String,
    pub side: Side,
    pub security_status: Option<SecurityStatus>,
    pub population: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

const COLUMNS: &str =
    "id, country, code, name, name_local, name_latin, region, side, security_status, population, latitude, longitude";

#[derive(Debug, Clone, Default)]
pub struct MunicipalityFilter {
    pub country: Option<String>,
    pub region: Option<String>,
    pub side: Option<Side>,
    pub security_status: Option<SecurityStatus>,
    /// Lower-case text to find in any of the names.
    pub search: Option<String>,
}

/// A municipality to insert (reference data or a new partner municipality).
#[derive(Debug, Clone)]
pub struct NewMunicipality {
    pub id: Uuid,
    pub country: String,
    pub code: String,
    pub name: String,
    pub name_local: String,
    pub name_latin: String,
    pub region: String,
    pub side: Side,
    pub security_status: Option<SecurityStatus>,
    pub population: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The text name search looks in: every name, lower-cased (`LIKE` is case-sensitive beyond ASCII on SQLite).
pub fn search_text(name: &str, local: &str, latin: &str) -> String {
    format!("{name} | {local} | {latin}").to_lowercase()
}

fn filtered(select: &str, f: &MunicipalityFilter) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(c) = &f.country {
        q.push(" AND country = ").bind(c.as_str());
    }
    if let Some(r) = &f.region {
        q.push(" AND region = ").bind(r.as_str());
    }
    if let Some(s) = &f.side {
        q.push(" AND side = ").bind(s.as_str());
    }
    if let Some(s) = &f.security_status {
        q.push(" AND security_status = ").bind(s.as_str());
    }
    if let Some(s) = &f.search {
        q.push(" AND search_name LIKE ").bind(format!("%{}%", escape_like(s))).push(" ESCAPE '\\'");
    }
    q
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A page ordered by name, then id; `after` is the last (name, id) seen.
pub async fn list(
    conn: &mut Conn<'_>,
    f: &MunicipalityFilter,
    after: Option<(String, Uuid)>,
    first: usize,
) -> AppResult<Page<MunicipalityRow>> {
    let mut q = filtered(&format!("SELECT {COLUMNS} FROM municipalities"), f);
    if let Some((name, id)) = after {
        q.push(" AND (name > ").bind(name.clone()).push(" OR (name = ").bind(name);
        q.push(" AND id > ").bind(id).push("))");
    }
    q.push(" ORDER BY name, id LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn count(conn: &mut Conn<'_>, f: &MunicipalityFilter) -> AppResult<i64> {
    filtered("SELECT COUNT(*) FROM municipalities", f).fetch_count(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<MunicipalityRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM municipalities WHERE id IN "));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<MunicipalityRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM municipalities WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn get_by_code(conn: &mut Conn<'_>, code: &str) -> AppResult<Option<MunicipalityRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM municipalities WHERE code = $1")).arg(code).fetch_optional(conn).await
}

pub async fn count_all(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM municipalities").fetch_count(conn).await
}

/// Inserts many municipalities in multi-row statements (the reference data holds about 1,800).
pub async fn insert_many(conn: &mut Conn<'_>, rows: &[NewMunicipality], now: DateTime<Utc>) -> AppResult<()> {
    for chunk in rows.chunks(50) {
        let mut q = Sql::new(
            "INSERT INTO municipalities (id, country, code, name, name_local, name_latin, search_name, region, side, \
             security_status, population, latitude, longitude, created_at) VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(m.id).push(", ").bind(m.country.as_str()).push(", ").bind(m.code.as_str());
            q.push(", ").bind(m.name.as_str()).push(", ").bind(m.name_local.as_str());
            q.push(", ").bind(m.name_latin.as_str());
            q.push(", ").bind(search_text(&m.name, &m.name_local, &m.name_latin));
            q.push(", ").bind(m.region.as_str()).push(", ").bind(m.side.as_str());
            q.push(", ").bind(m.security_status).push(", ").bind(m.population);
            q.push(", ").bind(m.latitude).push(", ").bind(m.longitude).push(", ").bind(now).push(")");
        }
        q.execute(conn).await?;
    }
    Ok(())
}

pub async fn set_security_status(conn: &mut Conn<'_>, id: Uuid, status: SecurityStatus) -> AppResult<u64> {
    Sql::new("UPDATE municipalities SET security_status = $1 WHERE id = $2").arg(status).arg(id).execute(conn).await
}

/// The distinct regions of a country, for filters in the client.
pub async fn regions(conn: &mut Conn<'_>, country: &str) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> =
        Sql::new("SELECT DISTINCT region FROM municipalities WHERE country = $1 ORDER BY region")
            .arg(country)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
