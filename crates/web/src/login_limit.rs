//! The per-client limit on failed logins. The per-username lockout of the store stops
//! guessing one account's password; this stops one address from trying many usernames
//! (password spraying) or locking many accounts out on purpose: after
//! `login_limit_failures` failed attempts (wrong passwords, wrong second-factor codes,
//! attempts on a locked username) within `login_limit_minutes`, every login attempt from the
//! address is answered 429 with `Retry-After` until the oldest of them leaves the window.
//!
//! The window slides: each address keeps the times of its recent failures (at most the
//! limit), read from the application's clock so that tests move time instead of waiting.
//! Successful logins do not clear the count, so that one account the attacker owns cannot
//! reset it. The map lives in the process's memory and is bounded ([`MAX_CLIENTS`]); see
//! `docs/threat-model.md` for why it is not a table.
//!
//! The address is the connection's peer, or, when the peer is one of the `trusted_proxies`,
//! the nearest address of `X-Forwarded-For` that is not a trusted proxy. IPv6 addresses count
//! by their /64 network, which one subscriber usually holds whole.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use citygov_domain::{LocalTime, Problem};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;

/// Most addresses remembered at once. Past it, addresses whose failures all left the window
/// are dropped first, then the one whose last failure is the oldest.
pub const MAX_CLIENTS: usize = 10_000;

/// A range of addresses (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`), for `trusted_proxies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parse an address or a CIDR range; the error says what is wrong, in both languages.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let bad =
            || format!("«{text}» không phải địa chỉ IP hay dải CIDR / “{text}” is not an IP address or CIDR range");
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(IpRange {
            addr: canonical(addr),
            prefix,
        })
    }

    /// Parse a list separated by commas (empty items are skipped).
    pub fn parse_list(text: &str) -> Result<Vec<IpRange>, String> {
        text.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(IpRange::parse)
            .collect()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32) == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128) == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, prefix: u8, width: u32) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let keep = u32::from(prefix).min(width);
    bits >> (width - keep)
}

/// IPv4 addresses written as IPv6 (`::ffff:192.0.2.1`) are IPv4 addresses.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client of a request, as far as the server can tell (`None` when the router runs
/// without connection information, as in tests that call it in process).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    /// The client behind `peer`: `peer` itself unless it is a trusted proxy, in which case the
    /// `X-Forwarded-For` entries are read from the right (the nearest hop first), passing over
    /// trusted proxies. An entry that is not an address stops the walk at the hop that added
    /// it, so a forged header never hides the address that sent it.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
        let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
        let mut client = canonical(peer);
        if !is_trusted(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.into_iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = canonical(ip);
            if !is_trusted(client) {
                break;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, perhaps with a port (`192.0.2.1:5000`,
/// `[2001:db8::1]:5000`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(
            |ConnectInfo(peer)| ClientAddr::resolve(peer.ip(), &parts.headers, &state.config.trusted_proxies),
        )))
    }
}

/// What an address is counted under: IPv4 addresses one by one, IPv6 by /64.
fn bucket(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

/// The limit's settings (from [`crate::WebConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    /// Failed attempts an address may make within the window; 0 turns the limit off.
    pub failures: u32,
    pub window_minutes: i64,
}

/// An address that must wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The address (for IPv6, its /64 network) as recorded in the audit trail.
    pub client: IpAddr,
    /// Seconds until the next attempt is allowed.
    pub retry_after: u64,
    /// The failures counted in the window.
    pub failures: usize,
    /// The first refusal since the address was last allowed (audited; later ones are not,
    /// so that a flood of refused requests does not flood the trail).
    pub first: bool,
}

#[derive(Debug, Default)]
struct Entry {
    failures: VecDeque<LocalTime>,
    refused: bool,
}

/// The failed logins of each recent address.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    clients: Mutex<HashMap<IpAddr, Entry>>,
}

