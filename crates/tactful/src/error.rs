//! The library's error type.

use std::fmt;

/// What went wrong, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A built-in phrase list could not be parsed (a bug in tactful; the
    /// built-in lists are tested to parse).
    Lexicon,
    /// A configuration value is invalid: an unknown rule or category, a phrase
    /// pattern from the configuration that does not parse, a score setting
    /// for a category that is not scored.
    Config,
}

/// An error from the tactful library: a kind and a message with context.
///
/// Only [`crate::Analyzer::from_config`] returns errors; analysis itself
/// cannot fail. `Display` prints the message, which starts with the offending
/// key (and, for a phrase, quotes the pattern):
///
/// ```
/// use tactful::{Analyzer, Config, ErrorKind};
/// let mut config = Config::default();
/// config
///     .extend_phrases
///     .insert("procedural.policy_as_reason".into(), vec!["(unclosed".into()]);
/// let err = Analyzer::from_config(&config).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Config);
/// assert_eq!(
///     err.to_string(),
///     r#"extend-phrases.procedural.policy_as_reason: pattern "(unclosed": unclosed group"#
/// );
/// ```
///
/// Messages are meant for people and may change between versions; match on
/// [`Error::kind`], not on the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of this kind with this message.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, with context.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn lexicon(e: crate::matcher::LexiconError) -> Error {
        Error::new(
            ErrorKind::Lexicon,
            format!("phrase list {}: {}", e.lexicon, e.error),
        )
    }

    /// The configuration error of a phrase list given at `section.key`
    /// whose `patterns` (read joined by line breaks) do not parse:
    /// `section.key: pattern "P": why`, quoting the pattern on the line the
    /// parse error names.
    pub(crate) fn pattern(
        section: &str,
        key: &str,
        patterns: &[String],
        e: crate::matcher::LexiconError,
    ) -> Error {
        Error::new(
            ErrorKind::Config,
            format!(
                "{section}.{key}: pattern {:?}: {}",
                patterns.get(e.error.line - 1).map_or("", |s| s.as_str()),
                e.error.message
            ),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
