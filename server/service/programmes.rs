//! Programme money (docs/fund.md): VNG International's support is paid from programmes such as SDLG (financed by
//! the Ministry of Foreign Affairs). Each programme has budget lines; expenses are booked against a line, as
//! committed or spent, including experts' travel and stay for on-site and hosting assignments. A line is never
//! booked beyond its budget: committed plus spent stays within it, checked under the line's lock.

use uuid::Uuid;

use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, require};
use crate::domain::fund::{ExpenseKind, ExpenseStatus, parse_euros};
use crate::domain::fund_input::{BudgetLineInput, ExpenseInput, ProgrammeInput, id_of};
use crate::domain::input::{MAX_LONG_TEXT, MAX_TEXT, optional_text, required_text};
use crate::domain::{AppError, AppResult, OnUnique, new_id};
use crate::store::programme::{BudgetLineRow, ExpenseRow, PlanSpendRow, ProgrammeRow};
use crate::store::{self, Conn};

use super::ledger::euros;

/// A programme with its lines (each with committed and spent), the spending per plan, and its expenses.
#[derive(Debug, Clone)]
pub struct ProgrammeBudget {
    pub programme: ProgrammeRow,
    pub lines: Vec<BudgetLineRow>,
    pub per_plan: Vec<PlanSpendRow>,
    pub expenses: Vec<ExpenseRow>,
}

/// Inserts a new, unbooked budget line with its audit event, in the caller's transaction.
async fn insert_line(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    programme_id: Uuid,
    code: String,
    name: String,
    amount_cents: i64,
) -> AppResult<BudgetLineRow> {
    let line =
        BudgetLineRow { id: new_id(), programme_id, code, name, amount_cents, committed_cents: 0, spent_cents: 0 };
    store::programme::insert_line(conn, &line).await.on_unique("code")?;
    audit(conn, p, "budget_line.create", line.id, None, snapshot(&line)).await?;
    Ok(line)
}

