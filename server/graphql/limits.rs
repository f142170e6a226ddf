//! What a request must pass before the schema spends anything on it, for HTTP and WebSocket alike (both execute
//! through [`Api`]). It runs once per document, before execution, and not as a schema extension: any extension
//! puts every resolved field through the extension chain, which cost a third of the time of a page under load.
//! - nesting: brackets in the query text are counted before the recursive parser sees it, so a literal
//!   nested a thousand deep is refused instead of overflowing a worker's stack;
//! - strings: every string (literal or variable) is free of control characters and at most
//!   [`MAX_STRING_CHARS`] long, refused with the argument named; a variable of the file scalar
//!   ([`FILE_SCALAR`]) is bounded by the request body limit alone;
//! - shape: every selected field is counted, fragments expanded, since depth and complexity limits do not stop
//!   a wide query of many aliases (or `__typename`s) at one level; and ordinary fields nest at most `max_depth`
//!   deep, while introspection (GraphiQL's query nests type references about 13 deep) is bounded by the schema's
//!   looser depth limit;
//! - codes: errors of parsing, validation and input coercion carry `extensions.code` BAD_USER_INPUT, like every
//!   other error the client caused.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Data, Pos, Request, Response, ServerError};
use async_graphql_value::{ConstValue, Value};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::AppSchema;

/// Deepest bracket nesting (`{`, `[`, `(`) the query text may have. A valid query within the depth limit
/// needs about half of it; the recursive parser would need thousands to overflow.
pub const MAX_NESTING: usize = 48;
/// Longest string, in characters, any argument or variable may hold (free texts have tighter limits of their
/// own; this one bounds everything else, searches included).
pub const MAX_STRING_CHARS: usize = 20_000;

/// How deep an introspection query may nest (`__schema { types { fields { args { type { ofType … } } } } }`).
pub const MAX_INTROSPECTION_DEPTH: usize = 20;

#[derive(Debug, Clone, Copy)]
pub struct RequestGuard {
    /// Fields in the expanded query, counting aliases and `__typename`.
    pub max_fields: usize,
    /// How deep ordinary fields may nest (introspection is bounded by [`MAX_INTROSPECTION_DEPTH`]).
    pub max_depth: usize,
}

/// The schema behind its guard: the one way requests are executed, over HTTP and WebSocket.
#[derive(Clone)]
pub struct Api {
    pub schema: AppSchema,
    pub guard: RequestGuard,
}

impl Api {
    /// Checks the request, executes it, and gives every error the client caused its code.
    pub async fn execute(&self, mut request: Request) -> Response {
        if let Err(e) = self.guard.check(&mut request) {
            return Response::from_errors(vec![e]);
        }
        with_codes(self.schema.execute(request).await)
    }

    /// As [`Api::execute`], for a subscription (or any operation over WebSocket).
    pub fn execute_stream(&self, mut request: Request, session: std::sync::Arc<Data>) -> BoxStream<'static, Response> {
        if let Err(e) = self.guard.check(&mut request) {
            return futures_util::stream::once(async move { Response::from_errors(vec![e]) }).boxed();
        }
        self.schema.execute_stream_with_session_data(request, session).map(with_codes).boxed()
    }
}

/// Parsing, validation and input-coercion errors get the code (and the argument) they lack.
fn with_codes(mut response: Response) -> Response {
    response.errors = std::mem::take(&mut response.errors).into_iter().map(with_code).collect();
    response
}

/// What an operation expands to, fragments included: its fields (aliases and `__typename` count) and how deep
/// ordinary fields nest (what lies under `__schema` and `__type` counts as a field, not as depth: its depth is
/// the schema's).
#[derive(Default)]
struct Shape {
    fields: usize,
    depth: usize,
}

/// Steps through selection sets and fragment spreads at most; past it a document is refused as too large. It
/// bounds the walk before validation has refused fragment cycles.
const MAX_WALK: usize = 64;

