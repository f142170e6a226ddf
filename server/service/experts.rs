//! Experts: volunteered by their municipality's officers, kept up to date by themselves.

use uuid::Uuid;

use super::municipalities::municipality_on_side;
use super::skills::skills_exist;
use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::input::ExpertProfileInput;
use crate::domain::{AppResult, ExpertKind, ExpertStatus, Side, WorkMode, new_id};
use crate::store::expert::{ExpertFilter, ExpertRow, ExpertSkillRow, ExpertWrite, LanguageRow};
use crate::store::sql::Page;
use crate::store::{self, Conn};

/// What the caller may do on the expert's profile.
pub fn expert_operations(p: Option<&Principal>, expert: &ExpertRow) -> Vec<Op> {
    crate::auth::policy::allowed(
        p,
        &[Op::EditExpert, Op::SetExpertStatus, Op::InviteExpert],
        Target::expert(expert.municipality_id, expert.id),
    )
}

/// The rows a validated profile becomes.
fn profile_rows(
    id: Uuid,
    municipality_id: Uuid,
    status: ExpertStatus,
    e: &ExpertProfileInput,
) -> (ExpertRow, Vec<ExpertSkillRow>, Vec<LanguageRow>) {
    let t = now();
    let row = ExpertRow {
        id,
        municipality_id,
        name: e.name.clone(),
        email: e.email.clone(),
        phone: e.phone.clone(),
        job_title: e.job_title.clone(),
        bio: e.bio.clone(),
        hours_per_week: e.hours_per_week,
        available_from: e.available_from,
        available_until: e.available_until,
        remote: e.modes.contains(&WorkMode::Remote),
        on_site: e.modes.contains(&WorkMode::OnSite),
        hosting: e.modes.contains(&WorkMode::Hosting),
        status,
        consent_date: e.consent_date,
        created_at: t,
        updated_at: t,
        kind: e.kind.unwrap_or(ExpertKind::MunicipalStaff),
    };
    let skills = e
        .skills
        .iter()
        .map(|s| ExpertSkillRow { expert_id: id, skill_id: s.skill_id, level: s.level, years: s.years })
        .collect();
    let languages = e
        .languages
        .iter()
        .map(|l| LanguageRow { owner_id: id, language: l.language.clone(), level: l.level })
        .collect();
    (row, skills, languages)
}

/// Whether writing `profile` over the expert would change nothing (the same sheet imported again).
pub(super) fn unchanged(
    before: &ExpertRow,
    skills: &[ExpertSkillRow],
    languages: &[LanguageRow],
    profile: &ExpertProfileInput,
) -> bool {
    let (row, new_skills, new_languages) = profile_rows(before.id, before.municipality_id, before.status, profile);
    let same_kind = profile.kind.is_none_or(|k| k == before.kind);
    let same_row = same_kind
        && (&row.name, &row.email, &row.phone, &row.job_title, &row.bio, row.hours_per_week)
            == (&before.name, &before.email, &before.phone, &before.job_title, &before.bio, before.hours_per_week)
        && (row.available_from, row.available_until, row.consent_date)
            == (before.available_from, before.available_until, before.consent_date)
        && (row.remote, row.on_site, row.hosting) == (before.remote, before.on_site, before.hosting);
    let skill_keys = |v: &[ExpertSkillRow]| {
        let mut k: Vec<_> = v.iter().map(|s| (s.skill_id, s.level, s.years)).collect();
        k.sort();
        k
    };
    let language_keys = |v: &[LanguageRow]| {
        let mut k: Vec<_> = v.iter().map(|l| (l.language.clone(), l.level)).collect();
        k.sort();
        k
    };
    same_row
        && skill_keys(skills) == skill_keys(&new_skills)
        && language_keys(languages) == language_keys(&new_languages)
}

async fn check_skills(conn: &mut Conn<'_>, e: &ExpertProfileInput) -> AppResult<()> {
    let ids: Vec<(String, Uuid)> =
        e.skills.iter().enumerate().map(|(i, s)| (format!("profile.skills[{i}].skillId"), s.skill_id)).collect();
    skills_exist(conn, &ids).await
}

/// Inserts a validated profile as a new ACTIVE expert of the municipality, audited, inside the caller's
/// transaction.
pub(super) async fn insert_in(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    municipality_id: Uuid,
    profile: &ExpertProfileInput,
) -> AppResult<ExpertRow> {
    let (row, skills, languages) = profile_rows(new_id(), municipality_id, ExpertStatus::Active, profile);
    store::expert::insert(conn, ExpertWrite { row: &row, skills: &skills, languages: &languages }).await?;
    let after = Profile { expert: &row, skills: &skills, languages: &languages };
    audit(conn, p, "expert.create", row.id, None, snapshot(&after)).await?;
    Ok(row)
}

