//! Matching in the service: candidates for one role, global rounds kept for review, and turning proposals
//! into PROPOSED assignments. The engine (`crate::matching`) is pure; this module feeds it snapshots read
//! from the store, runs rounds off the async threads, and re-checks every proposal inside the transaction
//! that writes it, so that no expert is ever booked over the hours they offer.

pub mod instance_load;
pub mod snapshot;

use uuid::Uuid;

use super::{Services, audit, found, now, page_size, snapshot as audit_snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::assignment::AssignmentStatus;
use crate::domain::{AppError, AppResult, NeedStatus, new_id};
use crate::matching::{self, CandidateIndex, Explanation, Params, Pool};
use crate::store::assignment::AssignmentRow;
use crate::store::matching_round::{ProposalRow, RoundRow};
use crate::store::notification::NotificationRow;
use crate::store::pool::ExpertScope;
use crate::store::sql::Page;
use crate::store::{self, Conn};

/// The largest `k` for candidates.
pub const MAX_CANDIDATES: usize = 50;

/// One candidate for a role, with the score's explanation.
#[derive(Debug, Clone)]
pub struct CandidateView {
    pub expert_id: Uuid,
    pub score: u16,
    pub explanation: Explanation,
}

/// What committing a round's proposals did: the assignments made, and the proposals that no longer fit.
#[derive(Debug, Clone, Default)]
pub struct CommitOutcome {
    pub assignments: Vec<AssignmentRow>,
    /// (position in the round, why it was not committed)
    pub skipped: Vec<(i32, String)>,
}

/// A need (open, with its one role looked up) and the experts of `scope`, as an engine pool.
async fn pool_for(conn: &mut Conn<'_>, need_id: Uuid, scope: &ExpertScope) -> AppResult<Pool> {
    let needs = snapshot::needs(store::pool::open_needs(conn, Some(need_id)).await?)?;
    let experts = snapshot::experts(store::pool::experts(conn, scope).await?)?;
    let continuity = store::pool::continuity(conn).await?;
    Ok(Pool { experts, needs, continuity })
}

/// The need and role of `pool` by id (the pool holds at most the one need).
fn need_and_role(pool: &Pool, role_id: Uuid) -> AppResult<(&matching::model::Need, &matching::model::Role)> {
    pool.needs
        .iter()
        .find_map(|n| n.roles.iter().find(|r| r.id == role_id).map(|r| (n, r)))
        .ok_or_else(|| AppError::conflict("the need is not OPEN, so it takes no proposals"))
}

impl Services {
    /// The best `k` eligible experts for a role of an open need.
    pub async fn candidates(
        &self,
        p: Option<&Principal>,
        need_id: Uuid,
        role_id: Uuid,
        k: usize,
    ) -> AppResult<Vec<CandidateView>> {
        crate::auth::policy::require(p)?;
        let mut c = self.db.acquire().await?;
        let need = found(store::need::get(&mut c.conn(), need_id).await?, "need")?;
        let plan = found(store::plan::get(&mut c.conn(), need.plan_id).await?, "recovery plan")?;
        let seen = crate::auth::policy::sees_need(p, need.municipality_id, need.status, plan.status);
        crate::auth::policy::check_object(
            p,
            Op::ViewCandidates,
            Target::municipality(need.municipality_id),
            seen,
            "need",
        )?;
        if need.status != NeedStatus::Open {
            return Ok(Vec::new());
        }
        let roles = store::need::roles_with_skills(&mut c.conn(), &[need_id]).await?;
        let Some((_, skills)) = roles.iter().find(|(r, _)| r.id == role_id) else {
            return Err(AppError::not_found("role"));
        };
        // Only experts holding every essential skill at its level can be eligible: let SQL narrow the pool.
        let essential: Vec<(String, i32)> =
            skills.iter().filter(|s| s.essential).map(|s| (s.code.clone(), s.min_level)).collect();
        let pool = pool_for(&mut c.conn(), need_id, &ExpertScope::WithSkills(essential)).await?;
        let (need, role) = need_and_role(&pool, role_id)?;
        let index = CandidateIndex::build(&pool, &Params::default());
        Ok(matching::candidates(&index, need, role, k.min(MAX_CANDIDATES))
            .into_iter()
            .map(|c| CandidateView { expert_id: c.expert_id, score: c.score, explanation: c.explanation })
            .collect())
    }

    /// Runs a round over the chosen open needs (all open needs when none are named) and keeps it, with its
    /// proposals, for review. The solve runs on a blocking thread so other requests go on meanwhile.
    pub async fn run_round(
        &self,
        p: Option<&Principal>,
        need_ids: Option<Vec<Uuid>>,
        params: Params,
    ) -> AppResult<RoundRow> {
        check(p, Op::RunMatching, Target::NONE)?;
        params.validate().map_err(|e| AppError::invalid(e.field, e.reason))?;
        let loading = std::time::Instant::now();
        let pool = {
            let mut c = self.db.acquire().await?;
            let mut conn = c.conn();
            let needs = snapshot::needs(store::pool::open_needs(&mut conn, None).await?)?;
            let experts = snapshot::experts(store::pool::experts(&mut conn, &ExpertScope::AllActive).await?)?;
            let continuity = store::pool::continuity(&mut conn).await?;
            Pool { experts, needs, continuity }
        };
        if let Some(ids) = &need_ids {
            for (i, id) in ids.iter().enumerate() {
                if !pool.needs.iter().any(|n| n.id == *id) {
                    return Err(AppError::invalid(format!("needIds[{i}]"), "is not an OPEN need"));
                }
            }
        }
        let load_ms = loading.elapsed().as_secs_f64() * 1000.0;
        let need_count = need_ids.as_ref().map_or(pool.needs.len(), Vec::len);
        let expert_count = pool.experts.len();
        let solver_params = params.clone();
        let result = tokio::task::spawn_blocking(move || matching::round(&pool, need_ids.as_deref(), &solver_params))
            .await
            .map_err(AppError::internal)?;
        let mut round = RoundRow {
            id: new_id(),
            status: crate::domain::RoundStatus::Done,
            params: serde_json::to_string(&params).map_err(AppError::internal)?,
            need_count: need_count as i32,
            expert_count: expert_count as i32,
            eligible_pairs: None,
            objective: None,
            stats: None,
            error: None,
            run_by: p.map(|p| p.user_id),
            created_at: now(),
            finished_at: Some(now()),
        };
        let storing = std::time::Instant::now();
        let mut proposals = Vec::new();
        let mut stats = None;
        match result {
            Ok(mut r) => {
                r.stats.timings.load_ms = load_ms;
                round.eligible_pairs = Some(r.stats.eligible_pairs as i64);
                round.objective = Some(r.objective);
                round.stats = Some(serde_json::to_string(&r.stats).map_err(AppError::internal)?);
                stats = Some(r.stats);
                for (i, prop) in r.proposals.iter().enumerate() {
                    proposals.push(ProposalRow {
                        round_id: round.id,
                        position: i as i32,
                        need_id: prop.need_id,
                        role_id: prop.role_id,
                        expert_id: prop.expert_id,
                        score: i32::from(prop.score),
                        explanation: serde_json::to_string(&prop.explanation).map_err(AppError::internal)?,
                        assignment_id: None,
                    });
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "a matching round failed");
                round.status = crate::domain::RoundStatus::Failed;
                round.error = Some(e.to_string());
            }
        }
        let mut tx = self.db.begin().await?;
        store::matching_round::insert(&mut tx.conn(), &round).await?;
        store::matching_round::insert_proposals(&mut tx.conn(), &proposals).await?;
        audit(&mut tx.conn(), p, "round.run", round.id, None, audit_snapshot(&round)).await?;
        if let Some(mut stats) = stats {
            // The time to store is known only now; the round keeps it with the engine's phases.
            stats.timings.store_ms = storing.elapsed().as_secs_f64() * 1000.0;
            round.stats = Some(serde_json::to_string(&stats).map_err(AppError::internal)?);
            store::matching_round::set_stats(&mut tx.conn(), round.id, round.stats.as_deref()).await?;
        }
        tx.commit().await?;
        Ok(round)
    }

    pub async fn round(&self, p: Option<&Principal>, id: Uuid) -> AppResult<RoundRow> {
        check(p, Op::RunMatching, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        found(store::matching_round::get(&mut c.conn(), id).await?, "matching round")
    }

    pub async fn rounds(
        &self,
        p: Option<&Principal>,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<RoundRow>> {
        check(p, Op::RunMatching, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::matching_round::list(&mut c.conn(), after, first).await
    }

    pub async fn round_proposals(&self, p: Option<&Principal>, round_id: Uuid) -> AppResult<Vec<ProposalRow>> {
        check(p, Op::RunMatching, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::matching_round::proposals(&mut c.conn(), round_id).await
    }

    /// Commits the chosen proposals of a round as PROPOSED assignments, each in its own transaction and each
    /// re-checked against the pool as it is now; those that no longer fit are reported, not forced.
    pub async fn commit_proposals(
        &self,
        p: Option<&Principal>,
        round_id: Uuid,
        positions: &[i32],
    ) -> AppResult<CommitOutcome> {
        check(p, Op::ProposeAssignment, Target::NONE)?;
        let known = {
            let mut c = self.db.acquire().await?;
            found(store::matching_round::get(&mut c.conn(), round_id).await?, "matching round")?;
            store::matching_round::proposals(&mut c.conn(), round_id).await?
        };
        // Every position is checked before any is committed, so bad input changes nothing.
        for (i, &position) in positions.iter().enumerate() {
            if positions[..i].contains(&position) {
                return Err(AppError::invalid(format!("positions[{i}]"), "is listed twice"));
            }
            if !known.iter().any(|k| k.position == position) {
                return Err(AppError::invalid(format!("positions[{i}]"), "the round has no proposal at this position"));
            }
        }
        let mut out = CommitOutcome::default();
        for (i, &position) in positions.iter().enumerate() {
            let mut tx = self.db.begin().await?;
            let Some(prop) = store::matching_round::proposal_for_update(&mut tx.conn(), round_id, position).await?
            else {
                return Err(AppError::invalid(format!("positions[{i}]"), "the round has no proposal at this position"));
            };
            if prop.assignment_id.is_some() {
                out.skipped.push((position, "already committed".into()));
                continue;
            }
            match propose_in(
                &mut tx.conn(),
                &self.settings.public_url,
                p,
                prop.need_id,
                prop.role_id,
                prop.expert_id,
                Some(round_id),
            )
            .await
            {
                Ok((a, notified)) => {
                    store::matching_round::set_proposal_assignment(&mut tx.conn(), round_id, position, a.id).await?;
                    tx.commit().await?;
                    self.after_commit(notified);
                    out.assignments.push(a);
                }
                Err(AppError::Conflict(reason)) => out.skipped.push((position, reason)),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// A coordinator proposes an expert they picked for a role: the same eligibility rules as the matcher.
    pub async fn propose_assignment(
        &self,
        p: Option<&Principal>,
        role_id: Uuid,
        expert_id: Uuid,
    ) -> AppResult<AssignmentRow> {
        check(p, Op::ProposeAssignment, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        let role = store::need::role(&mut tx.conn(), role_id)
            .await?
            .ok_or_else(|| AppError::invalid("roleId", "no such role"))?;
        if store::expert::get(&mut tx.conn(), expert_id).await?.is_none() {
            return Err(AppError::invalid("expertId", "no such expert"));
        }
        let (a, notified) =
            propose_in(&mut tx.conn(), &self.settings.public_url, p, role.need_id, role_id, expert_id, None).await?;
        tx.commit().await?;
        self.after_commit(notified);
        Ok(a)
    }
}

/// Writes one PROPOSED assignment inside the caller's transaction, after locking the need and then the expert
/// (always in that order, so two proposals cannot deadlock) and checking eligibility and open seats against
/// the rows as they are now. Anything that no longer fits is a `Conflict` naming why.
async fn propose_in(
    conn: &mut Conn<'_>,
    public_url: &str,
    p: Option<&Principal>,
    need_id: Uuid,
    role_id: Uuid,
    expert_id: Uuid,
    round_id: Option<Uuid>,
) -> AppResult<(AssignmentRow, Vec<NotificationRow>)> {
    let need = found(store::need::get_for_update(conn, need_id).await?, "need")?;
    if need.status != NeedStatus::Open {
        return Err(AppError::conflict(format!("the need is {}, not OPEN", need.status)));
    }
    let expert = found(store::expert::get_for_update(conn, expert_id).await?, "expert")?;
    let pool = pool_for(conn, need_id, &ExpertScope::One(expert_id)).await?;
    let (need_m, role) = need_and_role(&pool, role_id)?;
    if role.open_seats == 0 {
        return Err(AppError::conflict("every seat of this role is taken"));
    }
    let index = CandidateIndex::build(&pool, &Params::default());
    let explanation = match matching::evaluate(&index, need_m, role, expert_id) {
        Some(Ok(e)) => e,
        Some(Err(why)) => return Err(AppError::conflict(format!("the expert is not eligible: {why}"))),
        None => return Err(AppError::conflict("the expert is not in the pool")),
    };
    let t = now();
    let a = AssignmentRow {
        id: new_id(),
        need_id,
        role_id,
        expert_id,
        status: AssignmentStatus::Proposed,
        hours_per_week: i32::from(role.hours_per_week),
        start_date: explanation.period_start,
        end_date: explanation.period_end,
        score: i32::from(explanation.total),
        explanation: serde_json::to_string(&explanation).map_err(AppError::internal)?,
        round_id,
        reason: None,
        accepted_at: None,
        expert_agreed_at: None,
        released_at: None,
        started_at: None,
        completed_at: None,
        outcome_report: None,
        expert_feedback: None,
        expert_rating: None,
        recipient_feedback: None,
        recipient_rating: None,
        proposed_by: p.map(|p| p.user_id),
        created_at: t,
        updated_at: t,
    };
    store::assignment::insert(conn, &a).await?;
    audit(conn, p, "assignment.propose", a.id, None, audit_snapshot(&a)).await?;
    let notice = super::assignments::proposal_notice(&a, &need, &expert.name, expert.municipality_id);
    let notified = super::notifications::record(conn, public_url, p.map(|p| p.user_id), &[notice]).await?;
    Ok((a, notified))
}

impl Services {
    pub async fn count_rounds(&self, p: Option<&Principal>) -> AppResult<i64> {
        check(p, Op::RunMatching, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::matching_round::count(&mut c.conn()).await
    }
}
