//! Matching in the API: candidates for a role, rounds kept for review, proposals committed as assignments.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::assignments::Assignment;
use super::connection::{CountOf, List, after_id, connection};
use super::context::rc;
use super::error::to_graphql;
use super::error::{ApiResult, ResultExt};
use super::experts::Expert;
use super::plans::{Need, NeedRole};
use super::reference::Municipality;
use super::{load_one, parse_id};
use crate::domain::{AppError, Cefr, WorkMode};
use crate::matching::model::Mode;
use crate::matching::{Explanation, Params, RoundStats};
use crate::service::matching::CandidateView;
use crate::service::matching::snapshot::to_domain::{cefr, priority};
use crate::store::matching_round::{ProposalRow, RoundRow};

/// Why an expert fits a role: the score's parts and what they rest on (docs/matching.md, explainable matching).
pub struct MatchExplanation(pub Explanation);

/// How one skill of the role is met.
#[derive(SimpleObject)]
pub struct SkillFit {
    /// Skill code.
    pub skill: String,
    /// Essential (must have) or desired (counts in the score).
    pub essential: bool,
    /// Minimum level 1–5 the role asks.
    pub min_level: i32,
    /// The expert's level; null when they lack the skill (a desired one).
    pub level: Option<i32>,
}

/// How one language of the role is met.
#[derive(SimpleObject)]
pub struct LanguageFit {
    /// ISO 639-1 code of the language, e.g. `uk`.
    pub language: String,
    /// The minimum CEFR level the role asks.
    pub min_level: Cefr,
    /// The expert's level; null when they do not speak it.
    pub level: Option<Cefr>,
}

/// Why an expert fits a role: the score's parts and what they rest on (docs/matching.md, explainable matching).
#[Object]
impl MatchExplanation {
    /// The score, 0–1000: the sum of the parts below.
    async fn total(&self) -> i32 {
        i32::from(self.0.total)
    }
    /// Part for how far the expert's levels exceed the essential skills' minimums.
    async fn essential_margin(&self) -> i32 {
        i32::from(self.0.parts.essential_margin)
    }
    /// Part for the desired skills the expert has.
    async fn desired_skills(&self) -> i32 {
        i32::from(self.0.parts.desired_skills)
    }
    /// Part for the shared language's level.
    async fn language(&self) -> i32 {
        i32::from(self.0.parts.language)
    }
    /// Part for the share of the need's period the expert is available.
    async fn period_coverage(&self) -> i32 {
        i32::from(self.0.parts.period_coverage)
    }
    /// Part for continuity: the expert's municipality already works with this hromada.
    async fn continuity(&self) -> i32 {
        i32::from(self.0.parts.continuity)
    }
    /// Every skill of the role with the expert's level.
    async fn skills(&self) -> Vec<SkillFit> {
        self.0
            .matched_skills
            .iter()
            .map(|s| SkillFit {
                skill: s.skill.clone(),
                essential: s.essential,
                min_level: i32::from(s.min_level),
                level: s.level.map(i32::from),
            })
            .collect()
    }
    /// Every language of the role with the expert's level.
    async fn languages(&self) -> Vec<LanguageFit> {
        self.0
            .languages
            .iter()
            .map(|l| LanguageFit {
                language: l.language.clone(),
                min_level: cefr(l.min_level),
                level: l.level.map(cefr),
            })
            .collect()
    }
    /// No shared language at the required level: the interpreter is relied on.
    async fn interpreter_needed(&self) -> bool {
        self.0.interpreter_needed
    }
    /// Share of the need's period the expert is available, in permille.
    async fn coverage_permille(&self) -> i32 {
        i32::from(self.0.coverage_permille)
    }
    /// The assignment period: the need's period within the expert's availability.
    async fn period_start(&self) -> NaiveDate {
        self.0.period_start
    }
    /// Last day of the assignment period.
    async fn period_end(&self) -> NaiveDate {
        self.0.period_end
    }
    /// Modes both sides accept, after the safety rule.
    async fn modes(&self) -> Vec<WorkMode> {
        self.0
            .modes
            .iter()
            .map(|m| match m {
                Mode::Remote => WorkMode::Remote,
                Mode::OnSite => WorkMode::OnSite,
                Mode::Hosting => WorkMode::Hosting,
            })
            .collect()
    }
    /// Hours per week the role asks.
    async fn hours_per_week(&self) -> i32 {
        i32::from(self.0.hours_per_week)
    }
    /// The expert's free hours per week in the period before this role.
    async fn free_hours_per_week(&self) -> i32 {
        i32::from(self.0.free_hours_per_week)
    }
    /// The expert's municipality already works with the need's municipality.
    async fn works_with_hromada(&self) -> bool {
        self.0.continuity
    }
}

