//! What clients send, and the shape rules every write checks before it touches the database.
//! Errors name the field as the API spells it, e.g. `roles[0].skills[1].minLevel`.

use async_graphql::InputObject;
use chrono::NaiveDate;
use uuid::Uuid;

use super::{AppError, AppResult, Cefr, ExpertKind, Priority, Role, WorkMode};

pub const MAX_TEXT: usize = 200;
pub const MAX_LONG_TEXT: usize = 5_000;

/// A required single-line text: trimmed, non-empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(AppError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(v.to_string())
}

/// Text to search for: blank becomes `None`; longer than [`MAX_TEXT`] is refused (a search pattern that long
/// finds nothing useful, and the database bounds its length).
pub fn search(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    optional_text(field, value, MAX_TEXT)
}

/// An optional text: blank becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

pub fn email(field: &str, value: &str) -> AppResult<String> {
    let v = required_text(field, value, 254)?.to_lowercase();
    let valid = v.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    }) && !v.contains(char::is_whitespace);
    if !valid {
        return Err(AppError::invalid(field, "is not an e-mail address"));
    }
    Ok(v)
}

pub fn int_range(field: &str, value: i32, min: i32, max: i32) -> AppResult<i32> {
    if value < min || value > max {
        return Err(AppError::invalid(field, format!("must be between {min} and {max}")));
    }
    Ok(value)
}

pub fn period(end_field: &str, start: NaiveDate, end: Option<NaiveDate>) -> AppResult<()> {
    if let Some(end) = end {
        if end < start {
            return Err(AppError::invalid(end_field, "must not be before the start"));
        }
    }
    Ok(())
}

/// An ISO 639-1 language code in lower case, e.g. `uk`, `en`, `nl`.
pub fn language_code(field: &str, value: &str) -> AppResult<String> {
    let v = value.trim().to_lowercase();
    if v.len() != 2 || !v.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(AppError::invalid(field, "must be a two-letter ISO 639-1 language code"));
    }
    Ok(v)
}

fn no_duplicates<T: PartialEq>(field: &str, items: &[T]) -> AppResult<()> {
    for (i, a) in items.iter().enumerate() {
        if items[..i].contains(a) {
            return Err(AppError::invalid(format!("{field}[{i}]"), "is listed twice"));
        }
    }
    Ok(())
}

fn modes(field: &str, modes: &[WorkMode]) -> AppResult<()> {
    if modes.is_empty() {
        return Err(AppError::invalid(field, "must name at least one mode"));
    }
    no_duplicates(field, modes)
}

/// A skill an expert has.
#[derive(Debug, Clone, InputObject)]
pub struct ExpertSkillInput {
    /// The skill.
    pub skill_id: Uuid,
    /// Level 1 (basic) to 5 (leading expert).
    pub level: i32,
    /// Years of experience with it.
    pub years: Option<i32>,
}

/// A language someone speaks or a role requires.
#[derive(Debug, Clone, InputObject)]
pub struct LanguageInput {
    /// ISO 639-1 code, e.g. `uk`, `en`, `nl`.
    pub language: String,
    /// CEFR level (for a role: the minimum).
    pub level: Cefr,
}

/// An expert's profile, availability and skills; a whole replacement on update.
#[derive(Debug, Clone, InputObject)]
pub struct ExpertProfileInput {
    /// Full name.
    pub name: String,
    /// Work e-mail (contact detail: shown only to those who need it).
    pub email: String,
    /// Work phone (contact detail).
    pub phone: Option<String>,
    /// Job title at the municipality.
    pub job_title: String,
    /// A short biography.
    pub bio: Option<String>,
    /// Hours per week offered to the pool (1–40).
    pub hours_per_week: i32,
    /// First day available.
    pub available_from: NaiveDate,
    /// Last day available; open-ended when absent.
    pub available_until: Option<NaiveDate>,
    /// Modes of work accepted.
    pub modes: Vec<WorkMode>,
    /// Skills with levels.
    pub skills: Vec<ExpertSkillInput>,
    /// Languages with CEFR levels.
    pub languages: Vec<LanguageInput>,
    /// The day the expert consented to the pool holding their data.
    pub consent_date: NaiveDate,
    /// What kind of person the expert is: municipal staff for a new profile when left out; an update that leaves
    /// it out keeps the kind.
    pub kind: Option<ExpertKind>,
}

