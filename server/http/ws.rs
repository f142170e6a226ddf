//! Subscriptions over WebSocket (graphql-transport-ws), driven here rather than by `GraphQLWebSocket::serve`,
//! which can neither time out a silent client nor close a connection from outside. The protocol's messages
//! are still handled by async-graphql; this loop watches them go by and closes the socket, with the
//! protocol's codes, when:
//! - `connection_init` does not arrive within the init timeout (4408);
//! - a `subscribe` arrives before the connection was acknowledged (4401);
//! - the token in `connection_init` is bad or its account does not honour it (4403);
//! - the token expires, or its account's tokens are revoked (signed out, password or status changed) (4403);
//! - the client sends something that is not a protocol message (4400).
//!
//! A connection holds at most [`WsLimits::max_subscriptions`] subscriptions; one more is answered with an
//! error for its id, and the others keep running.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_graphql::http::{WebSocket as ProtocolSocket, WebSocketProtocols, WsMessage};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::{self, BoxStream};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::{Instant, sleep};
use uuid::Uuid;

use super::caller::bearer_token;
use crate::graphql::context::RequestCtx;
use crate::graphql::limits::Api;
use crate::service::Services;

/// What one WebSocket connection may do.
#[derive(Debug, Clone, Copy)]
pub struct WsLimits {
    pub init_timeout: Duration,
    pub max_subscriptions: usize,
}

/// How often an open connection re-checks that its account still honours its token: a revocation made on
/// another replica closes it within this plus the account cache's lifetime.
const RECHECK: Duration = crate::service::sessions::CACHE_TTL;

/// Client messages waiting for the protocol at most.
const INBOX: usize = 256;

/// The guarded schema, with a count of the subscriptions running on one connection.
#[derive(Clone)]
struct Capped {
    api: Api,
    active: Arc<AtomicUsize>,
    max: usize,
}

/// Gives a subscription's place back when its stream ends or is dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Executor for Capped {
    fn execute(&self, request: Request) -> impl Future<Output = Response> + Send {
        self.api.execute(request)
    }

    fn execute_stream(&self, request: Request, session: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        if self.active.fetch_add(1, Ordering::AcqRel) >= self.max {
            self.active.fetch_sub(1, Ordering::AcqRel);
            let mut e = ServerError::new(
                format!("this connection holds {} subscriptions already; complete one first", self.max),
                None,
            );
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", "BAD_USER_INPUT");
            e.extensions = Some(ext);
            return stream::once(async move { Response::from_errors(vec![e]) }).boxed();
        }
        let slot = Slot(self.active.clone());
        let session = session.unwrap_or_default();
        self.api
            .execute_stream(request, session)
            .map(move |r| {
                let _ = &slot;
                r
            })
            .boxed()
    }
}

/// Who signed the connection in, and until when.
struct SignedIn {
    user: Uuid,
    token: String,
    expires_at: Instant,
}

#[derive(serde::Deserialize)]
struct Peek {
    #[serde(rename = "type")]
    kind: String,
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: reason.into() }))
}

/// The bearer token of a `connection_init` payload: `{"authorization": "Bearer <token>"}` or
/// `{"token": "<token>"}`.
fn init_token(payload: &serde_json::Value) -> Option<String> {
    let obj = payload.as_object()?;
    let header = ["authorization", "Authorization"].iter().find_map(|k| obj.get(*k)).and_then(|v| v.as_str());
    header.and_then(bearer_token).or_else(|| obj.get("token").and_then(|v| v.as_str()).map(|t| t.trim().to_string()))
}

/// Signs the connection in: the request context its subscriptions run with.
async fn sign_in(
    services: Services,
    client: String,
    payload: serde_json::Value,
    signed_in: oneshot::Sender<SignedIn>,
) -> async_graphql::Result<Data> {
    let token = init_token(&payload).filter(|t| !t.is_empty()).ok_or_else(|| {
        async_graphql::Error::new("sign in first: send {\"authorization\": \"Bearer <token>\"} in connection_init")
    })?;
    let verified =
        services.authenticate(&token).await.map_err(|_| async_graphql::Error::new("invalid or expired token"))?;
    let left = verified.expires_at.saturating_sub(chrono::Utc::now().timestamp()).max(0) as u64;
    let user = verified.principal.user_id;
    let _ = signed_in.send(SignedIn { user, token, expires_at: Instant::now() + Duration::from_secs(left) });
    let mut data = Data::default();
    data.insert(RequestCtx::new(services, Some(verified.principal), client));
    Ok(data)
}

