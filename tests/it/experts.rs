//! Experts in the pool: who volunteers them, who edits them, who sees their contact details (docs/roles.md), and
//! how the list filters and pages.

use crate::common;

use std::collections::{HashMap, HashSet};

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, ids, nodes, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    a_municipality_officer_volunteers_an_expert_of_their_own_municipality,
    experts_cannot_be_created_outside_ones_scope_or_on_the_recovering_side,
    an_expert_edits_their_own_profile_and_no_one_elses,
    contact_details_are_shown_only_to_those_who_need_them,
    filters_by_skill_level_language_and_text_find_exactly_the_matching_experts,
    pages_are_stable_and_complete,
    filters_by_availability_mode_free_hours_and_region_and_sorts_with_stable_pages,
    a_sheet_of_experts_goes_out_and_comes_back_in_all_or_nothing,
);

const EXPERT_FIELDS: &str = "id name email phone contactVisibleToMe consentDate jobTitle bio hoursPerWeek availableFrom \
    availableUntil modes status municipality { code } skills { level years skill { code } } languages { language level }";

async fn create_expert(s: &TestServer, by: &User, municipality: &str, profile: Value) -> Value {
    let q = format!(
        "mutation($m: ID!, $p: ExpertProfileInput!) {{ createExpert(municipalityId: $m, profile: $p) {{ {EXPERT_FIELDS} }} }}"
    );
    s.ok(&q, json!({ "m": municipality, "p": profile }), by.auth()).await["createExpert"].clone()
}

