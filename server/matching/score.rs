//! The score of an eligible (expert, role) pair: 0–1000, the sum of five weighted parts.
//!
//! Each part is `weight × fit / 1000` rounded down, where the fit is a permille (integer arithmetic
//! only, so results are the same everywhere):
//!
//! | part | fit (permille) |
//! |---|---|
//! | essential margin | mean over the essential skills of `(level − min) × 1000 / (5 − min)` (1000 when min is 5); 1000 when the role has no essential skill |
//! | desired skills | mean over the desired skills of: at or above min `600 + 400 × (level − min) / (5 − min)`; below min `300 × level / min`; missing 0. 1000 when the role has no desired skill |
//! | language | role without language requirement: 1000; best shared language at its minimum: `700 + 300 × (rank − min rank) / (NATIVE − min rank)`; only through the interpreter: 300 |
//! | period coverage | the share of the need's period the expert is available for |
//! | continuity | 1000 when the expert's municipality already works with the need's municipality, else 0 |

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::eligibility::{Fit, cefr, level_of, mode_set, rank_of};
use super::index::{CExpert, CRole, CandidateIndex};
use super::model::{self, Cefr, ModeSet, Role};
use super::params::Weights;

/// The five parts of a score, each already weighted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreParts {
    pub essential_margin: u16,
    pub desired_skills: u16,
    pub language: u16,
    pub period_coverage: u16,
    pub continuity: u16,
}

impl ScoreParts {
    pub fn total(&self) -> u16 {
        self.essential_margin
            .saturating_add(self.desired_skills)
            .saturating_add(self.language)
            .saturating_add(self.period_coverage)
            .saturating_add(self.continuity)
    }
}

/// How one skill of the role is met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillFit {
    pub skill: String,
    pub essential: bool,
    pub min_level: u8,
    /// The expert's level; `None` when they do not have the skill.
    pub level: Option<u8>,
}

/// How one language of the role is met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageFit {
    pub language: String,
    pub min_level: Cefr,
    /// The expert's level; `None` when they do not speak it.
    pub level: Option<Cefr>,
}

/// Why a pair scores what it scores: enough for a person to check it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The score, 0–1000: the sum of the parts.
    pub total: u16,
    pub parts: ScoreParts,
    /// Every skill of the role with the expert's level: essential ones first, then by code.
    pub matched_skills: Vec<SkillFit>,
    /// Every language of the role with the expert's level, by code.
    pub languages: Vec<LanguageFit>,
    /// True when no language is shared at the required level and the interpreter is relied on.
    pub interpreter_needed: bool,
    /// Share of the need's period the expert is available for.
    pub coverage_permille: u16,
    /// The assignment period: the need's period clipped to the expert's availability.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Modes both sides accept (after the safety rule).
    pub modes: ModeSet,
    /// Hours per week the role asks for.
    pub hours_per_week: u16,
    /// The expert's free hours per week in the assignment period before this role.
    pub free_hours_per_week: u16,
    /// The expert's municipality already works with the need's municipality.
    pub continuity: bool,
}

fn weighted(weight: u16, fit: u32) -> u16 {
    u16::try_from(u32::from(weight) * fit.min(1000) / 1000).expect("weight × fit / 1000 ≤ weight")
}

/// Fit of one level above a minimum, in permille: `(level − min) × 1000 / (5 − min)`, 1000 when the
/// minimum is 5, 0 below the minimum.
const fn margin_of(level: u8, min: u8) -> u32 {
    if min >= model::MAX_SKILL_LEVEL {
        1000
    } else if level <= min {
        0
    } else {
        (level - min) as u32 * 1000 / (model::MAX_SKILL_LEVEL - min) as u32
    }
}

/// [`margin_of`] for every (minimum, level) in 0..=7, computed at compile time (no division per pair).
const MARGINS: [[u32; 8]; 8] = {
    let mut table = [[0u32; 8]; 8];
    let mut min = 0;
    while min < 8 {
        let mut level = 0;
        while level < 8 {
            table[min][level] = margin_of(level as u8, min as u8);
            level += 1;
        }
        min += 1;
    }
    table
};

