//! The demo pool's raw material, JSON files under `data/demo/` compiled into the binary and read once: the
//! contributing Dutch municipalities (`contributors.json`); Dutch names, the names of colleagues from Ukraine and
//! sentences for bios (`people.json`); each skill as someone's main field, how common and under which job titles
//! (`main_skills.json`); the recovery plans of real hromadas (`plans.json`) and need templates per sector
//! (`needs.json`); and the security situation by oblast (`security.json`). Invented people and plans over the real
//! reference data; nothing here is about a real person.

use std::sync::OnceLock;

use crate::domain::{AppError, AppResult, PlanStatus, SecurityStatus};

/// A contributing municipality of the demo (one entry of `data/demo/contributors.json`): CBS code, the e-mail
/// domain's first label, and its share of the experts. Forty municipalities, the large cities weighted most.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contributor {
    pub code: &'static str,
    pub slug: &'static str,
    pub weight: u32,
}

/// The municipality of the demo's municipality officer and expert account.
pub const DEMO_MUNICIPALITY: &str = "GM0344";

/// Who the experts are (`data/demo/people.json`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct People {
    #[serde(borrow)]
    pub first_names: Vec<&'static str>,
    /// Surnames as (tussenvoegsel, name): "van der" + "Meer" is written "Van der Meer" when it leads, "Jan van der
    /// Meer" in a full name.
    #[serde(borrow)]
    pub surnames: Vec<(&'static str, &'static str)>,
    /// Staff who came from Ukraine and now work for a Dutch municipality, Ukrainian native speakers: (first name,
    /// surname).
    #[serde(borrow)]
    pub ukrainian_names: Vec<(&'static str, &'static str)>,
    /// A sentence some bios end with.
    #[serde(borrow)]
    pub bio_extras: Vec<&'static str>,
}

/// A skill as someone's main field in a Dutch municipality (one entry of `data/demo/main_skills.json`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MainSkill {
    /// The skill's code in the reference data.
    pub skill: &'static str,
    /// How often it is someone's main field (10 is usual; a skill the file does not list counts 10).
    pub weight: u32,
    /// Dutch job titles for someone whose main skill it is.
    #[serde(borrow)]
    pub job_titles: Vec<&'static str>,
}

/// A recovery plan of a real hromada (or Kyiv): one entry of `data/demo/plans.json`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// KATOTTG code.
    pub code: String,
    /// The place as English texts name it.
    pub place: String,
    pub title: String,
    pub summary: String,
    pub sectors: Vec<String>,
    /// First and last year of the plan's period.
    pub from: i32,
    pub until: i32,
    pub programme: Option<String>,
    pub status: PlanStatus,
}

/// The demo hromada: the hromada officer's, with one endorsed plan and one draft.
pub const DEMO_HROMADA: &str = "UA32080070000050759";

/// A skill a role asks for, at a minimum level.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkillLevel {
    pub skill: String,
    pub min_level: i32,
}

/// One role of a need template: title, essential skills and desired skills.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    pub title: String,
    pub essential: Vec<SkillLevel>,
    pub desired: Vec<SkillLevel>,
}

/// A need as a plan of the given sector asks it (one entry of `data/demo/needs.json`); `{place}` in the
/// description becomes the place's name.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedSpec {
    pub sector: String,
    pub title: String,
    pub description: String,
    pub roles: Vec<RoleSpec>,
}

/// How close an oblast is to the front (one of the `fronts` of `data/demo/security.json`): hromadas are ranked by
/// `east · longitude + north · latitude` (the front lies that way) and the first shares get the most serious
/// statuses; the rest are NORMAL. The hromadas without an oblast in the reference data (region "") are those
/// occupied before 2022 (Donetsk and Luhansk).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Front {
    /// The oblast as the reference data's `region` spells it.
    pub region: String,
    pub east: f64,
    pub north: f64,
    /// (status, share of the oblast's hromadas), the most serious first.
    pub shares: Vec<(SecurityStatus, f64)>,
}

/// A well-known place whose situation the ranking by front would not get right (one of the `overrides` of
/// `data/demo/security.json`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityOverride {
    /// KATOTTG code.
    pub code: String,
    /// The place, for whoever reads the file; the generator goes by the code.
    #[allow(dead_code)]
    pub place: String,
    pub status: SecurityStatus,
}

/// The security situation of the demo (`data/demo/security.json`): oblasts not among the fronts are NORMAL.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    pub fronts: Vec<Front>,
    pub overrides: Vec<SecurityOverride>,
}

