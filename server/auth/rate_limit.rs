//! Login attempt limiting: after too many failures for one account or one client address within a window,
//! further attempts are refused until the window has passed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub fn new(max_failures: u32, window: Duration) -> LoginLimiter {
        LoginLimiter { max_failures, window, failures: Mutex::new(HashMap::new()) }
    }

    /// Whether any of the keys (e-mail, client address) has used up its failures.
    pub fn is_blocked(&self, keys: &[&str]) -> bool {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().any(|k| {
            map.get(*k).is_some_and(|(n, since)| *n >= self.max_failures && now.duration_since(*since) < self.window)
        })
    }

    pub fn record_failure(&self, keys: &[&str]) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a spray of addresses: forget windows that have passed.
            map.retain(|_, (_, since)| now.duration_since(*since) < self.window);
        }
        for k in keys {
            let entry = map.entry((*k).to_string()).or_insert((0, now));
            if now.duration_since(entry.1) >= self.window {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    pub fn record_success(&self, keys: &[&str]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.remove(*k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_blocked_after_too_many_failures_and_freed_by_success() {
        let l = LoginLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(!l.is_blocked(&["a@x.nl"]));
            l.record_failure(&["a@x.nl"]);
        }
        assert!(l.is_blocked(&["a@x.nl"]));
        assert!(!l.is_blocked(&["b@x.nl"]));
        l.record_success(&["a@x.nl"]);
        assert!(!l.is_blocked(&["a@x.nl"]));
    }
}
