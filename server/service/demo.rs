//! The demo pool for `serve --demo`: on an empty database, a believable pool to explore — security statuses for
//! every hromada, 400 experts of 40 Dutch municipalities, 31 recovery plans of real hromadas and Kyiv with about a
//! hundred needs, one account per role (two fund officers: grants take a second person), the fund's records
//! (`demo/fund.rs`) and the network's (`demo/network.rs`) — written in one transaction, each object with its audit
//! event. The
//! content is generated from a fixed seed (`demo/generate.rs`), so every demo is the same (availability dates
//! follow the day it is loaded).

mod data;
mod fund;
mod generate;
mod network;

use std::time::Instant;

use self::generate::{Account, DemoPool};
use super::{Services, audit, now, reference, snapshot};
use crate::auth::password;
use crate::domain::{AppError, AppResult, Role, UserStatus, new_id};
use crate::store::expert::{ExpertFilter, ExpertRow, ExpertSkillRow, ExpertWrite, LanguageRow};
use crate::store::municipality::{MunicipalityFilter, MunicipalityRow};
use crate::store::need::{NeedRow, RoleWrite};
use crate::store::plan::{PlanFilter, Visibility};
use crate::store::user::UserRow;
use crate::store::{self, Conn};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "recovery-pool-demo";

/// An expert's profile as the audit log keeps it (as `expert.create` writes it).
#[derive(serde::Serialize)]
struct ExpertSnapshot<'a> {
    expert: &'a ExpertRow,
    skills: &'a [ExpertSkillRow],
    languages: &'a [LanguageRow],
}

/// A need and its team as the audit log keeps it (as `need.create` writes it).
#[derive(serde::Serialize)]
struct NeedSnapshot<'a> {
    need: &'a NeedRow,
    roles: &'a [RoleWrite],
}

impl Services {
    /// Loads the demo pool and one account per role into an empty pool (the reference data is loaded first if it
    /// is missing); returns (role, e-mail) of the accounts. All of it or nothing: one transaction.
    pub async fn load_demo(&self) -> AppResult<Vec<(Role, String)>> {
        let started = Instant::now();
        // Argon2 is slow on purpose: hash once, off the async threads, before the write lock is taken.
        let hash =
            tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD)).await.map_err(AppError::internal)??;
        let mut tx = self.db.begin().await?;
        let mut conn = tx.conn();
        reference::load_if_empty(&mut conn).await?;
        refuse_unless_empty(&mut conn).await?;
        let skills = store::skill::all(&mut conn).await?;
        let municipalities = all_municipalities(&mut conn).await?;
        let pool = generate::generate(&skills, &municipalities, now())?;
        write(&mut conn, &pool, &hash).await?;
        tx.commit().await?;
        tracing::info!(
            experts = pool.experts.len(),
            plans = pool.plans.len(),
            needs = pool.needs.len(),
            security_statuses = pool.security.len(),
            accounts = pool.accounts.len(),
            backend = self.db.backend(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "loaded the demo pool"
        );
        Ok(pool.accounts.into_iter().map(|a| (a.role, a.email)).collect())
    }
}

impl Services {
    /// The demo's own accounts, if this database holds the demo pool: (role, e-mail), to print again at start.
    pub async fn demo_accounts(&self) -> AppResult<Vec<(Role, String)>> {
        let suffix = format!("@{}", generate::ACCOUNT_DOMAIN);
        let mut out: Vec<(Role, String)> = self
            .all_users_as_system()
            .await?
            .into_iter()
            .filter(|u| u.email.ends_with(&suffix) && u.status == UserStatus::Active)
            .map(|u| (u.role, u.email))
            .collect();
        out.sort_by_key(|(r, _)| Role::ALL.iter().position(|x| x == r));
        Ok(out)
    }
}

