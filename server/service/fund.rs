//! The VNG Fund's use cases (docs/fund.md): pledges and receipts, grants with screening and a second person's
//! approval, disbursements that never spend more than was received for them, and recipients' reports.
//! Every step is authorised by the policy, audited and notified in its own transaction.

use chrono::Utc;
use uuid::Uuid;

use super::municipalities::on_side;
use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{self, GrantScope, Op, Target, check, check_object, require, sees_grant};
use crate::domain::fund::{self as rules, GrantAction, GrantStatus, GrantTerms, PledgeTerms, ScreeningCheck, Source};
use crate::domain::fund_input::{DisbursementInput, GrantInput, GrantReportInput, PledgeInput, ReceiptInput, id_of};
use crate::domain::input::{MAX_LONG_TEXT, MAX_TEXT, required_text};
use crate::domain::{AppError, AppResult, Role, Side, new_id};
use crate::store::fund::{DisbursementRow, GrantFilter, GrantRow, PledgeRow, ReceiptRow, ReportRow, ScreeningRow};
use crate::store::{self, Conn};

use super::ledger::euros;

/// Recipients are reminded this many days before a grant's report is due (and once more when it is overdue).
pub const REPORT_REMINDER_DAYS: i64 = 14;

/// A grant with everything recorded about it.
#[derive(Debug, Clone)]
pub struct GrantRecord {
    pub grant: GrantRow,
    pub screenings: Vec<ScreeningRow>,
    pub disbursements: Vec<DisbursementRow>,
    pub reports: Vec<(ReportRow, Vec<Uuid>)>,
}

/// A grant's recipient as people read it: "AUC" or the hromada's name.
pub fn recipient_name(g: &GrantRow, municipality_name: Option<&str>) -> String {
    match g.recipient.as_str() {
        "AUC" => "AUC (Association of Ukrainian Cities)".to_string(),
        _ => municipality_name.unwrap_or("a hromada").to_string(),
    }
}

/// Who hears about a grant on the recipient's side: the hromada's officers, or AUC's coordinators.
fn recipient_audience(g: &GrantRow) -> Audience {
    match g.recipient_municipality_id {
        Some(m) => Audience::MunicipalityOfficers(m),
        None => Audience::Role(Role::NeedsCoordinator),
    }
}

fn grant_terms(g: &GrantRow) -> AppResult<GrantTerms> {
    Ok(GrantTerms {
        purpose: g.purpose,
        recipient: g.recipient,
        municipality_id: g.recipient_municipality_id,
        plan_id: g.plan_id,
    })
}

/// A day that must not lie in the future. The fund keeps its books in the Netherlands: "today" is the Dutch date,
/// so a transfer made just after midnight there is not refused while UTC is still on the day before.
fn not_future(field: &str, day: chrono::NaiveDate) -> AppResult<()> {
    if day > Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive() {
        return Err(AppError::invalid(field, "must not be in the future"));
    }
    Ok(())
}

