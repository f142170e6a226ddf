//! Backup and restore: a copy taken while writers are busy holds every write acknowledged before it began, and
//! comes back whole into an empty database, and only into an empty one.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common;

use common::{Backend, codes, expert_profile, store_settings};
use recovery_pool::app::open;
use recovery_pool::domain::Role;
use recovery_pool::store::backup::{backup, check_integrity, restore};
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

backend_tests!(
    a_backup_taken_while_writers_are_busy_restores_every_acknowledged_write,
    a_restore_goes_only_into_an_empty_database,
    a_database_that_does_not_exist_yet_is_created_on_first_start,
);

const CREATE: &str =
    "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";

async fn a_backup_taken_while_writers_are_busy_restores_every_acknowledged_write(b: Backend) {
    let s = Arc::new(b.start().await);
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let m = s.mid(codes::UTRECHT).await;
    let skill = s.skill_ids(s.admin().await.auth()).await["WATER_SUPPLY"].clone();
    let acknowledged = Arc::new(Mutex::new(Vec::<Uuid>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (s, token, m) = (s.clone(), officer.token.clone(), m.clone());
        let (acknowledged, stop, skill) = (acknowledged.clone(), stop.clone(), skill.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let mut p =
                    expert_profile(&format!("Writer {w} expert {n}"), "Engineer", &[(&skill, 3)], &[("en", "B2")]);
                p["email"] = json!(format!("writer{w}.{n}@utrecht.example"));
                let body = s.gql(CREATE, json!({"m": m, "p": p}), Some(&token)).await;
                let id = body["data"]["createExpert"]["id"].as_str().map(|id| Uuid::parse_str(id).expect("a uuid"));
                acknowledged.lock().await.push(id.unwrap_or_else(|| panic!("the write succeeds: {body}")));
            }
        }));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().await.len() < 20 {
        assert!(writers.iter().all(|w| !w.is_finished()), "a writer stopped early");
        assert!(tokio::time::Instant::now() < deadline, "the writers make progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Everything acknowledged by now must be in the copy; writes keep coming while it is taken.
    let before: Vec<Uuid> = acknowledged.lock().await.clone();
    let file = s.data_dir().join("backups").join("copy");
    let report = backup(&s.services.db, &s.database_url, &file).await.expect("the backup is written");
    assert!(report.bytes > 0);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("a writer finishes");
    }
    let during = acknowledged.lock().await.len() - before.len();
    assert!(during > 0, "writers kept writing while the backup ran");
    assert!(
        backup(&s.services.db, &s.database_url, &file).await.is_err(),
        "a backup never overwrites an existing file"
    );

    let (url, scratch) = b.scratch_database().await;
    restore(&url, &file).await.expect("the backup restores into an empty database");
    let restored = open(&store_settings(&url, &scratch.dir)).await.expect("the restored database opens and migrates");
    check_integrity(&restored.db).await.expect("the restored database passes its integrity check");
    let chain = restored.verify_audit_chain().await.expect("the audit chain reads");
    assert!(chain.defects.is_empty(), "the restored audit chain verifies: {:?}", chain.defects);
    assert!(chain.chained > 0);

    let mut c = restored.db.acquire().await.expect("a connection");
    let found: HashSet<Uuid> = recovery_pool::store::expert::by_ids(&mut c.conn(), &before)
        .await
        .expect("the experts read")
        .into_iter()
        .map(|e| e.id)
        .collect();
    let missing: Vec<&Uuid> = before.iter().filter(|id| !found.contains(id)).collect();
    assert!(missing.is_empty(), "{} acknowledged writes are missing from the copy: {missing:?}", missing.len());
    drop(c);
    restored.db.close().await;
}

async fn a_restore_goes_only_into_an_empty_database(b: Backend) {
    let s = b.start().await;
    let file = s.data_dir().join("copy");
    backup(&s.services.db, &s.database_url, &file).await.expect("the backup is written");

    // The server's own database is not empty: refused, and left as it was.
    let admin = s.admin().await;
    let before = s.counts(&admin).await;
    let e = restore(&s.database_url, &file).await.expect_err("a restore into a used database is refused");
    assert!(e.to_string().contains("not empty"), "{e}");
    assert_eq!(s.counts(&admin).await, before);

    // A file that is not a backup is refused before anything is written.
    let junk = s.data_dir().join("junk");
    std::fs::write(&junk, b"name,email\nnot,a backup\n").expect("a file");
    let (url, _scratch) = b.scratch_database().await;
    assert!(restore(&url, &junk).await.is_err(), "a file that is not a backup is refused");
    restore(&url, &file).await.expect("the real backup still restores there afterwards");
}

async fn a_database_that_does_not_exist_yet_is_created_on_first_start(b: Backend) {
    let (url, scratch) = b.scratch_database().await;
    let url = match &b {
        // The scratch database exists; a sibling name does not, and the guard's folder removes the SQLite file.
        Backend::Sqlite => format!("sqlite://{}", scratch.dir.join("new").join("pool.db").display()),
        Backend::Postgres { .. } => {
            let missing = format!("{url}_new");
            let _cleanup = DropDatabase(missing.clone());
            let services = open(&store_settings(&missing, &scratch.dir)).await.expect("created and migrated");
            assert!(services.db.ping().await);
            services.db.close().await;
            return;
        }
    };
    let services = open(&store_settings(&url, &scratch.dir)).await.expect("created and migrated");
    assert!(services.db.ping().await);
    services.db.close().await;
}

/// Drops a PostgreSQL database named by URL when dropped.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let url = self.0.clone();
        let Some((server, name)) = url.rsplit_once('/') else { return };
        let (server, name) = (format!("{server}/postgres"), name.to_string());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut c) = sqlx::PgConnection::connect(&server).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut c).await;
                }
            });
        })
        .join()
        .ok();
    }
}