impl RequestGuard {
    /// Measures `set` at nesting `level` into `shape`, stopping as soon as either limit is passed, so a hostile
    /// document costs little.
    fn measure(
        &self,
        doc: &ExecutableDocument,
        set: &SelectionSet,
        level: usize,
        steps: usize,
        introspection: bool,
        shape: &mut Shape,
    ) {
        if steps > MAX_WALK {
            shape.fields = usize::MAX;
            return;
        }
        for sel in &set.items {
            if shape.fields > self.max_fields || shape.depth > self.max_depth {
                return;
            }
            match &sel.node {
                Selection::Field(f) => {
                    shape.fields += 1;
                    let introspection = introspection || matches!(f.node.name.node.as_str(), "__schema" | "__type");
                    if !introspection {
                        shape.depth = shape.depth.max(level + 1);
                    }
                    self.measure(doc, &f.node.selection_set.node, level + 1, steps + 1, introspection, shape);
                }
                Selection::InlineFragment(f) => {
                    self.measure(doc, &f.node.selection_set.node, level, steps + 1, introspection, shape)
                }
                Selection::FragmentSpread(s) => {
                    if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                        self.measure(doc, &frag.node.selection_set.node, level, steps + 1, introspection, shape);
                    }
                }
            }
        }
    }
}

/// A refusal the client caused, naming the offending argument where there is one.
fn bad_input(message: impl Into<String>, field: Option<&str>, pos: Option<Pos>) -> ServerError {
    let mut e = ServerError::new(message, pos);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    if let Some(f) = field {
        ext.set("field", f);
    }
    e.extensions = Some(ext);
    e
}

/// Gives an error from parsing, validation or input coercion the code it lacks (and the argument it names,
/// if its message names one). Errors raised by the service already carry their code and are left alone.
fn with_code(mut e: ServerError) -> ServerError {
    let has_code = e.extensions.as_ref().is_some_and(|x| x.get("code").is_some());
    if !has_code {
        let field = named_argument(&e.message);
        let ext = e.extensions.get_or_insert_with(Default::default);
        ext.set("code", "BAD_USER_INPUT");
        if let Some(f) = field {
            ext.set("field", f);
        }
    }
    e
}

/// `…argument "first"…` → `first`.
fn named_argument(message: &str) -> Option<String> {
    let rest = &message[message.find("argument \"")? + "argument \"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The deepest bracket nesting of a GraphQL document, not counting brackets inside strings or comments;
/// stops scanning as soon as `limit` is passed.
pub fn nesting_depth(query: &str, limit: usize) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Why a string may not be taken as it is, if it may not.
fn string_defect(s: &str) -> Option<String> {
    if let Some(c) = s.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Some(format!("contains a control character (U+{:04X}); remove it", c as u32));
    }
    let len = s.chars().count();
    (len > MAX_STRING_CHARS).then(|| format!("is {len} characters long; at most {MAX_STRING_CHARS} are accepted"))
}

fn check_const(value: &ConstValue, path: &mut String) -> Result<(), ServerError> {
    match value {
        ConstValue::String(s) => match string_defect(s) {
            Some(why) => Err(bad_input(format!("{path}: {why}"), Some(path), None)),
            None => Ok(()),
        },
        ConstValue::List(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| nested(path, &format!("[{i}]"), |p| check_const(v, p)))
        }
        ConstValue::Object(map) => {
            map.iter().try_for_each(|(k, v)| nested(path, &format!(".{k}"), |p| check_const(v, p)))
        }
        _ => Ok(()),
    }
}

fn check_literal(value: &Value, path: &mut String, pos: Pos) -> Result<(), ServerError> {
    match value {
        Value::String(s) => match string_defect(s) {
            Some(why) => Err(bad_input(format!("{path}: {why}"), Some(path), Some(pos))),
            None => Ok(()),
        },
        Value::List(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| nested(path, &format!("[{i}]"), |p| check_literal(v, p, pos))),
        Value::Object(map) => {
            map.iter().try_for_each(|(k, v)| nested(path, &format!(".{k}"), |p| check_literal(v, p, pos)))
        }
        _ => Ok(()),
    }
}

/// Runs `f` with `suffix` appended to the path, and takes it off again.
fn nested<T>(path: &mut String, suffix: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = path.len();
    path.push_str(suffix);
    let out = f(path);
    path.truncate(len);
    out
}

/// The scalar that carries a whole file (base64), exempt from the string length limit.
pub const FILE_SCALAR: &str = "FileBase64";

/// Whether an operation of the document declares the variable `name` as a file.
fn declared_as_file(doc: &ExecutableDocument, name: &str) -> bool {
    use async_graphql::parser::types::BaseType;
    doc.operations.iter().any(|(_, op)| {
        op.node.variable_definitions.iter().any(|v| {
            v.node.name.node.as_str() == name
                && matches!(&v.node.var_type.node.base, BaseType::Named(t) if t.as_str() == FILE_SCALAR)
        })
    })
}