/// The demo only fills an empty pool: it never mixes with real experts, plans or accounts.
async fn refuse_unless_empty(conn: &mut Conn<'_>) -> AppResult<()> {
    let experts = store::expert::count(conn, &ExpertFilter::default()).await?;
    let plans =
        store::plan::count(conn, &PlanFilter::default(), &Visibility { all: true, ..Default::default() }).await?;
    let users = store::user::count_all(conn).await?;
    if experts + plans + users > 0 {
        return Err(AppError::conflict(format!(
            "the demo pool loads only into an empty database; this one holds {experts} experts, {plans} plans and \
             {users} accounts"
        )));
    }
    Ok(())
}

async fn all_municipalities(conn: &mut Conn<'_>) -> AppResult<Vec<MunicipalityRow>> {
    let total = store::municipality::count_all(conn).await?;
    let page = store::municipality::list(conn, &MunicipalityFilter::default(), None, total.max(1) as usize).await?;
    Ok(page.items)
}

/// Writes the pool, each object followed by its audit event (no actor: the system loads the demo).
async fn write(conn: &mut Conn<'_>, pool: &DemoPool, password_hash: &str) -> AppResult<()> {
    let summary = serde_json::json!({
        "experts": pool.experts.len(),
        "plans": pool.plans.len(),
        "needs": pool.needs.len(),
        "securityStatuses": pool.security.len(),
        "accounts": pool.accounts.iter().map(|a| &a.email).collect::<Vec<_>>(),
    });
    audit(conn, None, "demo.load", new_id(), None, Some(summary)).await?;

    for (before, status) in &pool.security {
        store::municipality::set_security_status(conn, before.id, *status).await?;
        let after = MunicipalityRow { security_status: Some(*status), ..before.clone() };
        audit(conn, None, "municipality.set_security_status", before.id, snapshot(before), snapshot(&after)).await?;
    }
    for e in &pool.experts {
        store::expert::insert(conn, ExpertWrite { row: &e.row, skills: &e.skills, languages: &e.languages }).await?;
        let after = ExpertSnapshot { expert: &e.row, skills: &e.skills, languages: &e.languages };
        audit(conn, None, "expert.create", e.row.id, None, snapshot(&after)).await?;
    }
    for p in &pool.plans {
        store::plan::insert(conn, p).await?;
        audit(conn, None, "plan.create", p.id, None, snapshot(p)).await?;
    }
    for n in &pool.needs {
        store::need::insert(conn, &n.row, &n.roles).await?;
        audit(conn, None, "need.create", n.row.id, None, snapshot(&NeedSnapshot { need: &n.row, roles: &n.roles }))
            .await?;
    }
    let mut users = Vec::new();
    for a in &pool.accounts {
        let user = user_row(a, password_hash);
        store::user::insert(conn, &user).await?;
        audit(conn, None, "user.create", user.id, None, snapshot(&user)).await?;
        users.push(user);
    }
    fund::write(conn, pool, &users).await?;
    network::write(conn, pool, &users).await
}

