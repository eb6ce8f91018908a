//! Transcripts, turns and roles.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Who speaks a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The customer (aliases: `user`, `client`, `end-user`, `requester`).
    Customer,
    /// A human support agent (aliases: `admin`, `support`, `rep`, `operator`, `staff`).
    Agent,
    /// A system message or bot (aliases: `bot`). Kept, but not judged as agent speech.
    System,
}

impl Role {
    /// Parses a role or one of its common aliases, ignoring case and surrounding space.
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

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Transcript<'a> {
    /// The conversation's id.
    #[serde(borrow)]
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
}
