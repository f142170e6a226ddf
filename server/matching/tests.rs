//! Tests of the engine: eligibility and score behaviour, candidates, the round against brute force,
//! the DIMACS export against an independent solver, the instance file, the generator.

use chrono::NaiveDate;
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::model::*;
use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test dates are valid")
}

const CONTRIBUTING: u128 = 0xC0;
const HROMADA: u128 = 0xA0;

fn expert(n: u128) -> Expert {
    Expert {
        id: id(n),
        municipality_id: id(CONTRIBUTING),
        status: ExpertStatus::Active,
        hours_per_week: 40,
        available_from: d("2026-01-01"),
        available_until: None,
        modes: ModeSet::of(&[Mode::Remote, Mode::OnSite]),
        skills: vec![skill("planning", 4)],
        languages: vec![lang("en", Cefr::C1), lang("nl", Cefr::Native)],
        commitments: vec![],
        excluded_needs: vec![],
    }
}

fn skill(code: &str, level: u8) -> ExpertSkill {
    ExpertSkill { skill: code.into(), level }
}

fn lang(code: &str, level: Cefr) -> ExpertLanguage {
    ExpertLanguage { language: code.into(), level }
}

fn role(n: u128) -> Role {
    Role {
        id: id(n),
        title: "planner".into(),
        skills: vec![RoleSkill { skill: "planning".into(), min_level: 3, essential: true }],
        languages: vec![RoleLanguage { language: "en".into(), min_level: Cefr::B2 }],
        interpreter_available: false,
        open_seats: 1,
        hours_per_week: 16,
    }
}

fn need(n: u128) -> Need {
    Need {
        id: id(n),
        municipality_id: id(HROMADA),
        security: SecurityStatus::Normal,
        priority: Priority::Medium,
        start: d("2026-02-01"),
        end: d("2026-03-31"),
        modes: ModeSet::of(&[Mode::Remote, Mode::OnSite]),
        roles: vec![role(n + 1000)],
    }
}

/// Evaluates expert `e` for the first role of `n` with default parameters.
fn eval(e: &Expert, n: &Need) -> Result<Explanation, Ineligibility> {
    eval_with(e, n, &[], &Params::default())
}

fn eval_with(e: &Expert, n: &Need, continuity: &[(Uuid, Uuid)], params: &Params) -> Result<Explanation, Ineligibility> {
    let pool = Pool { experts: vec![e.clone()], needs: vec![n.clone()], continuity: continuity.to_vec() };
    let index = CandidateIndex::build(&pool, params);
    evaluate(&index, n, &n.roles[0], e.id).expect("the expert is in the index")
}

// ---------------------------------------------------------------- eligibility

#[test]
fn an_active_expert_meeting_every_rule_is_eligible() {
    let x = eval(&expert(1), &need(2)).expect("eligible");
    assert_eq!(x.period_start, d("2026-02-01"));
    assert_eq!(x.period_end, d("2026-03-31"));
    assert_eq!(x.coverage_permille, 1000);
}

#[test]
fn paused_and_withdrawn_experts_are_never_eligible() {
    for status in [ExpertStatus::Paused, ExpertStatus::Withdrawn] {
        let e = Expert { status, ..expert(1) };
        assert_eq!(eval(&e, &need(2)), Err(Ineligibility::NotActive { status }));
    }
}

#[test]
fn excluded_needs_are_never_proposed_again() {
    let e = Expert { excluded_needs: vec![id(2)], ..expert(1) };
    assert_eq!(eval(&e, &need(2)), Err(Ineligibility::ExcludedFromNeed));
    assert!(eval(&e, &need(3)).is_ok());
}

#[test]
fn every_essential_skill_must_reach_its_minimum_level() {
    let mut n = need(2);
    n.roles[0].skills.push(RoleSkill { skill: "housing".into(), min_level: 2, essential: true });
    let mut e = expert(1);
    assert_eq!(
        eval(&e, &n),
        Err(Ineligibility::MissingEssentialSkill { skill: "housing".into(), min_level: 2, level: None })
    );
    e.skills.push(skill("housing", 1));
    assert_eq!(
        eval(&e, &n),
        Err(Ineligibility::MissingEssentialSkill { skill: "housing".into(), min_level: 2, level: Some(1) })
    );
    e.skills[1].level = 2;
    assert!(eval(&e, &n).is_ok());
}

#[test]
fn desired_skills_add_to_the_score_but_never_exclude() {
    let mut n = need(2);
    n.roles[0].skills.push(RoleSkill { skill: "housing".into(), min_level: 3, essential: false });
    let without = eval(&expert(1), &n).expect("desired skills do not gate");
    let mut e = expert(1);
    e.skills.push(skill("housing", 4));
    let with = eval(&e, &n).expect("eligible");
    assert_eq!(without.parts.desired_skills, 0);
    assert!(with.parts.desired_skills > without.parts.desired_skills);
}

#[test]
fn a_shared_language_at_the_minimum_level_is_required() {
    let mut e = expert(1);
    e.languages = vec![lang("en", Cefr::B1), lang("nl", Cefr::Native)];
    assert!(matches!(eval(&e, &need(2)), Err(Ineligibility::NoSharedLanguage { .. })));
    e.languages[0].level = Cefr::B2;
    assert!(eval(&e, &need(2)).is_ok());
}

#[test]
fn any_one_of_the_role_languages_is_enough() {
    let mut n = need(2);
    n.roles[0].languages.push(RoleLanguage { language: "uk".into(), min_level: Cefr::B1 });
    let mut e = expert(1);
    e.languages = vec![lang("uk", Cefr::Native)];
    assert!(eval(&e, &n).is_ok());
}

#[test]
fn an_interpreter_replaces_a_shared_language_but_scores_lower() {
    let mut n = need(2);
    n.roles[0].interpreter_available = true;
    let mut e = expert(1);
    e.languages = vec![lang("nl", Cefr::Native)];
    let with_interpreter = eval(&e, &n).expect("the interpreter bridges the language");
    assert!(with_interpreter.interpreter_needed);
    let shared = eval(&expert(1), &n).expect("eligible");
    assert!(!shared.interpreter_needed);
    assert!(shared.parts.language > with_interpreter.parts.language);
}

#[test]
fn a_role_without_language_requirements_needs_no_shared_language() {
    let mut n = need(2);
    n.roles[0].languages.clear();
    let mut e = expert(1);
    e.languages.clear();
    let x = eval(&e, &n).expect("eligible");
    assert_eq!(x.parts.language, Params::default().weights.language);
}

