//! The account to each giver (docs/fund.md): what a municipality pledged and paid, where its money went, what
//! the recipients reported, and the hours its staff gave — as data, as CSV and as a printable page. Also the
//! fund's public totals and its balance for the fund officers.
//!
//! Where the money went follows from the records alone: every disbursement stores which pledges it drew on and
//! how much from each ([`crate::domain::fund::allocate`]), so a giver's share of a grant is the sum of the
//! draws on its own pledges — pooled money is shared in proportion to what each pledge had available.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use html_escape::encode_text as esc;
use uuid::Uuid;

use super::ledger::{MunicipalityLedger, Period, euros};
use super::sheet::{SheetFile, SheetFormat};
use super::{Services, found, now};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, sees_bank_details};
use crate::domain::fund::{self as rules, PledgeState};
use crate::domain::{AppError, AppResult, Side};
use crate::store::fund::{GrantRow, PledgeRow, ReceiptRow, ReportRow, TotalRow};
use crate::store::municipality::MunicipalityRow;
use crate::store::{self};

/// One pledge in a giver's account.
#[derive(Debug, Clone)]
pub struct PledgeLine {
    pub pledge: PledgeRow,
    pub state: PledgeState,
    pub overdue: bool,
    pub receipts: Vec<ReceiptRow>,
}

/// One grant the giver's money went into.
#[derive(Debug, Clone)]
pub struct SpendingLine {
    pub grant: GrantRow,
    /// AUC, or the hromada's name.
    pub recipient: String,
    /// The hromada's oblast.
    pub region: Option<String>,
    pub plan_title: Option<String>,
    /// Cents of this giver's money paid out under the grant.
    pub amount_cents: i64,
}

/// A giver's account.
#[derive(Debug, Clone)]
pub struct GiverAccount {
    pub municipality: MunicipalityRow,
    pub generated_at: DateTime<Utc>,
    pub pledges: Vec<PledgeLine>,
    pub spending: Vec<SpendingLine>,
    /// The reports on the grants in `spending`: (grant title, report, the titles of the needs it names).
    pub reports: Vec<(String, ReportRow, Vec<String>)>,
    pub pledged_cents: i64,
    pub received_cents: i64,
    pub spent_cents: i64,
    /// The municipality's staff's hours and their in-kind value, from the contribution ledger (all time).
    pub contribution: MunicipalityLedger,
    pub inkind_hourly_rate_cents: i64,
    /// Whether bank references are shown (fund officers and admins).
    pub bank_details: bool,
}

impl GiverAccount {
    /// Received and not yet paid out.
    pub fn unspent_cents(&self) -> i64 {
        self.received_cents - self.spent_cents
    }
}

/// The fund's figures for the public: no person, no bank detail.
#[derive(Debug, Clone, Default)]
pub struct FundTotals {
    pub pledged_cents: i64,
    pub received_cents: i64,
    pub disbursed_cents: i64,
    pub giving_municipalities: i64,
    pub per_purpose: Vec<TotalRow>,
    pub per_region: Vec<TotalRow>,
}

