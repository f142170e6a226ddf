//! Spreadsheets in and out, as CSV or XLSX: the plumbing every sheet of the service shares. Reading gives a
//! header and text cells whatever the format; writing takes a header and text cells. No cell goes out that a
//! spreadsheet would run as a formula, and none comes in that was one.

use std::io::Cursor;

use crate::domain::{AppError, AppResult};

/// The most data rows one sheet may hold.
pub const MAX_ROWS: usize = 2_000;
/// The most an XLSX file may hold once unpacked: well above a full sheet, far below what would strain the server.
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

/// How a sheet is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

impl SheetFormat {
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Csv => "csv",
            SheetFormat::Xlsx => "xlsx",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A file to download.
#[derive(Debug, Clone)]
pub struct SheetFile {
    pub filename: String,
    pub format: SheetFormat,
    pub bytes: Vec<u8>,
}

/// A sheet as read: the header names (lower case, trimmed) and the data rows with their row numbers (the header
/// is row 1), empty rows left out.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Takes the header or one data row (empty rows are skipped); false once past [`MAX_ROWS`], so a huge
    /// sheet is not read to its end.
    fn take(&mut self, is_header: bool, row: usize, cells: Vec<String>) -> bool {
        if is_header {
            self.headers = header(cells.into_iter());
        } else if cells.iter().any(|c| !c.is_empty()) {
            if self.rows.len() > MAX_ROWS {
                return false;
            }
            self.rows.push((row, cells));
        }
        true
    }

    /// The table, unless its first row names no column.
    fn named(self, field: &str) -> AppResult<Table> {
        if self.headers.iter().all(String::is_empty) {
            return Err(AppError::invalid(field, "the sheet is empty: the first row must name the columns"));
        }
        Ok(self)
    }

    /// Refuses a sheet that lacks one of the `required` columns, listing `all` of them.
    pub fn require(&self, required: &[&str], all: &[&str]) -> AppResult<()> {
        match required.iter().find(|r| !self.headers.iter().any(|h| h == *r)) {
            Some(missing) => Err(AppError::invalid(
                "file",
                format!("the column \"{missing}\" is missing; the columns are {}", all.join(", ")),
            )),
            None => Ok(()),
        }
    }

    /// The cell of `row` in the column named `name`, empty when there is no such column.
    pub fn cell<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.headers.iter().position(|h| h == name).and_then(|i| row.get(i)).map_or("", String::as_str)
    }
}

/// Text a spreadsheet would not take for a formula: a leading `=`, `+`, `-`, `@`, tab or carriage return gets
/// an apostrophe before it.
pub fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// Writes `rows` under `headers` as a file named `<name>.<csv|xlsx>`.
pub fn write(format: SheetFormat, name: &str, headers: &[&str], rows: &[Vec<String>]) -> AppResult<SheetFile> {
    let bytes = match format {
        SheetFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(headers).map_err(AppError::internal)?;
            for row in rows {
                w.write_record(row.iter().map(|c| spreadsheet_safe(c))).map_err(AppError::internal)?;
            }
            w.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("writing the CSV: {e}")))?
        }
        SheetFormat::Xlsx => {
            xlsx(name, headers, rows).map_err(|e| AppError::internal(anyhow::anyhow!("writing the XLSX file: {e}")))?
        }
    };
    Ok(SheetFile { filename: format!("{name}.{}", format.extension()), format, bytes })
}

fn xlsx(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Sheet names are at most 31 characters.
    sheet.set_name(name.chars().take(31).collect::<String>())?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Strings, never formulas; the apostrophe keeps them so when the file is saved again as CSV.
            sheet.write_string(r as u32 + 1, c as u16, spreadsheet_safe(cell))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

/// Reads a CSV (UTF-8, comma or semicolon) or XLSX (its first sheet) file. `field` names the input in errors.
pub fn read(bytes: &[u8], field: &str) -> AppResult<Table> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, field)?
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(AppError::invalid(field, "this is an old Excel file (.xls): save it as .xlsx or CSV"));
    } else if bytes.contains(&0) {
        return Err(AppError::invalid(field, "this is not a CSV or XLSX file"));
    } else {
        read_csv(bytes, field)?
    };
    if table.rows.len() > MAX_ROWS {
        return Err(AppError::invalid(
            field,
            format!("the sheet has more than {MAX_ROWS} rows, the most one import takes: split it"),
        ));
    }
    Ok(table)
}

fn header(cells: impl Iterator<Item = String>) -> Vec<String> {
    cells.map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase()).collect()
}

fn read_csv(bytes: &[u8], field: &str) -> AppResult<Table> {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    // Spreadsheets set to Dutch save CSV with semicolons.
    let delimiter = if first_line.contains(&b';') && !first_line.contains(&b',') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(bytes);
    let mut table = Table::default();
    for (i, record) in reader.byte_records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| AppError::invalid(field, format!("row {row} cannot be read: {e}")))?;
        let mut cells = Vec::with_capacity(record.len());
        for cell in record.iter() {
            let text = std::str::from_utf8(cell).map_err(|_| {
                AppError::invalid(
                    field,
                    format!("row {row} is not UTF-8 text (mixed encodings?): save the sheet as \"CSV UTF-8\""),
                )
            })?;
            cells.push(text.trim().to_string());
        }
        if !table.take(row == 1, row, cells) {
            break;
        }
    }
    table.named(field)
}

