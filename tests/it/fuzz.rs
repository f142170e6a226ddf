//! A bounded, seeded fuzz of the HTTP GraphQL path: real operations of the schema, mutated (bytes cut and
//! repeated, brackets nested thousands deep, strings long, odd or holding control characters, variables of the
//! wrong type or out of range, bodies that are not UTF-8). Whatever comes in, the server answers without a 5xx
//! and without INTERNAL, within a latency ceiling, and stays up. The same seed gives the same cases, so a
//! failure can be replayed; `RECOVERY_POOL_FUZZ_SEED` and `RECOVERY_POOL_FUZZ_CASES` change them.

use crate::common;

use std::time::{Duration, Instant};

use common::{Backend, TestServer, codes, plan_input};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

backend_tests!(mutated_operations_never_get_a_server_error_and_the_server_stays_up);

/// Cases per engine, unless `RECOVERY_POOL_FUZZ_CASES` says otherwise.
const CASES: usize = 300;
/// The slowest answer a case may get.
const CEILING: Duration = Duration::from_secs(5);

/// Real operations, as clients send them.
fn corpus(lviv: &str, skill: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
            json!({ "email": "someone@gemeente.nl", "password": "not the password" }),
        ),
        ("{ publicStatistics { fillRate activeExperts needsPerStatus { key count } } }", json!({})),
        (
            "query($f: NeedFilterInput, $n: Int) { needs(filter: $f, first: $n) { totalCount edges { cursor node { id title priority plan { title } municipality { name } roles { title seats skills { minLevel skill { code } } } } } pageInfo { hasNextPage endCursor } } }",
            json!({ "f": { "status": "OPEN" }, "n": 20 }),
        ),
        (
            "query($f: ExpertFilterInput, $n: Int, $a: String) { experts(filter: $f, first: $n, after: $a) { totalCount edges { node { id name jobTitle skills { level skill { code } } } } } }",
            json!({ "f": { "skillId": skill, "minLevel": 3, "search": "engineer", "language": "en" }, "n": 20, "a": null }),
        ),
        (
            "query($f: MunicipalityFilterInput) { municipalities(filter: $f, first: 50) { totalCount edges { node { id name nameLocal region } } } }",
            json!({ "f": { "country": "UA", "search": "львів" } }),
        ),
        (
            "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id title status } }",
            json!({ "m": lviv, "i": plan_input("Fuzzed plan") }),
        ),
        ("query($id: ID!) { plan(id: $id) { id title needs { id } } }", json!({ "id": lviv })),
        ("{ me { id email role } }", json!({})),
        ("query($n: Int) { notifications(first: $n) { totalCount edges { node { id title } } } }", json!({ "n": 5 })),
        ("{ skills { id code labelEn labelNl labelUk } }", json!({})),
        (
            "query($o: ID) { auditEvents(filter: { objectId: $o }, first: 10) { edges { node { action at } } } }",
            json!({ "o": lviv }),
        ),
        ("query($c: String!) { regions(country: $c) }", json!({ "c": "NL" })),
    ]
}

fn odd_string(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..9) {
        0 => "x".repeat(rng.random_range(1_000..120_000)),
        1 => "%".repeat(rng.random_range(100..60_000)),
        2 => format!("a\u{0}b{}", char::from(rng.random_range(1u8..32))),
        3 => "\u{202e}evil\u{200b}\u{feff}й\u{301}".to_string(),
        4 => "' OR 1=1 -- ; DROP TABLE users; \\\\ _ %".to_string(),
        5 => "😀".repeat(rng.random_range(1..5_000)),
        6 => String::new(),
        7 => "   ".to_string(),
        _ => "2026-02-30".to_string(),
    }
}

fn odd_value(rng: &mut ChaCha8Rng) -> Value {
    match rng.random_range(0..10) {
        0 => json!(odd_string(rng)),
        1 => json!(i64::MAX),
        2 => json!(-1),
        3 => json!(1e308),
        4 => json!(u64::MAX),
        5 => Value::Null,
        6 => json!([1, "two", null, { "three": 3 }]),
        7 => json!({ "unexpected": true }),
        8 => json!(true),
        _ => json!(0.5),
    }
}

/// Replaces a random leaf of the variables with an odd value.
fn mutate_value(v: &mut Value, rng: &mut ChaCha8Rng) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = &keys[rng.random_range(0..keys.len())];
            if let Some(inner) = map.get_mut(k) {
                if rng.random_bool(0.5) { mutate_value(inner, rng) } else { *inner = odd_value(rng) }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.random_range(0..items.len());
            mutate_value(&mut items[i], rng);
        }
        other => *other = odd_value(rng),
    }
}

