//! The server pool: which server to dial next, and when.
//!
//! Same rules as nats.ws: servers are tried round robin (shuffled once unless `noRandomize`);
//! a server is not dialed again before `reconnectTimeWait` (plus jitter) has passed since its
//! last attempt; a server that fails `maxReconnectAttempts` times in a row is dropped (`-1`:
//! never); before the first successful connect a failed server is dropped at once unless
//! `waitOnFirstConnect`. Servers learned from `INFO.connect_urls` are "gossiped" and may be
//! removed again when the cluster stops advertising them.

use super::text;
use crate::prelude::*;

/// One server in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// As given by the user, or `host:port` as advertised by the cluster.
    pub url: String,
    /// Learned from `connect_urls` rather than configured.
    pub gossiped: bool,
    /// Connected successfully at least once.
    pub did_connect: bool,
    /// Failed attempts since the last success.
    pub failures: u32,
    /// Connections it ended by sending bytes no server sends; never reset, so a server that
    /// accepts us and then talks garbage is given up like one that refuses us.
    pub protocol_errors: u32,
    /// When it was last dialed (ms).
    pub last_attempt: Option<u64>,
}

impl Server {
    fn new(url: String, gossiped: bool) -> Self {
        Server {
            url,
            gossiped,
            did_connect: false,
            failures: 0,
            protocol_errors: 0,
            last_attempt: None,
        }
    }
}

/// What changed after a cluster update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServersChanged {
    /// Servers added to the pool.
    pub added: Vec<String>,
    /// Servers removed from the pool.
    pub deleted: Vec<String>,
}

/// The pool and its policy.
#[derive(Debug, Clone)]
pub struct ServerPool {
    servers: Vec<Server>,
    current: Option<String>,
    /// `maxReconnectAttempts`; negative means unlimited.
    pub max_attempts: i64,
    /// `waitOnFirstConnect`: keep failed servers before the first success.
    pub wait_on_first_connect: bool,
}

impl ServerPool {
    /// A pool of `urls`, shuffled with `random` (any source of u64s) unless `randomize` is off.
    pub fn new(urls: &[String], randomize: bool, mut random: impl FnMut() -> u64) -> Self {
        let mut servers: Vec<Server> = urls.iter().map(|u| Server::new(u.clone(), false)).collect();
        if randomize {
            for i in (1..servers.len()).rev() {
                // checked_rem: never 0, but `%` by a variable would link a panic for it.
                let j = random().checked_rem(i as u64 + 1).unwrap_or(0) as usize;
                // Always true; stated so that the swap links no bounds-check panic.
                if i < servers.len() && j < servers.len() {
                    servers.swap(i, j);
                }
            }
        }
        ServerPool {
            servers,
            current: None,
            max_attempts: 10,
            wait_on_first_connect: false,
        }
    }

    /// Servers in dial order.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// True when no server is left to try.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// The server dialed last.
    pub fn current(&self) -> Option<&Server> {
        let url = self.current.as_ref()?;
        self.servers.iter().find(|s| &s.url == url)
    }

    /// Picks the next server and the earliest time it may be dialed (`wait` ms after its
    /// previous attempt): the first in round-robin order that can be dialed soonest, so a
    /// failover to a fresh server never waits behind the one that just failed.
    pub fn next(&mut self, now: u64, wait: u64) -> Option<(Server, u64)> {
        let ready_at = |s: &Server| {
            s.last_attempt
                .map_or(now, |last| now.max(last.saturating_add(wait)))
        };
        let (index, at) = self
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| (i, ready_at(s)))
            .min_by_key(|&(i, at)| (at, i))?;
        let server = self.servers.remove(index);
        self.current = Some(server.url.clone());
        self.servers.push(server.clone());
        Some((server, at))
    }

    fn current_mut(&mut self) -> Option<&mut Server> {
        let url = self.current.clone()?;
        self.servers.iter_mut().find(|s| s.url == url)
    }

    /// Records that the current server is being dialed at `now`.
    pub fn dialing(&mut self, now: u64) {
        if let Some(s) = self.current_mut() {
            s.last_attempt = Some(now);
        }
    }

    /// The current server accepted us.
    pub fn connected(&mut self) {
        if let Some(s) = self.current_mut() {
            s.did_connect = true;
            s.failures = 0;
        }
    }

    /// The current server failed; drops it when the policy says so.
    pub fn failed(&mut self, connected_once: bool) {
        let max = self.max_attempts;
        let keep_first = self.wait_on_first_connect;
        let Some(s) = self.current_mut() else { return };
        s.failures += 1;
        let exhausted = max >= 0 && i64::from(s.failures) >= max;
        let drop_now = (!connected_once && !keep_first) || exhausted;
        if drop_now {
            let url = s.url.clone();
            self.servers.retain(|s| s.url != url);
        }
    }

    /// The current server broke the protocol; drops it after `max_attempts` such breaks.
    pub fn protocol_error(&mut self) {
        let max = self.max_attempts;
        let Some(s) = self.current_mut() else { return };
        s.protocol_errors += 1;
        if max >= 0 && i64::from(s.protocol_errors) >= max {
            let url = s.url.clone();
            self.servers.retain(|s| s.url != url);
        }
    }

    /// Applies a cluster's `connect_urls`: new ones join as gossiped; gossiped ones no longer
    /// advertised leave (never the current one, never configured ones).
    pub fn update(&mut self, urls: &[String]) -> ServersChanged {
        let mut changed = ServersChanged::default();
        let known = |pool: &[Server], u: &str| pool.iter().any(|s| same_host(&s.url, u));
        for u in urls {
            if !known(&self.servers, u) {
                self.servers.push(Server::new(u.clone(), true));
                changed.added.push(u.clone());
            }
        }
        let current = self.current.clone();
        self.servers.retain(|s| {
            let keep = !s.gossiped
                || Some(&s.url) == current.as_ref()
                || urls.iter().any(|u| same_host(&s.url, u));
            if !keep {
                changed.deleted.push(s.url.clone());
            }
            keep
        });
        changed
    }

    /// Moves the current server to the back of the pool (lame duck: try others first).
    pub fn demote_current(&mut self) {
        if let Some(url) = self.current.clone() {
            if let Some(i) = self.servers.iter().position(|s| s.url == url) {
                let s = self.servers.remove(i);
                self.servers.push(s);
            }
        }
    }
}

