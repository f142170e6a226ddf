//! The snapshot of the pool the engine works on: plain data, no I/O.
//!
//! These types are built by the service layer from the database, and they are also exactly the shape
//! of the JSON instance file (see `docs/matching-instance-format.md`). Every enum is written in
//! `SCREAMING_SNAKE_CASE` in JSON, dates as `YYYY-MM-DD`, ids as UUID strings.
//!
//! Periods are inclusive: a need from 2026-03-02 to 2026-03-08 lasts 7 days.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything one matching run looks at.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub experts: Vec<Expert>,
    pub needs: Vec<Need>,
    /// Existing working relations: (contributing municipality, recovering municipality).
    #[serde(default)]
    pub continuity: Vec<(Uuid, Uuid)>,
}

/// A volunteered staff member, with the commitments they already carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expert {
    pub id: Uuid,
    /// The contributing municipality the expert works for.
    pub municipality_id: Uuid,
    pub status: ExpertStatus,
    /// Hours per week the expert offers in total.
    pub hours_per_week: u16,
    pub available_from: NaiveDate,
    /// `None`: open-ended.
    #[serde(default)]
    pub available_until: Option<NaiveDate>,
    pub modes: ModeSet,
    #[serde(default)]
    pub skills: Vec<ExpertSkill>,
    #[serde(default)]
    pub languages: Vec<ExpertLanguage>,
    /// The expert's PROPOSED, ACCEPTED, CONFIRMED and ACTIVE assignments.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    /// Needs the expert is already on, was rejected for, or declined: never proposed again.
    #[serde(default)]
    pub excluded_needs: Vec<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertSkill {
    /// Skill code from the curated skill list.
    pub skill: String,
    /// 1 (basic) ..= 5 (expert).
    pub level: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertLanguage {
    /// ISO 639-1 code, lower case (`en`, `nl`, `uk`, ...).
    pub language: String,
    pub level: Cefr,
}

/// Hours already promised to another need over a period (inclusive dates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub need_id: Uuid,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub hours_per_week: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExpertStatus {
    Active,
    Paused,
    Withdrawn,
}

/// Language level on the CEFR scale; `Native` is above `C2`. Ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cefr {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
    #[serde(rename = "NATIVE")]
    Native,
}

impl Cefr {
    /// 0 (A1) ..= 6 (native).
    pub fn rank(self) -> u8 {
        self as u8
    }

    pub const ALL: [Cefr; 7] = [Cefr::A1, Cefr::A2, Cefr::B1, Cefr::B2, Cefr::C1, Cefr::C2, Cefr::Native];

    pub fn from_rank(rank: u8) -> Option<Cefr> {
        Cefr::ALL.get(usize::from(rank)).copied()
    }
}

/// How the work is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    /// From the expert's own office.
    Remote,
    /// In the Ukrainian municipality: only where its security status is NORMAL.
    OnSite,
    /// Receiving Ukrainian colleagues in the expert's own city.
    Hosting,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Remote, Mode::OnSite, Mode::Hosting];

    fn bit(self) -> u8 {
        match self {
            Mode::Remote => 1,
            Mode::OnSite => 2,
            Mode::Hosting => 4,
        }
    }
}

/// A set of modes; in JSON a list such as `["REMOTE", "ON_SITE"]`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ModeSet(u8);

impl ModeSet {
    pub const EMPTY: ModeSet = ModeSet(0);

    pub fn of(modes: &[Mode]) -> ModeSet {
        ModeSet(modes.iter().fold(0, |acc, m| acc | m.bit()))
    }

    pub fn contains(self, mode: Mode) -> bool {
        self.0 & mode.bit() != 0
    }

    pub fn with(self, mode: Mode) -> ModeSet {
        ModeSet(self.0 | mode.bit())
    }

    pub fn without(self, mode: Mode) -> ModeSet {
        ModeSet(self.0 & !mode.bit())
    }

    pub fn intersection(self, other: ModeSet) -> ModeSet {
        ModeSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Mode> {
        Mode::ALL.into_iter().filter(move |m| self.contains(*m))
    }

    pub(crate) fn bits(self) -> u8 {
        self.0
    }
}

impl fmt::Debug for ModeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for ModeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .iter()
            .map(|m| match m {
                Mode::Remote => "remote",
                Mode::OnSite => "on-site",
                Mode::Hosting => "hosting",
            })
            .collect();
        if names.is_empty() { f.write_str("none") } else { f.write_str(&names.join("+")) }
    }
}

impl Serialize for ModeSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ModeSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let modes = Vec::<Mode>::deserialize(deserializer)?;
        Ok(ModeSet::of(&modes))
    }
}

/// Security status of a Ukrainian municipality, kept up to date by AUC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecurityStatus {
    Normal,
    NearFrontline,
    ActiveHostilities,
    Occupied,
}

/// The one safety rule of the engine: ON_SITE work is proposed only where the municipality's security
/// status is NORMAL. Near the frontline, under active hostilities or under occupation, only REMOTE and
/// HOSTING remain.
pub fn on_site_allowed(security: SecurityStatus) -> bool {
    matches!(security, SecurityStatus::Normal)
}

