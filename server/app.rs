//! Starting the service: open and migrate the database, load reference data, make the first accounts, serve.

use std::path::Path;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::auth::jwt::{SigningKey, TokenKeys};
use crate::config::{ServeSettings, StoreSettings, WorkflowSettings};
use crate::domain::Role;
use crate::domain::input::UserInput;
use crate::graphql::{SchemaLimits, build_api};
use crate::http::serve::ConnectionLimits;
use crate::http::ws::WsLimits;
use crate::http::{AppState, HttpLimits, router};
use crate::service::Services;
use crate::store::Db;

/// Opens the database named by the settings, migrates it, and loads the reference data if missing.
pub async fn open(s: &StoreSettings) -> anyhow::Result<Services> {
    let db = Db::connect(s.database_url.expose(), s.db_max_connections).await?;
    if s.migrate {
        db.migrate().await.context("migrating the database")?;
    } else {
        db.check_migrated().await?;
    }
    let tokens = match &s.jwt_secret {
        Some(secret) => TokenKeys::new(
            vec![SigningKey { kid: s.jwt_kid.clone(), secret: secret.expose().to_string() }],
            s.token_ttl_seconds,
        )?,
        None => TokenKeys::load_or_create(&s.data_dir.join("keys").join("jwt.json"), s.token_ttl_seconds)?,
    };
    let services = Services::new(db, tokens);
    services.start_audit_chain().await.map_err(|e| anyhow::anyhow!("starting the audit chain: {e:?}"))?;
    if services.load_reference_data().await.map_err(|e| anyhow::anyhow!("loading reference data: {e:?}"))? {
        tracing::info!("loaded the reference data: municipalities and skills");
    }
    Ok(services)
}

/// First start: demo data and accounts with `--demo`, otherwise the first admin.
pub async fn first_start(services: &Services, s: &ServeSettings) -> anyhow::Result<()> {
    if services.has_users().await.map_err(|e| anyhow::anyhow!("{e:?}"))? {
        if s.demo {
            let accounts = services.demo_accounts().await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if accounts.is_empty() {
                println!("\n--demo: this database holds a pool already, so the demo is not loaded into it.\n");
            } else {
                print_demo_accounts(&accounts, "the demo pool is here already");
            }
        }
        return Ok(());
    }
    if s.demo {
        let accounts = services.load_demo().await.map_err(|e| anyhow::anyhow!("loading the demo pool: {e:?}"))?;
        print_demo_accounts(&accounts, "loaded the demo pool");
        return Ok(());
    }
    let (email, password, generated) = match (&s.admin_email, &s.admin_password) {
        (Some(e), Some(p)) => (e.clone(), p.expose().to_string(), false),
        (e, _) => (e.clone().unwrap_or_else(|| "admin@localhost.localdomain".into()), random_password(), true),
    };
    services
        .create_user_as_system(UserInput {
            email: email.clone(),
            display_name: "Administrator".into(),
            password: password.clone(),
            role: Role::Admin,
            municipality_id: None,
            expert_id: None,
        })
        .await
        .map_err(|e| anyhow::anyhow!("creating the first admin: {e}"))?;
    if generated {
        println!("\nFirst admin account (shown once): {email} / {password}\n");
    } else {
        println!("\nFirst admin account created: {email}\n");
    }
    Ok(())
}

fn print_demo_accounts(accounts: &[(Role, String)], what: &str) {
    println!("\n{what}. Demo accounts (password for all: {}):", crate::service::demo::DEMO_PASSWORD);
    for (role, email) in accounts {
        println!("  {:<22} {email}", role.as_str());
    }
    println!("To start over, stop the service and delete the database file (data/recovery-pool.db by default).\n");
}

fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Serves on a bound listener until `shutdown` resolves; used by `serve` and by the integration tests.
pub async fn serve_on(
    listener: TcpListener,
    services: Services,
    s: &ServeSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // E-mail, digest, stale proposals and (PostgreSQL) live events from other replicas: stopped with the server.
    let background = services.start_background().await.context("starting the background tasks")?;
    let limits = HttpLimits::from(s);
    let ws = WsLimits { init_timeout: limits.ws_init_timeout, max_subscriptions: limits.max_subscriptions };
    let state = AppState { api: build_api(&SchemaLimits::from(s)), services, graphiql: s.graphiql, ws };
    let metrics = match &s.metrics_listen {
        Some(addr) => {
            let l = TcpListener::bind(addr).await.with_context(|| format!("listening for metrics on {addr}"))?;
            tracing::info!(addr = %l.local_addr()?, "metrics are served on their own listener");
            Some(tokio::spawn(async move { axum::serve(l, crate::http::metrics_router()).await }))
        }
        None => None,
    };
    let app = router(state, &limits, metrics.is_none());
    let connections = ConnectionLimits { max_connections: limits.max_connections, idle_timeout: limits.idle_timeout };
    crate::http::serve::serve(listener, app, connections, shutdown).await;
    if let Some(m) = metrics {
        m.abort();
    }
    background.stop().await;
    Ok(())
}

/// `serve`: open, first start, listen, and stop cleanly on Ctrl-C or SIGTERM.
pub async fn serve(store: &StoreSettings, s: &ServeSettings, workflow: WorkflowSettings) -> anyhow::Result<()> {
    let services = open(store).await?.with_settings(workflow);
    first_start(&services, s).await?;
    let listener = TcpListener::bind(&s.listen).await.with_context(|| format!("listening on {}", s.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = services.db.backend(), "recovery-pool is serving");
    println!("recovery-pool on http://{addr}/graphql (GraphiQL in a browser)");
    let db = services.db.clone();
    serve_on(listener, services, s, shutdown_signal()).await?;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Writes the schema in SDL to `path` (or standard output for `-`).
pub fn export_schema(path: &Path) -> anyhow::Result<()> {
    let sdl = crate::graphql::sdl();
    if path.as_os_str() == "-" {
        print!("{sdl}");
    } else {
        std::fs::write(path, sdl).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
