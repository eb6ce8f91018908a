//! Response times: how long the customer waited for each reply.
//!
//! Where every customer and agent turn carries a timestamp (RFC 3339 such as
//! `2024-05-01T09:30:00Z` or `2024-05-01 09:30:00+02:00`, a date and time
//! with no zone read as UTC, or epoch seconds, with or without a fraction;
//! epoch milliseconds are recognized by their size), each agent reply that
//! answers a customer gets its wait: the time from the first customer turn it
//! answers (a customer's unanswered follow-ups do not restart the clock) to
//! the reply's first turn. A reply is slow when the wait passes the target of
//! the transcript's channel ([`TimingConfig`]); `timing.slow_reply` points at
//! it.
//!
//! A missing or unreadable timestamp on any customer or agent turn, or a
//! reply stamped before the turn it answers, switches timing off for that
//! transcript ([`crate::Report::timing`] is `None`): it never fails a record.
//!
//! ```
//! use tactful::{Analyzer, Role, Transcript, Turn};
//! let t = Transcript::new("T-1")
//!     .with_channel("chat")
//!     .with_turn(Turn::new(Role::Customer, "Is my order coming?").with_timestamp("2024-05-01T09:00:00Z"))
//!     .with_turn(Turn::new(Role::Agent, "Yes, it ships today.").with_timestamp("2024-05-01T09:12:30Z"));
//! let report = Analyzer::new().analyze(&t);
//! let timing = report.timing.unwrap();
//! assert_eq!(timing.first_response, Some(750));
//! assert!(report.findings.iter().any(|f| f.rule == "timing.slow_reply")); // chat: 5 minutes
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The waits of one transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Timing {
    /// Seconds from the first customer turn to the first agent reply, if an
    /// agent replied (serialized as `first_response_seconds`).
    #[serde(rename = "first_response_seconds")]
    pub first_response: Option<u64>,
    /// The longest wait of any reply, in seconds (serialized as
    /// `longest_wait_seconds`).
    #[serde(rename = "longest_wait_seconds")]
    pub longest_wait: Option<u64>,
    /// Each reply's wait, in turn order.
    pub waits: Vec<Wait>,
}

/// How long one agent reply kept the customer waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Wait {
    /// The reply's first turn (0-based index into the turns).
    pub turn: usize,
    /// Seconds since the first customer turn it answers.
    pub seconds: u64,
}

/// A duration in configuration: seconds as a number, or a string of a
/// number and a unit (`"90s"`, `"5m"`, `"2h"`, `"1d"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DurationRepr", into = "u64")]
pub struct Seconds(pub u64);

#[derive(Deserialize)]
#[serde(untagged)]
enum DurationRepr {
    Number(u64),
    Text(String),
}

impl TryFrom<DurationRepr> for Seconds {
    type Error = String;
    fn try_from(d: DurationRepr) -> Result<Seconds, String> {
        match d {
            DurationRepr::Number(n) => Ok(Seconds(n)),
            DurationRepr::Text(s) => parse_duration(&s).map(Seconds).ok_or_else(|| {
                format!("invalid duration {s:?}: write seconds (300) or a number and a unit (90s, 5m, 2h, 1d)")
            }),
        }
    }
}

impl From<Seconds> for u64 {
    fn from(s: Seconds) -> u64 {
        s.0
    }
}

fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let mult = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86400,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// When a reply is slow, per channel (see [`crate::timing`]).
///
/// `slow-reply` maps a channel to its target. A transcript's `channel` is
/// looked up as written (lower case), then by its family: `chat` (chat, live
/// chat, webchat, messaging, sms, whatsapp), `social` (twitter, x, facebook,
/// instagram, social), `email` (email, e-mail, mail, ticket, web form),
/// `phone` (phone, call, voice, telephone); anything else, or no channel,
/// takes `default`. Defaults: chat 5 minutes, social 1 hour, email 24 hours,
/// phone 2 minutes, default 24 hours.
///
/// ```toml
/// [timing.slow-reply]
/// chat = "2m"
/// whatsapp = "15m"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct TimingConfig {
    /// The target per channel or channel family; keys given add to or
    /// replace the defaults one by one.
    pub slow_reply: BTreeMap<String, Seconds>,
}

/// The built-in targets, in seconds.
const DEFAULT_TARGETS: [(&str, u64); 5] = [
    ("chat", 5 * 60),
    ("social", 3600),
    ("email", 24 * 3600),
    ("phone", 2 * 60),
    ("default", 24 * 3600),
];

