//! Lists taken out as spreadsheets: needs with their roles and fill, assignments, and the contribution ledger,
//! each within what the caller may see (the same service reads as the API's lists, page by page).

use std::collections::HashMap;

use uuid::Uuid;

use super::Services;
use super::sheet::{self, SheetFile, SheetFormat};
use crate::auth::Principal;
use crate::domain::{AppError, AppResult};
use crate::store;
use crate::store::assignment::AssignmentFilter;
use crate::store::need::NeedFilter;

/// The most rows one export holds; past it the caller is asked to filter.
const MAX_EXPORT_ROWS: usize = 20_000;
const PAGE: i32 = 100;

pub const NEED_COLUMNS: [&str; 17] = [
    "need_id",
    "dream_project_id",
    "municipality",
    "municipality_code",
    "need",
    "sector",
    "priority",
    "status",
    "start_date",
    "end_date",
    "modes",
    "role",
    "seats",
    "seats_filled",
    "hours_per_week",
    "skills",
    "languages",
];

pub const ASSIGNMENT_COLUMNS: [&str; 12] = [
    "assignment_id",
    "need",
    "role",
    "hromada",
    "expert",
    "expert_municipality",
    "status",
    "start_date",
    "end_date",
    "hours_per_week",
    "hours_delivered",
    "completed_at",
];

fn too_many() -> AppError {
    AppError::invalid("filter", format!("more than {MAX_EXPORT_ROWS} rows: narrow the list down with a filter"))
}

fn modes(remote: bool, on_site: bool, hosting: bool) -> String {
    let on: Vec<&str> = [(remote, "REMOTE"), (on_site, "ON_SITE"), (hosting, "HOSTING")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, m)| m)
        .collect();
    on.join("; ")
}

impl Services {
    /// Municipality names by id.
    async fn municipality_names(&self, ids: Vec<Uuid>) -> AppResult<HashMap<Uuid, (String, String)>> {
        let mut ids = ids;
        ids.sort();
        ids.dedup();
        let mut out = HashMap::new();
        let mut c = self.db.acquire().await?;
        for chunk in ids.chunks(500) {
            for m in store::municipality::by_ids(&mut c.conn(), chunk).await? {
                out.insert(m.id, (m.name, m.code));
            }
        }
        Ok(out)
    }

    /// The needs the caller sees (filtered), one row per role with its seats and fill.
    pub async fn needs_sheet(
        &self,
        p: Option<&Principal>,
        f: &NeedFilter,
        format: SheetFormat,
    ) -> AppResult<SheetFile> {
        let mut needs = Vec::new();
        let mut after = None;
        loop {
            let page = self.needs(p, f, after, Some(PAGE)).await?;
            after = page.items.last().map(|n| n.id);
            needs.extend(page.items);
            if needs.len() > MAX_EXPORT_ROWS {
                return Err(too_many());
            }
            if !page.has_next {
                break;
            }
        }
        let names = self.municipality_names(needs.iter().map(|n| n.municipality_id).collect()).await?;
        let mut c = self.db.acquire().await?;
        let mut roles_by_need: HashMap<Uuid, Vec<(store::need::RoleRow, Vec<store::need::RoleSkillRow>)>> =
            HashMap::new();
        let mut languages: HashMap<Uuid, Vec<String>> = HashMap::new();
        let mut fill: HashMap<Uuid, i64> = HashMap::new();
        for chunk in needs.chunks(200) {
            let ids: Vec<Uuid> = chunk.iter().map(|n| n.id).collect();
            let roles = store::need::roles_with_skills(&mut c.conn(), &ids).await?;
            let role_ids: Vec<Uuid> = roles.iter().map(|(r, _)| r.id).collect();
            if !role_ids.is_empty() {
                for l in store::need::role_languages_of(&mut c.conn(), &role_ids).await? {
                    languages.entry(l.owner_id).or_default().push(format!("{}:{}", l.language, l.level));
                }
                for (role, _, filled) in store::assignment::seats_of_roles(&mut c.conn(), &role_ids).await? {
                    fill.insert(role, filled);
                }
            }
            for (role, skills) in roles {
                roles_by_need.entry(role.need_id).or_default().push((role, skills));
            }
        }
        let mut rows = Vec::new();
        for n in &needs {
            let (municipality, code) = names.get(&n.municipality_id).cloned().unwrap_or_default();
            let need_cells = [
                n.id.to_string(),
                n.dream_project_id.clone().unwrap_or_default(),
                municipality,
                code,
                n.title.clone(),
                n.sector.clone(),
                n.priority.to_string(),
                n.status.to_string(),
                n.start_date.to_string(),
                n.end_date.to_string(),
                modes(n.remote, n.on_site, n.hosting),
            ];
            for (role, skills) in roles_by_need.get(&n.id).map(Vec::as_slice).unwrap_or_default() {
                let mut row = need_cells.to_vec();
                let skills: Vec<String> = skills
                    .iter()
                    .map(|s| format!("{}:{}{}", s.code, s.min_level, if s.essential { "" } else { ":optional" }))
                    .collect();
                row.extend([
                    role.title.clone(),
                    role.seats.to_string(),
                    fill.get(&role.id).copied().unwrap_or(0).to_string(),
                    role.hours_per_week.to_string(),
                    skills.join("; "),
                    languages.get(&role.id).map(|l| l.join("; ")).unwrap_or_default(),
                ]);
                rows.push(row);
            }
        }
        sheet::write(format, "needs", &NEED_COLUMNS, &rows)
    }

