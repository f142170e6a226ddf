//! Sign-in attempt limiting that keeps brute force out without handing a stranger a lever against the users:
//! - **per account and address**: after [`PAIR_FREE`] failures, each further one doubles a wait (from
//!   [`PAIR_FIRST_WAIT`] up to [`MAX_WAIT`]) before that address may try that account again; a success clears it.
//!   Someone who knows the admin's e-mail address locks only themselves out.
//! - **per account, from every address together**: at most [`ACCOUNT_CEILING`] failures per [`WINDOW`], a slow
//!   ceiling against a spread-out attack. It does not apply to an address the account signed in from
//!   successfully within the window, so the owner keeps working while someone else hammers their account.
//! - **per address, over every account**: at most [`ADDRESS_CEILING`] failures per [`WINDOW`] (password
//!   spraying). A success does not clear it, but it is far above what an office behind one NAT produces.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures of one account from one address before waits begin.
pub const PAIR_FREE: u32 = 5;
/// The first wait; it doubles with each further failure.
pub const PAIR_FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// The window of the two ceilings.
pub const WINDOW: Duration = Duration::from_secs(60 * 60);
/// Failures per account per window, from all addresses together.
pub const ACCOUNT_CEILING: u32 = 50;
/// Failures per address per window, over all accounts.
pub const ADDRESS_CEILING: u32 = 200;
/// Entries kept at most per table; past it, entries whose wait and window are over are forgotten first.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    /// When the count started (ceilings) or the last failure happened (pairs).
    since: Instant,
}

#[derive(Default)]
struct Tables {
    pairs: HashMap<(String, String), Count>,
    accounts: HashMap<String, Count>,
    addresses: HashMap<String, Count>,
    /// Addresses an account signed in from successfully, and when.
    trusted: HashMap<(String, String), Instant>,
}

#[derive(Default)]
pub struct LoginLimiter {
    tables: Mutex<Tables>,
}

/// The wait after `failures` failures of one pair.
fn pair_wait(failures: u32) -> Duration {
    if failures < PAIR_FREE {
        return Duration::ZERO;
    }
    let doublings = (failures - PAIR_FREE).min(16);
    PAIR_FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT)
}

fn over_ceiling(c: Option<&Count>, ceiling: u32, now: Instant) -> bool {
    c.is_some_and(|c| c.failures >= ceiling && now.duration_since(c.since) < WINDOW)
}

