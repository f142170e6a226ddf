//! SQL, one file per aggregate. The same SQL text runs on SQLite and PostgreSQL through [`Db`] and [`Conn`];
//! functions return plain row structs and know nothing of GraphQL.

pub(crate) mod assignment;
pub(crate) mod audit;
pub mod backup;
pub(crate) mod community;
pub mod expert;
pub(crate) mod fund;
pub(crate) mod hours;
pub mod invitation;
pub(crate) mod ledger;
pub(crate) mod matching_round;
pub(crate) mod municipality;
pub mod need;
pub(crate) mod network;
pub mod notification;
pub(crate) mod plan;
pub(crate) mod pool;
pub(crate) mod privacy;
pub(crate) mod programme;
pub(crate) mod skill;
pub(crate) mod sql;
pub(crate) mod user;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::domain::AppError;

/// The database: a native pool of whichever backend the URL names.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One connection, borrowed from the pool or inside a transaction; every store function takes one.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// A pooled connection for reads.
pub enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Pooled {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back: nothing half-written survives.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    /// Links the transaction's audit events into the chain, then commits.
    pub async fn commit(mut self) -> Result<(), AppError> {
        audit::seal(&mut self.conn()).await?;
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// A pooled connection idle this long is checked with a ping before it is handed out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(10);

/// The pool's check before it hands out a connection. sqlx's default pings every connection on every
/// acquire: a round trip per statement, which under load cost about 8% of the server's time. A connection
/// that was just in use is known to be alive, so only one that sat idle (the database may have restarted
/// meanwhile) is pinged; a failed ping discards it and the pool takes or opens another.
async fn ping_if_idle<C: sqlx::Connection>(
    conn: &mut C,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    if meta.idle_for >= PING_AFTER_IDLE {
        conn.ping().await?;
    }
    Ok(true)
}

impl Db {
    /// Connects to the URL's backend (`sqlite:` or `postgres:`), creating a SQLite file and its folder if needed.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).context("parsing the PostgreSQL URL")?;
            create_postgres_database_if_missing(url).await?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| Box::pin(ping_if_idle(conn, meta)))
                .connect_with(opts)
                .await
                .context("connecting to PostgreSQL")?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .context("parsing the SQLite URL")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if let Some(dir) = opts.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| Box::pin(ping_if_idle(conn, meta)))
                .connect_with(opts)
                .await
                .context("opening the SQLite database")?;
            Ok(Db::Sqlite(pool))
        } else {
            anyhow::bail!("the database URL must start with sqlite: or postgres:")
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Fails unless every migration this build knows has been applied (for a run-time role that may not apply
    /// them itself).
    pub async fn check_migrated(&self) -> anyhow::Result<()> {
        let (known, applied): (Vec<i64>, Result<Vec<(i64,)>, sqlx::Error>) = match self {
            Db::Sqlite(p) => (
                sqlx::migrate!("migrations/sqlite").iter().map(|m| m.version).collect(),
                sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(p).await,
            ),
            Db::Postgres(p) => (
                sqlx::migrate!("migrations/postgres").iter().map(|m| m.version).collect(),
                sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(p).await,
            ),
        };
        let applied: Vec<i64> = applied.context("reading the applied migrations")?.into_iter().map(|r| r.0).collect();
        let pending: Vec<String> = known.iter().filter(|v| !applied.contains(v)).map(|v| v.to_string()).collect();
        anyhow::ensure!(
            pending.is_empty(),
            "migrations {} are not applied yet: run `recovery-pool migrate` as the database's owner first",
            pending.join(", ")
        );
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn acquire(&self) -> Result<Pooled, AppError> {
        Ok(match self {
            Db::Sqlite(p) => Pooled::Sqlite(p.acquire().await?),
            Db::Postgres(p) => Pooled::Postgres(p.acquire().await?),
        })
    }

    /// A transaction that serialises writers: `BEGIN IMMEDIATE` on SQLite takes the write lock at once, so a
    /// read-then-write cannot interleave with another; on PostgreSQL the store locks the rows it checks
    /// (`SELECT … FOR UPDATE`).
    pub async fn begin(&self) -> Result<Tx, AppError> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        let r = match self {
            Db::Sqlite(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
        };
        r.is_ok()
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return AppError::Duplicate { field: None };
            }
            if db.is_foreign_key_violation() {
                return AppError::invalid("id", "refers to an object that does not exist");
            }
        }
        AppError::Internal(e.into())
    }
}

/// `FOR UPDATE` where the backend needs it to serialise a read-then-write (SQLite's `BEGIN IMMEDIATE` already does).
pub fn for_update(conn: &Conn<'_>) -> &'static str {
    match conn {
        Conn::Sqlite(_) => "",
        Conn::Postgres(_) => " FOR UPDATE",
    }
}

/// First start on PostgreSQL: when the database in the URL does not exist yet, create it through the server's
/// maintenance database, or say what to run when this role may not.
pub async fn create_postgres_database_if_missing(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let opts = PgConnectOptions::from_str(url).context("parsing the PostgreSQL URL")?;
    match sqlx::PgConnection::connect_with(&opts).await {
        Ok(conn) => {
            let _ = conn.close().await;
            return Ok(());
        }
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {}
        Err(e) => return Err(anyhow::Error::new(e).context("connecting to PostgreSQL")),
    }
    let name = opts.get_database().unwrap_or("postgres").to_string();
    let created = async {
        let mut admin = sqlx::PgConnection::connect_with(&opts.clone().database("postgres")).await?;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::query(&format!("CREATE DATABASE {quoted}")).execute(&mut admin).await?;
        admin.close().await
    }
    .await;
    match created {
        Ok(()) => {
            tracing::info!(database = %name, "created the database");
            Ok(())
        }
        Err(e) => anyhow::bail!(
            "the database \"{name}\" does not exist and this role cannot create it ({e}); ask the server's owner to run \
             `createdb {name}` (or `CREATE DATABASE \"{name}\" OWNER <this role>;`), then start again"
        ),
    }
}