    /// The assignments the caller sees (filtered), with the hours delivered on each.
    pub async fn assignments_sheet(
        &self,
        p: Option<&Principal>,
        f: AssignmentFilter,
        format: SheetFormat,
    ) -> AppResult<SheetFile> {
        let mut list = Vec::new();
        let mut after = None;
        loop {
            let page = self.assignments(p, f.clone(), after, Some(PAGE)).await?;
            after = page.items.last().map(|a| a.id);
            list.extend(page.items);
            if list.len() > MAX_EXPORT_ROWS {
                return Err(too_many());
            }
            if !page.has_next {
                break;
            }
        }
        let mut c = self.db.acquire().await?;
        let mut needs = HashMap::new();
        let mut experts = HashMap::new();
        let mut roles = HashMap::new();
        let mut hours: HashMap<Uuid, i64> = HashMap::new();
        for chunk in list.chunks(200) {
            let need_ids: Vec<Uuid> = chunk.iter().map(|a| a.need_id).collect();
            let expert_ids: Vec<Uuid> = chunk.iter().map(|a| a.expert_id).collect();
            let ids: Vec<Uuid> = chunk.iter().map(|a| a.id).collect();
            for n in store::need::by_ids(&mut c.conn(), &need_ids).await? {
                needs.insert(n.id, n);
            }
            for e in store::expert::by_ids(&mut c.conn(), &expert_ids).await? {
                experts.insert(e.id, e);
            }
            for (r, _) in store::need::roles_with_skills(&mut c.conn(), &need_ids).await? {
                roles.insert(r.id, r.title);
            }
            for (id, total) in store::hours::totals_of(&mut c.conn(), &ids).await? {
                hours.insert(id, total);
            }
        }
        drop(c);
        let mut municipality_ids: Vec<Uuid> = needs.values().map(|n| n.municipality_id).collect();
        municipality_ids.extend(experts.values().map(|e| e.municipality_id));
        let names = self.municipality_names(municipality_ids).await?;
        let name_of = |id: Option<Uuid>| id.and_then(|id| names.get(&id)).map(|(n, _)| n.clone()).unwrap_or_default();
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|a| {
                let need = needs.get(&a.need_id);
                let expert = experts.get(&a.expert_id);
                vec![
                    a.id.to_string(),
                    need.map(|n| n.title.clone()).unwrap_or_default(),
                    roles.get(&a.role_id).cloned().unwrap_or_default(),
                    name_of(need.map(|n| n.municipality_id)),
                    expert.map(|e| e.name.clone()).unwrap_or_default(),
                    name_of(expert.map(|e| e.municipality_id)),
                    a.status.to_string(),
                    a.start_date.to_string(),
                    a.end_date.to_string(),
                    a.hours_per_week.to_string(),
                    hours.get(&a.id).copied().unwrap_or(0).to_string(),
                    a.completed_at.map(|t| t.date_naive().to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        sheet::write(format, "assignments", &ASSIGNMENT_COLUMNS, &rows)
    }

    /// The contribution ledger for the period, as the CSV export has it, in either format.
    pub async fn ledger_sheet(
        &self,
        p: Option<&Principal>,
        period: super::ledger::Period,
        format: SheetFormat,
    ) -> AppResult<SheetFile> {
        let ledger = self.contribution_ledger(p, period).await?;
        let rows = super::ledger::ledger_rows(&ledger);
        sheet::write(format, "contribution-ledger", &super::ledger::CSV_HEADER, &rows)
    }
}
