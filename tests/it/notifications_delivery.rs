//! Notifications leaving the server: e-mail over real SMTP (to a small SMTP server this test runs on
//! 127.0.0.1, spoken to by the server's sender over TCP), retries and giving up, and — on PostgreSQL — live
//! events written through one server process reaching a subscriber of another process on the same database.

use crate::common;
use crate::notifications_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::Process;
use common::{Backend, codes};
use notifications_support::{Cast, Gql, Ws, ok, proposable, propose};
use recovery_pool::app::open;
use recovery_pool::config::WorkflowSettings;
use recovery_pool::domain::input::UserInput;
use recovery_pool::domain::{OutboxStatus, Role};
use recovery_pool::service::notifications::{Audience, Notice};
use recovery_pool::service::{Services, now};
use recovery_pool::store::notification::{OutboxRow, outbox_of};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use uuid::Uuid;

backend_tests!(
    the_outbox_is_sent_over_smtp_when_configured,
    a_refusing_smtp_server_is_retried_with_backoff_and_then_given_up,
);

// ---------------------------------------------------------------------------------------------------------------
// A small SMTP server: enough of RFC 5321 for a client that sends plain mail (EHLO/HELO, MAIL FROM, RCPT TO,
// DATA, RSET, NOOP, QUIT), recording what it accepts.

#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    /// The message as sent after DATA (headers and body), dot-unstuffed.
    data: String,
}

#[derive(Clone)]
struct SmtpSink {
    addr: std::net::SocketAddr,
    messages: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    _task: Arc<JoinHandle<()>>,
}

impl SmtpSink {
    /// A sink that accepts everything, or (with `refuse`) answers every RCPT TO with a temporary failure.
    async fn start(refuse: bool) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port for the SMTP sink");
        let addr = listener.local_addr().expect("the sink's address");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let task = {
            let (messages, arrived) = (messages.clone(), arrived.clone());
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    let (messages, arrived) = (messages.clone(), arrived.clone());
                    tokio::spawn(async move {
                        let _ = smtp_session(socket, refuse, messages, arrived).await;
                    });
                }
            })
        };
        SmtpSink { addr, messages, arrived, _task: Arc::new(task) }
    }

    fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    fn received(&self) -> Vec<Received> {
        self.messages.lock().expect("the sink's lock").clone()
    }

    /// Waits until `n` messages have arrived.
    async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let notified = self.arrived.notified();
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("{n} message(s) reach the SMTP server within {within:?}; got {}", got.len());
            }
        }
    }
}