#[test]
fn availability_must_cover_the_minimum_share_of_the_period() {
    // The need lasts 59 days (1 February to 31 March 2026); half is 29.5 days.
    let mut e = expert(1);
    e.available_until = Some(d("2026-03-01")); // 29 days: 491‰
    assert_eq!(
        eval(&e, &need(2)),
        Err(Ineligibility::InsufficientAvailability { coverage_permille: 491, required_permille: 500 })
    );
    e.available_until = Some(d("2026-03-02")); // 30 days: 508‰
    let x = eval(&e, &need(2)).expect("eligible");
    assert_eq!(x.coverage_permille, 508);
    assert_eq!(x.period_end, d("2026-03-02"));
}

#[test]
fn an_expert_available_only_outside_the_period_is_not_eligible() {
    let params = Params { min_period_coverage_permille: 0, ..Params::default() };
    let mut e = expert(1);
    e.available_from = d("2026-04-01");
    assert!(matches!(
        eval_with(&e, &need(2), &[], &params),
        Err(Ineligibility::InsufficientAvailability { coverage_permille: 0, .. })
    ));
}

#[test]
fn on_site_is_never_proposed_near_the_frontline() {
    let mut e = expert(1);
    e.modes = ModeSet::of(&[Mode::OnSite]);
    let mut n = need(2);
    n.modes = ModeSet::of(&[Mode::OnSite, Mode::Remote]);
    assert!(eval(&e, &n).is_ok(), "on site is fine where it is safe");
    for security in [SecurityStatus::NearFrontline, SecurityStatus::ActiveHostilities, SecurityStatus::Occupied] {
        n.security = security;
        assert_eq!(
            eval(&e, &n),
            Err(Ineligibility::NoCommonMode {
                expert: ModeSet::of(&[Mode::OnSite]),
                allowed: ModeSet::of(&[Mode::Remote])
            })
        );
    }
    // An expert offering both is proposed, but for remote work only.
    e.modes = ModeSet::of(&[Mode::OnSite, Mode::Remote]);
    let x = eval(&e, &n).expect("remote is allowed");
    assert_eq!(x.modes, ModeSet::of(&[Mode::Remote]));
    assert!(!on_site_allowed(SecurityStatus::Occupied));
    assert!(on_site_allowed(SecurityStatus::Normal));
}

#[test]
fn hosting_is_allowed_whatever_the_security_status() {
    let mut e = expert(1);
    e.modes = ModeSet::of(&[Mode::Hosting]);
    let mut n = need(2);
    n.modes = ModeSet::of(&[Mode::Hosting]);
    n.security = SecurityStatus::ActiveHostilities;
    assert!(eval(&e, &n).is_ok());
}

fn commitment(start: &str, end: &str, hours: u16) -> Commitment {
    Commitment { need_id: id(99), start: d(start), end: d(end), hours_per_week: hours }
}

#[test]
fn free_hours_count_overlapping_commitments_only() {
    let mut e = expert(1);
    e.hours_per_week = 24;
    // The role needs 16 h; 8 h are free only if the 20 h commitment outside the period is ignored.
    e.commitments = vec![
        commitment("2025-10-01", "2026-01-31", 20), // ends the day before the need starts
        commitment("2026-04-01", "2026-06-30", 20), // starts the day after it ends
        commitment("2026-02-01", "2026-02-10", 8),
    ];
    let x = eval(&e, &need(2)).expect("only the 8 h commitment overlaps");
    assert_eq!(x.free_hours_per_week, 16);
    e.commitments.push(commitment("2026-03-31", "2026-05-01", 9));
    assert_eq!(eval(&e, &need(2)), Err(Ineligibility::NotEnoughFreeHours { free_hours: 15, required_hours: 16 }));
}

#[test]
fn free_hours_take_the_busiest_day_not_the_sum_of_commitments() {
    let mut e = expert(1);
    e.hours_per_week = 26;
    // Two 10 h commitments that never overlap each other: the busiest day has 10 h.
    e.commitments = vec![commitment("2026-02-01", "2026-02-15", 10), commitment("2026-02-16", "2026-03-31", 10)];
    let x = eval(&e, &need(2)).expect("10 + 16 ≤ 26");
    assert_eq!(x.free_hours_per_week, 16);
    // A third one overlapping the first makes a 20 h day.
    e.commitments.push(commitment("2026-02-15", "2026-02-15", 10));
    assert_eq!(eval(&e, &need(2)), Err(Ineligibility::NotEnoughFreeHours { free_hours: 6, required_hours: 16 }));
}

#[test]
fn free_hours_are_counted_over_the_assignment_period_only() {
    let mut e = expert(1);
    e.hours_per_week = 16;
    e.available_from = d("2026-02-20");
    // Busy before the expert's availability starts: outside the assignment period.
    e.commitments = vec![commitment("2026-02-01", "2026-02-19", 16)];
    assert!(eval(&e, &need(2)).is_ok());
}

#[test]
fn the_first_failing_reason_is_reported_in_the_documented_order() {
    let mut e = expert(1);
    e.status = ExpertStatus::Paused;
    e.skills.clear();
    e.languages.clear();
    e.hours_per_week = 1;
    assert!(matches!(eval(&e, &need(2)), Err(Ineligibility::NotActive { .. })));
    e.status = ExpertStatus::Active;
    assert!(matches!(eval(&e, &need(2)), Err(Ineligibility::MissingEssentialSkill { .. })));
    e.skills = vec![skill("planning", 5)];
    assert!(matches!(eval(&e, &need(2)), Err(Ineligibility::NoSharedLanguage { .. })));
    e.languages = vec![lang("en", Cefr::C2)];
    assert!(matches!(eval(&e, &need(2)), Err(Ineligibility::NotEnoughFreeHours { .. })));
}

// ---------------------------------------------------------------- score

#[test]
fn score_parts_add_up_to_the_total_and_never_exceed_1000() {
    let mut e = expert(1);
    e.skills = vec![skill("planning", 5)];
    e.languages = vec![lang("en", Cefr::Native)];
    let x = eval_with(&e, &need(2), &[(id(CONTRIBUTING), id(HROMADA))], &Params::default()).expect("eligible");
    let p = x.parts;
    assert_eq!(x.total, p.essential_margin + p.desired_skills + p.language + p.period_coverage + p.continuity);
    assert_eq!(x.total, 1000, "a perfect fit scores the full 1000");
}