impl Services {
    /// A municipality officer pledges for their own municipality; a fund officer or admin records any giver's
    /// pledge. Audited; the fund officers are told.
    pub async fn pledge(&self, p: Option<&Principal>, input: &PledgeInput) -> AppResult<PledgeRow> {
        let principal = require(p)?;
        let v = input.validate()?;
        check(p, Op::Pledge, v.municipality_id.map_or(Target::NONE, Target::municipality))?;
        let mut tx = self.db.begin().await?;
        let donor_name = match (v.municipality_id, v.donor_name.clone()) {
            (Some(m), _) => on_side(&mut tx.conn(), m, Side::Contributing, "municipalityId").await?.name,
            (None, Some(name)) => name,
            (None, None) => return Err(AppError::invalid("donorName", "must not be empty")),
        };
        if let Some(m) = v.earmark_municipality_id {
            on_side(&mut tx.conn(), m, Side::Recovering, "earmarkMunicipalityId").await?;
        }
        if let Some(plan) = v.earmark_plan_id {
            let row = store::plan::get(&mut tx.conn(), plan).await?;
            if !row.is_some_and(|r| policy::sees_plan(p, r.municipality_id, r.status)) {
                return Err(AppError::invalid("earmarkPlanId", "no such recovery plan"));
            }
        }
        let row = PledgeRow {
            id: new_id(),
            donor_kind: v.donor_kind,
            donor_municipality_id: v.municipality_id,
            donor_name,
            purpose: v.purpose,
            earmark: v.earmark,
            earmark_municipality_id: v.earmark_municipality_id,
            earmark_plan_id: v.earmark_plan_id,
            amount_cents: v.amount_cents,
            due_date: v.due_date,
            note: v.note,
            pledged_by: Some(principal.user_id),
            created_at: now(),
            received_cents: 0,
            drawn_cents: 0,
        };
        store::fund::insert_pledge(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "pledge.create", row.id, None, snapshot(&row)).await?;
        let notice = Notice {
            kind: "fund.pledged".into(),
            title: Text::new("fund.pledged.title")
                .with("donor", &row.donor_name)
                .with("amount", euros(row.amount_cents)),
            body: Text::new("fund.pledged.body").with("purpose", row.purpose).with("earmark", row.earmark),
            object_type: "pledge",
            object_id: row.id,
            audience: vec![Audience::Role(Role::FundOfficer)],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// A fund officer records money received against a pledge. More than is still open on the pledge only with
    /// the overpayment flag. The giving municipality's officers are told.
    pub async fn record_receipt(&self, p: Option<&Principal>, input: &ReceiptInput) -> AppResult<ReceiptRow> {
        let principal = require(p)?;
        check(p, Op::RecordReceipt, Target::NONE)?;
        let pledge_id = id_of("pledgeId", Some(&input.pledge_id))?.unwrap_or_default();
        let amount = rules::parse_euros("amount", &input.amount)?;
        let reference = required_text("bankReference", &input.bank_reference, MAX_TEXT)?;
        not_future("receivedOn", input.received_on)?;
        let mut tx = self.db.begin().await?;
        if !store::fund::lock_pledge(&mut tx.conn(), pledge_id).await? {
            return Err(AppError::invalid("pledgeId", "no such pledge"));
        }
        let pledge = found(store::fund::pledge(&mut tx.conn(), pledge_id).await?, "pledge")?;
        let open = pledge.amount_cents - pledge.received_cents;
        if amount > open && !input.overpayment {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "is more than the {} euros still open on this pledge; set overpayment to record more",
                    euros(open.max(0))
                ),
            ));
        }
        let row = ReceiptRow {
            id: new_id(),
            pledge_id,
            received_on: input.received_on,
            amount_cents: amount,
            bank_reference: reference,
            overpayment: amount > open,
            recorded_by: Some(principal.user_id),
            created_at: now(),
        };
        store::fund::insert_receipt(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "receipt.record", row.id, None, snapshot(&row)).await?;
        let mut notices = Vec::new();
        if let Some(m) = pledge.donor_municipality_id {
            notices.push(Notice {
                kind: "fund.received".into(),
                title: Text::new("fund.received.title").with("amount", euros(amount)),
                body: Text::new("fund.received.body")
                    .with("received", euros(pledge.received_cents + amount))
                    .with("pledged", euros(pledge.amount_cents)),
                object_type: "pledge",
                object_id: pledge_id,
                audience: vec![Audience::MunicipalityOfficers(m)],
            });
        }
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &notices).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// Pledges: the fund's whole list for fund officers and admins (of one giver when `municipality_id` is
    /// given); a municipality officer's own municipality's.
    pub async fn pledges(&self, p: Option<&Principal>, municipality_id: Option<Uuid>) -> AppResult<Vec<PledgeRow>> {
        let me = require(p)?;
        let donor = if policy::allows(p, Op::ReadFund, Target::NONE) {
            municipality_id
        } else {
            let own = municipality_id.or(me.municipality_id);
            check(p, Op::ReadFundAccount, own.map_or(Target::NONE, Target::municipality))?;
            own
        };
        let mut c = self.db.acquire().await?;
        store::fund::pledges(&mut c.conn(), donor).await
    }

    /// The receipts of some pledges (their readers are decided by [`Services::pledges`]).
    pub async fn receipts_of(&self, pledge_ids: &[Uuid]) -> AppResult<Vec<ReceiptRow>> {
        let mut c = self.db.acquire().await?;
        store::fund::receipts_of(&mut c.conn(), pledge_ids).await
    }

    /// A fund officer proposes a grant. The other fund officers are told: a second person must screen and
    /// approve it.
    pub async fn propose_grant(&self, p: Option<&Principal>, input: &GrantInput) -> AppResult<GrantRow> {
        let principal = require(p)?;
        check(p, Op::ManageGrants, Target::NONE)?;
        let v = input.validate()?;
        let mut tx = self.db.begin().await?;
        let mut plan_id = v.plan_id;
        if let Some(m) = v.municipality_id {
            on_side(&mut tx.conn(), m, Side::Recovering, "municipalityId").await?;
        }
        if let Some(need) = v.need_id {
            let n = store::need::get(&mut tx.conn(), need)
                .await?
                .ok_or_else(|| AppError::invalid("needId", "no such need"))?;
            if Some(n.municipality_id) != v.municipality_id || plan_id.is_some_and(|pl| pl != n.plan_id) {
                return Err(AppError::invalid("needId", "is not a need of this hromada's plan"));
            }
            plan_id = Some(n.plan_id);
        }
        if let Some(plan) = plan_id {
            let row = store::plan::get(&mut tx.conn(), plan)
                .await?
                .ok_or_else(|| AppError::invalid("planId", "no such recovery plan"))?;
            if Some(row.municipality_id) != v.municipality_id {
                return Err(AppError::invalid("planId", "is not a plan of this hromada"));
            }
        }
        let row = GrantRow {
            id: new_id(),
            recipient: v.recipient,
            recipient_municipality_id: v.municipality_id,
            plan_id,
            need_id: v.need_id,
            purpose: v.purpose,
            amount_cents: v.amount_cents,
            title: v.title,
            description: v.description,
            account_holder: v.account_holder,
            account_iban: v.account_iban,
            status: GrantStatus::Proposed,
            decision_note: None,
            report_due: v.report_due,
            proposed_by: principal.user_id,
            proposed_at: now(),
            decided_by: None,
            decided_at: None,
            disbursed_cents: 0,
        };
        store::fund::insert_grant(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "grant.propose", row.id, None, snapshot(&row)).await?;
        let notice = Notice {
            kind: "fund.grant_proposed".into(),
            title: Text::new("fund.grant_proposed.title")
                .with("title", &row.title)
                .with("amount", euros(row.amount_cents)),
            body: Text::new("fund.grant_proposed.body"),
            object_type: "grant",
            object_id: row.id,
            audience: vec![Audience::Role(Role::FundOfficer), Audience::Role(Role::Admin)],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// Records one screening check of a proposed grant: who checked what and when, with a note.
    pub async fn screen_grant(
        &self,
        p: Option<&Principal>,
        grant_id: Uuid,
        check_kind: ScreeningCheck,
        passed: bool,
        note: &str,
    ) -> AppResult<ScreeningRow> {
        let principal = require(p)?;
        check(p, Op::ManageGrants, Target::NONE)?;
        let note = required_text("note", note, MAX_LONG_TEXT)?;
        let mut tx = self.db.begin().await?;
        let g = self.locked_grant(&mut tx.conn(), grant_id).await?;
        if g.status != GrantStatus::Proposed {
            return Err(AppError::conflict(format!(
                "the grant is {}; screening is recorded before the decision",
                g.status
            )));
        }
        let before = store::fund::screenings_of(&mut tx.conn(), grant_id)
            .await?
            .into_iter()
            .find(|s| s.check_kind == check_kind);
        let row = ScreeningRow { grant_id, check_kind, passed, note, checked_by: principal.user_id, checked_at: now() };
        store::fund::upsert_screening(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "grant.screen", grant_id, before.as_ref().and_then(snapshot), snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn locked_grant(&self, conn: &mut Conn<'_>, id: Uuid) -> AppResult<GrantRow> {
        if !store::fund::lock_grant(conn, id).await? {
            return Err(AppError::not_found("grant"));
        }
        found(store::fund::grant(conn, id).await?, "grant")
    }

    /// A second person approves or rejects a proposed grant (never its proposer); approval needs every
    /// screening check recorded as passed, a rejection a reason. Closing an approved grant stops further
    /// tranches. The recipient and the proposer are told.
    pub async fn decide_grant(
        &self,
        p: Option<&Principal>,
        grant_id: Uuid,
        action: GrantAction,
        note: Option<&str>,
    ) -> AppResult<GrantRow> {
        let principal = require(p)?;
        let mut tx = self.db.begin().await?;
        let before = self.locked_grant(&mut tx.conn(), grant_id).await?;
        match action {
            GrantAction::Close => check(p, Op::ManageGrants, Target::NONE)?,
            _ => check_object(
                p,
                Op::DecideGrant,
                Target::authored_by(before.proposed_by),
                sees_grant(p, before.recipient_municipality_id),
                "grant",
            )?,
        }
        let note = match (action, note.map(str::trim).filter(|n| !n.is_empty())) {
            (GrantAction::Reject, None) => {
                return Err(AppError::invalid("note", "a reason is required to reject a grant"));
            }
            (_, Some(n)) => Some(required_text("note", n, MAX_LONG_TEXT)?),
            (_, None) => None,
        };
        let to = action.apply(before.status)?;
        if action == GrantAction::Approve {
            let screenings = store::fund::screenings_of(&mut tx.conn(), grant_id).await?;
            let passed: Vec<ScreeningCheck> = screenings.iter().filter(|s| s.passed).map(|s| s.check_kind).collect();
            let missing = rules::missing_checks(&passed);
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
                return Err(AppError::conflict(format!(
                    "the screening is not complete: {} not recorded as passed",
                    names.join(", ")
                )));
            }
        }
        let decided = (action != GrantAction::Close).then(|| (principal.user_id, now(), note.clone()));
        let n = store::fund::set_grant_status(&mut tx.conn(), grant_id, before.status, to, decided.clone()).await?;
        if n == 0 {
            return Err(AppError::conflict("the grant changed meanwhile; reload it"));
        }
        let after = found(store::fund::grant(&mut tx.conn(), grant_id).await?, "grant")?;
        audit(&mut tx.conn(), p, &format!("grant.{}", action.verb()), grant_id, snapshot(&before), snapshot(&after))
            .await?;
        let mut notices = Vec::new();
        if action != GrantAction::Close {
            let key = if action == GrantAction::Approve { "fund.grant_approved" } else { "fund.grant_rejected" };
            let mut audience = vec![Audience::Users(vec![after.proposed_by])];
            if action == GrantAction::Approve {
                audience.push(recipient_audience(&after));
            }
            notices.push(Notice {
                kind: key.into(),
                title: Text::new(if action == GrantAction::Approve {
                    "fund.grant_approved.title"
                } else {
                    "fund.grant_rejected.title"
                })
                .with("title", &after.title)
                .with("amount", euros(after.amount_cents)),
                body: Text::new(if action == GrantAction::Approve {
                    "fund.grant_approved.body"
                } else {
                    "fund.grant_rejected.body"
                })
                .with_reason(note.as_deref()),
                object_type: "grant",
                object_id: grant_id,
                audience,
            });
        }
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &notices).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }

    /// A fund officer pays a tranche out against an approved grant. Under the fund's money lock: the tranche
    /// fits in what is left of the grant and in the received money the grant may draw on (earmarks honoured),
    /// and which pledges it draws on is recorded with it ([`rules::allocate`]). The recipient is told.
    pub async fn disburse(&self, p: Option<&Principal>, input: &DisbursementInput) -> AppResult<DisbursementRow> {
        let principal = require(p)?;
        check(p, Op::ManageGrants, Target::NONE)?;
        let grant_id = id_of("grantId", Some(&input.grant_id))?.unwrap_or_default();
        let amount = rules::parse_euros("amount", &input.amount)?;
        let reference = required_text("bankReference", &input.bank_reference, MAX_TEXT)?;
        not_future("paidOn", input.paid_on)?;
        let mut tx = self.db.begin().await?;
        store::fund::lock_money(&mut tx.conn()).await?;
        let g = self.locked_grant(&mut tx.conn(), grant_id).await?;
        let status: GrantStatus = g.status;
        if !rules::pays_out(status) {
            return Err(AppError::conflict(format!(
                "money is paid out only against an APPROVED grant; this one is {status}"
            )));
        }
        let left = g.amount_cents - g.disbursed_cents;
        if amount > left {
            return Err(AppError::invalid(
                "amount",
                format!("is more than the {} euros left on this grant", euros(left)),
            ));
        }
        let terms = grant_terms(&g)?;
        let mut sources = Vec::new();
        for m in store::fund::available_money(&mut tx.conn()).await? {
            let pledge = PledgeTerms {
                purpose: m.purpose,
                earmark: m.earmark,
                municipality_id: m.earmark_municipality_id,
                plan_id: m.earmark_plan_id,
            };
            if let Some(order) = rules::draw_order(&pledge, &terms) {
                sources.push(Source { pledge_id: m.pledge_id, order, available_cents: m.available_cents });
            }
        }
        let draws = rules::allocate(amount, &sources).map_err(|there| {
            AppError::invalid(
                "amount",
                format!(
                    "is more than the {} euros of received money this grant may draw on (its purpose and earmarks)",
                    euros(there)
                ),
            )
        })?;
        let tranche = store::fund::disbursements_of(&mut tx.conn(), &[grant_id]).await?.len() as i32 + 1;
        let row = DisbursementRow {
            id: new_id(),
            grant_id,
            tranche,
            amount_cents: amount,
            paid_on: input.paid_on,
            bank_reference: reference,
            sent_by: Some(principal.user_id),
            created_at: now(),
            confirmed_by: None,
            confirmed_at: None,
        };
        store::fund::insert_disbursement(&mut tx.conn(), &row, &draws).await?;
        let draws_json: Vec<serde_json::Value> =
            draws.iter().map(|(pl, c)| serde_json::json!({"pledge_id": pl, "amount_cents": c})).collect();
        let mut after = serde_json::to_value(&row).unwrap_or_default();
        after["draws"] = serde_json::Value::Array(draws_json);
        audit(&mut tx.conn(), p, "disbursement.send", row.id, None, Some(after)).await?;
        let notice = Notice {
            kind: "fund.disbursed".into(),
            title: Text::new("fund.disbursed.title").with("amount", euros(amount)).with("title", &g.title),
            body: Text::new("fund.disbursed.body").with("tranche", tranche).with("paid_on", input.paid_on),
            object_type: "grant",
            object_id: grant_id,
            audience: vec![recipient_audience(&g)],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// The recipient confirms that a tranche arrived.
    pub async fn confirm_disbursement(&self, p: Option<&Principal>, id: Uuid) -> AppResult<DisbursementRow> {
        let principal = require(p)?;
        let mut tx = self.db.begin().await?;
        let d = found(store::fund::disbursement(&mut tx.conn(), id).await?, "disbursement")?;
        let g = found(store::fund::grant(&mut tx.conn(), d.grant_id).await?, "disbursement")?;
        let target = Target::recipient(g.recipient_municipality_id);
        check_object(p, Op::ReportOnGrant, target, sees_grant(p, g.recipient_municipality_id), "disbursement")?;
        if d.confirmed_at.is_some() {
            return Err(AppError::conflict("this disbursement's receipt is already confirmed"));
        }
        let at = now();
        store::fund::confirm_disbursement(&mut tx.conn(), id, principal.user_id, at).await?;
        let after = DisbursementRow { confirmed_by: Some(principal.user_id), confirmed_at: Some(at), ..d.clone() };
        audit(&mut tx.conn(), p, "disbursement.confirm", id, snapshot(&d), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The recipient reports what was done with a grant's money: text, figures, attachments by reference, and
    /// the needs of the plan it served. The fund officers are told.
    pub async fn report_on_grant(&self, p: Option<&Principal>, input: &GrantReportInput) -> AppResult<ReportRow> {
        let principal = require(p)?;
        let grant_id = id_of("grantId", Some(&input.grant_id))?.unwrap_or_default();
        let v = input.validate()?;
        let need_ids = v.need_ids;
        let mut tx = self.db.begin().await?;
        let g = found(store::fund::grant(&mut tx.conn(), grant_id).await?, "grant")?;
        let target = Target::recipient(g.recipient_municipality_id);
        check_object(p, Op::ReportOnGrant, target, sees_grant(p, g.recipient_municipality_id), "grant")?;
        if g.disbursed_cents == 0 {
            return Err(AppError::conflict("a grant is reported on once money has been paid out against it"));
        }
        let needs = store::need::by_ids(&mut tx.conn(), &need_ids).await?;
        for (i, id) in need_ids.iter().enumerate() {
            let fits =
                needs.iter().find(|n| n.id == *id).is_some_and(|n| match (g.plan_id, g.recipient_municipality_id) {
                    (Some(plan), _) => n.plan_id == plan,
                    (None, Some(m)) => n.municipality_id == m,
                    (None, None) => true,
                });
            if !fits {
                return Err(AppError::invalid(format!("needIds[{i}]"), "is not a need of the plan this grant is for"));
            }
        }
        let row = ReportRow {
            id: new_id(),
            grant_id,
            text: v.text,
            figures: serde_json::to_string(&v.figures).map_err(AppError::internal)?,
            attachments: serde_json::to_string(&v.attachments).map_err(AppError::internal)?,
            reported_by: Some(principal.user_id),
            reported_at: now(),
        };
        store::fund::insert_report(&mut tx.conn(), &row, &need_ids).await?;
        let mut after = serde_json::to_value(&row).unwrap_or_default();
        after["need_ids"] = serde_json::json!(need_ids);
        audit(&mut tx.conn(), p, "grant.report", grant_id, None, Some(after)).await?;
        let notice = Notice {
            kind: "fund.reported".into(),
            title: Text::new("fund.reported.title").with("title", &g.title),
            body: Text::new("fund.reported.body"),
            object_type: "grant",
            object_id: grant_id,
            audience: vec![Audience::Role(Role::FundOfficer), Audience::Users(vec![g.proposed_by])],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(principal.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// The grants the caller sees (fund officers and admins all; AUC those to AUC; a hromada officer its own),
    /// newest first.
    pub async fn grants(&self, p: Option<&Principal>) -> AppResult<Vec<GrantRow>> {
        let me = require(p)?;
        let filter = match policy::grant_scope(me) {
            GrantScope::All => GrantFilter::All,
            GrantScope::Auc => GrantFilter::Auc,
            GrantScope::Municipality(m) => GrantFilter::Municipality(m),
            GrantScope::Nothing => return Err(AppError::forbidden("only the fund and a grant's recipient see grants")),
        };
        let mut c = self.db.acquire().await?;
        store::fund::grants(&mut c.conn(), filter).await
    }

    /// One grant with its screening, tranches and reports, for whoever sees it.
    pub async fn grant(&self, p: Option<&Principal>, id: Uuid) -> AppResult<GrantRecord> {
        require(p)?;
        let mut c = self.db.acquire().await?;
        let grant = found(store::fund::grant(&mut c.conn(), id).await?, "grant")?;
        if !sees_grant(p, grant.recipient_municipality_id) {
            return Err(AppError::not_found("grant"));
        }
        self.grant_record(&mut c.conn(), grant).await
    }

    pub(super) async fn grant_record(&self, conn: &mut Conn<'_>, grant: GrantRow) -> AppResult<GrantRecord> {
        let screenings = store::fund::screenings_of(conn, grant.id).await?;
        let disbursements = store::fund::disbursements_of(conn, &[grant.id]).await?;
        let reports = store::fund::reports_of(conn, &[grant.id]).await?;
        let ids: Vec<Uuid> = reports.iter().map(|r| r.id).collect();
        let links = store::fund::report_needs(conn, &ids).await?;
        let reports = reports
            .into_iter()
            .map(|r| {
                let needs = links.iter().filter(|(rid, _)| *rid == r.id).map(|(_, n)| *n).collect();
                (r, needs)
            })
            .collect();
        Ok(GrantRecord { grant, screenings, disbursements, reports })
    }

    /// Reminds recipients of reports due within `days_ahead` days and of reports overdue, once each (the
    /// hourly job).
    pub async fn remind_grant_reports_once(&self, days_ahead: i64) -> AppResult<usize> {
        let today = Utc::now().date_naive();
        let mut sent = 0;
        for overdue in [false, true] {
            let due_by = if overdue { today } else { today + chrono::Days::new(days_ahead.max(0) as u64) };
            let mut tx = self.db.begin().await?;
            let grants = store::fund::reports_to_remind(&mut tx.conn(), due_by, overdue).await?;
            let mut notices = Vec::new();
            for g in &grants {
                store::fund::mark_reminded(&mut tx.conn(), g.id, overdue, now()).await?;
                let key = if overdue { "fund.report_overdue" } else { "fund.report_due" };
                let due = g.report_due.map(|d| d.to_string()).unwrap_or_default();
                notices.push(Notice {
                    kind: key.into(),
                    title: Text::new(if overdue { "fund.report_overdue.title" } else { "fund.report_due.title" })
                        .with("title", &g.title),
                    body: Text::new(if overdue { "fund.report_overdue.body" } else { "fund.report_due.body" })
                        .with("due", due),
                    object_type: "grant",
                    object_id: g.id,
                    audience: if overdue {
                        vec![recipient_audience(g), Audience::Role(Role::FundOfficer)]
                    } else {
                        vec![recipient_audience(g)]
                    },
                });
            }
            let rows = record(&mut tx.conn(), &self.settings.public_url, None, &notices).await?;
            tx.commit().await?;
            sent += grants.len();
            self.after_commit(rows);
        }
        Ok(sent)
    }
}
