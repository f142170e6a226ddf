//! A plan's needs brought in from a spreadsheet (an AUC or hromada list, CSV or XLSX): one row per role, rows
//! with the same `reference` (the DREAM project id, or the list's own reference) make one need. All or nothing,
//! like the experts' sheet: every problem by row and column, nothing written while there is one. A reference
//! that names a DRAFT need of the plan updates it; one that names a need past DRAFT must match it (it is changed
//! on its own page, through its workflow); any other creates a DRAFT need. Rows equal to their need leave it
//! alone, so the same file twice changes nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::expert_sheet::{ImportOutcome, SheetProblem};
use super::needs::{check_role_skills, create_need_in, plan_taking_needs, update_need_in};
use super::sheet::{self, SheetFile, SheetFormat, Table};
use super::{Services, found};
use crate::auth::Principal;
use crate::domain::input::{LanguageInput, NeedInput, NeedRoleInput, RoleSkillInput};
use crate::domain::workflow::need_is_editable;
use crate::domain::{AppError, AppResult, Cefr, Priority, WorkMode};
use crate::store;
use crate::store::need::NeedRow;

/// The columns, in order. `skills`: `code or name:minimum level[:optional]` separated by `;` (a skill is
/// essential unless marked optional); `languages`: `code or name:level`; `modes`: `REMOTE; ON_SITE; HOSTING`.
pub const COLUMNS: [&str; 14] = [
    "reference",
    "need",
    "description",
    "sector",
    "priority",
    "start_date",
    "end_date",
    "modes",
    "role",
    "seats",
    "hours_per_week",
    "skills",
    "languages",
    "interpreter_available",
];

const OPTIONAL: [&str; 3] = ["priority", "languages", "interpreter_available"];

/// The need-level columns: every row of one need must agree on them.
const NEED_LEVEL: [&str; 8] =
    ["need", "description", "sector", "priority", "start_date", "end_date", "modes", "reference"];

/// Where a field of the need input is in the sheet.
fn column_of(field: &str) -> &'static str {
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    match last {
        "title" if field.starts_with("roles") => "role",
        "title" => "need",
        "description" => "description",
        "sector" => "sector",
        "startDate" => "start_date",
        "endDate" => "end_date",
        "modes" => "modes",
        "dreamProjectId" => "reference",
        "seats" => "seats",
        "hoursPerWeek" => "hours_per_week",
        "skills" | "minLevel" | "skillId" => "skills",
        "languages" | "language" | "level" => "languages",
        _ => "",
    }
}

/// One need as read: its rows (sheet row numbers, the first holding the need's own columns) and its input.
struct SheetNeed {
    rows: Vec<usize>,
    input: NeedInput,
}