#[test]
fn a_higher_essential_level_gives_a_higher_margin() {
    let mut e = expert(1);
    let mut margins = Vec::new();
    for level in 3..=5 {
        e.skills = vec![skill("planning", level)];
        margins.push(eval(&e, &need(2)).expect("eligible").parts.essential_margin);
    }
    assert_eq!(margins, vec![0, 150, 300]);
}

#[test]
fn continuity_counts_only_for_an_existing_working_relation() {
    let params = Params::default();
    let with = eval_with(&expert(1), &need(2), &[(id(CONTRIBUTING), id(HROMADA))], &params).expect("eligible");
    let other = eval_with(&expert(1), &need(2), &[(id(CONTRIBUTING), id(0xFF))], &params).expect("eligible");
    assert!(with.continuity);
    assert_eq!(with.parts.continuity, params.weights.continuity);
    assert_eq!(other.parts.continuity, 0);
}

#[test]
fn the_period_coverage_part_is_proportional_to_the_share_covered() {
    let mut e = expert(1);
    e.available_until = Some(d("2026-03-02"));
    let x = eval(&e, &need(2)).expect("eligible");
    assert_eq!(x.parts.period_coverage, 101); // 200 × 508 / 1000
}

#[test]
fn weights_are_parameters() {
    let params = Params {
        weights: Weights { essential_margin: 0, desired_skills: 0, language: 0, period_coverage: 1000, continuity: 0 },
        ..Params::default()
    };
    let x = eval_with(&expert(1), &need(2), &[], &params).expect("eligible");
    assert_eq!(x.total, 1000);
    assert_eq!(x.parts.period_coverage, 1000);
}

// ---------------------------------------------------------------- random small pools

fn pick<'a>(rng: &mut ChaCha8Rng, from: &[&'a str], p: f64) -> Vec<&'a str> {
    from.iter().copied().filter(|_| rng.random_bool(p)).collect()
}

/// A small random pool where many pairs are eligible and many are not, for every rule.
fn small_pool(seed: u64, experts: usize, needs: usize) -> (Pool, Params) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let skills = ["planning", "housing", "water", "energy"];
    let languages = ["en", "uk", "nl"];
    let base = d("2026-01-01");
    let day = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| base + chrono::TimeDelta::days(rng.random_range(lo..hi));
    let modes = |rng: &mut ChaCha8Rng| {
        let mut m = ModeSet::EMPTY;
        for mode in Mode::ALL {
            if rng.random_bool(0.5) {
                m = m.with(mode);
            }
        }
        if m.is_empty() { ModeSet::of(&[Mode::Remote]) } else { m }
    };
    let mut pool = Pool::default();
    for n in 0..needs {
        let start = day(&mut rng, 0, 30);
        let end = start + chrono::Days::new(rng.random_range(5..40));
        let roles = (0..rng.random_range(1..=2))
            .map(|r| Role {
                id: Uuid::from_u128(rng.random::<u128>()),
                title: format!("role {n}.{r}"),
                skills: pick(&mut rng, &skills, 0.4)
                    .into_iter()
                    .map(|s| RoleSkill {
                        skill: s.to_string(),
                        min_level: rng.random_range(1..=4),
                        essential: rng.random_bool(0.6),
                    })
                    .collect(),
                languages: pick(&mut rng, &languages, 0.3)
                    .into_iter()
                    .map(|l| RoleLanguage {
                        language: l.to_string(),
                        min_level: Cefr::from_rank(rng.random_range(0..=6)).expect("rank"),
                    })
                    .collect(),
                interpreter_available: rng.random_bool(0.3),
                open_seats: rng.random_range(1..=2),
                hours_per_week: rng.random_range(4..=20),
            })
            .collect();
        pool.needs.push(Need {
            id: Uuid::from_u128(rng.random::<u128>()),
            municipality_id: id(HROMADA + rng.random_range(0..2)),
            security: [SecurityStatus::Normal, SecurityStatus::NearFrontline, SecurityStatus::Occupied]
                [rng.random_range(0..3)],
            priority: [Priority::Critical, Priority::High, Priority::Medium, Priority::Low][rng.random_range(0..4)],
            start,
            end,
            modes: modes(&mut rng),
            roles,
        });
    }
    for _ in 0..experts {
        let from = day(&mut rng, -10, 30);
        let commitments = (0..rng.random_range(0..=2))
            .map(|_| {
                let s = day(&mut rng, 0, 60);
                Commitment {
                    need_id: id(7),
                    start: s,
                    end: s + chrono::Days::new(rng.random_range(0..20)),
                    hours_per_week: rng.random_range(4..=16),
                }
            })
            .collect();
        let excluded_needs =
            if rng.random_bool(0.15) && needs > 0 { vec![pool.needs[rng.random_range(0..needs)].id] } else { vec![] };
        pool.experts.push(Expert {
            id: Uuid::from_u128(rng.random::<u128>()),
            municipality_id: id(CONTRIBUTING + rng.random_range(0..3)),
            status: if rng.random_bool(0.9) { ExpertStatus::Active } else { ExpertStatus::Paused },
            hours_per_week: rng.random_range(8..=40),
            available_from: from,
            available_until: rng.random_bool(0.7).then(|| from + chrono::Days::new(rng.random_range(10..60))),
            modes: modes(&mut rng),
            skills: pick(&mut rng, &skills, 0.6).into_iter().map(|s| skill(s, rng.random_range(1..=5))).collect(),
            languages: pick(&mut rng, &languages, 0.6)
                .into_iter()
                .map(|l| lang(l, Cefr::from_rank(rng.random_range(0..=6)).expect("rank")))
                .collect(),
            commitments,
            excluded_needs,
        });
    }
    for c in 0..3 {
        if rng.random_bool(0.5) {
            pool.continuity.push((id(CONTRIBUTING + c), id(HROMADA + rng.random_range(0..2))));
        }
    }
    let params = Params {
        municipality_penalty: if rng.random_bool(0.2) { 0 } else { rng.random_range(1..=400) },
        priority_rewards: PriorityRewards {
            critical: rng.random_range(0..=500),
            high: rng.random_range(0..=300),
            medium: rng.random_range(0..=200),
            low: rng.random_range(0..=50),
        },
        min_period_coverage_permille: rng.random_range(0..=1000),
        priority_first: rng.random_bool(0.8),
        ..Params::default()
    };
    (pool, params)
}

