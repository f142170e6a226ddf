//! A municipality's experts as a spreadsheet (CSV or XLSX): taken out to be edited where officers keep their lists,
//! and brought back in. An import is all or nothing: every row is checked first, each problem named by its row
//! and column, and only a sheet without problems is written, in one transaction. A row whose e-mail belongs to
//! an expert of the municipality updates that expert; any other row volunteers a new one.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::experts::{insert_in, unchanged, update_in};
use super::municipalities::municipality_on_side;
use super::sheet::{self, SheetFile, SheetFormat};
use super::{Services, found};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::input::{ExpertProfileInput, ExpertSkillInput, LanguageInput};
use crate::domain::{AppError, AppResult, Cefr, Side, WorkMode};
use crate::store;

/// The columns, in order. Lists inside a cell are separated by `;`: modes `REMOTE; HOSTING`, skills by code
/// with level and optional years `DISTRICT_HEATING:4:10; RENEWABLE_ENERGY:5`, languages `en:B2; nl:NATIVE`.
pub const COLUMNS: [&str; 13] = [
    "name",
    "email",
    "phone",
    "job_title",
    "bio",
    "hours_per_week",
    "available_from",
    "available_until",
    "modes",
    "skills",
    "languages",
    "consent_date",
    "status",
];

/// One problem of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetProblem {
    /// 1 is the header row.
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import did, or with `dry_run` would do.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows that match their expert exactly: left alone.
    pub unchanged: usize,
    pub problems: Vec<SheetProblem>,
    pub applied: bool,
}

pub(super) fn mode_name(m: WorkMode) -> &'static str {
    match m {
        WorkMode::Remote => "REMOTE",
        WorkMode::OnSite => "ON_SITE",
        WorkMode::Hosting => "HOSTING",
    }
}

fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Reads one row into a profile; problems go to `out`.
fn profile_of(
    row: usize,
    cell: &dyn Fn(&str) -> String,
    skills: &HashMap<String, Uuid>,
    out: &mut Vec<SheetProblem>,
) -> Option<ExpertProfileInput> {
    let before = out.len();
    let mut problem = |column: &str, message: String| {
        out.push(SheetProblem { row, column: column.to_string(), message });
    };
    let date = |column: &str, problem: &mut dyn FnMut(&str, String)| -> Option<NaiveDate> {
        let v = cell(column);
        if v.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problem(column, format!("\"{v}\" is not a date like 2027-03-01"));
                None
            }
        }
    };
    let hours = match cell("hours_per_week").parse::<i32>() {
        Ok(h) => h,
        Err(_) => {
            problem("hours_per_week", format!("\"{}\" is not a whole number", cell("hours_per_week")));
            0
        }
    };
    let available_from = date("available_from", &mut problem);
    if available_from.is_none() && cell("available_from").is_empty() {
        problem("available_from", "is required".into());
    }
    let available_until = date("available_until", &mut problem);
    let consent_date = date("consent_date", &mut problem);
    if consent_date.is_none() && cell("consent_date").is_empty() {
        problem("consent_date", "is required: the day the person agreed to be in the pool".into());
    }
    let mut modes = Vec::new();
    for m in list(&cell("modes")) {
        match [WorkMode::Remote, WorkMode::OnSite, WorkMode::Hosting]
            .into_iter()
            .find(|w| mode_name(*w).eq_ignore_ascii_case(m))
        {
            Some(w) => modes.push(w),
            None => problem("modes", format!("\"{m}\" is not one of REMOTE, ON_SITE, HOSTING")),
        }
    }
    let mut skill_list = Vec::new();
    for s in list(&cell("skills")) {
        let parts: Vec<&str> = s.split(':').map(str::trim).collect();
        let id = skills.get(&parts[0].to_lowercase());
        let level = parts.get(1).and_then(|l| l.parse::<i32>().ok());
        let years = parts.get(2).map(|y| y.parse::<i32>());
        match (id, level, years) {
            (None, _, _) => problem("skills", format!("\"{}\" is not a skill of the list (by code or name)", parts[0])),
            (_, None, _) => problem("skills", format!("\"{s}\" needs a level, like {}:4", parts[0])),
            (_, _, Some(Err(_))) => problem("skills", format!("\"{s}\": the years must be a whole number")),
            (Some(id), Some(level), years) => {
                skill_list.push(ExpertSkillInput { skill_id: *id, level, years: years.and_then(Result::ok) })
            }
        }
    }
    let mut languages = Vec::new();
    for l in list(&cell("languages")) {
        let (code, level) = l.split_once(':').map_or((l, ""), |(c, v)| (c.trim(), v.trim()));
        match level.to_uppercase().parse::<Cefr>() {
            Ok(level) => languages.push(LanguageInput { language: sheet::language_code_of(code), level }),
            Err(_) => problem("languages", format!("\"{l}\" needs a level A1–C2 or NATIVE, like en:B2")),
        }
    }
    if out.len() > before {
        return None;
    }
    let optional = |c: &str| Some(cell(c)).filter(|v| !v.is_empty());
    let profile = ExpertProfileInput {
        name: cell("name"),
        email: cell("email"),
        phone: optional("phone"),
        job_title: cell("job_title"),
        bio: optional("bio"),
        hours_per_week: hours,
        available_from: available_from?,
        available_until,
        modes,
        skills: skill_list,
        languages,
        consent_date: consent_date?,
        kind: None,
    };
    match profile.validate() {
        Ok(p) => Some(p),
        Err(AppError::Invalid { field, reason }) => {
            let column = field.split(['.', '[']).next().unwrap_or_default();
            let column =
                COLUMNS.iter().find(|c| c.replace('_', "") == column.to_lowercase()).copied().unwrap_or(column);
            out.push(SheetProblem { row, column: column.to_string(), message: reason });
            None
        }
        Err(other) => {
            out.push(SheetProblem { row, column: String::new(), message: other.to_string() });
            None
        }
    }
}