/// Reads the rows of one reference into a need input; problems go to `out`.
fn need_of(
    rows: &[(usize, &[String])],
    t: &Table,
    skills: &HashMap<String, Uuid>,
    out: &mut Vec<SheetProblem>,
) -> Option<NeedInput> {
    let before = out.len();
    let (first_row, first) = rows[0];
    let mut problem = |row: usize, column: &str, message: String| {
        out.push(SheetProblem { row, column: column.to_string(), message });
    };
    let cell = |r: &[String], c: &str| sheet::unescaped(t.cell(r, c)).trim().to_string();
    for &(row, r) in &rows[1..] {
        for c in NEED_LEVEL {
            let v = cell(r, c);
            if !v.is_empty() && v != cell(first, c) {
                problem(row, c, format!("differs from row {first_row}, which holds this need's \"{c}\""));
            }
        }
    }
    let date = |c: &str, problem: &mut dyn FnMut(usize, &str, String)| {
        let v = cell(first, c);
        NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .map_err(|_| problem(first_row, c, format!("\"{v}\" is not a date like 2027-03-01")))
            .ok()
    };
    let start_date = date("start_date", &mut problem);
    let end_date = date("end_date", &mut problem);
    let mut modes = Vec::new();
    for m in cell(first, "modes").split(';').map(str::trim).filter(|m| !m.is_empty()) {
        match [WorkMode::Remote, WorkMode::OnSite, WorkMode::Hosting]
            .into_iter()
            .find(|w| super::expert_sheet::mode_name(*w).eq_ignore_ascii_case(&m.replace([' ', '-'], "_")))
        {
            Some(w) => modes.push(w),
            None => problem(first_row, "modes", format!("\"{m}\" is not one of REMOTE, ON_SITE, HOSTING")),
        }
    }
    let priority = match cell(first, "priority") {
        p if p.is_empty() => Priority::Medium,
        p => p.to_uppercase().parse::<Priority>().unwrap_or_else(|_| {
            problem(first_row, "priority", format!("\"{p}\" is not one of CRITICAL, HIGH, MEDIUM, LOW"));
            Priority::Medium
        }),
    };
    let mut roles = Vec::new();
    for &(row, r) in rows {
        let int = |c: &str, problem: &mut dyn FnMut(usize, &str, String)| {
            let v = cell(r, c);
            v.parse::<i32>().map_err(|_| problem(row, c, format!("\"{v}\" is not a whole number"))).unwrap_or(0)
        };
        let seats = int("seats", &mut problem);
        let hours_per_week = int("hours_per_week", &mut problem);
        let mut role_skills = Vec::new();
        for s in cell(r, "skills").split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let parts: Vec<&str> = s.split(':').map(str::trim).collect();
            let id = skills.get(&parts[0].to_lowercase());
            let level = parts.get(1).and_then(|l| l.parse::<i32>().ok());
            let optional = parts.get(2).is_some_and(|o| o.eq_ignore_ascii_case("optional"));
            match (id, level) {
                (None, _) => {
                    problem(row, "skills", format!("\"{}\" is not a skill of the list (by code or name)", parts[0]))
                }
                (_, None) => problem(row, "skills", format!("\"{s}\" needs a minimum level, like {}:3", parts[0])),
                (Some(id), Some(min_level)) => {
                    role_skills.push(RoleSkillInput { skill_id: *id, min_level, essential: !optional })
                }
            }
        }
        let mut languages = Vec::new();
        for l in cell(r, "languages").split(';').map(str::trim).filter(|l| !l.is_empty()) {
            let (code, level) = l.split_once(':').map_or((l, ""), |(c, v)| (c.trim(), v.trim()));
            match level.to_uppercase().parse::<Cefr>() {
                Ok(level) => languages.push(LanguageInput { language: sheet::language_code_of(code), level }),
                Err(_) => problem(row, "languages", format!("\"{l}\" needs a level A1–C2 or NATIVE, like en:B2")),
            }
        }
        let interpreter_available = match cell(r, "interpreter_available").to_lowercase().as_str() {
            "" | "no" | "false" | "nee" | "ні" | "0" => false,
            "yes" | "true" | "ja" | "так" | "1" => true,
            other => {
                problem(row, "interpreter_available", format!("\"{other}\" is not yes or no"));
                false
            }
        };
        roles.push(NeedRoleInput {
            title: cell(r, "role"),
            seats,
            hours_per_week,
            interpreter_available,
            skills: role_skills,
            languages,
        });
    }
    if out.len() > before {
        return None;
    }
    let input = NeedInput {
        title: cell(first, "need"),
        description: cell(first, "description"),
        sector: cell(first, "sector"),
        start_date: start_date?,
        end_date: end_date?,
        modes,
        priority,
        dream_project_id: Some(cell(first, "reference")),
        roles,
    };
    match input.validate() {
        Ok(i) => Some(i),
        Err(AppError::Invalid { field, reason }) => {
            // `roles[i]…` is row i of the need; anything else is the need's first row.
            let row = field
                .strip_prefix("roles[")
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| rows.get(i))
                .map_or(first_row, |(row, _)| *row);
            out.push(SheetProblem { row, column: column_of(&field).to_string(), message: reason });
            None
        }
        Err(other) => {
            out.push(SheetProblem { row: first_row, column: String::new(), message: other.to_string() });
            None
        }
    }
}