pub(super) fn explanation(json: &str) -> async_graphql::Result<MatchExplanation> {
    serde_json::from_str(json).map(MatchExplanation).map_err(|e| super::error::to_graphql(&AppError::internal(e)))
}

/// One eligible expert for a role, best first.
pub struct Candidate(pub CandidateView);

/// One eligible expert for a role, best first.
#[Object]
impl Candidate {
    /// The eligible expert.
    async fn expert(&self, ctx: &Context<'_>) -> async_graphql::Result<Expert> {
        load_one(&rc(ctx).loaders.expert, self.0.expert_id, "expert").await.map(Expert)
    }
    /// Score 0–1000.
    async fn score(&self) -> i32 {
        i32::from(self.0.score)
    }
    /// Why the expert fits: the score's parts and what they rest on.
    async fn explanation(&self) -> MatchExplanation {
        MatchExplanation(self.0.explanation.clone())
    }
}

/// A proposal of a round: an expert for a seat of a role.
pub struct RoundProposal(ProposalRow);

/// A proposal of a round: an expert for a seat of a role.
#[Object]
impl RoundProposal {
    /// Position in the round; commit proposals by it.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The need the proposal is for.
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<Need> {
        load_one(&rc(ctx).loaders.need, self.0.need_id, "need").await.map(Need)
    }
    /// The role's id (the same as `role { id }`).
    async fn role_id(&self) -> ID {
        ID(self.0.role_id.to_string())
    }
    /// The role of the need's team.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<NeedRole> {
        NeedRole::load(ctx, self.0.need_id, self.0.role_id).await
    }
    /// The expert proposed.
    async fn expert(&self, ctx: &Context<'_>) -> async_graphql::Result<Expert> {
        load_one(&rc(ctx).loaders.expert, self.0.expert_id, "expert").await.map(Expert)
    }
    /// Score 0–1000 at the time of the round.
    async fn score(&self) -> i32 {
        self.0.score
    }
    /// The explanation at the time of the round.
    async fn explanation(&self) -> async_graphql::Result<MatchExplanation> {
        explanation(&self.0.explanation)
    }
    /// The assignment it became, once committed.
    async fn assignment_id(&self) -> Option<ID> {
        self.0.assignment_id.map(|a| ID(a.to_string()))
    }
}

/// One run of the global matcher, kept for review.
pub struct MatchingRound(RoundRow);

