//! Spreadsheets in and out as a municipal officer or AUC would use them: the files under `tests/fixtures/`, read
//! as CSV and XLSX, checked first, written once, taken out within what the caller sees.

use base64::Engine;

use crate::assignment_workflow::scene;
use crate::common;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, first_error, str_at};
use recovery_pool::domain::Role;
use recovery_pool::service::sheet::{Table, read};
use serde_json::{Value, json};

backend_tests!(
    experts_come_in_from_an_xlsx_file_checked_first_and_the_same_file_twice_changes_nothing,
    a_sheet_with_problems_names_each_by_row_and_column_and_writes_nothing,
    an_export_imported_into_an_empty_pool_gives_the_same_experts,
    needs_assignments_and_the_ledger_go_out_within_what_the_caller_sees,
    a_plans_needs_come_in_from_an_auc_list_one_row_per_role_keyed_by_reference,
);

const IMPORT: &str = "mutation($m: ID!, $f: FileBase64!, $d: Boolean) { importExperts(municipalityId: $m, file: $f, \
                      dryRun: $d) { rows created updated unchanged applied problems { row column message } } }";
const EXPORT: &str = "query($m: ID!, $f: SheetFormat!) { expertsSheet(municipalityId: $m, format: $f) { filename \
                      mediaType base64 } }";

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(file: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(str_at(file, "/base64")).expect("base64")
}

async fn import(s: &TestServer, officer: &User, m: &str, bytes: &[u8], dry_run: bool) -> Value {
    s.ok(IMPORT, json!({ "m": m, "f": b64(bytes), "d": dry_run }), officer.auth()).await["importExperts"].clone()
}

fn problems(outcome: &Value) -> Vec<(i64, String)> {
    outcome["problems"]
        .as_array()
        .map_or(vec![], |p| p.iter().map(|p| (p["row"].as_i64().unwrap_or(0), str_at(p, "/column"))).collect())
}

async fn experts_come_in_from_an_xlsx_file_checked_first_and_the_same_file_twice_changes_nothing(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let admin = s.admin().await;
    let utrecht = s.mid(codes::UTRECHT).await;
    let file = fixture("experts.xlsx");

    let dry = import(&s, &officer, &utrecht, &file, true).await;
    assert_eq!((&dry["rows"], &dry["created"], &dry["applied"]), (&json!(3), &json!(3), &json!(false)), "{dry}");
    assert_eq!(problems(&dry), vec![]);
    assert_eq!(s.count("experts", "", admin.auth()).await, 0, "a dry run writes nothing");

    let done = import(&s, &officer, &utrecht, &file, false).await;
    assert_eq!(done["applied"], true, "{done}");
    // Skills and languages named in Dutch, English and Ukrainian, dates and numbers as Excel keeps them.
    let q = "query($m: ID!) { experts(filter: { municipalityId: $m, order: NAME }) { edges { node { name phone \
             hoursPerWeek availableFrom availableUntil modes skills { skill { code } level years } \
             languages { language level } } } } }";
    let list = s.ok(q, json!({ "m": utrecht }), officer.auth()).await;
    let names: Vec<String> =
        list["experts"]["edges"].as_array().map_or(vec![], |e| e.iter().map(|e| str_at(e, "/node/name")).collect());
    assert_eq!(names, ["Joost Bakker", "Olena Kovalenko", "Sanne de Groot"]);
    let olena = &list["experts"]["edges"][1]["node"];
    assert_eq!(olena["phone"], "+31 6 1234 5678");
    assert_eq!(olena["hoursPerWeek"], 16);
    assert_eq!((&olena["availableFrom"], &olena["availableUntil"]), (&json!("2027-01-15"), &json!("2027-06-30")));
    assert_eq!(olena["skills"], json!([{ "skill": { "code": "DISTRICT_HEATING" }, "level": 3, "years": null }]));
    let languages: Vec<String> = olena["languages"]
        .as_array()
        .map_or(vec![], |l| l.iter().map(|l| format!("{}:{}", str_at(l, "/language"), str_at(l, "/level"))).collect());
    assert_eq!(languages, ["en:B2", "nl:B1", "uk:NATIVE"]);
    let sanne = &list["experts"]["edges"][2]["node"];
    assert_eq!(sanne["skills"][0], json!({ "skill": { "code": "DISTRICT_HEATING" }, "level": 4, "years": 9 }));

    // The same file again: every row matches its expert, nothing is written, nothing is audited.
    let audited = s.count("auditEvents", "", admin.auth()).await;
    let again = import(&s, &officer, &utrecht, &file, false).await;
    assert_eq!((&again["created"], &again["updated"], &again["unchanged"]), (&json!(0), &json!(0), &json!(3)));
    assert_eq!(s.count("auditEvents", "", admin.auth()).await, audited);
}

