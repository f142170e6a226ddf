//! A statement and its arguments, built once and run on either backend. `$1, $2…` placeholders are valid on
//! both SQLite and PostgreSQL, so one text serves both; values are bound natively (uuid, date, timestamptz, bool).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

use super::Conn;
use crate::domain::{AppError, StoredText};

/// One bound value.
#[derive(Debug, Clone)]
pub enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    /// An enum's stored name.
    Name(Option<&'static str>),
    Int(Option<i32>),
    BigInt(Option<i64>),
    Float(Option<f64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

macro_rules! arg_from {
    ($t:ty, $variant:ident) => {
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::$variant(Some(v.into()))
            }
        }
        impl From<Option<$t>> for Arg {
            fn from(v: Option<$t>) -> Arg {
                Arg::$variant(v.map(Into::into))
            }
        }
    };
}
arg_from!(Uuid, Uuid);
arg_from!(String, Text);
arg_from!(&str, Text);
arg_from!(i32, Int);
arg_from!(i64, BigInt);
arg_from!(f64, Float);
arg_from!(NaiveDate, Date);
arg_from!(DateTime<Utc>, Time);

impl<T: StoredText> From<T> for Arg {
    fn from(v: T) -> Arg {
        Arg::Name(Some(v.stored()))
    }
}

impl<T: StoredText> From<Option<T>> for Arg {
    fn from(v: Option<T>) -> Arg {
        Arg::Name(v.map(StoredText::stored))
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Bool(v)
    }
}

/// A statement being built: text with `$n` placeholders and the values for them.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    /// Appends SQL text (never user input: that goes through [`Sql::bind`] or [`Sql::arg`]).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Sql {
        self.args.push(value.into());
        let n = self.args.len();
        self.text.push('$');
        self.text.push_str(&n.to_string());
        self
    }

    /// Adds a value for a placeholder already written in the text (`$1` in `Sql::new("… $1")`).
    pub fn arg(mut self, value: impl Into<Arg>) -> Sql {
        self.args.push(value.into());
        self
    }

    /// Appends `(​$a, $b, …)` for an `IN` list; an empty list becomes `(NULL)`, which matches nothing.
    pub fn bind_list<T: Into<Arg> + Clone>(&mut self, values: &[T]) -> &mut Sql {
        if values.is_empty() {
            return self.push("(NULL)");
        }
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v.clone());
        }
        self.push(")")
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Uuid(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_deref()),
                Arg::Name(v) => q.bind(*v),
                Arg::Int(v) => q.bind(*v),
                Arg::BigInt(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
                Arg::Date(v) => q.bind(*v),
                Arg::Time(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// A row type both backends can decode.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl Sql {
    pub async fn fetch_all<T: Row>(&self, conn: &mut Conn<'_>) -> Result<Vec<T>, AppError> {
        let rows = match conn {
            Conn::Sqlite(c) => bind_all!(sqlx::query_as::<_, T>(&self.text), &self.args).fetch_all(&mut **c).await?,
            Conn::Postgres(c) => bind_all!(sqlx::query_as::<_, T>(&self.text), &self.args).fetch_all(&mut **c).await?,
        };
        Ok(rows)
    }

    pub async fn fetch_optional<T: Row>(&self, conn: &mut Conn<'_>) -> Result<Option<T>, AppError> {
        let row = match conn {
            Conn::Sqlite(c) => {
                bind_all!(sqlx::query_as::<_, T>(&self.text), &self.args).fetch_optional(&mut **c).await?
            }
            Conn::Postgres(c) => {
                bind_all!(sqlx::query_as::<_, T>(&self.text), &self.args).fetch_optional(&mut **c).await?
            }
        };
        Ok(row)
    }

    /// Runs a statement that returns no rows; the number of rows it touched.
    pub async fn execute(&self, conn: &mut Conn<'_>) -> Result<u64, AppError> {
        let n = match conn {
            Conn::Sqlite(c) => bind_all!(sqlx::query(&self.text), &self.args).execute(&mut **c).await?.rows_affected(),
            Conn::Postgres(c) => {
                bind_all!(sqlx::query(&self.text), &self.args).execute(&mut **c).await?.rows_affected()
            }
        };
        Ok(n)
    }

    /// A single `COUNT(*)`-like value.
    pub async fn fetch_count(&self, conn: &mut Conn<'_>) -> Result<i64, AppError> {
        let row: Option<(i64,)> = self.fetch_optional(conn).await?;
        Ok(row.map_or(0, |r| r.0))
    }

    /// PostgreSQL's plan for the statement, as `EXPLAIN (FORMAT JSON)` gives it, planned with the bound values as
    /// an execution is (tests/query_plans.rs). PostgreSQL only: SQLite has no such form.
    pub async fn explain(&self, conn: &mut Conn<'_>) -> Result<serde_json::Value, AppError> {
        let explained = Sql { text: format!("EXPLAIN (FORMAT JSON) {}", self.text), args: self.args.clone() };
        let row: Option<(serde_json::Value,)> = explained.fetch_optional(conn).await?;
        Ok(row.map_or(serde_json::Value::Null, |r| r.0))
    }
}

/// A page of a keyset-paginated list: the rows and whether more follow.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with `LIMIT first + 1`.
    pub fn from_rows(mut rows: Vec<T>, first: usize) -> Page<T> {
        let has_next = rows.len() > first;
        rows.truncate(first);
        Page { items: rows, has_next }
    }
}
