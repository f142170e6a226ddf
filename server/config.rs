//! Settings: command-line flags, each with a `RECOVERY_POOL_*` (or `DATABASE_URL`) environment variable.

use std::path::PathBuf;

use clap::Args;

/// Each default, once: the flags below and the `Default` impls of the settings that are built without a
/// command line (tests, tools) both use these.
pub mod defaults {
    pub const DATABASE_URL: &str = "sqlite://data/recovery-pool.db";
    pub const LISTEN: &str = "127.0.0.1:8080";
    pub const MAX_DEPTH: usize = 12;
    pub const MAX_COMPLEXITY: usize = 5_000;
    pub const MAX_FIELDS: usize = 400;
    pub const MAX_BODY_BYTES: usize = 256 * 1024;
    pub const REQUEST_TIMEOUT_SECONDS: u64 = 30;
    pub const MAX_CONNECTIONS: usize = 512;
    pub const IDLE_TIMEOUT_SECONDS: u64 = 20;
    pub const WS_INIT_TIMEOUT_SECONDS: u64 = 10;
    pub const MAX_SUBSCRIPTIONS: usize = 50;
    pub const MAIL_FROM: &str = "recovery-pool <noreply@recovery-pool.invalid>";
    pub const DIGEST_HOUR_UTC: u32 = 6;
    pub const STALE_PROPOSAL_HOURS: i64 = 72;
    pub const INKIND_HOURLY_RATE_CENTS: i64 = 7_500;
    pub const PUBLIC_URL: &str = "http://127.0.0.1:8080";
    pub const CONTACT_RETENTION_DAYS: i64 = 365;
}

/// A setting that must not reach a log: its `Debug` shows only that it is set. `expose` gives the value to
/// the one place that uses it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// A database or mail server URL: its `Debug` and `Display` hide the password (`scheme://user:***@host/…`).
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl(String);

impl ServerUrl {
    pub fn new(value: impl Into<String>) -> ServerUrl {
        ServerUrl(value.into())
    }

    /// The URL with its password, for connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn masked(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else { return self.0.clone() };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
                let hidden = if userinfo.contains(':') { ":***" } else { "" };
                format!("{scheme}://{user}{hidden}@{host}{tail}")
            }
            None => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerUrl({})", self.masked())
    }
}

impl std::fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

impl std::str::FromStr for ServerUrl {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ServerUrl(s.to_string()))
    }
}

/// Where the data lives and how tokens are signed: shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct StoreSettings {
    /// Database URL: `sqlite://…` (embedded, the default) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = defaults::DATABASE_URL, hide_env_values = true)]
    pub database_url: ServerUrl,
    /// Folder for the SQLite file's neighbours: the token signing key and backups.
    #[arg(long, env = "RECOVERY_POOL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Largest number of open database connections.
    #[arg(long, env = "RECOVERY_POOL_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// Token signing secret (base64url, ≥ 32 bytes). When absent, a key is generated on first start and kept in
    /// the data folder (`keys/jwt.json`, which may list older keys too so tokens survive a rotation).
    #[arg(long, env = "RECOVERY_POOL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
    /// Key id sent with tokens signed by `--jwt-secret`.
    #[arg(long, env = "RECOVERY_POOL_JWT_KID", default_value = "configured")]
    pub jwt_kid: String,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "RECOVERY_POOL_TOKEN_TTL_SECONDS", default_value_t = 3600)]
    pub token_ttl_seconds: i64,
    /// Apply pending migrations at start. Turn off when the service runs as a role that owns nothing (the
    /// migrations then run as the owner with `migrate`); the service checks that none is pending and refuses
    /// to start otherwise.
    #[arg(long, env = "RECOVERY_POOL_MIGRATE", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate: bool,
}

/// Settings of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    /// Address to listen on.
    #[arg(long, env = "RECOVERY_POOL_LISTEN", default_value = defaults::LISTEN)]
    pub listen: String,
    /// Serve `/metrics` on this address (e.g. `127.0.0.1:9090`) instead of on the main one, so that it stays
    /// off the port the public reaches.
    #[arg(long, env = "RECOVERY_POOL_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Load the demo pool and demo accounts (one per role) into an empty database, and print the accounts.
    #[arg(long, env = "RECOVERY_POOL_DEMO")]
    pub demo: bool,
    /// E-mail of the first admin, created on an empty database (without --demo).
    #[arg(long, env = "RECOVERY_POOL_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of the first admin; when absent, one is generated and printed once.
    #[arg(long, env = "RECOVERY_POOL_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<Secret>,
    /// Serve GraphiQL on GET /graphql.
    #[arg(long, env = "RECOVERY_POOL_GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set)]
    pub graphiql: bool,
    /// Answer introspection queries.
    #[arg(long, env = "RECOVERY_POOL_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// Largest request body, in bytes.
    #[arg(long, env = "RECOVERY_POOL_MAX_BODY_BYTES", default_value_t = defaults::MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Longest a request may run, in seconds.
    #[arg(long, env = "RECOVERY_POOL_REQUEST_TIMEOUT_SECONDS", default_value_t = defaults::REQUEST_TIMEOUT_SECONDS)]
    pub request_timeout_seconds: u64,
    /// Deepest nesting a query may have.
    #[arg(long, env = "RECOVERY_POOL_MAX_DEPTH", default_value_t = defaults::MAX_DEPTH)]
    pub max_depth: usize,
    /// Highest complexity a query may have.
    #[arg(long, env = "RECOVERY_POOL_MAX_COMPLEXITY", default_value_t = defaults::MAX_COMPLEXITY)]
    pub max_complexity: usize,
    /// Most fields (aliases and `__typename` included) a query may select.
    #[arg(long, env = "RECOVERY_POOL_MAX_FIELDS", default_value_t = defaults::MAX_FIELDS)]
    pub max_fields: usize,
    /// Open connections served at once (WebSockets included); further clients wait in the listen backlog.
    #[arg(long, env = "RECOVERY_POOL_MAX_CONNECTIONS", default_value_t = defaults::MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Seconds a connection may sit without a complete request head (idle keep-alive or a slow client).
    #[arg(long, env = "RECOVERY_POOL_IDLE_TIMEOUT_SECONDS", default_value_t = defaults::IDLE_TIMEOUT_SECONDS)]
    pub idle_timeout_seconds: u64,
    /// Seconds a WebSocket may take to send `connection_init`.
    #[arg(long, env = "RECOVERY_POOL_WS_INIT_TIMEOUT_SECONDS", default_value_t = defaults::WS_INIT_TIMEOUT_SECONDS)]
    pub ws_init_timeout_seconds: u64,
    /// Subscriptions one WebSocket connection may hold at once.
    #[arg(long, env = "RECOVERY_POOL_MAX_SUBSCRIPTIONS", default_value_t = defaults::MAX_SUBSCRIPTIONS)]
    pub max_subscriptions: usize,
}