/// [`small_pool`] bent so that fairness and priority pull hard: most experts come from one municipality, every
/// role asks for one skill few experts have, and the penalty is high.
fn concentrated_pool(seed: u64, experts: usize, needs: usize) -> (Pool, Params) {
    let (mut pool, mut params) = small_pool(seed, experts, needs);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC0C0);
    for e in &mut pool.experts {
        if rng.random_bool(0.8) {
            e.municipality_id = id(CONTRIBUTING);
        }
        e.skills.retain(|s| s.skill != "water");
        if rng.random_bool(0.3) {
            e.skills.push(skill("water", rng.random_range(2..=5)));
        }
    }
    for n in &mut pool.needs {
        for r in &mut n.roles {
            r.skills.retain(|s| s.skill != "water");
            r.skills.push(RoleSkill { skill: "water".into(), min_level: 2, essential: true });
        }
    }
    params.municipality_penalty = rng.random_range(100..=1000);
    (pool, params)
}

/// Checks both guarantees of a round independently of its network, with [`evaluate`] over every role with an
/// empty seat and every expert: returns the roles with an empty seat beside an idle eligible expert, and those
/// with an empty seat while an eligible expert fills a seat of lower priority.
fn guarantee_breaches(pool: &Pool, params: &Params, result: &RoundResult) -> (usize, usize) {
    let index = CandidateIndex::build(pool, params);
    let mut filled: std::collections::HashMap<Uuid, u16> = Default::default();
    let mut seat_of: std::collections::HashMap<Uuid, Priority> = Default::default();
    for p in &result.proposals {
        *filled.entry(p.role_id).or_insert(0) += 1;
        let need = pool.needs.iter().find(|n| n.id == p.need_id).expect("known need");
        seat_of.insert(p.expert_id, need.priority);
    }
    let (mut idle, mut lower) = (0, 0);
    for n in &pool.needs {
        for r in &n.roles {
            if filled.get(&r.id).copied().unwrap_or(0) >= r.open_seats {
                continue;
            }
            let eligible: Vec<Uuid> = pool
                .experts
                .iter()
                .filter(|e| matches!(evaluate(&index, n, r, e.id), Some(Ok(_))))
                .map(|e| e.id)
                .collect();
            idle += usize::from(eligible.iter().any(|e| !seat_of.contains_key(e)));
            lower += usize::from(
                eligible.iter().any(|e| seat_of.get(e).is_some_and(|&p| params::rank(p) < params::rank(n.priority))),
            );
        }
    }
    (idle, lower)
}

/// Eligibility written again, naively and straight from docs/matching.md on the model types (day by day
/// for the free hours), to check the engine's fast version against.
fn reference_eligible(e: &Expert, n: &Need, r: &Role, params: &Params) -> bool {
    if e.status != ExpertStatus::Active || e.excluded_needs.contains(&n.id) {
        return false;
    }
    let level = |code: &str| e.skills.iter().filter(|s| s.skill == code).map(|s| s.level).max().unwrap_or(0);
    if r.skills.iter().any(|s| s.essential && level(&s.skill) < s.min_level) {
        return false;
    }
    let speaks = |rl: &RoleLanguage| e.languages.iter().any(|l| l.language == rl.language && l.level >= rl.min_level);
    if !r.languages.is_empty() && !r.interpreter_available && !r.languages.iter().any(speaks) {
        return false;
    }
    let start = n.start.max(e.available_from);
    let end = e.available_until.map_or(n.end, |u| u.min(n.end));
    if end < start {
        return false;
    }
    let covered = (end - start).num_days() + 1;
    let total = (n.end - n.start).num_days() + 1;
    if covered * 1000 / total < i64::from(params.min_period_coverage_permille) {
        return false;
    }
    let allowed = if n.security == SecurityStatus::Normal { n.modes } else { n.modes.without(Mode::OnSite) };
    if e.modes.intersection(allowed).is_empty() {
        return false;
    }
    let mut day = start;
    while day <= end {
        let load: u32 =
            e.commitments.iter().filter(|c| c.start <= day && day <= c.end).map(|c| u32::from(c.hours_per_week)).sum();
        if load + u32::from(r.hours_per_week) > u32::from(e.hours_per_week) {
            return false;
        }
        day = day.succ_opt().expect("test dates are far from the end of time");
    }
    true
}

/// The best objective by enumerating every assignment of experts to roles (or none), with the seat value and the
/// priority step computed here from their documented definitions.
fn brute_force_objective(pool: &Pool, params: &Params) -> i64 {
    let index = CandidateIndex::build(pool, params);
    let roles: Vec<(&Need, &Role)> = pool.needs.iter().flat_map(|n| n.roles.iter().map(move |r| (n, r))).collect();
    // options[e]: (role index, value before the seat value) of every eligible pair.
    let step = if params.priority_first {
        let r = &params.priority_rewards;
        let inversions = [r.low, r.medium, r.high, r.critical];
        let worst = (0..4)
            .flat_map(|l| (l + 1..4).map(move |h| (l, h)))
            .map(|(l, h)| inversions[l].saturating_sub(inversions[h]));
        i64::from(params.weights.sum()) + 1 + i64::from(worst.max().unwrap_or(0))
    } else {
        0
    };
    let options: Vec<Vec<(usize, i64)>> = pool
        .experts
        .iter()
        .map(|e| {
            roles
                .iter()
                .enumerate()
                .filter_map(|(ri, (n, r))| {
                    let x = evaluate(&index, n, r, e.id)?.ok()?;
                    let rank = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical]
                        .iter()
                        .position(|&p| p == n.priority)
                        .expect("a priority") as i64;
                    Some((ri, step * rank + i64::from(x.total) + i64::from(params.priority_rewards.of(n.priority))))
                })
                .collect()
        })
        .collect();
    let munis: Vec<Uuid> = pool.experts.iter().map(|e| e.municipality_id).collect();
    let mut eligible_per_muni: std::collections::HashMap<Uuid, i64> = Default::default();
    for (e, o) in options.iter().enumerate() {
        if !o.is_empty() {
            *eligible_per_muni.entry(munis[e]).or_insert(0) += 1;
        }
    }
    let largest = eligible_per_muni.values().copied().max().unwrap_or(0);
    let seat = i64::from(params.municipality_penalty) * (largest - 1).max(0) + 1;
    let options: Vec<Vec<(usize, i64)>> =
        options.into_iter().map(|o| o.into_iter().map(|(r, v)| (r, v + seat)).collect()).collect();
    let mut seats: Vec<i64> = roles.iter().map(|(_, r)| i64::from(r.open_seats)).collect();
    let mut drawn: std::collections::HashMap<Uuid, i64> = Default::default();
    #[allow(clippy::too_many_arguments)]
    fn go(
        e: usize,
        options: &[Vec<(usize, i64)>],
        munis: &[Uuid],
        seats: &mut [i64],
        drawn: &mut std::collections::HashMap<Uuid, i64>,
        penalty: i64,
        acc: i64,
        best: &mut i64,
    ) {
        if e == options.len() {
            *best = (*best).max(acc);
            return;
        }
        go(e + 1, options, munis, seats, drawn, penalty, acc, best);
        for &(r, value) in &options[e] {
            if seats[r] == 0 {
                continue;
            }
            seats[r] -= 1;
            let k = drawn.entry(munis[e]).or_insert(0);
            let marginal = penalty * *k;
            *k += 1;
            go(e + 1, options, munis, seats, drawn, penalty, acc + value - marginal, best);
            *drawn.get_mut(&munis[e]).expect("just inserted") -= 1;
            seats[r] += 1;
        }
    }
    let mut best = 0;
    go(0, &options, &munis, &mut seats, &mut drawn, i64::from(params.municipality_penalty), 0, &mut best);
    best
}