impl TimingConfig {
    /// The slow-reply target for a channel, in seconds.
    ///
    /// ```
    /// use tactful::timing::TimingConfig;
    /// let c = TimingConfig::default();
    /// assert_eq!(c.target(Some("Twitter")), 3600);
    /// assert_eq!(c.target(Some("live chat")), 300);
    /// assert_eq!(c.target(None), 86400);
    /// ```
    pub fn target(&self, channel: Option<&str>) -> u64 {
        let lookup = |key: &str| {
            self.slow_reply.get(key).map(|s| s.0).or_else(|| {
                DEFAULT_TARGETS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| *v)
            })
        };
        let channel = channel.map(|c| c.trim().to_lowercase());
        if let Some(c) = &channel {
            if let Some(t) = self.slow_reply.get(c.as_str()) {
                return t.0;
            }
        }
        let family = channel.as_deref().and_then(family);
        family
            .and_then(lookup)
            .or_else(|| lookup("default"))
            .unwrap_or(24 * 3600)
    }
}

/// The family of a channel name.
fn family(c: &str) -> Option<&'static str> {
    let c = c.replace(['-', '_'], " ");
    Some(match c.as_str() {
        "chat" | "live chat" | "livechat" | "webchat" | "web chat" | "messaging" | "sms"
        | "text" | "whatsapp" | "in app" | "in app chat" | "messenger chat" => "chat",
        "twitter" | "x" | "facebook" | "instagram" | "social" | "social media" | "messenger"
        | "tiktok" | "linkedin" => "social",
        "email" | "e mail" | "mail" | "ticket" | "web form" | "webform" | "form" | "helpdesk" => {
            "email"
        }
        "phone" | "call" | "voice" | "telephone" | "calls" | "ivr" => "phone",
        _ => return None,
    })
}