async fn smtp_session(
    socket: tokio::net::TcpStream,
    refuse: bool,
    messages: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test greets you\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 sink.test\r\n",
            "MAIL" => {
                from = address(&command);
                to.clear();
                b"250 2.1.0 OK\r\n"
            }
            "RCPT" if refuse => b"451 4.3.0 Mailbox temporarily unavailable, try again later\r\n",
            "RCPT" => {
                to.push(address(&command));
                b"250 2.1.5 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                messages.lock().expect("the sink's lock").push(Received { from: from.clone(), to: to.clone(), data });
                arrived.notify_waiters();
                b"250 2.0.0 OK: queued\r\n"
            }
            "RSET" => {
                to.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 Command not recognised\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// The address in `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..].find('>').map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}

async fn make_user(services: &Services, role: Role) -> (Uuid, String) {
    let email = format!("user-{}@harness.test", &Uuid::new_v4().simple().to_string()[..10]);
    let u = services
        .create_user_as_system(UserInput {
            email: email.clone(),
            display_name: "Test user".into(),
            password: common::PASSWORD.into(),
            role,
            municipality_id: None,
            expert_id: None,
        })
        .await
        .expect("the account is created");
    (u.id, email)
}

fn notice(to: Uuid, title: &str, body: &str) -> Notice {
    Notice {
        kind: "test.notice".into(),
        title: title.into(),
        body: body.into(),
        object_type: "test",
        object_id: Uuid::now_v7(),
        audience: vec![Audience::Users(vec![to])],
    }
}

async fn outbox(services: &Services, user: Uuid) -> Vec<OutboxRow> {
    let mut c = services.db.acquire().await.expect("a connection");
    outbox_of(&mut c.conn(), user).await.expect("the outbox reads")
}

/// Waits until `check` holds for the user's outbox.
async fn outbox_until(
    services: &Services,
    user: Uuid,
    what: &str,
    check: impl Fn(&[OutboxRow]) -> bool,
) -> Vec<OutboxRow> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let rows = outbox(services, user).await;
        if check(&rows) {
            return rows;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what} within 30 s: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn the_outbox_is_sent_over_smtp_when_configured(b: Backend) {
    let sink = SmtpSink::start(false).await;
    let workflow = WorkflowSettings {
        smtp_url: Some(recovery_pool::config::ServerUrl::new(sink.url())),
        mail_from: "Recovery Pool <pool@recovery-pool.test>".into(),
        ..Default::default()
    };
    let server = b.start_with_workflow(workflow).await;
    let services = &server.services;
    let (user, email) = make_user(services, Role::NeedsCoordinator).await;

    // Recorded, committed and published: the server's sender is woken and sends it over SMTP.
    services
        .notify(&[notice(user, "Proposal for Lviv: please decide", "A pool coordinator proposes Anna de Vries.")])
        .await
        .expect("the notice is recorded");
    let got = sink.wait_for(1, Duration::from_secs(30)).await;
    let m = &got[0];
    assert_eq!(m.from, "pool@recovery-pool.test");
    assert_eq!(m.to, std::slice::from_ref(&email));
    let headers = m.data.split("\r\n\r\n").next().unwrap_or_default();
    assert!(headers.contains(&format!("To: {email}")), "{headers}");
    assert!(headers.contains("Subject: Proposal for Lviv: please decide"), "{headers}");
    assert!(headers.contains("From: \"Recovery Pool\" <pool@recovery-pool.test>"), "{headers}");
    assert!(m.data.contains("A pool coordinator proposes Anna de Vries."), "{}", m.data);

    let rows =
        outbox_until(services, user, "the row is SENT", |r| r.first().is_some_and(|r| r.status == OutboxStatus::Sent))
            .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].attempts, 1);
    assert!(rows[0].sent_at.is_some() && rows[0].last_error.is_none());

    // Several at once, through one connection or more: each arrives once.
    for i in 0..3 {
        services.notify(&[notice(user, &format!("Update {i}"), "Something changed.")]).await.expect("recorded");
    }
    let got = sink.wait_for(4, Duration::from_secs(30)).await;
    let subjects: Vec<bool> =
        (0..3).map(|i| got.iter().filter(|m| m.data.contains(&format!("Subject: Update {i}"))).count() == 1).collect();
    assert_eq!(subjects, [true, true, true], "each e-mail once");
    outbox_until(services, user, "all rows SENT", |r| r.len() == 4 && r.iter().all(|r| r.status == OutboxStatus::Sent))
        .await;
    assert_eq!(services.run_mail_once().await.expect("the sender runs").sent, 0, "nothing is sent twice");
    assert_eq!(sink.received().len(), 4);

    // A user who turned e-mail off gets none.
    let (quiet, _) = make_user(services, Role::FundOfficer).await;
    let p = recovery_pool::auth::Principal {
        user_id: quiet,
        role: Role::FundOfficer,
        municipality_id: None,
        expert_id: None,
    };
    services
        .set_notification_preference(Some(&p), recovery_pool::service::notifications::EmailMode::Off)
        .await
        .expect("the choice is saved");
    services.notify(&[notice(quiet, "Quiet", "Not by e-mail.")]).await.expect("recorded");
    assert!(outbox(services, quiet).await.is_empty());
}

