//! The network's rows (docs/network.md): participation and contacts, ties between municipalities, information
//! sessions with their registrations, and reception offers.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::Side;
use crate::domain::network::{Attendance, MembershipStatus, RegistrationStatus, SessionMode, TieKind};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MemberRow {
    pub municipality_id: Uuid,
    pub status: MembershipStatus,
    pub offers_expertise: bool,
    pub offers_money: bool,
    pub offers_hosting: bool,
    /// Skill categories, comma-separated.
    pub skill_areas: String,
    pub note: Option<String>,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const MEMBER_COLUMNS: &str = "municipality_id, status, offers_expertise, offers_money, offers_hosting, skill_areas, \
     note, updated_by, created_at, updated_at";

pub async fn member(conn: &mut Conn<'_>, municipality_id: Uuid) -> AppResult<Option<MemberRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {MEMBER_COLUMNS} FROM network_members WHERE municipality_id = $1{lock}"))
        .arg(municipality_id)
        .fetch_optional(conn)
        .await
}

pub async fn upsert_member(conn: &mut Conn<'_>, m: &MemberRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO network_members ({MEMBER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (municipality_id) DO UPDATE SET status = excluded.status, offers_expertise = excluded.offers_expertise, \
         offers_money = excluded.offers_money, offers_hosting = excluded.offers_hosting, skill_areas = excluded.skill_areas, \
         note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    ))
    .arg(m.municipality_id)
    .arg(m.status.as_str())
    .arg(m.offers_expertise)
    .arg(m.offers_money)
    .arg(m.offers_hosting)
    .arg(m.skill_areas.as_str())
    .arg(m.note.clone())
    .arg(m.updated_by)
    .arg(m.created_at)
    .arg(m.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Members, by municipality name; of one status when given.
pub async fn members(conn: &mut Conn<'_>, status: Option<&str>) -> AppResult<Vec<MemberRow>> {
    let cols = MEMBER_COLUMNS.split(", ").map(|c| format!("n.{c}")).collect::<Vec<_>>().join(", ");
    let mut s =
        Sql::new(&format!("SELECT {cols} FROM network_members n JOIN municipalities m ON m.id = n.municipality_id"));
    if let Some(st) = status {
        s.push(" WHERE n.status = ").bind(st);
    }
    s.push(" ORDER BY m.name, m.id");
    s.fetch_all(conn).await
}

/// Members taking part now (ACTIVE).
pub async fn active_members(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM network_members WHERE status = 'ACTIVE'").fetch_count(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ContactRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub name: String,
    pub role_title: String,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_contact(conn: &mut Conn<'_>, c: &ContactRow) -> AppResult<()> {
    Sql::new(
        "INSERT INTO network_contacts (id, municipality_id, name, role_title, email, phone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .arg(c.id)
    .arg(c.municipality_id)
    .arg(c.name.as_str())
    .arg(c.role_title.as_str())
    .arg(c.email.as_str())
    .arg(c.phone.clone())
    .arg(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn contact(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<ContactRow>> {
    Sql::new(
        "SELECT id, municipality_id, name, role_title, email, phone, created_at FROM network_contacts WHERE id = $1",
    )
    .arg(id)
    .fetch_optional(conn)
    .await
}

pub async fn delete_contact(conn: &mut Conn<'_>, id: Uuid) -> AppResult<u64> {
    Sql::new("DELETE FROM network_contacts WHERE id = $1").arg(id).execute(conn).await
}

pub async fn contacts_of(conn: &mut Conn<'_>, municipality_ids: &[Uuid]) -> AppResult<Vec<ContactRow>> {
    let mut s = Sql::new(
        "SELECT id, municipality_id, name, role_title, email, phone, created_at FROM network_contacts WHERE municipality_id IN ",
    );
    s.bind_list(municipality_ids).push(" ORDER BY municipality_id, name, id");
    s.fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TieRow {
    pub id: Uuid,
    pub contributing_municipality_id: Uuid,
    pub recovering_municipality_id: Uuid,
    pub kind: TieKind,
    pub since: Option<NaiveDate>,
    pub contact: Option<String>,
    pub note: Option<String>,
    pub entered_by_side: Side,
    pub entered_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub confirmed_by: Option<Uuid>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

const TIE_COLUMNS: &str = "id, contributing_municipality_id, recovering_municipality_id, kind, since, contact, note, \
     entered_by_side, entered_by, created_at, confirmed_by, confirmed_at";

pub async fn insert_tie(conn: &mut Conn<'_>, t: &TieRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO municipality_ties ({TIE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .arg(t.id)
    .arg(t.contributing_municipality_id)
    .arg(t.recovering_municipality_id)
    .arg(t.kind.as_str())
    .arg(t.since)
    .arg(t.contact.clone())
    .arg(t.note.clone())
    .arg(t.entered_by_side.as_str())
    .arg(t.entered_by)
    .arg(t.created_at)
    .arg(t.confirmed_by)
    .arg(t.confirmed_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn tie(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<TieRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {TIE_COLUMNS} FROM municipality_ties WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

pub async fn confirm_tie(conn: &mut Conn<'_>, id: Uuid, by: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE municipality_ties SET confirmed_by = $1, confirmed_at = $2 WHERE id = $3 AND confirmed_at IS NULL")
        .arg(by)
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

/// Ties, newest first: all, or those of one municipality (on either side).
pub async fn ties(conn: &mut Conn<'_>, municipality: Option<Uuid>) -> AppResult<Vec<TieRow>> {
    let mut s = Sql::new(&format!("SELECT {TIE_COLUMNS} FROM municipality_ties"));
    if let Some(m) = municipality {
        s.push(" WHERE contributing_municipality_id = ").bind(m).push(" OR recovering_municipality_id = ").bind(m);
    }
    s.push(" ORDER BY created_at DESC, id DESC");
    s.fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SessionRow {
    pub id: Uuid,
    pub title_en: String,
    pub title_nl: String,
    pub title_uk: String,
    pub description_en: String,
    pub description_nl: String,
    pub description_uk: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: SessionMode,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub capacity_in_person: i32,
    pub capacity_online: i32,
    pub registration_deadline: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
}

const SESSION_COLUMNS: &str = "id, title_en, title_nl, title_uk, description_en, description_nl, description_uk, \
     starts_at, ends_at, mode, place, online_link, capacity_in_person, capacity_online, registration_deadline, \
     created_by, created_at, reminded_at";

pub async fn insert_session(conn: &mut Conn<'_>, s: &SessionRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO info_sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18)"
    ))
    .arg(s.id)
    .arg(s.title_en.as_str())
    .arg(s.title_nl.as_str())
    .arg(s.title_uk.as_str())
    .arg(s.description_en.as_str())
    .arg(s.description_nl.as_str())
    .arg(s.description_uk.as_str())
    .arg(s.starts_at)
    .arg(s.ends_at)
    .arg(s.mode.as_str())
    .arg(s.place.clone())
    .arg(s.online_link.clone())
    .arg(s.capacity_in_person)
    .arg(s.capacity_online)
    .arg(s.registration_deadline)
    .arg(s.created_by)
    .arg(s.created_at)
    .arg(s.reminded_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// One session, locked for the rest of the transaction on PostgreSQL (registrations for it queue behind).
pub async fn session_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<SessionRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {SESSION_COLUMNS} FROM info_sessions WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

pub async fn set_capacity(conn: &mut Conn<'_>, id: Uuid, in_person: i32, online: i32) -> AppResult<u64> {
    Sql::new("UPDATE info_sessions SET capacity_in_person = $1, capacity_online = $2 WHERE id = $3")
        .arg(in_person)
        .arg(online)
        .arg(id)
        .execute(conn)
        .await
}

/// Sessions ending after `after`, soonest first.
pub async fn sessions(conn: &mut Conn<'_>, after: DateTime<Utc>) -> AppResult<Vec<SessionRow>> {
    Sql::new(&format!("SELECT {SESSION_COLUMNS} FROM info_sessions WHERE ends_at > $1 ORDER BY starts_at, id"))
        .arg(after)
        .fetch_all(conn)
        .await
}

/// Sessions starting before `before` that have not had their reminder, and have not started at `now`.
pub async fn sessions_to_remind(
    conn: &mut Conn<'_>,
    now: DateTime<Utc>,
    before: DateTime<Utc>,
) -> AppResult<Vec<SessionRow>> {
    Sql::new(&format!(
        "SELECT {SESSION_COLUMNS} FROM info_sessions WHERE reminded_at IS NULL AND starts_at > $1 AND starts_at <= $2 ORDER BY id"
    ))
    .arg(now)
    .arg(before)
    .fetch_all(conn)
    .await
}

pub async fn mark_session_reminded(conn: &mut Conn<'_>, id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE info_sessions SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL")
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RegistrationRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub municipality_id: Uuid,
    pub person_name: String,
    pub email: String,
    pub attendance: Attendance,
    pub status: RegistrationStatus,
    pub registered_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub promoted_at: Option<DateTime<Utc>>,
}

const REGISTRATION_COLUMNS: &str = "id, session_id, municipality_id, person_name, email, attendance, status, \
     registered_by, created_at, cancelled_at, promoted_at";

pub async fn insert_registration(conn: &mut Conn<'_>, r: &RegistrationRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO session_registrations ({REGISTRATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .arg(r.id)
    .arg(r.session_id)
    .arg(r.municipality_id)
    .arg(r.person_name.as_str())
    .arg(r.email.as_str())
    .arg(r.attendance.as_str())
    .arg(r.status.as_str())
    .arg(r.registered_by)
    .arg(r.created_at)
    .arg(r.cancelled_at)
    .arg(r.promoted_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn registration(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<RegistrationRow>> {
    Sql::new(&format!("SELECT {REGISTRATION_COLUMNS} FROM session_registrations WHERE id = $1"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

/// Registrations of one session (of one municipality when given), oldest first.
pub async fn registrations(
    conn: &mut Conn<'_>,
    session_id: Uuid,
    municipality: Option<Uuid>,
) -> AppResult<Vec<RegistrationRow>> {
    let mut s = Sql::new(&format!("SELECT {REGISTRATION_COLUMNS} FROM session_registrations WHERE session_id = "));
    s.bind(session_id);
    if let Some(m) = municipality {
        s.push(" AND municipality_id = ").bind(m);
    }
    s.push(" ORDER BY created_at, id");
    s.fetch_all(conn).await
}

/// Seats held in one way of attending.
pub async fn registered_count(conn: &mut Conn<'_>, session_id: Uuid, attendance: Attendance) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM session_registrations WHERE session_id = $1 AND attendance = $2 AND status = 'REGISTERED'")
        .arg(session_id)
        .arg(attendance)
        .fetch_count(conn)
        .await
}

pub async fn set_registration_status(
    conn: &mut Conn<'_>,
    id: Uuid,
    status: RegistrationStatus,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    let column = if status == RegistrationStatus::Cancelled { "cancelled_at" } else { "promoted_at" };
    Sql::new(&format!("UPDATE session_registrations SET status = $1, {column} = $2 WHERE id = $3"))
        .arg(status)
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

/// The oldest waiting registrations in one way of attending, at most `n`.
pub async fn first_waiting(
    conn: &mut Conn<'_>,
    session_id: Uuid,
    attendance: Attendance,
    n: i64,
) -> AppResult<Vec<RegistrationRow>> {
    Sql::new(&format!(
        "SELECT {REGISTRATION_COLUMNS} FROM session_registrations WHERE session_id = $1 AND attendance = $2 \
         AND status = 'WAITING' ORDER BY created_at, id LIMIT $3"
    ))
    .arg(session_id)
    .arg(attendance)
    .arg(n)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReceptionRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub location_name: String,
    pub address: Option<String>,
    pub places: i32,
    pub available_from: NaiveDate,
    pub available_until: Option<NaiveDate>,
    pub target_group: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const RECEPTION_COLUMNS: &str = "id, municipality_id, location_name, address, places, available_from, available_until, \
     target_group, contact_name, contact_email, contact_phone, created_by, created_at, updated_at";

/// Inserts or replaces one offer (by id).
pub async fn save_reception(conn: &mut Conn<'_>, r: &ReceptionRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO reception_offers ({RECEPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (id) DO UPDATE SET location_name = excluded.location_name, address = excluded.address, \
         places = excluded.places, available_from = excluded.available_from, available_until = excluded.available_until, \
         target_group = excluded.target_group, contact_name = excluded.contact_name, contact_email = excluded.contact_email, \
         contact_phone = excluded.contact_phone, updated_at = excluded.updated_at"
    ))
    .arg(r.id)
    .arg(r.municipality_id)
    .arg(r.location_name.as_str())
    .arg(r.address.clone())
    .arg(r.places)
    .arg(r.available_from)
    .arg(r.available_until)
    .arg(r.target_group.clone())
    .arg(r.contact_name.as_str())
    .arg(r.contact_email.as_str())
    .arg(r.contact_phone.clone())
    .arg(r.created_by)
    .arg(r.created_at)
    .arg(r.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn reception(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<ReceptionRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {RECEPTION_COLUMNS} FROM reception_offers WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

/// Offers, by municipality: all, or one municipality's.
pub async fn receptions(conn: &mut Conn<'_>, municipality: Option<Uuid>) -> AppResult<Vec<ReceptionRow>> {
    let mut s = Sql::new(&format!("SELECT {RECEPTION_COLUMNS} FROM reception_offers"));
    if let Some(m) = municipality {
        s.push(" WHERE municipality_id = ").bind(m);
    }
    s.push(" ORDER BY municipality_id, available_from, id");
    s.fetch_all(conn).await
}

/// Places offered by locations available on `day`.
pub async fn places_on(conn: &mut Conn<'_>, day: NaiveDate) -> AppResult<i64> {
    Sql::new(
        "SELECT COALESCE(SUM(places), 0) FROM reception_offers WHERE available_from <= $1 \
         AND (available_until IS NULL OR available_until >= $1)",
    )
    .arg(day)
    .fetch_count(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AssociationRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub country: String,
    pub umbrella_id: Option<Uuid>,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: DateTime<Utc>,
}

const ASSOCIATION_COLUMNS: &str = "id, code, name, country, umbrella_id, contact_name, contact_email, created_at";

pub async fn insert_association(conn: &mut Conn<'_>, a: &AssociationRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO partner_associations ({ASSOCIATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .arg(a.id)
    .arg(a.code.as_str())
    .arg(a.name.as_str())
    .arg(a.country.as_str())
    .arg(a.umbrella_id)
    .arg(a.contact_name.as_str())
    .arg(a.contact_email.as_str())
    .arg(a.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn association_by_code(conn: &mut Conn<'_>, code: &str) -> AppResult<Option<AssociationRow>> {
    Sql::new(&format!("SELECT {ASSOCIATION_COLUMNS} FROM partner_associations WHERE code = $1"))
        .arg(code)
        .fetch_optional(conn)
        .await
}

pub async fn associations(conn: &mut Conn<'_>) -> AppResult<Vec<AssociationRow>> {
    Sql::new(&format!("SELECT {ASSOCIATION_COLUMNS} FROM partner_associations ORDER BY code")).fetch_all(conn).await
}

/// Makes a municipality a member of an association (or of none), replacing any membership it had.
pub async fn set_association_member(
    conn: &mut Conn<'_>,
    municipality_id: Uuid,
    association_id: Option<Uuid>,
) -> AppResult<()> {
    Sql::new("DELETE FROM partner_association_members WHERE municipality_id = $1")
        .arg(municipality_id)
        .execute(conn)
        .await?;
    if let Some(a) = association_id {
        Sql::new("INSERT INTO partner_association_members (municipality_id, association_id) VALUES ($1, $2)")
            .arg(municipality_id)
            .arg(a)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// (association, member municipality) pairs.
pub async fn association_members(conn: &mut Conn<'_>) -> AppResult<Vec<(Uuid, Uuid)>> {
    Sql::new("SELECT association_id, municipality_id FROM partner_association_members ORDER BY association_id, municipality_id")
        .fetch_all(conn)
        .await
}
