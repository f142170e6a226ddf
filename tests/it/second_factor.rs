//! The optional second factor of admins and fund officers: set up, confirmed, asked for at sign-in, each code
//! once, turned off with a code or by an admin.

use crate::common;

use common::{Backend, assert_bad_input, assert_code, first_error, str_at};
use recovery_pool::domain::Role;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

backend_tests!(a_second_factor_is_asked_for_at_sign_in_once_confirmed_and_each_code_works_once);

const LOGIN: &str =
    "mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, totpCode: $c) { token } }";

fn code_at(secret: &str, offset_steps: i64) -> String {
    let t = TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        Secret::Encoded(secret.into()).to_bytes().expect("base32"),
        None,
        "x".into(),
    )
    .expect("a TOTP");
    let now = chrono::Utc::now().timestamp();
    t.generate((now + offset_steps * 30).max(0) as u64)
}

async fn a_second_factor_is_asked_for_at_sign_in_once_confirmed_and_each_code_works_once(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let fund = s.user(Role::FundOfficer, None).await;
    let expert_like = s.user(Role::PoolCoordinator, None).await;
    assert_code(
        &first_error(&s.gql("mutation { startSecondFactor { secret } }", json!({}), expert_like.auth()).await),
        "FORBIDDEN",
    );

    let d = s.ok("mutation { startSecondFactor { secret uri } }", json!({}), fund.auth()).await;
    let secret = str_at(&d, "/startSecondFactor/secret");
    assert!(str_at(&d, "/startSecondFactor/uri").starts_with("otpauth://totp/recovery-pool:"), "{d}");
    // Proposed only: signing in is unchanged until a code confirms it.
    let no_code = json!({ "e": fund.email, "p": common::PASSWORD, "c": null });
    s.ok(LOGIN, no_code.clone(), None).await;
    let wrong = "mutation($c: String!) { confirmSecondFactor(code: $c) }";
    assert_bad_input(&first_error(&s.gql(wrong, json!({ "c": "000000" }), fund.auth()).await), "code");
    s.ok(wrong, json!({ "c": code_at(&secret, 0) }), fund.auth()).await;
    let me = s.ok("{ me { secondFactor } }", json!({}), fund.auth()).await;
    assert_eq!(me["me"]["secondFactor"], true);

    // Now the password alone is not enough; a code works once.
    assert_bad_input(&first_error(&s.gql(LOGIN, no_code.clone(), None).await), "totpCode");
    let next = code_at(&secret, 1);
    let with_code = json!({ "e": fund.email, "p": common::PASSWORD, "c": next });
    s.ok(LOGIN, with_code.clone(), None).await;
    let again = s.gql(LOGIN, with_code, None).await;
    assert_bad_input(&first_error(&again), "totpCode");
    assert!(str_at(&first_error(&again), "/message").contains("used already"), "{again}");

    // Turning it off takes a current code; an admin may take it off for a lost device.
    let off = "mutation($u: ID!, $c: String) { removeSecondFactor(userId: $u, code: $c) }";
    assert_bad_input(&first_error(&s.gql(off, json!({ "u": fund.id, "c": "123" }), fund.auth()).await), "code");
    s.ok(off, json!({ "u": fund.id, "c": null }), admin.auth()).await;
    s.ok(LOGIN, no_code, None).await;
    assert_code(&first_error(&s.gql(off, json!({ "u": admin.id }), fund.auth()).await), "FORBIDDEN");
}
