//! Municipalities and skills: the reference data of the pool.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object};
use uuid::Uuid;

use super::connection::{CountOf, List, after_key, connection};
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use crate::domain::input::{MunicipalityInput, SkillInput};
use crate::domain::{SecurityStatus, Side};
use crate::store::municipality::{MunicipalityFilter, MunicipalityRow};
use crate::store::skill::SkillRow;

/// A municipality: a contributing one (lends staff) or a recovering one (a Ukrainian hromada or Kyiv).
pub struct Municipality(pub Arc<MunicipalityRow>);

impl From<MunicipalityRow> for Municipality {
    fn from(row: MunicipalityRow) -> Self {
        Municipality(Arc::new(row))
    }
}

/// A municipality: a contributing one (lends staff) or a recovering one (a Ukrainian hromada or Kyiv).
#[Object]
impl Municipality {
    /// The municipality's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> &str {
        &self.0.country
    }
    /// Official code: CBS `GMxxxx` in the Netherlands, KATOTTG `UA…` in Ukraine.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Name in English or the usual international form.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Name in the local language (Ukrainian for hromadas).
    async fn name_local(&self) -> &str {
        &self.0.name_local
    }
    /// Name in Latin script (official transliteration for Ukrainian names).
    async fn name_latin(&self) -> &str {
        &self.0.name_latin
    }
    /// Province (NL), oblast (UA) or equivalent.
    async fn region(&self) -> &str {
        &self.0.region
    }
    /// Contributing (lends staff) or recovering (carries out a recovery plan).
    async fn side(&self) -> Side {
        self.0.side
    }
    /// Security status, kept up to date by AUC (recovering municipalities only). Null means not yet assessed,
    /// and no on-site work is proposed there until it is.
    async fn security_status(&self) -> async_graphql::Result<Option<SecurityStatus>> {
        Ok(self.0.security_status)
    }
    /// Population on 1 January 2022 (before the full-scale invasion), where known.
    async fn population(&self) -> Option<i32> {
        self.0.population
    }
    /// Latitude of the administrative centre, where known.
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }
    /// Longitude of the administrative centre, where known.
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }
}

/// An entry of the curated skill list for municipal recovery work.
pub struct Skill(pub SkillRow);

/// An entry of the curated skill list for municipal recovery work.
#[Object]
impl Skill {
    /// The skill's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Stable code, e.g. `DISTRICT_HEATING`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Category (sector), e.g. `ENERGY`.
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// Label in English.
    async fn label_en(&self) -> &str {
        &self.0.label_en
    }
    /// Label in Dutch.
    async fn label_nl(&self) -> &str {
        &self.0.label_nl
    }
    /// Label in Ukrainian.
    async fn label_uk(&self) -> &str {
        &self.0.label_uk
    }
    /// ESCO v1.2.0 skill group code, where one fits.
    async fn esco_group(&self) -> Option<&str> {
        self.0.esco_group.as_deref()
    }
}

/// Filters for the municipality list.
#[derive(InputObject, Default)]
pub struct MunicipalityFilterInput {
    /// ISO country code, e.g. `NL` or `UA`.
    pub country: Option<String>,
    /// Exact region (province or oblast) name.
    pub region: Option<String>,
    /// Municipalities of this side: contributing or recovering.
    pub side: Option<Side>,
    /// Municipalities with this security status.
    pub security_status: Option<SecurityStatus>,
    /// Text to find in any of the names (case-insensitive).
    pub search: Option<String>,
}

impl MunicipalityFilterInput {
    fn into_filter(self) -> ApiResult<MunicipalityFilter> {
        let f = self;
        Ok(MunicipalityFilter {
            country: f.country.map(|c| c.trim().to_uppercase()),
            region: f.region,
            side: f.side,
            security_status: f.security_status,
            search: crate::domain::input::search("filter.search", f.search.as_deref()).api()?.map(|s| s.to_lowercase()),
        })
    }
}

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Municipalities, ordered by name, with filters.
    async fn municipalities(
        &self,
        ctx: &Context<'_>,
        filter: Option<MunicipalityFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<Municipality, (String, Uuid)>> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default().into_filter()?;
        let cursor = after_key(after.as_deref())?;
        let page = r.services.municipalities(r.principal(), &f, cursor, first).await.api()?;
        Ok(connection(
            page,
            after.is_some(),
            CountOf::Municipalities(f),
            |m| (m.name.clone(), m.id),
            Municipality::from,
        ))
    }

    /// One municipality.
    async fn municipality(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Municipality> {
        let r = rc(ctx);
        let id = super::parse_id(&id, "id")?;
        Ok(Municipality::from(r.services.municipality(r.principal(), id).await.api()?))
    }

    /// The regions (provinces, oblasts) of a country, for filters.
    async fn regions(&self, ctx: &Context<'_>, country: String) -> ApiResult<Vec<String>> {
        let r = rc(ctx);
        Ok(r.services.regions(r.principal(), &country).await.api()?)
    }

    /// The whole skill list, by category and code.
    async fn skills(&self, ctx: &Context<'_>) -> ApiResult<Vec<Skill>> {
        let r = rc(ctx);
        Ok(r.services.skills(r.principal()).await.api()?.into_iter().map(Skill).collect())
    }
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// Adds a municipality that is not in the reference data (pool coordinators, admins).
    async fn create_municipality(&self, ctx: &Context<'_>, input: MunicipalityInput) -> ApiResult<Municipality> {
        let r = rc(ctx);
        Ok(Municipality::from(r.services.create_municipality(r.principal(), input).await.api()?))
    }

    /// Sets a Ukrainian municipality's security status (AUC, admins).
    async fn set_security_status(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        status: SecurityStatus,
    ) -> ApiResult<Municipality> {
        let r = rc(ctx);
        let id = super::parse_id(&municipality_id, "municipalityId")?;
        Ok(Municipality::from(r.services.set_security_status(r.principal(), id, status).await.api()?))
    }

    /// Adds a skill to the list (pool coordinators, admins).
    async fn create_skill(&self, ctx: &Context<'_>, input: SkillInput) -> ApiResult<Skill> {
        let r = rc(ctx);
        Ok(Skill(r.services.create_skill(r.principal(), input).await.api()?))
    }

    /// Changes a skill's code, category or labels (pool coordinators, admins).
    async fn update_skill(&self, ctx: &Context<'_>, id: ID, input: SkillInput) -> ApiResult<Skill> {
        let r = rc(ctx);
        let id = super::parse_id(&id, "id")?;
        Ok(Skill(r.services.update_skill(r.principal(), id, input).await.api()?))
    }
}
