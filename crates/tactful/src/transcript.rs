//! Transcripts, turns and roles.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Who speaks a turn.
///
/// With `serde` a role is written as `customer`, `agent` or `system`, and
/// read through [`Role::parse`], so the aliases listed on each variant (in any
/// case) are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The customer (aliases: `user`, `client`, `end-user`, `enduser`, `requester`).
    Customer,
    /// A human support agent (aliases: `admin`, `support`, `rep`,
    /// `representative`, `operator`, `staff`, `human-agent`).
    Agent,
    /// A system message or bot (aliases: `bot`). Kept, but not judged as agent speech.
    System,
}

impl Role {
    /// Parses a role or one of its common aliases, ignoring case and surrounding
    /// space; `_` and inner spaces count as `-` (`end_user`, `human agent`).
    ///
    /// ```
    /// use tactful::Role;
    /// assert_eq!(Role::parse("End-User"), Some(Role::Customer));
    /// assert_eq!(Role::parse(" REP "), Some(Role::Agent));
    /// assert_eq!(Role::parse("bot"), Some(Role::System));
    /// assert_eq!(Role::parse("narrator"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        let mut buf = [0u8; 16];
        if s.len() > buf.len() {
            return None;
        }
        for (b, c) in buf.iter_mut().zip(s.bytes()) {
            *b = match c {
                b'_' | b' ' => b'-',
                c => c.to_ascii_lowercase(),
            };
        }
        let lower = &buf[..s.len()];
        Some(match lower {
            b"customer" | b"user" | b"client" | b"end-user" | b"enduser" | b"requester" => {
                Role::Customer
            }
            b"agent" | b"admin" | b"support" | b"rep" | b"representative" | b"operator"
            | b"staff" | b"human-agent" => Role::Agent,
            b"system" | b"bot" => Role::System,
            _ => return None,
        })
    }

    /// The role's canonical lowercase name, as written in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::System => "system",
        }
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Role;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a role: customer, agent or system, or an alias such as user, rep, bot")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Role, E> {
                Role::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads an id given as a string (borrowed when it can be) or as a number.
fn string_or_number<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id, as a string or a number")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_string()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_string()))
        }
    }
    d.deserialize_any(V)
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message of a conversation.
///
/// Build one with [`Turn::new`] and the `with_*` methods; the struct is
/// `#[non_exhaustive]` so fields can be added without breaking callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Turn<'a> {
    /// Who wrote it.
    pub role: Role,
    /// What was written, as given (findings' spans index this text).
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// Optional speaker name.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub name: Option<Cow<'a, str>>,
    /// Optional timestamp, kept as given.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Cow<'a, str>>,
}

impl<'a> Turn<'a> {
    /// A turn with just a role and a text.
    pub fn new(role: Role, text: impl Into<Cow<'a, str>>) -> Turn<'a> {
        Turn {
            role,
            text: text.into(),
            name: None,
            timestamp: None,
        }
    }

    /// Sets the speaker name (builder style).
    pub fn with_name(mut self, name: impl Into<Cow<'a, str>>) -> Turn<'a> {
        self.name = Some(name.into());
        self
    }

    /// Sets the timestamp, kept as given (builder style).
    pub fn with_timestamp(mut self, timestamp: impl Into<Cow<'a, str>>) -> Turn<'a> {
        self.timestamp = Some(timestamp.into());
        self
    }

    /// The same turn owning all its text, free of the input buffer's lifetime.
    pub fn into_owned(self) -> Turn<'static> {
        Turn {
            role: self.role,
            text: Cow::Owned(self.text.into_owned()),
            name: own(self.name),
            timestamp: own(self.timestamp),
        }
    }
}

fn own(c: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    c.map(|c| Cow::Owned(c.into_owned()))
}

/// A conversation between a customer and an agent: an id and ordered turns.
///
/// Texts are `Cow` so readers can borrow them from an input buffer.
///
/// ```
/// use tactful::{Role, Transcript, Turn};
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Customer, "Where is my order?"))
///     .with_turn(Turn::new(Role::Agent, "It ships today."));
/// assert_eq!(t.turns.len(), 2);
/// ```
///
/// The struct is `#[non_exhaustive]`: build it with [`Transcript::new`] and
/// the `with_*` methods, and read its public fields freely.
///
/// With serde, deserializing borrows from the input, so read from a `&str`
/// (e.g. `serde_json::from_str`), not from an `io::Read`, and call
/// [`Transcript::into_owned`] to keep the transcript after the buffer goes.
/// `id` (a string or a number) and `turns` are required, unknown fields are
/// ignored, and roles may be any spelling [`Role::parse`] accepts:
///
/// ```
/// use tactful::{Role, Transcript};
/// let json = r#"{"id": "T-7", "channel": "chat", "turns": [
///     {"role": "customer", "text": "Where is my order?"},
///     {"role": "Rep", "text": "It ships today.", "name": "Sam"}]}"#;
/// let t: Transcript = serde_json::from_str(json).unwrap();
/// assert_eq!(t.turns[1].role, Role::Agent);
/// let numeric: Transcript = serde_json::from_str(r#"{"id": 42, "turns": []}"#).unwrap();
/// assert_eq!(numeric.id, "42");
/// let owned: Transcript<'static> = t.into_owned();
/// # let _ = owned;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transcript<'a> {
    /// The conversation's id (read from JSON as a string or a number).
    #[serde(borrow, deserialize_with = "string_or_number")]
    pub id: Cow<'a, str>,
    /// The turns in order.
    #[serde(borrow)]
    pub turns: Vec<Turn<'a>>,
    /// Optional agent name or id, for per-agent reports.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Cow<'a, str>>,
    /// Optional team, for per-team reports.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub team: Option<Cow<'a, str>>,
    /// Optional channel (chat, email, twitter, phone...).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Cow<'a, str>>,
}

impl<'a> Transcript<'a> {
    /// An empty transcript with this id.
    pub fn new(id: impl Into<Cow<'a, str>>) -> Transcript<'a> {
        Transcript {
            id: id.into(),
            ..Transcript::default()
        }
    }

    /// Adds a turn (builder style).
    pub fn with_turn(mut self, turn: Turn<'a>) -> Transcript<'a> {
        self.turns.push(turn);
        self
    }

    /// Sets the agent name or id (builder style).
    pub fn with_agent(mut self, agent: impl Into<Cow<'a, str>>) -> Transcript<'a> {
        self.agent = Some(agent.into());
        self
    }

    /// Sets the team (builder style).
    pub fn with_team(mut self, team: impl Into<Cow<'a, str>>) -> Transcript<'a> {
        self.team = Some(team.into());
        self
    }

    /// Sets the channel (builder style).
    pub fn with_channel(mut self, channel: impl Into<Cow<'a, str>>) -> Transcript<'a> {
        self.channel = Some(channel.into());
        self
    }

    /// The same transcript owning all its text, free of the input buffer's
    /// lifetime (for keeping it after the buffer is reused).
    pub fn into_owned(self) -> Transcript<'static> {
        Transcript {
            id: Cow::Owned(self.id.into_owned()),
            turns: self.turns.into_iter().map(Turn::into_owned).collect(),
            agent: own(self.agent),
            team: own(self.team),
            channel: own(self.channel),
        }
    }
}
