//! A matching instance file (`docs/matching-instance-format.md`) written into an empty database, so that a round
//! can be run and measured through the API on the same pools as the engine's benchmark
//! (`recovery-pool load-instance`).
//!
//! The instance names its own municipalities and skills; the database knows the reference ones. Each contributing
//! municipality of the instance becomes a Dutch municipality of the reference data and each hromada a Ukrainian
//! one, in order of first appearance (round robin if the instance has more than the reference data); a skill code
//! the reference data knows is kept, the others are given the remaining reference skills in order of their codes.
//! Every hromada gets one ENDORSED plan holding its needs, all OPEN. Commitments, exclusions and continuity pairs
//! are not loaded: in the service they come from assignments and ties, which a synthetic pool does not have; the
//! report counts what was left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::super::{Services, audit, now};
use super::snapshot::to_domain::{cefr, expert_status, priority, security_status};
use crate::domain::ExpertKind;
use crate::domain::{AppError, AppResult, NeedStatus, PlanStatus, new_id};
use crate::matching::Pool;
use crate::matching::model::{self, Mode};
use crate::store::expert::{ExpertFilter, ExpertRow, ExpertSkillRow, ExpertWrite, LanguageRow};
use crate::store::municipality::{MunicipalityFilter, MunicipalityRow};
use crate::store::need::{NeedRow, RoleRow, RoleWrite};
use crate::store::plan::{PlanFilter, PlanRow, Visibility};
use crate::store::{self, Conn};

/// What loading an instance wrote and left out.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub experts: usize,
    pub plans: usize,
    pub needs: usize,
    pub roles: usize,
    /// Commitments, exclusions and continuity pairs of the instance that were not loaded.
    pub commitments_left_out: usize,
    pub exclusions_left_out: usize,
    pub continuity_left_out: usize,
}

impl Services {
    /// Writes the pool into an empty database (reference data loaded), in one transaction with one audit event.
    pub async fn load_instance(&self, pool: &Pool) -> AppResult<LoadReport> {
        let mut tx = self.db.begin().await?;
        let mut conn = tx.conn();
        super::super::reference::load_if_empty(&mut conn).await?;
        refuse_unless_empty(&mut conn).await?;
        let municipalities = {
            let total = store::municipality::count_all(&mut conn).await?;
            store::municipality::list(&mut conn, &MunicipalityFilter::default(), None, total.max(1) as usize)
                .await?
                .items
        };
        let skills = store::skill::all(&mut conn).await?;
        let mut report = LoadReport::default();
        let skill_map = SkillMap::new(pool, &skills)?;
        let dutch = side(&municipalities, "CONTRIBUTING")?;
        let ukrainian = side(&municipalities, "RECOVERING")?;
        let contributing = by_first_appearance(pool.experts.iter().map(|e| e.municipality_id), &dutch);
        let recovering = by_first_appearance(pool.needs.iter().map(|n| n.municipality_id), &ukrainian);
        let today = now().date_naive();

        for (i, e) in pool.experts.iter().enumerate() {
            report.commitments_left_out += e.commitments.len();
            report.exclusions_left_out += e.excluded_needs.len();
            let row = ExpertRow {
                id: e.id,
                municipality_id: contributing[&e.municipality_id],
                name: format!("Expert {}", i + 1),
                email: format!("expert-{}@instance.invalid", i + 1),
                phone: None,
                job_title: "Municipal specialist".into(),
                bio: None,
                hours_per_week: i32::from(e.hours_per_week),
                available_from: e.available_from,
                available_until: e.available_until,
                remote: e.modes.contains(Mode::Remote),
                on_site: e.modes.contains(Mode::OnSite),
                hosting: e.modes.contains(Mode::Hosting),
                status: expert_status(e.status),
                consent_date: today,
                created_at: now(),
                updated_at: now(),
                kind: ExpertKind::MunicipalStaff,
            };
            let skills: Vec<ExpertSkillRow> = e
                .skills
                .iter()
                .map(|s| ExpertSkillRow {
                    expert_id: e.id,
                    skill_id: skill_map.id(&s.skill),
                    level: i32::from(s.level),
                    years: None,
                })
                .collect();
            let languages: Vec<LanguageRow> = e
                .languages
                .iter()
                .map(|l| LanguageRow { owner_id: e.id, language: l.language.clone(), level: cefr(l.level) })
                .collect();
            store::expert::insert(&mut conn, ExpertWrite { row: &row, skills: &skills, languages: &languages }).await?;
            report.experts += 1;
        }

        // One ENDORSED plan per hromada, spanning its needs.
        let mut plans: BTreeMap<Uuid, PlanRow> = BTreeMap::new();
        for n in &pool.needs {
            let m = recovering[&n.municipality_id];
            let plan = plans.entry(m).or_insert_with(|| PlanRow {
                id: new_id(),
                municipality_id: m,
                title: "Local recovery plan".into(),
                summary: "Loaded from a matching instance file.".into(),
                sectors: "GOVERNANCE".into(),
                period_start: n.start,
                period_end: n.end,
                programme: None,
                status: PlanStatus::Endorsed,
                return_reason: None,
                created_by: None,
                created_at: now(),
                updated_at: now(),
            });
            plan.period_start = plan.period_start.min(n.start);
            plan.period_end = plan.period_end.max(n.end);
        }
        let mut security: BTreeMap<Uuid, model::SecurityStatus> = BTreeMap::new();
        for n in &pool.needs {
            security.insert(recovering[&n.municipality_id], n.security);
        }
        for (m, status) in &security {
            store::municipality::set_security_status(&mut conn, *m, security_status(*status)).await?;
        }
        for plan in plans.values() {
            store::plan::insert(&mut conn, plan).await?;
            report.plans += 1;
        }
        for n in &pool.needs {
            let municipality_id = recovering[&n.municipality_id];
            let roles: Vec<RoleWrite> = n
                .roles
                .iter()
                .enumerate()
                .map(|(position, r)| RoleWrite {
                    role: RoleRow {
                        id: r.id,
                        need_id: n.id,
                        position: position as i32,
                        title: r.title.clone(),
                        seats: i32::from(r.open_seats),
                        hours_per_week: i32::from(r.hours_per_week),
                        interpreter_available: r.interpreter_available,
                    },
                    skills: r
                        .skills
                        .iter()
                        .map(|s| (skill_map.id(&s.skill), i32::from(s.min_level), s.essential))
                        .collect(),
                    languages: r.languages.iter().map(|l| (l.language.clone(), cefr(l.min_level))).collect(),
                })
                .collect();
            let row = NeedRow {
                id: n.id,
                plan_id: plans[&municipality_id].id,
                municipality_id,
                plan_status: plans[&municipality_id].status,
                title: n.roles.first().map_or_else(|| "Need".to_string(), |r| r.title.clone()),
                description: "Loaded from a matching instance file.".into(),
                sector: "GOVERNANCE".into(),
                start_date: n.start,
                end_date: n.end,
                remote: n.modes.contains(Mode::Remote),
                on_site: n.modes.contains(Mode::OnSite),
                hosting: n.modes.contains(Mode::Hosting),
                priority: priority(n.priority),
                status: NeedStatus::Open,
                dream_project_id: None,
                created_by: None,
                created_at: now(),
                updated_at: now(),
            };
            store::need::insert(&mut conn, &row, &roles).await?;
            report.needs += 1;
            report.roles += roles.len();
        }
        report.continuity_left_out = pool.continuity.len();
        let summary = serde_json::json!({
            "experts": report.experts, "plans": report.plans, "needs": report.needs, "roles": report.roles,
        });
        audit(&mut conn, None, "instance.load", new_id(), None, Some(summary)).await?;
        tx.commit().await?;
        Ok(report)
    }
}

