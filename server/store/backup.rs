//! Backup and restore, each with the engine's own tool for a consistent copy.
//!
//! - SQLite: `VACUUM INTO` writes a copy from one read transaction, so writers carry on and the copy holds exactly
//!   what was committed when it began. The copy is checked with `PRAGMA integrity_check` before it counts.
//! - PostgreSQL: `pg_dump --format=custom` reads everything in one snapshot (a repeatable-read transaction), so the
//!   same holds; `pg_restore --single-transaction` brings it back all or nothing. Both tools come with PostgreSQL's
//!   client package; the password goes to them in `PGPASSWORD`, never on their command line.
//!
//! A restore goes only into an empty database, so it can never mix two pools, and ends with the checks that say the
//! copy is whole: the engine's integrity check (SQLite) and, on both, that every applied migration is known.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;

use anyhow::Context;
use sqlx::Connection;

use super::Db;

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    pub engine: &'static str,
}

/// Writes a consistent copy of the running database to `file`, which must not exist yet.
pub async fn backup(db: &Db, database_url: &str, file: &Path) -> anyhow::Result<BackupReport> {
    anyhow::ensure!(!file.exists(), "{} exists already: a backup never overwrites a file", file.display());
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match db {
        Db::Sqlite(pool) => {
            let target = file.to_str().context("the backup file's name must be valid UTF-8")?;
            sqlx::query("VACUUM INTO ?").bind(target).execute(pool).await.context("copying the database")?;
            if let Err(e) = check_sqlite_file(file).await {
                let _ = std::fs::remove_file(file);
                return Err(e.context("the copy did not pass its integrity check and was removed"));
            }
        }
        Db::Postgres(_) => {
            let conn = PgTool::from_url(database_url)?;
            let out = file.to_str().context("the backup file's name must be valid UTF-8")?;
            conn.run("pg_dump", &["--format=custom", "--no-owner", "--no-privileges", "--file", out]).await?;
            run_tool("pg_restore", &["--list", out], None).await.context("reading the dump back")?;
        }
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport { file: file.to_path_buf(), bytes, engine: db.backend() })
}

/// Brings a backup back into the empty database named by `database_url` (created when it does not exist).
/// The caller migrates and opens it afterwards, as at any start.
pub async fn restore(database_url: &str, file: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(file.is_file(), "{} is not a file", file.display());
    if is_postgres(database_url) {
        super::create_postgres_database_if_missing(database_url).await?;
        let mut conn = sqlx::PgConnection::connect(database_url).await.context("connecting to PostgreSQL")?;
        let (tables,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                .fetch_one(&mut conn)
                .await?;
        let _ = conn.close().await;
        anyhow::ensure!(tables == 0, "the database is not empty ({tables} tables): restore only into an empty one");
        let input = file.to_str().context("the backup file's name must be valid UTF-8")?;
        PgTool::from_url(database_url)?
            .run("pg_restore", &["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", input])
            .await
    } else {
        let target = sqlite_path(database_url)?;
        if target.exists() {
            let tables = sqlite_table_count(&target).await?;
            anyhow::ensure!(
                tables == 0,
                "{} is not empty ({tables} tables): restore only into an empty database",
                target.display()
            );
            std::fs::remove_file(&target).with_context(|| format!("removing the empty {}", target.display()))?;
        }
        check_sqlite_file(file).await.context("the backup file")?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        // Copied beside the target and renamed, so the database file appears whole or not at all.
        let partial = target.with_extension("restoring");
        std::fs::copy(file, &partial).with_context(|| format!("copying into {}", partial.display()))?;
        for stale in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{stale}", target.display()));
        }
        std::fs::rename(&partial, &target).with_context(|| format!("moving the copy to {}", target.display()))?;
        Ok(())
    }
}

/// The engine's integrity check on an open database: SQLite's `integrity_check` and `foreign_key_check`;
/// PostgreSQL checks its pages itself, so there only the migrations are compared.
pub async fn check_integrity(db: &Db) -> anyhow::Result<()> {
    if let Db::Sqlite(pool) = db {
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check").fetch_all(pool).await?;
        let problems: Vec<String> = rows.into_iter().map(|r| r.0).filter(|r| r != "ok").collect();
        anyhow::ensure!(problems.is_empty(), "integrity check: {}", problems.join("; "));
        let dangling = sqlx::query("PRAGMA foreign_key_check").fetch_all(pool).await?.len();
        anyhow::ensure!(dangling == 0, "{dangling} rows point to rows that are not there");
    }
    db.check_migrated().await
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).context("parsing the SQLite URL")?;
    Ok(opts.get_filename().to_path_buf())
}

async fn open_sqlite_read_only(file: &Path) -> anyhow::Result<sqlx::SqliteConnection> {
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(file).read_only(true);
    sqlx::SqliteConnection::connect_with(&opts).await.with_context(|| format!("opening {}", file.display()))
}

async fn sqlite_table_count(file: &Path) -> anyhow::Result<i64> {
    let mut conn = open_sqlite_read_only(file).await?;
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not an SQLite database", file.display()))?;
    let _ = conn.close().await;
    Ok(n)
}

async fn check_sqlite_file(file: &Path) -> anyhow::Result<()> {
    let mut conn = open_sqlite_read_only(file).await?;
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .with_context(|| format!("{} is not an SQLite database", file.display()))?;
    let _ = conn.close().await;
    let problems: Vec<String> = rows.into_iter().map(|r| r.0).filter(|r| r != "ok").collect();
    anyhow::ensure!(problems.is_empty(), "integrity check: {}", problems.join("; "));
    Ok(())
}

/// How to reach the database with PostgreSQL's own tools: the URL without its password, which goes in the
/// environment.
struct PgTool {
    url_without_password: String,
    password: Option<String>,
}

impl PgTool {
    fn from_url(database_url: &str) -> anyhow::Result<PgTool> {
        let mut url = url::Url::parse(database_url).context("parsing the PostgreSQL URL")?;
        let password = url.password().map(|p| {
            url::form_urlencoded::parse(format!("p={p}").as_bytes()).next().map_or(p.to_string(), |(_, v)| v.into())
        });
        let _ = url.set_password(None);
        Ok(PgTool { url_without_password: url.to_string(), password })
    }

    async fn run(&self, tool: &str, args: &[&str]) -> anyhow::Result<()> {
        let mut all = args.to_vec();
        all.extend(["--dbname", &self.url_without_password]);
        run_tool(tool, &all, self.password.as_deref()).await
    }
}

async fn run_tool(tool: &str, args: &[&str], password: Option<&str>) -> anyhow::Result<()> {
    let mut cmd = tokio::process::Command::new(tool);
    cmd.args(args);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let out = cmd.output().await.map_err(|e| {
        anyhow::anyhow!("could not run {tool} ({e}); it comes with PostgreSQL's client tools (e.g. postgresql-client)")
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        anyhow::bail!("{tool} failed: {}", stderr.trim());
    }
    Ok(())
}
