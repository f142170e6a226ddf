//! Spreadsheets from the command line: the same imports and exports as the API, acting as a named account with
//! that account's rights (its scope, and its name in the audit log).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::config::StoreSettings;
use crate::domain::UserStatus;
use crate::service::Services;
use crate::service::sheet::SheetFormat;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportKind {
    /// A municipality's experts (`--municipality`).
    Experts,
    /// A recovery plan's needs (`--plan`).
    Needs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportKind {
    /// A municipality's experts (`--municipality`).
    Experts,
    /// The needs the account sees, one row per role.
    Needs,
    /// The assignments the account sees.
    Assignments,
    /// The contribution ledger (all time).
    Ledger,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreSettings,
    pub kind: ImportKind,
    /// The sheet, CSV or XLSX.
    pub file: PathBuf,
    /// The e-mail of the account to act as (its rights apply, and the audit log names it).
    #[arg(long = "as")]
    pub as_email: String,
    /// The municipality's official code (experts), e.g. GM0344.
    #[arg(long)]
    pub municipality: Option<String>,
    /// The recovery plan's id (needs).
    #[arg(long)]
    pub plan: Option<uuid::Uuid>,
    /// Only check the sheet and report.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreSettings,
    pub kind: ExportKind,
    /// Where to write the file.
    #[arg(long, short)]
    pub output: PathBuf,
    #[arg(long = "as")]
    pub as_email: String,
    #[arg(long)]
    pub municipality: Option<String>,
    #[arg(long, value_enum, default_value = "xlsx")]
    pub format: FormatArg,
}

fn app_err(e: crate::domain::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

async fn principal(s: &Services, email: &str) -> anyhow::Result<crate::auth::Principal> {
    let user = s
        .all_users_as_system()
        .await
        .map_err(app_err)?
        .into_iter()
        .find(|u| u.email.eq_ignore_ascii_case(email.trim()) && u.status == UserStatus::Active)
        .with_context(|| format!("no active account {email}"))?;
    crate::service::users::principal_of(&user).map_err(app_err)
}

pub async fn run_import(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let s = crate::app::open(&args.store).await?;
    let result = async {
        let p = principal(&s, &args.as_email).await?;
        let outcome = match args.kind {
            ImportKind::Experts => {
                let code = args.municipality.as_deref().context("--municipality is required for experts")?;
                let m = s.municipality_id_by_code(code).await.map_err(app_err)?;
                s.import_experts(Some(&p), m, &bytes, args.dry_run).await
            }
            ImportKind::Needs => {
                let plan = args.plan.context("--plan is required for needs")?;
                s.import_needs(Some(&p), plan, &bytes, args.dry_run).await
            }
        }
        .map_err(app_err)?;
        for problem in &outcome.problems {
            println!(
                "row {}, {}: {}",
                problem.row,
                if problem.column.is_empty() { "-" } else { &problem.column },
                problem.message
            );
        }
        println!(
            "{} rows: {} new, {} updated, {} unchanged; {}",
            outcome.rows,
            outcome.created,
            outcome.updated,
            outcome.unchanged,
            if outcome.applied { "written" } else { "nothing written" }
        );
        anyhow::ensure!(outcome.problems.is_empty(), "{} problems in the sheet", outcome.problems.len());
        Ok(())
    }
    .await;
    s.db.close().await;
    result
}

pub async fn run_export(args: ExportArgs) -> anyhow::Result<()> {
    let s = crate::app::open(&args.store).await?;
    let format = match args.format {
        FormatArg::Csv => SheetFormat::Csv,
        FormatArg::Xlsx => SheetFormat::Xlsx,
    };
    let result = async {
        let p = principal(&s, &args.as_email).await?;
        let file = match args.kind {
            ExportKind::Experts => {
                let code = args.municipality.as_deref().context("--municipality is required for experts")?;
                let m = s.municipality_id_by_code(code).await.map_err(app_err)?;
                s.experts_sheet(Some(&p), m, format).await
            }
            ExportKind::Needs => s.needs_sheet(Some(&p), &Default::default(), format).await,
            ExportKind::Assignments => s.assignments_sheet(Some(&p), Default::default(), format).await,
            ExportKind::Ledger => {
                let all_time = crate::service::ledger::Period::new(None, None).map_err(app_err)?;
                s.ledger_sheet(Some(&p), all_time, format).await
            }
        }
        .map_err(app_err)?;
        std::fs::write(&args.output, &file.bytes).with_context(|| format!("writing {}", args.output.display()))?;
        println!("wrote {} ({} bytes)", args.output.display(), file.bytes.len());
        Ok(())
    }
    .await;
    s.db.close().await;
    result
}