impl Services {
    /// A giving municipality's account (its own officers, fund officers, admins).
    pub async fn giver_account(&self, p: Option<&Principal>, municipality_id: Uuid) -> AppResult<GiverAccount> {
        check(p, Op::ReadFundAccount, Target::municipality(municipality_id))?;
        let mut c = self.db.acquire().await?;
        let municipality = found(store::municipality::get(&mut c.conn(), municipality_id).await?, "municipality")?;
        if municipality.side != Side::Contributing {
            return Err(AppError::invalid("municipalityId", "is not a contributing municipality"));
        }
        let pledges = store::fund::pledges(&mut c.conn(), Some(municipality_id)).await?;
        let ids: Vec<Uuid> = pledges.iter().map(|p| p.id).collect();
        let receipts = store::fund::receipts_of(&mut c.conn(), &ids).await?;
        let spent = store::fund::spent_from(&mut c.conn(), &ids).await?;
        let mut per_grant: BTreeMap<Uuid, i64> = BTreeMap::new();
        for s in &spent {
            *per_grant.entry(s.grant_id).or_default() += s.amount_cents;
        }
        let grant_ids: Vec<Uuid> = per_grant.keys().copied().collect();
        let mut spending = Vec::new();
        let mut titles = BTreeMap::new();
        for (grant_id, amount_cents) in &per_grant {
            let grant = found(store::fund::grant(&mut c.conn(), *grant_id).await?, "grant")?;
            let m = match grant.recipient_municipality_id {
                Some(m) => store::municipality::get(&mut c.conn(), m).await?,
                None => None,
            };
            let plan_title = match grant.plan_id {
                Some(pl) => store::plan::get(&mut c.conn(), pl).await?.map(|p| p.title),
                None => None,
            };
            titles.insert(grant.id, grant.title.clone());
            spending.push(SpendingLine {
                recipient: super::fund::recipient_name(&grant, m.as_ref().map(|m| m.name.as_str())),
                region: m.map(|m| m.region),
                plan_title,
                amount_cents: *amount_cents,
                grant,
            });
        }
        let report_rows = store::fund::reports_of(&mut c.conn(), &grant_ids).await?;
        let report_ids: Vec<Uuid> = report_rows.iter().map(|r| r.id).collect();
        let links = store::fund::report_needs(&mut c.conn(), &report_ids).await?;
        let need_ids: Vec<Uuid> = links.iter().map(|l| l.1).collect();
        let needs = store::need::by_ids(&mut c.conn(), &need_ids).await?;
        drop(c);
        let reports = report_rows
            .into_iter()
            .map(|r| {
                let named = links
                    .iter()
                    .filter(|l| l.0 == r.id)
                    .filter_map(|l| needs.iter().find(|n| n.id == l.1).map(|n| n.title.clone()))
                    .collect();
                (titles.get(&r.grant_id).cloned().unwrap_or_default(), r, named)
            })
            .collect();
        let today = Utc::now().date_naive();
        let pledges: Vec<PledgeLine> = pledges
            .into_iter()
            .map(|pl| PledgeLine {
                state: rules::pledge_state(pl.amount_cents, pl.received_cents),
                overdue: rules::pledge_overdue(pl.due_date, pl.amount_cents, pl.received_cents, today),
                receipts: receipts.iter().filter(|r| r.pledge_id == pl.id).cloned().collect(),
                pledge: pl,
            })
            .collect();
        let (ledger, contribution) = self.municipality_contribution(p, municipality_id, Period::default()).await?;
        Ok(GiverAccount {
            generated_at: now(),
            pledged_cents: pledges.iter().map(|l| l.pledge.amount_cents).sum(),
            received_cents: pledges.iter().map(|l| l.pledge.received_cents).sum(),
            spent_cents: spending.iter().map(|s| s.amount_cents).sum(),
            municipality,
            pledges,
            spending,
            reports,
            contribution,
            inkind_hourly_rate_cents: ledger.inkind_hourly_rate_cents,
            bank_details: sees_bank_details(p),
        })
    }

