//! Per-request DataLoaders: the SQL statements of a query do not grow with the page size. Created for each
//! request, so nothing cached crosses from one user to another.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use uuid::Uuid;

use super::error::to_graphql;
use crate::domain::AppResult;
use crate::service::Services;
use crate::store::expert::{ExpertRow, ExpertSkillRow, LanguageRow};
use crate::store::municipality::MunicipalityRow;
use crate::store::need::{NeedRow, RoleRow, RoleSkillRow};
use crate::store::plan::PlanRow;
use crate::store::skill::SkillRow;
use crate::store::{self, Conn};

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

macro_rules! loader {
    ($name:ident, $value:ty, |$conn:ident, $keys:ident| $body:expr) => {
        pub struct $name(Services);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let result: AppResult<HashMap<Uuid, $value>> = async {
                    let mut pooled = self.0.db.acquire().await?;
                    let $conn: &mut Conn<'_> = &mut pooled.conn();
                    let $keys = keys;
                    $body
                }
                .await;
                result.map_err(|e| to_graphql(&e))
            }
        }
    };
}

loader!(MunicipalityLoader, MunicipalityRow, |c, keys| {
    Ok(by_key(store::municipality::by_ids(c, keys).await?, |r| r.id))
});
loader!(ExpertLoader, ExpertRow, |c, keys| Ok(by_key(store::expert::by_ids(c, keys).await?, |r| r.id)));
loader!(NeedLoader, NeedRow, |c, keys| Ok(by_key(store::need::by_ids(c, keys).await?, |r| r.id)));
loader!(ExpertAcceptedLoader, Vec<Uuid>, |c, keys| {
    let mut map: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (expert, municipality) in store::assignment::accepted_need_municipalities(c, keys).await? {
        map.entry(expert).or_default().push(municipality);
    }
    Ok(map)
});
loader!(PlanLoader, PlanRow, |c, keys| Ok(by_key(store::plan::by_ids(c, keys).await?, |r| r.id)));
loader!(SkillLoader, SkillRow, |c, keys| Ok(by_key(store::skill::by_ids(c, keys).await?, |r| r.id)));
loader!(RolesLoader, Vec<(RoleRow, Vec<RoleSkillRow>)>, |c, keys| {
    Ok(grouped(store::need::roles_with_skills(c, keys).await?, |r| r.0.need_id))
});
loader!(RoleLanguagesLoader, Vec<LanguageRow>, |c, keys| {
    Ok(grouped(store::need::role_languages_of(c, keys).await?, |r| r.owner_id))
});
loader!(SeatsLoader, (i64, i64), |c, keys| {
    let rows = store::assignment::seats_of_roles(c, keys).await?;
    Ok(rows.into_iter().map(|(role, taken, filled)| (role, (taken, filled))).collect())
});
loader!(BookedHoursLoader, i64, |c, keys| {
    let today = chrono::Utc::now().date_naive();
    Ok(store::assignment::booked_hours(c, keys, today).await?.into_iter().collect())
});
loader!(ExpertSkillsLoader, Vec<ExpertSkillRow>, |c, keys| {
    Ok(grouped(store::expert::skills_of(c, keys).await?, |r| r.expert_id))
});
loader!(ExpertLanguagesLoader, Vec<LanguageRow>, |c, keys| {
    Ok(grouped(store::expert::languages_of(c, keys).await?, |r| r.owner_id))
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
    pub fn new(s: Services) -> Loaders {
        Loaders {
            municipality: make(MunicipalityLoader(s.clone())),
            expert: make(ExpertLoader(s.clone())),
            expert_accepted: make(ExpertAcceptedLoader(s.clone())),
            need: make(NeedLoader(s.clone())),
            plan: make(PlanLoader(s.clone())),
            skill: make(SkillLoader(s.clone())),
            roles: make(RolesLoader(s.clone())),
            role_languages: make(RoleLanguagesLoader(s.clone())),
            expert_skills: make(ExpertSkillsLoader(s.clone())),
            seats: make(SeatsLoader(s.clone())),
            booked_hours: make(BookedHoursLoader(s.clone())),
            expert_languages: make(ExpertLanguagesLoader(s)),
        }
    }
}
