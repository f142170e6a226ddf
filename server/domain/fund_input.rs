//! What clients send to the fund, and the shape rules checked before anything is read or written. Amounts are
//! euros as text with at most two decimals (`"2500.50"`), parsed exactly into cents.

use async_graphql::InputObject;
use chrono::NaiveDate;
use uuid::Uuid;

use super::fund::{DonorKind, Earmark, ExpenseKind, ExpenseStatus, FundPurpose, RecipientKind, parse_euros};
use super::input::{MAX_LONG_TEXT, MAX_TEXT, optional_text, required_text};
use super::{AppError, AppResult};

/// A pledge: who gives, how much, for what.
#[derive(InputObject, Debug, Clone)]
pub struct PledgeInput {
    /// The giving municipality (a contributing one). Leave empty for a partner association or another donor, and
    /// give `donorName` and `donorKind` instead (fund officers only).
    pub municipality_id: Option<async_graphql::ID>,
    /// PARTNER_ASSOCIATION or OTHER, for a donor that is not a municipality of the pool.
    pub donor_kind: Option<DonorKind>,
    /// The donor's name, for a donor that is not a municipality of the pool.
    pub donor_name: Option<String>,
    /// Euros, at most two decimals, e.g. "25000" or "25000.50".
    pub amount: String,
    /// EMERGENCY_AID, RECONSTRUCTION, PEACEBUILDING or UNRESTRICTED.
    pub purpose: FundPurpose,
    /// NONE when not earmarked.
    #[graphql(default_with = "Earmark::None")]
    pub earmark: Earmark,
    /// The hromada of a HROMADA earmark.
    pub earmark_municipality_id: Option<async_graphql::ID>,
    /// The recovery plan of a PLAN earmark.
    pub earmark_plan_id: Option<async_graphql::ID>,
    /// When the money is due; a pledge not paid in full by then is overdue.
    pub due_date: Option<NaiveDate>,
    /// A note to the fund.
    pub note: Option<String>,
}

/// A pledge's checked values.
#[derive(Debug, Clone)]
pub struct Pledge {
    pub municipality_id: Option<Uuid>,
    pub donor_kind: DonorKind,
    pub donor_name: Option<String>,
    pub amount_cents: i64,
    pub purpose: FundPurpose,
    pub earmark: Earmark,
    pub earmark_municipality_id: Option<Uuid>,
    pub earmark_plan_id: Option<Uuid>,
    pub due_date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// An id argument; a malformed one is bad input naming `field`.
pub fn id_of(field: &str, id: Option<&async_graphql::ID>) -> AppResult<Option<Uuid>> {
    id.map(|id| Uuid::parse_str(id.as_str()).map_err(|_| AppError::invalid(field, "is not a valid id"))).transpose()
}

impl PledgeInput {
    pub fn validate(&self) -> AppResult<Pledge> {
        let municipality_id = id_of("municipalityId", self.municipality_id.as_ref())?;
        let (donor_kind, donor_name) = match (municipality_id, self.donor_kind) {
            (Some(_), None | Some(DonorKind::Municipality)) => (DonorKind::Municipality, None),
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "donorKind",
                    "must be MUNICIPALITY or left out when a municipality gives",
                ));
            }
            (None, None | Some(DonorKind::Municipality)) => {
                return Err(AppError::invalid(
                    "municipalityId",
                    "name the giving municipality, or give donorKind and donorName for another donor",
                ));
            }
            (None, Some(kind)) => {
                let name = required_text("donorName", self.donor_name.as_deref().unwrap_or(""), MAX_TEXT)?;
                (kind, Some(name))
            }
        };
        let amount_cents = parse_euros("amount", &self.amount)?;
        let earmark_municipality_id = id_of("earmarkMunicipalityId", self.earmark_municipality_id.as_ref())?;
        let earmark_plan_id = id_of("earmarkPlanId", self.earmark_plan_id.as_ref())?;
        match self.earmark {
            Earmark::Hromada if earmark_municipality_id.is_none() => {
                return Err(AppError::invalid("earmarkMunicipalityId", "is required for a HROMADA earmark"));
            }
            Earmark::Plan if earmark_plan_id.is_none() => {
                return Err(AppError::invalid("earmarkPlanId", "is required for a PLAN earmark"));
            }
            _ => {}
        }
        if self.earmark != Earmark::Hromada && earmark_municipality_id.is_some() {
            return Err(AppError::invalid("earmarkMunicipalityId", "is only for a HROMADA earmark"));
        }
        if self.earmark != Earmark::Plan && earmark_plan_id.is_some() {
            return Err(AppError::invalid("earmarkPlanId", "is only for a PLAN earmark"));
        }
        Ok(Pledge {
            municipality_id,
            donor_kind,
            donor_name,
            amount_cents,
            purpose: self.purpose,
            earmark: self.earmark,
            earmark_municipality_id,
            earmark_plan_id,
            due_date: self.due_date,
            note: optional_text("note", self.note.as_deref(), MAX_LONG_TEXT)?,
        })
    }
}

