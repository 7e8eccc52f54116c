//! The broker's bounds: how many connections may wait to log in, how often one address or one
//! device may try, and how fast a logged-in device may publish and subscribe.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The broker's bounds; see `ServeArgs` for what each defaults to and why.
#[derive(Debug, Clone, Copy)]
pub struct BrokerLimits {
    /// Connections accepted but not yet logged in, at once.
    pub pending_logins: usize,
    /// Logins one source address may attempt per second.
    pub logins_per_address: u32,
    /// Logins one device may attempt per minute (a device that reconnects in a loop, or a
    /// stolen secret tried from many places).
    pub logins_per_device: u32,
    /// PUBLISH packets one device may send per second; more are dropped.
    pub messages_per_second: u32,
    /// SUBSCRIBE packets one connection may send per second; more close it.
    pub subscribes_per_second: u32,
}

impl Default for BrokerLimits {
    fn default() -> Self {
        Self {
            pending_logins: 1024,
            logins_per_address: 200,
            logins_per_device: 10,
            messages_per_second: 50,
            subscribes_per_second: 10,
        }
    }
}

/// Counts events in fixed windows: at most `limit` per `window`.
#[derive(Debug)]
pub struct RateWindow {
    limit: u32,
    window: Duration,
    started: Option<Instant>,
    count: u32,
}

impl RateWindow {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window, started: None, count: 0 }
    }

    pub fn per_second(limit: u32) -> Self {
        Self::new(limit, Duration::from_secs(1))
    }

    /// Counts one more at `now`; false when it is beyond the limit.
    pub fn allows_one_more(&mut self, now: Instant) -> bool {
        match self.started {
            Some(started) if now.duration_since(started) < self.window => {}
            _ => (self.started, self.count) = (Some(now), 0),
        }
        self.count = self.count.saturating_add(1);
        self.count <= self.limit
    }

    fn expired(&self, now: Instant) -> bool {
        self.started.is_none_or(|started| now.duration_since(started) >= self.window)
    }
}

/// A [`RateWindow`] per key (source address, device), forgetting keys whose window passed.
#[derive(Debug)]
pub struct KeyedRate<K> {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<K, RateWindow>>,
}

/// Above this many keys, expired windows are swept before adding one.
const SWEEP_ABOVE: usize = 4096;

impl<K: Hash + Eq + Clone> KeyedRate<K> {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one more for `key` at `now`; false when it is beyond the limit.
    pub fn allows_one_more(&self, key: &K, now: Instant) -> bool {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > SWEEP_ABOVE && !windows.contains_key(key) {
            windows.retain(|_, window| !window.expired(now));
        }
        windows.entry(key.clone()).or_insert_with(|| RateWindow::new(self.limit, self.window)).allows_one_more(now)
    }
}

/// `text` cut to a length fit for a log line, so that a hostile client cannot flood the log.
pub fn for_log(text: &str) -> String {
    const KEEP: usize = 64;
    match text.char_indices().nth(KEEP) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_its_limit_then_refuses_until_the_next_window() {
        let start = Instant::now();
        let mut window = RateWindow::per_second(2);
        assert!(window.allows_one_more(start));
        assert!(window.allows_one_more(start));
        assert!(!window.allows_one_more(start + Duration::from_millis(999)));
        assert!(window.allows_one_more(start + Duration::from_secs(1)));
    }

    #[test]
    fn keys_are_counted_apart_and_expired_ones_are_forgotten() {
        let start = Instant::now();
        let rate = KeyedRate::new(1, Duration::from_secs(60));
        assert!(rate.allows_one_more(&"a", start));
        assert!(!rate.allows_one_more(&"a", start));
        assert!(rate.allows_one_more(&"b", start));
        let many = KeyedRate::new(1, Duration::from_secs(1));
        for n in 0..=SWEEP_ABOVE {
            many.allows_one_more(&n, start);
        }
        assert!(many.allows_one_more(&usize::MAX, start + Duration::from_secs(2)));
        assert_eq!(many.windows.lock().unwrap().len(), 1, "the expired windows were swept");
    }

    #[test]
    fn log_fields_are_cut_to_a_readable_length() {
        assert_eq!(for_log("dev-1"), "dev-1");
        let long = "ü".repeat(1000);
        assert_eq!(for_log(&long).chars().count(), 65);
    }
}
