//! Synthetic pools of a given size and seed, with realistic distributions, for tests and benchmarks.
//!
//! - 60 skill codes of municipal recovery work; experts' skills and roles' essential skills are drawn
//!   Zipf-like (a few common skills, a long tail), levels peaked at 3–4;
//! - experts belong to up to 342 contributing municipalities (large cities give more experts); they
//!   speak Dutch (native), usually English, sometimes German, French, Ukrainian, Polish or Russian
//!   (1–3 languages); offer 8–40 hours a week; are available for weeks to months (a quarter
//!   open-ended); a third carry one or two commitments; a few have an excluded need;
//! - needs belong to up to 1,469 hromadas with mixed security statuses, start within five months,
//!   last two weeks to six months; most have one role of 1–3 seats, some two or three roles;
//! - a few municipality pairs already work together (continuity).
//!
//! With 20,000 experts and 10,000 needs this gives about 3 million eligible pairs. The same size
//! and seed always give the same pool.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::model::{
    Cefr, Commitment, Expert, ExpertLanguage, ExpertSkill, ExpertStatus, Mode, ModeSet, Need, Pool, Priority, Role,
    RoleLanguage, RoleSkill, SecurityStatus,
};

/// The skill codes used by the generator, most common first.
pub const SKILLS: [&str; 60] = [
    "spatial-planning",
    "project-management",
    "public-finance",
    "housing",
    "energy-efficiency",
    "water-supply",
    "citizen-participation",
    "digital-government",
    "procurement",
    "social-services",
    "waste-management",
    "urban-mobility",
    "crisis-management",
    "education-administration",
    "public-health",
    "economic-development",
    "integrity-anticorruption",
    "local-taxation",
    "civil-protection",
    "idp-integration",
    "heritage-restoration",
    "sanitation",
    "district-heating",
    "renewable-energy",
    "building-inspection",
    "land-registry",
    "gis-mapping",
    "asset-management",
    "budget-planning",
    "hr-management",
    "legal-affairs",
    "communications",
    "inclusive-governance",
    "youth-services",
    "elderly-care",
    "disability-inclusion",
    "mental-health-support",
    "school-building",
    "public-transport",
    "road-maintenance",
    "bridge-engineering",
    "flood-protection",
    "environmental-permits",
    "circular-economy",
    "tourism",
    "agriculture",
    "sme-support",
    "investment-promotion",
    "eu-funding",
    "grant-management",
    "data-protection",
    "cybersecurity",
    "open-data",
    "archives",
    "civil-registry",
    "emergency-shelter",
    "demining-coordination",
    "veterans-reintegration",
    "gender-equality",
    "sports-facilities",
];

/// First day of the synthetic calendar (a fixed date, so output never depends on the clock).
pub fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).expect("a valid date")
}

/// Cumulative Zipf weights `1 / rank^s` over `n` items.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                acc += 1.0 / (k as f64).powf(s);
                acc
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = *self.cumulative.last().expect("at least one item");
        let x = rng.random::<f64>() * total;
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len() - 1)
    }
}

/// Picks from `(item, weight)` pairs.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items.last().expect("at least one item").0
}

fn new_id(rng: &mut ChaCha8Rng, counter: &mut u64) -> Uuid {
    // Version 7 ids with a synthetic, increasing timestamp: time-ordered like the database's.
    *counter += 1;
    let bytes: [u8; 10] = rng.random();
    uuid::Builder::from_unix_timestamp_millis(1_767_600_000_000 + *counter, &bytes).into_uuid()
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 { date + Days::new(days as u64) } else { date - Days::new(days.unsigned_abs()) }
}

/// How a generated pool is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// Experts spread over many municipalities (Zipf), varied skills, priorities weighted towards the
    /// middle: the everyday pool.
    #[default]
    Spread,
    /// One municipality holds about 70% of the experts, every role asks for one of six skills few experts
    /// have, and the four priorities are equally common: fairness and priority pulling hardest.
    Concentrated,
}

/// The skills every role asks for in a [`Shape::Concentrated`] pool: far down the experts' Zipf ranking.
const SCARCE_SKILLS: std::ops::Range<usize> = 24..30;

/// Generates a pool of `experts` experts and `needs` needs from `seed` ([`Shape::Spread`]).
pub fn generate(experts: usize, needs: usize, seed: u64) -> Pool {
    generate_shaped(experts, needs, seed, Shape::Spread)
}