/// Log output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Settings of the workflows: notifications, e-mail, the contribution ledger.
#[derive(Debug, Clone, Args)]
pub struct WorkflowSettings {
    /// SMTP server for e-mail, e.g. `smtp://mail.example.org:25` or `smtps://user:pass@host:465`. When absent,
    /// e-mails are only recorded in the outbox.
    #[arg(long, env = "RECOVERY_POOL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<ServerUrl>,
    /// Sender address of e-mails.
    #[arg(long, env = "RECOVERY_POOL_MAIL_FROM", default_value = defaults::MAIL_FROM)]
    pub mail_from: String,
    /// Hour of the day (UTC) the daily digest goes out.
    #[arg(long, env = "RECOVERY_POOL_DIGEST_HOUR_UTC", default_value_t = defaults::DIGEST_HOUR_UTC)]
    pub digest_hour_utc: u32,
    /// Proposals waiting longer than this many hours for an answer are flagged to the pool coordinators.
    #[arg(long, env = "RECOVERY_POOL_STALE_PROPOSAL_HOURS", default_value_t = defaults::STALE_PROPOSAL_HOURS)]
    pub stale_proposal_hours: i64,
    /// In-kind value of one hour of an expert's time, in euro cents, for the contribution ledger.
    #[arg(long, env = "RECOVERY_POOL_INKIND_HOURLY_RATE_CENTS", default_value_t = defaults::INKIND_HOURLY_RATE_CENTS)]
    pub inkind_hourly_rate_cents: i64,
    /// The address people open the service at; links in e-mails start with it.
    #[arg(long, env = "RECOVERY_POOL_PUBLIC_URL", default_value = defaults::PUBLIC_URL)]
    pub public_url: String,
    /// Days after an expert leaves the pool (or withdraws consent) until their e-mail address and phone number are
    /// erased automatically.
    #[arg(long, env = "RECOVERY_POOL_CONTACT_RETENTION_DAYS", default_value_t = defaults::CONTACT_RETENTION_DAYS)]
    pub contact_retention_days: i64,
}

impl Default for WorkflowSettings {
    fn default() -> Self {
        WorkflowSettings {
            smtp_url: None,
            mail_from: defaults::MAIL_FROM.into(),
            digest_hour_utc: defaults::DIGEST_HOUR_UTC,
            stale_proposal_hours: defaults::STALE_PROPOSAL_HOURS,
            inkind_hourly_rate_cents: defaults::INKIND_HOURLY_RATE_CENTS,
            public_url: defaults::PUBLIC_URL.into(),
            contact_retention_days: defaults::CONTACT_RETENTION_DAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let store = StoreSettings {
            database_url: ServerUrl::new("postgres://pool_app:s3cr3t-db@db.internal:5432/pool?sslmode=require"),
            data_dir: PathBuf::from("data"),
            db_max_connections: 4,
            jwt_secret: Some(Secret::new("s3cr3t-jwt")),
            jwt_kid: "k1".into(),
            token_ttl_seconds: 60,
            migrate: true,
        };
        let workflow = WorkflowSettings {
            smtp_url: Some(ServerUrl::new("smtps://mailer:s3cr3t-smtp@mail:465")),
            ..Default::default()
        };
        let shown = format!("{store:?} {workflow:?} {:?}", Secret::new("s3cr3t-admin"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("postgres://pool_app:***@db.internal:5432/pool?sslmode=require"), "{shown}");
        assert!(shown.contains("smtps://mailer:***@mail:465"), "{shown}");
        assert_eq!(store.database_url.expose(), "postgres://pool_app:s3cr3t-db@db.internal:5432/pool?sslmode=require");
    }

    #[test]
    fn a_url_without_a_password_reads_as_it_is() {
        assert_eq!(ServerUrl::new("sqlite://data/recovery-pool.db").to_string(), "sqlite://data/recovery-pool.db");
        assert_eq!(
            ServerUrl::new("postgres://postgres@127.0.0.1/test").to_string(),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
