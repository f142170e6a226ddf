//! Requests for help beyond expertise with the offers that answer them, and the network's forum.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::network::{HelpKind, HelpOfferStatus, HelpRequestStatus, PostKind};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct HelpRequestRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub kind: HelpKind,
    pub title: String,
    pub description: String,
    pub quantity: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub status: HelpRequestStatus,
    pub posted_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const REQUEST_COLUMNS: &str =
    "id, municipality_id, kind, title, description, quantity, needed_by, status, posted_by, created_at, updated_at";

pub async fn insert_request(conn: &mut Conn<'_>, r: &HelpRequestRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO help_requests ({REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .arg(r.id)
    .arg(r.municipality_id)
    .arg(r.kind.as_str())
    .arg(r.title.as_str())
    .arg(r.description.as_str())
    .arg(r.quantity.clone())
    .arg(r.needed_by)
    .arg(r.status.as_str())
    .arg(r.posted_by)
    .arg(r.created_at)
    .arg(r.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn request(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<HelpRequestRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {REQUEST_COLUMNS} FROM help_requests WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

pub async fn set_request_status(
    conn: &mut Conn<'_>,
    id: Uuid,
    status: HelpRequestStatus,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    Sql::new("UPDATE help_requests SET status = $1, updated_at = $2 WHERE id = $3")
        .arg(status)
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

/// Requests, newest first.
pub async fn requests(conn: &mut Conn<'_>) -> AppResult<Vec<HelpRequestRow>> {
    Sql::new(&format!("SELECT {REQUEST_COLUMNS} FROM help_requests ORDER BY created_at DESC, id DESC"))
        .fetch_all(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct HelpOfferRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub municipality_id: Uuid,
    pub description: String,
    pub status: HelpOfferStatus,
    pub offered_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
}

const OFFER_COLUMNS: &str =
    "id, request_id, municipality_id, description, status, offered_by, created_at, decided_by, decided_at";

pub async fn insert_offer(conn: &mut Conn<'_>, o: &HelpOfferRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO help_offers ({OFFER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .arg(o.id)
        .arg(o.request_id)
        .arg(o.municipality_id)
        .arg(o.description.as_str())
        .arg(o.status.as_str())
        .arg(o.offered_by)
        .arg(o.created_at)
        .arg(o.decided_by)
        .arg(o.decided_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn offer(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<HelpOfferRow>> {
    Sql::new(&format!("SELECT {OFFER_COLUMNS} FROM help_offers WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn decide_offer(
    conn: &mut Conn<'_>,
    id: Uuid,
    status: HelpOfferStatus,
    by: Uuid,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    Sql::new("UPDATE help_offers SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = $5")
        .arg(status)
        .arg(by)
        .arg(at)
        .arg(id)
        .arg(HelpOfferStatus::Offered)
        .execute(conn)
        .await
}

pub async fn offers_of(conn: &mut Conn<'_>, request_ids: &[Uuid]) -> AppResult<Vec<HelpOfferRow>> {
    let mut s = Sql::new(&format!("SELECT {OFFER_COLUMNS} FROM help_offers WHERE request_id IN "));
    s.bind_list(request_ids).push(" ORDER BY request_id, created_at, id");
    s.fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PostRow {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: PostKind,
    pub title: Option<String>,
    pub body: String,
    pub tags: String,
    pub municipality_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
    pub pinned: bool,
    pub created_at: DateTime<Utc>,
}

const POST_COLUMNS: &str = "id, parent_id, kind, title, body, tags, municipality_id, author_id, pinned, created_at";

pub async fn insert_post(conn: &mut Conn<'_>, p: &PostRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO forum_posts ({POST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
        .arg(p.id)
        .arg(p.parent_id)
        .arg(p.kind.as_str())
        .arg(p.title.clone())
        .arg(p.body.as_str())
        .arg(p.tags.as_str())
        .arg(p.municipality_id)
        .arg(p.author_id)
        .arg(p.pinned)
        .arg(p.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn post(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<PostRow>> {
    Sql::new(&format!("SELECT {POST_COLUMNS} FROM forum_posts WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn set_pinned(conn: &mut Conn<'_>, id: Uuid, pinned: bool) -> AppResult<u64> {
    Sql::new("UPDATE forum_posts SET pinned = $1 WHERE id = $2").arg(pinned).arg(id).execute(conn).await
}

/// Topics (posts without a parent), newest first; of one tag when given.
pub async fn topics(conn: &mut Conn<'_>, tag: Option<&str>, limit: i64) -> AppResult<Vec<PostRow>> {
    let mut s = Sql::new(&format!("SELECT {POST_COLUMNS} FROM forum_posts WHERE parent_id IS NULL"));
    if let Some(t) = tag {
        s.push(" AND (',' || tags || ',') LIKE ").bind(format!("%,{t},%"));
    }
    s.push(" ORDER BY created_at DESC, id DESC LIMIT ").bind(limit);
    s.fetch_all(conn).await
}

/// Answers to some topics, pinned first, then oldest first.
pub async fn answers_of(conn: &mut Conn<'_>, topic_ids: &[Uuid]) -> AppResult<Vec<PostRow>> {
    let mut s = Sql::new(&format!("SELECT {POST_COLUMNS} FROM forum_posts WHERE parent_id IN "));
    s.bind_list(topic_ids).push(" ORDER BY parent_id, pinned DESC, created_at, id");
    s.fetch_all(conn).await
}
