//! The library's error type.

use std::fmt;

/// What went wrong, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A phrase list (built in or from configuration) could not be parsed.
    Lexicon,
    /// A configuration value is invalid (unknown rule, bad severity...).
    Config,
}

/// An error from the tactful library: a kind and a message with context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of this kind with this message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