/// Parses a timestamp to milliseconds since the Unix epoch (UTC).
///
/// ```
/// use tactful::timing::parse_timestamp;
/// assert_eq!(parse_timestamp("1970-01-01T00:01:00Z"), Some(60_000));
/// assert_eq!(parse_timestamp("2020-04-01T17:31:32.000Z"), Some(1_585_762_292_000));
/// assert_eq!(parse_timestamp("2020-04-01 19:31:32+02:00"), Some(1_585_762_292_000));
/// assert_eq!(parse_timestamp("1585762292"), Some(1_585_762_292_000));
/// assert_eq!(parse_timestamp("1585762292123"), Some(1_585_762_292_123));
/// assert_eq!(parse_timestamp("yesterday"), None);
/// assert_eq!(parse_timestamp("2020-02-30T00:00:00Z"), None);
/// ```
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !s[1..].contains('-')
    {
        // epoch seconds (or milliseconds, from 13 digits on)
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let n: i64 = int.parse().ok()?;
        if frac.bytes().any(|b| !b.is_ascii_digit()) {
            return None;
        }
        if int.trim_start_matches('-').len() >= 13 {
            return Some(n);
        }
        return n.checked_mul(1000)?.checked_add(millis(frac));
    }
    let b = s.as_bytes();
    // a fixed run of ASCII digits (no sign), read without a string parse
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() {
            return None;
        }
        part.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60
    {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        ms = millis(&s[start..i]);
    }
    let rest = s[i..].trim_start();
    let offset = match rest {
        "" | "Z" | "z" | "UTC" | "GMT" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = &rest[1..];
            let (oh, om) = match r.len() {
                5 if r.as_bytes()[2] == b':' => {
                    (r[..2].parse::<i64>().ok()?, r[3..].parse::<i64>().ok()?)
                }
                4 => (r[..2].parse::<i64>().ok()?, r[2..].parse::<i64>().ok()?),
                2 => (r.parse::<i64>().ok()?, 0),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86400 + h * 3600 + mi * 60 + sec - offset;
    Some(secs * 1000 + ms)
}

/// The milliseconds of a fraction of a second given by its digits ("5" is
/// 500, "123456" is 123).
fn millis(frac: &str) -> i64 {
    let mut ms = 0;
    for k in 0..3 {
        let d = frac
            .as_bytes()
            .get(k)
            .map_or(0, |b| i64::from(b.wrapping_sub(b'0')));
        ms = ms * 10 + d.clamp(0, 9);
    }
    ms
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Computes the waits of a transcript from its turns' roles and timestamps;
/// `None` when any customer or agent turn has no readable timestamp, or a
/// reply is stamped before what it answers.
pub(crate) fn waits<'t>(
    turns: impl Iterator<Item = (crate::Role, Option<&'t str>)> + Clone,
) -> Option<Timing> {
    use crate::Role;
    // a turn with no stamp at all gives `None` wherever it stands: looked
    // for before any stamp is parsed (most chats stamp only the customer's
    // turns, or none)
    if turns
        .clone()
        .any(|(role, ts)| role != Role::System && ts.is_none())
    {
        return None;
    }
    let mut clock = Clock::default();
    for (i, (role, ts)) in turns.enumerate() {
        if role == Role::System {
            continue;
        }
        let ms = parse_timestamp(ts?)?;
        clock.turn(i, role, ms)?;
    }
    Some(clock.into_timing())
}

/// The running state of [`waits`], also kept by a live
/// [`crate::Conversation`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    /// The first unanswered customer turn's time, in ms.
    pending: Option<i64>,
    last: Option<crate::Role>,
    waits: Vec<Wait>,
}

impl Clock {
    /// Records a customer or agent turn at `ms`; returns the new wait (for an
    /// agent reply), `Some(None)` for no wait, and `None` when the reply
    /// is stamped before what it answers.
    pub(crate) fn turn(
        &mut self,
        index: usize,
        role: crate::Role,
        ms: i64,
    ) -> Option<Option<Wait>> {
        use crate::Role;
        let mut wait = None;
        match role {
            Role::Customer => {
                if self.pending.is_none() {
                    self.pending = Some(ms);
                }
            }
            Role::Agent => {
                if let Some(asked) = self.pending.take() {
                    if ms < asked {
                        return None;
                    }
                    let w = Wait {
                        turn: index,
                        seconds: ((ms - asked) / 1000) as u64,
                    };
                    self.waits.push(w);
                    wait = Some(w);
                }
            }
            Role::System => return Some(None),
        }
        self.last = Some(role);
        Some(wait)
    }

    /// The waits so far, moved out.
    fn into_timing(self) -> Timing {
        Timing {
            first_response: self.waits.first().map(|w| w.seconds),
            longest_wait: self.waits.iter().map(|w| w.seconds).max(),
            waits: self.waits,
        }
    }

    pub(crate) fn timing(&self) -> Timing {
        Timing {
            first_response: self.waits.first().map(|w| w.seconds),
            longest_wait: self.waits.iter().map(|w| w.seconds).max(),
            waits: self.waits.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn waits_run_from_the_first_unanswered_customer_turn() {
        let turns = [
            (Role::Customer, Some("2024-01-01T10:00:00Z")),
            (Role::Customer, Some("2024-01-01T10:30:00Z")),
            (Role::Agent, Some("2024-01-01T11:00:00Z")),
            (Role::Agent, Some("2024-01-01T11:01:00Z")),
            (Role::System, None),
            (Role::Customer, Some("2024-01-01T11:05:00Z")),
            (Role::Agent, Some("2024-01-01T11:06:00Z")),
        ];
        let t = waits(turns.into_iter()).unwrap();
        assert_eq!(t.first_response, Some(3600));
        assert_eq!(t.longest_wait, Some(3600));
        assert_eq!(
            t.waits
                .iter()
                .map(|w| (w.turn, w.seconds))
                .collect::<Vec<_>>(),
            [(2, 3600), (6, 60)]
        );
    }

    #[test]
    fn a_bad_missing_or_backwards_stamp_switches_timing_off() {
        let ok = Some("2024-01-01T10:00:00Z");
        assert!(waits([(Role::Customer, ok), (Role::Agent, None)].into_iter()).is_none());
        assert!(waits([(Role::Customer, ok), (Role::Agent, Some("soon"))].into_iter()).is_none());
        let earlier = Some("2024-01-01T09:00:00Z");
        assert!(waits([(Role::Customer, ok), (Role::Agent, earlier)].into_iter()).is_none());
    }

    #[test]
    fn durations_and_targets() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("5m"), Some(300));
        assert_eq!(parse_duration("2 h"), Some(7200));
        assert_eq!(parse_duration("1d"), Some(86400));
        assert_eq!(parse_duration("soon"), None);
        let mut c = TimingConfig::default();
        c.slow_reply.insert("whatsapp".into(), Seconds(900));
        c.slow_reply.insert("chat".into(), Seconds(120));
        assert_eq!(c.target(Some("WhatsApp")), 900);
        assert_eq!(c.target(Some("webchat")), 120);
        assert_eq!(c.target(Some("email")), 86400);
        assert_eq!(c.target(Some("carrier pigeon")), 86400);
    }
}