/// The modes of a need that may actually be proposed, given the municipality's security status.
pub fn safe_modes(need_modes: ModeSet, security: SecurityStatus) -> ModeSet {
    if on_site_allowed(security) { need_modes } else { need_modes.without(Mode::OnSite) }
}

/// Priority set by the Ukrainian side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
    Critical,
    High,
    Medium,
    Low,
}

/// An open need of a recovery plan, with the roles of its team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Need {
    pub id: Uuid,
    /// The recovering (Ukrainian) municipality.
    pub municipality_id: Uuid,
    pub security: SecurityStatus,
    pub priority: Priority,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Modes the need accepts (before the safety rule is applied).
    pub modes: ModeSet,
    pub roles: Vec<Role>,
}

/// One role of a need's team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Uuid,
    pub title: String,
    #[serde(default)]
    pub skills: Vec<RoleSkill>,
    /// Alternatives: one shared language at its minimum level is enough. Empty: no requirement.
    #[serde(default)]
    pub languages: Vec<RoleLanguage>,
    /// An interpreter is available, so no shared language is needed.
    #[serde(default)]
    pub interpreter_available: bool,
    /// Seats still to be filled (seats minus accepted or proposed ones).
    pub open_seats: u16,
    pub hours_per_week: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSkill {
    pub skill: String,
    /// 1 ..= 5.
    pub min_level: u8,
    /// Essential skills must be met; desired ones only add to the score.
    pub essential: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleLanguage {
    pub language: String,
    pub min_level: Cefr,
}

/// A field of the pool that breaks a rule, named by its path (e.g. `experts[3].skills[0].level`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidField {
    pub field: String,
    pub reason: String,
}

fn invalid(field: String, reason: impl Into<String>) -> InvalidField {
    InvalidField { field, reason: reason.into() }
}

/// The highest skill level.
pub const MAX_SKILL_LEVEL: u8 = 5;

impl Pool {
    /// Checks the rules serde cannot: level ranges, periods, unique ids. The first broken rule is
    /// returned with the path of the field.
    pub fn validate(&self) -> Result<(), InvalidField> {
        // Field paths are only formatted when a rule is broken.
        let mut expert_ids = std::collections::HashSet::with_capacity(self.experts.len());
        for (i, e) in self.experts.iter().enumerate() {
            let at = || format!("experts[{i}]");
            if !expert_ids.insert(e.id) {
                return Err(invalid(format!("{}.id", at()), format!("duplicate expert id {}", e.id)));
            }
            if let Some(until) = e.available_until
                && until < e.available_from
            {
                return Err(invalid(
                    format!("{}.available_until", at()),
                    format!("{until} is before available_from {}", e.available_from),
                ));
            }
            for (j, s) in e.skills.iter().enumerate() {
                check_level(|| format!("{}.skills[{j}].level", at()), s.level)?;
                check_code(|| format!("{}.skills[{j}].skill", at()), &s.skill)?;
            }
            for (j, l) in e.languages.iter().enumerate() {
                check_code(|| format!("{}.languages[{j}].language", at()), &l.language)?;
            }
            for (j, c) in e.commitments.iter().enumerate() {
                if c.end < c.start {
                    return Err(invalid(
                        format!("{}.commitments[{j}].end", at()),
                        format!("{} is before start {}", c.end, c.start),
                    ));
                }
            }
        }
        let mut need_ids = std::collections::HashSet::with_capacity(self.needs.len());
        let mut role_ids = std::collections::HashSet::new();
        for (i, n) in self.needs.iter().enumerate() {
            let at = || format!("needs[{i}]");
            if !need_ids.insert(n.id) {
                return Err(invalid(format!("{}.id", at()), format!("duplicate need id {}", n.id)));
            }
            if n.end < n.start {
                return Err(invalid(format!("{}.end", at()), format!("{} is before start {}", n.end, n.start)));
            }
            for (j, r) in n.roles.iter().enumerate() {
                let at = || format!("{}.roles[{j}]", at());
                if !role_ids.insert(r.id) {
                    return Err(invalid(format!("{}.id", at()), format!("duplicate role id {}", r.id)));
                }
                for (k, s) in r.skills.iter().enumerate() {
                    check_level(|| format!("{}.skills[{k}].min_level", at()), s.min_level)?;
                    check_code(|| format!("{}.skills[{k}].skill", at()), &s.skill)?;
                }
                for (k, l) in r.languages.iter().enumerate() {
                    check_code(|| format!("{}.languages[{k}].language", at()), &l.language)?;
                }
            }
        }
        Ok(())
    }
}

fn check_level(field: impl FnOnce() -> String, level: u8) -> Result<(), InvalidField> {
    if (1..=MAX_SKILL_LEVEL).contains(&level) {
        Ok(())
    } else {
        Err(invalid(field(), format!("level {level} is not in 1..={MAX_SKILL_LEVEL}")))
    }
}

fn check_code(field: impl FnOnce() -> String, code: &str) -> Result<(), InvalidField> {
    if code.is_empty() { Err(invalid(field(), "must not be empty")) } else { Ok(()) }
}

/// Day number used inside the engine (days since 0001-01-01 of the proleptic Gregorian calendar).
pub(crate) fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// Inverse of [`day`].
pub(crate) fn date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("day numbers come from valid dates")
}