/// One run of the global matcher, kept for review.
#[Object]
impl MatchingRound {
    /// The round's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// How the round ended.
    async fn status(&self) -> crate::domain::RoundStatus {
        self.0.status
    }
    /// The parameters the round was run with.
    async fn params(&self) -> async_graphql::Result<RoundParams> {
        let p: Params = serde_json::from_str(&self.0.params).map_err(|e| to_graphql(&AppError::internal(e)))?;
        Ok(RoundParams::from(&p))
    }
    /// Open needs the round covered.
    async fn need_count(&self) -> i32 {
        self.0.need_count
    }
    /// Active experts in the pool at the time.
    async fn expert_count(&self) -> i32 {
        self.0.expert_count
    }
    /// Eligible (expert, role) pairs considered.
    async fn eligible_pairs(&self) -> Option<i64> {
        self.0.eligible_pairs
    }
    /// The optimum: total score plus priority rewards minus the municipality penalties.
    async fn objective(&self) -> Option<i64> {
        self.0.objective
    }
    /// What the round considered and found, the solver's work and the time of each phase (none when it failed).
    async fn stats(&self) -> async_graphql::Result<Option<RoundFigures>> {
        let Some(text) = &self.0.stats else { return Ok(None) };
        let s: RoundStats = serde_json::from_str(text).map_err(|e| to_graphql(&AppError::internal(e)))?;
        Ok(Some(RoundFigures::from(&s)))
    }
    /// Why the round failed, if it did.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// Who ran it.
    async fn run_by(&self) -> Option<ID> {
        self.0.run_by.map(|u| ID(u.to_string()))
    }
    /// When the round was run (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The proposals, by need and role.
    async fn proposals(&self, ctx: &Context<'_>) -> ApiResult<Vec<RoundProposal>> {
        let r = rc(ctx);
        Ok(r.services.round_proposals(r.principal(), self.0.id).await.api()?.into_iter().map(RoundProposal).collect())
    }
}

/// The weights of the score's parts (they add up to at most 1000).
#[derive(SimpleObject)]
pub struct ScoreWeights {
    /// How far the expert's levels exceed the essential minimums.
    pub essential_margin: i32,
    /// Desired skills the expert has.
    pub desired_skills: i32,
    /// How well the expert's languages fit.
    pub language: i32,
    /// The share of the need's period the expert is available.
    pub period_coverage: i32,
    /// The expert's municipality already works with the hromada.
    pub continuity: i32,
}

/// The reward for filling a seat, per priority of the need.
#[derive(SimpleObject)]
pub struct PriorityRewardValues {
    /// For a seat of a CRITICAL need.
    pub critical: i32,
    /// For a seat of a HIGH need.
    pub high: i32,
    /// For a seat of a MEDIUM need.
    pub medium: i32,
    /// For a seat of a LOW need.
    pub low: i32,
}

/// The parameters a round was run with.
#[derive(SimpleObject)]
pub struct RoundParams {
    /// The weights of the score's parts.
    pub weights: ScoreWeights,
    /// The share of the need's period (permille) an expert must be available for.
    pub min_period_coverage_permille: i32,
    /// The reward per filled seat, by the need's priority.
    pub priority_rewards: PriorityRewardValues,
    /// The k-th expert drawn from one municipality in one round costs `municipalityPenalty · (k − 1)`.
    pub municipality_penalty: i32,
    /// Whether priority came first: no seat of a higher priority left empty while one of its eligible experts
    /// fills a seat of a lower one.
    pub priority_first: bool,
}

impl From<&Params> for RoundParams {
    fn from(p: &Params) -> Self {
        let w = &p.weights;
        let r = &p.priority_rewards;
        let int = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        RoundParams {
            weights: ScoreWeights {
                essential_margin: w.essential_margin.into(),
                desired_skills: w.desired_skills.into(),
                language: w.language.into(),
                period_coverage: w.period_coverage.into(),
                continuity: w.continuity.into(),
            },
            min_period_coverage_permille: p.min_period_coverage_permille.into(),
            priority_rewards: PriorityRewardValues {
                critical: int(r.critical),
                high: int(r.high),
                medium: int(r.medium),
                low: int(r.low),
            },
            municipality_penalty: int(p.municipality_penalty),
            priority_first: p.priority_first,
        }
    }
}

