//! The network around the pool over HTTP on both engines (docs/network.md): information sessions with a waiting
//! list under concurrent registration, ties that feed the matching's continuity once confirmed, participation
//! and contacts, reception offers, and bad input that changes nothing.

use crate::common;

use chrono::{Duration, Utc};
use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, first_error, str_at};
use futures_util::future::join_all;
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use serde_json::{Value, json};

backend_tests!(
    fifty_concurrent_registrations_for_ten_seats_give_exactly_ten_and_the_waiting_list_moves_up,
    a_tie_confirmed_by_the_other_side_counts_as_continuity_in_the_matching,
    members_contacts_and_reception_places_reach_the_coordinators_and_the_public_figures,
    bad_network_input_names_the_field_and_changes_nothing,
    an_interpreter_of_a_partner_associations_municipality_is_matched_assigned_and_counted_in_the_ledger,
);

const CREATE: &str = "mutation($i: InfoSessionInput!) { createInfoSession(input: $i) { id startsLocal onlineLink } }";
const REGISTER: &str = "mutation($s: ID!, $m: ID!, $p: [AttendeeInput!]!) { registerForSession(sessionId: $s, municipalityId: $m, people: $p) { id status attendance } }";

/// Local Dutch time `days` from now at 14:00, as the API takes it.
fn local(days: i64, hour: u32) -> String {
    format!("{}T{hour:02}:00:00", (Utc::now() + Duration::days(days)).date_naive())
}

fn session_input(seats_in_person: i32, seats_online: i32) -> Value {
    json!({
        "titleEn": "Information session: the network pool", "titleNl": "Informatiebijeenkomst: de netwerkpool",
        "descriptionEn": "How municipalities lend experts and give to the fund.",
        "startsAt": local(30, 14), "endsAt": local(30, 16), "mode": "HYBRID",
        "place": "VNG, Nassaulaan 12, The Hague", "onlineLink": "https://meet.example.org/vng-ukraine",
        "capacityInPerson": seats_in_person, "capacityOnline": seats_online, "registrationDeadline": local(28, 12)
    })
}

/// A need of an endorsed Lviv plan, from `common::need_input`, placed by AUC: (need id, its first role's id).
async fn endorsed_lviv_need(
    s: &TestServer,
    auc: &User,
    skills: &std::collections::HashMap<String, String>,
    plan_title: &str,
) -> (String, String) {
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": common::plan_input(plan_title) }), auc.auth()).await;
    let plan = str_at(&d, "/createPlan/id");
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
    let d = s.ok(q, json!({ "p": plan, "i": common::need_input("Heat network", skills) }), auc.auth()).await;
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan }), auc.auth()).await;
    }
    (str_at(&d, "/createNeed/id"), str_at(&d, "/createNeed/roles/0/id"))
}

async fn sql_count(s: &TestServer, sql: &str) -> i64 {
    let row: (i64,) = match &s.services.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .expect("the count reads");
    row.0
}

