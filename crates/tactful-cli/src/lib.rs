//! Readers and writers behind the `tactful` command, usable on their own:
//! [`input`] streams transcripts from JSONL, JSON, CSV and text exports;
//! [`pipeline`] analyzes them in parallel and hands the results back in
//! input order; [`output`] writes the contract's records; [`report`]
//! aggregates a batch; [`settings`] reads `tactful.toml`; [`suggest`] finds
//! the name a typo meant; [`suppress`] reads `tactful: ignore[...]` in canned
//! replies; [`redact`] masks personal data in what the output repeats.

pub mod input;
pub mod output;
pub mod pipeline;
pub mod redact;
pub mod report;
pub mod settings;
pub mod suggest;
pub mod suppress;