impl LoginLimiter {
    /// Whether `client` may try to log in at `now`.
    pub fn check(&self, client: IpAddr, now: LocalTime, limit: LoginLimit) -> Result<(), Refusal> {
        if limit.failures == 0 {
            return Ok(());
        }
        let key = bucket(client);
        let mut clients = self.clients.lock().expect("login limiter lock");
        let Some(entry) = clients.get_mut(&key) else {
            return Ok(());
        };
        let window = chrono::Duration::minutes(limit.window_minutes);
        while entry.failures.front().is_some_and(|t| *t <= now - window) {
            entry.failures.pop_front();
        }
        if entry.failures.len() < limit.failures as usize {
            entry.refused = false;
            return Ok(());
        }
        let oldest = *entry.failures.front().expect("at the limit");
        let wait = (oldest + window - now)
            .num_seconds()
            .clamp(1, window.num_seconds().max(1));
        let first = !entry.refused;
        entry.refused = true;
        Err(Refusal {
            client: key,
            retry_after: wait as u64,
            failures: entry.failures.len(),
            first,
        })
    }

    /// Count a failed attempt of `client` at `now`.
    pub fn failed(&self, client: IpAddr, now: LocalTime, limit: LoginLimit) {
        if limit.failures == 0 {
            return;
        }
        let key = bucket(client);
        let mut clients = self.clients.lock().expect("login limiter lock");
        if !clients.contains_key(&key) && clients.len() >= MAX_CLIENTS {
            let floor = now - chrono::Duration::minutes(limit.window_minutes);
            clients.retain(|_, e| e.failures.back().is_some_and(|t| *t > floor));
            if clients.len() >= MAX_CLIENTS
                && let Some(stalest) = clients
                    .iter()
                    .min_by_key(|(_, e)| e.failures.back().copied())
                    .map(|(k, _)| *k)
            {
                clients.remove(&stalest);
            }
        }
        let entry = clients.entry(key).or_default();
        entry.failures.push_back(now);
        // Only the most recent `failures` times decide; older ones cannot matter any more.
        while entry.failures.len() > limit.failures as usize {
            entry.failures.pop_front();
        }
    }