/// Money received against a pledge.
#[derive(InputObject, Debug, Clone)]
pub struct ReceiptInput {
    /// The pledge the money was given against.
    pub pledge_id: async_graphql::ID,
    /// The day the money arrived on the fund's account (not in the future).
    pub received_on: NaiveDate,
    /// Euros, at most two decimals.
    pub amount: String,
    /// The bank's reference of the transfer.
    pub bank_reference: String,
    /// Set to record more than is still open on the pledge.
    #[graphql(default)]
    pub overpayment: bool,
}

/// A grant proposed by a fund officer.
#[derive(InputObject, Debug, Clone)]
pub struct GrantInput {
    /// AUC, or a HROMADA.
    pub recipient: RecipientKind,
    /// The hromada, for a HROMADA grant (a Ukrainian municipality of the reference list).
    pub municipality_id: Option<async_graphql::ID>,
    /// The recovery plan the money is for (a HROMADA grant; the hromada's own plan).
    pub plan_id: Option<async_graphql::ID>,
    /// The need the money is for (within the plan, or one of the hromada's plans).
    pub need_id: Option<async_graphql::ID>,
    /// EMERGENCY_AID, RECONSTRUCTION or PEACEBUILDING.
    pub purpose: FundPurpose,
    /// Euros, at most two decimals.
    pub amount: String,
    /// A short title.
    pub title: String,
    /// What the money is for.
    pub description: String,
    /// The name the recipient's bank account is held in.
    pub account_holder: String,
    /// The recipient's IBAN.
    pub account_iban: String,
    /// When the recipient's report on what was done is due.
    pub report_due: Option<NaiveDate>,
}

/// A grant's checked values.
#[derive(Debug, Clone)]
pub struct Grant {
    pub recipient: RecipientKind,
    pub municipality_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub need_id: Option<Uuid>,
    pub purpose: FundPurpose,
    pub amount_cents: i64,
    pub title: String,
    pub description: String,
    pub account_holder: String,
    pub account_iban: String,
    pub report_due: Option<NaiveDate>,
}

impl GrantInput {
    pub fn validate(&self) -> AppResult<Grant> {
        let municipality_id = id_of("municipalityId", self.municipality_id.as_ref())?;
        let plan_id = id_of("planId", self.plan_id.as_ref())?;
        let need_id = id_of("needId", self.need_id.as_ref())?;
        match self.recipient {
            RecipientKind::Hromada if municipality_id.is_none() => {
                return Err(AppError::invalid("municipalityId", "is required for a grant to a hromada"));
            }
            RecipientKind::Auc if municipality_id.is_some() => {
                return Err(AppError::invalid("municipalityId", "is only for a grant to a hromada"));
            }
            RecipientKind::Auc if plan_id.is_some() || need_id.is_some() => {
                let field = if plan_id.is_some() { "planId" } else { "needId" };
                return Err(AppError::invalid(field, "is only for a grant to a hromada"));
            }
            _ => {}
        }
        if self.purpose == FundPurpose::Unrestricted {
            return Err(AppError::invalid(
                "purpose",
                "a grant names one purpose: EMERGENCY_AID, RECONSTRUCTION or PEACEBUILDING",
            ));
        }
        let iban = self.account_iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if iban.parse::<iban::Iban>().is_err() {
            return Err(AppError::invalid(
                "accountIban",
                "is not a valid IBAN (country, check digits and account number)",
            ));
        }
        Ok(Grant {
            recipient: self.recipient,
            municipality_id,
            plan_id,
            need_id,
            purpose: self.purpose,
            amount_cents: parse_euros("amount", &self.amount)?,
            title: required_text("title", &self.title, MAX_TEXT)?,
            description: required_text("description", &self.description, MAX_LONG_TEXT)?,
            account_holder: required_text("accountHolder", &self.account_holder, MAX_TEXT)?,
            account_iban: iban,
            report_due: self.report_due,
        })
    }
}

/// A tranche paid out against an approved grant.
#[derive(InputObject, Debug, Clone)]
pub struct DisbursementInput {
    /// The approved grant to pay against.
    pub grant_id: async_graphql::ID,
    /// Euros, at most two decimals.
    pub amount: String,
    /// The day it was paid (not in the future).
    pub paid_on: NaiveDate,
    /// The bank's reference of the transfer.
    pub bank_reference: String,
}

/// One figure in a report: e.g. "Households reconnected to the water supply", 1200, "households".
#[derive(InputObject, Debug, Clone, serde::Serialize, serde::Deserialize, async_graphql::SimpleObject)]
#[graphql(input_name = "ReportFigureInput")]
pub struct ReportFigure {
    /// What is counted.
    pub label: String,
    /// A whole number, in `unit`.
    pub value: i64,
    /// The unit, e.g. households.
    pub unit: Option<String>,
}

