//! The demo's fund: a few municipalities' pledges and the money received, a grant to AUC and one to the demo
//! hromada's plan paid in part and reported on, one grant waiting for a second person's decision, and the SDLG
//! programme's budget with some expenses. Written through the fund's rules (draws by [`allocate`]), each row
//! with its audit event.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::generate::DemoPool;
use crate::domain::fund::{
    DonorKind, Earmark, ExpenseKind, ExpenseStatus, FundPurpose, GrantStatus, GrantTerms, PledgeTerms, RecipientKind,
    ScreeningCheck, Source, allocate, draw_order,
};
use crate::domain::new_id;
use crate::domain::{AppError, AppResult, Role};
use crate::service::{audit, now, snapshot};
use crate::store::fund::{DisbursementRow, GrantRow, PledgeRow, ReceiptRow, ReportRow, ScreeningRow};
use crate::store::programme::{BudgetLineRow, ExpenseRow, ProgrammeRow};
use crate::store::user::UserRow;
use crate::store::{self, Conn};

/// (purpose, earmark, euros pledged, euros received so far, due in days from today (negative: past)).
const PLEDGES: [(FundPurpose, Earmark, i64, i64, i64); 8] = [
    (FundPurpose::Unrestricted, Earmark::AucCoordination, 25_000, 25_000, -60),
    (FundPurpose::Reconstruction, Earmark::Plan, 40_000, 40_000, -30),
    (FundPurpose::Unrestricted, Earmark::None, 15_000, 15_000, -20),
    (FundPurpose::EmergencyAid, Earmark::None, 10_000, 10_000, -45),
    (FundPurpose::Reconstruction, Earmark::None, 30_000, 12_000, -10),
    (FundPurpose::Peacebuilding, Earmark::None, 5_000, 0, 30),
    (FundPurpose::Unrestricted, Earmark::None, 20_000, 20_000, -90),
    (FundPurpose::EmergencyAid, Earmark::None, 8_000, 8_000, -15),
];

const IBAN_AUC: &str = "UA213223130000026007233566001";
const IBAN_HROMADA: &str = "UA743052990000026007233566001";

fn day(offset: i64) -> NaiveDate {
    let today = now().date_naive();
    if offset < 0 { today - Days::new(offset.unsigned_abs()) } else { today + Days::new(offset as u64) }
}

fn missing(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("the demo fund needs {what}"))
}

