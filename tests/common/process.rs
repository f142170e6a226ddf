//! The server as its own process (`recovery-pool serve`), for what an in-process server cannot show: two
//! replicas on one database, and a process killed outright.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use uuid::Uuid;

/// A `recovery-pool serve` process, killed when dropped; its output goes to a log file, printed when a test
/// fails while it runs.
pub struct Process {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
    pub http: reqwest::Client,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- log of {} ---\n{}", self.base, std::fs::read_to_string(&self.log).unwrap_or_default());
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

impl Process {
    /// Starts `recovery-pool serve` on `database_url` with the harness's key and first admin, and waits until it
    /// is ready (at most 60 s). `data_dir` holds its data folder.
    pub async fn spawn(database_url: &str, data_dir: &std::path::Path, name: &str) -> Process {
        Process::spawn_with(database_url, data_dir, name, &[]).await
    }

    /// [`Process::spawn`] with more arguments to `serve` (e.g. `--demo`).
    pub async fn spawn_with(database_url: &str, data_dir: &std::path::Path, name: &str, args: &[&str]) -> Process {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().expect("an address").port()
        };
        let log = std::env::temp_dir().join(format!("rp_test_{name}_{}.log", Uuid::new_v4().simple()));
        let out = std::fs::File::create(&log).expect("a log file");
        let err = out.try_clone().expect("a log file");
        let child = Command::new(env!("CARGO_BIN_EXE_recovery-pool"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(args)
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("RECOVERY_POOL_DATA_DIR", data_dir)
            .env("RECOVERY_POOL_JWT_SECRET", super::JWT_SECRET)
            .env("RECOVERY_POOL_JWT_KID", super::JWT_KID)
            .env("RECOVERY_POOL_ADMIN_EMAIL", super::ADMIN_EMAIL)
            .env("RECOVERY_POOL_ADMIN_PASSWORD", super::PASSWORD)
            .env("RECOVERY_POOL_DB_MAX_CONNECTIONS", "4")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("the server binary starts");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("an HTTP client");
        let mut p = Process { child, base: format!("http://127.0.0.1:{port}"), log, http };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = p.http.get(format!("{}/readyz", p.base)).send().await {
                if r.status().is_success() {
                    return p;
                }
            }
            if let Ok(Some(status)) = p.child.try_wait() {
                panic!("server {name} exited with {status}: {}", std::fs::read_to_string(&p.log).unwrap_or_default());
            }
            assert!(tokio::time::Instant::now() < deadline, "server {name} is ready within 60 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the process with SIGKILL, as a crash or a power cut would: no shutdown code runs.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Posts one GraphQL operation; the JSON body.
    pub async fn gql(&self, query: &str, variables: serde_json::Value, token: Option<&str>) -> serde_json::Value {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&serde_json::json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the server process answers");
        resp.json().await.expect("a JSON body")
    }
}