/// Generates a pool of the given shape; the same arguments give the same pool.
pub fn generate_shaped(experts: usize, needs: usize, seed: u64, shape: Shape) -> Pool {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counter = 0u64;
    let base = base_date();

    let n_contributing = (experts / 3).clamp(1, 342);
    let n_recovering = (needs / 2).clamp(1, 1469);
    let contributing: Vec<Uuid> = (0..n_contributing).map(|_| new_id(&mut rng, &mut counter)).collect();
    let recovering: Vec<(Uuid, SecurityStatus)> = (0..n_recovering)
        .map(|_| {
            let id = new_id(&mut rng, &mut counter);
            let security = weighted(
                &mut rng,
                &[
                    (SecurityStatus::Normal, 55),
                    (SecurityStatus::NearFrontline, 25),
                    (SecurityStatus::ActiveHostilities, 15),
                    (SecurityStatus::Occupied, 5),
                ],
            );
            (id, security)
        })
        .collect();
    let muni_zipf = Zipf::new(n_contributing, 0.9);
    let hromada_zipf = Zipf::new(n_recovering, 0.7);
    let expert_skill_zipf = Zipf::new(SKILLS.len(), 1.0);
    let role_skill_zipf = Zipf::new(SKILLS.len(), 0.6);

    let mut pool = Pool::default();

    // Needs first, so that commitments and exclusions can point at them.
    for _ in 0..needs {
        let id = new_id(&mut rng, &mut counter);
        let (municipality_id, security) = recovering[hromada_zipf.sample(&mut rng)];
        let start = add_days(base, rng.random_range(0..150));
        let end = add_days(start, rng.random_range(14..=180) - 1);
        let mut modes = ModeSet::EMPTY;
        if rng.random_bool(0.8) {
            modes = modes.with(Mode::Remote);
        }
        if rng.random_bool(0.35) {
            modes = modes.with(Mode::OnSite);
        }
        if rng.random_bool(0.2) || modes.is_empty() {
            modes = modes.with(Mode::Hosting);
        }
        let n_roles = weighted(&mut rng, &[(1usize, 85), (2, 10), (3, 5)]);
        let roles = (0..n_roles).map(|_| generate_role(&mut rng, &mut counter, &role_skill_zipf, shape)).collect();
        let priorities = match shape {
            Shape::Spread => {
                [(Priority::Critical, 10), (Priority::High, 30), (Priority::Medium, 40), (Priority::Low, 20)]
            }
            Shape::Concentrated => {
                [(Priority::Critical, 25), (Priority::High, 25), (Priority::Medium, 25), (Priority::Low, 25)]
            }
        };
        pool.needs.push(Need {
            id,
            municipality_id,
            security,
            priority: weighted(&mut rng, &priorities),
            start,
            end,
            modes,
            roles,
        });
    }

    for _ in 0..experts {
        let id = new_id(&mut rng, &mut counter);
        let municipality_id = match shape {
            Shape::Concentrated if rng.random_bool(0.7) => contributing[0],
            _ => contributing[muni_zipf.sample(&mut rng)],
        };
        let status =
            weighted(&mut rng, &[(ExpertStatus::Active, 92), (ExpertStatus::Paused, 6), (ExpertStatus::Withdrawn, 2)]);
        let hours_per_week = weighted(&mut rng, &[(8u16, 2), (12, 1), (16, 3), (20, 2), (24, 2), (32, 1), (40, 1)]);
        let available_from = add_days(base, rng.random_range(-60..120));
        let available_until =
            if rng.random_bool(0.25) { None } else { Some(add_days(available_from, rng.random_range(28..=365))) };
        let mut modes = ModeSet::EMPTY;
        if rng.random_bool(0.85) {
            modes = modes.with(Mode::Remote);
        }
        if rng.random_bool(0.4) {
            modes = modes.with(Mode::OnSite);
        }
        if rng.random_bool(0.3) || modes.is_empty() {
            modes = modes.with(Mode::Hosting);
        }
        let n_skills = weighted(&mut rng, &[(2usize, 25), (3, 35), (4, 25), (5, 15)]);
        let mut skills: Vec<ExpertSkill> = Vec::with_capacity(n_skills);
        while skills.len() < n_skills {
            let code = SKILLS[expert_skill_zipf.sample(&mut rng)];
            if skills.iter().any(|s| s.skill == code) {
                continue;
            }
            let level = weighted(&mut rng, &[(1u8, 5), (2, 15), (3, 35), (4, 30), (5, 15)]);
            skills.push(ExpertSkill { skill: code.to_string(), level });
        }
        let mut languages = vec![ExpertLanguage {
            language: "nl".into(),
            level: if rng.random_bool(0.9) { Cefr::Native } else { Cefr::C1 },
        }];
        if rng.random_bool(0.92) {
            languages.push(ExpertLanguage {
                language: "en".into(),
                level: weighted(&mut rng, &[(Cefr::B1, 20), (Cefr::B2, 35), (Cefr::C1, 30), (Cefr::C2, 15)]),
            });
        }
        let extra = weighted(
            &mut rng,
            &[(None, 65), (Some("de"), 15), (Some("fr"), 8), (Some("uk"), 5), (Some("ru"), 4), (Some("pl"), 3)],
        );
        if let Some(code) = extra {
            let level = if code == "uk" && rng.random_bool(0.5) {
                Cefr::Native
            } else {
                weighted(&mut rng, &[(Cefr::A2, 20), (Cefr::B1, 35), (Cefr::B2, 30), (Cefr::C1, 15)])
            };
            languages.push(ExpertLanguage { language: code.into(), level });
        }
        let n_commitments = if needs == 0 { 0 } else { weighted(&mut rng, &[(0usize, 65), (1, 25), (2, 10)]) };
        let commitments = (0..n_commitments)
            .map(|_| {
                let need = &pool.needs[rng.random_range(0..needs)];
                Commitment {
                    need_id: need.id,
                    start: need.start,
                    end: need.end,
                    hours_per_week: weighted(&mut rng, &[(4u16, 3), (8, 4), (12, 2), (16, 1)]),
                }
            })
            .collect();
        let excluded_needs = if needs > 0 && rng.random_bool(0.03) {
            vec![pool.needs[rng.random_range(0..needs)].id]
        } else {
            Vec::new()
        };
        pool.experts.push(Expert {
            id,
            municipality_id,
            status,
            hours_per_week,
            available_from,
            available_until,
            modes,
            skills,
            languages,
            commitments,
            excluded_needs,
        });
    }

    for &m in &contributing {
        if rng.random_bool(0.3) {
            let (h, _) = recovering[hromada_zipf.sample(&mut rng)];
            pool.continuity.push((m, h));
        }
    }
    pool
}

