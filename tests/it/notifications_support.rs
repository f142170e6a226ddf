//! What the notification tests share: a graphql-transport-ws client over a real WebSocket, and the scene that
//! makes a real notification happen (a pool coordinator proposes an expert for an open need).

// Each test binary uses its own part.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The selection every notification test reads.
pub const NOTIFICATION_FIELDS: &str = "id kind title body objectType objectId createdAt readAt read";

/// A graphql-transport-ws connection to `/graphql/ws`.
pub struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a connection attempt ended when it was not acknowledged.
#[derive(Debug)]
pub enum Refused {
    /// The server closed the connection (with this frame, if it sent one).
    Closed(Option<(u16, String)>),
    /// The server sent something other than `connection_ack`.
    Other(Value),
}

impl Ws {
    /// Opens a WebSocket to `base` (`http://host:port`) asking for the graphql-transport-ws protocol.
    pub async fn open(base: &str) -> Ws {
        let url = format!("{}/graphql/ws", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("a WebSocket request");
        request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
        let (socket, response) =
            tokio_tungstenite::connect_async(request).await.expect("the WebSocket upgrade succeeds");
        assert_eq!(
            response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws"),
            "the server speaks graphql-transport-ws"
        );
        Ws { socket }
    }

    /// Opens a connection and signs in with `payload` in `connection_init`; `Err` when the server refuses.
    pub async fn connect(base: &str, payload: Value) -> Result<Ws, Refused> {
        let mut ws = Ws::open(base).await;
        ws.send(json!({ "type": "connection_init", "payload": payload })).await;
        match ws.receive(Duration::from_secs(10)).await {
            Ok(m) if m["type"] == "connection_ack" => Ok(ws),
            Ok(m) => Err(Refused::Other(m)),
            Err(close) => Err(Refused::Closed(close)),
        }
    }

    /// Signs in with `{"authorization": "Bearer <token>"}`.
    pub async fn signed_in(base: &str, token: &str) -> Ws {
        match Ws::connect(base, json!({ "authorization": format!("Bearer {token}") })).await {
            Ok(ws) => ws,
            Err(e) => panic!("a signed-in WebSocket is acknowledged, got {e:?}"),
        }
    }

    pub async fn send(&mut self, message: Value) {
        self.socket.send(Message::text(message.to_string())).await.expect("the message is sent");
    }

    /// The next protocol message (answering pings on the way); `Err` with the close frame when the server
    /// closes, or `Err(None)` when nothing comes within `wait`.
    pub async fn receive(&mut self, wait: Duration) -> Result<Value, Option<(u16, String)>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let next = match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return Err(None),
                Ok(None) => return Err(None),
                Ok(Some(Err(_))) => return Err(None),
                Ok(Some(Ok(m))) => m,
            };
            match next {
                Message::Text(text) => {
                    let v: Value = serde_json::from_str(text.as_str()).expect("a JSON protocol message");
                    if v["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Ok(v);
                }
                Message::Close(frame) => {
                    return Err(frame.map(|CloseFrame { code, reason }| (u16::from(code), reason.as_str().to_string())));
                }
                _ => continue,
            }
        }
    }

    /// Starts the `notifications` subscription as `id`, then makes sure the server has handled it (a ping
    /// answered after it) before returning.
    pub async fn subscribe_notifications(&mut self, id: &str) {
        let query = format!("subscription {{ notifications {{ {NOTIFICATION_FIELDS} }} }}");
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query } })).await;
        self.send(json!({ "type": "ping" })).await;
        loop {
            match self.receive(Duration::from_secs(10)).await {
                Ok(m) if m["type"] == "pong" => break,
                Ok(m) if m["type"] == "error" => panic!("the subscription is refused: {m}"),
                Ok(_) => continue,
                Err(e) => panic!("the connection stays open after subscribing, got {e:?}"),
            }
        }
    }

    /// The notifications `next` messages carry within `wait` (all of them, in order).
    pub async fn notifications_within(&mut self, wait: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.receive(left).await {
                Ok(m) if m["type"] == "next" => {
                    assert!(m["payload"].get("errors").is_none(), "a subscription event without errors: {m}");
                    out.push(m["payload"]["data"]["notifications"].clone());
                }
                Ok(m) => panic!("unexpected message on a subscription: {m}"),
                Err(None) => return out,
                Err(Some(close)) => panic!("the server closed the subscription: {close:?}"),
            }
        }
    }

    /// Waits for the first notification (at most `wait`).
    pub async fn next_notification(&mut self, wait: Duration) -> Value {
        match self.receive(wait).await {
            Ok(m) if m["type"] == "next" => m["payload"]["data"]["notifications"].clone(),
            Ok(m) => panic!("unexpected message on a subscription: {m}"),
            Err(e) => panic!("no notification arrived within {wait:?}: {e:?}"),
        }
    }
}