/// Every string literal in the arguments of the document's fields and in the variables' defaults.
fn check_literals(doc: &ExecutableDocument) -> Result<(), ServerError> {
    fn walk(set: &SelectionSet) -> Result<(), ServerError> {
        for sel in &set.items {
            match &sel.node {
                Selection::Field(f) => {
                    for (name, value) in &f.node.arguments {
                        check_literal(&value.node, &mut name.node.to_string(), value.pos)?;
                    }
                    walk(&f.node.selection_set.node)?;
                }
                Selection::InlineFragment(f) => walk(&f.node.selection_set.node)?,
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }
    for (_, op) in doc.operations.iter() {
        for var in &op.node.variable_definitions {
            if let Some(default) = &var.node.default_value {
                check_const(&default.node, &mut var.node.name.node.to_string())?;
            }
        }
        walk(&op.node.selection_set.node)?;
    }
    doc.fragments.values().try_for_each(|f| walk(&f.node.selection_set.node))
}

impl RequestGuard {
    /// Refuses a request that nests too deep, carries a defective string, or selects too much; parses it once,
    /// and the schema executes the document parsed here.
    pub fn check(&self, request: &mut Request) -> Result<(), ServerError> {
        if nesting_depth(&request.query, MAX_NESTING) > MAX_NESTING {
            return Err(bad_input(
                format!("the query nests brackets more than {MAX_NESTING} deep"),
                None,
                Some(Pos::default()),
            ));
        }
        let doc = async_graphql::parser::parse_query(&request.query).map_err(|e| with_code(e.into()))?;
        for (name, value) in request.variables.iter() {
            if declared_as_file(&doc, name.as_str()) {
                // A whole file: bounded by the request body limit instead, and never text to be shown.
                continue;
            }
            check_const(value, &mut name.to_string())?;
        }
        check_literals(&doc)?;
        for (_, op) in doc.operations.iter() {
            let mut shape = Shape::default();
            self.measure(&doc, &op.node.selection_set.node, 0, 0, false, &mut shape);
            if shape.fields > self.max_fields {
                return Err(bad_input(
                    format!("the query selects more than {} fields", self.max_fields),
                    None,
                    Some(Pos::default()),
                ));
            }
            if shape.depth > self.max_depth {
                return Err(bad_input(
                    format!("the query nests fields more than {} deep", self.max_depth),
                    None,
                    Some(Pos::default()),
                ));
            }
        }
        request.set_parsed_query(doc);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_but_not_those_in_strings_or_comments() {
        assert_eq!(nesting_depth("{ a(x: [[1]]) { b } }", 99), 4);
        assert_eq!(nesting_depth(r#"{ a(x: "[[[[{{{{") }"#, 99), 2);
        assert_eq!(nesting_depth("{ a # [[[[[[\n }", 99), 1);
        assert_eq!(nesting_depth(r#"{ a(x: """ [[[ \""" [[[ """) }"#, 99), 2);
        assert_eq!(nesting_depth(r#"{ a(x: "\" [[[") }"#, 99), 2);
    }

    #[test]
    fn nesting_stops_scanning_past_the_limit() {
        let deep = "[".repeat(100_000);
        assert_eq!(nesting_depth(&deep, 10), 11);
    }

    #[test]
    fn strings_with_control_characters_or_too_long_are_defects() {
        assert!(string_defect("line one\nline two\ttab\r\n").is_none());
        assert!(string_defect("a\u{0}b").is_some_and(|w| w.contains("U+0000")));
        assert!(string_defect("bell\u{7}").is_some());
        assert!(string_defect(&"%".repeat(MAX_STRING_CHARS + 1)).is_some());
        assert!(string_defect(&"я".repeat(MAX_STRING_CHARS)).is_none());
    }

    #[test]
    fn an_error_without_a_code_gets_bad_user_input_and_the_argument_it_names() {
        let e = with_code(ServerError::new(r#"Invalid value for argument "first", expected type "Int""#, None));
        let ext = e.extensions.expect("extensions");
        assert_eq!(ext.get("code"), Some(&ConstValue::String("BAD_USER_INPUT".into())));
        assert_eq!(ext.get("field"), Some(&ConstValue::String("first".into())));
    }
}