impl ExpertProfileInput {
    /// Checks and normalises the profile (trimmed texts, lower-case e-mail and language codes).
    pub fn validate(mut self) -> AppResult<Self> {
        self.name = required_text("name", &self.name, MAX_TEXT)?;
        self.email = email("email", &self.email)?;
        self.phone = optional_text("phone", self.phone.as_deref(), 40)?;
        self.job_title = required_text("jobTitle", &self.job_title, MAX_TEXT)?;
        self.bio = optional_text("bio", self.bio.as_deref(), MAX_LONG_TEXT)?;
        int_range("hoursPerWeek", self.hours_per_week, 1, 40)?;
        period("availableUntil", self.available_from, self.available_until)?;
        modes("modes", &self.modes)?;
        if self.skills.is_empty() {
            return Err(AppError::invalid("skills", "must name at least one skill"));
        }
        for (i, s) in self.skills.iter().enumerate() {
            int_range(&format!("skills[{i}].level"), s.level, 1, 5)?;
            if let Some(y) = s.years {
                int_range(&format!("skills[{i}].years"), y, 0, 60)?;
            }
        }
        let skill_ids: Vec<Uuid> = self.skills.iter().map(|s| s.skill_id).collect();
        no_duplicates("skills", &skill_ids)?;
        validate_languages("languages", &mut self.languages)?;
        if self.languages.is_empty() {
            return Err(AppError::invalid("languages", "must name at least one language"));
        }
        Ok(self)
    }
}

fn validate_languages(field: &str, languages: &mut [LanguageInput]) -> AppResult<()> {
    for (i, l) in languages.iter_mut().enumerate() {
        l.language = language_code(&format!("{field}[{i}].language"), &l.language)?;
    }
    let codes: Vec<&str> = languages.iter().map(|l| l.language.as_str()).collect();
    no_duplicates(field, &codes)
}

/// A local recovery plan's contents.
#[derive(Debug, Clone, InputObject)]
pub struct PlanInput {
    /// Title of the plan.
    pub title: String,
    /// What the plan sets out to do.
    pub summary: String,
    /// Sectors the plan covers (skill categories, e.g. `HOUSING`, `ENERGY`).
    pub sectors: Vec<String>,
    /// First day of the plan's period.
    pub period_start: NaiveDate,
    /// Last day of the plan's period.
    pub period_end: NaiveDate,
    /// Programme it belongs to, e.g. `SDLG`.
    pub programme: Option<String>,
}

impl PlanInput {
    pub fn validate(mut self) -> AppResult<Self> {
        self.title = required_text("title", &self.title, MAX_TEXT)?;
        self.summary = required_text("summary", &self.summary, MAX_LONG_TEXT)?;
        self.programme = optional_text("programme", self.programme.as_deref(), MAX_TEXT)?;
        for (i, s) in self.sectors.iter_mut().enumerate() {
            *s = sector_code(&format!("sectors[{i}]"), s)?;
        }
        no_duplicates("sectors", &self.sectors)?;
        period("periodEnd", self.period_start, Some(self.period_end))?;
        Ok(self)
    }
}

/// A sector code: upper-case letters and underscores, as the skill categories are written.
pub fn sector_code(field: &str, value: &str) -> AppResult<String> {
    let v = value.trim().to_uppercase();
    if v.is_empty() || v.len() > 60 || !v.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return Err(AppError::invalid(field, "must be a sector code such as HOUSING"));
    }
    Ok(v)
}

/// A skill a role requires.
#[derive(Debug, Clone, InputObject)]
pub struct RoleSkillInput {
    /// The skill.
    pub skill_id: Uuid,
    /// Minimum level 1–5.
    pub min_level: i32,
    /// Essential (must have) or desired (counts in the score).
    pub essential: bool,
}

/// One role of a need's team.
#[derive(Debug, Clone, InputObject)]
pub struct NeedRoleInput {
    /// What the role does, e.g. "Heat network engineer".
    pub title: String,
    /// How many experts the role takes (1–20).
    pub seats: i32,
    /// Hours per week each seat asks (1–40).
    pub hours_per_week: i32,
    /// An interpreter is available, so no shared language is required.
    #[graphql(default)]
    pub interpreter_available: bool,
    /// Required and desired skills.
    pub skills: Vec<RoleSkillInput>,
    /// Languages with minimum level (any one of them suffices).
    #[graphql(default)]
    pub languages: Vec<LanguageInput>,
}

