//! Sign-in throttling as pure bookkeeping (the caller keeps one [`LoginThrottle`] per server and
//! passes the time). Failures are counted in a sliding window of [`WINDOW_MINUTES`] minutes per
//! source address and account name together, per source address, and per account name:
//!
//! - one address guessing one account is stopped after [`MAX_PER_PAIR`] failures;
//! - one address guessing many accounts after [`MAX_PER_ADDRESS`];
//! - many addresses guessing one account after [`MAX_PER_ACCOUNT`] (far above what one person's
//!   typos reach, so nobody can lock someone else out from one machine).
//!
//! A throttled attempt is refused without looking at the password and with the same message
//! whether the account exists or not; a successful sign-in clears its address-and-account count.

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_PER_PAIR: usize = 5;
pub const MAX_PER_ADDRESS: usize = 20;
pub const MAX_PER_ACCOUNT: usize = 100;
/// Above this many tracked keys, expired ones are dropped on the next call.
const PRUNE_ABOVE: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Pair(String, String),
    Address(String),
    Account(String),
}

/// Recent sign-in failures of one server.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: HashMap<Key, VecDeque<DateTime<Utc>>>,
}

/// The account name as counted: trimmed, lower case (so `Admin` and `admin ` count together).
fn account_key(account: &str) -> String {
    account.trim().to_lowercase().chars().take(64).collect()
}

impl LoginThrottle {
    pub fn new() -> Self {
        Self::default()
    }

    fn keys(address: &str, account: &str) -> [(Key, usize); 3] {
        let account = account_key(account);
        [
            (Key::Pair(address.to_owned(), account.clone()), MAX_PER_PAIR),
            (Key::Address(address.to_owned()), MAX_PER_ADDRESS),
            (Key::Account(account), MAX_PER_ACCOUNT),
        ]
    }

    /// Whether an attempt from `address` for `account` may go ahead at `now`; if not, the whole
    /// minutes until it may (at least 1).
    pub fn check(&mut self, address: &str, account: &str, now: DateTime<Utc>) -> Result<(), i64> {
        self.prune(now);
        let window = Duration::minutes(WINDOW_MINUTES);
        let mut wait = Duration::zero();
        for (key, max) in Self::keys(address, account) {
            let Some(times) = self.failures.get_mut(&key) else { continue };
            while times.front().is_some_and(|&t| t + window <= now) {
                times.pop_front();
            }
            if times.len() >= max {
                // Free again when the oldest failure that keeps the count at the limit expires.
                let oldest = times[times.len() - max];
                wait = wait.max(oldest + window - now);
            }
        }
        if wait > Duration::zero() {
            Err((wait.num_seconds() + 59) / 60)
        } else {
            Ok(())
        }
    }

    /// Counts a failed attempt (wrong password or unknown account).
    pub fn failed(&mut self, address: &str, account: &str, now: DateTime<Utc>) {
        for (key, max) in Self::keys(address, account) {
            let times = self.failures.entry(key).or_default();
            times.push_back(now);
            // Only the newest `max` matter; a flood does not grow memory.
            while times.len() > max {
                times.pop_front();
            }
        }
    }

    /// A successful sign-in: the address may try this account afresh.
    pub fn succeeded(&mut self, address: &str, account: &str) {
        self.failures.remove(&Key::Pair(address.to_owned(), account_key(account)));
    }

    fn prune(&mut self, now: DateTime<Utc>) {
        if self.failures.len() > PRUNE_ABOVE {
            let window = Duration::minutes(WINDOW_MINUTES);
            self.failures.retain(|_, times| times.back().is_some_and(|&t| t + window > now));
        }
    }
}

/// Where to go after signing in: `next` when it is a path of this site (`/projects/1?x=1`), else
/// the project list. A full address or a protocol-relative `//host` is never followed.
pub fn after_login(next: Option<&str>) -> &str {
    match next {
        // Browsers drop tabs and line breaks from addresses and read `\` as `/`, so `/<tab>/host`
        // or `/\host` would leave the site: only a plain path is followed.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            n
        }
        _ => "/",
    }
}

