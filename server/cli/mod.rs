//! The command line. Every command goes through the service layer, never the store.

pub mod match_cmd;
pub mod sheets_cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{LogFormat, ServeSettings, StoreSettings, WorkflowSettings};
use crate::domain::Role;
use crate::domain::input::UserInput;

#[derive(Debug, Parser)]
#[command(
    name = "recovery-pool",
    version,
    about = "The network pool of municipal experts for Ukrainian municipalities' local recovery plans"
)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "RECOVERY_POOL_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the service (creates and migrates the database on first start).
    Serve {
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        serve: ServeSettings,
        #[command(flatten)]
        workflow: WorkflowSettings,
    },
    /// Create or migrate the database and load the reference data, then exit.
    Migrate {
        #[command(flatten)]
        store: StoreSettings,
    },
    /// Manage user accounts.
    User {
        #[command(flatten)]
        store: StoreSettings,
        #[command(subcommand)]
        action: UserAction,
    },
    /// Check the audit log's hash chain: every event still as written, none removed or slipped in. Exits with
    /// status 1 when it does not hold.
    VerifyAudit {
        #[command(flatten)]
        store: StoreSettings,
    },
    /// Write a consistent copy of the database while the service runs: SQLite through `VACUUM INTO`, PostgreSQL
    /// through `pg_dump --format=custom` (PostgreSQL's client tools must be installed). Without FILE, the copy goes
    /// to `<data dir>/backups/` with the time in its name.
    Backup {
        #[command(flatten)]
        store: StoreSettings,
        /// Where to write the copy; never overwritten.
        file: Option<PathBuf>,
    },
    /// Bring a backup back into an empty database (on PostgreSQL created when missing), then migrate it and check
    /// its integrity and its audit chain.
    Restore {
        #[command(flatten)]
        store: StoreSettings,
        /// A file written by `backup`.
        file: PathBuf,
    },
    /// Bring experts or a plan's needs in from a CSV or XLSX sheet, acting as the account named by `--as`
    /// (all or nothing; every problem printed by row and column; `--dry-run` only checks).
    Import(sheets_cmd::ImportArgs),
    /// Write experts, needs, assignments or the ledger to a CSV or XLSX file, as the account named by `--as`
    /// sees them.
    Export(sheets_cmd::ExportArgs),
    /// Write the GraphQL schema (SDL) to a file, `-` for standard output.
    ExportSchema {
        #[arg(default_value = "schema/schema.graphql")]
        output: PathBuf,
    },
    /// Solve a matching instance file (JSON) and print the proposals and the objective.
    Match(match_cmd::MatchArgs),
    /// Write a synthetic matching instance of a given size and seed.
    Generate(match_cmd::GenerateArgs),
    /// Write a matching instance file's experts and needs into an empty database (reference data loaded), to run
    /// and measure rounds through the API on the engine's benchmark pools (docs/matching.md).
    LoadInstance {
        #[command(flatten)]
        store: StoreSettings,
        /// The instance file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account; the password comes from RECOVERY_POOL_NEW_PASSWORD.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Official code of the officer's municipality (e.g. GM0344, UA46060250000025047).
        #[arg(long)]
        municipality_code: Option<String>,
        /// The expert profile of an EXPERT account.
        #[arg(long)]
        expert_id: Option<uuid::Uuid>,
        #[arg(long, env = "RECOVERY_POOL_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// List all accounts.
    List,
    /// Set an account's password (from RECOVERY_POOL_NEW_PASSWORD).
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long, env = "RECOVERY_POOL_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.to_uppercase().replace('-', "_").parse::<Role>().map_err(|e| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("{e}; one of {}", all.join(", "))
    })
}

