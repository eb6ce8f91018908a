//! Readers and writers behind the `tactful` command, usable on their own:
//! [`input`] streams transcripts from JSONL, JSON, CSV and text exports;
//! [`output`] writes the contract's records.

pub mod input;
pub mod output;
pub mod report;
pub mod settings;