/// Fit of one level above a minimum, in permille.
#[inline]
fn margin(level: u8, min: u8) -> u32 {
    match MARGINS.get(usize::from(min)).and_then(|row| row.get(usize::from(level))) {
        Some(&m) => m,
        None => margin_of(level, min),
    }
}

/// The weighted parts of an eligible pair.
#[inline]
pub(crate) fn parts(index: &CandidateIndex, e: &CExpert, role: &CRole, fit: &Fit, weights: &Weights) -> ScoreParts {
    let skills = index.expert_skills(e);
    let essential = if role.essential.is_empty() {
        1000
    } else {
        let sum: u32 = role.essential.iter().map(|&(s, min, _)| margin(level_of(skills, s), min)).sum();
        sum / role.essential.len() as u32
    };
    let desired = if role.desired.is_empty() {
        1000
    } else {
        let sum: u32 = role
            .desired
            .iter()
            .map(|&(s, min, _)| {
                let level = level_of(skills, s);
                if level == 0 {
                    0
                } else if level >= min {
                    600 + 400 * margin(level, min) / 1000
                } else {
                    300 * u32::from(level) / u32::from(min.max(1))
                }
            })
            .sum();
        sum / role.desired.len() as u32
    };
    let language = if role.languages.is_empty() {
        1000
    } else {
        let langs = index.expert_languages(e);
        let native = Cefr::Native.rank();
        role.languages
            .iter()
            .filter_map(|&(l, min, _)| {
                let rank = rank_of(langs, l)?;
                (rank >= min).then(|| {
                    if min >= native { 1000 } else { 700 + 300 * u32::from(rank - min) / u32::from(native - min) }
                })
            })
            .max()
            .unwrap_or(300)
    };
    let continuity = if role.continuity[e.municipality as usize] { 1000 } else { 0 };
    ScoreParts {
        essential_margin: weighted(weights.essential_margin, essential),
        desired_skills: weighted(weights.desired_skills, desired),
        language: weighted(weights.language, language),
        period_coverage: weighted(weights.period_coverage, u32::from(fit.coverage_permille)),
        continuity: weighted(weights.continuity, continuity),
    }
}

/// The full explanation of an eligible pair.
pub(crate) fn explain(index: &CandidateIndex, e: &CExpert, role: &Role, compiled: &CRole, fit: &Fit) -> Explanation {
    let parts = parts(index, e, compiled, fit, &index.params.weights);
    let skills = index.expert_skills(e);
    let mut matched_skills: Vec<SkillFit> = role
        .skills
        .iter()
        .map(|s| {
            let level = index.skill_ids.get(s.skill.as_str()).map_or(0, |&id| level_of(skills, id));
            SkillFit {
                skill: s.skill.clone(),
                essential: s.essential,
                min_level: s.min_level,
                level: (level > 0).then_some(level),
            }
        })
        .collect();
    // Essential skills first, then by code: independent of the order the role lists them in.
    matched_skills.sort_by(|a, b| {
        b.essential.cmp(&a.essential).then_with(|| a.skill.cmp(&b.skill)).then(a.min_level.cmp(&b.min_level))
    });
    let langs = index.expert_languages(e);
    let mut languages: Vec<LanguageFit> = role
        .languages
        .iter()
        .map(|l| LanguageFit {
            language: l.language.clone(),
            min_level: l.min_level,
            level: index.language_ids.get(l.language.as_str()).and_then(|&id| rank_of(langs, id)).map(cefr),
        })
        .collect();
    languages.sort_by(|a, b| a.language.cmp(&b.language).then(a.min_level.cmp(&b.min_level)));
    let interpreter_needed =
        !languages.is_empty() && !languages.iter().any(|l| l.level.is_some_and(|lv| lv >= l.min_level));
    Explanation {
        total: parts.total(),
        parts,
        matched_skills,
        languages,
        interpreter_needed,
        coverage_permille: fit.coverage_permille,
        period_start: model::date(fit.start),
        period_end: model::date(fit.end),
        modes: mode_set(fit.modes),
        hours_per_week: compiled.hours,
        free_hours_per_week: e.hours.saturating_sub(fit.peak_hours),
        continuity: compiled.continuity[e.municipality as usize],
    }
}