    /// The fund's totals for anyone: pledged, received and disbursed per purpose and per oblast, and how many
    /// municipalities give.
    pub async fn fund_totals(&self, p: Option<&Principal>) -> AppResult<FundTotals> {
        check(p, Op::ReadPublicStatistics, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let per_purpose = store::fund::totals_per_purpose(&mut c.conn()).await?;
        let per_region = store::fund::totals_per_region(&mut c.conn()).await?;
        Ok(FundTotals {
            pledged_cents: per_purpose.iter().map(|t| t.pledged_cents).sum(),
            received_cents: per_purpose.iter().map(|t| t.received_cents).sum(),
            disbursed_cents: per_purpose.iter().map(|t| t.disbursed_cents).sum(),
            giving_municipalities: store::fund::giving_municipalities(&mut c.conn()).await?,
            per_purpose,
            per_region,
        })
    }
}

/// The columns of the account as CSV.
pub const ACCOUNT_CSV_HEADER: [&str; 9] =
    ["Section", "Date", "Description", "Purpose", "Recipient", "Oblast", "Recovery plan", "Amount (EUR)", "Reference"];

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The account as rows: pledges, receipts, where the money went, the reports, and the hours given.
pub fn account_rows(a: &GiverAccount) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for l in &a.pledges {
        let p = &l.pledge;
        let state = if l.overdue { format!("{} (overdue)", l.state) } else { l.state.to_string() };
        rows.push(vec![
            "Pledge".into(),
            day(Some(p.created_at.date_naive())),
            format!("{state}; earmark {}; due {}", p.earmark, day(p.due_date)),
            p.purpose.to_string(),
            String::new(),
            String::new(),
            String::new(),
            euros(p.amount_cents),
            String::new(),
        ]);
        for r in &l.receipts {
            rows.push(vec![
                "Received".into(),
                day(Some(r.received_on)),
                if r.overpayment { "Received (more than pledged)".into() } else { "Received".into() },
                p.purpose.to_string(),
                String::new(),
                String::new(),
                String::new(),
                euros(r.amount_cents),
                if a.bank_details { r.bank_reference.clone() } else { String::new() },
            ]);
        }
    }
    for s in &a.spending {
        rows.push(vec![
            "Spent".into(),
            day(s.grant.decided_at.map(|t| t.date_naive())),
            s.grant.title.clone(),
            s.grant.purpose.to_string(),
            s.recipient.clone(),
            s.region.clone().unwrap_or_default(),
            s.plan_title.clone().unwrap_or_default(),
            euros(s.amount_cents),
            String::new(),
        ]);
    }
    for (title, r, needs) in &a.reports {
        rows.push(vec![
            "Reported".into(),
            day(Some(r.reported_at.date_naive())),
            format!("{title}: {}", r.text),
            String::new(),
            String::new(),
            String::new(),
            needs.join("; "),
            String::new(),
            r.attachments.clone(),
        ]);
    }
    let f = &a.contribution.figures;
    rows.push(vec![
        "Hours given".into(),
        String::new(),
        format!(
            "{} hours delivered by {} experts on {} assignments",
            f.hours_delivered, f.expert_count, f.assignment_count
        ),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        euros(f.inkind_value_cents),
        format!("in-kind at {} euros/hour", euros(a.inkind_hourly_rate_cents)),
    ]);
    rows
}

/// The account as CSV.
pub fn account_csv(a: &GiverAccount) -> AppResult<SheetFile> {
    super::sheet::write(
        SheetFormat::Csv,
        &format!("fund-account-{}", a.municipality.code),
        &ACCOUNT_CSV_HEADER,
        &account_rows(a),
    )
}