fn generate_role(rng: &mut ChaCha8Rng, counter: &mut u64, zipf: &Zipf, shape: Shape) -> Role {
    let id = new_id(rng, counter);
    let n_essential = weighted(rng, &[(1usize, 55), (2, 45)]);
    let n_desired = weighted(rng, &[(0usize, 30), (1, 45), (2, 25)]);
    let mut skills: Vec<RoleSkill> = Vec::new();
    while skills.len() < n_essential + n_desired {
        let essential = skills.len() < n_essential;
        let code = match shape {
            Shape::Concentrated if essential => SKILLS[rng.random_range(SCARCE_SKILLS)],
            _ => SKILLS[zipf.sample(rng)],
        };
        if skills.iter().any(|s| s.skill == code) {
            continue;
        }
        let min_level = if essential {
            weighted(rng, &[(2u8, 10), (3, 50), (4, 40)])
        } else {
            weighted(rng, &[(2u8, 50), (3, 50)])
        };
        skills.push(RoleSkill { skill: code.to_string(), min_level, essential });
    }
    let en = |level| RoleLanguage { language: "en".into(), min_level: level };
    let uk = |level| RoleLanguage { language: "uk".into(), min_level: level };
    let languages = match rng.random_range(0..100) {
        0..60 => vec![en(Cefr::B2)],
        60..75 => vec![en(Cefr::B1), uk(Cefr::B2)],
        75..90 => vec![uk(Cefr::B2)],
        _ => Vec::new(),
    };
    Role {
        id,
        title: format!(
            "{} {}",
            skills[0].skill.replace('-', " "),
            if rng.random_bool(0.5) { "advisor" } else { "specialist" }
        ),
        skills,
        languages,
        interpreter_available: rng.random_bool(0.4),
        open_seats: weighted(rng, &[(1u16, 70), (2, 20), (3, 10)]),
        hours_per_week: weighted(rng, &[(4u16, 1), (8, 2), (12, 1), (16, 2), (20, 1), (24, 1)]),
    }
}
