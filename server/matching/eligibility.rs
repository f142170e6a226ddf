//! Eligibility of one expert for one role of a need (docs/matching.md).
//!
//! The checks, in the order in which the first failing one is reported:
//! 1. the expert is ACTIVE;
//! 2. the need is not in the expert's excluded needs (already on it, rejected for it, or declined it);
//! 3. every essential skill of the role at or above its minimum level;
//! 4. a shared language at the role's minimum level for it, or an interpreter available (a role without
//!    language requirements needs none);
//! 5. the expert's availability covers at least `min_period_coverage_permille` of the need's period
//!    (and at least one day of it);
//! 6. a mode in common, where ON_SITE counts only if the need's municipality is safe
//!    ([`super::model::on_site_allowed`]);
//! 7. free hours: over the assignment period (the need's period clipped to the expert's availability),
//!    the largest total of the hours per week of the expert's commitments overlapping any one day, plus
//!    the role's hours per week, is at most the hours per week the expert offers.

use serde::Serialize;

use super::index::{CExpert, CRole, CandidateIndex, Quick};
use super::model::{Cefr, ExpertStatus, ModeSet, Role, RoleLanguage};

/// Why an expert is not eligible for a role: the first failing check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Ineligibility {
    #[error("the expert is {status:?}, not ACTIVE")]
    NotActive { status: ExpertStatus },
    #[error("the expert is already on, was rejected for, or declined this need")]
    ExcludedFromNeed,
    #[error("essential skill {skill} needs level {min_level}, the expert has {}", level.map_or("none".to_string(), |l| l.to_string()))]
    MissingEssentialSkill { skill: String, min_level: u8, level: Option<u8> },
    #[error("no shared language at the required level and no interpreter")]
    NoSharedLanguage { required: Vec<RoleLanguage> },
    #[error("available for {coverage_permille}‰ of the need's period, {required_permille}‰ required")]
    InsufficientAvailability { coverage_permille: u16, required_permille: u16 },
    #[error("no mode in common: the expert offers {expert}, the need allows {allowed} here")]
    NoCommonMode { expert: ModeSet, allowed: ModeSet },
    #[error("{free_hours} free hours per week in the period, the role needs {required_hours}")]
    NotEnoughFreeHours { free_hours: u16, required_hours: u16 },
}

/// The compact form of a failed check (no allocation on the hot path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    NotActive,
    Excluded,
    /// Index of the role skill, and the expert's level (0: none).
    Skill {
        role_skill: u8,
        level: u8,
    },
    Language,
    Coverage {
        permille: u16,
    },
    Mode,
    Hours {
        free: u16,
    },
}

/// What a passed check found out, needed for the score and the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fit {
    pub start: i32,
    pub end: i32,
    pub coverage_permille: u16,
    pub peak_hours: u16,
    pub modes: u8,
}

/// The share of `need_start..=need_end` covered by `start..=end`, in permille (rounded down).
pub(crate) fn coverage_permille(need_start: i32, need_end: i32, start: i32, end: i32) -> u16 {
    if end < start {
        return 0;
    }
    let covered = i64::from(end) - i64::from(start) + 1;
    let total = i64::from(need_end) - i64::from(need_start) + 1;
    u16::try_from((covered * 1000 / total.max(1)).min(1000)).expect("at most 1000")
}

/// The largest total of hours per week of the commitments overlapping any single day of
/// `start..=end`. The total can only rise at the first day of a commitment (or at `start`), so it is
/// enough to look at those days.
pub(crate) fn peak_committed_hours(commitments: &[super::index::CCommitment], start: i32, end: i32) -> u32 {
    let mut peak = 0u32;
    for c in commitments {
        if c.end < start || c.start > end {
            continue;
        }
        let day = c.start.max(start);
        let load: u32 = commitments.iter().filter(|d| d.start <= day && day <= d.end).map(|d| u32::from(d.hours)).sum();
        peak = peak.max(load);
    }
    peak
}