async fn a_refusing_smtp_server_is_retried_with_backoff_and_then_given_up(b: Backend) {
    let sink = SmtpSink::start(true).await;
    let server = b
        .start_with_workflow(WorkflowSettings {
            smtp_url: Some(recovery_pool::config::ServerUrl::new(sink.url())),
            ..Default::default()
        })
        .await;
    let services = &server.services;
    let (user, _) = make_user(services, Role::NeedsCoordinator).await;
    services.notify(&[notice(user, "Will not arrive", "The server refuses it.")]).await.expect("recorded");

    // The server's sender tries at once and is refused: the row waits for a retry, with the error.
    let rows = outbox_until(services, user, "the first attempt", |r| {
        r.first().is_some_and(|r| r.attempts == 1 && r.last_error.is_some())
    })
    .await;
    let first = &rows[0];
    assert_eq!(first.status, OutboxStatus::Pending);
    assert!(first.last_error.as_deref().is_some_and(|e| e.contains("451")), "{first:?}");
    let retry = first.next_attempt_at.expect("a time for the next attempt");
    assert!(retry > now() + chrono::Duration::seconds(30), "not retried at once: {retry}");
    assert_eq!(services.run_mail_once().await.expect("the sender runs"), Default::default(), "nothing is due yet");

    // Later tries, each after the backoff has passed; the fifth failure gives up.
    let mut at = now();
    for attempt in 2..=5 {
        at += chrono::Duration::hours(1);
        let run = services.run_mail_at(at).await.expect("the sender runs");
        let row = &outbox(services, user).await[0];
        assert_eq!(row.attempts, attempt, "{row:?}");
        if attempt < 5 {
            assert_eq!((run.retrying, run.failed, row.status.as_str()), (1, 0, "PENDING"));
        } else {
            assert_eq!((run.retrying, run.failed, row.status.as_str()), (0, 1, "FAILED"));
            assert!(row.last_error.as_deref().is_some_and(|e| e.contains("451")));
        }
    }
    at += chrono::Duration::days(1);
    assert_eq!(services.run_mail_at(at).await.expect("the sender runs"), Default::default(), "FAILED stays FAILED");
    assert!(sink.received().is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Two server processes on one PostgreSQL database.

impl Gql for Process {
    async fn run(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.gql(query, variables, token).await
    }
}

async fn spawn_server(database_url: &str, name: &str) -> Process {
    let data_dir = std::env::temp_dir().join(format!("rp_test_data_{}", Uuid::new_v4().simple()));
    Process::spawn(database_url, &data_dir, name).await
}

async fn login(p: &Process, email: &str) -> String {
    let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let d = ok(p, q, json!({ "e": email, "p": common::PASSWORD }), None).await;
    d["login"]["token"].as_str().expect("a token").to_string()
}

#[tokio::test]
async fn two_server_processes_on_one_postgres_database_both_deliver_live_events() {
    let Some(b) = Backend::postgres() else {
        eprintln!("TEST_DATABASE_URL is not set: the two-process live event test runs only on PostgreSQL; skipped");
        return;
    };
    let (db_url, _db) = b.scratch_database().await;
    // A first, so the migrations and the first admin are made once; then B on the same database.
    let a = spawn_server(&db_url, "a").await;
    let b_proc = spawn_server(&db_url, "b").await;

    // Accounts made directly in the database (as the CLI would); everything else over HTTP.
    let store = common::store_settings(&db_url, &_db.dir);
    let services = open(&store).await.expect("the test opens the same database");
    let mut emails = HashMap::new();
    for (key, role, code) in [
        ("coordinator", Role::PoolCoordinator, None),
        ("auc", Role::NeedsCoordinator, None),
        ("hromada", Role::HromadaOfficer, Some(codes::LVIV)),
        ("municipality", Role::MunicipalityOfficer, Some(codes::AMSTERDAM)),
    ] {
        let municipality_id = match code {
            Some(c) => Some(services.municipality_id_by_code(c).await.expect("a reference municipality")),
            None => None,
        };
        let email = format!("{key}-{}@harness.test", &Uuid::new_v4().simple().to_string()[..8]);
        services
            .create_user_as_system(UserInput {
                email: email.clone(),
                display_name: key.into(),
                password: common::PASSWORD.into(),
                role,
                municipality_id,
                expert_id: None,
            })
            .await
            .expect("the account is created");
        emails.insert(key, email);
    }
    let lviv = services.municipality_id_by_code(codes::LVIV).await.expect("Lviv").to_string();
    let amsterdam = services.municipality_id_by_code(codes::AMSTERDAM).await.expect("Amsterdam").to_string();
    services.db.close().await;

    let coordinator = login(&a, &emails["coordinator"]).await;
    let auc = login(&b_proc, &emails["auc"]).await;
    let hromada = login(&a, &emails["hromada"]).await;
    let municipality = login(&a, &emails["municipality"]).await;
    let d = ok(&a, "{ skills { id code } }", json!({}), Some(&auc)).await;
    let skills: HashMap<String, String> = d["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| (s["code"].as_str().unwrap_or_default().to_string(), s["id"].as_str().unwrap_or_default().to_string()))
        .collect();
    let cast = Cast {
        hromada_officer: &hromada,
        needs_coordinator: &auc,
        municipality_officer: &municipality,
        lviv: &lviv,
        amsterdam: &amsterdam,
    };
    let scene = proposable(&a, &cast, &skills).await;

    // AUC listens on both processes; the proposal is made through A.
    let mut on_b = Ws::signed_in(&b_proc.base, &auc).await;
    on_b.subscribe_notifications("b").await;
    let mut on_a = Ws::signed_in(&a.base, &auc).await;
    on_a.subscribe_notifications("a").await;
    let assignment = propose(&a, &scene, &coordinator).await;

    let from_b = on_b.next_notification(Duration::from_secs(20)).await;
    assert_eq!(from_b["kind"], "assignment.proposed");
    assert_eq!(from_b["objectId"], assignment.as_str());
    let from_a = on_a.next_notification(Duration::from_secs(20)).await;
    assert_eq!(from_a, from_b, "the same notification on both processes");
    assert!(on_b.notifications_within(Duration::from_secs(2)).await.is_empty(), "once on B");
    assert!(on_a.notifications_within(Duration::from_millis(200)).await.is_empty(), "once on A");

    // And the other way round: written through B, seen on A.
    let d =
        ok(&b_proc, "{ notifications(first: 5) { edges { node { id kind objectId } } } }", json!({}), Some(&auc)).await;
    assert_eq!(d["notifications"]["edges"][0]["node"]["id"], from_b["id"], "B's inbox has it too");
    let mut coord_on_a = Ws::signed_in(&a.base, &coordinator).await;
    coord_on_a.subscribe_notifications("c").await;
    let q =
        "mutation($id: ID!, $r: String!) { rejectAssignment(id: $id, reason: $r) { changed assignment { status } } }";
    let d = ok(&b_proc, q, json!({ "id": assignment, "r": "We found someone locally." }), Some(&auc)).await;
    assert_eq!(d["rejectAssignment"]["assignment"]["status"], "REJECTED");
    let n = coord_on_a.next_notification(Duration::from_secs(20)).await;
    assert_eq!((n["kind"].as_str(), n["objectId"].as_str()), (Some("assignment.rejected"), Some(assignment.as_str())));
    assert!(coord_on_a.notifications_within(Duration::from_secs(1)).await.is_empty(), "once");
    drop((a, b_proc));
}
