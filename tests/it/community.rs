//! Requests for help beyond expertise and the network's forum over HTTP on both engines (docs/network.md).

use crate::common;

use chrono::{Duration, Utc};
use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, first_error, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    a_request_for_help_is_answered_by_a_member_and_agreed_by_the_ukrainian_side,
    the_forum_answers_topics_pins_answers_and_announces_to_members_in_their_language,
);

async fn titles(s: &TestServer, u: &User) -> Vec<(String, String)> {
    let d = s.ok("{ notifications(first: 100) { edges { node { kind title } } } }", json!({}), u.auth()).await;
    common::nodes(&d["notifications"]).iter().map(|n| (str_at(n, "/kind"), str_at(n, "/title"))).collect()
}

async fn a_request_for_help_is_answered_by_a_member_and_agreed_by_the_ukrainian_side(b: Backend) {
    let s = b.start().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let other_hromada = s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let expert_side = s.user(Role::FundOfficer, None).await;
    let q = "mutation($i: HelpRequestInput!) { postHelpRequest(input: $i) { id status } }";
    let input = json!({ "municipalityId": s.mid(codes::LVIV).await, "kind": "MATERIAL", "title": "Generators for the water utility",
        "description": "Two 100 kVA generators to keep the pumps running.", "quantity": "2", "neededBy": (Utc::now() + Duration::days(30)).date_naive().to_string() });
    for (field, value) in [
        ("neededBy", json!("2020-01-01")),
        ("municipalityId", json!(s.mid(codes::UTRECHT).await)),
        ("title", json!(" ")),
    ] {
        let mut bad = input.clone();
        bad[field] = value;
        assert_bad_input(&first_error(&s.gql(q, json!({ "i": bad }), auc.auth()).await), field);
    }
    assert_code(&first_error(&s.gql(q, json!({ "i": input }), other_hromada.auth()).await), "FORBIDDEN");
    let request = str_at(&s.ok(q, json!({ "i": input }), auc.auth()).await, "/postHelpRequest/id");
    assert!(titles(&s, &utrecht).await.iter().any(|(k, _)| k == "help.requested"), "members hear of requests");

    let offer = "mutation($r: ID!, $m: ID!, $d: String!) { offerHelp(requestId: $r, municipalityId: $m, description: $d) { id status } }";
    let vars = json!({ "r": request, "m": s.mid(codes::UTRECHT).await, "d": "Two generators from our civil protection stock." });
    let offered = str_at(&s.ok(offer, vars.clone(), utrecht.auth()).await, "/offerHelp/id");
    let mut elsewhere = vars.clone();
    elsewhere["m"] = json!(s.mid(codes::AMSTERDAM).await);
    assert_code(&first_error(&s.gql(offer, elsewhere, utrecht.auth()).await), "FORBIDDEN");
    let decide = "mutation($o: ID!, $a: Boolean!) { decideHelpOffer(offerId: $o, agree: $a) { status } }";
    assert_code(
        &first_error(&s.gql(decide, json!({ "o": offered, "a": true }), other_hromada.auth()).await),
        "FORBIDDEN",
    );
    s.ok(decide, json!({ "o": offered, "a": true }), auc.auth()).await;
    assert_code(&first_error(&s.gql(decide, json!({ "o": offered, "a": false }), auc.auth()).await), "CONFLICT");
    let d =
        s.ok("{ helpRequests { status offers { status municipality { name } } } }", json!({}), utrecht.auth()).await;
    assert_eq!(d["helpRequests"][0]["status"], json!("AGREED"));
    assert_eq!(d["helpRequests"][0]["offers"][0]["status"], json!("AGREED"));
    assert!(titles(&s, &utrecht).await.iter().any(|(k, _)| k == "help.agreed"), "the offering municipality hears back");
    assert_code(&first_error(&s.gql("{ helpRequests { id } }", json!({}), expert_side.auth()).await), "FORBIDDEN");
    let close = "mutation($id: ID!) { closeHelpRequest(id: $id) { status } }";
    assert_eq!(s.ok(close, json!({ "id": request }), auc.auth()).await["closeHelpRequest"]["status"], json!("CLOSED"));
    assert_code(&first_error(&s.gql(offer, vars, utrecht.auth()).await), "CONFLICT");
}