/// The login page, returning to `path_and_query` after signing in (the page a visitor asked for
/// without being signed in).
pub fn login_href(path_and_query: &str) -> String {
    if after_login(Some(path_and_query)) == "/" || path_and_query.starts_with("/login") {
        return "/login".to_owned();
    }
    format!("/login?next={}", form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        "2026-12-01T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn one_address_guessing_one_account_waits_after_five_failures() {
        let mut t = LoginThrottle::new();
        for i in 0..5 {
            let now = t0() + Duration::seconds(i);
            assert_eq!(t.check("10.0.0.1", "admin", now), Ok(()));
            t.failed("10.0.0.1", "admin", now);
        }
        assert_eq!(t.check("10.0.0.1", "admin", t0() + Duration::seconds(10)), Err(15));
        assert_eq!(
            t.check("10.0.0.1", " ADMIN", t0() + Duration::seconds(10)),
            Err(15),
            "names count as typed-insensitive"
        );
        // Another machine signs in to the same account as usual: no lock-out from one address.
        assert_eq!(t.check("10.0.0.2", "admin", t0() + Duration::seconds(10)), Ok(()));
        // The first failure expires after the window: one more try.
        assert_eq!(t.check("10.0.0.1", "admin", t0() + Duration::minutes(14)), Err(1));
        assert_eq!(t.check("10.0.0.1", "admin", t0() + Duration::minutes(15)), Ok(()));
    }

    #[test]
    fn existing_and_unknown_accounts_are_throttled_alike() {
        let mut t = LoginThrottle::new();
        for name in ["admin", "nobody-here"] {
            for _ in 0..5 {
                t.failed("10.0.0.9", name, t0());
            }
        }
        assert_eq!(t.check("10.0.0.9", "admin", t0()), t.check("10.0.0.9", "nobody-here", t0()));
    }

    #[test]
    fn one_address_guessing_many_accounts_is_stopped() {
        let mut t = LoginThrottle::new();
        for i in 0..MAX_PER_ADDRESS {
            t.failed("10.0.0.3", &format!("user{i}"), t0());
        }
        assert_eq!(t.check("10.0.0.3", "someone-new", t0()), Err(15));
        assert_eq!(t.check("10.0.0.4", "someone-new", t0()), Ok(()));
    }

    #[test]
    fn many_addresses_guessing_one_account_are_stopped() {
        let mut t = LoginThrottle::new();
        for i in 0..MAX_PER_ACCOUNT {
            t.failed(&format!("10.1.{}.{}", i / 256, i % 256), "admin", t0());
        }
        assert_eq!(t.check("10.2.0.1", "admin", t0()), Err(15));
        assert_eq!(t.check("10.2.0.1", "caizheng", t0()), Ok(()));
    }

    #[test]
    fn success_clears_the_address_and_account_count() {
        let mut t = LoginThrottle::new();
        for _ in 0..4 {
            t.failed("10.0.0.5", "akqi", t0());
        }
        t.succeeded("10.0.0.5", "akqi");
        for _ in 0..4 {
            t.failed("10.0.0.5", "akqi", t0());
        }
        assert_eq!(t.check("10.0.0.5", "akqi", t0()), Ok(()), "typos before a success do not add up");
    }

    #[test]
    fn memory_stays_bounded_under_a_flood() {
        let mut t = LoginThrottle::new();
        for i in 0..10_000 {
            t.failed("10.0.0.6", "admin", t0() + Duration::milliseconds(i));
        }
        assert!(t.failures.values().all(|v| v.len() <= MAX_PER_ACCOUNT));
        for i in 0..(PRUNE_ABOVE as i64 + 10) {
            t.failed(&format!("a{i}"), &format!("n{i}"), t0());
        }
        let _ = t.check("x", "y", t0() + Duration::minutes(16));
        assert!(t.failures.is_empty(), "expired entries are dropped");
    }

    #[test]
    fn only_paths_of_this_site_are_followed_after_signing_in() {
        assert_eq!(after_login(Some("/projects/1?x=1")), "/projects/1?x=1");
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "javascript:alert(1)",
            "",
            "/a\r\nb",
        ] {
            assert_eq!(after_login(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(after_login(None), "/");
        assert_eq!(login_href("/todo?year=2021"), "/login?next=%2Ftodo%3Fyear%3D2021");
        assert_eq!(login_href("/"), "/login");
        assert_eq!(login_href("/login?next=%2F"), "/login");
        assert_eq!(login_href("//evil.example"), "/login");
    }
}