/// Whether `input` would leave the need and its roles as they are.
fn unchanged(
    before: &NeedRow,
    roles: &[(store::need::RoleRow, Vec<store::need::RoleSkillRow>)],
    languages: &HashMap<Uuid, Vec<(String, Cefr)>>,
    input: &NeedInput,
) -> bool {
    let same_need = (&before.title, &before.description, &before.sector, before.start_date, before.end_date)
        == (&input.title, &input.description, &input.sector, input.start_date, input.end_date)
        && (before.remote, before.on_site, before.hosting)
            == (
                input.modes.contains(&WorkMode::Remote),
                input.modes.contains(&WorkMode::OnSite),
                input.modes.contains(&WorkMode::Hosting),
            )
        && before.priority == input.priority
        && before.dream_project_id == input.dream_project_id;
    let mut ordered: Vec<&(store::need::RoleRow, Vec<store::need::RoleSkillRow>)> = roles.iter().collect();
    ordered.sort_by_key(|(r, _)| r.position);
    same_need
        && ordered.len() == input.roles.len()
        && ordered.iter().zip(&input.roles).all(|((r, skills), i)| {
            let mut have: Vec<(Uuid, i32, bool)> =
                skills.iter().map(|s| (s.skill_id, s.min_level, s.essential)).collect();
            let mut want: Vec<(Uuid, i32, bool)> =
                i.skills.iter().map(|s| (s.skill_id, s.min_level, s.essential)).collect();
            have.sort();
            want.sort();
            let mut have_l = languages.get(&r.id).cloned().unwrap_or_default();
            let mut want_l: Vec<(String, Cefr)> = i.languages.iter().map(|l| (l.language.clone(), l.level)).collect();
            have_l.sort();
            want_l.sort();
            (&r.title, r.seats, r.hours_per_week, r.interpreter_available)
                == (&i.title, i.seats, i.hours_per_week, i.interpreter_available)
                && have == want
                && have_l == want_l
        })
}