    /// Addresses remembered now.
    pub fn len(&self) -> usize {
        self.clients.lock().expect("login limiter lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The answer to a refused address: 429 with `Retry-After`.
pub fn refused(r: &Refusal) -> ApiError {
    let minutes = r.retry_after.div_ceil(60);
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        Problem::new(
            "login_rate_limited",
            format!(
                "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng của bạn. Vui lòng thử lại sau khoảng {minutes} phút."
            ),
            format!(
                "Too many failed logins came from your network address. Please try again in about {minutes} minutes."
            ),
        ),
    );
    e.retry_after = Some(r.retry_after);
    e
}

/// `resp` with `Retry-After: secs` (the login pages, which answer 429 with the form).
pub(crate) fn with_retry_after(mut resp: axum::response::Response, secs: u64) -> axum::response::Response {
    resp.headers_mut()
        .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
    resp
}

impl AppState {
    fn login_limit(&self) -> LoginLimit {
        LoginLimit {
            failures: self.config.login_limit_failures,
            window_minutes: self.config.login_limit_minutes,
        }
    }

    /// Refuse a login attempt of an address over its limit (429 with `Retry-After`); the
    /// first refusal of a run is audited as `login.rate_limited`.
    pub async fn check_login_limit(&self, client: ClientAddr, route: &str) -> Result<(), ApiError> {
        let Some(ip) = client.0 else { return Ok(()) };
        let now = self.now();
        let Err(r) = self.login_limiter.check(ip, now, self.login_limit()) else {
            return Ok(());
        };
        tracing::warn!(client = %r.client, failures = r.failures, retry_after = r.retry_after, route, "login refused: too many failures from this address");
        if r.first {
            self.store
                .audit(
                    &citygov_store::AuditRecord {
                        actor_id: None,
                        actor_name: "anonymous".into(),
                        action: "login.rate_limited".into(),
                        entity_type: "client".into(),
                        entity_id: r.client.to_string(),
                        detail: serde_json::json!({
                            "route": route,
                            "failures": r.failures,
                            "window_minutes": self.config.login_limit_minutes,
                            "retry_after_seconds": r.retry_after,
                        }),
                    },
                    now,
                )
                .await?;
        }
        Err(refused(&r))
    }

    /// Count a failed login attempt of an address.
    pub fn login_failed(&self, client: ClientAddr) {
        if let Some(ip) = client.0 {
            self.login_limiter.failed(ip, self.now(), self.login_limit());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn t(m: i64) -> LocalTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            + chrono::Duration::minutes(m)
    }

    const LIMIT: LoginLimit = LoginLimit {
        failures: 3,
        window_minutes: 10,
    };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_address_waits_until_its_oldest_failure_leaves_the_window() {
        let l = LoginLimiter::default();
        let a = ip("192.0.2.1");
        for m in [0, 2, 4] {
            assert!(l.check(a, t(m), LIMIT).is_ok());
            l.failed(a, t(m), LIMIT);
        }
        let r = l.check(a, t(5), LIMIT).unwrap_err();
        assert_eq!((r.retry_after, r.failures, r.first), (5 * 60, 3, true));
        assert!(!l.check(a, t(6), LIMIT).unwrap_err().first, "audited once per run");
        assert!(
            l.check(ip("192.0.2.2"), t(6), LIMIT).is_ok(),
            "another address is allowed"
        );
        // The failure of minute 0 leaves the window at minute 10: one more attempt.
        assert!(l.check(a, t(10), LIMIT).is_ok());
        l.failed(a, t(10), LIMIT);
        let r = l.check(a, t(10), LIMIT).unwrap_err();
        assert_eq!((r.retry_after, r.first), (2 * 60, true));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network_and_mapped_ipv4_as_ipv4() {
        let l = LoginLimiter::default();
        for i in 1..=3 {
            l.failed(ip(&format!("2001:db8:1:2::{i}")), t(0), LIMIT);
        }
        assert!(l.check(ip("2001:db8:1:2:ffff::9"), t(1), LIMIT).is_err());
        assert!(l.check(ip("2001:db8:1:3::1"), t(1), LIMIT).is_ok());
        for _ in 0..3 {
            l.failed(ip("::ffff:192.0.2.7"), t(0), LIMIT);
        }
        assert!(l.check(ip("192.0.2.7"), t(1), LIMIT).is_err());
    }

    #[test]
    fn the_map_stays_bounded() {
        let l = LoginLimiter::default();
        for i in 0..(MAX_CLIENTS as u32 + 50) {
            l.failed(IpAddr::V4(i.into()), t(0), LIMIT);
        }
        assert_eq!(l.len(), MAX_CLIENTS);
        // Once their failures left the window, old addresses make room at once.
        l.failed(ip("198.51.100.1"), t(30), LIMIT);
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn a_zero_limit_is_off() {
        let l = LoginLimiter::default();
        let off = LoginLimit {
            failures: 0,
            window_minutes: 10,
        };
        for _ in 0..10 {
            l.failed(ip("192.0.2.1"), t(0), off);
        }
        assert!(l.check(ip("192.0.2.1"), t(0), off).is_ok());
        assert!(l.is_empty());
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted = IpRange::parse_list("10.0.0.0/8, 192.0.2.10").unwrap();
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("198.51.100.9, 203.0.113.5"));
        h.append("x-forwarded-for", HeaderValue::from_static("10.1.2.3"));
        // From a stranger, the header is ignored.
        assert_eq!(
            ClientAddr::resolve(ip("198.51.100.1"), &h, &trusted),
            ip("198.51.100.1")
        );
        // Through trusted proxies, the nearest untrusted hop is the client, not the forgeable
        // leftmost entry.
        assert_eq!(ClientAddr::resolve(ip("192.0.2.10"), &h, &trusted), ip("203.0.113.5"));
        // A garbage entry stops the walk at the proxy that passed it on.
        let mut g = HeaderMap::new();
        g.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.9, not-an-ip, 10.0.0.7"),
        );
        assert_eq!(ClientAddr::resolve(ip("10.0.0.1"), &g, &trusted), ip("10.0.0.7"));
        // Ports and IPv4-mapped peers.
        let mut p = HeaderMap::new();
        p.insert("x-forwarded-for", HeaderValue::from_static("[2001:db8::5]:4711"));
        assert_eq!(
            ClientAddr::resolve(ip("::ffff:10.0.0.1"), &p, &trusted),
            ip("2001:db8::5")
        );
        // Without a header, the proxy itself.
        assert_eq!(
            ClientAddr::resolve(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ranges_parse_and_match() {
        assert!(IpRange::parse("10.0.0.0/8").unwrap().contains(ip("10.200.0.1")));
        assert!(!IpRange::parse("10.0.0.0/8").unwrap().contains(ip("11.0.0.1")));
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains(ip("203.0.113.1")));
        assert!(IpRange::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(!IpRange::parse("fd00::/8").unwrap().contains(ip("10.0.0.1")));
        assert!(IpRange::parse("::1").unwrap().contains(ip("::1")));
        for bad in ["10.0.0.0/33", "example.org", "10.0.0/8", "::/129"] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }
}