fn read_xlsx(bytes: &[u8], field: &str) -> AppResult<Table> {
    use calamine::{Data, Reader, Xlsx};
    let not_xlsx = |e: &dyn std::fmt::Display| AppError::invalid(field, format!("this XLSX file cannot be read: {e}"));
    let unpacked: u64 = {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
        let mut total = 0u64;
        for i in 0..zip.len() {
            total = total.saturating_add(zip.by_index_raw(i).map_err(|e| not_xlsx(&e))?.size());
        }
        total
    };
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(AppError::invalid(field, "this XLSX file unpacks to more than a sheet of experts or needs can be"));
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::invalid(field, "this XLSX file has no sheet"))?
        .map_err(|e| not_xlsx(&e))?;
    let (top, _) = range.start().unwrap_or((0, 0));
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => dt.as_datetime().map(|t| t.date().to_string()).unwrap_or_else(|| dt.to_string()),
            Data::Error(e) => format!("#{e}"),
        }
    };
    let mut table = Table::default();
    for (i, cells) in range.rows().enumerate() {
        let row = top as usize + i + 1;
        let cells: Vec<String> = cells.iter().map(text).collect();
        if !table.take(i == 0, row, cells) {
            break;
        }
    }
    table.named(field)
}

/// Language names as sheets spell them (English, Dutch, Ukrainian), with their ISO 639-1 codes; a two-letter code
/// is taken as it is.
const LANGUAGE_NAMES: [(&str, [&str; 3]); 10] = [
    ("en", ["english", "engels", "англійська"]),
    ("nl", ["dutch", "nederlands", "нідерландська"]),
    ("uk", ["ukrainian", "oekraïens", "українська"]),
    ("de", ["german", "duits", "німецька"]),
    ("fr", ["french", "frans", "французька"]),
    ("pl", ["polish", "pools", "польська"]),
    ("es", ["spanish", "spaans", "іспанська"]),
    ("it", ["italian", "italiaans", "італійська"]),
    ("sv", ["swedish", "zweeds", "шведська"]),
    ("ru", ["russian", "russisch", "російська"]),
];

/// The ISO 639-1 code of a language given by code or by name.
pub fn language_code_of(text: &str) -> String {
    let t = text.trim().to_lowercase();
    LANGUAGE_NAMES.iter().find(|(_, names)| names.contains(&t.as_str())).map_or(t, |(code, _)| (*code).to_string())
}

/// A cell as the person meant it: the apostrophe that kept it from being a formula on the way out is dropped.
/// A cell that is a formula (a leading `=`) is refused by the caller with [`formula_problem`].
pub fn unescaped(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// The problem of a cell that a spreadsheet would run as a formula, if it is one.
pub fn formula_problem(cell: &str) -> Option<String> {
    cell.starts_with('=').then(|| "looks like a formula; type the value itself (or start it with an apostrophe)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_written_as_xlsx_reads_back_the_same_with_formulas_neutralised() {
        let rows = vec![
            vec!["Anna".to_string(), "=HYPERLINK(\"x\")".to_string(), "2027-03-01".into()],
            vec!["Bert".to_string(), "+31 6 1234 5678".to_string(), String::new()],
        ];
        for format in [SheetFormat::Csv, SheetFormat::Xlsx] {
            let file = write(format, "experts", &["Name", "Phone", "From"], &rows).expect("written");
            let table = read(&file.bytes, "file").expect("read back");
            assert_eq!(table.headers, ["name", "phone", "from"]);
            assert_eq!(table.rows.len(), 2);
            assert_eq!(table.rows[0].1[1], "'=HYPERLINK(\"x\")", "{format:?}");
            assert_eq!(unescaped(&table.rows[1].1[1]), "+31 6 1234 5678");
            assert_eq!(table.rows[1].0, 3, "row numbers count the header");
        }
    }

    #[test]
    fn files_that_are_not_sheets_are_refused_by_name() {
        for (bytes, says) in [
            (b"\xD0\xCF\x11\xE0rest".to_vec(), ".xls"),
            (b"PK\x03\x04broken".to_vec(), "XLSX"),
            (vec![0u8, 1, 2, 3], "not a CSV"),
            (b"name,email\n\xff\xfe,x\n".to_vec(), "UTF-8"),
            (b"".to_vec(), "empty"),
        ] {
            let e = read(&bytes, "file").expect_err("refused");
            assert!(e.to_string().contains(says), "{e}");
        }
    }

    #[test]
    fn a_sheet_over_the_limit_is_refused_with_the_limit_in_the_message() {
        let mut csv = String::from("name\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(&format!("n{i}\n"));
        }
        let e = read(csv.as_bytes(), "file").expect_err("refused");
        assert!(e.to_string().contains(&MAX_ROWS.to_string()), "{e}");
    }
}