/// A concrete request for expertise within a plan.
#[derive(Debug, Clone, InputObject)]
pub struct NeedInput {
    /// Short title.
    pub title: String,
    /// What is needed and why.
    pub description: String,
    /// Sector (a skill category, e.g. `ENERGY`).
    pub sector: String,
    /// First day of the work.
    pub start_date: NaiveDate,
    /// Last day of the work.
    pub end_date: NaiveDate,
    /// Modes of work the need accepts.
    pub modes: Vec<WorkMode>,
    /// Priority proposed (AUC sets the final one).
    #[graphql(default_with = "Priority::Medium")]
    pub priority: Priority,
    /// Project id in DREAM, Ukraine's register of recovery projects.
    pub dream_project_id: Option<String>,
    /// The team: one or more roles.
    pub roles: Vec<NeedRoleInput>,
}

impl NeedInput {
    pub fn validate(mut self) -> AppResult<Self> {
        self.title = required_text("title", &self.title, MAX_TEXT)?;
        self.description = required_text("description", &self.description, MAX_LONG_TEXT)?;
        self.sector = sector_code("sector", &self.sector)?;
        period("endDate", self.start_date, Some(self.end_date))?;
        modes("modes", &self.modes)?;
        self.dream_project_id = optional_text("dreamProjectId", self.dream_project_id.as_deref(), 64)?;
        if self.roles.is_empty() {
            return Err(AppError::invalid("roles", "a need has at least one role"));
        }
        if self.roles.len() > 20 {
            return Err(AppError::invalid("roles", "a need has at most 20 roles"));
        }
        for (i, r) in self.roles.iter_mut().enumerate() {
            let f = |name: &str| format!("roles[{i}].{name}");
            r.title = required_text(&f("title"), &r.title, MAX_TEXT)?;
            int_range(&f("seats"), r.seats, 1, 20)?;
            int_range(&f("hoursPerWeek"), r.hours_per_week, 1, 40)?;
            if !r.skills.iter().any(|s| s.essential) {
                return Err(AppError::invalid(f("skills"), "a role needs at least one essential skill"));
            }
            for (j, s) in r.skills.iter().enumerate() {
                int_range(&format!("roles[{i}].skills[{j}].minLevel"), s.min_level, 1, 5)?;
            }
            let ids: Vec<Uuid> = r.skills.iter().map(|s| s.skill_id).collect();
            no_duplicates(&f("skills"), &ids)?;
            validate_languages(&f("languages"), &mut r.languages)?;
        }
        Ok(self)
    }
}

/// A municipality that is not yet in the reference data (e.g. of a partner association).
#[derive(Debug, Clone, InputObject)]
pub struct MunicipalityInput {
    /// ISO 3166-1 alpha-2 country code, e.g. `NL`, `UA`, `DE`.
    pub country: String,
    /// Official code (CBS `GMxxxx` in the Netherlands, KATOTTG `UA…` in Ukraine).
    pub code: String,
    /// Name in English or the usual international form.
    pub name: String,
    /// Name in the local language.
    pub name_local: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Province, oblast or equivalent.
    pub region: String,
    /// Contributing or recovering.
    pub side: super::Side,
}

impl MunicipalityInput {
    pub fn validate(mut self) -> AppResult<Self> {
        let c = self.country.trim().to_uppercase();
        if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(AppError::invalid("country", "must be an ISO 3166-1 alpha-2 code"));
        }
        self.country = c;
        self.code = required_text("code", &self.code, 40)?;
        self.name = required_text("name", &self.name, MAX_TEXT)?;
        self.name_local = required_text("nameLocal", &self.name_local, MAX_TEXT)?;
        self.name_latin = required_text("nameLatin", &self.name_latin, MAX_TEXT)?;
        self.region = required_text("region", &self.region, MAX_TEXT)?;
        if self.country == "UA" && self.side != super::Side::Recovering {
            return Err(AppError::invalid("side", "Ukrainian municipalities are on the recovering side"));
        }
        Ok(self)
    }
}

/// An entry of the skill list.
#[derive(Debug, Clone, InputObject)]
pub struct SkillInput {
    /// Stable code, e.g. `DISTRICT_HEATING`.
    pub code: String,
    /// Category (sector), e.g. `ENERGY`.
    pub category: String,
    /// English label.
    pub label_en: String,
    /// Dutch label.
    pub label_nl: String,
    /// Ukrainian label.
    pub label_uk: String,
    /// ESCO skill group code, e.g. `0713`.
    pub esco_group: Option<String>,
}