/// Checks one (expert, role) pair, in the documented order.
#[inline]
pub(crate) fn check(index: &CandidateIndex, e: &CExpert, role: &CRole) -> Result<Fit, Fail> {
    if e.status != ExpertStatus::Active {
        return Err(Fail::NotActive);
    }
    if e.excluded.len > 0 && index.excluded[e.excluded.range()].binary_search(&role.need_id).is_ok() {
        return Err(Fail::Excluded);
    }
    let skills = index.expert_skills(e);
    for &(skill, min, at) in &role.essential {
        let level = level_of(skills, skill);
        if level < min {
            return Err(Fail::Skill { role_skill: at, level });
        }
    }
    if !role.languages.is_empty() && !role.interpreter {
        let langs = index.expert_languages(e);
        let shared = role.languages.iter().any(|&(lang, min, _)| rank_of(langs, lang).is_some_and(|r| r >= min));
        if !shared {
            return Err(Fail::Language);
        }
    }
    let start = role.need_start.max(e.from);
    let end = role.need_end.min(e.until);
    let coverage = coverage_permille(role.need_start, role.need_end, start, end);
    if end < start || coverage < index.params.min_period_coverage_permille {
        return Err(Fail::Coverage { permille: coverage });
    }
    let modes = e.modes & role.modes;
    if modes == 0 {
        return Err(Fail::Mode);
    }
    let peak = peak_committed_hours(&index.commitments[e.commitments.range()], start, end);
    if peak + u32::from(role.hours) > u32::from(e.hours) {
        let free = u32::from(e.hours).saturating_sub(peak);
        return Err(Fail::Hours { free: u16::try_from(free).unwrap_or(u16::MAX) });
    }
    Ok(Fit { start, end, coverage_permille: coverage, peak_hours: u16::try_from(peak).unwrap_or(u16::MAX), modes })
}

/// A cheap necessary condition of [`check`] (language, period, modes, hours) on compact data, for
/// scanning many experts: `false` means certainly not eligible.
#[inline]
pub(crate) fn may_fit(idx: u32, q: &Quick, role: &CRole, min_coverage_permille: u16) -> bool {
    if let Some(bits) = &role.language_filter
        && bits[idx as usize / 64] & (1 << (idx % 64)) == 0
    {
        return false;
    }
    let start = role.need_start.max(q.from);
    let end = role.need_end.min(q.until);
    // floor(covered × 1000 / total) ≥ min  ⇔  covered × 1000 ≥ min × total, without a division.
    let covered = i64::from(end) - i64::from(start) + 1;
    let total = i64::from(role.need_end) - i64::from(role.need_start) + 1;
    end >= start
        && q.modes & role.modes != 0
        && q.hours >= role.hours
        && covered * 1000 >= i64::from(min_coverage_permille) * total
}

/// The expert's level of a skill (0: does not have it).
#[inline]
pub(crate) fn level_of(skills: &[(u16, u8)], skill: u16) -> u8 {
    // Experts hold a handful of skills: a linear scan beats a binary search.
    skills.iter().find(|s| s.0 == skill).map_or(0, |s| s.1)
}

/// The expert's CEFR rank of a language, if they speak it.
#[inline]
pub(crate) fn rank_of(langs: &[(u16, u8)], lang: u16) -> Option<u8> {
    langs.iter().find(|l| l.0 == lang).map(|l| l.1)
}

/// Turns a compact failure into the reason shown to people.
pub(crate) fn describe(
    fail: Fail,
    e: &CExpert,
    role: &Role,
    compiled: &CRole,
    index: &CandidateIndex,
) -> Ineligibility {
    match fail {
        Fail::NotActive => Ineligibility::NotActive { status: e.status },
        Fail::Excluded => Ineligibility::ExcludedFromNeed,
        Fail::Skill { role_skill, level } => {
            let s = &role.skills[usize::from(role_skill)];
            Ineligibility::MissingEssentialSkill {
                skill: s.skill.clone(),
                min_level: s.min_level,
                level: (level > 0).then_some(level),
            }
        }
        Fail::Language => Ineligibility::NoSharedLanguage { required: role.languages.clone() },
        Fail::Coverage { permille } => Ineligibility::InsufficientAvailability {
            coverage_permille: permille,
            required_permille: index.params.min_period_coverage_permille,
        },
        Fail::Mode => Ineligibility::NoCommonMode { expert: mode_set(e.modes), allowed: mode_set(compiled.modes) },
        Fail::Hours { free } => {
            Ineligibility::NotEnoughFreeHours { free_hours: free, required_hours: role.hours_per_week }
        }
    }
}

pub(crate) fn mode_set(bits: u8) -> ModeSet {
    use super::model::Mode;
    Mode::ALL.into_iter().filter(|m| ModeSet::EMPTY.with(*m).bits() & bits != 0).fold(ModeSet::EMPTY, ModeSet::with)
}

pub(crate) fn cefr(rank: u8) -> Cefr {
    Cefr::from_rank(rank).expect("ranks come from Cefr values")
}