impl Services {
    /// Records a programme with its budget lines (pool coordinators, fund officers, admins).
    pub async fn create_programme(&self, p: Option<&Principal>, input: &ProgrammeInput) -> AppResult<ProgrammeBudget> {
        check(p, Op::ManageProgrammes, Target::NONE)?;
        let code = required_text("code", &input.code, 30)?.to_uppercase();
        let name = required_text("name", &input.name, MAX_TEXT)?;
        let funder = required_text("funder", &input.funder, MAX_TEXT)?;
        if input.lines.is_empty() {
            return Err(AppError::invalid("lines", "a programme needs at least one budget line"));
        }
        let mut lines = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            let (lcode, lname, cents) = l.validate(&format!("lines[{i}]."))?;
            if lines.iter().any(|(c, _, _): &(String, String, i64)| *c == lcode) {
                return Err(AppError::invalid(format!("lines[{i}].code"), "is used by another line"));
            }
            lines.push((lcode, lname, cents));
        }
        let mut tx = self.db.begin().await?;
        if store::programme::programme_by_code(&mut tx.conn(), &code).await?.is_some() {
            return Err(AppError::invalid("code", "another programme has this code"));
        }
        let programme = ProgrammeRow { id: new_id(), code, name, funder, created_at: now() };
        store::programme::insert_programme(&mut tx.conn(), &programme).await.on_unique("code")?;
        audit(&mut tx.conn(), p, "programme.create", programme.id, None, snapshot(&programme)).await?;
        for (code, name, amount_cents) in lines {
            insert_line(&mut tx.conn(), p, programme.id, code, name, amount_cents).await?;
        }
        let budget = self.budget_of(&mut tx.conn(), programme).await?;
        tx.commit().await?;
        Ok(budget)
    }

    /// Adds a budget line to a programme.
    pub async fn add_budget_line(
        &self,
        p: Option<&Principal>,
        programme_code: &str,
        input: &BudgetLineInput,
    ) -> AppResult<BudgetLineRow> {
        check(p, Op::ManageProgrammes, Target::NONE)?;
        let (code, name, amount_cents) = input.validate("")?;
        let mut tx = self.db.begin().await?;
        let programme = store::programme::programme_by_code(&mut tx.conn(), &programme_code.trim().to_uppercase())
            .await?
            .ok_or_else(|| AppError::invalid("programmeCode", "no such programme"))?;
        let existing = store::programme::lines_of(&mut tx.conn(), &[programme.id]).await?;
        if existing.iter().any(|l| l.code == code) {
            return Err(AppError::invalid("code", "is used by another line of this programme"));
        }
        let line = insert_line(&mut tx.conn(), p, programme.id, code, name, amount_cents).await?;
        tx.commit().await?;
        Ok(line)
    }

    /// Books an expense against a budget line. TRAVEL and STAY belong to an assignment whose need takes on-site
    /// or hosting work, and take its plan; SPENT needs a receipt reference. Refused when the line's committed
    /// and spent money would pass its budget.
    pub async fn book_expense(&self, p: Option<&Principal>, input: &ExpenseInput) -> AppResult<ExpenseRow> {
        let principal = require(p)?;
        check(p, Op::ManageProgrammes, Target::NONE)?;
        let line_id = id_of("budgetLineId", Some(&input.budget_line_id))?.unwrap_or_default();
        let assignment_id = id_of("assignmentId", input.assignment_id.as_ref())?;
        let mut plan_id = id_of("planId", input.plan_id.as_ref())?;
        let amount = parse_euros("amount", &input.amount)?;
        let description = required_text("description", &input.description, MAX_LONG_TEXT)?;
        let receipt = optional_text("receiptReference", input.receipt_reference.as_deref(), MAX_TEXT)?;
        if input.status == ExpenseStatus::Spent && receipt.is_none() {
            return Err(AppError::invalid("receiptReference", "is required for a SPENT expense"));
        }
        let travels = matches!(input.kind, ExpenseKind::Travel | ExpenseKind::Stay);
        if travels && assignment_id.is_none() {
            return Err(AppError::invalid("assignmentId", "is required for an expert's travel or stay"));
        }
        let mut tx = self.db.begin().await?;
        if let Some(a) = assignment_id {
            let (plan, on_site) = store::programme::assignment_plan(&mut tx.conn(), a)
                .await?
                .ok_or_else(|| AppError::invalid("assignmentId", "no such assignment"))?;
            if travels && !on_site {
                return Err(AppError::invalid(
                    "assignmentId",
                    "is remote work: travel and stay are for on-site or hosting assignments",
                ));
            }
            if plan_id.is_some_and(|p| p != plan) {
                return Err(AppError::invalid("planId", "is not the plan of the assignment's need"));
            }
            plan_id = Some(plan);
        } else if let Some(plan) = plan_id {
            if store::plan::get(&mut tx.conn(), plan).await?.is_none() {
                return Err(AppError::invalid("planId", "no such recovery plan"));
            }
        }
        let line = store::programme::line_for_update(&mut tx.conn(), line_id)
            .await?
            .ok_or_else(|| AppError::invalid("budgetLineId", "no such budget line"))?;
        let left = line.amount_cents - line.committed_cents - line.spent_cents;
        if amount > left {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "is more than the {} euros left on budget line {} ({})",
                    euros(left.max(0)),
                    line.code,
                    line.name
                ),
            ));
        }
        let row = ExpenseRow {
            id: new_id(),
            budget_line_id: line_id,
            kind: input.kind,
            status: input.status,
            amount_cents: amount,
            description,
            booked_on: input.booked_on,
            assignment_id,
            plan_id,
            receipt_reference: receipt,
            booked_by: Some(principal.user_id),
            created_at: now(),
        };
        store::programme::insert_expense(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "expense.book", row.id, None, snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// A committed expense is paid: it becomes SPENT, with its receipt's reference.
    pub async fn mark_expense_spent(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        receipt_reference: &str,
    ) -> AppResult<ExpenseRow> {
        check(p, Op::ManageProgrammes, Target::NONE)?;
        let reference = required_text("receiptReference", receipt_reference, MAX_TEXT)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::programme::expense_for_update(&mut tx.conn(), id).await?, "expense")?;
        if before.status != ExpenseStatus::Committed {
            return Err(AppError::conflict("this expense is already SPENT"));
        }
        store::programme::mark_spent(&mut tx.conn(), id, &reference).await?;
        let after = ExpenseRow { status: ExpenseStatus::Spent, receipt_reference: Some(reference), ..before.clone() };
        audit(&mut tx.conn(), p, "expense.spend", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every programme's budget: per line budget, committed and spent; per plan committed and spent.
    pub async fn programme_budgets(&self, p: Option<&Principal>) -> AppResult<Vec<ProgrammeBudget>> {
        check(p, Op::ReadProgrammes, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let mut out = Vec::new();
        for programme in store::programme::programmes(&mut c.conn()).await? {
            out.push(self.budget_of(&mut c.conn(), programme).await?);
        }
        Ok(out)
    }

    async fn budget_of(&self, conn: &mut Conn<'_>, programme: ProgrammeRow) -> AppResult<ProgrammeBudget> {
        let lines = store::programme::lines_of(conn, &[programme.id]).await?;
        let per_plan = store::programme::per_plan(conn, &[programme.id]).await?;
        let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
        let expenses = store::programme::expenses_of(conn, &ids).await?;
        Ok(ProgrammeBudget { programme, lines, per_plan, expenses })
    }
}
