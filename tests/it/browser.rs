//! The web client in a real browser: `clients/web/tests/run.mjs` (Playwright driving the system Chromium) plays
//! the whole story across roles, each role's refusals, every language, the form errors and an expired session,
//! and runs axe-core on every page, against a server with the demo pool on each engine. Without Node, Chromium
//! or `clients/web/node_modules` the test says so and passes, except under `CI=true`, where it must run.

use std::path::{Path, PathBuf};

use crate::common::Backend;
use crate::common::process::Process;

backend_tests!(the_web_client_works_in_a_real_browser_for_every_role);

/// One browser run at a time: two at once on a small machine only make both slow.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn web_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/web")
}

/// What is missing to run the browser tests, if anything.
fn missing_tools(chromium: &Path) -> Option<String> {
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("Node.js (`node`) is not installed".into());
    }
    if !chromium.exists() {
        return Some(format!("Chromium is not at {} (apt-get install chromium, or set CHROMIUM)", chromium.display()));
    }
    if !web_dir().join("node_modules/playwright-core").exists() {
        return Some("clients/web/node_modules is missing (run `npm ci` in clients/web)".into());
    }
    None
}

async fn the_web_client_works_in_a_real_browser_for_every_role(b: Backend) {
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if let Some(why) = missing_tools(&chromium) {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI=true, so the browser tests must run: {why}");
        eprintln!("the browser tests are skipped: {why}");
        return;
    }
    let _one = ONE_BROWSER.lock().await;
    let (url, scratch) = b.scratch_database().await;
    let server = Process::spawn_with(&url, &scratch.dir, "browser", &["--demo"]).await;
    let engine = if matches!(b, Backend::Sqlite) { "sqlite" } else { "postgres" };
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots").join(engine);
    let out = tokio::process::Command::new("node")
        .arg("tests/run.mjs")
        .arg(&server.base)
        .current_dir(web_dir())
        .env("CHROMIUM", &chromium)
        .env("SCREENSHOTS", &screenshots)
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    // The whole output is printed above; the message repeats only its end (the failures, named once more),
    // so that a log cut to its tail still says what failed.
    let tail: Vec<&str> = stdout.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    assert!(
        out.status.success(),
        "browser tests failed on {engine}:\n{}\n{}",
        tail.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
}
