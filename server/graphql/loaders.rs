//! Per-request DataLoaders: the SQL statements of a query do not grow with the page size. Created for each
//! request with its caller, so nothing cached crosses from one user to another, and they read through the
//! service (`service::batch`), which leaves out what the caller may not see.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use uuid::Uuid;

use super::error::to_graphql;
use crate::auth::Principal;
use crate::domain::AppResult;
use crate::service::Services;
use crate::store::expert::{ExpertRow, ExpertSkillRow, LanguageRow};
use crate::store::municipality::MunicipalityRow;
use crate::store::need::{NeedRow, RoleRow, RoleSkillRow};
use crate::store::plan::PlanRow;
use crate::store::skill::SkillRow;

/// How long a loader waits to gather keys. Resolvers of one list are polled together, so a short delay
/// batches them all; a long one only adds latency.
const BATCH_DELAY: Duration = Duration::from_micros(200);

fn by_key<V, K: std::hash::Hash + Eq>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, V> {
    rows.into_iter().map(|r| (key(&r), r)).collect()
}

fn grouped<V, K: std::hash::Hash + Eq>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for r in rows {
        map.entry(key(&r)).or_default().push(r);
    }
    map
}

/// What every loader holds: the services and the caller, whose visibility the service applies.
#[derive(Clone)]
pub struct Reader {
    services: Services,
    caller: Option<Principal>,
}

macro_rules! loader {
    ($name:ident, $value:ty, |$r:ident, $keys:ident| $body:expr) => {
        pub struct $name(Reader);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let ($r, $keys) = (&self.0, keys);
                let result: AppResult<HashMap<Uuid, $value>> = $body;
                result.map_err(|e| to_graphql(&e))
            }
        }
    };
}

loader!(MunicipalityLoader, Arc<MunicipalityRow>, |r, keys| {
    Ok(by_key(r.services.municipalities_by_ids(keys).await?.into_iter().map(Arc::new).collect(), |m| m.id))
});
loader!(ExpertLoader, ExpertRow, |r, keys| {
    Ok(by_key(r.services.experts_by_ids(r.caller.as_ref(), keys).await?, |e| e.id))
});
loader!(NeedLoader, NeedRow, |r, keys| {
    Ok(by_key(r.services.needs_by_ids(r.caller.as_ref(), keys).await?, |n| n.id))
});
loader!(ExpertAcceptedLoader, Vec<Uuid>, |r, keys| r.services.accepted_municipalities_of(keys).await);
loader!(PlanLoader, Arc<PlanRow>, |r, keys| {
    Ok(by_key(r.services.plans_by_ids(r.caller.as_ref(), keys).await?.into_iter().map(Arc::new).collect(), |p| p.id))
});
loader!(SkillLoader, SkillRow, |r, keys| Ok(by_key(r.services.skills_by_ids(keys).await?, |s| s.id)));
/// A role with the skills it asks for, read once per request and shared by every field that shows it (the
/// loader's cache hands out a clone of the value on every load).
pub struct TeamRole {
    pub role: RoleRow,
    pub skills: Vec<RoleSkillRow>,
}

loader!(RolesLoader, Arc<[Arc<TeamRole>]>, |r, keys| {
    let mut teams: HashMap<Uuid, Vec<Arc<TeamRole>>> = HashMap::new();
    for (role, skills) in r.services.roles_of_needs(keys).await? {
        teams.entry(role.need_id).or_default().push(Arc::new(TeamRole { role, skills }));
    }
    Ok(teams.into_iter().map(|(need, roles)| (need, roles.into())).collect())
});
loader!(RoleLanguagesLoader, Vec<LanguageRow>, |r, keys| {
    Ok(grouped(r.services.languages_of_roles(keys).await?, |l| l.owner_id))
});
loader!(SeatsLoader, (i64, i64), |r, keys| r.services.seats_of_roles(keys).await);
loader!(BookedHoursLoader, i64, |r, keys| { r.services.booked_hours_of(keys, chrono::Utc::now().date_naive()).await });
loader!(ExpertSkillsLoader, Vec<ExpertSkillRow>, |r, keys| {
    Ok(grouped(r.services.skills_of_experts(keys).await?, |s| s.expert_id))
});
loader!(ExpertLanguagesLoader, Vec<LanguageRow>, |r, keys| {
    Ok(grouped(r.services.languages_of_experts(keys).await?, |l| l.owner_id))
});

/// The loaders of one request.
pub struct Loaders {
    pub municipality: DataLoader<MunicipalityLoader, HashMapCache>,
    pub expert: DataLoader<ExpertLoader, HashMapCache>,
    pub expert_accepted: DataLoader<ExpertAcceptedLoader, HashMapCache>,
    pub need: DataLoader<NeedLoader, HashMapCache>,
    pub plan: DataLoader<PlanLoader, HashMapCache>,
    pub skill: DataLoader<SkillLoader, HashMapCache>,
    pub roles: DataLoader<RolesLoader, HashMapCache>,
    pub role_languages: DataLoader<RoleLanguagesLoader, HashMapCache>,
    pub expert_skills: DataLoader<ExpertSkillsLoader, HashMapCache>,
    pub seats: DataLoader<SeatsLoader, HashMapCache>,
    pub booked_hours: DataLoader<BookedHoursLoader, HashMapCache>,
    pub expert_languages: DataLoader<ExpertLanguagesLoader, HashMapCache>,
}

/// A loader with a per-request cache, so rows a list resolver prefetched are not read again by its children.
fn make<L: Loader<Uuid>>(l: L) -> DataLoader<L, HashMapCache> {
    DataLoader::with_cache(l, tokio::spawn, HashMapCache::default()).delay(BATCH_DELAY)
}

impl Loaders {
    pub fn new(services: Services, caller: Option<Principal>) -> Loaders {
        let r = Reader { services, caller };
        Loaders {
            municipality: make(MunicipalityLoader(r.clone())),
            expert: make(ExpertLoader(r.clone())),
            expert_accepted: make(ExpertAcceptedLoader(r.clone())),
            need: make(NeedLoader(r.clone())),
            plan: make(PlanLoader(r.clone())),
            skill: make(SkillLoader(r.clone())),
            roles: make(RolesLoader(r.clone())),
            role_languages: make(RoleLanguagesLoader(r.clone())),
            expert_skills: make(ExpertSkillsLoader(r.clone())),
            seats: make(SeatsLoader(r.clone())),
            booked_hours: make(BookedHoursLoader(r.clone())),
            expert_languages: make(ExpertLanguagesLoader(r)),
        }
    }
}