/// The solver's work: what the exact min-cost-flow solver (cost scaling) did.
#[derive(SimpleObject)]
pub struct SolverWork {
    /// Scaling phases.
    pub phases: i64,
    /// Price changes of roles, experts, municipalities and the sink.
    pub relabels: i64,
    /// Units moved: seats offered to experts, and units the sink gave back.
    pub pushes: i64,
    /// Arcs looked at.
    pub scanned_arcs: i64,
}

/// Wall time of each phase of a round, in milliseconds.
#[derive(SimpleObject)]
pub struct RoundTimings {
    /// Reading the pool from the database.
    pub load_ms: f64,
    /// Checking the pool and the parameters.
    pub validate_ms: f64,
    /// Building the skill index.
    pub index_ms: f64,
    /// Finding the eligible pairs and scoring them.
    pub eligibility_ms: f64,
    /// Building the flow network.
    pub network_ms: f64,
    /// Solving it exactly.
    pub solve_ms: f64,
    /// Checking the optimality certificate.
    pub verify_ms: f64,
    /// Writing each proposal's explanation.
    pub explain_ms: f64,
    /// The engine's whole round (validate to explain).
    pub total_ms: f64,
    /// Storing the round and its proposals.
    pub store_ms: f64,
}

/// Seats of one priority in a round.
#[derive(SimpleObject)]
pub struct PrioritySeats {
    /// The needs' priority.
    pub priority: crate::domain::Priority,
    /// Roles of that priority the round covered.
    pub roles: i64,
    /// Their open seats.
    pub open_seats: i64,
    /// Seats the proposals fill.
    pub filled_seats: i64,
    /// Seats left empty.
    pub seats_left: i64,
    /// Seats left although an expert eligible for them exists (each placed on a seat worth more).
    pub seats_left_with_eligible_experts: i64,
}

pub struct MunicipalityDraw(crate::matching::MunicipalityFigures);

/// What a round drew from one contributing municipality, and the fairness penalty paid for it.
#[Object]
impl MunicipalityDraw {
    /// The contributing municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        load_one(&rc(ctx).loaders.municipality, self.0.municipality_id, "municipality").await.map(Municipality)
    }
    /// Its experts eligible for at least one seat of the round.
    async fn eligible_experts(&self) -> i64 {
        i64::from(self.0.eligible_experts)
    }
    /// Its experts the round proposes.
    async fn drawn(&self) -> i64 {
        i64::from(self.0.drawn)
    }
    /// `municipalityPenalty · drawn · (drawn − 1) / 2`.
    async fn penalty(&self) -> i64 {
        self.0.penalty
    }
}

/// The round's two guarantees, counted on its result.
#[derive(SimpleObject)]
pub struct RoundGuarantees {
    /// Roles left with an empty seat although an expert eligible for them got no seat (always 0).
    pub roles_empty_beside_idle_experts: i64,
    /// Experts who got no seat although a role they are eligible for kept an empty one (always 0).
    pub idle_experts_eligible_for_empty_seats: i64,
    /// Roles left with an empty seat while an expert eligible for them fills a seat of lower priority (0 unless
    /// priority was relaxed for the round).
    pub roles_losing_to_lower_priority: i64,
}