async fn a_sheet_with_problems_names_each_by_row_and_column_and_writes_nothing(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let admin = s.admin().await;
    let utrecht = s.mid(codes::UTRECHT).await;
    let skills = s.skill_ids(admin.auth()).await;
    let mut ilse = expert_profile("Ilse Kok", "Engineer", &[(&skills["DISTRICT_HEATING"], 3)], &[("en", "B2")]);
    ilse["email"] = json!("ilse.kok@amsterdam.example");
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    s.ok(q, json!({ "m": s.mid(codes::AMSTERDAM).await, "p": ilse }), amsterdam.auth()).await;

    let outcome = import(&s, &officer, &utrecht, &fixture("experts-with-problems.csv"), false).await;
    assert_eq!(outcome["applied"], false);
    assert_eq!(
        problems(&outcome),
        [
            (3, "skills".to_string()),          // a skill that is not on the list
            (4, "skills".to_string()),          // level 7
            (5, "available_until".to_string()), // the dates the wrong way round
            (6, "job_title".to_string()),       // an injected formula
            (7, "email".to_string()),           // the same e-mail as row 2
            (8, "email".to_string()),           // an expert of Amsterdam's
        ],
        "{outcome}"
    );
    let messages: Vec<String> =
        outcome["problems"].as_array().map_or(vec![], |p| p.iter().map(|p| str_at(p, "/message")).collect());
    assert!(messages[0].contains("UNDERWATER_BASKETS") && messages[3].contains("formula"), "{messages:?}");
    assert_eq!(s.count("experts", "", admin.auth()).await, 1, "the good row 2 was not written either");

    // Files that are not sheets, or not whole, or not one encoding, or too long: refused by name.
    for (bytes, says) in [
        (fixture("experts-broken.xlsx"), "XLSX"),
        (fixture("experts-mixed-encoding.csv"), "row 3 is not UTF-8"),
        (b"\x00\x01\x02 not a sheet".to_vec(), "not a CSV or XLSX"),
    ] {
        let body = s.gql(IMPORT, json!({ "m": utrecht, "f": b64(&bytes), "d": true }), officer.auth()).await;
        let e = first_error(&body);
        assert_bad_input(&e, "file");
        assert!(e["message"].as_str().is_some_and(|m| m.contains(says)), "{body}");
    }
    let mut long =
        String::from("name,email,job_title,hours_per_week,available_from,modes,skills,languages,consent_date\n");
    for i in 0..2_001 {
        long.push_str(&format!("P{i},p{i}@u.example,E,8,2027-01-01,REMOTE,DISTRICT_HEATING:3,en:B2,2026-11-01\n"));
    }
    let body = s.gql(IMPORT, json!({ "m": utrecht, "f": b64(long.as_bytes()) }), officer.auth()).await;
    let e = first_error(&body);
    assert_bad_input(&e, "file");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("2000")), "{body}");
    let both = "mutation($m: ID!) { importExperts(municipalityId: $m) { applied } }";
    assert_bad_input(&first_error(&s.gql(both, json!({ "m": utrecht }), officer.auth()).await), "file");
    assert_eq!(s.count("experts", "", admin.auth()).await, 1);
}

