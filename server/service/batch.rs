//! Reads by many ids at once, for the API's per-request DataLoaders: the nested objects of a page (a need's
//! plan, an assignment's expert, a need's roles) come from here, so they pass the same visibility rules as the
//! lists and single reads. A plan or need the caller may not see is left out, as if it did not exist; the
//! loader then reports it not found. Children keyed by a parent (a need's roles, an expert's skills) are read
//! for parents the caller has already been shown.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::Services;
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, allows, need_visibility, plan_visibility, visible};
use crate::domain::AppResult;
use crate::store::expert::{ExpertRow, ExpertSkillRow, LanguageRow};
use crate::store::municipality::MunicipalityRow;
use crate::store::need::{NeedRow, RoleRow, RoleSkillRow};
use crate::store::plan::PlanRow;
use crate::store::skill::SkillRow;
use crate::store::{self, Conn};

impl Services {
    /// Runs one batch read on a pooled connection.
    async fn batch<T>(&self, read: impl AsyncFnOnce(&mut Conn<'_>) -> AppResult<T>) -> AppResult<T> {
        let mut pooled = self.db.acquire().await?;
        read(&mut pooled.conn()).await
    }

    /// The plans among `ids` the caller sees.
    pub async fn plans_by_ids(&self, p: Option<&Principal>, ids: &[Uuid]) -> AppResult<Vec<PlanRow>> {
        let Some(v) = p.map(plan_visibility) else { return Ok(Vec::new()) };
        let rows = self.batch(async |c| store::plan::by_ids(c, ids).await).await?;
        Ok(rows.into_iter().filter(|r| visible(&v, r.municipality_id, r.status.as_str(), r.status.as_str())).collect())
    }

    /// The needs among `ids` the caller sees.
    pub async fn needs_by_ids(&self, p: Option<&Principal>, ids: &[Uuid]) -> AppResult<Vec<NeedRow>> {
        let Some(v) = p.map(need_visibility) else { return Ok(Vec::new()) };
        let rows = self.batch(async |c| store::need::by_ids(c, ids).await).await?;
        Ok(rows
            .into_iter()
            .filter(|r| visible(&v, r.municipality_id, r.status.as_str(), r.plan_status.as_str()))
            .collect())
    }

    /// The experts among `ids`, for a caller who may read the pool (contact details are guarded per field).
    pub async fn experts_by_ids(&self, p: Option<&Principal>, ids: &[Uuid]) -> AppResult<Vec<ExpertRow>> {
        if !allows(p, Op::ReadPool, Target::NONE) {
            return Ok(Vec::new());
        }
        self.batch(async |c| store::expert::by_ids(c, ids).await).await
    }

    /// Municipalities are reference data, public to all.
    pub async fn municipalities_by_ids(&self, ids: &[Uuid]) -> AppResult<Vec<MunicipalityRow>> {
        self.batch(async |c| store::municipality::by_ids(c, ids).await).await
    }

    /// Skills are reference data, public to all.
    pub async fn skills_by_ids(&self, ids: &[Uuid]) -> AppResult<Vec<SkillRow>> {
        self.batch(async |c| store::skill::by_ids(c, ids).await).await
    }

    /// The roles of needs, each with its skills.
    pub async fn roles_of_needs(&self, need_ids: &[Uuid]) -> AppResult<Vec<(RoleRow, Vec<RoleSkillRow>)>> {
        self.batch(async |c| store::need::roles_with_skills(c, need_ids).await).await
    }

    /// The languages roles ask for.
    pub async fn languages_of_roles(&self, role_ids: &[Uuid]) -> AppResult<Vec<LanguageRow>> {
        self.batch(async |c| store::need::role_languages_of(c, role_ids).await).await
    }

    /// Per role: seats taken (held by an assignment) and seats filled (accepted or further).
    pub async fn seats_of_roles(&self, role_ids: &[Uuid]) -> AppResult<HashMap<Uuid, (i64, i64)>> {
        let rows = self.batch(async |c| store::assignment::seats_of_roles(c, role_ids).await).await?;
        Ok(rows.into_iter().map(|(role, taken, filled)| (role, (taken, filled))).collect())
    }

    /// Per expert: hours a week booked from `today` on.
    pub async fn booked_hours_of(&self, expert_ids: &[Uuid], today: NaiveDate) -> AppResult<HashMap<Uuid, i64>> {
        Ok(self
            .batch(async |c| store::assignment::booked_hours(c, expert_ids, today).await)
            .await?
            .into_iter()
            .collect())
    }

    /// Per expert: the municipalities of the needs they accepted (whose officers then see their contact details).
    pub async fn accepted_municipalities_of(&self, expert_ids: &[Uuid]) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
        let rows = self.batch(async |c| store::assignment::accepted_need_municipalities(c, expert_ids).await).await?;
        let mut map: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (expert, municipality) in rows {
            map.entry(expert).or_default().push(municipality);
        }
        Ok(map)
    }

    /// The skills of experts.
    pub async fn skills_of_experts(&self, expert_ids: &[Uuid]) -> AppResult<Vec<ExpertSkillRow>> {
        self.batch(async |c| store::expert::skills_of(c, expert_ids).await).await
    }

    /// The languages of experts.
    pub async fn languages_of_experts(&self, expert_ids: &[Uuid]) -> AppResult<Vec<LanguageRow>> {
        self.batch(async |c| store::expert::languages_of(c, expert_ids).await).await
    }
}
