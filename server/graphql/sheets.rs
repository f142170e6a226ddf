//! Spreadsheets out: the lists people keep elsewhere, as CSV or XLSX files (base64 in the answer, so the client
//! saves them as they are).

use async_graphql::{
    Context, Enum, ID, InputValueError, InputValueResult, Object, Scalar, ScalarType, SimpleObject, Value,
};
use base64::Engine;
use chrono::NaiveDate;

use super::assignments::AssignmentFilterInput;
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::parse_id;
use super::plans::NeedFilterInput;
use crate::service::sheet::SheetFile;

/// The format of a spreadsheet file.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
#[graphql(name = "SheetFormat", remote = "crate::service::sheet::SheetFormat")]
pub enum SheetFormatGql {
    /// Comma-separated, UTF-8, a header row first.
    #[default]
    Csv,
    /// Excel workbook with one sheet, a bold header row, every cell text.
    Xlsx,
}

/// A file to save. Cells a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`) carry an
/// apostrophe before them.
#[derive(SimpleObject)]
pub struct SpreadsheetFile {
    /// A file name to save it under, e.g. `needs.xlsx`.
    pub filename: String,
    /// The media type (`text/csv; charset=utf-8` or the XLSX one).
    pub media_type: String,
    /// The file's bytes, base64.
    pub base64: String,
}

impl From<SheetFile> for SpreadsheetFile {
    fn from(f: SheetFile) -> Self {
        SpreadsheetFile {
            filename: f.filename,
            media_type: f.format.media_type().to_string(),
            base64: base64::engine::general_purpose::STANDARD.encode(&f.bytes),
        }
    }
}

#[derive(Default)]
pub struct SheetQuery;

#[Object]
impl SheetQuery {
    /// A contributing municipality's experts in the columns `importExperts` reads (its officers, admins).
    async fn experts_sheet(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        Ok(r.services.experts_sheet(r.principal(), m, format.into()).await.api()?.into())
    }

    /// An empty experts sheet with one example row, to fill in and import.
    async fn experts_template(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        crate::auth::policy::require(rc(ctx).principal()).api()?;
        Ok(crate::service::Services::experts_template(format.into()).api()?.into())
    }

    /// An empty needs sheet with an example need of two roles, in the columns `importNeeds` reads.
    async fn needs_template(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        crate::auth::policy::require(rc(ctx).principal()).api()?;
        Ok(crate::service::Services::needs_template(format.into()).api()?.into())
    }

    /// The needs the caller sees, one row per role with its seats, seats filled, skills and languages (at most
    /// 20,000 needs; filter when there are more).
    async fn needs_sheet(
        &self,
        ctx: &Context<'_>,
        filter: Option<NeedFilterInput>,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default().into_filter()?;
        Ok(r.services.needs_sheet(r.principal(), &f, format.into()).await.api()?.into())
    }

    /// The assignments the caller sees, with the hours delivered on each.
    async fn assignments_sheet(
        &self,
        ctx: &Context<'_>,
        filter: Option<AssignmentFilterInput>,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default().into_filter()?;
        Ok(r.services.assignments_sheet(r.principal(), f, format.into()).await.api()?.into())
    }

    /// The contribution ledger as a file, in the same columns as `contributionLedgerCsv`.
    async fn contribution_ledger_sheet(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the period (inclusive); all time when omitted.")] from: Option<NaiveDate>,
        #[graphql(desc = "Last day of the period (inclusive); open-ended when omitted.")] until: Option<NaiveDate>,
        #[graphql(default)] format: SheetFormatGql,
    ) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        let period = super::ledger::period(from, until)?;
        Ok(r.services.ledger_sheet(r.principal(), period, format.into()).await.api()?.into())
    }
}

#[derive(Default)]
pub struct SheetMutation;

#[Object]
impl SheetMutation {
    /// Brings a plan's needs in from a sheet (CSV or XLSX; AUC for any plan, a hromada officer for their own):
    /// one row per role, rows with the same `reference` (DREAM project id or the list's own) make one need;
    /// columns reference, need, description, sector, priority, start_date, end_date, modes, role, seats,
    /// hours_per_week, skills (`code or name:minimum level[:optional]; …`), languages (`code or name:level; …`),
    /// interpreter_available. New references become DRAFT needs; a DRAFT need's reference updates it; a need past
    /// DRAFT must match. All or nothing, every problem by row and column; `dryRun` only checks.
    async fn import_needs(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
        #[graphql(desc = "The sheet as CSV text (comma or semicolon separated).")] csv: Option<String>,
        #[graphql(desc = "The file (CSV or XLSX) as base64, instead of `csv`.")] file: Option<FileBase64>,
        #[graphql(desc = "Only check the sheet (default false).")] dry_run: Option<bool>,
    ) -> ApiResult<super::experts::SheetImport> {
        let r = rc(ctx);
        let plan = parse_id(&plan_id, "planId")?;
        let bytes = file_bytes(csv, file)?;
        Ok(r.services.import_needs(r.principal(), plan, &bytes, dry_run.unwrap_or(false)).await.api()?.into())
    }
}

/// A whole file, base64-encoded: bounded by the request body limit rather than the string limit.
pub struct FileBase64(pub String);

/// A whole file (a spreadsheet to import), base64-encoded. Only its size bounds it: the request body limit.
#[Scalar(name = "FileBase64")]
impl ScalarType for FileBase64 {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) => Ok(FileBase64(s)),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// The bytes of an uploaded sheet: CSV text, or a CSV or XLSX file in base64; exactly one of the two.
pub fn file_bytes(csv: Option<String>, file: Option<FileBase64>) -> ApiResult<Vec<u8>> {
    use crate::domain::AppError;
    match (csv, file) {
        (Some(text), None) => Ok(text.into_bytes()),
        (None, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64.0.trim())
            .map_err(|_| super::error::ApiError(AppError::invalid("file", "is not base64")).into()),
        _ => Err(super::error::ApiError(AppError::invalid("file", "give the sheet as either csv or file")).into()),
    }
}
