//! The integration test harness: the real server, started in-process on `127.0.0.1:0` and spoken to over
//! HTTP, on SQLite always and on PostgreSQL when `TEST_DATABASE_URL` is set. Every test gets a database of its
//! own (a temporary SQLite file, or a fresh PostgreSQL database `rp_test_<uuid>`), removed when the test ends,
//! whether it passed or not.
//!
//! A test is an `async fn name(b: Backend)`; [`backend_tests!`] turns a list of them into one `#[tokio::test]`
//! per backend (`sqlite::name`, `postgres::name`).

// Each test binary uses its own part of the harness.
#![allow(dead_code)]

pub mod process;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use recovery_pool::app::{first_start, open, serve_on};
use recovery_pool::config::{ServeSettings, StoreSettings, WorkflowSettings};
use recovery_pool::domain::Role;
use recovery_pool::domain::input::UserInput;
use recovery_pool::service::Services;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The password of every account the harness makes.
pub const PASSWORD: &str = "correct horse battery staple";
/// The first admin, created by `first_start` from the settings.
pub const ADMIN_EMAIL: &str = "admin@harness.test";
/// The token signing secret of every test server (base64url of 33 bytes), so no key file is written.
pub const JWT_SECRET: &str = "cmVjb3ZlcnktcG9vbCBpbnRlZ3JhdGlvbiB0ZXN0cyEh";
pub const JWT_KID: &str = "harness";

/// Official codes of municipalities the tests use.
pub mod codes {
    pub const AMSTERDAM: &str = "GM0363";
    pub const UTRECHT: &str = "GM0344";
    pub const ROTTERDAM: &str = "GM0599";
    pub const EINDHOVEN: &str = "GM0772";
    pub const LVIV: &str = "UA46060250000025047";
    pub const VINNYTSIA: &str = "UA05020030000031457";
    pub const KYIV: &str = "UA80000000000093317";
    pub const BEREZIVKA: &str = "UA51020030000095942";
}

/// One `#[tokio::test]` per backend for each listed `async fn name(b: Backend)`; attributes (such as
/// `#[ignore = "…"]`) given before a name go onto both generated tests.
#[macro_export]
macro_rules! backend_tests {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {
        mod sqlite {
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    match $crate::common::Backend::postgres() {
                        Some(b) => super::$name(b).await,
                        None => eprintln!("TEST_DATABASE_URL is not set: {} skipped on PostgreSQL", stringify!($name)),
                    }
                }
            )+
        }
    };
}

/// Where a test server keeps its data.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// `admin_url` names an existing database to connect to for creating and dropping the test databases.
    Postgres {
        admin_url: String,
    },
}

impl Backend {
    /// PostgreSQL, when `TEST_DATABASE_URL` names a server.
    pub fn postgres() -> Option<Backend> {
        std::env::var("TEST_DATABASE_URL")
            .ok()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .map(|admin_url| Backend::Postgres { admin_url })
    }

    /// Every backend this run covers: SQLite, and PostgreSQL when configured.
    pub fn all() -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        v.extend(Backend::postgres());
        v
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    /// A server with the default settings.
    pub async fn start(&self) -> TestServer {
        self.start_with(|_| {}).await
    }

    /// A server whose settings `tweak` changes first (limits, GraphiQL, introspection…).
    pub async fn start_with(&self, tweak: impl FnOnce(&mut ServeSettings)) -> TestServer {
        self.start_configured(tweak, WorkflowSettings::default()).await
    }

    /// A server with workflow settings of the test's choosing (mail delivery, reminders…).
    pub async fn start_with_workflow(&self, workflow: WorkflowSettings) -> TestServer {
        self.start_configured(|_| {}, workflow).await
    }

    async fn start_configured(&self, tweak: impl FnOnce(&mut ServeSettings), workflow: WorkflowSettings) -> TestServer {
        let (database_url, scratch) = self.scratch_database().await;
        let store = store_settings(&database_url, &scratch.dir);
        let mut serve = ServeArgs::try_parse_from([
            "test",
            "--listen",
            "127.0.0.1:0",
            "--admin-email",
            ADMIN_EMAIL,
            "--admin-password",
            PASSWORD,
        ])
        .expect("the serve settings parse")
        .serve;
        // Nothing a developer's environment holds may change what the tests check.
        serve.demo = false;
        serve.graphiql = true;
        serve.introspection = true;
        tweak(&mut serve);

        let services = open(&store)
            .await
            .expect("the test database opens, migrates and loads the reference data")
            .with_settings(workflow);
        first_start(&services, &serve).await.expect("the first admin is created");
        let listener = TcpListener::bind(&serve.listen).await.expect("a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = {
            let services = services.clone();
            let serve = serve.clone();
            tokio::spawn(async move {
                serve_on(listener, services, &serve, async {
                    let _ = stopped.await;
                })
                .await
            })
        };
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("an HTTP client");
        TestServer {
            backend: self.name(),
            base: format!("http://{addr}"),
            services,
            settings: serve,
            database_url,
            http,
            stop: Some(stop),
            task: Some(task),
            _scratch: scratch,
        }
    }