/// What a round considered and found.
#[derive(SimpleObject)]
pub struct RoundFigures {
    /// Experts in the pool the round saw.
    pub experts: i64,
    /// Needs it covered.
    pub needs: i64,
    /// Roles of those needs.
    pub roles: i64,
    /// Seats open at the time of the round.
    pub open_seats: i64,
    /// Seats the proposals fill.
    pub filled_seats: i64,
    /// Eligible (expert, role) pairs.
    pub eligible_pairs: i64,
    /// Nodes of the flow network.
    pub nodes: i64,
    /// Arcs of the flow network.
    pub arcs: i64,
    /// Σ score of the proposals.
    pub total_score: i64,
    /// Σ priority rewards of the seats filled.
    pub total_priority_reward: i64,
    /// Σ municipality penalties paid.
    pub total_municipality_penalty: i64,
    /// The value of filling any seat, derived from the pool so that the municipality penalty never leaves a seat
    /// empty: more than the largest marginal penalty a municipality can pay.
    pub seat_value: i64,
    /// The value one step up in priority adds to a seat, derived so that moving an expert to a higher priority
    /// always pays (0 when priority was relaxed).
    pub priority_step: i64,
    /// Whether priority came first in this round.
    pub priority_first: bool,
    /// Σ seat values of the seats filled.
    pub total_seat_value: i64,
    /// Σ priority steps of the seats filled (the step times the need's rank, LOW 0 to CRITICAL 3).
    pub total_priority_step: i64,
    /// Seats by priority, CRITICAL first.
    pub by_priority: Vec<PrioritySeats>,
    /// The municipalities with eligible experts, most drawn first.
    pub by_municipality: Vec<MunicipalityDraw>,
    /// The two guarantees, counted on the result.
    pub guarantees: RoundGuarantees,
    /// What the solver did.
    pub solver: SolverWork,
    /// How long each phase took.
    pub timings: RoundTimings,
    /// The roles left with open seats, and why.
    pub unfilled_roles: Vec<UnfilledRoleInfo>,
}

/// Why a role kept open seats after a round.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum UnfilledReason {
    /// Nobody in the pool meets the role's requirements now (skills, language, period, hours, way of working,
    /// security).
    NoEligibleExpert,
    /// Experts met them, but the optimum placed them on other seats (or their hours ran out).
    EligibleExpertsPlacedElsewhere,
}

pub struct UnfilledRoleInfo(crate::matching::UnfilledRole);

/// A role a round left with open seats.
#[Object(name = "UnfilledRole")]
impl UnfilledRoleInfo {
    /// The need of the role.
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<Need> {
        load_one(&rc(ctx).loaders.need, self.0.need_id, "need").await.map(Need)
    }
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<NeedRole> {
        NeedRole::load(ctx, self.0.need_id, self.0.role_id).await
    }
    /// Seats the round left open.
    async fn seats_left(&self) -> i32 {
        i32::from(self.0.seats_left)
    }
    /// Experts who could have taken a seat of the role.
    async fn eligible_experts(&self) -> i64 {
        i64::from(self.0.eligible_experts)
    }
    /// Why they stayed open.
    async fn reason(&self) -> UnfilledReason {
        if self.0.eligible_experts == 0 {
            UnfilledReason::NoEligibleExpert
        } else {
            UnfilledReason::EligibleExpertsPlacedElsewhere
        }
    }
}

impl From<&RoundStats> for RoundFigures {
    fn from(s: &RoundStats) -> Self {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        let u = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let t = &s.timings;
        RoundFigures {
            experts: n(s.experts),
            needs: n(s.needs),
            roles: n(s.roles),
            open_seats: u(s.open_seats),
            filled_seats: n(s.filled_seats),
            eligible_pairs: n(s.eligible_pairs),
            nodes: n(s.nodes),
            arcs: n(s.arcs),
            total_score: s.total_score,
            total_priority_reward: s.total_priority_reward,
            total_municipality_penalty: s.total_municipality_penalty,
            seat_value: s.seat_value,
            priority_step: s.priority_step,
            priority_first: s.priority_first,
            total_seat_value: s.total_seat_value,
            total_priority_step: s.total_priority_step,
            by_priority: s
                .by_priority
                .iter()
                .map(|f| PrioritySeats {
                    priority: priority(f.priority),
                    roles: n(f.roles),
                    open_seats: u(f.open_seats),
                    filled_seats: u(f.filled_seats),
                    seats_left: u(f.seats_left),
                    seats_left_with_eligible_experts: u(f.seats_left_with_eligible_experts),
                })
                .collect(),
            by_municipality: s.by_municipality.iter().cloned().map(MunicipalityDraw).collect(),
            guarantees: RoundGuarantees {
                roles_empty_beside_idle_experts: s.guarantees.roles_empty_beside_idle_experts.into(),
                idle_experts_eligible_for_empty_seats: s.guarantees.idle_experts_eligible_for_empty_seats.into(),
                roles_losing_to_lower_priority: s.guarantees.roles_losing_to_lower_priority.into(),
            },
            solver: SolverWork {
                phases: u(s.solver.phases),
                relabels: u(s.solver.relabels),
                pushes: u(s.solver.pushes),
                scanned_arcs: u(s.solver.scanned_arcs),
            },
            timings: RoundTimings {
                load_ms: t.load_ms,
                store_ms: t.store_ms,
                validate_ms: t.validate_ms,
                index_ms: t.index_ms,
                eligibility_ms: t.eligibility_ms,
                network_ms: t.network_ms,
                solve_ms: t.solve_ms,
                verify_ms: t.verify_ms,
                explain_ms: t.explain_ms,
                total_ms: t.total_ms,
            },
            unfilled_roles: s.unfilled.iter().cloned().map(UnfilledRoleInfo).collect(),
        }
    }
}