/// An error and its causes on one line, each said once: a cause whose text its context already quotes (as in
/// `bad instance file: <cause>`) is not repeated.
pub fn describe_error(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn app_err(e: crate::domain::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { store, serve, workflow } => crate::app::serve(&store, &serve, workflow).await,
        Command::Migrate { mut store } => {
            store.migrate = true;
            let s = crate::app::open(&store).await?;
            println!("database ready ({})", s.db.backend());
            s.db.close().await;
            Ok(())
        }
        Command::User { store, action } => {
            let s = crate::app::open(&store).await?;
            let r = user_command(&s, action).await;
            s.db.close().await;
            r
        }
        Command::VerifyAudit { store } => {
            let s = crate::app::open(&store).await?;
            let report = s.verify_audit_chain().await.map_err(app_err);
            s.db.close().await;
            let report = report?;
            println!(
                "audit chain: {} events chained, {} recorded before the chain; head {}",
                report.chained, report.legacy, report.head_hash
            );
            if let Some(first) = report.defects.first() {
                anyhow::bail!("the audit log does not verify: {first}");
            }
            println!("the audit log verifies");
            Ok(())
        }
        Command::Backup { store, file } => {
            let db = crate::store::Db::connect(store.database_url.expose(), 2).await?;
            let file = file.unwrap_or_else(|| default_backup_file(&store, db.backend()));
            let report = crate::store::backup::backup(&db, store.database_url.expose(), &file).await;
            db.close().await;
            let report = report?;
            println!(
                "backup of the {} database written to {} ({} bytes)",
                report.engine,
                report.file.display(),
                report.bytes
            );
            Ok(())
        }
        Command::Restore { mut store, file } => {
            crate::store::backup::restore(store.database_url.expose(), &file).await?;
            store.migrate = true;
            let s = crate::app::open(&store).await?;
            let checked = restored_checks(&s).await;
            s.db.close().await;
            let chained = checked?;
            println!(
                "restored {} into {}: integrity checked, {chained} audit events verify",
                file.display(),
                store.database_url
            );
            Ok(())
        }
        Command::Import(args) => sheets_cmd::run_import(args).await,
        Command::Export(args) => sheets_cmd::run_export(args).await,
        Command::ExportSchema { output } => crate::app::export_schema(&output),
        Command::Match(args) => match_cmd::run_match(&args),
        Command::Generate(args) => match_cmd::run_generate(&args),
        Command::LoadInstance { mut store, file } => {
            let (pool, _) = crate::matching::instance::read(&file)?;
            store.migrate = true;
            let s = crate::app::open(&store).await?;
            let started = std::time::Instant::now();
            let report = s.load_instance(&pool).await.map_err(app_err);
            s.db.close().await;
            let r = report?;
            println!(
                "loaded {}: {} experts, {} plans, {} needs, {} roles in {:.1} s; left out {} commitments, {} exclusions \
                 and {} continuity pairs (the service derives them from assignments and ties)",
                file.display(),
                r.experts,
                r.plans,
                r.needs,
                r.roles,
                started.elapsed().as_secs_f64(),
                r.commitments_left_out,
                r.exclusions_left_out,
                r.continuity_left_out
            );
            Ok(())
        }
    }
}

fn default_backup_file(store: &StoreSettings, engine: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let ext = if engine == "postgres" { "dump" } else { "db" };
    store.data_dir.join("backups").join(format!("recovery-pool-{stamp}.{ext}"))
}

/// After a restore: the engine's integrity check and the audit chain; the number of chained events.
async fn restored_checks(s: &crate::service::Services) -> anyhow::Result<i64> {
    crate::store::backup::check_integrity(&s.db).await?;
    let report = s.verify_audit_chain().await.map_err(app_err)?;
    if let Some(first) = report.defects.first() {
        anyhow::bail!("the restored audit log does not verify: {first}");
    }
    Ok(report.chained)
}

async fn user_command(s: &crate::service::Services, action: UserAction) -> anyhow::Result<()> {
    match action {
        UserAction::Create { email, name, role, municipality_code, expert_id, password } => {
            let municipality_id = match municipality_code {
                Some(code) => Some(s.municipality_id_by_code(&code).await.map_err(app_err)?),
                None => None,
            };
            let input = UserInput { email, display_name: name, password, role, municipality_id, expert_id };
            let u = s.create_user_as_system(input).await.map_err(app_err)?;
            println!("created {} ({}) {}", u.email, u.role, u.id);
        }
        UserAction::List => {
            for u in s.all_users_as_system().await.map_err(app_err)? {
                println!("{}  {:<22} {:<8} {}", u.id, u.role, u.status, u.email);
            }
        }
        UserAction::SetPassword { email, password } => {
            s.reset_password_as_system(&email, &password).await.map_err(app_err)?;
            println!("password set for {email}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::describe_error;

    #[test]
    fn an_error_chain_is_printed_once() {
        let cause = anyhow::anyhow!("line 3: expected a number");
        let quoted = cause.context("bad instance file: line 3: expected a number");
        assert_eq!(describe_error(&quoted), "bad instance file: line 3: expected a number");
        let plain = anyhow::anyhow!("connection refused").context("connecting to PostgreSQL");
        assert_eq!(describe_error(&plain), "connecting to PostgreSQL: connection refused");
    }
}