/// Whether the account still honours the connection's token (true before sign-in: nothing to revoke yet).
async fn still_honoured(services: &Services, signed_in: Option<&SignedIn>) -> bool {
    match signed_in {
        Some(s) => services.authenticate(&s.token).await.is_ok(),
        None => true,
    }
}

/// Serves one WebSocket connection until either side ends it.
pub async fn serve(socket: WebSocket, api: Api, services: Services, client: String, limits: WsLimits) {
    let (mut tx, mut rx) = socket.split();
    // Forwarding never waits on the protocol (both run in one select!): a client whose messages pile up beyond
    // what the protocol has read is closed instead of buffered without bound.
    let (to_protocol, mut from_client) = mpsc::channel::<Bytes>(INBOX);
    let (signed_tx, mut signed_rx) = oneshot::channel::<SignedIn>();
    let mut revocations = services.sessions.revocations();
    let executor = Capped { api, active: Arc::default(), max: limits.max_subscriptions };
    let init_services = services.clone();
    let protocol = ProtocolSocket::new(
        executor,
        stream::poll_fn(move |cx| from_client.poll_recv(cx)),
        WebSocketProtocols::GraphQLWS,
    )
    .on_connection_init(move |payload| sign_in(init_services, client, payload, signed_tx));
    let mut protocol = std::pin::pin!(protocol);
    let deadline = sleep(limits.init_timeout);
    let mut deadline = std::pin::pin!(deadline);
    let mut recheck = tokio::time::interval_at(Instant::now() + RECHECK, RECHECK);
    let (mut init_seen, mut signed_in) = (false, None::<SignedIn>);

    let last = loop {
        tokio::select! {
            m = rx.next() => {
                let bytes = match m {
                    Some(Ok(Message::Text(t))) => Bytes::from(t),
                    Some(Ok(Message::Binary(b))) => b,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                };
                match serde_json::from_slice::<Peek>(&bytes).map(|p| p.kind).as_deref() {
                    Ok("subscribe") if signed_in.is_none() => break close(4401, "Unauthorized"),
                    Ok("connection_init") => init_seen = true,
                    Ok("subscribe" | "complete" | "ping" | "pong") => {}
                    _ => break close(4400, "Invalid message"),
                }
                match to_protocol.try_send(bytes) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => break close(1008, "Too many messages at once"),
                    Err(mpsc::error::TrySendError::Closed(_)) => return,
                }
            }
            m = protocol.next() => match m {
                Some(WsMessage::Text(text)) => {
                    if signed_in.is_none() {
                        if let Ok(s) = signed_rx.try_recv() {
                            deadline.as_mut().reset(s.expires_at);
                            signed_in = Some(s);
                        }
                    }
                    if tx.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                // The protocol answers a refused connection_init with 1002; the graphql-transport-ws code is 4403.
                Some(WsMessage::Close(1002, _)) if init_seen && signed_in.is_none() => break close(4403, "Forbidden"),
                Some(WsMessage::Close(code, reason)) => break close(code, &reason),
                None => return,
            },
            () = &mut deadline => break match signed_in {
                Some(_) => close(4403, "Token expired"),
                None => close(4408, "Connection initialisation timeout"),
            },
            revoked = revocations.recv() => {
                // A revocation of this account on this replica (or so many that some were missed): re-check now.
                let ours = match (&revoked, &signed_in) {
                    (Ok(user), Some(s)) => *user == s.user,
                    (Err(broadcast::error::RecvError::Lagged(_)), Some(_)) => true,
                    _ => false,
                };
                if ours && !still_honoured(&services, signed_in.as_ref()).await {
                    break close(4403, "Token revoked");
                }
            }
            _ = recheck.tick() => {
                if !still_honoured(&services, signed_in.as_ref()).await {
                    break close(4403, "Token revoked");
                }
            }
        }
    };
    // Dropping the protocol ends every subscription of the connection.
    let _ = tx.send(last).await;
}