impl Services {
    /// An empty needs sheet with an example need of two roles.
    pub fn needs_template(format: SheetFormat) -> AppResult<SheetFile> {
        let row = |role: &str, seats: &str, skills: &str, languages: &str| -> Vec<String> {
            [
                "DREAM-UA-2027-0142",
                "Renovate the district heating network",
                "Survey the network, plan the renovation in stages, and prepare the tender.",
                "ENERGY",
                "HIGH",
                "2027-03-01",
                "2027-09-30",
                "REMOTE; ON_SITE",
                role,
                seats,
                "8",
                skills,
                languages,
                "no",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let rows = vec![
            row("Heat network engineer", "2", "DISTRICT_HEATING:4; RENEWABLE_ENERGY:3:optional", "en:B2"),
            row("Procurement adviser", "1", "Public procurement:3", "English:B1; українська:B2"),
        ];
        sheet::write(format, "needs-template", &COLUMNS, &rows)
    }

    /// Checks a sheet of needs for `plan_id` and, unless `dry_run` or anything is wrong, writes it in one
    /// transaction (AUC for any plan, a hromada officer for their own).
    pub async fn import_needs(
        &self,
        p: Option<&Principal>,
        plan_id: Uuid,
        file: &[u8],
        dry_run: bool,
    ) -> AppResult<ImportOutcome> {
        crate::auth::policy::require(p)?;
        let table = sheet::read(file, "file")?;
        let required: Vec<&str> = COLUMNS.into_iter().filter(|c| !OPTIONAL.contains(c)).collect();
        table.require(&required, &COLUMNS)?;
        let mut tx = self.db.begin().await?;
        let plan = plan_taking_needs(&mut tx.conn(), p, plan_id).await?;
        let skills = super::expert_sheet::skill_names(store::skill::all(&mut tx.conn()).await?);
        let existing: HashMap<String, NeedRow> = store::need::of_plan(&mut tx.conn(), plan_id)
            .await?
            .into_iter()
            .filter_map(|n| n.dream_project_id.clone().map(|r| (r.trim().to_lowercase(), n)))
            .collect();
        let existing_ids: Vec<Uuid> = existing.values().map(|n| n.id).collect();
        let mut roles_of: HashMap<Uuid, Vec<(store::need::RoleRow, Vec<store::need::RoleSkillRow>)>> = HashMap::new();
        let mut languages: HashMap<Uuid, Vec<(String, Cefr)>> = HashMap::new();
        if !existing_ids.is_empty() {
            let roles = store::need::roles_with_skills(&mut tx.conn(), &existing_ids).await?;
            let role_ids: Vec<Uuid> = roles.iter().map(|(r, _)| r.id).collect();
            for l in store::need::role_languages_of(&mut tx.conn(), &role_ids).await? {
                languages.entry(l.owner_id).or_default().push((l.language, l.level));
            }
            for (r, s) in roles {
                roles_of.entry(r.need_id).or_default().push((r, s));
            }
        }

        // Rows grouped by reference, in the sheet's order.
        let mut outcome = ImportOutcome::default();
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, Vec<(usize, &[String])>> = HashMap::new();
        for (row, cells) in &table.rows {
            outcome.rows += 1;
            let mut formula = false;
            for (i, value) in cells.iter().enumerate() {
                if let Some(message) = sheet::formula_problem(value) {
                    let column = table.headers.get(i).cloned().unwrap_or_default();
                    outcome.problems.push(SheetProblem { row: *row, column, message });
                    formula = true;
                }
            }
            let reference = table.cell(cells, "reference").trim().to_lowercase();
            if reference.is_empty() {
                outcome.problems.push(SheetProblem {
                    row: *row,
                    column: "reference".into(),
                    message: "is required: the DREAM project id, or your list's own reference for the need".into(),
                });
                continue;
            }
            if formula {
                continue;
            }
            if !groups.contains_key(&reference) {
                order.push(reference.clone());
            }
            groups.entry(reference).or_default().push((*row, cells.as_slice()));
        }
        let mut writes: Vec<(SheetNeed, Option<NeedRow>)> = Vec::new();
        for reference in &order {
            let rows = &groups[reference];
            let Some(input) = need_of(rows, &table, &skills, &mut outcome.problems) else { continue };
            let need = SheetNeed { rows: rows.iter().map(|(r, _)| *r).collect(), input };
            match existing.get(reference) {
                Some(before)
                    if unchanged(
                        before,
                        roles_of.get(&before.id).map_or(&[], Vec::as_slice),
                        &languages,
                        &need.input,
                    ) =>
                {
                    outcome.unchanged += 1;
                }
                Some(before) if !need_is_editable(before.status) => {
                    outcome.problems.push(SheetProblem {
                        row: need.rows[0],
                        column: "reference".into(),
                        message: format!(
                            "names the need \"{}\", which is {} already: change it on its own page",
                            before.title, before.status
                        ),
                    });
                }
                Some(before) => {
                    outcome.updated += 1;
                    writes.push((need, Some(before.clone())));
                }
                None => {
                    outcome.created += 1;
                    writes.push((need, None));
                }
            }
        }
        outcome.problems.sort_by_key(|p| p.row);
        if dry_run || !outcome.problems.is_empty() {
            return Ok(outcome);
        }
        for (need, before) in &writes {
            check_role_skills(&mut tx.conn(), &need.input).await?;
            match before {
                Some(before) => {
                    let locked = found(store::need::get_for_update(&mut tx.conn(), before.id).await?, "need")?;
                    update_need_in(&mut tx.conn(), p, &locked, &need.input).await?;
                }
                None => {
                    create_need_in(&mut tx.conn(), p, &plan, &need.input).await?;
                }
            }
        }
        tx.commit().await?;
        outcome.applied = true;
        Ok(outcome)
    }
}