/// Checks the rules every round result must keep.
fn check_round_invariants(pool: &Pool, params: &Params, result: &RoundResult) {
    let index = CandidateIndex::build(pool, params);
    let mut experts = std::collections::HashSet::new();
    let mut per_role: std::collections::HashMap<Uuid, u16> = Default::default();
    let mut drawn: std::collections::HashMap<Uuid, i64> = Default::default();
    let mut objective = 0i64;
    for p in &result.proposals {
        assert!(experts.insert(p.expert_id), "an expert got two seats");
        let need = pool.needs.iter().find(|n| n.id == p.need_id).expect("known need");
        let role = need.roles.iter().find(|r| r.id == p.role_id).expect("known role");
        let seats = per_role.entry(role.id).or_insert(0);
        *seats += 1;
        assert!(*seats <= role.open_seats, "a role got more than its open seats");
        let x = evaluate(&index, need, role, p.expert_id).expect("known expert").expect("every proposal is eligible");
        assert_eq!(x, p.explanation);
        assert_eq!(x.total, p.score);
        let e = pool.experts.iter().find(|e| e.id == p.expert_id).expect("known expert");
        assert!(reference_eligible(e, need, role, params));
        *drawn.entry(e.municipality_id).or_insert(0) += 1;
        assert_eq!(p.priority_reward, params.priority_rewards.of(need.priority));
        assert_eq!(p.priority_step, params.priority_step() * u32::from(params::rank(need.priority)));
        assert_eq!(i64::from(p.seat_value), result.stats.seat_value);
        objective += p.value();
    }
    let penalty = i64::from(params.municipality_penalty);
    objective -= drawn.values().map(|k| penalty * k * (k - 1) / 2).sum::<i64>();
    assert_eq!(objective, result.objective, "the objective adds up");
    // The network holds exactly the eligible pairs.
    let mut pairs = 0;
    for n in &pool.needs {
        for r in n.roles.iter().filter(|r| r.open_seats > 0) {
            for e in &pool.experts {
                if let Some(Ok(_)) = evaluate(&index, n, r, e.id) {
                    pairs += 1;
                }
            }
        }
    }
    assert_eq!(result.stats.eligible_pairs, pairs);
    // The guarantees, checked here independently and as the round counted them.
    let (idle, lower) = guarantee_breaches(pool, params, result);
    assert_eq!(idle, 0, "a seat stays empty beside an idle eligible expert");
    assert_eq!(result.stats.guarantees.roles_empty_beside_idle_experts, 0);
    assert_eq!(result.stats.guarantees.roles_losing_to_lower_priority as usize, lower);
    if params.priority_first {
        assert_eq!(lower, 0, "a seat is lost to a lower priority");
    }
    let filled: u64 = result.stats.by_priority.iter().map(|f| f.filled_seats).sum();
    assert_eq!(filled as usize, result.proposals.len());
    let drawn: u32 = result.stats.by_municipality.iter().map(|m| m.drawn).sum();
    assert_eq!(drawn as usize, result.proposals.len());
}

