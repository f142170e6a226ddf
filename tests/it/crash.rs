//! Nothing acknowledged is ever lost: the server is killed with SIGKILL while clients write, several times, on
//! SQLite and PostgreSQL; after each restart every write it had answered is there, and at the end the audit
//! chain verifies (`recovery-pool verify-audit`).

use crate::common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::Process;
use common::{ADMIN_EMAIL, Backend, PASSWORD, plan_input};
use serde_json::json;

/// Kills per engine.
const KILLS: usize = 5;
/// Concurrent writers.
const WRITERS: usize = 6;

backend_tests!(every_acknowledged_write_survives_sigkill_and_the_audit_chain_verifies);

async fn token(p: &Process) -> String {
    let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let body = p.gql(q, json!({ "e": ADMIN_EMAIL, "p": PASSWORD }), None).await;
    body["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("a token: {body}")).to_string()
}

async fn every_acknowledged_write_survives_sigkill_and_the_audit_chain_verifies(b: Backend) {
    let (url, scratch) = b.scratch_database().await;
    let data_dir = scratch.dir.join("data");
    let acknowledged: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut hromada = None;
    for round in 0..KILLS {
        let mut server = Process::spawn(&url, &data_dir, &format!("crash{round}")).await;
        let admin = token(&server).await;
        let mid = match &hromada {
            Some(m) => m,
            None => {
                let q = "{ municipalities(filter: { country: \"UA\", side: RECOVERING }, first: 1) { edges { node { id } } } }";
                let d = server.gql(q, json!({}), Some(&admin)).await;
                let id = d["data"]["municipalities"]["edges"][0]["node"]["id"].as_str();
                hromada.insert(id.unwrap_or_else(|| panic!("a Ukrainian municipality: {d}")).to_string())
            }
        };
        // Everything acknowledged before this start is there.
        let so_far = acknowledged.lock().expect("the set").clone();
        check_all_there(&server, &admin, &so_far).await;

        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let (http, base, admin, mid) = (server.http.clone(), server.base.clone(), admin.clone(), mid.clone());
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            writers.push(tokio::spawn(async move {
                let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let body = json!({ "query": q, "variables": { "m": mid, "i": plan_input(&format!("Plan {round}.{w}.{i}")) } });
                    let sent = http.post(format!("{base}/graphql")).bearer_auth(&admin).json(&body).send().await;
                    // A request cut off by the kill is not acknowledged; only an answer with an id is.
                    let Ok(resp) = sent else { break };
                    let Ok(v) = resp.json::<serde_json::Value>().await else { break };
                    if let Some(id) = v["data"]["createPlan"]["id"].as_str() {
                        acknowledged.lock().expect("the set").insert(id.to_string());
                    }
                }
            }));
        }
        // Let the writers run a moment, varied per round, then pull the plug.
        tokio::time::sleep(Duration::from_millis(400 + 250 * round as u64)).await;
        server.kill_hard();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for w in writers {
            w.await.expect("a writer ends");
        }
    }
    let server = Process::spawn(&url, &data_dir, "crash-final").await;
    let admin = token(&server).await;
    let all = acknowledged.lock().expect("the set").clone();
    assert!(all.len() > KILLS * WRITERS, "the writers got work done ({} plans)", all.len());
    check_all_there(&server, &admin, &all).await;
    drop(server);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_recovery-pool"))
        .arg("verify-audit")
        .env_clear()
        .env("DATABASE_URL", &url)
        .env("RECOVERY_POOL_DATA_DIR", &data_dir)
        .env("RECOVERY_POOL_JWT_SECRET", common::JWT_SECRET)
        .env("RECOVERY_POOL_JWT_KID", common::JWT_KID)
        .output()
        .expect("verify-audit runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && text.contains("the audit log verifies"), "{text}");
    drop(scratch);
}

/// Every id in `ids` names a plan the server returns.
async fn check_all_there(p: &Process, token: &str, ids: &HashSet<String>) {
    let q = "query($id: ID!) { plan(id: $id) { id } }";
    let mut missing = Vec::new();
    for id in ids {
        let body = p.gql(q, json!({ "id": id }), Some(token)).await;
        if body["data"]["plan"]["id"].as_str() != Some(id) {
            missing.push(format!("{id}: {body}"));
        }
    }
    assert!(missing.is_empty(), "{} acknowledged plans are missing after the kill: {:?}", missing.len(), missing);
}