fn mutate_text(q: &str, rng: &mut ChaCha8Rng) -> String {
    let mut b = q.as_bytes().to_vec();
    let at = rng.random_range(0..=b.len());
    match rng.random_range(0..5) {
        0 => {
            let end = (at + rng.random_range(1..20)).min(b.len());
            b.drain(at..end);
        }
        1 => {
            let end = (at + rng.random_range(1..40)).min(b.len());
            let copy = b[at..end].to_vec();
            b.splice(at..at, copy.iter().cycle().take(copy.len() * rng.random_range(1..50)).copied());
        }
        2 => {
            let n = rng.random_range(10..4_000);
            let (open, close) = [("[", "]"), ("{", "}"), ("(", ")"), ("{a:", "}")][rng.random_range(0..4)];
            let deep = format!("{}1{}", open.repeat(n), close.repeat(n));
            b.splice(at..at, deep.into_bytes());
        }
        3 => {
            const JUNK: &[u8] = b"{}[]()!$@#:=\"\\ ,.|&";
            let junk: Vec<u8> = (0..rng.random_range(1..30)).map(|_| JUNK[rng.random_range(0..JUNK.len())]).collect();
            b.splice(at..at, junk);
        }
        _ => {
            let frag = "... on Query { __typename } fragment F on Query { ...F } ";
            b.splice(at..at, frag.bytes());
        }
    }
    String::from_utf8_lossy(&b).to_string()
}

async fn mutated_operations_never_get_a_server_error_and_the_server_stays_up(b: Backend) {
    let seed: u64 = std::env::var("RECOVERY_POOL_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261130);
    let cases: usize = std::env::var("RECOVERY_POOL_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(CASES);
    let s = b.start().await;
    let admin = s.admin().await;
    let skills = s.skill_ids(admin.auth()).await;
    let skill = skills.values().next().cloned().unwrap_or_default();
    let ops = corpus(&s.mid(codes::LVIV).await, &skill);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut failures = Vec::new();
    for case in 0..cases {
        let (query, vars) = &ops[rng.random_range(0..ops.len())];
        let mut vars = vars.clone();
        let mut query = query.to_string();
        for _ in 0..rng.random_range(1..=3) {
            if rng.random_bool(0.5) { mutate_value(&mut vars, &mut rng) } else { query = mutate_text(&query, &mut rng) }
        }
        let mut body = json!({ "query": query, "variables": vars }).to_string().into_bytes();
        if rng.random_ratio(1, 20) {
            // Not UTF-8 at all.
            let at = rng.random_range(0..body.len());
            body.splice(at..at, [0xff, 0xfe, 0xc0]);
        }
        let token = if rng.random_bool(0.6) { admin.auth() } else { None };
        if let Some(f) = run_case(&s, body, token).await {
            failures.push(format!("case {case} (seed {seed}): {f}"));
        }
        if case % 25 == 0 {
            alive(&s, case).await;
        }
    }
    alive(&s, cases).await;
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// What went wrong with one case, if anything.
async fn run_case(s: &TestServer, body: Vec<u8>, token: Option<&str>) -> Option<String> {
    let mut req = s.http.post(s.url("/graphql")).header("content-type", "application/json").body(body.clone());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let started = Instant::now();
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return Some(format!("no answer: {e}")),
    };
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    let took = started.elapsed();
    let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).to_string();
    if status.is_server_error() {
        return Some(format!("HTTP {status} for {shown}: {text:.300}"));
    }
    if took > CEILING {
        return Some(format!("took {took:?} for {shown}"));
    }
    let v: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) if status == 413 => return None,
        Err(_) => return Some(format!("HTTP {status} without a JSON body for {shown}: {text:.300}")),
    };
    let errors = v["errors"].as_array().cloned().unwrap_or_default();
    if let Some(e) = errors.iter().find(|e| e["extensions"]["code"] == "INTERNAL" || e["extensions"]["code"].is_null())
    {
        return Some(format!("error {e} for {shown}"));
    }
    None
}

async fn alive(s: &TestServer, case: usize) {
    let resp = s.http.get(s.url("/healthz")).send().await;
    assert!(resp.is_ok_and(|r| r.status().is_success()), "the server is down after case {case}");
}
