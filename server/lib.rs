//! recovery-pool: the network pool through which municipalities lend staff experts to Ukrainian
//! municipalities' local recovery plans. Layers call only downwards:
//! http → graphql → service → (auth, store, domain, matching).

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod matching;
pub mod service;
pub mod store;

/// Installs the log subscriber: `RUST_LOG` filters (default `info`), text or JSON lines.
pub fn init_logging(format: config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        config::LogFormat::Json => builder.json().try_init(),
        config::LogFormat::Text => builder.try_init(),
    };
}