fn user_row(a: &Account, password_hash: &str) -> UserRow {
    UserRow {
        id: new_id(),
        email: a.email.clone(),
        display_name: a.display_name.clone(),
        password_hash: password_hash.to_string(),
        role: a.role,
        municipality_id: a.municipality_id,
        expert_id: a.expert_id,
        status: UserStatus::Active,
        created_at: now(),
        token_version: 0,
        language: "en".into(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::DEMO_PASSWORD;
    use super::generate::EXPERTS;
    use crate::auth::jwt::{TokenKeys, generate_key};
    use crate::domain::{Role, SecurityStatus};
    use crate::service::Services;
    use crate::store::expert::ExpertFilter;
    use crate::store::municipality::MunicipalityFilter;
    use crate::store::need::NeedFilter;
    use crate::store::plan::{PlanFilter, Visibility};
    use crate::store::{self, Db};

    /// A scratch database: a temporary SQLite file, or a fresh PostgreSQL database on `TEST_DATABASE_URL`'s server;
    /// removed by `drop_scratch`.
    async fn scratch(postgres: bool) -> Option<(Db, String)> {
        let name = format!("rp_demo_test_{}", uuid::Uuid::new_v4().simple());
        if postgres {
            let admin_url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())?;
            let admin = Db::connect(&admin_url, 1).await.expect("TEST_DATABASE_URL names a PostgreSQL server");
            if let Db::Postgres(p) = &admin {
                sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(p).await.expect("a test database");
            }
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').expect("a PostgreSQL URL with a database name");
            let db = Db::connect(&format!("{base}/{name}"), 4).await.expect("the test database");
            Some((db, name))
        } else {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            let db = Db::connect(&format!("sqlite://{}", path.display()), 4).await.expect("a SQLite file");
            Some((db, path.display().to_string()))
        }
    }

    async fn drop_scratch(db: Db, name: &str) {
        let postgres = matches!(db, Db::Postgres(_));
        db.close().await;
        if postgres {
            let admin_url = std::env::var("TEST_DATABASE_URL").expect("set when the database was made");
            let admin = Db::connect(&admin_url, 1).await.expect("the PostgreSQL server");
            if let Db::Postgres(p) = &admin {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(p).await;
            }
            admin.close().await;
        } else {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{name}{suffix}"));
            }
        }
    }

    async fn the_demo_loads_and_every_demo_account_signs_in(postgres: bool) {
        let Some((db, name)) = scratch(postgres).await else {
            eprintln!("TEST_DATABASE_URL is not set: the demo is not loaded on PostgreSQL");
            return;
        };
        db.migrate().await.expect("migrations");
        let services = Services::new(db.clone(), TokenKeys::new(vec![generate_key()], 600).expect("a token key"));
        services.load_reference_data().await.expect("the reference data");

        let started = Instant::now();
        let accounts = services.load_demo().await.expect("the demo loads");
        eprintln!("demo loaded on {} in {:?}", db.backend(), started.elapsed());

        let mut roles: Vec<Role> = accounts.iter().map(|(r, _)| *r).collect();
        roles.dedup();
        assert_eq!(roles, Role::ALL, "an account per role (two fund officers)");
        for (role, email) in &accounts {
            let session = services.login(email, DEMO_PASSWORD, "test").await.expect("a demo account signs in");
            assert_eq!(session.user.role, *role);
        }

        let mut pooled = db.acquire().await.expect("a connection");
        let c = &mut pooled.conn();
        let all = Visibility { all: true, ..Default::default() };
        assert_eq!(store::expert::count(c, &ExpertFilter::default()).await.expect("count"), EXPERTS as i64);
        let plans = store::plan::count(c, &PlanFilter::default(), &all).await.expect("count");
        assert!((25..=35).contains(&plans), "{plans} plans");
        let needs = store::need::count(c, &NeedFilter::default(), &all).await.expect("count");
        assert!((80..=130).contains(&needs), "{needs} needs");
        let open = NeedFilter { status: Some(crate::domain::NeedStatus::Open), ..Default::default() };
        assert!(store::need::count(c, &open, &all).await.expect("count") * 2 > needs, "most needs are open");
        let ua = MunicipalityFilter { country: Some("UA".into()), ..Default::default() };
        let mut with_status = 0;
        for s in SecurityStatus::ALL {
            let f = MunicipalityFilter { security_status: Some(*s), ..ua.clone() };
            with_status += store::municipality::count(c, &f).await.expect("count");
        }
        assert_eq!(with_status, store::municipality::count(c, &ua).await.expect("count"), "every hromada has a status");
        let audited = store::audit::count(c, &Default::default()).await.expect("count");
        assert!(audited >= EXPERTS as i64 + plans + needs + 7 + with_status, "{audited} audit events");
        drop(pooled);

        let again = services.load_demo().await.expect_err("the demo loads only into an empty pool");
        assert_eq!(again.code(), "CONFLICT");
        drop_scratch(db, &name).await;
    }

    #[tokio::test]
    async fn the_demo_loads_on_sqlite_and_every_demo_account_signs_in() {
        the_demo_loads_and_every_demo_account_signs_in(false).await;
    }

    #[tokio::test]
    async fn the_demo_loads_on_postgres_and_every_demo_account_signs_in() {
        the_demo_loads_and_every_demo_account_signs_in(true).await;
    }
}