pub async fn write(conn: &mut Conn<'_>, pool: &DemoPool, users: &[UserRow]) -> AppResult<()> {
    let fund = users.iter().filter(|u| u.role == Role::FundOfficer).map(|u| u.id).collect::<Vec<_>>();
    let (Some(&first), Some(&second)) = (fund.first(), fund.get(1)) else { return Err(missing("two fund officers")) };
    let hromada_user =
        users.iter().find(|u| u.role == Role::HromadaOfficer).ok_or_else(|| missing("a hromada officer"))?;
    let hromada = hromada_user.municipality_id.ok_or_else(|| missing("the hromada officer's municipality"))?;
    let plan = pool
        .plans
        .iter()
        .find(|p| p.municipality_id == hromada)
        .ok_or_else(|| missing("a plan of the demo hromada"))?;
    let officer_municipality = users
        .iter()
        .find(|u| u.role == Role::MunicipalityOfficer)
        .and_then(|u| u.municipality_id)
        .ok_or_else(|| missing("a municipality officer"))?;
    // The givers: the demo officer's municipality first, then other municipalities with experts in the pool.
    let mut givers = vec![officer_municipality];
    let others: BTreeSet<Uuid> = pool.experts.iter().map(|e| e.row.municipality_id).collect();
    givers.extend(others.into_iter().filter(|m| *m != officer_municipality).take(PLEDGES.len()));
    let names = store::municipality::by_ids(conn, &givers).await?;

    let mut pledges = Vec::new();
    for (i, (purpose, earmark, euros, received, due)) in PLEDGES.iter().enumerate() {
        let m = givers.get(i % givers.len()).copied().ok_or_else(|| missing("contributing municipalities"))?;
        let row = PledgeRow {
            id: new_id(),
            donor_kind: DonorKind::Municipality,
            donor_municipality_id: Some(m),
            donor_name: names.iter().find(|n| n.id == m).map(|n| n.name.clone()).unwrap_or_default(),
            purpose: *purpose,
            earmark: *earmark,
            earmark_municipality_id: None,
            earmark_plan_id: (*earmark == Earmark::Plan).then_some(plan.id),
            amount_cents: euros * 100,
            due_date: Some(day(*due)),
            note: None,
            pledged_by: Some(first),
            // Pledged some weeks before it was due, so the money arrives after the promise.
            created_at: day(*due - 40).and_hms_opt(10, 0, 0).map_or_else(now, |t| t.and_utc()),
            received_cents: 0,
            drawn_cents: 0,
        };
        store::fund::insert_pledge(conn, &row).await?;
        audit(conn, None, "pledge.create", row.id, None, snapshot(&row)).await?;
        if *received > 0 {
            let r = ReceiptRow {
                id: new_id(),
                pledge_id: row.id,
                received_on: day(*due - 3),
                amount_cents: received * 100,
                bank_reference: format!("NL91ABNA-{:04}", i + 1),
                overpayment: false,
                recorded_by: Some(first),
                created_at: now(),
            };
            store::fund::insert_receipt(conn, &r).await?;
            audit(conn, None, "receipt.record", r.id, None, snapshot(&r)).await?;
        }
        pledges.push(PledgeRow { received_cents: received * 100, ..row });
    }

    // Grants: AUC's coordination (paid), the hromada's plan (half paid, reported), and one waiting for a decision.
    let grants = [
        (
            RecipientKind::Auc,
            None,
            FundPurpose::EmergencyAid,
            20_000,
            "AUC coordination of the municipal recovery network",
            IBAN_AUC,
            true,
        ),
        (
            RecipientKind::Hromada,
            Some(plan.id),
            FundPurpose::Reconstruction,
            60_000,
            "Repairing the water supply",
            IBAN_HROMADA,
            true,
        ),
        (
            RecipientKind::Hromada,
            Some(plan.id),
            FundPurpose::EmergencyAid,
            6_000,
            "Generators for the administrative services centre",
            IBAN_HROMADA,
            false,
        ),
    ];
    for (i, (recipient, plan_id, purpose, euros, title, iban, approved)) in grants.into_iter().enumerate() {
        let g = GrantRow {
            id: new_id(),
            recipient,
            recipient_municipality_id: (recipient == RecipientKind::Hromada).then_some(hromada),
            plan_id,
            need_id: None,
            purpose,
            amount_cents: euros * 100,
            title: title.into(),
            description: format!("{title}, as agreed with the recipient."),
            account_holder: if recipient == RecipientKind::Auc {
                "Association of Ukrainian Cities".into()
            } else {
                "City council".into()
            },
            account_iban: iban.into(),
            status: if approved { GrantStatus::Approved } else { GrantStatus::Proposed },
            decision_note: None,
            report_due: Some(day(45 + 30 * i as i64)),
            proposed_by: first,
            proposed_at: now(),
            decided_by: approved.then_some(second),
            decided_at: approved.then(now),
            disbursed_cents: 0,
        };
        store::fund::insert_grant(conn, &g).await?;
        audit(conn, None, "grant.propose", g.id, None, snapshot(&g)).await?;
        for check in ScreeningCheck::ALL.iter().take(if approved { 3 } else { 1 }) {
            let s = ScreeningRow {
                grant_id: g.id,
                check_kind: *check,
                passed: true,
                note: "Checked against the reference list and the bank's confirmation of the account holder.".into(),
                checked_by: first,
                checked_at: now(),
            };
            store::fund::upsert_screening(conn, &s).await?;
            audit(conn, None, "grant.screen", g.id, None, snapshot(&s)).await?;
        }
        if !approved {
            continue;
        }
        audit(conn, None, "grant.approve", g.id, None, snapshot(&g)).await?;
        // One tranche: all of AUC's grant, half of the hromada's.
        let cents = if recipient == RecipientKind::Auc { g.amount_cents } else { g.amount_cents / 2 };
        let terms = GrantTerms { purpose, recipient, municipality_id: g.recipient_municipality_id, plan_id };
        let mut sources = Vec::new();
        for p in &pledges {
            let t = PledgeTerms {
                purpose: p.purpose,
                earmark: p.earmark,
                municipality_id: p.earmark_municipality_id,
                plan_id: p.earmark_plan_id,
            };
            let available = p.received_cents - p.drawn_cents;
            if let (Some(order), true) = (draw_order(&t, &terms), available > 0) {
                sources.push(Source { pledge_id: p.id, order, available_cents: available });
            }
        }
        let draws = allocate(cents, &sources).map_err(|_| missing("enough received money for its grants"))?;
        for (pledge_id, drawn) in &draws {
            if let Some(p) = pledges.iter_mut().find(|p| p.id == *pledge_id) {
                p.drawn_cents += drawn;
            }
        }
        let d = DisbursementRow {
            id: new_id(),
            grant_id: g.id,
            tranche: 1,
            amount_cents: cents,
            paid_on: day(-5),
            bank_reference: format!("VNG-FUND-{:04}", i + 1),
            sent_by: Some(first),
            created_at: now(),
            confirmed_by: Some(hromada_user.id).filter(|_| recipient == RecipientKind::Hromada),
            confirmed_at: (recipient == RecipientKind::Hromada).then(now),
        };
        store::fund::insert_disbursement(conn, &d, &draws).await?;
        audit(conn, None, "disbursement.send", d.id, None, snapshot(&d)).await?;
        if recipient == RecipientKind::Hromada {
            let r = ReportRow {
                id: new_id(),
                grant_id: g.id,
                text: "Two pumping stations are repaired and the northern district has running water again.".into(),
                figures: r#"[{"label":"Households reconnected","value":4200,"unit":"households"},{"label":"Pumping stations repaired","value":2,"unit":null}]"#.into(),
                attachments: r#"["Act of acceptance No. 14/2026"]"#.into(),
                reported_by: Some(hromada_user.id),
                reported_at: now(),
            };
            store::fund::insert_report(conn, &r, &[]).await?;
            audit(conn, None, "grant.report", g.id, None, snapshot(&r)).await?;
        }
    }

    // The SDLG programme's budget.
    let programme = ProgrammeRow {
        id: new_id(),
        code: "SDLG".into(),
        name: "Sustainable Development of Local Governance".into(),
        funder: "Ministry of Foreign Affairs of the Netherlands".into(),
        created_at: now(),
    };
    store::programme::insert_programme(conn, &programme).await?;
    audit(conn, None, "programme.create", programme.id, None, snapshot(&programme)).await?;
    let lines = [
        ("3.1", "Experts' travel and stay", 120_000),
        ("3.2", "Workshops and peer exchanges", 45_000),
        ("4.1", "AUC coordination support", 80_000),
    ];
    let mut line_ids = Vec::new();
    for (code, name, euros) in lines {
        let l = BudgetLineRow {
            id: new_id(),
            programme_id: programme.id,
            code: code.into(),
            name: name.into(),
            amount_cents: euros * 100,
            committed_cents: 0,
            spent_cents: 0,
        };
        store::programme::insert_line(conn, &l).await?;
        audit(conn, None, "budget_line.create", l.id, None, snapshot(&l)).await?;
        line_ids.push(l.id);
    }
    let expenses = [
        (
            0,
            ExpenseKind::Other,
            ExpenseStatus::Spent,
            2_350,
            "Train and hotel, peer visit of the water utility team",
            Some("INV-2026-0311"),
        ),
        (1, ExpenseKind::Other, ExpenseStatus::Committed, 6_800, "Workshop on recovery planning in the hromada", None),
        (
            2,
            ExpenseKind::Other,
            ExpenseStatus::Spent,
            15_000,
            "AUC network coordinator, first quarter",
            Some("AUC-2026-Q1"),
        ),
    ];
    for (line, kind, status, euros, description, receipt) in expenses {
        let e = ExpenseRow {
            id: new_id(),
            budget_line_id: line_ids.get(line).copied().ok_or_else(|| missing("its budget lines"))?,
            kind,
            status,
            amount_cents: euros * 100,
            description: description.into(),
            booked_on: day(-12),
            assignment_id: None,
            plan_id: (line < 2).then_some(plan.id),
            receipt_reference: receipt.map(Into::into),
            booked_by: Some(first),
            created_at: now(),
        };
        store::programme::insert_expense(conn, &e).await?;
        audit(conn, None, "expense.book", e.id, None, snapshot(&e)).await?;
    }
    Ok(())
}