async fn fifty_concurrent_registrations_for_ten_seats_give_exactly_ten_and_the_waiting_list_moves_up(b: Backend) {
    let s = b.start().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let d = s.ok(CREATE, json!({ "i": session_input(10, 5) }), coordinator.auth()).await;
    let session = str_at(&d, "/createInfoSession/id");
    assert!(str_at(&d, "/createInfoSession/startsLocal").ends_with("14:00 CET"), "{d}");
    let mut officers: Vec<(User, String)> = Vec::new();
    for code in [codes::AMSTERDAM, codes::UTRECHT, codes::ROTTERDAM, codes::EINDHOVEN, codes::LVIV] {
        let role = if code == codes::LVIV { Role::HromadaOfficer } else { Role::MunicipalityOfficer };
        officers.push((s.user(role, Some(code)).await, s.mid(code).await));
    }
    // The online link is for registered people only.
    let q = "{ infoSessions { id onlineLink } }";
    assert_eq!(s.ok(q, json!({}), officers[0].0.auth()).await["infoSessions"][0]["onlineLink"], Value::Null);

    let tasks = (0..50).map(|i| {
        let (officer, municipality) = &officers[i % officers.len()];
        let body = json!({ "query": REGISTER, "variables": { "s": session, "m": municipality,
            "p": [{ "name": format!("Person {i}"), "email": format!("person{i}@gemeente.test"), "attendance": "IN_PERSON" }] } });
        let (http, url, token) = (s.http.clone(), s.url("/graphql"), officer.token.clone());
        tokio::spawn(async move {
            let resp = http.post(url).bearer_auth(token).json(&body).send().await.expect("the server answers");
            (resp.status().as_u16(), resp.json::<Value>().await.expect("a JSON body"))
        })
    });
    let answers: Vec<(u16, Value)> = join_all(tasks).await.into_iter().map(|t| t.expect("the task runs")).collect();
    let mut registered = Vec::new();
    let mut waiting = 0;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
        let d = common::data(body.clone());
        match str_at(&d, "/registerForSession/0/status").as_str() {
            "REGISTERED" => registered.push(str_at(&d, "/registerForSession/0/id")),
            "WAITING" => waiting += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((registered.len(), waiting), (10, 40), "exactly the ten seats are given");
    let held = "SELECT COUNT(*) FROM session_registrations WHERE status = 'REGISTERED' AND attendance = 'IN_PERSON'";
    assert_eq!(sql_count(&s, held).await, 10);

    // A cancellation moves the oldest waiting registration up.
    let oldest_waiting = "SELECT COUNT(*) FROM session_registrations WHERE status = 'WAITING'";
    let q = "mutation($id: ID!) { cancelRegistration(id: $id) { status } }";
    s.ok(q, json!({ "id": registered[0] }), coordinator.auth()).await;
    assert_eq!(sql_count(&s, held).await, 10, "the freed seat is taken from the waiting list");
    assert_eq!(sql_count(&s, oldest_waiting).await, 39);
    assert_eq!(sql_count(&s, "SELECT COUNT(*) FROM session_registrations WHERE promoted_at IS NOT NULL").await, 1);

    // Registered officers now see the link; the confirmation e-mails carry the calendar invitation.
    let with_seat = "SELECT COUNT(*) FROM email_outbox WHERE attachment_name = 'invitation.ics' AND attachment_body LIKE '%BEGIN:VCALENDAR%'";
    assert!(sql_count(&s, with_seat).await >= 50, "every confirmation carries the invitation");
    let seen = s.ok("{ infoSessions { onlineLink calendar } }", json!({}), officers[0].0.auth()).await;
    assert_eq!(seen["infoSessions"][0]["onlineLink"], json!("https://meet.example.org/vng-ukraine"));
    assert!(str_at(&seen, "/infoSessions/0/calendar").contains("BEGIN:VEVENT"));
    // Fewer seats than given is refused; more seats move the waiting list up.
    let cap = "mutation($s: ID!, $a: Int!, $b: Int!) { setSessionCapacity(sessionId: $s, capacityInPerson: $a, capacityOnline: $b) { capacityInPerson } }";
    assert_bad_input(
        &first_error(&s.gql(cap, json!({ "s": session, "a": 9, "b": 5 }), coordinator.auth()).await),
        "capacityInPerson",
    );
    s.ok(cap, json!({ "s": session, "a": 12, "b": 5 }), coordinator.auth()).await;
    assert_eq!(sql_count(&s, held).await, 12);
    let q = "query($s: ID!) { attendeeSheet(sessionId: $s) { base64 } }";
    assert!(!str_at(&s.ok(q, json!({ "s": session }), coordinator.auth()).await, "/attendeeSheet/base64").is_empty());
}

async fn a_tie_confirmed_by_the_other_side_counts_as_continuity_in_the_matching(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let skills = s.skill_ids(admin.auth()).await;
    let profile =
        common::expert_profile("Jan Bakker", "Heat engineer", &[(&skills["DISTRICT_HEATING"], 5)], &[("en", "C1")]);
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    s.ok(q, json!({ "m": s.mid(codes::UTRECHT).await, "p": profile }), admin.auth()).await;
    let (need, role) = endorsed_lviv_need(&s, &auc, &skills, "Heat for Lviv").await;
    let continuity = || async {
        let q =
            "query($n: ID!, $r: ID!) { candidates(needId: $n, roleId: $r, first: 5) { explanation { continuity } } }";
        let d = s.ok(q, json!({ "n": need, "r": role }), coordinator.auth()).await;
        d["candidates"][0]["explanation"]["continuity"].as_i64().expect("a continuity part")
    };
    assert_eq!(continuity().await, 0);

    let tie = json!({ "i": { "contributingMunicipalityId": s.mid(codes::UTRECHT).await, "recoveringMunicipalityId": s.mid(codes::LVIV).await,
        "kind": "PARTNERSHIP", "since": "2023-05-01", "contact": "International affairs desk" } });
    let q = "mutation($i: TieInput!) { recordTie(input: $i) { id enteredBySide confirmedAt } }";
    let d = s.ok(q, tie.clone(), utrecht.auth()).await;
    let id = str_at(&d, "/recordTie/id");
    assert_eq!(str_at(&d, "/recordTie/enteredBySide"), "CONTRIBUTING");
    assert_bad_input(&first_error(&s.gql(q, tie, utrecht.auth()).await), "kind");
    let confirm = "mutation($id: ID!) { confirmTie(id: $id) { confirmedAt } }";
    assert_bad_input(&first_error(&s.gql(confirm, json!({ "id": id }), utrecht.auth()).await), "id");
    assert_eq!(continuity().await, 0, "an unconfirmed tie does not count");
    let other = s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    assert_code(&first_error(&s.gql(confirm, json!({ "id": id }), other.auth()).await), "FORBIDDEN");
    s.ok(confirm, json!({ "id": id }), lviv.auth()).await;
    assert!(continuity().await > 0, "a confirmed tie is continuity");
    let seen =
        s.ok("{ ties { kind confirmedAt contributingMunicipality { name } } }", json!({}), coordinator.auth()).await;
    assert_eq!(seen["ties"][0]["contributingMunicipality"]["name"], json!("Utrecht"));
}

async fn members_contacts_and_reception_places_reach_the_coordinators_and_the_public_figures(b: Backend) {
    let s = b.start().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let expert_side = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let own = s.mid(codes::UTRECHT).await;
    let q = "mutation($m: ID!, $i: MembershipInput!) { setMembership(municipalityId: $m, input: $i) { status skillAreas } }";
    let i = json!({ "status": "ACTIVE", "offersExpertise": true, "offersMoney": true, "skillAreas": ["water_sanitation", "ENERGY"] });
    let d = s.ok(q, json!({ "m": own, "i": i }), utrecht.auth()).await;
    assert_eq!(d["setMembership"]["skillAreas"], json!(["WATER_SANITATION", "ENERGY"]));
    assert_code(&first_error(&s.gql(q, json!({ "m": own, "i": i }), expert_side.auth()).await), "FORBIDDEN");
    let q = "mutation($m: ID!, $i: ContactInput!) { addNetworkContact(municipalityId: $m, input: $i) { id } }";
    s.ok(q, json!({ "m": own, "i": { "name": "Eva de Wit", "roleTitle": "International affairs", "email": "eva@utrecht.test" } }), utrecht.auth()).await;
    let d = s
        .ok(
            "{ networkMembers { status offersMoney contacts { email } municipality { name } } }",
            json!({}),
            coordinator.auth(),
        )
        .await;
    assert_eq!(d["networkMembers"][0]["contacts"][0]["email"], json!("eva@utrecht.test"));
    assert_code(&first_error(&s.gql("{ networkMembers { status } }", json!({}), utrecht.auth()).await), "FORBIDDEN");

    let today = Utc::now().date_naive();
    let q = "mutation($i: ReceptionOfferInput!) { offerReception(input: $i) { id places contactName } }";
    let offer = json!({ "locationName": "Former school Oog in Al", "places": 40, "availableFrom": today.to_string(),
        "availableUntil": (today + Duration::days(60)).to_string(), "targetGroup": "Families", "contactName": "Eva de Wit", "contactEmail": "eva@utrecht.test" });
    let id = str_at(&s.ok(q, json!({ "i": offer }), utrecht.auth()).await, "/offerReception/id");
    let mut more = offer.clone();
    more["places"] = json!(55);
    let q = "mutation($id: ID!, $i: ReceptionOfferInput!) { updateReceptionOffer(id: $id, input: $i) { places } }";
    s.ok(q, json!({ "id": id, "i": more }), utrecht.auth()).await;
    let q = "query($f: NaiveDate!) { receptionPlaces(from: $f, weeks: 3) { province weeks { week places } } receptionOffers { contactName } receptionSheet { base64 } }";
    let d = s.ok(q, json!({ "f": today.to_string() }), coordinator.auth()).await;
    assert_eq!(d["receptionPlaces"][0]["province"], Value::Null, "nationwide first");
    assert_eq!(d["receptionPlaces"][0]["weeks"][1]["places"], json!(55));
    assert_eq!(d["receptionOffers"][0]["contactName"], json!("Eva de Wit"));
    let d = s.ok("{ publicStatistics { participatingMunicipalities receptionPlaces } }", json!({}), None).await;
    assert_eq!(d["publicStatistics"]["participatingMunicipalities"], json!(1));
    assert_eq!(d["publicStatistics"]["receptionPlaces"], json!(55));
}

async fn bad_network_input_names_the_field_and_changes_nothing(b: Backend) {
    let s = b.start().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let events = "SELECT COUNT(*) FROM audit_events";
    let before = sql_count(&s, events).await;
    for (field, value, named) in [
        ("endsAt", json!(local(30, 13)), "endsAt"),
        ("registrationDeadline", json!(local(31, 9)), "registrationDeadline"),
        ("onlineLink", json!("http://meet.example.org"), "onlineLink"),
        ("capacityOnline", json!(0), "capacityOnline"),
        ("place", Value::Null, "place"),
    ] {
        let mut i = session_input(10, 5);
        i[field] = value;
        assert_bad_input(&first_error(&s.gql(CREATE, json!({ "i": i }), coordinator.auth()).await), named);
    }
    let q = "mutation($i: ReceptionOfferInput!) { offerReception(input: $i) { id } }";
    let offer = json!({ "locationName": "Sports hall", "places": 0, "availableFrom": "2027-01-10", "contactName": "A", "contactEmail": "a@b.test" });
    assert_bad_input(&first_error(&s.gql(q, json!({ "i": offer }), utrecht.auth()).await), "places");
    let mut backwards = offer.clone();
    backwards["places"] = json!(10);
    backwards["availableUntil"] = json!("2027-01-01");
    assert_bad_input(&first_error(&s.gql(q, json!({ "i": backwards }), utrecht.auth()).await), "availableUntil");
    assert_eq!(sql_count(&s, events).await, before, "nothing was written");

    // Registering after the deadline, or for another municipality.
    let mut closed = session_input(10, 5);
    closed["registrationDeadline"] = json!(local(-1, 9));
    let session = str_at(&s.ok(CREATE, json!({ "i": closed }), coordinator.auth()).await, "/createInfoSession/id");
    let people = json!([{ "name": "Piet", "email": "piet@utrecht.test", "attendance": "ONLINE" }]);
    let e = first_error(
        &s.gql(REGISTER, json!({ "s": session, "m": s.mid(codes::UTRECHT).await, "p": people }), utrecht.auth()).await,
    );
    assert_bad_input(&e, "sessionId");
    let e = first_error(
        &s.gql(REGISTER, json!({ "s": session, "m": s.mid(codes::AMSTERDAM).await, "p": people }), utrecht.auth())
            .await,
    );
    assert_code(&e, "FORBIDDEN");
    let open =
        str_at(&s.ok(CREATE, json!({ "i": session_input(1, 1) }), coordinator.auth()).await, "/createInfoSession/id");
    let bad = json!([{ "name": "Piet", "email": "not an address", "attendance": "ONLINE" }]);
    assert_bad_input(
        &first_error(
            &s.gql(REGISTER, json!({ "s": open, "m": s.mid(codes::UTRECHT).await, "p": bad }), utrecht.auth()).await,
        ),
        "people[0].email",
    );
    assert_eq!(sql_count(&s, "SELECT COUNT(*) FROM session_registrations").await, 0);
}

async fn an_interpreter_of_a_partner_associations_municipality_is_matched_assigned_and_counted_in_the_ledger(
    b: Backend,
) {
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let q = "mutation($i: PartnerAssociationInput!) { createPartnerAssociation(input: $i) { id code } }";
    let cemr = json!({ "code": "CEMR", "name": "Council of European Municipalities and Regions", "country": "BE", "contactName": "Secretariat", "contactEmail": "info@cemr.test" });
    s.ok(q, json!({ "i": cemr }), coordinator.auth()).await;
    let skr = json!({ "code": "skr", "name": "Sveriges Kommuner och Regioner", "country": "se", "umbrellaCode": "CEMR", "contactName": "International desk", "contactEmail": "intl@skr.test" });
    s.ok(q, json!({ "i": skr }), coordinator.auth()).await;
    assert_bad_input(&first_error(&s.gql(q, json!({ "i": skr }), coordinator.auth()).await), "code");
    let q = "mutation($i: MunicipalityInput!) { createMunicipality(input: $i) { id } }";
    let uppsala = json!({ "country": "SE", "code": "SE0380", "name": "Uppsala", "nameLocal": "Uppsala", "nameLatin": "Uppsala", "region": "Uppsala län", "side": "CONTRIBUTING" });
    let m = str_at(&s.ok(q, json!({ "i": uppsala }), coordinator.auth()).await, "/createMunicipality/id");
    let q = "mutation($m: ID!, $a: String) { setAssociationMember(municipalityId: $m, associationCode: $a) }";
    assert_eq!(s.ok(q, json!({ "m": m, "a": "SKR" }), coordinator.auth()).await["setAssociationMember"], json!("SKR"));
    let officer = s.user(Role::MunicipalityOfficer, Some("SE0380")).await;
    let d = s
        .ok("{ partnerAssociations { code contactName memberMunicipalityIds umbrellaId } }", json!({}), officer.auth())
        .await;
    let skr = d["partnerAssociations"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["code"] == json!("SKR"))
        .cloned()
        .expect("SKR");
    assert_eq!(skr["memberMunicipalityIds"], json!([m]));
    assert_eq!(skr["contactName"], Value::Null, "the contact is for coordinators");

    // An interpreter (not municipal staff) of Uppsala is matched and assigned like anyone else.
    let skills = s.skill_ids(admin.auth()).await;
    let mut profile = common::expert_profile(
        "Olena Koval",
        "Interpreter",
        &[(&skills["DISTRICT_HEATING"], 5)],
        &[("uk", "NATIVE"), ("en", "C1")],
    );
    profile["kind"] = json!("INTERPRETER");
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id kind } }";
    let d = s.ok(q, json!({ "m": m, "p": profile }), officer.auth()).await;
    assert_eq!(d["createExpert"]["kind"], json!("INTERPRETER"));
    let expert = str_at(&d, "/createExpert/id");
    let mut again = profile.clone();
    again["kind"] = Value::Null;
    again["jobTitle"] = json!("Interpreter and engineer");
    let q = "mutation($id: ID!, $p: ExpertProfileInput!) { updateExpert(id: $id, profile: $p) { kind } }";
    assert_eq!(
        s.ok(q, json!({ "id": expert, "p": again }), officer.auth()).await["updateExpert"]["kind"],
        json!("INTERPRETER"),
        "an update without a kind keeps it"
    );
    let (need, role) = endorsed_lviv_need(&s, &auc, &skills, "Heat").await;
    let q = "query($n: ID!, $r: ID!) { candidates(needId: $n, roleId: $r, first: 5) { expert { id kind } } }";
    let d = s.ok(q, json!({ "n": need, "r": role }), coordinator.auth()).await;
    assert_eq!(d["candidates"][0]["expert"]["id"], json!(expert));
    let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id } }";
    let a = str_at(&s.ok(q, json!({ "r": role, "e": expert }), coordinator.auth()).await, "/proposeAssignment/id");
    s.ok("mutation($id: ID!) { acceptAssignment(id: $id) { assignment { status } } }", json!({ "id": a }), auc.auth())
        .await;
    let q = "query($m: ID!) { municipalityContribution(municipalityId: $m) { hoursAssigned expertCount } }";
    let d = s.ok(q, json!({ "m": m }), officer.auth()).await;
    assert_eq!(d["municipalityContribution"]["expertCount"], json!(1));
    assert!(d["municipalityContribution"]["hoursAssigned"].as_i64().unwrap_or(0) > 0, "{d}");
}
