//! From stored rows to the engine's snapshot of the pool (`matching::model`).

use std::collections::HashMap;

use uuid::Uuid;

use crate::domain::{AppError, AppResult};
use crate::matching::model::{
    Commitment, Expert, ExpertLanguage, ExpertSkill, Mode, ModeSet, Need, Role, RoleLanguage, RoleSkill,
};
use crate::store::pool::{ExpertRows, NeedRows};

/// The engine's values as the domain writes them (for the API, and for writing an instance into the store): the
/// reverse of what this module reads.
pub mod to_domain {
    use crate::domain;
    use crate::matching::model;

    pub fn priority(p: model::Priority) -> domain::Priority {
        match p {
            model::Priority::Critical => domain::Priority::Critical,
            model::Priority::High => domain::Priority::High,
            model::Priority::Medium => domain::Priority::Medium,
            model::Priority::Low => domain::Priority::Low,
        }
    }

    pub fn cefr(c: model::Cefr) -> domain::Cefr {
        match c {
            model::Cefr::A1 => domain::Cefr::A1,
            model::Cefr::A2 => domain::Cefr::A2,
            model::Cefr::B1 => domain::Cefr::B1,
            model::Cefr::B2 => domain::Cefr::B2,
            model::Cefr::C1 => domain::Cefr::C1,
            model::Cefr::C2 => domain::Cefr::C2,
            model::Cefr::Native => domain::Cefr::Native,
        }
    }

    pub fn security_status(s: model::SecurityStatus) -> domain::SecurityStatus {
        match s {
            model::SecurityStatus::Normal => domain::SecurityStatus::Normal,
            model::SecurityStatus::NearFrontline => domain::SecurityStatus::NearFrontline,
            model::SecurityStatus::ActiveHostilities => domain::SecurityStatus::ActiveHostilities,
            model::SecurityStatus::Occupied => domain::SecurityStatus::Occupied,
        }
    }

    pub fn expert_status(s: model::ExpertStatus) -> domain::ExpertStatus {
        match s {
            model::ExpertStatus::Active => domain::ExpertStatus::Active,
            model::ExpertStatus::Paused => domain::ExpertStatus::Paused,
            model::ExpertStatus::Withdrawn => domain::ExpertStatus::Withdrawn,
        }
    }
}

/// The domain's values as the engine reads them: the reverse of [`to_domain`].
mod to_engine {
    use crate::domain;
    use crate::matching::model;

    pub fn priority(p: domain::Priority) -> model::Priority {
        match p {
            domain::Priority::Critical => model::Priority::Critical,
            domain::Priority::High => model::Priority::High,
            domain::Priority::Medium => model::Priority::Medium,
            domain::Priority::Low => model::Priority::Low,
        }
    }

    pub fn cefr(c: domain::Cefr) -> model::Cefr {
        match c {
            domain::Cefr::A1 => model::Cefr::A1,
            domain::Cefr::A2 => model::Cefr::A2,
            domain::Cefr::B1 => model::Cefr::B1,
            domain::Cefr::B2 => model::Cefr::B2,
            domain::Cefr::C1 => model::Cefr::C1,
            domain::Cefr::C2 => model::Cefr::C2,
            domain::Cefr::Native => model::Cefr::Native,
        }
    }

    /// Not yet assessed counts as unsafe: no on-site work until AUC sets the status.
    pub fn security_status(s: Option<domain::SecurityStatus>) -> model::SecurityStatus {
        match s {
            Some(domain::SecurityStatus::Normal) => model::SecurityStatus::Normal,
            Some(domain::SecurityStatus::ActiveHostilities) => model::SecurityStatus::ActiveHostilities,
            Some(domain::SecurityStatus::Occupied) => model::SecurityStatus::Occupied,
            Some(domain::SecurityStatus::NearFrontline) | None => model::SecurityStatus::NearFrontline,
        }
    }

    pub fn expert_status(s: domain::ExpertStatus) -> model::ExpertStatus {
        match s {
            domain::ExpertStatus::Active => model::ExpertStatus::Active,
            domain::ExpertStatus::Paused => model::ExpertStatus::Paused,
            domain::ExpertStatus::Withdrawn => model::ExpertStatus::Withdrawn,
        }
    }
}

