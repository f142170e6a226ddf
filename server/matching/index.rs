//! The compact, read-only form of the pool that every query runs on.
//!
//! Skill and language codes are interned to small integers (in sorted order of their codes), dates
//! become `i32` day numbers, experts are sorted by id (so "expert index ascending" is "expert id
//! ascending", the deterministic tie-break), and for every skill and level the experts holding that
//! skill at that level or above are listed, so a query only looks at experts who can have the role's
//! rarest essential skill.

use std::collections::HashMap;

use uuid::Uuid;

use super::model::{self, Cefr, ExpertStatus, Need, Pool, Role};
use super::params::Params;

/// Marks a skill or language code no expert in the pool has.
pub(crate) const UNKNOWN_CODE: u16 = u16::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    fn of<T>(flat: &[T], from: usize) -> Span {
        Span {
            start: u32::try_from(from).expect("fewer than 2^32 entries"),
            len: u32::try_from(flat.len() - from).expect("fewer than 2^32 entries"),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One expert in compact form (40 bytes; the id is kept apart, in `CandidateIndex::expert_ids`).
#[derive(Clone, Debug)]
pub(crate) struct CExpert {
    pub status: ExpertStatus,
    pub modes: u8,
    pub hours: u16,
    /// Index into `CandidateIndex::municipalities`.
    pub municipality: u32,
    pub from: i32,
    /// `i32::MAX` when open-ended.
    pub until: i32,
    /// Start in `CandidateIndex::attributes` of the expert's skills, `(skill, level)` sorted by skill
    /// (a skill listed twice keeps its highest level), followed by the languages,
    /// `(language, cefr rank)` sorted by language: usually one cache line for both.
    pub attributes: u32,
    pub skill_count: u16,
    pub language_count: u16,
    pub commitments: Span,
    /// Sorted need ids.
    pub excluded: Span,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct CCommitment {
    pub start: i32,
    pub end: i32,
    pub hours: u16,
}

/// The fields of an expert that the cheap pre-check reads, packed (12 bytes) so that scanning many
/// experts stays in cache.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Quick {
    pub from: i32,
    pub until: i32,
    pub hours: u16,
    pub modes: u8,
}

/// A role of a need, compiled against an index.
#[derive(Clone, Debug)]
pub(crate) struct CRole {
    pub need_id: Uuid,
    pub need_start: i32,
    pub need_end: i32,
    /// Modes allowed after the safety rule.
    pub modes: u8,
    pub hours: u16,
    pub interpreter: bool,
    /// `(skill, min level, index in role.skills)` sorted by skill.
    pub essential: Vec<(u16, u8, u8)>,
    pub desired: Vec<(u16, u8, u8)>,
    /// `(language, min rank, index in role.languages)`.
    pub languages: Vec<(u16, u8, u8)>,
    /// `continuity[m]`: municipality `m` already works with the need's municipality.
    pub continuity: Vec<bool>,
    /// When the role needs a shared language: the experts (bit per index) who speak one of its
    /// languages at its level. A pre-filter only; [`super::eligibility::check`] decides.
    pub language_filter: Option<Vec<u64>>,
}

/// The pool, indexed for fast candidate queries. Build it once per snapshot.
#[derive(Clone, Debug)]
pub struct CandidateIndex {
    pub(crate) params: Params,
    pub(crate) skill_ids: HashMap<String, u16>,
    pub(crate) skill_codes: Vec<String>,
    pub(crate) language_ids: HashMap<String, u16>,
    pub(crate) experts: Vec<CExpert>,
    /// Expert ids by index.
    pub(crate) expert_ids: Vec<Uuid>,
    pub(crate) quick: Vec<Quick>,
    pub(crate) expert_by_id: HashMap<Uuid, u32>,
    pub(crate) attributes: Vec<(u16, u8)>,
    pub(crate) commitments: Vec<CCommitment>,
    pub(crate) excluded: Vec<Uuid>,
    /// `by_skill[s][l - 1]`: active experts with skill `s` at level `l` or above, by index ascending.
    pub(crate) by_skill: Vec<[Vec<u32>; 5]>,
    /// The same sets as bits per expert index: `skill_bits[s][l - 1]`.
    pub(crate) skill_bits: Vec<[Vec<u64>; 5]>,
    /// `language_bits[l][r]`: bit set of the experts speaking language `l` at CEFR rank `r` or above.
    pub(crate) language_bits: Vec<Vec<Vec<u64>>>,
    /// All active experts, by index ascending (for roles without essential skills).
    pub(crate) active: Vec<u32>,
    /// Contributing municipalities, sorted by id.
    pub(crate) municipalities: Vec<Uuid>,
    /// Recovering municipality → contributing municipalities (indices) that work with it.
    pub(crate) continuity: HashMap<Uuid, Vec<u32>>,
}

impl CandidateIndex {
    /// Builds the index. The pool should have passed [`Pool::validate`]; the index does not fail on
    /// invalid data, it just matches what is there (a duplicate expert id keeps the first).
    pub fn build(pool: &Pool, params: &Params) -> CandidateIndex {
        let mut codes: Vec<&str> =
            pool.experts.iter().flat_map(|e| e.skills.iter().map(|s| s.skill.as_str())).collect();
        codes.sort_unstable();
        codes.dedup();
        let skill_codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        let skill_ids = intern(&skill_codes);

        let mut codes: Vec<&str> =
            pool.experts.iter().flat_map(|e| e.languages.iter().map(|l| l.language.as_str())).collect();
        codes.sort_unstable();
        codes.dedup();
        let language_codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        let language_ids = intern(&language_codes);

        let mut municipalities: Vec<Uuid> = pool.experts.iter().map(|e| e.municipality_id).collect();
        municipalities.sort_unstable();
        municipalities.dedup();
        let muni_index: HashMap<Uuid, u32> = municipalities.iter().enumerate().map(|(i, m)| (*m, to_u32(i))).collect();

        let mut order: Vec<&model::Expert> = pool.experts.iter().collect();
        order.sort_by_key(|e| e.id);
        order.dedup_by_key(|e| e.id);

        let mut index = CandidateIndex {
            params: params.clone(),
            skill_ids,
            skill_codes,
            language_ids,
            experts: Vec::with_capacity(order.len()),
            expert_ids: Vec::with_capacity(order.len()),
            quick: Vec::with_capacity(order.len()),
            expert_by_id: HashMap::with_capacity(order.len()),
            attributes: Vec::new(),
            commitments: Vec::new(),
            excluded: Vec::new(),
            by_skill: Vec::new(),
            skill_bits: Vec::new(),
            language_bits: Vec::new(),
            active: Vec::new(),
            municipalities,
            continuity: HashMap::new(),
        };
        index.by_skill = vec![Default::default(); index.skill_codes.len()];
        let words = order.len().div_ceil(64);
        index.skill_bits = (0..index.skill_codes.len()).map(|_| std::array::from_fn(|_| vec![0u64; words])).collect();
        index.language_bits = vec![vec![vec![0u64; words]; Cefr::ALL.len()]; index.language_ids.len()];

        for e in order {
            let idx = to_u32(index.experts.len());
            let attributes = to_u32(index.attributes.len());
            let mut skills: Vec<(u16, u8)> =
                e.skills.iter().map(|s| (index.skill_ids[s.skill.as_str()], s.level)).collect();
            // Highest level first within a skill, then keep the first of each skill.
            skills.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            skills.dedup_by_key(|s| s.0);
            index.attributes.extend_from_slice(&skills);
            let mut langs: Vec<(u16, u8)> =
                e.languages.iter().map(|l| (index.language_ids[l.language.as_str()], l.level.rank())).collect();
            langs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            langs.dedup_by_key(|l| l.0);
            for &(lang, rank) in &langs {
                for r in 0..=rank {
                    index.language_bits[usize::from(lang)][usize::from(r)][idx as usize / 64] |= 1 << (idx % 64);
                }
            }
            index.attributes.extend_from_slice(&langs);

            let from = index.commitments.len();
            index.commitments.extend(e.commitments.iter().map(|c| CCommitment {
                start: model::day(c.start),
                end: model::day(c.end),
                hours: c.hours_per_week,
            }));
            let commitment_span = Span::of(&index.commitments, from);

            let from = index.excluded.len();
            let mut excluded = e.excluded_needs.clone();
            excluded.sort_unstable();
            excluded.dedup();
            index.excluded.extend_from_slice(&excluded);
            let excluded_span = Span::of(&index.excluded, from);

            if e.status == ExpertStatus::Active {
                index.active.push(idx);
                for &(skill, level) in &skills {
                    for l in 1..=level.min(5) {
                        index.by_skill[usize::from(skill)][usize::from(l - 1)].push(idx);
                        index.skill_bits[usize::from(skill)][usize::from(l - 1)][idx as usize / 64] |= 1 << (idx % 64);
                    }
                }
            }
            index.expert_by_id.insert(e.id, idx);
            index.quick.push(Quick {
                from: model::day(e.available_from),
                until: e.available_until.map_or(i32::MAX, model::day),
                hours: e.hours_per_week,
                modes: e.modes.bits(),
            });
            index.expert_ids.push(e.id);
            index.experts.push(CExpert {
                status: e.status,
                modes: e.modes.bits(),
                hours: e.hours_per_week,
                municipality: muni_index[&e.municipality_id],
                from: model::day(e.available_from),
                until: e.available_until.map_or(i32::MAX, model::day),
                attributes,
                skill_count: u16::try_from(skills.len()).expect("fewer than 65536 skills per expert"),
                language_count: u16::try_from(langs.len()).expect("fewer than 65536 languages per expert"),
                commitments: commitment_span,
                excluded: excluded_span,
            });
        }

        let mut continuity: HashMap<Uuid, Vec<u32>> = HashMap::new();
        for (contributing, recovering) in &pool.continuity {
            if let Some(&m) = muni_index.get(contributing) {
                continuity.entry(*recovering).or_default().push(m);
            }
        }
        for list in continuity.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        index.continuity = continuity;
        index
    }

    /// Number of experts in the index.
    pub fn len(&self) -> usize {
        self.experts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.experts.is_empty()
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub(crate) fn expert_skills(&self, e: &CExpert) -> &[(u16, u8)] {
        let start = e.attributes as usize;
        &self.attributes[start..start + usize::from(e.skill_count)]
    }

    pub(crate) fn expert_languages(&self, e: &CExpert) -> &[(u16, u8)] {
        let start = e.attributes as usize + usize::from(e.skill_count);
        &self.attributes[start..start + usize::from(e.language_count)]
    }

    /// Compiles a role of a need for queries against this index.
    pub(crate) fn compile(&self, need: &Need, role: &Role) -> CRole {
        let mut essential = Vec::new();
        let mut desired = Vec::new();
        for (i, s) in role.skills.iter().enumerate() {
            let id = self.skill_ids.get(s.skill.as_str()).copied().unwrap_or(UNKNOWN_CODE);
            let entry = (id, s.min_level, u8::try_from(i).unwrap_or(u8::MAX));
            if s.essential {
                essential.push(entry);
            } else {
                desired.push(entry);
            }
        }
        essential.sort_unstable();
        desired.sort_unstable();
        let languages: Vec<(u16, u8, u8)> = role
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let id = self.language_ids.get(l.language.as_str()).copied().unwrap_or(UNKNOWN_CODE);
                (id, l.min_level.rank(), u8::try_from(i).unwrap_or(u8::MAX))
            })
            .collect();
        let language_filter = (!role.languages.is_empty() && !role.interpreter_available).then(|| {
            let mut bits = vec![0u64; self.experts.len().div_ceil(64)];
            for &(lang, min, _) in &languages {
                if lang != UNKNOWN_CODE {
                    for (b, l) in bits.iter_mut().zip(&self.language_bits[usize::from(lang)][usize::from(min)]) {
                        *b |= l;
                    }
                }
            }
            bits
        });
        let mut continuity = vec![false; self.municipalities.len()];
        if let Some(list) = self.continuity.get(&need.municipality_id) {
            for &m in list {
                continuity[m as usize] = true;
            }
        }
        CRole {
            need_id: need.id,
            need_start: model::day(need.start),
            need_end: model::day(need.end),
            modes: model::safe_modes(need.modes, need.security).bits(),
            hours: role.hours_per_week,
            interpreter: role.interpreter_available,
            essential,
            desired,
            languages,
            continuity,
            language_filter,
        }
    }

    /// Which list of experts [`Self::candidate_source`] walks for a role: `skill × 8 + level` of its
    /// rarest essential skill, `u32::MAX` when it has none. Roles with the same key walk the same
    /// experts.
    pub(crate) fn source_key(&self, role: &Role) -> u32 {
        role.skills
            .iter()
            .filter(|s| s.essential && (1..=5).contains(&s.min_level))
            .filter_map(|s| {
                let id = *self.skill_ids.get(s.skill.as_str())?;
                let len = self.by_skill[usize::from(id)][usize::from(s.min_level - 1)].len();
                Some((len, u32::from(id) * 8 + u32::from(s.min_level)))
            })
            .min()
            .map_or(u32::MAX, |(_, key)| key)
    }

    /// The experts who may be eligible for the role, by index ascending, into `out`: those holding
    /// every essential skill at its minimum level (all active experts when it has none). The rarest
    /// skill's list is walked and the others are tested in bit sets.
    pub(crate) fn candidate_source(&self, role: &CRole, out: &mut Vec<u32>) {
        out.clear();
        let mut needed: Vec<(&[u32], &[u64])> = Vec::with_capacity(role.essential.len());
        for &(skill, min, _) in &role.essential {
            if skill == UNKNOWN_CODE || !(1..=5).contains(&min) {
                if skill == UNKNOWN_CODE || min > 5 {
                    return; // nobody has it
                }
                continue; // a minimum of 0 asks nothing
            }
            let (s, l) = (usize::from(skill), usize::from(min - 1));
            needed.push((&self.by_skill[s][l], &self.skill_bits[s][l]));
        }
        needed.sort_by_key(|(list, _)| list.len());
        match needed.split_first() {
            None => out.extend_from_slice(&self.active),
            Some(((list, _), rest)) => out.extend(
                list.iter()
                    .copied()
                    .filter(|&idx| rest.iter().all(|(_, bits)| bits[idx as usize / 64] & (1 << (idx % 64)) != 0)),
            ),
        }
    }
}

fn intern(codes: &[String]) -> HashMap<String, u16> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = u16::try_from(i)
                .ok()
                .filter(|&id| id != UNKNOWN_CODE)
                .expect("fewer than 65535 distinct skill or language codes");
            (c.clone(), id)
        })
        .collect()
}

pub(crate) fn to_u32(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 items")
}