async fn an_export_imported_into_an_empty_pool_gives_the_same_experts(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let utrecht = s.mid(codes::UTRECHT).await;
    import(&s, &officer, &utrecht, &fixture("experts.xlsx"), false).await;
    let xlsx = s.ok(EXPORT, json!({ "m": utrecht, "f": "XLSX" }), officer.auth()).await;
    assert_eq!(str_at(&xlsx, "/expertsSheet/filename"), "experts.xlsx");
    let out = unb64(&xlsx["expertsSheet"]);
    let before = s.ok(EXPORT, json!({ "m": utrecht, "f": "CSV" }), officer.auth()).await;
    // Phone numbers starting with + go out guarded against formulas.
    let csv = String::from_utf8(unb64(&before["expertsSheet"])).expect("UTF-8");
    assert!(csv.contains("'+31 6 1234 5678"), "{csv}");

    let fresh = b.start().await;
    let their_officer = fresh.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let done = import(&fresh, &their_officer, &fresh.mid(codes::UTRECHT).await, &out, false).await;
    assert_eq!((&done["created"], &done["applied"]), (&json!(3), &json!(true)), "{done}");
    let after =
        fresh.ok(EXPORT, json!({ "m": fresh.mid(codes::UTRECHT).await, "f": "CSV" }), their_officer.auth()).await;
    assert_eq!(unb64(&after["expertsSheet"]), unb64(&before["expertsSheet"]), "the same sheet comes out again");
}

fn table(file: &Value) -> Table {
    read(&unb64(file), "file").expect("the export reads back")
}

async fn needs_assignments_and_the_ledger_go_out_within_what_the_caller_sees(b: Backend) {
    let w = scene(b).await;
    let need = w.need("Heat network survey", 2).await;
    let assignment = w.propose(&need, &w.anna).await;

    let q = "query { needsSheet(format: XLSX) { filename base64 } }";
    let needs = table(&w.s.ok(q, json!({}), w.auc.auth()).await["needsSheet"]);
    let row = needs.rows.iter().map(|(_, r)| r).find(|r| needs.cell(r, "need") == "Heat network survey").expect("row");
    assert_eq!(needs.cell(row, "role"), "Heat network engineer");
    assert_eq!((needs.cell(row, "seats"), needs.cell(row, "seats_filled")), ("2", "0"));
    assert_eq!(needs.cell(row, "skills"), "DISTRICT_HEATING:3");
    assert_eq!(needs.cell(row, "municipality_code"), codes::LVIV);

    let q = "query { assignmentsSheet(format: XLSX) { base64 } }";
    let mine = table(&w.s.ok(q, json!({}), w.coordinator.auth()).await["assignmentsSheet"]);
    let row = &mine.rows.first().expect("the assignment").1;
    assert_eq!(mine.cell(row, "assignment_id"), assignment);
    assert_eq!((mine.cell(row, "expert"), mine.cell(row, "status")), ("Anna Visser", "PROPOSED"));
    assert_eq!(mine.cell(row, "hours_delivered"), "0");
    // Amsterdam's officer sees only assignments of Amsterdam's experts: none.
    let theirs = table(&w.s.ok(q, json!({}), w.other_municipality.auth()).await["assignmentsSheet"]);
    assert!(theirs.rows.is_empty(), "{:?}", theirs.rows);
    assert_code(&first_error(&w.s.gql(q, json!({}), None).await), "UNAUTHENTICATED");

    let q = "query { contributionLedgerSheet(format: XLSX) { filename base64 } }";
    let ledger = w.s.ok(q, json!({}), w.coordinator.auth()).await;
    assert_eq!(str_at(&ledger, "/contributionLedgerSheet/filename"), "contribution-ledger.xlsx");
    let ledger = table(&ledger["contributionLedgerSheet"]);
    assert_eq!(ledger.headers.first().map(String::as_str), Some("municipality code"));
    assert_code(&first_error(&w.s.gql(q, json!({}), w.hromada.auth()).await), "FORBIDDEN");
}

const IMPORT_NEEDS: &str = "mutation($p: ID!, $f: FileBase64!, $d: Boolean) { importNeeds(planId: $p, file: $f, \
                            dryRun: $d) { rows created updated unchanged applied problems { row column message } } }";