async fn the_forum_answers_topics_pins_answers_and_announces_to_members_in_their_language(b: Backend) {
    let s = b.start().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let post = "mutation($i: ForumPostInput!) { postInForum(input: $i) { id kind tags } }";
    let topic = json!({ "kind": "QUESTION", "title": "Who has experience with modular schools?", "body": "We are asked for advice.", "tags": ["Education", "schools", "education"] });
    let d = s.ok(post, json!({ "i": topic }), utrecht.auth()).await;
    assert_eq!(d["postInForum"]["tags"], json!(["education", "schools"]));
    let topic_id = str_at(&d, "/postInForum/id");
    let mut untitled = topic.clone();
    untitled["title"] = Value::Null;
    assert_bad_input(&first_error(&s.gql(post, json!({ "i": untitled }), utrecht.auth()).await), "title");
    let first = str_at(
        &s.ok(post, json!({ "i": { "parentId": topic_id, "body": "Ask Lviv, they built two." } }), amsterdam.auth())
            .await,
        "/postInForum/id",
    );
    let second = str_at(
        &s.ok(
            post,
            json!({ "i": { "parentId": topic_id, "body": "We did: our drawings are free to use." } }),
            lviv.auth(),
        )
        .await,
        "/postInForum/id",
    );
    assert!(titles(&s, &utrecht).await.iter().any(|(k, _)| k == "forum.answered"), "the asker hears of answers");
    let pin = "mutation($id: ID!) { pinPost(id: $id, pinned: true) { pinned } }";
    assert_code(&first_error(&s.gql(pin, json!({ "id": second }), utrecht.auth()).await), "FORBIDDEN");
    s.ok(pin, json!({ "id": second }), coordinator.auth()).await;
    let d =
        s.ok("{ forum(tag: \"schools\") { topic { id } answers { id pinned } } }", json!({}), amsterdam.auth()).await;
    let answers: Vec<String> =
        d["forum"][0]["answers"].as_array().expect("answers").iter().map(|a| str_at(a, "/id")).collect();
    assert_eq!(answers, vec![second, first], "the pinned answer first");
    assert_eq!(
        s.ok("{ forum(tag: \"water\") { topic { id } } }", json!({}), amsterdam.auth()).await["forum"],
        json!([])
    );

    // An announcement reaches the participating municipalities' officers, each in their own language.
    let member = "mutation($m: ID!, $s: MembershipStatus!) { setMembership(municipalityId: $m, input: { status: $s }) { status } }";
    s.ok(member, json!({ "m": s.mid(codes::UTRECHT).await, "s": "ACTIVE" }), utrecht.auth()).await;
    s.ok(member, json!({ "m": s.mid(codes::AMSTERDAM).await, "s": "PAUSED" }), amsterdam.auth()).await;
    s.ok("mutation { setLanguage(language: \"nl\") { id } }", json!({}), utrecht.auth()).await;
    let q = "mutation($i: AnnouncementInput!) { announce(input: $i) { notified post { kind pinned } } }";
    let i = json!({ "titleEn": "Information session on 4 October", "titleNl": "Informatiebijeenkomst op 4 oktober", "bodyEn": "Register in the service." });
    assert_code(&first_error(&s.gql(q, json!({ "i": i }), utrecht.auth()).await), "FORBIDDEN");
    let d = s.ok(q, json!({ "i": i }), coordinator.auth()).await;
    assert_eq!(d["announce"]["notified"], json!(1), "the paused member is not told");
    let got = titles(&s, &utrecht).await;
    assert!(got.iter().any(|(k, t)| k == "forum.announcement" && t == "Informatiebijeenkomst op 4 oktober"), "{got:?}");
    assert!(!titles(&s, &amsterdam).await.iter().any(|(k, _)| k == "forum.announcement"));
}
