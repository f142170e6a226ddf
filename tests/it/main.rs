//! The integration tests, in one test binary so that it links once: every test talks to a real server over
//! HTTP (and WebSocket) on `127.0.0.1:0`, on SQLite always and on PostgreSQL when `TEST_DATABASE_URL` is set
//! (`backend_tests!` makes one test per engine). The statement count has a binary of its own, since it
//! installs a global log subscriber.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;
mod notifications_support;

mod assignment_workflow;
mod auth;
mod backup;
mod bad_input;
mod browser;
mod community;
mod contract;
mod crash;
mod experts;
mod fund;
mod fuzz;
mod hardening;
mod http_limits;
mod invitations;
mod ledger;
mod matching_api;
mod network;
mod no_double_booking;
mod notifications_delivery;
mod notifications_inbox;
mod plan_workflow;
mod privacy;
mod scenario;
mod second_factor;
mod sheets;