    /// A fresh, empty database and the guard that removes it. Each test gets a folder of its own (its data
    /// folder, and on SQLite the database file): removing the folder also means a connection that a stopping
    /// server still opens afterwards finds no folder to create a database file in.
    pub async fn scratch_database(&self) -> (String, Scratch) {
        let name = format!("rp_test_{}", Uuid::new_v4().simple());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("a temporary folder for the test");
        match self {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.join("recovery-pool.db").display());
                (url, Scratch { dir, postgres: None })
            }
            Backend::Postgres { admin_url } => {
                // The guard first, so the folder goes even if the database cannot be made.
                let mut scratch = Scratch { dir, postgres: None };
                let mut admin = sqlx::PgConnection::connect(admin_url)
                    .await
                    .expect("TEST_DATABASE_URL names a PostgreSQL server we can connect to");
                sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut admin)
                    .await
                    .expect("the test database can be created");
                scratch.postgres = Some((admin_url.clone(), name.clone()));
                let _ = admin.close().await;
                (with_database(admin_url, &name), scratch)
            }
        }
    }
}

/// The settings as the command line gives them, so new settings come with their defaults.
#[derive(Parser)]
struct StoreArgs {
    #[command(flatten)]
    store: StoreSettings,
}

#[derive(Parser)]
struct ServeArgs {
    #[command(flatten)]
    serve: ServeSettings,
}

/// The store settings of a server on `database_url`, with the harness's key, as the command line gives them.
pub fn store_settings(database_url: &str, data_dir: &std::path::Path) -> StoreSettings {
    StoreArgs::try_parse_from([
        "test",
        "--database-url",
        database_url,
        "--data-dir",
        &data_dir.to_string_lossy(),
        "--db-max-connections",
        "4",
        "--jwt-secret",
        JWT_SECRET,
        "--jwt-kid",
        JWT_KID,
    ])
    .expect("the store settings parse")
    .store
}

/// `url` with its database name replaced by `name` (query parameters kept).
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(i) => &head[..authority_start + i],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Removes a test's folder and database when dropped: on success, on failure and on panic alike.
pub struct Scratch {
    /// The test's folder: data folder, and the SQLite database file.
    pub dir: PathBuf,
    /// The PostgreSQL database: (maintenance URL, database name).
    postgres: Option<(String, String)>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("could not remove the test folder {}: {e}", self.dir.display());
        }
        let Some((admin_url, name)) = self.postgres.take() else { return };
        // Drop may run inside the test's runtime (which cannot be blocked on) or while unwinding, so the
        // database is dropped from a thread of its own with a runtime of its own, and never panics.
        let db = name.clone();
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).execute(&mut admin).await?;
                admin.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {name}: {e:#}"),
            Err(_) => eprintln!("could not drop the test database {name}: the cleanup thread panicked"),
        }
    }
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub token: String,
}