/// A proposal that was not committed, and why.
#[derive(SimpleObject)]
pub struct SkippedProposal {
    /// The proposal's position in the round.
    pub position: i32,
    /// Why it was not committed, e.g. `every seat of this role is taken`.
    pub reason: String,
}

/// What committing proposals did.
#[derive(SimpleObject)]
pub struct CommitResult {
    /// The PROPOSED assignments made.
    pub assignments: Vec<Assignment>,
    /// Proposals that no longer fit the pool (taken seats, hours used since, …).
    pub skipped: Vec<SkippedProposal>,
}

/// Overrides of the matcher's parameters; absent fields keep their defaults.
#[derive(InputObject, Default)]
pub struct MatchingParamsInput {
    /// Weight of the essential-skill margin (default 300; the weights add up to at most 1000).
    pub weight_essential_margin: Option<u16>,
    /// Weight of desired skills (default 200).
    pub weight_desired_skills: Option<u16>,
    /// Weight of language fit (default 150).
    pub weight_language: Option<u16>,
    /// Weight of period coverage (default 200).
    pub weight_period_coverage: Option<u16>,
    /// Weight of continuity with the hromada (default 150).
    pub weight_continuity: Option<u16>,
    /// Share of a need's period an expert must be available, in permille (default 500).
    pub min_period_coverage_permille: Option<u16>,
    /// Reward per filled seat of a CRITICAL need (default 400).
    pub reward_critical: Option<u32>,
    /// Reward per filled seat of a HIGH need (default 250).
    pub reward_high: Option<u32>,
    /// Reward per filled seat of a MEDIUM need (default 150).
    pub reward_medium: Option<u32>,
    /// Reward per filled seat of a LOW need (default 50).
    pub reward_low: Option<u32>,
    /// Convex penalty for drawing many experts from one municipality in a round (default 5, at most 1000). It
    /// only chooses between ways of filling seats: it never leaves a seat empty.
    pub municipality_penalty: Option<u32>,
    /// Put priority first (default true): no seat of a higher priority is left empty while one of its eligible
    /// experts fills a seat of a lower one. With false, the priority rewards only weigh against the scores, and the
    /// round's `stats.guarantees` counts the seats lost that way.
    pub priority_first: Option<bool>,
}