/// `host:port` of a server string: the scheme and any path are ignored, so
/// `ws://a:80` and a gossiped `a:80` are the same server.
pub fn host_port(url: &str) -> &str {
    let rest = text::split_once(url, "://").map_or(url, |(_, r)| r);
    text::split_once(rest, "/").map_or(rest, |(host, _)| host)
}

fn same_host(a: &str, b: &str) -> bool {
    host_port(a).eq_ignore_ascii_case(host_port(b))
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pool(urls: &[&str]) -> ServerPool {
        let urls: Vec<String> = urls.iter().map(|s| s.to_string()).collect();
        ServerPool::new(&urls, false, || 0)
    }

    fn names(p: &ServerPool) -> Vec<&str> {
        p.servers().iter().map(|s| s.url.as_str()).collect()
    }

    #[test]
    fn round_robin_with_wait_per_server() {
        let mut p = pool(&["a", "b"]);
        let (s, at) = p.next(100, 2000).unwrap();
        assert_eq!((s.url.as_str(), at), ("a", 100));
        p.dialing(100);
        p.connected();
        p.failed(true);
        // b was never tried: at once. Then a again, not before its wait is over.
        let (s, at) = p.next(150, 2000).unwrap();
        assert_eq!((s.url.as_str(), at), ("b", 150));
        p.dialing(150);
        p.failed(true);
        let (s, at) = p.next(200, 2000).unwrap();
        assert_eq!((s.url.as_str(), at), ("a", 2100));
    }

    #[test]
    fn first_connect_failures_drop_the_server() {
        let mut p = pool(&["a", "b"]);
        p.next(0, 0);
        p.dialing(0);
        p.failed(false);
        assert_eq!(names(&p), ["b"]);
        let mut keep = pool(&["a", "b"]);
        keep.wait_on_first_connect = true;
        keep.next(0, 0);
        keep.failed(false);
        assert_eq!(names(&keep), ["b", "a"]);
    }

    #[test]
    fn max_attempts_per_server() {
        let mut p = pool(&["a"]);
        p.max_attempts = 3;
        for _ in 0..2 {
            p.next(0, 0);
            p.failed(true);
        }
        assert!(!p.is_empty());
        p.next(0, 0);
        p.failed(true);
        assert!(p.is_empty());
        let mut forever = pool(&["a"]);
        forever.max_attempts = -1;
        for _ in 0..1000 {
            forever.next(0, 0);
            forever.failed(true);
        }
        assert!(!forever.is_empty());
    }

    #[test]
    fn success_resets_failures() {
        let mut p = pool(&["a"]);
        p.max_attempts = 2;
        p.next(0, 0);
        p.failed(true);
        p.next(0, 0);
        p.connected();
        p.next(0, 0);
        p.failed(true);
        assert!(!p.is_empty());
    }

    #[test]
    fn protocol_errors_are_not_forgiven_by_a_successful_connect() {
        let mut p = pool(&["a"]);
        p.max_attempts = 3;
        for _ in 0..2 {
            p.next(0, 0);
            p.connected();
            p.protocol_error();
        }
        assert!(!p.is_empty());
        p.next(0, 0);
        p.connected();
        p.protocol_error();
        assert!(p.is_empty());
    }

    #[test]
    fn cluster_updates_add_and_remove_gossiped_servers() {
        let mut p = pool(&["ws://a:1"]);
        p.next(0, 0);
        let c = p.update(&["a:1".into(), "b:2".into(), "c:3".into()]);
        assert_eq!(c.added, ["b:2", "c:3"]);
        assert!(c.deleted.is_empty());
        let c = p.update(&["a:1".into(), "c:3".into()]);
        assert_eq!(c.deleted, ["b:2"]);
        // Configured servers stay even when not advertised.
        let c = p.update(&["c:3".into()]);
        assert!(c.deleted.is_empty());
        assert_eq!(names(&p), ["ws://a:1", "c:3"]);
    }

    #[test]
    fn randomize_shuffles_and_keeps_everyone() {
        let urls: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
        let mut n = 12345u64;
        let p = ServerPool::new(&urls, true, || {
            n = n.wrapping_mul(6364136223846793005).wrapping_add(1);
            n >> 33
        });
        let mut got: Vec<String> = p.servers().iter().map(|s| s.url.clone()).collect();
        assert_ne!(got, urls);
        got.sort();
        let mut want = urls.clone();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn host_port_ignores_scheme_and_path() {
        assert_eq!(host_port("ws://a:1/x"), "a:1");
        assert_eq!(host_port("a:1"), "a:1");
        assert_eq!(host_port("wss://[::1]:443"), "[::1]:443");
    }

    #[test]
    fn demote_moves_the_current_server_last() {
        let mut p = pool(&["a", "b", "c"]);
        p.next(0, 0); // a, rotated to the back: b c a
        p.demote_current();
        assert_eq!(names(&p), ["b", "c", "a"]);
        assert_eq!(p.current().map(|s| s.url.as_str()), Some("a"));
    }
}
