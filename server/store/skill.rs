//! The curated skill list.

use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SkillRow {
    pub id: Uuid,
    pub code: String,
    pub category: String,
    pub label_en: String,
    pub label_nl: String,
    pub label_uk: String,
    pub esco_group: Option<String>,
}

const COLUMNS: &str = "id, code, category, label_en, label_nl, label_uk, esco_group";

/// The whole list (it is small: tens of skills), ordered by category and code.
pub async fn all(conn: &mut Conn<'_>) -> AppResult<Vec<SkillRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM skills ORDER BY category, code")).fetch_all(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<SkillRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM skills WHERE id IN "));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<SkillRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM skills WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn insert(conn: &mut Conn<'_>, s: &SkillRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO skills ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .arg(s.id)
        .arg(s.code.as_str())
        .arg(s.category.as_str())
        .arg(s.label_en.as_str())
        .arg(s.label_nl.as_str())
        .arg(s.label_uk.as_str())
        .arg(s.esco_group.clone())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn<'_>, s: &SkillRow) -> AppResult<u64> {
    Sql::new(
        "UPDATE skills SET code = $2, category = $3, label_en = $4, label_nl = $5, label_uk = $6, esco_group = $7 \
         WHERE id = $1",
    )
    .arg(s.id)
    .arg(s.code.as_str())
    .arg(s.category.as_str())
    .arg(s.label_en.as_str())
    .arg(s.label_nl.as_str())
    .arg(s.label_uk.as_str())
    .arg(s.esco_group.clone())
    .execute(conn)
    .await
}

pub async fn count_all(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM skills").fetch_count(conn).await
}