/// Skills by code and by their English, Dutch and Ukrainian names, all in lower case.
pub(super) fn skill_names(all: Vec<store::skill::SkillRow>) -> HashMap<String, Uuid> {
    let mut out = HashMap::new();
    for s in all {
        for name in [&s.code, &s.label_en, &s.label_nl, &s.label_uk] {
            out.insert(name.trim().to_lowercase(), s.id);
        }
    }
    out
}

impl Services {
    /// The municipality's experts as CSV, one row each, in the columns an import reads.
    pub async fn experts_csv(&self, p: Option<&Principal>, municipality_id: Uuid) -> AppResult<String> {
        let file = self.experts_sheet(p, municipality_id, SheetFormat::Csv).await?;
        String::from_utf8(file.bytes).map_err(AppError::internal)
    }

    /// The municipality's experts as a CSV or XLSX file, one row each, in the columns an import reads.
    pub async fn experts_sheet(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        format: SheetFormat,
    ) -> AppResult<SheetFile> {
        check(p, Op::CreateExpert, Target::municipality(municipality_id))?;
        let mut c = self.db.acquire().await?;
        let mut conn = c.conn();
        let experts = store::expert::of_municipality(&mut conn, municipality_id).await?;
        let ids: Vec<Uuid> = experts.iter().map(|e| e.id).collect();
        let codes: HashMap<Uuid, String> =
            store::skill::all(&mut conn).await?.into_iter().map(|s| (s.id, s.code)).collect();
        let mut skills: HashMap<Uuid, Vec<String>> = HashMap::new();
        for s in store::expert::skills_of(&mut conn, &ids).await? {
            let code = codes.get(&s.skill_id).cloned().unwrap_or_default();
            let cell = match s.years {
                Some(y) => format!("{code}:{}:{y}", s.level),
                None => format!("{code}:{}", s.level),
            };
            skills.entry(s.expert_id).or_default().push(cell);
        }
        let mut languages: HashMap<Uuid, Vec<String>> = HashMap::new();
        for l in store::expert::languages_of(&mut conn, &ids).await? {
            languages.entry(l.owner_id).or_default().push(format!("{}:{}", l.language, l.level));
        }
        let rows: Vec<Vec<String>> = experts
            .iter()
            .map(|e| {
                let modes: Vec<&str> = [(e.remote, "REMOTE"), (e.on_site, "ON_SITE"), (e.hosting, "HOSTING")]
                    .into_iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, m)| m)
                    .collect();
                vec![
                    e.name.clone(),
                    e.email.clone(),
                    e.phone.clone().unwrap_or_default(),
                    e.job_title.clone(),
                    e.bio.clone().unwrap_or_default(),
                    e.hours_per_week.to_string(),
                    e.available_from.to_string(),
                    e.available_until.map(|d| d.to_string()).unwrap_or_default(),
                    modes.join("; "),
                    skills.get(&e.id).map(|s| s.join("; ")).unwrap_or_default(),
                    languages.get(&e.id).map(|s| s.join("; ")).unwrap_or_default(),
                    e.consent_date.to_string(),
                    e.status.to_string(),
                ]
            })
            .collect();
        sheet::write(format, "experts", &COLUMNS, &rows)
    }

    /// An empty experts sheet with one example row, to fill in.
    pub fn experts_template(format: SheetFormat) -> AppResult<SheetFile> {
        let example: Vec<String> = [
            "Anna Visser",
            "anna.visser@utrecht.example",
            "+31 30 123 4567",
            "Heat network engineer",
            "Twelve years on district heating in Utrecht.",
            "8",
            "2027-01-01",
            "2027-12-31",
            "REMOTE; HOSTING",
            "DISTRICT_HEATING:4:12; RENEWABLE_ENERGY:3",
            "en:C1; nl:NATIVE",
            "2026-11-30",
            "ACTIVE",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        sheet::write(format, "experts-template", &COLUMNS, &[example])
    }

    /// Checks a sheet of experts and, unless `dry_run` or anything is wrong, writes it: new rows volunteer
    /// experts, rows with the e-mail of one of the municipality's experts update them.
    pub async fn import_experts(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        file: &[u8],
        dry_run: bool,
    ) -> AppResult<ImportOutcome> {
        check(p, Op::CreateExpert, Target::municipality(municipality_id))?;
        let table = sheet::read(file, "file")?;
        let headers = &table.headers;
        let required = [
            "name",
            "email",
            "job_title",
            "hours_per_week",
            "available_from",
            "modes",
            "skills",
            "languages",
            "consent_date",
        ];
        table.require(&required, &COLUMNS)?;
        let mut tx = self.db.begin().await?;
        municipality_on_side(&mut tx.conn(), municipality_id, Side::Contributing, "municipalityId").await?;
        let skills = skill_names(store::skill::all(&mut tx.conn()).await?);
        let existing: HashMap<String, store::expert::ExpertRow> =
            store::expert::of_municipality(&mut tx.conn(), municipality_id)
                .await?
                .into_iter()
                .map(|e| (e.email.to_lowercase(), e))
                .collect();
        let sheet_emails: Vec<String> = table
            .rows
            .iter()
            .map(|(_, r)| table.cell(r, "email").trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        let elsewhere: std::collections::HashSet<String> =
            store::expert::emails_elsewhere(&mut tx.conn(), municipality_id, &sheet_emails)
                .await?
                .into_iter()
                .collect();
        let ids: Vec<Uuid> = existing.values().map(|e| e.id).collect();
        let mut current_skills: HashMap<Uuid, Vec<store::expert::ExpertSkillRow>> = HashMap::new();
        let mut current_languages: HashMap<Uuid, Vec<store::expert::LanguageRow>> = HashMap::new();
        if !ids.is_empty() {
            for s in store::expert::skills_of(&mut tx.conn(), &ids).await? {
                current_skills.entry(s.expert_id).or_default().push(s);
            }
            for l in store::expert::languages_of(&mut tx.conn(), &ids).await? {
                current_languages.entry(l.owner_id).or_default().push(l);
            }
        }
        let mut outcome = ImportOutcome::default();
        let mut profiles = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (row, record) in &table.rows {
            let row = *row;
            outcome.rows += 1;
            let mut formula = false;
            for (i, value) in record.iter().enumerate() {
                if let Some(message) = sheet::formula_problem(value) {
                    let column = headers.get(i).cloned().unwrap_or_default();
                    outcome.problems.push(SheetProblem { row, column, message });
                    formula = true;
                }
            }
            if formula {
                continue;
            }
            let cell = |name: &str| sheet::unescaped(table.cell(record, name)).to_string();
            if let Some(p) = profile_of(row, &cell, &skills, &mut outcome.problems) {
                if let Some(first) = seen.insert(p.email.clone(), row) {
                    outcome.problems.push(SheetProblem {
                        row,
                        column: "email".into(),
                        message: format!("the same e-mail as row {first}"),
                    });
                    continue;
                }
                if !existing.contains_key(&p.email) && elsewhere.contains(&p.email) {
                    outcome.problems.push(SheetProblem {
                        row,
                        column: "email".into(),
                        message: "belongs to an expert of another municipality already".into(),
                    });
                    continue;
                }
                match existing.get(&p.email) {
                    Some(e)
                        if unchanged(
                            e,
                            current_skills.get(&e.id).map_or(&[], Vec::as_slice),
                            current_languages.get(&e.id).map_or(&[], Vec::as_slice),
                            &p,
                        ) =>
                    {
                        outcome.unchanged += 1;
                        continue;
                    }
                    Some(_) => outcome.updated += 1,
                    None => outcome.created += 1,
                }
                profiles.push(p);
            }
        }
        if dry_run || !outcome.problems.is_empty() {
            return Ok(outcome);
        }
        for profile in &profiles {
            match existing.get(&profile.email) {
                Some(before) => {
                    let locked = found(store::expert::get_for_update(&mut tx.conn(), before.id).await?, "expert")?;
                    update_in(&mut tx.conn(), p, &locked, profile).await?;
                }
                None => {
                    insert_in(&mut tx.conn(), p, municipality_id, profile).await?;
                }
            }
        }
        tx.commit().await?;
        outcome.applied = true;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use uuid::Uuid;

    use super::{SheetProblem, profile_of};

    fn read(cells: &[(&str, &str)]) -> (Option<crate::domain::input::ExpertProfileInput>, Vec<SheetProblem>) {
        let skills: HashMap<String, Uuid> = [("district_heating".to_string(), Uuid::from_u128(1))].into();
        let map: HashMap<&str, &str> = cells.iter().copied().collect();
        let cell = |c: &str| map.get(c).copied().unwrap_or_default().to_string();
        let mut problems = Vec::new();
        (profile_of(3, &cell, &skills, &mut problems), problems)
    }

    const GOOD: &[(&str, &str)] = &[
        ("name", "Anna Visser"),
        ("email", "Anna@Utrecht.nl"),
        ("job_title", "Engineer"),
        ("hours_per_week", "8"),
        ("available_from", "2027-01-01"),
        ("modes", "remote; HOSTING"),
        ("skills", "district_heating:4:12"),
        ("languages", "en:b2; nl:NATIVE"),
        ("consent_date", "2026-11-01"),
    ];

    #[test]
    fn a_good_row_becomes_a_profile_with_its_lists() {
        let (p, problems) = read(GOOD);
        assert!(problems.is_empty(), "{problems:?}");
        let p = p.expect("a profile");
        assert_eq!(
            (p.email.as_str(), p.modes.len(), p.skills[0].years, p.languages.len()),
            ("anna@utrecht.nl", 2, Some(12), 2)
        );
    }

    #[test]
    fn each_problem_names_its_row_and_column() {
        let mut cells = GOOD.to_vec();
        cells.retain(|(c, _)| !["skills", "available_from", "hours_per_week"].contains(c));
        cells.extend([("skills", "PLUMBING:3"), ("available_from", "1 March"), ("hours_per_week", "eight")]);
        let (p, problems) = read(&cells);
        assert!(p.is_none());
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["hours_per_week", "available_from", "skills"], "{problems:?}");
        assert!(problems.iter().all(|p| p.row == 3));
        let mut cells = GOOD.to_vec();
        cells.retain(|(c, _)| *c != "hours_per_week");
        cells.push(("hours_per_week", "90"));
        let (_, problems) = read(&cells);
        assert_eq!(problems[0].column, "hours_per_week", "the profile's own rules name the column too: {problems:?}");
    }
}