/// Anything that runs one GraphQL operation: the in-process test server or a spawned one.
pub trait Gql {
    fn run(&self, query: &str, variables: Value, token: Option<&str>) -> impl std::future::Future<Output = Value>;
}

impl Gql for crate::common::TestServer {
    async fn run(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.gql(query, variables, token).await
    }
}

/// The data of an operation that must succeed.
pub async fn ok(s: &impl Gql, query: &str, variables: Value, token: Option<&str>) -> Value {
    let body = s.run(query, variables, token).await;
    assert!(body.get("errors").is_none_or(|e| e.as_array().is_some_and(|a| a.is_empty())), "unexpected errors: {body}");
    body["data"].clone()
}

/// An open need of Lviv with an eligible expert of Amsterdam, ready for a proposal.
pub struct Proposable {
    pub need_id: String,
    pub role_id: String,
    pub expert_id: String,
}

/// The tokens of the accounts the scene needs.
pub struct Cast<'a> {
    pub hromada_officer: &'a str,
    pub needs_coordinator: &'a str,
    pub municipality_officer: &'a str,
    /// Official ids of Lviv and Amsterdam.
    pub lviv: &'a str,
    pub amsterdam: &'a str,
}

/// A plan of Lviv with one need, endorsed (so the need is OPEN), and an expert of Amsterdam who fits its first
/// role: the hromada drafts and submits, AUC endorses, the municipality volunteers the expert.
pub async fn proposable(s: &impl Gql, cast: &Cast<'_>, skills: &HashMap<String, String>) -> Proposable {
    let profile = json!({
        "name": "Anna de Vries",
        "email": format!("anna.{}@gemeente.test", uuid::Uuid::new_v4().simple()),
        "phone": "+31 20 000 0000",
        "jobTitle": "District heating engineer",
        "bio": "Twenty years in municipal service.",
        "hoursPerWeek": 8,
        "availableFrom": "2026-01-01",
        "availableUntil": "2027-12-31",
        "modes": ["REMOTE", "HOSTING"],
        "skills": [
            { "skillId": skills["DISTRICT_HEATING"], "level": 5, "years": 12 },
            { "skillId": skills["ENERGY_EFFICIENCY"], "level": 3, "years": 5 }
        ],
        "languages": [{ "language": "en", "level": "C1" }, { "language": "uk", "level": "B2" }],
        "consentDate": "2025-11-01"
    });
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let expert = ok(s, q, json!({ "m": cast.amsterdam, "p": profile }), Some(cast.municipality_officer)).await;
    let expert_id = expert["createExpert"]["id"].as_str().expect("an expert id").to_string();

    let plan = json!({
        "title": "Lviv heat 2026–2028",
        "summary": "Rebuild the heat supply damaged in 2022.",
        "sectors": ["ENERGY"],
        "periodStart": "2026-01-01",
        "periodEnd": "2028-12-31",
        "programme": "SDLG"
    });
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let plan = ok(s, q, json!({ "m": cast.lviv, "i": plan }), Some(cast.hromada_officer)).await;
    let plan_id = plan["createPlan"]["id"].as_str().expect("a plan id").to_string();

    let need = json!({
        "title": "District heating renovation",
        "description": "Design the renovation of the district heating network.",
        "sector": "ENERGY",
        "startDate": "2026-03-01",
        "endDate": "2026-09-30",
        "modes": ["REMOTE"],
        "priority": "HIGH",
        "roles": [{
            "title": "Heat network engineer",
            "seats": 1,
            "hoursPerWeek": 8,
            "skills": [{ "skillId": skills["DISTRICT_HEATING"], "minLevel": 4, "essential": true }],
            "languages": [{ "language": "en", "level": "C1" }]
        }]
    });
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
    let need = ok(s, q, json!({ "p": plan_id, "i": need }), Some(cast.hromada_officer)).await;
    let need_id = need["createNeed"]["id"].as_str().expect("a need id").to_string();
    let role_id = need["createNeed"]["roles"][0]["id"].as_str().expect("a role id").to_string();

    ok(s, "mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan_id }), Some(cast.hromada_officer))
        .await;
    ok(s, "mutation($id: ID!) { endorsePlan(id: $id) { id } }", json!({ "id": plan_id }), Some(cast.needs_coordinator))
        .await;
    Proposable { need_id, role_id, expert_id }
}

/// A pool coordinator proposes the scene's expert; the assignment's id.
pub async fn propose(s: &impl Gql, p: &Proposable, coordinator: &str) -> String {
    let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status } }";
    let d = ok(s, q, json!({ "r": p.role_id, "e": p.expert_id }), Some(coordinator)).await;
    assert_eq!(d["proposeAssignment"]["status"], "PROPOSED");
    d["proposeAssignment"]["id"].as_str().expect("an assignment id").to_string()
}
