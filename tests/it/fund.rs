//! The VNG Fund over HTTP on both engines (docs/fund.md): the fund's whole story from pledges to each giver's
//! account and the public totals; disbursements racing for the same money; and bad input that changes nothing.

use crate::common;

use std::collections::HashMap;

use base64::Engine as _;
use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, first_error, str_at};
use futures_util::future::join_all;
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use serde_json::{Value, json};

backend_tests!(
    the_funds_story_from_pledges_to_each_givers_account,
    concurrent_disbursements_spend_exactly_the_affordable_money_and_never_more,
    bad_fund_input_names_the_field_and_changes_nothing,
    programme_budgets_show_committed_and_spent_per_line_and_plan,
);

const IBAN: &str = "UA74 3052 9900 0002 6007 2335 6600 1";

const PLEDGE: &str = "mutation($i: PledgeInput!) { pledge(input: $i) { id state amountCents } }";
const RECEIPT: &str = "mutation($i: ReceiptInput!) { recordReceipt(input: $i) { id amountCents overpayment } }";
const PROPOSE: &str = "mutation($i: GrantInput!) { proposeGrant(input: $i) { id status operations } }";
const SCREEN: &str = "mutation($g: ID!, $c: ScreeningCheck!) { screenGrant(grantId: $g, check: $c, passed: true, note: \"Checked against the register and the bank's confirmation.\") { check passed } }";
const DECIDE: &str = "mutation($g: ID!, $a: GrantAction!, $n: String) { decideGrant(grantId: $g, action: $a, note: $n) { id status decidedBy } }";
const DISBURSE: &str = "mutation($i: DisbursementInput!) { disburse(input: $i) { id tranche amountCents } }";

fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

async fn pledge(s: &TestServer, by: &User, input: Value) -> String {
    str_at(&s.ok(PLEDGE, json!({ "i": input }), by.auth()).await, "/pledge/id")
}

async fn receive(s: &TestServer, fund: &User, pledge_id: &str, cents: i64) {
    let i = json!({ "pledgeId": pledge_id, "receivedOn": "2026-10-01", "amount": euros(cents), "bankReference": format!("NL-TR-{pledge_id}") });
    s.ok(RECEIPT, json!({ "i": i }), fund.auth()).await;
}

/// Proposes a grant to Lviv for `plan` (by `a`), screens it (by `a`) and approves it (by `b`).
async fn approved_grant(s: &TestServer, a: &User, b: &User, plan: Option<&str>, cents: i64) -> String {
    let input = json!({
        "recipient": "HROMADA", "municipalityId": s.mid(codes::LVIV).await, "planId": plan,
        "purpose": "RECONSTRUCTION", "amount": euros(cents), "title": "Repair of the school heating",
        "description": "Boilers and pipes of School No. 5.", "accountHolder": "Lviv City Council", "accountIban": IBAN,
        "reportDue": "2027-06-30"
    });
    let g = str_at(&s.ok(PROPOSE, json!({ "i": input }), a.auth()).await, "/proposeGrant/id");
    for c in ["RECIPIENT_ON_REFERENCE_LIST", "ACCOUNT_HOLDER_CHECKED", "NO_SANCTIONED_PARTY"] {
        s.ok(SCREEN, json!({ "g": g, "c": c }), a.auth()).await;
    }
    s.ok(DECIDE, json!({ "g": g, "a": "APPROVE" }), b.auth()).await;
    g
}

/// A plan of Lviv with one need, endorsed by AUC: (plan id, need id).
async fn endorsed_plan(s: &TestServer, auc: &User, admin: &User) -> (String, String) {
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let d = s
        .ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": common::plan_input("Warm schools for Lviv") }), auc.auth())
        .await;
    let plan = str_at(&d, "/createPlan/id");
    let skills = s.skill_ids(admin.auth()).await;
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
    let need = str_at(
        &s.ok(q, json!({ "p": plan, "i": common::need_input("School heating", &skills) }), auc.auth()).await,
        "/createNeed/id",
    );
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan }), auc.auth()).await;
    }
    (plan, need)
}

