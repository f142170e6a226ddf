//! The rows a matching snapshot is made of: active experts with skills, languages and held hours; open needs
//! with their roles, seats taken and the hromada's security status; and past cooperation between
//! municipalities. Whole-pool reads use joins, not id lists, so no statement grows with the pool.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::assignment::AssignmentStatus;
use crate::domain::{Cefr, ExpertStatus, Priority, SecurityStatus};

/// Which experts to load.
#[derive(Debug, Clone)]
pub enum ExpertScope {
    /// Every active expert.
    AllActive,
    /// Active experts having every listed (skill code, minimum level): the candidates of one role.
    WithSkills(Vec<(String, i32)>),
    /// One expert, whatever their status (a hand-picked proposal explains why it is not eligible).
    One(Uuid),
}

impl ExpertScope {
    /// Appends the condition on `e` (the experts table).
    fn push(&self, q: &mut Sql) {
        match self {
            ExpertScope::AllActive => {
                q.push(" AND e.status = 'ACTIVE'");
            }
            ExpertScope::WithSkills(skills) => {
                q.push(" AND e.status = 'ACTIVE'");
                for (code, level) in skills {
                    q.push(
                        " AND e.id IN (SELECT es.expert_id FROM expert_skills es JOIN skills s ON s.id = es.skill_id ",
                    );
                    q.push("WHERE s.code = ").bind(code.as_str()).push(" AND es.level >= ").bind(*level).push(")");
                }
            }
            ExpertScope::One(id) => {
                q.push(" AND e.id = ").bind(*id);
            }
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolExpertRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub status: ExpertStatus,
    pub hours_per_week: i32,
    pub available_from: NaiveDate,
    pub available_until: Option<NaiveDate>,
    pub remote: bool,
    pub on_site: bool,
    pub hosting: bool,
}

/// (expert, skill code, level)
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolExpertSkill {
    pub expert_id: Uuid,
    pub code: String,
    pub level: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolExpertLanguage {
    pub expert_id: Uuid,
    pub language: String,
    pub level: Cefr,
}

/// An assignment as the matcher sees it: hours held, or a need the expert is excluded from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolAssignment {
    pub expert_id: Uuid,
    pub need_id: Uuid,
    pub status: AssignmentStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hours_per_week: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolNeedRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub security_status: Option<SecurityStatus>,
    pub priority: Priority,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub remote: bool,
    pub on_site: bool,
    pub hosting: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolRoleRow {
    pub id: Uuid,
    pub need_id: Uuid,
    pub title: String,
    pub seats: i32,
    pub hours_per_week: i32,
    pub interpreter_available: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolRoleSkill {
    pub role_id: Uuid,
    pub code: String,
    pub min_level: i32,
    pub essential: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PoolRoleLanguage {
    pub role_id: Uuid,
    pub language: String,
    pub min_level: Cefr,
}

/// Experts with their skills, languages and assignments.
pub struct ExpertRows {
    pub experts: Vec<PoolExpertRow>,
    pub skills: Vec<PoolExpertSkill>,
    pub languages: Vec<PoolExpertLanguage>,
    /// Every non-cancelled assignment of these experts.
    pub assignments: Vec<PoolAssignment>,
}

pub async fn experts(conn: &mut Conn<'_>, scope: &ExpertScope) -> AppResult<ExpertRows> {
    let mut q = Sql::new(
        "SELECT e.id, e.municipality_id, e.status, e.hours_per_week, e.available_from, e.available_until, e.remote, \
         e.on_site, e.hosting FROM experts e WHERE 1 = 1",
    );
    scope.push(&mut q);
    q.push(" ORDER BY e.id");
    let experts = q.fetch_all(conn).await?;

    let mut q = Sql::new(
        "SELECT es.expert_id, s.code, es.level FROM expert_skills es JOIN skills s ON s.id = es.skill_id \
         JOIN experts e ON e.id = es.expert_id WHERE 1 = 1",
    );
    scope.push(&mut q);
    let skills = q.fetch_all(conn).await?;

    let mut q = Sql::new(
        "SELECT l.expert_id, l.language, l.level FROM expert_languages l JOIN experts e ON e.id = l.expert_id WHERE 1 = 1",
    );
    scope.push(&mut q);
    let languages = q.fetch_all(conn).await?;

    let mut q = Sql::new(&format!(
        "SELECT a.expert_id, a.need_id, a.status, a.start_date, a.end_date, a.hours_per_week FROM assignments a \
         JOIN experts e ON e.id = a.expert_id WHERE a.status <> '{}'",
        AssignmentStatus::Cancelled.as_str()
    ));
    scope.push(&mut q);
    let assignments = q.fetch_all(conn).await?;
    Ok(ExpertRows { experts, skills, languages, assignments })
}

/// Open needs (all, or one) with their roles, role skills and languages, and seats taken per role.
pub struct NeedRows {
    pub needs: Vec<PoolNeedRow>,
    pub roles: Vec<PoolRoleRow>,
    pub skills: Vec<PoolRoleSkill>,
    pub languages: Vec<PoolRoleLanguage>,
    /// (role, seats taken by assignments that hold or held a seat)
    pub seats_taken: Vec<(Uuid, i64)>,
}

pub async fn open_needs(conn: &mut Conn<'_>, only: Option<Uuid>) -> AppResult<NeedRows> {
    let scope = |q: &mut Sql, need: &str| {
        q.push(" AND ").push(need).push(" IN (SELECT id FROM needs WHERE status = 'OPEN'");
        if let Some(id) = only {
            q.push(" AND id = ").bind(id);
        }
        q.push(")");
    };
    let mut q = Sql::new(
        "SELECT n.id, p.municipality_id, m.security_status, n.priority, n.start_date, n.end_date, n.remote, n.on_site, \
         n.hosting FROM needs n JOIN recovery_plans p ON p.id = n.plan_id JOIN municipalities m ON m.id = p.municipality_id \
         WHERE 1 = 1",
    );
    scope(&mut q, "n.id");
    q.push(" ORDER BY n.id");
    let needs = q.fetch_all(conn).await?;

    let mut q = Sql::new(
        "SELECT id, need_id, title, seats, hours_per_week, interpreter_available FROM need_roles r WHERE 1 = 1",
    );
    scope(&mut q, "r.need_id");
    q.push(" ORDER BY r.need_id, r.position");
    let roles = q.fetch_all(conn).await?;

    let mut q = Sql::new(
        "SELECT rs.role_id, s.code, rs.min_level, rs.essential FROM role_skills rs JOIN skills s ON s.id = rs.skill_id \
         JOIN need_roles r ON r.id = rs.role_id WHERE 1 = 1",
    );
    scope(&mut q, "r.need_id");
    let skills = q.fetch_all(conn).await?;

    let mut q = Sql::new(
        "SELECT rl.role_id, rl.language, rl.min_level FROM role_languages rl JOIN need_roles r ON r.id = rl.role_id WHERE 1 = 1",
    );
    scope(&mut q, "r.need_id");
    let languages = q.fetch_all(conn).await?;

    let mut q = Sql::new("SELECT a.role_id, COUNT(*) FROM assignments a WHERE a.status IN ");
    q.bind_list(&super::assignment::seated());
    scope(&mut q, "a.need_id");
    q.push(" GROUP BY a.role_id");
    let seats_taken = q.fetch_all(conn).await?;
    Ok(NeedRows { needs, roles, skills, languages, seats_taken })
}

/// Pairs (contributing municipality, recovering municipality) that already work together: an assignment
/// between them was accepted or went further, or a confirmed tie joins them.
pub async fn continuity(conn: &mut Conn<'_>) -> AppResult<Vec<(Uuid, Uuid)>> {
    let mut q = Sql::new(
        "SELECT e.municipality_id, p.municipality_id FROM assignments a JOIN experts e ON e.id = a.expert_id \
         JOIN needs n ON n.id = a.need_id JOIN recovery_plans p ON p.id = n.plan_id WHERE a.status IN ",
    );
    q.bind_list(&super::assignment::filling());
    // Confirmed ties between the municipalities count as working together too (docs/network.md).
    q.push(
        " UNION SELECT contributing_municipality_id, recovering_municipality_id FROM municipality_ties \
         WHERE confirmed_at IS NOT NULL ORDER BY 1, 2",
    );
    q.fetch_all(conn).await
}