impl MatchingParamsInput {
    fn into_params(self) -> Params {
        let mut p = Params::default();
        let w = &mut p.weights;
        w.essential_margin = self.weight_essential_margin.unwrap_or(w.essential_margin);
        w.desired_skills = self.weight_desired_skills.unwrap_or(w.desired_skills);
        w.language = self.weight_language.unwrap_or(w.language);
        w.period_coverage = self.weight_period_coverage.unwrap_or(w.period_coverage);
        w.continuity = self.weight_continuity.unwrap_or(w.continuity);
        p.min_period_coverage_permille = self.min_period_coverage_permille.unwrap_or(p.min_period_coverage_permille);
        let r = &mut p.priority_rewards;
        r.critical = self.reward_critical.unwrap_or(r.critical);
        r.high = self.reward_high.unwrap_or(r.high);
        r.medium = self.reward_medium.unwrap_or(r.medium);
        r.low = self.reward_low.unwrap_or(r.low);
        p.municipality_penalty = self.municipality_penalty.unwrap_or(p.municipality_penalty);
        p.priority_first = self.priority_first.unwrap_or(p.priority_first);
        p
    }
}

#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// The best eligible experts for one role of an open need, with explanations (pool coordinators, AUC,
    /// the need's hromada). Contact details follow the usual rule.
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        need_id: ID,
        role_id: ID,
        #[graphql(desc = "How many, 1–50 (default 10).", default = 10)] first: i32,
    ) -> ApiResult<Vec<Candidate>> {
        let r = rc(ctx);
        if !(1..=50).contains(&first) {
            return Err(super::error::ApiError(AppError::invalid("first", "must be between 1 and 50")).into());
        }
        let (n, role) = (parse_id(&need_id, "needId")?, parse_id(&role_id, "roleId")?);
        let list = r.services.candidates(r.principal(), n, role, first as usize).await.api()?;
        Ok(list.into_iter().map(Candidate).collect())
    }

    /// One matching round (pool coordinators, admins).
    async fn matching_round(&self, ctx: &Context<'_>, id: ID) -> ApiResult<MatchingRound> {
        let r = rc(ctx);
        Ok(MatchingRound(r.services.round(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Matching rounds, newest first (pool coordinators, admins).
    async fn matching_rounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<MatchingRound>> {
        let r = rc(ctx);
        let page = r.services.rounds(r.principal(), after_id(after.as_deref())?, first).await.api()?;
        Ok(connection(page, after.is_some(), CountOf::MatchingRounds, |m| m.id, MatchingRound))
    }
}

#[derive(Default)]
pub struct MatchingMutation;

#[Object]
impl MatchingMutation {
    /// Runs the global matcher over the named open needs (all open needs when none are named) and keeps the
    /// round with its proposals for review; nothing is assigned until proposals are committed.
    async fn run_matching_round(
        &self,
        ctx: &Context<'_>,
        need_ids: Option<Vec<ID>>,
        params: Option<MatchingParamsInput>,
    ) -> ApiResult<MatchingRound> {
        let r = rc(ctx);
        let ids = need_ids
            .map(|ids| {
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| parse_id(id, &format!("needIds[{i}]")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let params = params.unwrap_or_default().into_params();
        Ok(MatchingRound(r.services.run_round(r.principal(), ids, params).await.api()?))
    }

    /// Commits chosen proposals of a round as PROPOSED assignments; each is checked again against the pool.
    async fn commit_proposals(&self, ctx: &Context<'_>, round_id: ID, positions: Vec<i32>) -> ApiResult<CommitResult> {
        let r = rc(ctx);
        let out =
            r.services.commit_proposals(r.principal(), parse_id(&round_id, "roundId")?, &positions).await.api()?;
        Ok(CommitResult {
            assignments: out.assignments.into_iter().map(Assignment).collect(),
            skipped: out.skipped.into_iter().map(|(position, reason)| SkippedProposal { position, reason }).collect(),
        })
    }

    /// Proposes an expert picked by hand for a role, under the same eligibility rules as the matcher.
    async fn propose_assignment(&self, ctx: &Context<'_>, role_id: ID, expert_id: ID) -> ApiResult<Assignment> {
        let r = rc(ctx);
        let (role, expert) = (parse_id(&role_id, "roleId")?, parse_id(&expert_id, "expertId")?);
        Ok(Assignment(r.services.propose_assignment(r.principal(), role, expert).await.api()?))
    }
}