fn shuffled(pool: &Pool, seed: u64) -> Pool {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = pool.clone();
    p.experts.shuffle(&mut rng);
    p.needs.shuffle(&mut rng);
    for n in &mut p.needs {
        n.roles.shuffle(&mut rng);
        for r in &mut n.roles {
            r.skills.shuffle(&mut rng);
            r.languages.shuffle(&mut rng);
        }
    }
    for e in &mut p.experts {
        e.skills.shuffle(&mut rng);
        e.languages.shuffle(&mut rng);
        e.commitments.shuffle(&mut rng);
    }
    p.continuity.shuffle(&mut rng);
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn eligibility_matches_a_naive_day_by_day_reference(seed in any::<u64>()) {
        let (pool, params) = small_pool(seed, 8, 4);
        let index = CandidateIndex::build(&pool, &params);
        for n in &pool.needs {
            for r in &n.roles {
                for e in &pool.experts {
                    let fast = evaluate(&index, n, r, e.id).expect("known expert");
                    prop_assert_eq!(fast.is_ok(), reference_eligible(e, n, r, &params),
                        "expert {:?} role {:?}: {:?}", e, r, fast);
                    if let Ok(x) = fast {
                        prop_assert!(x.total <= 1000);
                    }
                }
            }
        }
    }

    #[test]
    fn the_round_reaches_the_brute_force_optimum(seed in any::<u64>()) {
        let (pool, params) = small_pool(seed, 6, 3);
        let result = round(&pool, None, &params).expect("valid pool");
        check_round_invariants(&pool, &params, &result);
        prop_assert_eq!(result.objective, brute_force_objective(&pool, &params));
    }

    #[test]
    fn a_concentrated_round_reaches_the_brute_force_optimum(seed in any::<u64>()) {
        let (pool, params) = concentrated_pool(seed, 7, 3);
        let result = round(&pool, None, &params).expect("valid pool");
        check_round_invariants(&pool, &params, &result);
        prop_assert_eq!(result.objective, brute_force_objective(&pool, &params));
    }

    #[test]
    fn no_seat_stays_empty_beside_an_idle_eligible_expert_or_is_lost_to_a_lower_priority(
        seed in any::<u64>(),
        experts in 1usize..40,
        needs in 1usize..15,
        concentrated in any::<bool>(),
    ) {
        let (pool, params) =
            if concentrated { concentrated_pool(seed, experts, needs) } else { small_pool(seed, experts, needs) };
        let result = round(&pool, None, &params).expect("valid pool");
        // Both guarantees (the second unless relaxed), the rules and the objective: check_round_invariants.
        check_round_invariants(&pool, &params, &result);
    }

    #[test]
    fn the_round_is_deterministic_even_when_the_input_is_shuffled(seed in any::<u64>()) {
        let (pool, params) = small_pool(seed, 12, 6);
        let first = round(&pool, None, &params).expect("valid pool");
        let again = round(&pool, None, &params).expect("valid pool");
        let other = round(&shuffled(&pool, seed ^ 0x5eed), None, &params).expect("valid pool");
        prop_assert_eq!(&first.proposals, &again.proposals);
        prop_assert_eq!(&first.proposals, &other.proposals);
        prop_assert_eq!(first.objective, other.objective);
    }

    #[test]
    fn the_dimacs_network_has_the_reported_optimum(seed in any::<u64>()) {
        let (pool, params) = small_pool(seed, 10, 5);
        let (result, net) = round_with_network(&pool, None, &params).expect("valid pool");
        let text = dimacs::to_string(&net, result.objective);
        let (claimed, solved) = solve_dimacs(&text);
        prop_assert_eq!(claimed, -result.objective);
        prop_assert_eq!(solved, -result.objective);
    }

    #[test]
    fn candidates_are_the_best_eligible_experts_in_order(seed in any::<u64>(), k in 0usize..6) {
        let (pool, params) = small_pool(seed, 15, 3);
        let index = CandidateIndex::build(&pool, &params);
        for n in &pool.needs {
            for r in &n.roles {
                let mut expected: Vec<(u16, Uuid)> = pool
                    .experts
                    .iter()
                    .filter_map(|e| Some((evaluate(&index, n, r, e.id)?.ok()?.total, e.id)))
                    .collect();
                expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                expected.truncate(k);
                let got: Vec<(u16, Uuid)> = candidates(&index, n, r, k)
                    .into_iter()
                    .map(|c| (c.score, c.expert_id))
                    .collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
}

#[test]
fn a_round_on_a_subset_of_needs_only_proposes_for_those_needs() {
    let (pool, params) = small_pool(11, 12, 6);
    let subset = [pool.needs[1].id, pool.needs[4].id];
    let result = round(&pool, Some(&subset), &params).expect("valid pool");
    assert!(result.proposals.iter().all(|p| subset.contains(&p.need_id)));
    assert!(matches!(round(&pool, Some(&[id(12345)]), &params), Err(MatchError::UnknownNeed(_))));
}

#[test]
fn the_convex_penalty_spreads_experts_over_municipalities() {
    // Two equal experts from one municipality, one slightly weaker from another, two seats.
    let mut a = expert(1);
    let mut b = expert(2);
    let mut c = expert(3);
    a.skills = vec![skill("planning", 5)];
    b.skills = vec![skill("planning", 5)];
    c.skills = vec![skill("planning", 4)];
    c.municipality_id = id(CONTRIBUTING + 1);
    let mut n = need(10);
    n.roles[0].open_seats = 2;
    let pool = Pool { experts: vec![a, b, c], needs: vec![n], continuity: vec![] };
    let mut params = Params { municipality_penalty: 0, ..Params::default() };
    let r0 = round(&pool, None, &params).expect("valid");
    let mut chosen: Vec<Uuid> = r0.proposals.iter().map(|p| p.expert_id).collect();
    chosen.sort();
    assert_eq!(chosen, vec![id(1), id(2)], "without penalty the two best");
    params.municipality_penalty = 200;
    let r1 = round(&pool, None, &params).expect("valid");
    let chosen: Vec<Uuid> = r1.proposals.iter().map(|p| p.expert_id).collect();
    assert_eq!(chosen.len(), 2);
    assert!(chosen.contains(&id(3)), "with penalty one from each municipality");
}

#[test]
fn the_largest_penalty_never_leaves_a_seat_empty() {
    // Three experts of one municipality, three seats: the penalty makes the second and third expensive, and yet
    // the seat value, derived from the pool, pays for them.
    let mut n = need(10);
    n.roles[0].open_seats = 3;
    let pool = Pool { experts: vec![expert(1), expert(2), expert(3)], needs: vec![n], continuity: vec![] };
    let params = Params { municipality_penalty: params::MAX_PENALTY, ..Params::default() };
    let result = round(&pool, None, &params).expect("valid");
    assert_eq!(result.stats.filled_seats, 3);
    assert_eq!(result.stats.seat_value, i64::from(params::MAX_PENALTY) * 2 + 1);
    assert_eq!(result.stats.total_municipality_penalty, i64::from(params::MAX_PENALTY) * 3);
    assert_eq!(result.stats.by_municipality[0].drawn, 3);
    assert_eq!(result.stats.by_municipality[0].penalty, i64::from(params::MAX_PENALTY) * 3);
    // The plain objective, as rounds were before the guarantee, makes only the proposal that pays by itself.
    let (plain, _) = round_with(&pool, None, &params, Objective::Plain).expect("valid");
    assert_eq!(plain.stats.filled_seats, 1);
    assert_eq!(plain.stats.guarantees.roles_empty_beside_idle_experts, 1);
    assert_eq!(plain.stats.guarantees.idle_experts_eligible_for_empty_seats, 2);
}

/// One expert eligible for a CRITICAL seat and a LOW seat, with the LOW seat scoring higher (continuity) and all
/// rewards 0.
fn one_expert_two_priorities() -> Pool {
    let mut critical = need(10);
    critical.priority = Priority::Critical;
    let mut low = need(20);
    low.priority = Priority::Low;
    low.municipality_id = id(HROMADA + 1);
    Pool { experts: vec![expert(1)], needs: vec![critical, low], continuity: vec![(id(CONTRIBUTING), id(HROMADA + 1))] }
}

#[test]
fn priority_comes_first_unless_the_round_relaxes_it() {
    let pool = one_expert_two_priorities();
    let rewards = PriorityRewards { critical: 0, high: 0, medium: 0, low: 0 };
    let strict = Params { priority_rewards: rewards, ..Params::default() };
    let result = round(&pool, None, &strict).expect("valid");
    assert_eq!(result.proposals.len(), 1);
    assert_eq!(result.proposals[0].need_id, id(10), "the CRITICAL seat, although the LOW one scores higher");
    assert!(result.stats.priority_first);
    assert_eq!(result.stats.priority_step, 1001);
    assert_eq!(result.proposals[0].priority_step, 3 * 1001);
    assert_eq!(result.stats.guarantees.roles_losing_to_lower_priority, 0);
    let critical = &result.stats.by_priority[0];
    assert_eq!((critical.priority, critical.filled_seats, critical.seats_left), (Priority::Critical, 1, 0));

    let relaxed = Params { priority_first: false, ..strict };
    let result = round(&pool, None, &relaxed).expect("valid");
    assert_eq!(result.proposals[0].need_id, id(20), "relaxed: the better score wins");
    assert!(!result.stats.priority_first);
    assert_eq!(result.stats.priority_step, 0);
    assert_eq!(result.stats.guarantees.roles_losing_to_lower_priority, 1, "and the round says so");
    let critical = &result.stats.by_priority[0];
    assert_eq!((critical.seats_left, critical.seats_left_with_eligible_experts), (1, 1));
}

#[test]
fn inverted_rewards_still_put_priority_first() {
    // A coordinator rewarding LOW above CRITICAL: the step grows by the inversion, so priority still comes first.
    let pool = one_expert_two_priorities();
    let params =
        Params { priority_rewards: PriorityRewards { critical: 0, high: 0, medium: 0, low: 900 }, ..Params::default() };
    assert_eq!(params.priority_step(), 1000 + 1 + 900);
    let result = round(&pool, None, &params).expect("valid");
    assert_eq!(result.proposals[0].need_id, id(10));
}

#[test]
fn a_huge_seat_value_is_solved_exactly() {
    // 1,500 experts of one municipality at the largest penalty make the seat value over a million: the
    // solver's scaled costs and prices must still fit, and the certificate hold.
    let mut pool = generate::generate(1500, 400, 3);
    let only = pool.experts[0].municipality_id;
    for e in &mut pool.experts {
        e.municipality_id = only;
    }
    let params = Params { municipality_penalty: params::MAX_PENALTY, ..Params::default() };
    let result = round(&pool, None, &params).expect("valid");
    assert!(result.stats.seat_value > 1 << 20, "{}", result.stats.seat_value);
    check_round_invariants(&pool, &params, &result);
}

#[test]
fn every_penalty_from_none_to_the_largest_gives_the_independent_solvers_optimum() {
    // The penalty shapes the municipality prices the scaling phases settle; a concentrated pool makes one
    // municipality's marginal penalty decide most seats.
    for pool in [generate::generate(300, 90, 11), generate::generate_shaped(300, 90, 12, generate::Shape::Concentrated)]
    {
        for penalty in [0, 1, 5, 40, params::MAX_PENALTY] {
            let params = Params { municipality_penalty: penalty, ..Params::default() };
            let (result, net) = round_with_network(&pool, None, &params).expect("valid");
            check_round_invariants(&pool, &params, &result);
            let sol = scaling::solve(&net);
            flow::verify(&net, &sol).expect("certificate");
            let (_, solved) = solve_dimacs(&dimacs::to_string(&net, result.objective));
            assert_eq!(solved, -result.objective, "penalty {penalty}");
            assert_eq!(sol.cost, -result.objective, "penalty {penalty}");
        }
    }
}

#[test]
fn invalid_parameters_are_rejected_with_the_field() {
    let mut params = Params::default();
    params.weights.continuity = 500;
    let err = round(&Pool::default(), None, &params).expect_err("weights add up to 1350");
    assert!(err.to_string().contains("params.weights"), "{err}");
    let params = Params { municipality_penalty: params::MAX_PENALTY + 1, ..Params::default() };
    let err = round(&Pool::default(), None, &params).expect_err("above the largest penalty");
    assert!(err.to_string().contains("params.municipality_penalty"), "{err}");
}

// ---------------------------------------------------------------- generated pools, DIMACS

#[test]
fn a_generated_pool_round_matches_an_independent_min_cost_flow_solver() {
    let pool = generate::generate(400, 120, 7);
    pool.validate().expect("generated pools are valid");
    let params = Params::default();
    let (result, net) = round_with_network(&pool, None, &params).expect("valid pool");
    assert!(result.stats.eligible_pairs > 300, "{:?}", result.stats);
    assert!(!result.proposals.is_empty());
    check_round_invariants(&pool, &params, &result);
    let text = dimacs::to_string(&net, result.objective);
    let (claimed, solved) = solve_dimacs(&text);
    assert_eq!(claimed, -result.objective);
    assert_eq!(solved, -result.objective);
    let (nodes, arcs) = net.size();
    assert_eq!(result.stats.nodes, nodes);
    assert_eq!(result.stats.arcs, arcs);
}

#[test]
fn the_generator_is_deterministic_per_seed() {
    assert_eq!(generate::generate(50, 20, 3), generate::generate(50, 20, 3));
    assert_ne!(generate::generate(50, 20, 3), generate::generate(50, 20, 4));
}

/// Reads DIMACS min-cost-flow text and solves it with a plain successive-shortest-path method
/// (Bellman–Ford on the residual graph), written only for this test. Returns the cost claimed in the
/// `c optimal cost:` line and the cost found.
fn solve_dimacs(text: &str) -> (i64, i64) {
    let mut claimed = None;
    let mut n = 0usize;
    let mut supply: Vec<i64> = Vec::new();
    // Residual graph as an edge list: (to, capacity, cost); edge i ^ 1 is its reverse.
    let mut to: Vec<usize> = Vec::new();
    let mut cap: Vec<i64> = Vec::new();
    let mut cost: Vec<i64> = Vec::new();
    let mut from: Vec<usize> = Vec::new();
    let mut declared_arcs = 0usize;
    let mut arcs = 0usize;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first().copied() {
            Some("c") => {
                if let Some(v) = line.strip_prefix("c optimal cost: ") {
                    claimed = Some(v.trim().parse::<i64>().expect("a number"));
                }
            }
            Some("p") => {
                assert_eq!(f[1], "min");
                n = f[2].parse().expect("node count");
                declared_arcs = f[3].parse().expect("arc count");
                supply = vec![0; n + 3];
            }
            Some("n") => {
                let v: usize = f[1].parse().expect("node");
                supply[v] += f[2].parse::<i64>().expect("supply");
            }
            Some("a") => {
                let (u, v): (usize, usize) = (f[1].parse().expect("u"), f[2].parse().expect("v"));
                let low: i64 = f[3].parse().expect("low");
                assert_eq!(low, 0);
                let c: i64 = f[4].parse().expect("cap");
                let w: i64 = f[5].parse().expect("cost");
                for (a, b, cp, cs) in [(u, v, c, w), (v, u, 0, -w)] {
                    from.push(a);
                    to.push(b);
                    cap.push(cp);
                    cost.push(cs);
                }
                arcs += 1;
            }
            _ => {}
        }
    }
    assert_eq!(arcs, declared_arcs, "the p line counts the arcs");
    assert_eq!(supply.iter().sum::<i64>(), 0, "supplies balance");
    // Super source n+1 and super sink n+2.
    let (s, t) = (n + 1, n + 2);
    let mut total = 0;
    for (v, &b_v) in supply.iter().enumerate().take(n + 1).skip(1) {
        let (a, b, c) = if b_v > 0 {
            total += b_v;
            (s, v, b_v)
        } else if b_v < 0 {
            (v, t, -b_v)
        } else {
            continue;
        };
        for (x, y, cp, cs) in [(a, b, c, 0), (b, a, 0, 0)] {
            from.push(x);
            to.push(y);
            cap.push(cp);
            cost.push(cs);
        }
    }
    let nodes = n + 3;
    let mut flow = 0;
    let mut total_cost = 0;
    while flow < total {
        let mut dist = vec![i64::MAX; nodes];
        let mut pred = vec![usize::MAX; nodes];
        dist[s] = 0;
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..to.len() {
                if cap[i] > 0 && dist[from[i]] != i64::MAX && dist[from[i]] + cost[i] < dist[to[i]] {
                    dist[to[i]] = dist[from[i]] + cost[i];
                    pred[to[i]] = i;
                    changed = true;
                }
            }
        }
        assert!(dist[t] != i64::MAX, "every DIMACS instance written is feasible");
        let mut push = total - flow;
        let mut v = t;
        while v != s {
            push = push.min(cap[pred[v]]);
            v = from[pred[v]];
        }
        let mut v = t;
        while v != s {
            cap[pred[v]] -= push;
            cap[pred[v] ^ 1] += push;
            v = from[pred[v]];
        }
        flow += push;
        total_cost += push * dist[t];
    }
    (claimed.expect("a `c optimal cost:` line"), total_cost)
}

// ---------------------------------------------------------------- instance files

#[test]
fn an_instance_file_round_trips() {
    let (pool, params) = small_pool(5, 6, 3);
    let text = instance::to_string(&pool, &params, true);
    let (back, back_params) = instance::from_str(&text).expect("a written instance reads back");
    assert_eq!(back, pool);
    assert_eq!(back_params, params);
}

fn minimal_instance() -> serde_json::Value {
    let pool = Pool { experts: vec![expert(1)], needs: vec![need(2)], continuity: vec![] };
    serde_json::from_str(&instance::to_string(&pool, &Params::default(), false)).expect("JSON")
}

fn read_error(v: serde_json::Value) -> String {
    instance::from_str(&v.to_string()).expect_err("a bad instance is rejected").to_string()
}

#[test]
fn a_missing_field_is_named() {
    let mut v = minimal_instance();
    v["experts"][0].as_object_mut().expect("object").remove("hours_per_week");
    let err = read_error(v);
    assert!(err.contains("missing field `hours_per_week`"), "{err}");
}

#[test]
fn a_skill_level_out_of_range_is_named() {
    let mut v = minimal_instance();
    v["experts"][0]["skills"][0]["level"] = 7.into();
    let err = read_error(v);
    assert!(err.contains("experts[0].skills[0].level"), "{err}");
    assert!(err.contains("level 7 is not in 1..=5"), "{err}");
}

#[test]
fn a_period_ending_before_it_starts_is_named() {
    let mut v = minimal_instance();
    v["needs"][0]["end"] = "2026-01-01".into();
    let err = read_error(v);
    assert!(err.contains("needs[0].end"), "{err}");
    assert!(err.contains("before start"), "{err}");
}

#[test]
fn an_impossible_date_is_named() {
    let mut v = minimal_instance();
    v["experts"][0]["available_from"] = "2026-02-30".into();
    let err = read_error(v);
    assert!(err.contains("experts[0].available_from"), "{err}");
}

#[test]
fn a_file_holding_no_instance_says_what_it_expected() {
    for text in ["null", "[1, 2]", "\"pool\""] {
        let err = instance::from_str(text).expect_err("not an instance").to_string();
        assert!(err.contains("expected an instance: an object with format_version"), "{err}");
        assert!(!err.contains("VersionOnly"), "{err}");
    }
    let err = instance::from_str(&format!("{} trailing", minimal_instance())).expect_err("trailing text").to_string();
    assert!(err.contains("trailing"), "{err}");
}

#[test]
fn an_unknown_format_version_is_rejected() {
    let mut v = minimal_instance();
    v["format_version"] = 2.into();
    let err = read_error(v);
    assert!(err.contains("unsupported format_version 2"), "{err}");
    let mut v = minimal_instance();
    v.as_object_mut().expect("object").remove("format_version");
    assert!(read_error(v).contains("missing field `format_version`"));
}

#[test]
fn an_unknown_field_or_value_is_named() {
    let mut v = minimal_instance();
    v["experts"][0]["hours"] = 3.into();
    assert!(read_error(v).contains("unknown field `hours`"));
    let mut v = minimal_instance();
    v["needs"][0]["security"] = "DANGEROUS".into();
    assert!(read_error(v).contains("unknown variant `DANGEROUS`"));
}

#[test]
fn the_documented_example_is_a_valid_instance() {
    let doc = include_str!("../../docs/matching-instance-format.md");
    let json = doc
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the format documentation has a JSON example");
    let (pool, params) = instance::from_str(json).expect("the example is valid");
    let result = round(&pool, None, &params).expect("valid");
    assert_eq!(result.proposals.len(), 1);
    let x = &result.proposals[0].explanation;
    assert_eq!(x.modes, ModeSet::of(&[Mode::Remote]), "near the frontline: remote only");
    assert_eq!(x.free_hours_per_week, 16);
    assert!(x.continuity);
}

#[test]
fn instance_params_are_optional_and_default() {
    let mut v = minimal_instance();
    v.as_object_mut().expect("object").remove("params");
    let (_, params) = instance::from_str(&v.to_string()).expect("params are optional");
    assert_eq!(params, Params::default());
}