async fn a_plans_needs_come_in_from_an_auc_list_one_row_per_role_keyed_by_reference(b: Backend) {
    let w = scene(b).await;
    let file = fixture("needs.xlsx");
    let run = |dry: bool, who: &User, bytes: Vec<u8>| {
        let vars = json!({ "p": w.plan, "f": b64(&bytes), "d": dry });
        let token = who.token.clone();
        let s = &w.s;
        async move { s.gql(IMPORT_NEEDS, vars, Some(&token)).await }
    };
    let dry = common::data(run(true, &w.auc, file.clone()).await)["importNeeds"].clone();
    assert_eq!((&dry["rows"], &dry["created"], &dry["applied"]), (&json!(3), &json!(2), &json!(false)), "{dry}");
    let done = common::data(run(false, &w.auc, file.clone()).await)["importNeeds"].clone();
    assert_eq!(done["applied"], true, "{done}");

    let q = "query($p: ID!) { needs(filter: { planId: $p }) { edges { node { id title status priority \
             dreamProjectId roles { title seats hoursPerWeek interpreterAvailable skills { skill { code } minLevel \
             essential } languages { language level } } } } } }";
    let d = w.s.ok(q, json!({ "p": w.plan }), w.auc.auth()).await;
    let needs = common::nodes(&d["needs"]);
    let heat = needs.iter().find(|n| n["dreamProjectId"] == "DREAM-UA-2027-0142").expect("the heat need");
    assert_eq!((&heat["status"], &heat["priority"]), (&json!("DRAFT"), &json!("HIGH")));
    assert_eq!(heat["roles"][0]["title"], "Heat network engineer");
    assert_eq!(
        heat["roles"][0]["skills"],
        json!([
            { "skill": { "code": "DISTRICT_HEATING" }, "minLevel": 4, "essential": true },
            { "skill": { "code": "RENEWABLE_ENERGY" }, "minLevel": 3, "essential": false }
        ])
    );
    assert_eq!(heat["roles"][1]["interpreterAvailable"], true);
    let water = needs.iter().find(|n| n["dreamProjectId"] == "AUC-LVIV-17").expect("the water need");
    assert_eq!(
        water["roles"][0]["languages"],
        json!([{ "language": "en", "level": "B2" }, { "language": "uk", "level": "B1" }])
    );

    // Again: nothing changes. Once a need is open, the list must match it.
    let again = common::data(run(false, &w.auc, file.clone()).await)["importNeeds"].clone();
    assert_eq!((&again["created"], &again["updated"], &again["unchanged"]), (&json!(0), &json!(0), &json!(2)));
    let id = str_at(water, "/id");
    w.s.ok("mutation($id: ID!) { openNeed(id: $id) { status } }", json!({ "id": id }), w.hromada.auth()).await;
    let mut table = read(&file, "file").expect("the fixture reads");
    let changed = {
        let mut rows: Vec<Vec<String>> = table.rows.drain(..).map(|(_, r)| r).collect();
        rows[2][9] = "3".into(); // three water engineers
        let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        recovery_pool::service::sheet::write(recovery_pool::service::sheet::SheetFormat::Csv, "n", &headers, &rows)
            .expect("written")
            .bytes
    };
    let refused = common::data(run(false, &w.auc, changed).await)["importNeeds"].clone();
    assert_eq!(problems(&refused), [(4, "reference".to_string())], "{refused}");
    assert!(str_at(&refused, "/problems/0/message").contains("OPEN"), "{refused}");

    // Each problem of a broken list by row and column; nothing written.
    let before = w.s.count("needs", "", w.auc.auth()).await;
    let bad = common::data(run(false, &w.auc, fixture("needs-with-problems.csv")).await)["importNeeds"].clone();
    assert_eq!(
        problems(&bad),
        [
            (2, "end_date".to_string()),
            (3, "priority".to_string()),
            (3, "skills".to_string()),
            (5, "need".to_string()),
            (6, "reference".to_string()),
        ],
        "{bad}"
    );
    assert_eq!(w.s.count("needs", "", w.auc.auth()).await, before);

    // Another hromada's officer cannot bring needs into Lviv's plan.
    let body = run(true, &w.other_hromada, file).await;
    let e = first_error(&body);
    assert!(matches!(common::code(&e), Some("FORBIDDEN" | "BAD_USER_INPUT")), "{body}");
}