impl SkillInput {
    pub fn validate(mut self) -> AppResult<Self> {
        self.code = sector_code("code", &self.code)?;
        self.category = sector_code("category", &self.category)?;
        self.label_en = required_text("labelEn", &self.label_en, MAX_TEXT)?;
        self.label_nl = required_text("labelNl", &self.label_nl, MAX_TEXT)?;
        self.label_uk = required_text("labelUk", &self.label_uk, MAX_TEXT)?;
        self.esco_group = optional_text("escoGroup", self.esco_group.as_deref(), 10)?;
        Ok(self)
    }
}

/// A new user account.
#[derive(Debug, Clone, InputObject)]
pub struct UserInput {
    /// Sign-in e-mail.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Initial password (at least 12 characters).
    pub password: String,
    /// The role.
    pub role: Role,
    /// For municipality and hromada officers: their municipality.
    pub municipality_id: Option<Uuid>,
    /// For experts: their expert profile.
    pub expert_id: Option<Uuid>,
}

impl UserInput {
    pub fn validate(mut self) -> AppResult<Self> {
        self.email = email("email", &self.email)?;
        self.display_name = required_text("displayName", &self.display_name, MAX_TEXT)?;
        password("password", &self.password)?;
        let needs_municipality = matches!(self.role, Role::HromadaOfficer | Role::MunicipalityOfficer);
        match (needs_municipality, self.municipality_id) {
            (true, None) => return Err(AppError::invalid("municipalityId", "is required for this role")),
            (false, Some(_)) => {
                return Err(AppError::invalid("municipalityId", "only officers belong to a municipality"));
            }
            _ => {}
        }
        match (self.role == Role::Expert, self.expert_id) {
            (true, None) => return Err(AppError::invalid("expertId", "is required for an expert account")),
            (false, Some(_)) => return Err(AppError::invalid("expertId", "only expert accounts link to a profile")),
            _ => {}
        }
        Ok(self)
    }
}

pub fn password(field: &str, value: &str) -> AppResult<()> {
    let n = value.chars().count();
    if n < 12 {
        return Err(AppError::invalid(field, "must be at least 12 characters"));
    }
    if n > 256 {
        return Err(AppError::invalid(field, "must be at most 256 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need() -> NeedInput {
        NeedInput {
            title: " Heat network ".into(),
            description: "Rebuild the district heating".into(),
            sector: "energy".into(),
            start_date: NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"),
            end_date: NaiveDate::from_ymd_opt(2027, 6, 30).expect("date"),
            modes: vec![WorkMode::Remote],
            priority: Priority::High,
            dream_project_id: None,
            roles: vec![NeedRoleInput {
                title: "Engineer".into(),
                seats: 1,
                hours_per_week: 8,
                interpreter_available: false,
                skills: vec![RoleSkillInput { skill_id: Uuid::nil(), min_level: 3, essential: true }],
                languages: vec![],
            }],
        }
    }

    #[test]
    fn need_input_is_trimmed_and_sector_upper_cased() {
        let n = need().validate().expect("valid");
        assert_eq!(n.title, "Heat network");
        assert_eq!(n.sector, "ENERGY");
    }

    #[test]
    fn role_skill_level_outside_one_to_five_names_the_field() {
        let mut n = need();
        n.roles[0].skills[0].min_level = 7;
        let e = n.validate().expect_err("invalid");
        assert_eq!(e.field(), Some("roles[0].skills[0].minLevel"));
    }

    #[test]
    fn end_before_start_is_refused_on_the_end_field() {
        let mut n = need();
        n.end_date = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        assert_eq!(n.validate().expect_err("invalid").field(), Some("endDate"));
    }

    #[test]
    fn a_role_without_an_essential_skill_is_refused() {
        let mut n = need();
        n.roles[0].skills[0].essential = false;
        assert_eq!(n.validate().expect_err("invalid").field(), Some("roles[0].skills"));
    }

    #[test]
    fn empty_title_is_refused() {
        let mut n = need();
        n.title = "   ".into();
        assert_eq!(n.validate().expect_err("invalid").field(), Some("title"));
    }

    #[test]
    fn e_mail_addresses_are_checked_and_lower_cased() {
        assert_eq!(email("email", " A.Expert@Utrecht.NL ").expect("valid"), "a.expert@utrecht.nl");
        assert!(email("email", "not-an-address").is_err());
        assert!(email("email", "a@b").is_err());
    }
}