impl User {
    /// The token, as `gql` takes it.
    pub fn auth(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// A running server and its database.
pub struct TestServer {
    pub backend: &'static str,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    /// The services the server runs on, for seeding data and for looking into the database.
    pub services: Services,
    pub settings: ServeSettings,
    /// The URL of the server's database.
    pub database_url: String,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    // Last: dropped after the server is told to stop.
    _scratch: Scratch,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl TestServer {
    /// The server's own folder (its data folder), removed with it.
    pub fn data_dir(&self) -> &std::path::Path {
        &self._scratch.dir
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Posts one GraphQL operation; the HTTP status and the JSON body.
    pub async fn gql_response(&self, query: &str, variables: Value, token: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the server answers");
        let status = resp.status();
        let text = resp.text().await.expect("a response body");
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("a JSON body ({e}), got {status}: {text}"));
        (status, body)
    }

    /// Posts one GraphQL operation that the server executes (HTTP 200, no 5xx); the JSON body.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let (status, body) = self.gql_response(query, variables, token).await;
        assert_eq!(status, StatusCode::OK, "HTTP status for {query}: {body}");
        assert_no_internal(&body);
        body
    }

    /// The `data` of an operation that must succeed.
    pub async fn ok(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        data(self.gql(query, variables, token).await)
    }

    /// The first error of an operation that must fail.
    pub async fn fails(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        first_error(&self.gql(query, variables, token).await)
    }

    /// Signs in over HTTP; the whole response body.
    pub async fn login_response(&self, email: &str, password: &str) -> Value {
        self.gql(
            "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id role } } }",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Signs in over HTTP with [`PASSWORD`].
    pub async fn login(&self, email: &str, role: Role) -> User {
        let body = self.login_response(email, PASSWORD).await;
        let d = data(body);
        User { id: str_at(&d, "/login/user/id"), email: email.to_string(), role, token: str_at(&d, "/login/token") }
    }

    /// The first admin.
    pub async fn admin(&self) -> User {
        self.login(ADMIN_EMAIL, Role::Admin).await
    }

    /// A new account of `role` (officers: of the municipality with official code `municipality`), made through
    /// the service as the system would, then signed in over HTTP.
    pub async fn user(&self, role: Role, municipality: Option<&str>) -> User {
        let municipality_id = match municipality {
            Some(code) => Some(self.municipality_id(code).await),
            None => None,
        };
        self.make_user(role, municipality_id, None).await
    }

    /// The account of an existing expert profile, signed in.
    pub async fn expert_user(&self, expert_id: &str) -> User {
        let id = Uuid::parse_str(expert_id).expect("an expert id is a UUID");
        self.make_user(Role::Expert, None, Some(id)).await
    }

    async fn make_user(&self, role: Role, municipality_id: Option<Uuid>, expert_id: Option<Uuid>) -> User {
        let email = format!(
            "{}-{}@harness.test",
            role.as_str().to_lowercase().replace('_', "-"),
            &Uuid::new_v4().simple().to_string()[..10]
        );
        self.services
            .create_user_as_system(UserInput {
                email: email.clone(),
                display_name: format!("Test {}", role.as_str()),
                password: PASSWORD.into(),
                role,
                municipality_id,
                expert_id,
            })
            .await
            .expect("the service creates the account");
        self.login(&email, role).await
    }

    /// A municipality's id by its official code.
    pub async fn municipality_id(&self, code: &str) -> Uuid {
        self.services.municipality_id_by_code(code).await.expect("the reference data holds this municipality")
    }

    /// The same id as a GraphQL `ID` string.
    pub async fn mid(&self, code: &str) -> String {
        self.municipality_id(code).await.to_string()
    }

    /// The skill list's ids by code.
    pub async fn skill_ids(&self, token: Option<&str>) -> std::collections::HashMap<String, String> {
        let d = self.ok("{ skills { id code } }", json!({}), token).await;
        d["skills"]
            .as_array()
            .expect("a list of skills")
            .iter()
            .map(|s| (s["code"].as_str().expect("code").to_string(), s["id"].as_str().expect("id").to_string()))
            .collect()
    }

    /// `totalCount` of a list query as `token` sees it, e.g. `count("experts", "", t)`.
    pub async fn count(&self, list: &str, args: &str, token: Option<&str>) -> i64 {
        let q = if args.is_empty() {
            format!("{{ {list} {{ totalCount }} }}")
        } else {
            format!("{{ {list}({args}) {{ totalCount }} }}")
        };
        let d = self.ok(&q, json!({}), token).await;
        d[list]["totalCount"].as_i64().expect("a totalCount")
    }

    /// How many rows of each kind the database holds, as an admin sees them: for "nothing changed" checks.
    pub async fn counts(&self, admin: &User) -> Counts {
        let d = self
            .ok(
                "{ experts { totalCount } plans { totalCount } needs { totalCount } users { totalCount } \
                   auditEvents { totalCount } municipalities { totalCount } }",
                json!({}),
                admin.auth(),
            )
            .await;
        let n = |k: &str| d[k]["totalCount"].as_i64().expect("a totalCount");
        Counts {
            experts: n("experts"),
            plans: n("plans"),
            needs: n("needs"),
            users: n("users"),
            audit_events: n("auditEvents"),
            municipalities: n("municipalities"),
        }
    }
}

/// Row counts, compared before and after a refused write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub experts: i64,
    pub plans: i64,
    pub needs: i64,
    pub users: i64,
    pub audit_events: i64,
    pub municipalities: i64,
}

/// The `data` of a response without errors.
pub fn data(body: Value) -> Value {
    assert!(body.get("errors").is_none_or(|e| e.as_array().is_some_and(|a| a.is_empty())), "unexpected errors: {body}");
    body.get("data").cloned().filter(|d| !d.is_null()).unwrap_or_else(|| panic!("no data in {body}"))
}

/// The first error of a response that must hold one.
pub fn first_error(body: &Value) -> Value {
    body["errors"]
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_else(|| panic!("expected an error, got {body}"))
}

/// An error's `extensions.code`.
pub fn code(error: &Value) -> Option<&str> {
    error.pointer("/extensions/code").and_then(Value::as_str)
}

/// An error's `extensions.field`.
pub fn field(error: &Value) -> Option<&str> {
    error.pointer("/extensions/field").and_then(Value::as_str)
}

/// Asserts an error's code.
pub fn assert_code(error: &Value, expected: &str) {
    assert_eq!(code(error), Some(expected), "error code of {error}");
}

/// Asserts a BAD_USER_INPUT naming `expected_field`, with a message a person can read.
pub fn assert_bad_input(error: &Value, expected_field: &str) {
    assert_code(error, "BAD_USER_INPUT");
    assert_eq!(field(error), Some(expected_field), "field of {error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.len() > expected_field.len(), "a message that says what is wrong: {error}");
}

/// No error of the body is an internal one.
pub fn assert_no_internal(body: &Value) {
    if let Some(errors) = body.get("errors").and_then(Value::as_array) {
        for e in errors {
            assert_ne!(code(e), Some("INTERNAL"), "an internal error: {body}");
        }
    }
}

/// The string at a JSON pointer.
pub fn str_at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("a string at {pointer} in {v}")).to_string()
}

/// The `node`s of a connection.
pub fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("edges in {connection}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The ids of a connection's nodes.
pub fn ids(connection: &Value) -> Vec<String> {
    nodes(connection).iter().map(|n| str_at(n, "/id")).collect()
}

/// A plan's contents.
pub fn plan_input(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "Rebuild the heat supply and the schools damaged in 2022.",
        "sectors": ["ENERGY", "EDUCATION"],
        "periodStart": "2026-01-01",
        "periodEnd": "2028-12-31",
        "programme": "SDLG"
    })
}

/// A need with two roles: an engineer (one essential and one desired skill, Ukrainian or English) and two
/// planners.
pub fn need_input(title: &str, skills: &std::collections::HashMap<String, String>) -> Value {
    json!({
        "title": title,
        "description": "Design the renovation of the district heating network.",
        "sector": "ENERGY",
        "startDate": "2026-03-01",
        "endDate": "2026-09-30",
        "modes": ["REMOTE", "HOSTING"],
        "priority": "HIGH",
        "roles": [
            {
                "title": "Heat network engineer",
                "seats": 1,
                "hoursPerWeek": 8,
                "skills": [
                    { "skillId": skills["DISTRICT_HEATING"], "minLevel": 4, "essential": true },
                    { "skillId": skills["ENERGY_EFFICIENCY"], "minLevel": 2, "essential": false }
                ],
                "languages": [{ "language": "uk", "level": "B2" }, { "language": "en", "level": "C1" }]
            },
            {
                "title": "Investment planner",
                "seats": 2,
                "hoursPerWeek": 4,
                "interpreterAvailable": true,
                "skills": [{ "skillId": skills["CAPITAL_INVESTMENT_PLANNING"], "minLevel": 3, "essential": true }]
            }
        ]
    })
}

/// An expert profile; `skills` are (skill id, level).
pub fn expert_profile(name: &str, job_title: &str, skills: &[(&str, i64)], languages: &[(&str, &str)]) -> Value {
    json!({
        "name": name,
        "email": format!("{}@gemeente.test", name.to_lowercase().replace(' ', ".")),
        "phone": "+31 30 000 0000",
        "jobTitle": job_title,
        "bio": "Twenty years in municipal service.",
        "hoursPerWeek": 8,
        "availableFrom": "2026-01-01",
        "availableUntil": "2027-12-31",
        "modes": ["REMOTE", "HOSTING"],
        "skills": skills.iter().map(|(id, level)| json!({ "skillId": id, "level": level, "years": 5 })).collect::<Vec<_>>(),
        "languages": languages.iter().map(|(l, level)| json!({ "language": l, "level": level })).collect::<Vec<_>>(),
        "consentDate": "2025-11-01"
    })
}