/// Replaces an expert's profile with a validated one, keeping status and creation time, audited, inside the
/// caller's transaction.
pub(super) async fn update_in(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    before: &ExpertRow,
    profile: &ExpertProfileInput,
) -> AppResult<ExpertRow> {
    let id = before.id;
    let before_skills = store::expert::skills_of(conn, &[id]).await?;
    let before_languages = store::expert::languages_of(conn, &[id]).await?;
    let (mut row, skills, languages) = profile_rows(id, before.municipality_id, before.status, profile);
    row.created_at = before.created_at;
    if profile.kind.is_none() {
        row.kind = before.kind;
    }
    store::expert::update(conn, ExpertWrite { row: &row, skills: &skills, languages: &languages }).await?;
    let b = Profile { expert: before, skills: &before_skills, languages: &before_languages };
    let a = Profile { expert: &row, skills: &skills, languages: &languages };
    audit(conn, p, "expert.update", id, snapshot(&b), snapshot(&a)).await?;
    Ok(row)
}

/// An expert's full profile for the audit log.
#[derive(serde::Serialize)]
struct Profile<'a> {
    expert: &'a ExpertRow,
    skills: &'a [ExpertSkillRow],
    languages: &'a [LanguageRow],
}

impl Services {
    pub async fn experts(
        &self,
        p: Option<&Principal>,
        filter: &ExpertFilter,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<ExpertRow>> {
        check(p, Op::ReadPool, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::expert::list(&mut c.conn(), filter, after, first).await
    }

    pub async fn count_experts(&self, p: Option<&Principal>, filter: &ExpertFilter) -> AppResult<i64> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::expert::count(&mut c.conn(), filter).await
    }

    pub async fn expert(&self, p: Option<&Principal>, id: Uuid) -> AppResult<ExpertRow> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        found(store::expert::get(&mut c.conn(), id).await?, "expert")
    }

    /// A municipality officer (or an admin) volunteers a staff member into the pool.
    pub async fn create_expert(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        profile: ExpertProfileInput,
    ) -> AppResult<ExpertRow> {
        check(p, Op::CreateExpert, Target::municipality(municipality_id))?;
        let profile = profile.validate().map_err(|e| prefix(e, "profile"))?;
        let mut tx = self.db.begin().await?;
        municipality_on_side(&mut tx.conn(), municipality_id, Side::Contributing, "municipalityId").await?;
        check_skills(&mut tx.conn(), &profile).await?;
        let row = insert_in(&mut tx.conn(), p, municipality_id, &profile).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The expert themself or their municipality's officer replaces the profile.
    pub async fn update_expert(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        profile: ExpertProfileInput,
    ) -> AppResult<ExpertRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::expert::get_for_update(&mut tx.conn(), id).await?, "expert")?;
        check(p, Op::EditExpert, Target::expert(before.municipality_id, id))?;
        let profile = profile.validate().map_err(|e| prefix(e, "profile"))?;
        check_skills(&mut tx.conn(), &profile).await?;
        let row = update_in(&mut tx.conn(), p, &before, &profile).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// ACTIVE, PAUSED (takes no new proposals) or WITHDRAWN (leaves the pool).
    pub async fn set_expert_status(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        status: ExpertStatus,
    ) -> AppResult<ExpertRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::expert::get_for_update(&mut tx.conn(), id).await?, "expert")?;
        check(p, Op::SetExpertStatus, Target::expert(before.municipality_id, id))?;
        let consent = store::privacy::consent_state(&mut tx.conn(), id).await?;
        if consent.erased_at.is_some() {
            return Err(crate::domain::AppError::invalid("id", "this person has been erased"));
        }
        let rejoining = status != ExpertStatus::Withdrawn;
        if rejoining && consent.consent_withdrawn_at.is_some() && p.and_then(|p| p.expert_id) != Some(id) {
            return Err(crate::domain::AppError::invalid(
                "status",
                "this expert withdrew their consent to being in the pool: only they can rejoin, from their own account",
            ));
        }
        let t = now();
        store::expert::set_status(&mut tx.conn(), id, status, t).await?;
        if rejoining {
            // Rejoining from their own account is consenting anew.
            store::privacy::rejoin(&mut tx.conn(), id, t).await?;
        } else if before.status != ExpertStatus::Withdrawn {
            store::privacy::set_left(&mut tx.conn(), id, Some(t)).await?;
        }
        let after = found(store::expert::get(&mut tx.conn(), id).await?, "expert")?;
        audit(&mut tx.conn(), p, "expert.set_status", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Puts an input argument's name in front of a field path (`skills[0].level` → `profile.skills[0].level`).
pub fn prefix(e: crate::domain::AppError, arg: &str) -> crate::domain::AppError {
    match e {
        crate::domain::AppError::Invalid { field, reason } => {
            crate::domain::AppError::Invalid { field: format!("{arg}.{field}"), reason }
        }
        other => other,
    }
}