async fn kinds(s: &TestServer, u: &User) -> Vec<String> {
    let d = s.ok("{ notifications(first: 100) { edges { node { kind } } } }", json!({}), u.auth()).await;
    common::nodes(&d["notifications"]).iter().map(|n| str_at(n, "/kind")).collect()
}

const ACCOUNT: &str = "query($m: ID!) { fundAccount(municipalityId: $m) { pledgedCents receivedCents spentCents unspentCents \
     pledges { state overdue receivedCents spentCents receipts { bankReference } } \
     spending { title recipient region planTitle purpose amountCents grantAmountCents } \
     reports { grantTitle text figures { label value unit } needs attachments } hours { hoursDelivered inkindValueCents } } }";

async fn the_funds_story_from_pledges_to_each_givers_account(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let fund_a = s.user(Role::FundOfficer, None).await;
    let fund_b = s.user(Role::FundOfficer, None).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let rotterdam = s.user(Role::MunicipalityOfficer, Some(codes::ROTTERDAM)).await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let (plan, need) = endorsed_plan(&s, &auc, &admin).await;

    // Three municipalities pledge; Amsterdam's money is earmarked for the plan.
    let p_ams = pledge(&s, &amsterdam, json!({ "municipalityId": s.mid(codes::AMSTERDAM).await, "amount": "10000", "purpose": "RECONSTRUCTION", "earmark": "PLAN", "earmarkPlanId": plan })).await;
    let p_utr = pledge(
        &s,
        &utrecht,
        json!({ "municipalityId": s.mid(codes::UTRECHT).await, "amount": "6000.00", "purpose": "UNRESTRICTED" }),
    )
    .await;
    let p_rot = pledge(&s, &rotterdam, json!({ "municipalityId": s.mid(codes::ROTTERDAM).await, "amount": "4000", "purpose": "RECONSTRUCTION", "dueDate": "2026-01-31" })).await;
    let e = first_error(&s.gql(PLEDGE, json!({ "i": { "municipalityId": s.mid(codes::UTRECHT).await, "amount": "5", "purpose": "PEACEBUILDING" } }), amsterdam.auth()).await);
    assert_code(&e, "FORBIDDEN");
    assert!(kinds(&s, &fund_a).await.contains(&"fund.pledged".to_string()), "the fund officers hear of pledges");

    // The money arrives: Amsterdam and Utrecht in full, Rotterdam a quarter, late.
    receive(&s, &fund_a, &p_ams, 1_000_000).await;
    receive(&s, &fund_a, &p_utr, 600_000).await;
    receive(&s, &fund_b, &p_rot, 100_000).await;
    assert!(kinds(&s, &amsterdam).await.contains(&"fund.received".to_string()), "the giver hears its money arrived");

    // A grant is proposed, screened, and approved by a second officer — never by its proposer.
    let input = json!({
        "recipient": "HROMADA", "municipalityId": s.mid(codes::LVIV).await, "planId": plan, "purpose": "RECONSTRUCTION",
        "amount": "15000", "title": "Repair of the school heating", "description": "Boilers and pipes of School No. 5.",
        "accountHolder": "Lviv City Council", "accountIban": IBAN, "reportDue": "2027-06-30"
    });
    let d = s.ok(PROPOSE, json!({ "i": input }), fund_a.auth()).await;
    let grant = str_at(&d, "/proposeGrant/id");
    assert_eq!(d["proposeGrant"]["operations"], json!(["MANAGE_GRANTS"]), "the proposer may not decide");
    assert_code(&first_error(&s.gql(DECIDE, json!({ "g": grant, "a": "APPROVE" }), fund_a.auth()).await), "FORBIDDEN");
    let e = first_error(&s.gql(DECIDE, json!({ "g": grant, "a": "APPROVE" }), fund_b.auth()).await);
    assert_code(&e, "CONFLICT");
    assert!(e["message"].as_str().unwrap_or("").contains("screening"), "{e}");
    for c in ["RECIPIENT_ON_REFERENCE_LIST", "ACCOUNT_HOLDER_CHECKED", "NO_SANCTIONED_PARTY"] {
        s.ok(SCREEN, json!({ "g": grant, "c": c }), fund_a.auth()).await;
    }
    let d = s.ok(DECIDE, json!({ "g": grant, "a": "APPROVE", "n": "Four eyes." }), fund_b.auth()).await;
    assert_eq!(str_at(&d, "/decideGrant/status"), "APPROVED");
    assert_eq!(str_at(&d, "/decideGrant/decidedBy"), fund_b.id);
    assert!(kinds(&s, &lviv).await.contains(&"fund.grant_approved".to_string()));
    assert!(kinds(&s, &fund_a).await.contains(&"fund.grant_approved".to_string()), "the proposer hears back");

    // Paid in two tranches; a third cent would pass the grant.
    let pay = |cents: i64| json!({ "i": { "grantId": grant, "amount": euros(cents), "paidOn": "2026-10-15", "bankReference": "VNG-2026-0042" } });
    let t1 = s.ok(DISBURSE, pay(1_200_000), fund_a.auth()).await;
    let t2 = s.ok(DISBURSE, pay(300_000), fund_a.auth()).await;
    assert_eq!(t1["disburse"]["tranche"], json!(1));
    assert_eq!(t2["disburse"]["tranche"], json!(2));
    assert_bad_input(&first_error(&s.gql(DISBURSE, pay(1), fund_a.auth()).await), "amount");
    assert!(kinds(&s, &lviv).await.contains(&"fund.disbursed".to_string()));

    // The recipient sees its grant without bank details, confirms the first tranche and reports.
    let q = "query($id: ID!) { grant(id: $id) { accountIban accountHolder operations disbursements { id bankReference confirmedAt } } }";
    let seen = s.ok(q, json!({ "id": grant }), lviv.auth()).await;
    assert_eq!(seen["grant"]["accountIban"], Value::Null);
    assert_eq!(seen["grant"]["operations"], json!(["REPORT_ON_GRANT"]));
    assert_eq!(seen["grant"]["disbursements"][0]["bankReference"], Value::Null);
    let by_fund = s.ok(q, json!({ "id": grant }), fund_b.auth()).await;
    assert_eq!(by_fund["grant"]["accountIban"], json!("UA743052990000026007233566001"));
    let first = str_at(&seen, "/grant/disbursements/0/id");
    s.ok("mutation($id: ID!) { confirmDisbursement(id: $id) { confirmedAt } }", json!({ "id": first }), lviv.auth())
        .await;
    let report = json!({ "grantId": grant, "text": "Two boilers replaced; the school is warm again.",
        "figures": [{ "label": "Pupils in heated classrooms", "value": 640, "unit": "pupils" }],
        "attachments": ["Act of acceptance No. 17/2026"], "needIds": [need] });
    let q = "mutation($i: GrantReportInput!) { reportOnGrant(input: $i) { id needIds } }";
    s.ok(q, json!({ "i": report }), lviv.auth()).await;
    assert_code(&first_error(&s.gql("{ grants { id } }", json!({}), amsterdam.auth()).await), "FORBIDDEN");
    let other = s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    assert_code(&first_error(&s.gql(q, json!({ "i": report }), other.auth()).await), "NOT_FOUND");

    // Each giver's account shows exactly where its money went: the plan's money first, then the purpose's
    // unearmarked money, then unrestricted money.
    let ams = account(&s, codes::AMSTERDAM, &amsterdam).await;
    assert_eq!((ams["pledgedCents"].clone(), ams["spentCents"].clone()), (json!(1_000_000), json!(1_000_000)));
    assert_eq!(ams["spending"][0]["amountCents"], json!(1_000_000));
    assert_eq!(ams["spending"][0]["planTitle"], json!("Warm schools for Lviv"));
    assert_eq!(ams["spending"][0]["purpose"], json!("RECONSTRUCTION"));
    assert_eq!(ams["reports"][0]["figures"][0]["value"], json!(640));
    assert_eq!(ams["reports"][0]["needs"], json!(["School heating"]));
    assert_eq!(ams["pledges"][0]["receipts"][0]["bankReference"], Value::Null, "bank references stay with the fund");
    let rot = account(&s, codes::ROTTERDAM, &rotterdam).await;
    assert_eq!(rot["spentCents"], json!(100_000));
    assert_eq!(
        (rot["pledges"][0]["state"].clone(), rot["pledges"][0]["overdue"].clone()),
        (json!("PARTLY_PAID"), json!(true))
    );
    let utr = account(&s, codes::UTRECHT, &fund_a).await;
    assert_eq!((utr["spentCents"].clone(), utr["unspentCents"].clone()), (json!(400_000), json!(200_000)));
    assert_eq!(utr["pledges"][0]["receipts"][0]["bankReference"], json!(format!("NL-TR-{p_utr}")));
    let e = first_error(&s.gql(ACCOUNT, json!({ "m": s.mid(codes::UTRECHT).await }), amsterdam.auth()).await);
    assert_code(&e, "FORBIDDEN");

    // The same account as CSV and as a printable page.
    let q = "query($m: ID!) { fundAccountSheet(municipalityId: $m) { filename base64 } fundAccountReport(municipalityId: $m) { html } }";
    let d = s.ok(q, json!({ "m": s.mid(codes::UTRECHT).await }), utrecht.auth()).await;
    let csv = String::from_utf8(
        base64::engine::general_purpose::STANDARD.decode(str_at(&d, "/fundAccountSheet/base64")).expect("base64"),
    )
    .expect("UTF-8");
    assert!(csv.starts_with("Section,Date,Description"), "{csv}");
    assert!(csv.contains("Spent,") && csv.contains("4000.00"), "{csv}");
    let html = str_at(&d, "/fundAccountReport/html");
    assert!(
        html.contains("Account to Utrecht") && html.contains("€ 4000.00") && html.contains("Two boilers replaced"),
        "{html}"
    );
    assert!(!html.contains("NL-TR-") && !html.contains("<script"), "no bank reference, no script");

    // The public totals agree with the records.
    let q = "{ publicStatistics { fund { pledgedCents receivedCents disbursedCents givingMunicipalities perPurpose { key pledgedCents receivedCents disbursedCents } perRegion { key pledgedCents disbursedCents } } } }";
    let fund = s.ok(q, json!({}), None).await["publicStatistics"]["fund"].clone();
    assert_eq!(fund["pledgedCents"], json!(2_000_000));
    assert_eq!(
        fund["receivedCents"],
        json!(sum(&s, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM fund_receipts").await)
    );
    assert_eq!(
        fund["disbursedCents"],
        json!(sum(&s, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM fund_draws").await)
    );
    assert_eq!(fund["disbursedCents"], json!(1_500_000));
    assert_eq!(fund["givingMunicipalities"], json!(3));
    let per: HashMap<String, Value> =
        fund["perPurpose"].as_array().expect("a list").iter().map(|l| (str_at(l, "/key"), l.clone())).collect();
    assert_eq!(per["RECONSTRUCTION"]["pledgedCents"], json!(1_400_000));
    assert_eq!(per["RECONSTRUCTION"]["disbursedCents"], json!(1_500_000));
    assert_eq!(per["UNRESTRICTED"]["receivedCents"], json!(600_000));
    assert_eq!(fund["perRegion"][0]["disbursedCents"], json!(1_500_000));
    assert_eq!(fund["perRegion"][0]["pledgedCents"], json!(1_000_000), "Amsterdam's pledge for Lviv's plan");

    // Every step is in the audit log, without the bank details.
    let q =
        "query($id: ID!) { auditEvents(filter: { objectId: $id }, first: 100) { edges { node { action after } } } }";
    let events = common::nodes(&s.ok(q, json!({ "id": grant }), admin.auth()).await["auditEvents"]);
    let actions: Vec<String> = events.iter().map(|e| str_at(e, "/action")).collect();
    for a in ["grant.propose", "grant.screen", "grant.approve", "grant.report"] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }
    assert!(!events.iter().any(|e| e["after"].to_string().contains("UA7430")), "no IBAN in the audit log");
}

async fn account(s: &TestServer, code: &str, by: &User) -> Value {
    s.ok(ACCOUNT, json!({ "m": s.mid(code).await }), by.auth()).await["fundAccount"].clone()
}

async fn sum(s: &TestServer, sql: &str) -> i64 {
    let row: (Option<i64>,) = match &s.services.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .expect("the sum reads");
    row.0.unwrap_or(0)
}

const ROUNDS: usize = 20;
const PER_ROUND: usize = 50;
/// Grants per round, all drawing on the same money.
const GRANTS: usize = 5;

async fn concurrent_disbursements_spend_exactly_the_affordable_money_and_never_more(b: Backend) {
    let s = b.start().await;
    let fund_a = s.user(Role::FundOfficer, None).await;
    let fund_b = s.user(Role::FundOfficer, None).await;
    let utrecht = s.mid(codes::UTRECHT).await;
    let vinnytsia = s.mid(codes::VINNYTSIA).await;
    // What the grants to Lviv may draw on, by our own bookkeeping.
    let mut available: i64 = 0;
    let mut decoys: i64 = 0;
    for r in 0..ROUNDS {
        // New unrestricted money, and money earmarked for another hromada that these grants must never touch.
        let top_up = 50_000 + (r as i64 % 4) * 12_345;
        let p = pledge(
            &s,
            &fund_a,
            json!({ "municipalityId": utrecht, "amount": euros(top_up), "purpose": "UNRESTRICTED" }),
        )
        .await;
        receive(&s, &fund_a, &p, top_up).await;
        let d = pledge(&s, &fund_a, json!({ "municipalityId": utrecht, "amount": "900", "purpose": "RECONSTRUCTION", "earmark": "HROMADA", "earmarkMunicipalityId": vinnytsia })).await;
        receive(&s, &fund_a, &d, 90_000).await;
        decoys += 90_000;
        available += top_up;
        // Five grants compete for the same money. Where the money runs out first (most rounds), exactly what it
        // affords is paid; in the others each grant's own amount is what binds.
        let money_binds = r % 2 == 0 || r % 3 == 0;
        let grant_cents = if money_binds { 10_000_000 } else { available / 8 + 1 };
        let mut grants = Vec::new();
        for _ in 0..GRANTS {
            grants.push(approved_grant(&s, &fund_a, &fund_b, None, grant_cents).await);
        }
        // Equal amounts in every third round, mixed ones otherwise.
        let amounts: Vec<i64> = (0..PER_ROUND)
            .map(|i| if r % 3 == 0 { 2_500 + r as i64 * 7 } else { 1_000 + ((i * 37 + r * 11) % 40) as i64 * 150 })
            .collect();
        let tasks = amounts.iter().enumerate().map(|(i, cents)| {
            let v = json!({ "query": DISBURSE, "variables": { "i": { "grantId": grants[i % GRANTS], "amount": euros(*cents), "paidOn": "2026-11-01", "bankReference": "VNG-RACE" } } });
            let (http, url, token) = (s.http.clone(), s.url("/graphql"), fund_a.token.clone());
            tokio::spawn(async move {
                let resp = http.post(url).bearer_auth(token).json(&v).send().await.expect("the server answers");
                let status = resp.status().as_u16();
                (status, resp.json::<Value>().await.expect("a JSON body"))
            })
        });
        let answers: Vec<(u16, Value)> = join_all(tasks).await.into_iter().map(|t| t.expect("the task runs")).collect();
        let mut spent = 0;
        let mut per_grant = vec![0i64; GRANTS];
        let mut refused = Vec::new();
        for (i, ((status, body), cents)) in answers.iter().zip(&amounts).enumerate() {
            assert_eq!(*status, 200, "round {r}: {body}");
            common::assert_no_internal(body);
            if body.get("errors").is_some() {
                assert_bad_input(&first_error(body), "amount");
                refused.push((i % GRANTS, *cents));
            } else {
                spent += cents;
                per_grant[i % GRANTS] += cents;
            }
        }
        assert!(spent <= available, "round {r}: paid {spent} of the {available} there was");
        assert!(per_grant.iter().all(|g| *g <= grant_cents), "round {r}: a grant paid past its amount: {per_grant:?}");
        // Each refusal was right: at the end, with less left than when it was refused, it still does not fit.
        let money_left = available - spent;
        for (g, cents) in &refused {
            assert!(
                *cents > money_left.min(grant_cents - per_grant[*g]),
                "round {r}: refused {cents} on grant {g} that fit"
            );
        }
        if r % 3 == 0 {
            let each = amounts[0];
            assert_eq!(
                spent / each,
                (available / each).min(PER_ROUND as i64),
                "round {r}: exactly the affordable ones"
            );
        }
        available -= spent;
        // The balance never goes below zero: per pledge, draws never exceed receipts; the earmarked money is untouched.
        let over = sum(
            &s,
            "SELECT COUNT(*) FROM fund_pledges p WHERE \
            (SELECT COALESCE(SUM(d.amount_cents), 0) FROM fund_draws d WHERE d.pledge_id = p.id) > \
            (SELECT COALESCE(SUM(x.amount_cents), 0) FROM fund_receipts x WHERE x.pledge_id = p.id)",
        )
        .await;
        assert_eq!(over, 0, "round {r}: a pledge was overspent");
        let received = sum(&s, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM fund_receipts").await;
        let drawn = sum(&s, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM fund_draws").await;
        let paid = sum(&s, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM fund_disbursements").await;
        assert_eq!(drawn, paid, "every disbursed cent is drawn from a pledge");
        assert_eq!(received - drawn, available + decoys, "round {r}: the balance follows the records");
    }
    let drawn_from_decoys = sum(&s, "SELECT CAST(COALESCE(SUM(d.amount_cents), 0) AS BIGINT) FROM fund_draws d JOIN fund_pledges p ON p.id = d.pledge_id WHERE p.earmark = 'HROMADA'").await;
    assert_eq!(drawn_from_decoys, 0, "money earmarked for another hromada is never spent on Lviv");
}

async fn bad_fund_input_names_the_field_and_changes_nothing(b: Backend) {
    let s = b.start().await;
    let fund_a = s.user(Role::FundOfficer, None).await;
    let fund_b = s.user(Role::FundOfficer, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let own = s.mid(codes::UTRECHT).await;
    let before =
        (sum(&s, "SELECT COUNT(*) FROM fund_pledges").await, sum(&s, "SELECT COUNT(*) FROM audit_events").await);
    for (amount, why) in
        [("-5", "negative"), ("0", "zero"), ("10.005", "a fraction of a cent"), ("1e3", "not a number"), ("", "empty")]
    {
        let e = first_error(
            &s.gql(
                PLEDGE,
                json!({ "i": { "municipalityId": own, "amount": amount, "purpose": "PEACEBUILDING" } }),
                utrecht.auth(),
            )
            .await,
        );
        assert_bad_input(&e, "amount");
        assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{why}");
    }
    let e = first_error(
        &s.gql(
            PLEDGE,
            json!({ "i": { "municipalityId": own, "amount": "5", "purpose": "PEACEBUILDING", "earmark": "PLAN" } }),
            utrecht.auth(),
        )
        .await,
    );
    assert_bad_input(&e, "earmarkPlanId");
    let e = first_error(
        &s.gql(
            PLEDGE,
            json!({ "i": { "municipalityId": s.mid(codes::LVIV).await, "amount": "5", "purpose": "PEACEBUILDING" } }),
            fund_a.auth(),
        )
        .await,
    );
    assert_bad_input(&e, "municipalityId");
    assert_eq!(
        before,
        (sum(&s, "SELECT COUNT(*) FROM fund_pledges").await, sum(&s, "SELECT COUNT(*) FROM audit_events").await)
    );

    // A receipt above the pledge only with the overpayment flag.
    let p = pledge(&s, &utrecht, json!({ "municipalityId": own, "amount": "100", "purpose": "EMERGENCY_AID" })).await;
    let over = json!({ "i": { "pledgeId": p, "receivedOn": "2026-10-01", "amount": "100.01", "bankReference": "X1" } });
    assert_bad_input(&first_error(&s.gql(RECEIPT, over.clone(), fund_a.auth()).await), "amount");
    let mut flagged = over.clone();
    flagged["i"]["overpayment"] = json!(true);
    let d = s.ok(RECEIPT, flagged, fund_a.auth()).await;
    assert_eq!(d["recordReceipt"]["overpayment"], json!(true));
    assert_code(&first_error(&s.gql(RECEIPT, over, utrecht.auth()).await), "FORBIDDEN");
    let future = json!({ "i": { "pledgeId": p, "receivedOn": "2099-01-01", "amount": "1", "bankReference": "X2", "overpayment": true } });
    assert_bad_input(&first_error(&s.gql(RECEIPT, future, fund_a.auth()).await), "receivedOn");

    // Grants: a wrong IBAN, an unrestricted purpose, a Dutch recipient, a plan for AUC.
    let base = json!({ "recipient": "HROMADA", "municipalityId": s.mid(codes::LVIV).await, "purpose": "EMERGENCY_AID", "amount": "50",
        "title": "Generators", "description": "Two generators.", "accountHolder": "Lviv City Council", "accountIban": IBAN });
    for (field, value, named) in [
        ("accountIban", json!("UA00 1234"), "accountIban"),
        ("purpose", json!("UNRESTRICTED"), "purpose"),
        ("municipalityId", json!(own), "municipalityId"),
        ("amount", json!("50.001"), "amount"),
        ("title", json!("  "), "title"),
    ] {
        let mut i = base.clone();
        i[field] = value;
        assert_bad_input(&first_error(&s.gql(PROPOSE, json!({ "i": i }), fund_a.auth()).await), named);
    }
    let mut auc = base.clone();
    auc["recipient"] = json!("AUC");
    assert_bad_input(&first_error(&s.gql(PROPOSE, json!({ "i": auc }), fund_a.auth()).await), "municipalityId");

    // A disbursement above the grant, above the money, against a grant not approved, or by the wrong person.
    let g = approved_grant(&s, &fund_a, &fund_b, None, 5_000).await;
    let pay = |g: &str, amount: &str| json!({ "i": { "grantId": g, "amount": amount, "paidOn": "2026-10-15", "bankReference": "R" } });
    assert_bad_input(&first_error(&s.gql(DISBURSE, pay(&g, "50.01"), fund_a.auth()).await), "amount");
    let e = first_error(&s.gql(DISBURSE, pay(&g, "40"), fund_a.auth()).await);
    assert_bad_input(&e, "amount");
    assert!(e["message"].as_str().unwrap_or("").contains("may draw on"), "{e}");
    assert_code(&first_error(&s.gql(DISBURSE, pay(&g, "1"), lviv.auth()).await), "FORBIDDEN");
    let proposed = str_at(&s.ok(PROPOSE, json!({ "i": base }), fund_a.auth()).await, "/proposeGrant/id");
    assert_code(&first_error(&s.gql(DISBURSE, pay(&proposed, "1"), fund_a.auth()).await), "CONFLICT");
    assert_bad_input(
        &first_error(&s.gql(DECIDE, json!({ "g": proposed, "a": "REJECT" }), fund_b.auth()).await),
        "note",
    );
    assert_eq!(sum(&s, "SELECT COUNT(*) FROM fund_disbursements").await, 0, "nothing was paid");

    // A report on a grant with no money paid out yet, and on someone else's grant.
    let q = "mutation($i: GrantReportInput!) { reportOnGrant(input: $i) { id } }";
    assert_code(
        &first_error(&s.gql(q, json!({ "i": { "grantId": g, "text": "Done." } }), lviv.auth()).await),
        "CONFLICT",
    );
    let other = s.user(Role::HromadaOfficer, Some(codes::KYIV)).await;
    assert_code(
        &first_error(&s.gql(q, json!({ "i": { "grantId": g, "text": "Done." } }), other.auth()).await),
        "NOT_FOUND",
    );
}

async fn programme_budgets_show_committed_and_spent_per_line_and_plan(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let (plan, _) = endorsed_plan(&s, &auc, &admin).await;
    let q = "mutation($i: ProgrammeInput!) { createProgramme(input: $i) { code budgetCents lines { id code } } }";
    let input = json!({ "code": "sdlg", "name": "Sustainable Development of Local Governance", "funder": "Ministry of Foreign Affairs",
        "lines": [{ "code": "3.1", "name": "Experts' travel and stay", "amount": "20000" }, { "code": "3.2", "name": "Workshops", "amount": "5000" }] });
    let d = s.ok(q, json!({ "i": input }), coordinator.auth()).await;
    assert_eq!(str_at(&d, "/createProgramme/code"), "SDLG");
    let travel = str_at(&d, "/createProgramme/lines/0/id");
    let book = "mutation($i: ExpenseInput!) { bookExpense(input: $i) { id status planId } }";
    let expense = |kind: &str, status: &str, amount: &str| {
        json!({ "i": { "budgetLineId": travel, "kind": kind, "status": status, "amount": amount, "description": "Workshop in Lviv",
            "bookedOn": "2026-10-20", "planId": plan, "receiptReference": if status == "SPENT" { json!("INV-1") } else { Value::Null } } })
    };
    s.ok(book, expense("OTHER", "COMMITTED", "1500"), coordinator.auth()).await;
    s.ok(book, expense("OTHER", "SPENT", "2500.50"), coordinator.auth()).await;
    assert_bad_input(
        &first_error(&s.gql(book, expense("TRAVEL", "SPENT", "10"), coordinator.auth()).await),
        "assignmentId",
    );
    assert_bad_input(
        &first_error(&s.gql(book, expense("OTHER", "SPENT", "16000"), coordinator.auth()).await),
        "amount",
    );
    let mut no_receipt = expense("OTHER", "SPENT", "10");
    no_receipt["i"]["receiptReference"] = Value::Null;
    assert_bad_input(&first_error(&s.gql(book, no_receipt, coordinator.auth()).await), "receiptReference");
    let q = "{ programmes { code budgetCents committedCents spentCents lines { code budgetCents committedCents spentCents leftCents } perPlan { planTitle committedCents spentCents } } }";
    let d = s.ok(q, json!({}), auc.auth()).await;
    let p = &d["programmes"][0];
    assert_eq!(
        (p["budgetCents"].clone(), p["committedCents"].clone(), p["spentCents"].clone()),
        (json!(2_500_000), json!(150_000), json!(250_050))
    );
    assert_eq!(p["lines"][0]["leftCents"], json!(2_000_000 - 150_000 - 250_050));
    assert_eq!(p["perPlan"][0]["planTitle"], json!("Warm schools for Lviv"));
    assert_eq!(p["perPlan"][0]["spentCents"], json!(250_050));
    let expert_side = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    assert_code(&first_error(&s.gql(q, json!({}), expert_side.auth()).await), "FORBIDDEN");
}