fn count_in_window(map: &mut HashMap<String, Count>, key: &str, now: Instant) {
    let c = map.entry(key.to_string()).or_insert(Count { failures: 0, since: now });
    if now.duration_since(c.since) >= WINDOW {
        *c = Count { failures: 0, since: now };
    }
    c.failures += 1;
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter::default()
    }

    /// Whether `address` must wait before trying `account` again.
    pub fn is_blocked(&self, account: &str, address: &str) -> bool {
        self.is_blocked_at(account, address, Instant::now())
    }

    fn is_blocked_at(&self, account: &str, address: &str, now: Instant) -> bool {
        let t = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        let key = (account.to_string(), address.to_string());
        let pair_waits = t.pairs.get(&key).is_some_and(|c| now.duration_since(c.since) < pair_wait(c.failures));
        let trusted = t.trusted.get(&key).is_some_and(|at| now.duration_since(*at) < WINDOW);
        pair_waits
            || (!trusted && over_ceiling(t.accounts.get(account), ACCOUNT_CEILING, now))
            || over_ceiling(t.addresses.get(address), ADDRESS_CEILING, now)
    }

    pub fn record_failure(&self, account: &str, address: &str) {
        self.record_failure_at(account, address, Instant::now());
    }

    fn record_failure_at(&self, account: &str, address: &str, now: Instant) {
        let mut t = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        if t.pairs.len() > MAX_ENTRIES || t.accounts.len() > MAX_ENTRIES || t.addresses.len() > MAX_ENTRIES {
            // Bounded memory under a spray of addresses: forget what no longer counts.
            t.pairs.retain(|_, c| now.duration_since(c.since) < MAX_WAIT.max(WINDOW));
            t.accounts.retain(|_, c| now.duration_since(c.since) < WINDOW);
            t.addresses.retain(|_, c| now.duration_since(c.since) < WINDOW);
            t.trusted.retain(|_, at| now.duration_since(*at) < WINDOW);
        }
        let pair =
            t.pairs.entry((account.to_string(), address.to_string())).or_insert(Count { failures: 0, since: now });
        if now.duration_since(pair.since) >= MAX_WAIT.max(WINDOW) {
            pair.failures = 0;
        }
        pair.failures += 1;
        pair.since = now;
        count_in_window(&mut t.accounts, account, now);
        count_in_window(&mut t.addresses, address, now);
    }

    /// A success clears the pair and lets this address past the account's ceiling for a window.
    pub fn record_success(&self, account: &str, address: &str) {
        let mut t = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        let key = (account.to_string(), address.to_string());
        t.pairs.remove(&key);
        t.trusted.insert(key, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: &str = "admin@x.nl";

    #[test]
    fn a_pair_waits_after_its_free_failures_and_the_wait_doubles() {
        let l = LoginLimiter::new();
        let t0 = Instant::now();
        for _ in 0..PAIR_FREE - 1 {
            l.record_failure_at(ADMIN, "1.1.1.1", t0);
            assert!(!l.is_blocked_at(ADMIN, "1.1.1.1", t0));
        }
        l.record_failure_at(ADMIN, "1.1.1.1", t0);
        assert!(l.is_blocked_at(ADMIN, "1.1.1.1", t0));
        assert!(!l.is_blocked_at(ADMIN, "1.1.1.1", t0 + PAIR_FIRST_WAIT));
        l.record_failure_at(ADMIN, "1.1.1.1", t0 + PAIR_FIRST_WAIT);
        assert!(l.is_blocked_at(ADMIN, "1.1.1.1", t0 + PAIR_FIRST_WAIT * 2));
        assert!(!l.is_blocked_at(ADMIN, "1.1.1.1", t0 + PAIR_FIRST_WAIT * 3));
        assert_eq!(pair_wait(PAIR_FREE + 40), MAX_WAIT);
    }

    #[test]
    fn a_stranger_failing_on_an_account_does_not_lock_out_its_owner() {
        let l = LoginLimiter::new();
        let t0 = Instant::now();
        for _ in 0..PAIR_FREE * 4 {
            l.record_failure_at(ADMIN, "6.6.6.6", t0);
        }
        assert!(l.is_blocked_at(ADMIN, "6.6.6.6", t0));
        assert!(!l.is_blocked_at(ADMIN, "10.0.0.1", t0), "the owner's address is not blocked");
    }

    #[test]
    fn the_account_ceiling_stops_a_spread_attack_but_not_an_address_the_owner_used() {
        let l = LoginLimiter::new();
        let t0 = Instant::now();
        l.record_success_at_for_test(ADMIN, "10.0.0.1", t0);
        for i in 0..ACCOUNT_CEILING {
            l.record_failure_at(ADMIN, &format!("6.6.{}.{}", i / 250, i % 250), t0);
        }
        assert!(l.is_blocked_at(ADMIN, "7.7.7.7", t0), "a new address meets the ceiling");
        assert!(!l.is_blocked_at(ADMIN, "10.0.0.1", t0), "the owner's known address does not");
        assert!(!l.is_blocked_at(ADMIN, "7.7.7.7", t0 + WINDOW), "the ceiling lasts one window");
    }

    #[test]
    fn colleagues_behind_one_address_are_not_locked_out_by_each_others_typos() {
        let l = LoginLimiter::new();
        let t0 = Instant::now();
        for i in 0..40 {
            let who = format!("officer{i}@gemeente.nl");
            l.record_failure_at(&who, "192.0.2.7", t0);
            l.record_failure_at(&who, "192.0.2.7", t0);
            l.record_success(&who, "192.0.2.7");
        }
        assert!(!l.is_blocked_at("officer99@gemeente.nl", "192.0.2.7", t0));
    }

    #[test]
    fn an_address_spraying_many_accounts_meets_its_ceiling() {
        let l = LoginLimiter::new();
        let t0 = Instant::now();
        for i in 0..ADDRESS_CEILING {
            l.record_failure_at(&format!("user{i}@x.nl"), "6.6.6.6", t0);
        }
        assert!(l.is_blocked_at("someone.else@x.nl", "6.6.6.6", t0));
    }

    impl LoginLimiter {
        fn record_success_at_for_test(&self, account: &str, address: &str, at: Instant) {
            let mut t = self.tables.lock().unwrap_or_else(|p| p.into_inner());
            t.trusted.insert((account.to_string(), address.to_string()), at);
        }
    }
}