fn modes(remote: bool, on_site: bool, hosting: bool) -> ModeSet {
    let mut m = ModeSet::default();
    for (on, mode) in [(remote, Mode::Remote), (on_site, Mode::OnSite), (hosting, Mode::Hosting)] {
        if on {
            m = m.with(mode);
        }
    }
    m
}

fn small(v: i32, what: &str) -> AppResult<u16> {
    u16::try_from(v).map_err(|_| AppError::internal(anyhow::anyhow!("{what} {v} out of range")))
}

pub fn experts(rows: ExpertRows) -> AppResult<Vec<Expert>> {
    let mut skills: HashMap<Uuid, Vec<ExpertSkill>> = HashMap::new();
    for s in rows.skills {
        let level = u8::try_from(s.level).map_err(AppError::internal)?;
        skills.entry(s.expert_id).or_default().push(ExpertSkill { skill: s.code, level });
    }
    let mut languages: HashMap<Uuid, Vec<ExpertLanguage>> = HashMap::new();
    for l in rows.languages {
        languages
            .entry(l.expert_id)
            .or_default()
            .push(ExpertLanguage { language: l.language, level: to_engine::cefr(l.level) });
    }
    let mut commitments: HashMap<Uuid, Vec<Commitment>> = HashMap::new();
    let mut excluded: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for a in rows.assignments {
        // Any assignment that was not cancelled keeps the expert off that need: on it, rejected, or declined.
        excluded.entry(a.expert_id).or_default().push(a.need_id);
        if a.status.holds_hours() {
            commitments.entry(a.expert_id).or_default().push(Commitment {
                need_id: a.need_id,
                start: a.start_date,
                end: a.end_date,
                hours_per_week: small(a.hours_per_week, "hours")?,
            });
        }
    }
    rows.experts
        .into_iter()
        .map(|e| {
            Ok(Expert {
                id: e.id,
                municipality_id: e.municipality_id,
                status: to_engine::expert_status(e.status),
                hours_per_week: small(e.hours_per_week, "hours")?,
                available_from: e.available_from,
                available_until: e.available_until,
                modes: modes(e.remote, e.on_site, e.hosting),
                skills: skills.remove(&e.id).unwrap_or_default(),
                languages: languages.remove(&e.id).unwrap_or_default(),
                commitments: commitments.remove(&e.id).unwrap_or_default(),
                excluded_needs: excluded.remove(&e.id).unwrap_or_default(),
            })
        })
        .collect()
}

pub fn needs(rows: NeedRows) -> AppResult<Vec<Need>> {
    let taken: HashMap<Uuid, i64> = rows.seats_taken.into_iter().collect();
    let mut role_skills: HashMap<Uuid, Vec<RoleSkill>> = HashMap::new();
    for s in rows.skills {
        let min_level = u8::try_from(s.min_level).map_err(AppError::internal)?;
        role_skills.entry(s.role_id).or_default().push(RoleSkill { skill: s.code, min_level, essential: s.essential });
    }
    let mut role_languages: HashMap<Uuid, Vec<RoleLanguage>> = HashMap::new();
    for l in rows.languages {
        role_languages
            .entry(l.role_id)
            .or_default()
            .push(RoleLanguage { language: l.language, min_level: to_engine::cefr(l.min_level) });
    }
    let mut roles: HashMap<Uuid, Vec<Role>> = HashMap::new();
    for r in rows.roles {
        let open = i64::from(r.seats) - taken.get(&r.id).copied().unwrap_or(0);
        roles.entry(r.need_id).or_default().push(Role {
            id: r.id,
            title: r.title,
            skills: role_skills.remove(&r.id).unwrap_or_default(),
            languages: role_languages.remove(&r.id).unwrap_or_default(),
            interpreter_available: r.interpreter_available,
            open_seats: u16::try_from(open.max(0)).unwrap_or(0),
            hours_per_week: small(r.hours_per_week, "hours")?,
        });
    }
    rows.needs
        .into_iter()
        .map(|n| {
            Ok(Need {
                id: n.id,
                municipality_id: n.municipality_id,
                security: to_engine::security_status(n.security_status),
                priority: to_engine::priority(n.priority),
                start: n.start_date,
                end: n.end_date,
                modes: modes(n.remote, n.on_site, n.hosting),
                roles: roles.remove(&n.id).unwrap_or_default(),
            })
        })
        .collect()
}