async fn a_municipality_officer_volunteers_an_expert_of_their_own_municipality(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let skills = s.skill_ids(officer.auth()).await;
    let profile = expert_profile(
        "Anna de Vries",
        "Senior heat transition advisor",
        &[(&skills["ENERGY_EFFICIENCY"], 3), (&skills["DISTRICT_HEATING"], 5)],
        &[("nl", "NATIVE"), ("EN", "C1"), ("uk", "A2")],
    );
    let e = create_expert(&s, &officer, &s.mid(codes::UTRECHT).await, profile).await;
    assert_eq!(e["name"], "Anna de Vries");
    assert_eq!(e["municipality"]["code"], codes::UTRECHT);
    assert_eq!(e["status"], "ACTIVE");
    assert_eq!(e["modes"], json!(["REMOTE", "HOSTING"]));
    assert_eq!(e["availableUntil"], "2027-12-31");
    assert_eq!(e["email"], "anna.de.vries@gemeente.test", "the own officer sees the contact details");
    let skill_levels: Vec<(String, i64)> = e["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| (str_at(s, "/skill/code"), s["level"].as_i64().expect("level")))
        .collect();
    assert_eq!(
        skill_levels,
        [("DISTRICT_HEATING".to_string(), 5), ("ENERGY_EFFICIENCY".to_string(), 3)],
        "highest level first"
    );
    let languages: HashSet<(String, String)> = e["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .map(|l| (str_at(l, "/language"), str_at(l, "/level")))
        .collect();
    let expected: HashSet<(String, String)> =
        [("nl", "NATIVE"), ("en", "C1"), ("uk", "A2")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(languages, expected, "language codes are lower-cased");

    // It is in the pool for everyone signed in, and the creation is audited.
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let id = str_at(&e, "/id");
    let seen = s.ok("query($id: ID!) { expert(id: $id) { name jobTitle } }", json!({ "id": id }), auc.auth()).await;
    assert_eq!(seen["expert"]["jobTitle"], "Senior heat transition advisor");
    let admin = s.admin().await;
    let log = s
        .ok(
            "query($o: ID!) { auditEvents(filter: { objectId: $o }) { edges { node { action actorId } } } }",
            json!({ "o": id }),
            admin.auth(),
        )
        .await;
    let events = nodes(&log["auditEvents"]);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "expert.create");
    assert_eq!(events[0]["actorId"], officer.id.as_str());
}

async fn experts_cannot_be_created_outside_ones_scope_or_on_the_recovering_side(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let skills = s.skill_ids(officer.auth()).await;
    let profile = expert_profile("Out Of Scope", "Planner", &[(&skills["ZONING"], 3)], &[("en", "B2")]);
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let before = s.counts(&admin).await;

    // Another municipality's staff is not this officer's to lend.
    let amsterdam = s.mid(codes::AMSTERDAM).await;
    assert_code(&s.fails(q, json!({ "m": amsterdam, "p": profile }), officer.auth()).await, "FORBIDDEN");
    // Neither the Ukrainian side nor the coordinators volunteer staff.
    for role in [Role::HromadaOfficer, Role::NeedsCoordinator, Role::PoolCoordinator, Role::FundOfficer] {
        let code = (role == Role::HromadaOfficer).then_some(codes::LVIV);
        let u = s.user(role, code).await;
        assert_code(&s.fails(q, json!({ "m": amsterdam, "p": profile }), u.auth()).await, "FORBIDDEN");
    }
    // Not even an admin puts an expert in a Ukrainian municipality.
    let e = s.fails(q, json!({ "m": s.mid(codes::KYIV).await, "p": profile }), admin.auth()).await;
    assert_bad_input(&e, "municipalityId");
    let e = s.fails(q, json!({ "m": uuid::Uuid::new_v4().to_string(), "p": profile }), admin.auth()).await;
    assert_bad_input(&e, "municipalityId");

    let after = s.counts(&admin).await;
    assert_eq!(after.experts, before.experts, "no expert was created");
    assert_eq!(after.audit_events, before.audit_events + 4, "only the four new accounts were audited");
    // The admin may volunteer into any contributing municipality.
    s.ok(q, json!({ "m": amsterdam, "p": profile }), admin.auth()).await;
}

async fn an_expert_edits_their_own_profile_and_no_one_elses(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let skills = s.skill_ids(officer.auth()).await;
    let utrecht = s.mid(codes::UTRECHT).await;
    let mine = create_expert(
        &s,
        &officer,
        &utrecht,
        expert_profile("Pieter Jansen", "Water engineer", &[(&skills["WATER_SUPPLY"], 4)], &[("nl", "NATIVE")]),
    )
    .await;
    let theirs = create_expert(
        &s,
        &officer,
        &utrecht,
        expert_profile("Sanne Bakker", "Planner", &[(&skills["ZONING"], 3)], &[("nl", "NATIVE")]),
    )
    .await;
    let (mine_id, theirs_id) = (str_at(&mine, "/id"), str_at(&theirs, "/id"));
    let expert = s.expert_user(&mine_id).await;

    let mut profile = expert_profile(
        "Pieter Jansen",
        "Head of drinking water",
        &[(&skills["WATER_SUPPLY"], 5), (&skills["WATER_UTILITY_MANAGEMENT"], 3)],
        &[("nl", "NATIVE"), ("en", "B2")],
    );
    profile["availableUntil"] = json!("2026-12-31");
    profile["phone"] = json!("+31 6 1234 5678");
    profile["modes"] = json!(["REMOTE"]);
    let q = format!(
        "mutation($id: ID!, $p: ExpertProfileInput!) {{ updateExpert(id: $id, profile: $p) {{ {EXPERT_FIELDS} }} }}"
    );
    let updated = s.ok(&q, json!({ "id": mine_id, "p": profile }), expert.auth()).await["updateExpert"].clone();
    assert_eq!(updated["jobTitle"], "Head of drinking water");
    assert_eq!(updated["availableUntil"], "2026-12-31");
    assert_eq!(updated["phone"], "+31 6 1234 5678");
    assert_eq!(updated["modes"], json!(["REMOTE"]));
    assert_eq!(updated["municipality"]["code"], codes::UTRECHT, "the employer does not change");
    let codes_now: Vec<String> =
        updated["skills"].as_array().expect("skills").iter().map(|s| str_at(s, "/skill/code")).collect();
    assert_eq!(codes_now, ["WATER_SUPPLY", "WATER_UTILITY_MANAGEMENT"], "skills replaced, highest level first");
    assert_eq!(updated["languages"].as_array().map(Vec::len), Some(2));
    let reread = s
        .ok(
            &format!("query($id: ID!) {{ expert(id: $id) {{ {EXPERT_FIELDS} }} }}"),
            json!({ "id": mine_id }),
            expert.auth(),
        )
        .await;
    assert_eq!(reread["expert"], updated, "what was written reads back");

    let q_status = "mutation($id: ID!) { setExpertStatus(id: $id, status: PAUSED) { status } }";
    assert_eq!(s.ok(q_status, json!({ "id": mine_id }), expert.auth()).await["setExpertStatus"]["status"], "PAUSED");

    // Not a colleague's profile, and not another municipality's officer either.
    let other_officer = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let before = s
        .ok(
            &format!("query($id: ID!) {{ expert(id: $id) {{ {EXPERT_FIELDS} }} }}"),
            json!({ "id": theirs_id }),
            officer.auth(),
        )
        .await;
    for who in [&expert, &other_officer] {
        assert_code(&s.fails(&q, json!({ "id": theirs_id, "p": profile }), who.auth()).await, "FORBIDDEN");
        assert_code(&s.fails(q_status, json!({ "id": theirs_id }), who.auth()).await, "FORBIDDEN");
    }
    let after = s
        .ok(
            &format!("query($id: ID!) {{ expert(id: $id) {{ {EXPERT_FIELDS} }} }}"),
            json!({ "id": theirs_id }),
            officer.auth(),
        )
        .await;
    assert_eq!(after, before, "the colleague's profile is unchanged");
    // Their own officer may.
    let edited = s.ok(&q, json!({ "id": theirs_id, "p": profile }), officer.auth()).await;
    assert_eq!(edited["updateExpert"]["jobTitle"], "Head of drinking water");

    let admin = s.admin().await;
    let log = s
        .ok(
            "query($o: ID!) { auditEvents(filter: { objectId: $o }) { edges { node { action actorRole } } } }",
            json!({ "o": mine_id }),
            admin.auth(),
        )
        .await;
    let story: Vec<(String, String)> =
        nodes(&log["auditEvents"]).iter().rev().map(|e| (str_at(e, "/action"), str_at(e, "/actorRole"))).collect();
    let expected =
        [("expert.create", "MUNICIPALITY_OFFICER"), ("expert.update", "EXPERT"), ("expert.set_status", "EXPERT")];
    assert_eq!(story, expected.map(|(a, r)| (a.to_string(), r.to_string())));
}

async fn contact_details_are_shown_only_to_those_who_need_them(b: Backend) {
    let s = b.start().await;
    let own_officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let skills = s.skill_ids(own_officer.auth()).await;
    let e = create_expert(
        &s,
        &own_officer,
        &s.mid(codes::UTRECHT).await,
        expert_profile("Eva Visser", "Participation lead", &[(&skills["CITIZEN_PARTICIPATION"], 4)], &[("en", "C1")]),
    )
    .await;
    let id = str_at(&e, "/id");
    let colleague = create_expert(
        &s,
        &own_officer,
        &s.mid(codes::UTRECHT).await,
        expert_profile("Bram Smit", "Budget advisor", &[(&skills["MUNICIPAL_BUDGETING"], 3)], &[("en", "B2")]),
    )
    .await;

    let mut see = vec![
        ("the expert", s.expert_user(&id).await),
        ("their own municipality officer", own_officer.clone()),
        ("a pool coordinator", s.user(Role::PoolCoordinator, None).await),
        ("an admin", s.admin().await),
    ];
    let not_see = vec![
        ("another municipality's officer", s.user(Role::MunicipalityOfficer, Some(codes::ROTTERDAM)).await),
        ("a needs coordinator", s.user(Role::NeedsCoordinator, None).await),
        ("a hromada officer", s.user(Role::HromadaOfficer, Some(codes::LVIV)).await),
        ("a fund officer", s.user(Role::FundOfficer, None).await),
        ("a colleague expert", s.expert_user(&str_at(&colleague, "/id")).await),
    ];
    let one = "query($id: ID!) { expert(id: $id) { name jobTitle email phone consentDate contactVisibleToMe skills { level } } }";
    let list = "query($m: ID!) { experts(filter: { municipalityId: $m }) { edges { node { id name email phone consentDate contactVisibleToMe } } } }";
    let utrecht = s.mid(codes::UTRECHT).await;
    for (visible, who) in see.drain(..).map(|w| (true, w)).chain(not_see.into_iter().map(|w| (false, w))) {
        let (label, user) = who;
        let single = s.ok(one, json!({ "id": id }), user.auth()).await["expert"].clone();
        let listed = s.ok(list, json!({ "m": utrecht }), user.auth()).await;
        let in_list =
            nodes(&listed["experts"]).into_iter().find(|n| n["id"] == id.as_str()).expect("the expert is listed");
        for (where_, node) in [("expert(id)", &single), ("experts", &in_list)] {
            assert_eq!(node["name"], "Eva Visser", "{label} sees the name");
            assert_eq!(node["contactVisibleToMe"], visible, "{label} in {where_}: {node}");
            if visible {
                assert_eq!(node["email"], "eva.visser@gemeente.test", "{label} in {where_}");
                assert_eq!(node["phone"], "+31 30 000 0000", "{label} in {where_}");
                assert_eq!(node["consentDate"], "2025-11-01", "{label} in {where_}");
            } else {
                assert_eq!(node["email"], Value::Null, "{label} in {where_}");
                assert_eq!(node["phone"], Value::Null, "{label} in {where_}");
                assert_eq!(node["consentDate"], Value::Null, "{label} in {where_}");
            }
        }
        assert_eq!(single["jobTitle"], "Participation lead", "{label} sees the job title");
        assert_eq!(single["skills"][0]["level"], 4, "{label} sees the skills");
    }
    // The contact details never travel in the clear to someone who may not see them, not even in an error.
    let fund = s.user(Role::FundOfficer, None).await;
    let body = s.gql(list, json!({ "m": utrecht }), fund.auth()).await;
    assert!(!body.to_string().contains("eva.visser@"), "{body}");
}

/// One seeded expert and what the filters should make of it.
struct Seeded {
    id: String,
    municipality: &'static str,
    heating_level: i64,
    housing_level: Option<i64>,
    languages: Vec<&'static str>,
    name: String,
    job_title: &'static str,
}

/// Twelve experts in Utrecht and Amsterdam with varied skills, levels, languages, names and job titles,
/// created in this order (so the list's order is this order).
async fn seed_pool(s: &TestServer, admin: &User) -> Vec<Seeded> {
    let skills = s.skill_ids(admin.auth()).await;
    let surnames = ["Kovalenko", "de Jong", "Bakker", "Shevchenko", "Visser", "Smit"];
    let mut out = Vec::new();
    let mut municipality_ids = HashMap::new();
    for code in [codes::UTRECHT, codes::AMSTERDAM] {
        municipality_ids.insert(code, s.mid(code).await);
    }
    for i in 0..12_usize {
        let municipality = if i % 2 == 0 { codes::UTRECHT } else { codes::AMSTERDAM };
        let heating_level = (i % 5) as i64 + 1;
        let housing_level = (i % 3 == 0).then_some(3);
        let mut languages = vec!["nl"];
        if i % 2 == 0 {
            languages.push("en");
        }
        if i % 4 == 0 {
            languages.push("uk");
        }
        let name = format!("Expert {i:02} {}", surnames[i % surnames.len()]);
        let job_title = if i % 3 == 1 { "Heat Network Engineer" } else { "Policy advisor" };
        let mut skill_list = vec![(skills["DISTRICT_HEATING"].as_str(), heating_level)];
        if let Some(l) = housing_level {
            skill_list.push((skills["SOCIAL_HOUSING"].as_str(), l));
        }
        let langs: Vec<(&str, &str)> =
            languages.iter().map(|l| (*l, if *l == "nl" { "NATIVE" } else { "B2" })).collect();
        let e = create_expert(
            s,
            admin,
            &municipality_ids[municipality],
            expert_profile(&name, job_title, &skill_list, &langs),
        )
        .await;
        out.push(Seeded {
            id: str_at(&e, "/id"),
            municipality,
            heating_level,
            housing_level,
            languages,
            name,
            job_title,
        });
    }
    out
}

/// All pages of `experts(filter)` of size `first`: the ids in order, and each page's (size, hasNextPage, totalCount).
async fn walk(s: &TestServer, user: &User, filter: Value, first: i64) -> (Vec<String>, Vec<(usize, bool, i64)>) {
    let q = "query($f: ExpertFilterInput, $first: Int, $after: String) { experts(filter: $f, first: $first, after: $after) { \
             totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";
    let (mut all, mut pages, mut after) = (Vec::new(), Vec::new(), Value::Null);
    loop {
        let d = s.ok(q, json!({ "f": filter, "first": first, "after": after }), user.auth()).await;
        let c = &d["experts"];
        let page = ids(c);
        let has_next = c["pageInfo"]["hasNextPage"].as_bool().expect("hasNextPage");
        pages.push((page.len(), has_next, c["totalCount"].as_i64().expect("totalCount")));
        if let Some(last) = c["edges"].as_array().and_then(|e| e.last()) {
            assert_eq!(last["cursor"], c["pageInfo"]["endCursor"], "endCursor is the last edge's cursor");
        }
        all.extend(page);
        if !has_next {
            return (all, pages);
        }
        after = c["pageInfo"]["endCursor"].clone();
        assert!(pages.len() < 50, "paging ends");
    }
}

async fn filters_by_skill_level_language_and_text_find_exactly_the_matching_experts(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let pool = seed_pool(&s, &admin).await;
    let reader = s.user(Role::NeedsCoordinator, None).await;
    let skills = s.skill_ids(admin.auth()).await;
    let expect = |keep: &dyn Fn(&Seeded) -> bool| -> Vec<String> {
        pool.iter().filter(|e| keep(e)).map(|e| e.id.clone()).collect()
    };

    let heating = &skills["DISTRICT_HEATING"];
    let housing = &skills["SOCIAL_HOUSING"];
    let utrecht = s.mid(codes::UTRECHT).await;
    let cases: Vec<(&str, Value, Vec<String>)> = vec![
        (
            "heating at level 4 or above",
            json!({ "skillId": heating, "minLevel": 4 }),
            expect(&|e| e.heating_level >= 4),
        ),
        ("heating at any level", json!({ "skillId": heating }), expect(&|_| true)),
        ("heating at level 5", json!({ "skillId": heating, "minLevel": 5 }), expect(&|e| e.heating_level == 5)),
        ("housing at level 3", json!({ "skillId": housing, "minLevel": 3 }), expect(&|e| e.housing_level.is_some())),
        ("housing at level 4", json!({ "skillId": housing, "minLevel": 4 }), vec![]),
        ("Ukrainian speakers", json!({ "language": "uk" }), expect(&|e| e.languages.contains(&"uk"))),
        ("English speakers, written loosely", json!({ "language": " EN " }), expect(&|e| e.languages.contains(&"en"))),
        ("Esperanto speakers", json!({ "language": "eo" }), vec![]),
        ("a surname, any case", json!({ "search": "kovalENKO" }), expect(&|e| e.name.contains("Kovalenko"))),
        (
            "a job title, any case",
            json!({ "search": "network engineer" }),
            expect(&|e| e.job_title == "Heat Network Engineer"),
        ),
        ("a LIKE wildcard is literal", json!({ "search": "%" }), vec![]),
        ("Utrecht's", json!({ "municipalityId": utrecht }), expect(&|e| e.municipality == codes::UTRECHT)),
        (
            "English speakers with heating at 3+",
            json!({ "language": "en", "skillId": heating, "minLevel": 3 }),
            expect(&|e| e.languages.contains(&"en") && e.heating_level >= 3),
        ),
    ];
    for (what, filter, expected) in cases {
        let (found, pages) = walk(&s, &reader, filter.clone(), 100).await;
        assert_eq!(found, expected, "{what}: {filter}");
        assert_eq!(pages[0].2, expected.len() as i64, "{what}: totalCount");
        // The same through small pages.
        let (paged, _) = walk(&s, &reader, filter, 2).await;
        assert_eq!(paged, expected, "{what} in pages of 2");
    }

    // Status: a paused expert leaves the ACTIVE list.
    let q = "mutation($id: ID!) { setExpertStatus(id: $id, status: PAUSED) { status } }";
    s.ok(q, json!({ "id": pool[3].id }), admin.auth()).await;
    let (active, _) = walk(&s, &reader, json!({ "status": "ACTIVE" }), 100).await;
    assert_eq!(active, expect(&|e| e.id != pool[3].id));
    let (paused, _) = walk(&s, &reader, json!({ "status": "PAUSED" }), 100).await;
    assert_eq!(paused, [pool[3].id.clone()]);

    // A malformed skill id in a filter names the field.
    let e = s.fails("{ experts(filter: { skillId: \"heating\" }) { totalCount } }", json!({}), reader.auth()).await;
    assert_bad_input(&e, "filter.skillId");
}

async fn pages_are_stable_and_complete(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let pool = seed_pool(&s, &admin).await;
    let reader = s.user(Role::PoolCoordinator, None).await;
    let everyone: Vec<String> = pool.iter().map(|e| e.id.clone()).collect();

    let (found, pages) = walk(&s, &reader, json!({}), 5).await;
    assert_eq!(found, everyone, "every expert once, in the order they joined");
    assert_eq!(pages, [(5, true, 12), (5, true, 12), (2, false, 12)]);
    let (found, pages) = walk(&s, &reader, json!({}), 12).await;
    assert_eq!(found, everyone);
    assert_eq!(pages, [(12, false, 12)], "an exact fit has no next page");
    let (found, pages) = walk(&s, &reader, json!({ "language": "en" }), 4).await;
    assert_eq!(found, pool.iter().filter(|e| e.languages.contains(&"en")).map(|e| e.id.clone()).collect::<Vec<_>>());
    assert_eq!(pages, [(4, true, 6), (2, false, 6)]);

    // The same page twice is the same page.
    let q = "query($after: String) { experts(first: 5, after: $after) { pageInfo { endCursor hasNextPage } edges { cursor node { id } } } }";
    let first = s.ok(q, json!({ "after": null }), reader.auth()).await;
    assert_eq!(s.ok(q, json!({ "after": null }), reader.auth()).await, first);

    // Someone joining while a reader pages does not shift the pages: nothing is skipped or seen twice.
    let cursor = first["experts"]["pageInfo"]["endCursor"].clone();
    let skills = s.skill_ids(admin.auth()).await;
    let newcomer = create_expert(
        &s,
        &admin,
        &s.mid(codes::EINDHOVEN).await,
        expert_profile("Late Joiner", "Planner", &[(&skills["ZONING"], 2)], &[("en", "B1")]),
    )
    .await;
    let mut seen = ids(&first["experts"]);
    let mut after = cursor;
    loop {
        let d = s.ok(q, json!({ "after": after }), reader.auth()).await;
        seen.extend(ids(&d["experts"]));
        if d["experts"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = d["experts"]["pageInfo"]["endCursor"].clone();
    }
    let mut expected = everyone.clone();
    expected.push(str_at(&newcomer, "/id"));
    assert_eq!(seen, expected);
    assert_eq!(s.count("experts", "", reader.auth()).await, 13);
}

async fn filters_by_availability_mode_free_hours_and_region_and_sorts_with_stable_pages(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let skills = s.skill_ids(admin.auth()).await;
    let heat = skills["DISTRICT_HEATING"].clone();
    let mut ids_by_name = HashMap::new();
    // (name, municipality, hours, from, until, modes)
    let people = [
        ("Carla Smit", codes::UTRECHT, 20, "2026-01-01", Some("2026-06-30"), vec!["REMOTE"]),
        ("Anne Bakker", codes::UTRECHT, 8, "2026-03-01", None, vec!["ON_SITE"]),
        ("Bram de Wit", codes::AMSTERDAM, 12, "2026-01-01", Some("2027-12-31"), vec!["REMOTE", "HOSTING"]),
    ];
    for (name, code, hours, from, until, modes) in &people {
        let mut p = expert_profile(name, "Engineer", &[(&heat, 4)], &[("en", "B2")]);
        p["hoursPerWeek"] = json!(hours);
        p["availableFrom"] = json!(from);
        p["availableUntil"] = json!(until);
        p["modes"] = json!(modes);
        let e = create_expert(&s, &admin, &s.mid(code).await, p).await;
        ids_by_name.insert(name.to_string(), str_at(&e, "/id"));
    }
    let names = |d: &Value| -> Vec<String> {
        d["experts"]["edges"].as_array().map_or(vec![], |e| e.iter().map(|n| str_at(&n["node"], "/name")).collect())
    };
    let find = |filter: Value| {
        let s = &s;
        let admin = &admin;
        async move {
            let q = "query($f: ExpertFilterInput) { experts(filter: $f, first: 100) { totalCount edges { node { name } } } }";
            let d = s.ok(q, json!({ "f": filter }), admin.auth()).await;
            let mut found = names(&d);
            found.sort();
            assert_eq!(d["experts"]["totalCount"].as_u64(), Some(found.len() as u64), "the count agrees with the list");
            found
        }
    };
    assert_eq!(find(json!({ "availableFrom": "2026-02-01", "availableUntil": "2026-12-31" })).await, ["Bram de Wit"]);
    assert_eq!(find(json!({ "availableFrom": "2026-04-01" })).await, ["Anne Bakker", "Bram de Wit", "Carla Smit"]);
    assert_eq!(find(json!({ "mode": "ON_SITE" })).await, ["Anne Bakker"]);
    assert_eq!(find(json!({ "mode": "HOSTING" })).await, ["Bram de Wit"]);
    assert_eq!(find(json!({ "minFreeHours": 12 })).await, ["Bram de Wit", "Carla Smit"]);
    let amsterdam_region = {
        let d = s
            .ok(
                "query($id: ID!) { municipality(id: $id) { region } }",
                json!({ "id": s.mid(codes::AMSTERDAM).await }),
                admin.auth(),
            )
            .await;
        str_at(&d, "/municipality/region")
    };
    assert_eq!(find(json!({ "region": amsterdam_region })).await, ["Bram de Wit"]);

    // Sorted lists page without losing or repeating anyone, one at a time.
    for (order, expected) in [
        ("NAME", vec!["Anne Bakker", "Bram de Wit", "Carla Smit"]),
        ("MOST_FREE_HOURS", vec!["Carla Smit", "Bram de Wit", "Anne Bakker"]),
    ] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let q = "query($o: ExpertOrder, $a: String) { experts(filter: { order: $o, skillId: null }, first: 1, after: $a) \
                     { pageInfo { hasNextPage endCursor } edges { node { name } } } }";
            let d = s.ok(q, json!({ "o": order, "a": after }), admin.auth()).await;
            seen.extend(names(&d));
            if d["experts"]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = d["experts"]["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        let ours: Vec<&str> = seen.iter().map(String::as_str).filter(|n| ids_by_name.contains_key(*n)).collect();
        assert_eq!(ours, expected, "{order}");
    }
    // A filter nobody meets finds nobody.
    let d = s.ok("query { experts(filter: { minFreeHours: 1000 }) { totalCount } }", json!({}), admin.auth()).await;
    assert_eq!(d["experts"]["totalCount"], 0);
}

const IMPORT: &str = "mutation($m: ID!, $c: String!, $d: Boolean) { importExperts(municipalityId: $m, csv: $c, dryRun: $d) \
    { rows created updated applied problems { row column message } } }";

async fn a_sheet_of_experts_goes_out_and_comes_back_in_all_or_nothing(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let other = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let utrecht = s.mid(codes::UTRECHT).await;
    let skills = s.skill_ids(officer.auth()).await;
    let anna = expert_profile("Anna Visser", "Engineer", &[(&skills["DISTRICT_HEATING"], 4)], &[("en", "B2")]);
    create_expert(&s, &officer, &utrecht, anna).await;
    let export = "query($m: ID!) { expertsCsv(municipalityId: $m) }";
    let csv = str_at(&s.ok(export, json!({ "m": utrecht }), officer.auth()).await, "/expertsCsv");
    let mut lines = csv.lines();
    assert!(lines.next().is_some_and(|h| h.starts_with("name,email,phone,job_title")), "{csv}");
    let anna_line = lines.next().expect("Anna's row");
    assert!(anna_line.contains("DISTRICT_HEATING:4:5") && anna_line.contains("en:B2"), "{anna_line}");

    // Brought back with a change to Anna and a new colleague, semicolon-separated as Dutch spreadsheets save it
    // (cells holding lists are then quoted).
    let sheet = "name;email;job_title;hours_per_week;available_from;available_until;modes;skills;languages;consent_date\n\
                 Anna Visser;anna.visser@gemeente.test;Lead engineer;12;2026-01-01;;REMOTE;DISTRICT_HEATING:5;en:C1;2025-11-01\n\
                 Bram de Wit;bram@utrecht.test;Planner;8;2027-01-01;2027-12-31;\"REMOTE; ON_SITE\";RENEWABLE_ENERGY:3;\"nl:NATIVE; en:B2\";2026-11-01\n";
    let dry = s.ok(IMPORT, json!({ "m": utrecht, "c": sheet, "d": true }), officer.auth()).await;
    assert_eq!(
        dry["importExperts"],
        json!({ "rows": 2, "created": 1, "updated": 1, "applied": false, "problems": [] })
    );
    let done = s.ok(IMPORT, json!({ "m": utrecht, "c": sheet }), officer.auth()).await;
    assert_eq!(done["importExperts"]["applied"], true);
    let list = s.ok("query($m: ID!) { experts(filter: { municipalityId: $m, order: NAME }) { edges { node { name jobTitle hoursPerWeek modes } } } }", json!({ "m": utrecht }), officer.auth()).await;
    let names: Vec<(String, String)> = list["experts"]["edges"]
        .as_array()
        .map_or(vec![], |e| e.iter().map(|n| (str_at(&n["node"], "/name"), str_at(&n["node"], "/jobTitle"))).collect());
    assert_eq!(
        names,
        [("Anna Visser".to_string(), "Lead engineer".to_string()), ("Bram de Wit".to_string(), "Planner".to_string())]
    );

    // A sheet with a problem writes nothing, and says where each problem is.
    let bad = "name,email,job_title,hours_per_week,available_from,modes,skills,languages,consent_date\n\
               Carla Smit,carla@utrecht.test,Engineer,8,2027-01-01,REMOTE,DISTRICT_HEATING:3,en:B2,2026-11-01\n\
               Dirk Jansen,dirk@utrecht.test,Engineer,eight,2027-01-01,REMOTE,PLUMBING:3,en:B2,2026-11-01\n\
               Eva Smit,carla@utrecht.test,Engineer,8,2027-01-01,REMOTE,DISTRICT_HEATING:3,en:B2,2026-11-01\n";
    let d = s.ok(IMPORT, json!({ "m": utrecht, "c": bad }), officer.auth()).await;
    let problems: Vec<(i64, String)> = d["importExperts"]["problems"]
        .as_array()
        .map_or(vec![], |p| p.iter().map(|p| (p["row"].as_i64().unwrap_or(0), str_at(p, "/column"))).collect());
    assert_eq!(problems, [(3, "hours_per_week".to_string()), (3, "skills".to_string()), (4, "email".to_string())]);
    assert_eq!(d["importExperts"]["applied"], false);
    let count = s
        .ok(
            "query($m: ID!) { experts(filter: { municipalityId: $m }) { totalCount } }",
            json!({ "m": utrecht }),
            officer.auth(),
        )
        .await;
    assert_eq!(count["experts"]["totalCount"], 2, "Carla's good row was not written either");
    // Only the municipality's own officers bring sheets in or take them out.
    assert_code(
        &common::first_error(&s.gql(IMPORT, json!({ "m": utrecht, "c": sheet }), other.auth()).await),
        "FORBIDDEN",
    );
    assert_code(&common::first_error(&s.gql(export, json!({ "m": utrecht }), other.auth()).await), "FORBIDDEN");
    let missing = s.gql(IMPORT, json!({ "m": utrecht, "c": "name,email\nX,x@y.test\n" }), officer.auth()).await;
    assert_bad_input(&common::first_error(&missing), "file");
}
