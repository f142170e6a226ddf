//! The contracts the repository keeps with its clients and its two databases (docs/architecture.md, docs/storage.md):
//!
//! - `schema/schema.graphql` is the server's schema, exported and committed;
//! - `migrations/sqlite` and `migrations/postgres` hold the same migrations;
//! - every type and field of the schema is described;
//! - every example operation under `clients/` is valid against the schema.
//!
//! None of these needs a database or a running server.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use async_graphql::{Request, Response, Schema};
use recovery_pool::graphql::{AppSchema, Mutation, Query, SchemaLimits, Subscription, sdl};

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

// ---------------------------------------------------------------------------------------------------------------
// The committed schema

#[test]
fn the_committed_schema_is_the_servers_schema() {
    let path = repo_path("schema/schema.graphql");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let current = sdl();
    if committed != current {
        let first_difference = committed
            .lines()
            .zip(current.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(current.lines().count()));
        panic!(
            "{} is missing or differs from the server's schema (first difference at line {}).\n\
             If the change is intended, run `cargo run -- export-schema` and commit the file: it is the contract \
             clients build against.",
            path.display(),
            first_difference + 1
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Migrations

fn migration_files(backend: &str) -> BTreeSet<String> {
    let dir = repo_path(&format!("migrations/{backend}"));
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    entries
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations_by_version_and_name() {
    let sqlite = migration_files("sqlite");
    let postgres = migration_files("postgres");
    assert!(!sqlite.is_empty(), "migrations/sqlite holds no migration");
    assert!(!postgres.is_empty(), "migrations/postgres holds no migration");
    let only_sqlite: Vec<&String> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<&String> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the backends' migrations differ (docs/storage.md: same versions and names in both)\n\
         only in migrations/sqlite: {only_sqlite:?}\nonly in migrations/postgres: {only_postgres:?}"
    );
    // sqlx reads `<version>_<name>.sql`; two files with one version would not both be applied.
    let mut versions = BTreeSet::new();
    for name in &sqlite {
        let version = name.split_once('_').map(|(v, _)| v).unwrap_or("");
        assert!(
            !version.is_empty() && version.chars().all(|c| c.is_ascii_digit()),
            "{name}: a migration's file name starts with its version number, then `_`"
        );
        assert!(versions.insert(version.to_string()), "{name}: version {version} is used twice");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptions

/// Every type, every field of an object or interface, and every input field of the schema, by path
/// (`Type`, `Type.field`), that has no description.
///
/// Not checked, because we do not write them and cannot describe them:
/// - built-in scalars (`Int`, `String`, …) and directives (`@skip`, `@include`, `@specifiedBy`): the SDL export
///   leaves the built-in scalars out and the directives are the specification's;
/// - the `…Connection` types themselves (not their fields): async-graphql's Relay `Connection` generates them
///   without a type description and offers no way to give one. Their fields (`pageInfo`, `edges`, `nodes`, and our
///   `totalCount`) are checked; `PageInfo` and the `…Edge` types come described and are checked like ours.
///
/// Field arguments and enum values are not required by docs/architecture.md ("every type and field") and are not checked.
fn undescribed(sdl: &str) -> Vec<String> {
    let doc = async_graphql::parser::parse_schema(sdl).expect("the server's SDL parses");
    let mut out = Vec::new();
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(t) = def else { continue };
        let t = &t.node;
        let name = t.name.node.as_str();
        let generated_connection = name.ends_with("Connection") && matches!(t.kind, TypeKind::Object(_));
        if t.description.is_none() && !generated_connection {
            out.push(name.to_string());
        }
        let fields: Vec<(&str, bool)> = match &t.kind {
            TypeKind::Object(o) => {
                o.fields.iter().map(|f| (f.node.name.node.as_str(), f.node.description.is_some())).collect()
            }
            TypeKind::Interface(i) => {
                i.fields.iter().map(|f| (f.node.name.node.as_str(), f.node.description.is_some())).collect()
            }
            TypeKind::InputObject(i) => {
                i.fields.iter().map(|f| (f.node.name.node.as_str(), f.node.description.is_some())).collect()
            }
            TypeKind::Scalar | TypeKind::Union(_) | TypeKind::Enum(_) => Vec::new(),
        };
        out.extend(fields.into_iter().filter(|(_, described)| !described).map(|(f, _)| format!("{name}.{f}")));
    }
    out
}

#[test]
fn every_type_and_field_of_the_schema_has_a_description() {
    let missing = undescribed(&sdl());
    assert!(
        missing.is_empty(),
        "docs/architecture.md: every type and field has a description (a doc comment on the Rust item: on the \
         struct or enum for derived types and their fields, on the `#[Object] impl` block for resolver types, on \
         the resolver method for their fields).\nWithout a description ({}): {missing:#?}",
        missing.len()
    );
}

#[test]
fn the_description_check_sees_a_missing_description() {
    let sdl = "\"\"\"Described.\"\"\"\ntype A {\n  \"\"\"Described.\"\"\"\n  x: Int\n  y: Int\n}\n\
               type B { z: Int }\ntype BConnection { \"\"\"Described.\"\"\"\n edges: Int }\n\
               input C { \"\"\"Described.\"\"\"\n a: Int\n b: Int }";
    assert_eq!(undescribed(sdl), ["A.y", "B", "B.z", "C", "C.b"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Example operations under clients/

/// Stops every request after validation: the operation is checked by the server's own rules (fields, arguments,
/// types, variables, fragments, depth and complexity) and no resolver runs, so no database or request context is
/// needed.
struct ValidateOnly;

impl ExtensionFactory for ValidateOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidateOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ValidateOnly {
    async fn execute(&self, _ctx: &ExtensionContext<'_>, _operation: Option<&str>, _next: NextExecute<'_>) -> Response {
        Response::new(async_graphql::Value::Null)
    }
}

/// The server's schema (the same types as `build_schema`, with the default depth and complexity limits) that only
/// validates.
fn validating_schema() -> AppSchema {
    let limits = SchemaLimits::default();
    Schema::build(Query::default(), Mutation::default(), Subscription::default())
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .extension(ValidateOnly)
        .finish()
}

/// The `.graphql` files under `dir`, recursively (skipping `node_modules`), sorted.
fn graphql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "node_modules") {
                graphql_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "graphql") {
            out.push(path);
        }
    }
    out.sort();
}

/// The top-level definitions of a document, as the web client splits them (`clients/web/src/api.js`):
/// (keyword, name, text). Comments are dropped; strings are skipped when counting braces.
fn definitions(source: &str) -> Vec<(String, String, String)> {
    let mut text = String::new();
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for c in source.chars() {
        if in_comment {
            in_comment = c != '\n';
            if !in_comment {
                text.push(c);
            }
            continue;
        }
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            in_comment = true;
            continue;
        }
        text.push(c);
    }
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_string) = (0usize, None::<usize>, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_string = !in_string,
            _ if in_string => {}
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(s) = start.take() {
                        let body = &text[s..=i];
                        let mut words =
                            body.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).filter(|w| !w.is_empty());
                        let kind = words.next().unwrap_or_default().to_string();
                        let name = words.next().unwrap_or_default().to_string();
                        out.push((kind, name, body.to_string()));
                    }
                }
            }
            _ if depth == 0 && start.is_none() && c.is_alphabetic() => start = Some(i),
            _ => {}
        }
    }
    out
}