/// A synthetic pool never mixes with real experts, plans or accounts.
async fn refuse_unless_empty(conn: &mut Conn<'_>) -> AppResult<()> {
    let experts = store::expert::count(conn, &ExpertFilter::default()).await?;
    let plans =
        store::plan::count(conn, &PlanFilter::default(), &Visibility { all: true, ..Default::default() }).await?;
    if experts + plans > 0 {
        return Err(AppError::conflict(format!(
            "an instance loads only into a database without experts or plans; this one holds {experts} experts and \
             {plans} plans"
        )));
    }
    Ok(())
}

/// The reference municipalities of one side, by code.
fn side(all: &[MunicipalityRow], side: &str) -> AppResult<Vec<Uuid>> {
    let mut rows: Vec<&MunicipalityRow> = all.iter().filter(|m| m.side.as_str() == side).collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    if rows.is_empty() {
        return Err(AppError::conflict(format!("the reference data holds no {side} municipality")));
    }
    Ok(rows.into_iter().map(|m| m.id).collect())
}

/// Each distinct id, in order of first appearance, paired with the next reference municipality (round robin).
fn by_first_appearance(ids: impl Iterator<Item = Uuid>, reference: &[Uuid]) -> HashMap<Uuid, Uuid> {
    let mut map = HashMap::new();
    for id in ids {
        let next = reference[map.len() % reference.len()];
        map.entry(id).or_insert(next);
    }
    map
}

/// Instance skill codes to reference skills: the same code when the reference knows it, otherwise the next unused
/// reference skill in order of codes.
struct SkillMap {
    ids: HashMap<String, Uuid>,
}

impl SkillMap {
    fn new(pool: &Pool, reference: &[crate::store::skill::SkillRow]) -> AppResult<SkillMap> {
        let codes: BTreeSet<&str> = pool
            .experts
            .iter()
            .flat_map(|e| e.skills.iter().map(|s| s.skill.as_str()))
            .chain(
                pool.needs.iter().flat_map(|n| n.roles.iter().flat_map(|r| r.skills.iter().map(|s| s.skill.as_str()))),
            )
            .collect();
        let by_code: HashMap<String, Uuid> = reference.iter().map(|s| (s.code.to_lowercase(), s.id)).collect();
        let mut ids = HashMap::new();
        let mut unused: Vec<&crate::store::skill::SkillRow> =
            reference.iter().filter(|s| !codes.iter().any(|c| c.eq_ignore_ascii_case(&s.code))).collect();
        unused.sort_by(|a, b| a.code.cmp(&b.code));
        let mut unused = unused.into_iter();
        for code in codes {
            let id = match by_code.get(&code.to_lowercase()) {
                Some(id) => *id,
                None => {
                    unused
                        .next()
                        .ok_or_else(|| {
                            AppError::invalid("skills", "the instance uses more skills than the reference data holds")
                        })?
                        .id
                }
            };
            ids.insert(code.to_string(), id);
        }
        Ok(SkillMap { ids })
    }

    /// Every code of the pool was mapped in `new`.
    fn id(&self, code: &str) -> Uuid {
        self.ids[code]
    }
}
