//! Settings: command-line flags, each with a `RECOVERY_POOL_*` (or `DATABASE_URL`) environment variable.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::graphql::SchemaLimits;
use crate::http::HttpLimits;

/// Where the data lives and how tokens are signed: shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct StoreSettings {
    /// Database URL: `sqlite://…` (embedded, the default) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/recovery-pool.db")]
    pub database_url: String,
    /// Folder for the SQLite file's neighbours: the token signing key and backups.
    #[arg(long, env = "RECOVERY_POOL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Largest number of open database connections.
    #[arg(long, env = "RECOVERY_POOL_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// Token signing secret (base64url, ≥ 32 bytes). When absent, a key is generated on first start and kept in
    /// the data folder (`keys/jwt.json`, which may list older keys too so tokens survive a rotation).
    #[arg(long, env = "RECOVERY_POOL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
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
    #[arg(long, env = "RECOVERY_POOL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Load the demo pool and demo accounts (one per role) into an empty database, and print the accounts.
    #[arg(long, env = "RECOVERY_POOL_DEMO")]
    pub demo: bool,
    /// E-mail of the first admin, created on an empty database (without --demo).
    #[arg(long, env = "RECOVERY_POOL_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of the first admin; when absent, one is generated and printed once.
    #[arg(long, env = "RECOVERY_POOL_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Serve GraphiQL on GET /graphql.
    #[arg(long, env = "RECOVERY_POOL_GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set)]
    pub graphiql: bool,
    /// Answer introspection queries.
    #[arg(long, env = "RECOVERY_POOL_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// Largest request body, in bytes.
    #[arg(long, env = "RECOVERY_POOL_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Longest a request may run, in seconds.
    #[arg(long, env = "RECOVERY_POOL_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,
    /// Deepest nesting a query may have.
    #[arg(long, env = "RECOVERY_POOL_MAX_DEPTH", default_value_t = 12)]
    pub max_depth: usize,
    /// Highest complexity a query may have.
    #[arg(long, env = "RECOVERY_POOL_MAX_COMPLEXITY", default_value_t = 5000)]
    pub max_complexity: usize,
    /// Most fields (aliases and `__typename` included) a query may select.
    #[arg(long, env = "RECOVERY_POOL_MAX_FIELDS", default_value_t = 400)]
    pub max_fields: usize,
    /// Open connections served at once (WebSockets included); further clients wait in the listen backlog.
    #[arg(long, env = "RECOVERY_POOL_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// Seconds a connection may sit without a complete request head (idle keep-alive or a slow client).
    #[arg(long, env = "RECOVERY_POOL_IDLE_TIMEOUT_SECONDS", default_value_t = 20)]
    pub idle_timeout_seconds: u64,
    /// Seconds a WebSocket may take to send `connection_init`.
    #[arg(long, env = "RECOVERY_POOL_WS_INIT_TIMEOUT_SECONDS", default_value_t = 10)]
    pub ws_init_timeout_seconds: u64,
    /// Subscriptions one WebSocket connection may hold at once.
    #[arg(long, env = "RECOVERY_POOL_MAX_SUBSCRIPTIONS", default_value_t = 50)]
    pub max_subscriptions: usize,
}

impl ServeSettings {
    pub fn schema_limits(&self) -> SchemaLimits {
        SchemaLimits {
            max_depth: self.max_depth,
            max_complexity: self.max_complexity,
            max_fields: self.max_fields,
            introspection: self.introspection,
        }
    }

    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            max_body_bytes: self.max_body_bytes,
            request_timeout: Duration::from_secs(self.request_timeout_seconds),
            max_connections: self.max_connections.max(1),
            idle_timeout: Duration::from_secs(self.idle_timeout_seconds.max(1)),
            ws_init_timeout: Duration::from_secs(self.ws_init_timeout_seconds.max(1)),
            max_subscriptions: self.max_subscriptions.max(1),
        }
    }
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
    pub smtp_url: Option<String>,
    /// Sender address of e-mails.
    #[arg(long, env = "RECOVERY_POOL_MAIL_FROM", default_value = "recovery-pool <noreply@recovery-pool.invalid>")]
    pub mail_from: String,
    /// Hour of the day (UTC) the daily digest goes out.
    #[arg(long, env = "RECOVERY_POOL_DIGEST_HOUR_UTC", default_value_t = 6)]
    pub digest_hour_utc: u32,
    /// Proposals waiting longer than this many hours for an answer are flagged to the pool coordinators.
    #[arg(long, env = "RECOVERY_POOL_STALE_PROPOSAL_HOURS", default_value_t = 72)]
    pub stale_proposal_hours: i64,
    /// In-kind value of one hour of an expert's time, in euro cents, for the contribution ledger.
    #[arg(long, env = "RECOVERY_POOL_INKIND_HOURLY_RATE_CENTS", default_value_t = 7_500)]
    pub inkind_hourly_rate_cents: i64,
    /// The address people open the service at; links in e-mails start with it.
    #[arg(long, env = "RECOVERY_POOL_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
}

impl Default for WorkflowSettings {
    fn default() -> Self {
        WorkflowSettings {
            smtp_url: None,
            mail_from: "recovery-pool <noreply@recovery-pool.invalid>".into(),
            digest_hour_utc: 6,
            stale_proposal_hours: 72,
            inkind_hourly_rate_cents: 7_500,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}