/// The document the client sends for one operation: its text and every fragment it reaches.
fn document_for(op: &str, fragments: &HashMap<String, String>) -> String {
    let mut needed: Vec<String> = Vec::new();
    let mut queue = vec![op.to_string()];
    while let Some(body) = queue.pop() {
        for part in body.split("...").skip(1) {
            let name: String = part.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name != "on" && !name.is_empty() && !needed.contains(&name) {
                queue.push(fragments.get(&name).cloned().unwrap_or_default());
                needed.push(name);
            }
        }
    }
    let mut doc = op.to_string();
    for name in needed {
        doc.push('\n');
        doc.push_str(fragments.get(&name).map(String::as_str).unwrap_or_default());
    }
    doc
}

/// Problems with one operations file: parse errors, or each operation's validation errors, each operation sent
/// as the client sends it (with the fragments it uses, from any file).
async fn check_operations(schema: &AppSchema, text: &str, fragments: &HashMap<String, String>) -> Vec<String> {
    if let Err(e) = async_graphql::parser::parse_query(text) {
        return vec![format!("does not parse: {e}")];
    }
    let ops: Vec<(String, String, String)> = definitions(text).into_iter().filter(|d| d.0 != "fragment").collect();
    if ops.is_empty() {
        return vec!["holds no operation".into()];
    }
    let mut problems = Vec::new();
    for (_, name, body) in ops {
        let response = schema.execute(Request::new(document_for(&body, fragments)).operation_name(&name)).await;
        for e in response.errors {
            problems.push(format!("{name}: {}", e.message));
        }
    }
    problems
}

fn fragments_of(texts: &[String]) -> HashMap<String, String> {
    texts
        .iter()
        .flat_map(|t| definitions(t))
        .filter(|d| d.0 == "fragment")
        .map(|(_, name, body)| (name, body))
        .collect()
}