/// What a recipient reports on a grant.
#[derive(InputObject, Debug, Clone)]
pub struct GrantReportInput {
    /// The grant reported on (one the caller received).
    pub grant_id: async_graphql::ID,
    /// What was done with the money.
    pub text: String,
    /// What was achieved, in figures.
    #[graphql(default)]
    pub figures: Vec<ReportFigure>,
    /// Attachments by reference: a document number or a link, one per entry.
    #[graphql(default)]
    pub attachments: Vec<String>,
    /// The needs of the plan the work served.
    #[graphql(default)]
    pub need_ids: Vec<async_graphql::ID>,
}

/// The most figures, attachments or needs one report may hold.
pub const MAX_REPORT_ITEMS: usize = 50;

/// A report's checked values.
#[derive(Debug, Clone)]
pub struct GrantReport {
    pub text: String,
    pub figures: Vec<ReportFigure>,
    pub attachments: Vec<String>,
    pub need_ids: Vec<Uuid>,
}

impl GrantReportInput {
    pub fn validate(&self) -> AppResult<GrantReport> {
        let text = required_text("text", &self.text, MAX_LONG_TEXT)?;
        for (name, n) in
            [("figures", self.figures.len()), ("attachments", self.attachments.len()), ("needIds", self.need_ids.len())]
        {
            if n > MAX_REPORT_ITEMS {
                return Err(AppError::invalid(name, format!("must hold at most {MAX_REPORT_ITEMS} entries")));
            }
        }
        let mut figures = Vec::new();
        for (i, f) in self.figures.iter().enumerate() {
            figures.push(ReportFigure {
                label: required_text(&format!("figures[{i}].label"), &f.label, MAX_TEXT)?,
                value: f.value,
                unit: optional_text(&format!("figures[{i}].unit"), f.unit.as_deref(), 50)?,
            });
        }
        let mut attachments = Vec::new();
        for (i, a) in self.attachments.iter().enumerate() {
            attachments.push(required_text(&format!("attachments[{i}]"), a, 500)?);
        }
        let mut needs = Vec::new();
        for (i, id) in self.need_ids.iter().enumerate() {
            if let Some(id) = id_of(&format!("needIds[{i}]"), Some(id))? {
                if !needs.contains(&id) {
                    needs.push(id);
                }
            }
        }
        Ok(GrantReport { text, figures, attachments, need_ids: needs })
    }
}

/// A programme and its budget lines.
#[derive(InputObject, Debug, Clone)]
pub struct ProgrammeInput {
    /// Short code, e.g. SDLG.
    pub code: String,
    /// Its full name.
    pub name: String,
    /// Who finances it, e.g. the Ministry of Foreign Affairs.
    pub funder: String,
    /// Its budget lines (at least one).
    pub lines: Vec<BudgetLineInput>,
}

/// One budget line of a programme.
#[derive(InputObject, Debug, Clone)]
pub struct BudgetLineInput {
    /// Short code, unique within the programme, e.g. "3.2".
    pub code: String,
    /// What the line pays for.
    pub name: String,
    /// The line's budget in euros, at most two decimals.
    pub amount: String,
}

impl BudgetLineInput {
    /// (code, name, cents), naming fields under `prefix` (e.g. `lines[2].`).
    pub fn validate(&self, prefix: &str) -> AppResult<(String, String, i64)> {
        Ok((
            required_text(&format!("{prefix}code"), &self.code, 30)?,
            required_text(&format!("{prefix}name"), &self.name, MAX_TEXT)?,
            parse_euros(&format!("{prefix}amount"), &self.amount)?,
        ))
    }
}

/// An expense booked against a budget line.
#[derive(InputObject, Debug, Clone)]
pub struct ExpenseInput {
    /// The budget line to book against.
    pub budget_line_id: async_graphql::ID,
    /// TRAVEL or STAY for an expert's assignment; OTHER for anything else on the line.
    pub kind: ExpenseKind,
    /// COMMITTED when promised (an order, a booking), SPENT when paid.
    pub status: ExpenseStatus,
    /// Euros, at most two decimals.
    pub amount: String,
    /// What it pays for.
    pub description: String,
    /// The day it is booked.
    pub booked_on: NaiveDate,
    /// The assignment whose expert travels or stays (required for TRAVEL and STAY; its need must take on-site or
    /// hosting work). Its plan is the expense's plan.
    pub assignment_id: Option<async_graphql::ID>,
    /// The plan the expense serves, when it is not an assignment's.
    pub plan_id: Option<async_graphql::ID>,
    /// The receipt's or invoice's reference (required once SPENT).
    pub receipt_reference: Option<String>,
}