/// Reads one of the demo's data files, compiled into the binary, once. The text lives as long as the program, so
/// what is read may borrow its strings from it.
fn read<T: serde::Deserialize<'static>>(
    cell: &'static OnceLock<Result<T, String>>,
    name: &str,
    text: &'static str,
) -> AppResult<&'static T> {
    match cell.get_or_init(|| serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))) {
        Ok(data) => Ok(data),
        Err(e) => Err(AppError::internal(anyhow::anyhow!("the demo data does not read: {e}"))),
    }
}

/// The contributing municipalities of the demo (`data/demo/contributors.json`).
pub fn contributors() -> AppResult<&'static [Contributor]> {
    static CONTRIBUTORS: OnceLock<Result<Vec<Contributor>, String>> = OnceLock::new();
    read(&CONTRIBUTORS, "data/demo/contributors.json", include_str!("../../../data/demo/contributors.json"))
        .map(Vec::as_slice)
}

/// The names and bio sentences of the demo's experts (`data/demo/people.json`).
pub fn people() -> AppResult<&'static People> {
    static PEOPLE: OnceLock<Result<People, String>> = OnceLock::new();
    read(&PEOPLE, "data/demo/people.json", include_str!("../../../data/demo/people.json"))
}

/// Every skill as a main field, in the reference data's order (`data/demo/main_skills.json`).
pub fn main_skills() -> AppResult<&'static [MainSkill]> {
    static MAIN_SKILLS: OnceLock<Result<Vec<MainSkill>, String>> = OnceLock::new();
    read(&MAIN_SKILLS, "data/demo/main_skills.json", include_str!("../../../data/demo/main_skills.json"))
        .map(Vec::as_slice)
}

/// The recovery plans of the demo (`data/demo/plans.json`).
pub fn plans() -> AppResult<&'static [PlanSpec]> {
    static PLANS: OnceLock<Result<Vec<PlanSpec>, String>> = OnceLock::new();
    read(&PLANS, "data/demo/plans.json", include_str!("../../../data/demo/plans.json")).map(Vec::as_slice)
}

/// The need templates of the demo, by sector (`data/demo/needs.json`).
pub fn needs() -> AppResult<&'static [NeedSpec]> {
    static NEEDS: OnceLock<Result<Vec<NeedSpec>, String>> = OnceLock::new();
    read(&NEEDS, "data/demo/needs.json", include_str!("../../../data/demo/needs.json")).map(Vec::as_slice)
}

/// The security situation of the demo (`data/demo/security.json`).
pub fn security() -> AppResult<&'static Security> {
    static SECURITY: OnceLock<Result<Security, String>> = OnceLock::new();
    read(&SECURITY, "data/demo/security.json", include_str!("../../../data/demo/security.json"))
}

#[cfg(test)]
mod tests {
    use super::{DEMO_HROMADA, DEMO_MUNICIPALITY, SecurityStatus};

    #[test]
    fn the_demo_data_files_read() {
        let plans = super::plans().expect("plans.json reads");
        let needs = super::needs().expect("needs.json reads");
        assert!(plans.len() >= 30 && needs.len() >= 50, "{} plans, {} needs", plans.len(), needs.len());
        for p in plans {
            assert!(p.sectors.iter().all(|s| needs.iter().any(|n| &n.sector == s)), "templates for {}", p.title);
        }
        assert!(plans.iter().any(|p| p.code == DEMO_HROMADA));

        let contributors = super::contributors().expect("contributors.json reads");
        assert_eq!(contributors.len(), 40);
        assert!(contributors.iter().any(|c| c.code == DEMO_MUNICIPALITY));
        let people = super::people().expect("people.json reads");
        let sizes =
            [people.first_names.len(), people.surnames.len(), people.ukrainian_names.len(), people.bio_extras.len()];
        assert_eq!(sizes, [90, 94, 8, 9]);
        let main_skills = super::main_skills().expect("main_skills.json reads");
        assert_eq!(main_skills.len(), 69);
        assert!(main_skills.iter().all(|m| m.weight > 0 && !m.job_titles.is_empty()), "weights and titles");
        let security = super::security().expect("security.json reads");
        assert_eq!((security.fronts.len(), security.overrides.len()), (10, 11));
        for front in &security.fronts {
            let total: f64 = front.shares.iter().map(|(_, share)| share).sum();
            assert!(total <= 1.0 + 1e-9, "{} shares {total}", front.region);
            assert!(front.shares.iter().all(|(s, _)| *s != SecurityStatus::Normal), "{}", front.region);
        }
    }
}