/// The account as a page to print (or save as PDF from the browser): self-contained, no script, no remote asset.
pub fn account_html(a: &GiverAccount) -> String {
    let mut h = String::with_capacity(8_192);
    let name = esc(&a.municipality.name);
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>VNG Fund – account to {name}</title>\
         <style>body{{font:11pt/1.45 system-ui,sans-serif;max-width:48rem;margin:2rem auto;color:#1b1b1b}}\
         h1{{font-size:1.5rem}}h2{{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}}\
         table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}}\
         td.n,th.n{{text-align:right;font-variant-numeric:tabular-nums}}.muted{{color:#555}}\
         @media print{{body{{margin:0}}h2{{break-after:avoid}}tr{{break-inside:avoid}}}}</style></head><body>\
         <h1>VNG Fund for Emergency Aid, Reconstruction and Peacebuilding</h1>\
         <p><strong>Account to {name}</strong> ({code}), made {at}.</p>\
         <table><tr><th>Pledged</th><td class=n>€ {pl}</td></tr><tr><th>Received</th><td class=n>€ {re}</td></tr>\
         <tr><th>Paid out to recipients</th><td class=n>€ {sp}</td></tr><tr><th>Received, not yet paid out</th><td class=n>€ {un}</td></tr></table>",
        code = esc(&a.municipality.code),
        at = a.generated_at.format("%Y-%m-%d %H:%M UTC"),
        pl = euros(a.pledged_cents),
        re = euros(a.received_cents),
        sp = euros(a.spent_cents),
        un = euros(a.unspent_cents()),
    );
    h.push_str("<h2>Pledges and payments</h2><table><tr><th>Pledged on</th><th>Purpose</th><th>Earmark</th><th>State</th><th class=n>Pledged</th><th class=n>Received</th></tr>");
    for l in &a.pledges {
        let p = &l.pledge;
        let state = if l.overdue { format!("{} – overdue", l.state) } else { l.state.to_string() };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>€ {}</td><td class=n>€ {}</td></tr>",
            day(Some(p.created_at.date_naive())),
            esc(p.purpose.as_str()),
            esc(p.earmark.as_str()),
            esc(&state),
            euros(p.amount_cents),
            euros(p.received_cents)
        );
    }
    h.push_str("</table><h2>Where the money went</h2>");
    h.push_str("<p class=muted>Each payment to a recipient records which pledges it was paid from. Money earmarked for a plan, a hromada or AUC is used first for what it was given for; money given without an earmark is pooled, and each payment from the pool is shared over the pledges in proportion to what each had available.</p>");
    h.push_str("<table><tr><th>Grant</th><th>Recipient</th><th>Recovery plan</th><th>Purpose</th><th class=n>From your money</th></tr>");
    for s in &a.spending {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td class=n>€ {}</td></tr>",
            esc(&s.grant.title),
            esc(&s.recipient),
            s.region.as_deref().map(|r| format!(" ({})", esc(r))).unwrap_or_default(),
            esc(s.plan_title.as_deref().unwrap_or("–")),
            esc(s.grant.purpose.as_str()),
            euros(s.amount_cents)
        );
    }
    if a.spending.is_empty() {
        h.push_str("<tr><td colspan=5 class=muted>Nothing has been paid out from your money yet.</td></tr>");
    }
    h.push_str("</table><h2>What the recipients reported</h2>");
    if a.reports.is_empty() {
        h.push_str("<p class=muted>No report yet.</p>");
    }
    for (title, r, needs) in &a.reports {
        let figures: Vec<crate::domain::fund_input::ReportFigure> =
            serde_json::from_str(&r.figures).unwrap_or_default();
        let _ = write!(
            h,
            "<h3>{}</h3><p class=muted>Reported {}</p><p>{}</p>",
            esc(title),
            day(Some(r.reported_at.date_naive())),
            esc(&r.text)
        );
        if !figures.is_empty() {
            h.push_str("<ul>");
            for f in figures {
                let _ = write!(h, "<li>{}: {} {}</li>", esc(&f.label), f.value, esc(f.unit.as_deref().unwrap_or("")));
            }
            h.push_str("</ul>");
        }
        if !needs.is_empty() {
            let _ = write!(h, "<p>Needs served: {}</p>", esc(&needs.join("; ")));
        }
    }
    let f = &a.contribution.figures;
    let _ = write!(
        h,
        "<h2>Hours your staff gave</h2><table><tr><th>Experts</th><td class=n>{}</td></tr><tr><th>Assignments</th><td class=n>{}</td></tr>\
         <tr><th>Hours delivered</th><td class=n>{}</td></tr><tr><th>In-kind value (at € {} per hour)</th><td class=n>€ {}</td></tr></table>\
         <p class=muted>recovery-pool · VNG International</p></body></html>",
        f.expert_count,
        f.assignment_count,
        f.hours_delivered,
        euros(a.inkind_hourly_rate_cents),
        euros(f.inkind_value_cents)
    );
    h
}