#[tokio::test]
async fn every_example_operation_under_clients_is_valid_against_the_schema() {
    let mut files = Vec::new();
    graphql_files(&repo_path("clients"), &mut files);
    let schema = validating_schema();
    let texts: Vec<String> = files
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
        .collect();
    let fragments = fragments_of(&texts);
    let mut problems = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for (path, text) in files.iter().zip(&texts) {
        for p in check_operations(&schema, text, &fragments).await {
            problems.push(format!("{}: {p}", path.display()));
        }
        for (_, name, _) in definitions(text) {
            if let Some(other) = names.insert(name.clone(), path.display().to_string()) {
                problems.push(format!(
                    "{name} is defined in {other} and in {}: the client finds them by name",
                    path.display()
                ));
            }
        }
    }
    assert!(!files.is_empty(), "no operation files (.graphql) found under clients/: the check would check nothing");
    assert!(problems.is_empty(), "{} operation files checked; invalid:\n{}", files.len(), problems.join("\n"));
}

#[tokio::test]
async fn the_operation_check_accepts_a_valid_operation_and_refuses_an_unknown_field() {
    let schema = validating_schema();
    let valid = "query Skills { skills { code labelEn } }\n\
                 mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }\n\
                 subscription Inbox { notifications { id title } }";
    let none = HashMap::new();
    assert_eq!(check_operations(&schema, valid, &none).await, Vec::<String>::new());
    let invalid = "query Bad { skills { code noSuchField } }";
    let problems = check_operations(&schema, invalid, &none).await;
    assert!(problems.len() == 1 && problems[0].contains("noSuchField"), "{problems:?}");
    assert!(!check_operations(&schema, "query {", &none).await.is_empty());
    // A fragment from another file is sent along, as the client does; a missing one is an error.
    let fragments = fragments_of(&["# shared\nfragment SkillCode on Skill { code }".to_string()]);
    let uses = "query WithFragment { skills { ...SkillCode labelEn } }";
    assert_eq!(check_operations(&schema, uses, &fragments).await, Vec::<String>::new());
    assert!(!check_operations(&schema, uses, &none).await.is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// The web client's message catalogues

/// The plural categories each language's catalogue must give (Intl.PluralRules).
const PLURALS: &[(&str, &[&str])] =
    &[("en", &["one", "other"]), ("nl", &["one", "other"]), ("uk", &["one", "few", "many", "other"])];

fn catalogue(lang: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = repo_path(&format!("clients/web/i18n/{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("{} is not a JSON object: {other:?}", path.display()),
    }
}

/// `{name}` placeholders of a message (all plural forms together).
fn placeholders(v: &serde_json::Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match v {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Object(forms) => forms.values().filter_map(|f| f.as_str()).collect(),
        _ => vec![],
    };
    texts
        .iter()
        .flat_map(|t| t.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string())))
        .collect()
}

#[test]
fn every_catalogue_has_every_key_with_its_placeholders_and_plural_forms() {
    let english = catalogue("en");
    let mut problems = Vec::new();
    for (lang, categories) in PLURALS {
        let c = catalogue(lang);
        for (key, en) in &english {
            match c.get(key) {
                None => problems.push(format!("{lang}: {key} is missing")),
                Some(v) => {
                    if placeholders(v) != placeholders(en) {
                        problems.push(format!(
                            "{lang}: {key} has placeholders {:?}, English {:?}",
                            placeholders(v),
                            placeholders(en)
                        ));
                    }
                    match (v, en) {
                        (serde_json::Value::Object(forms), serde_json::Value::Object(_)) => {
                            for cat in *categories {
                                if !forms.contains_key(*cat) {
                                    problems.push(format!("{lang}: {key} lacks the plural form {cat}"));
                                }
                            }
                        }
                        (serde_json::Value::String(s), serde_json::Value::String(_)) if s.trim().is_empty() => {
                            problems.push(format!("{lang}: {key} is empty"));
                        }
                        (serde_json::Value::String(_), serde_json::Value::String(_)) => {}
                        _ => problems.push(format!("{lang}: {key} is not of the English message's shape")),
                    }
                }
            }
        }
        for key in c.keys().filter(|k| !english.contains_key(*k)) {
            problems.push(format!("{lang}: {key} is not in the English catalogue"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_message_key_the_client_names_is_in_the_catalogue() {
    let english = catalogue("en");
    let mut sources = Vec::new();
    let mut dirs = vec![repo_path("clients/web/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the client's sources").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "js") {
                sources.push(std::fs::read_to_string(&path).expect("a source file"));
            }
        }
    }
    let mut missing = BTreeSet::new();
    let mut named = 0;
    for text in &sources {
        for part in text.split("t('").skip(1) {
            let key: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '.').collect();
            if part[key.len()..].starts_with('\'') && key.contains('.') {
                named += 1;
                if !english.contains_key(&key) {
                    missing.insert(key);
                }
            }
        }
    }
    assert!(named > 100, "the client names its messages with t('…'): found {named}");
    assert!(missing.is_empty(), "keys the client uses but the catalogue lacks: {missing:?}");
}
