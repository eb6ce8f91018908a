//! Readers and writers behind the `tactful` command, usable on their own:
//! [`input`] streams transcripts from JSONL, JSON, CSV and text exports;
//! [`pipeline`] analyzes them in parallel and hands the results back in
//! input order; [`output`] writes the contract's records; [`report`]
//! aggregates a batch; [`settings`] reads `tactful.toml`; [`suggest`] finds
//! the name a typo meant; [`suppress`] reads `tactful: ignore[...]` in canned
//! replies.

pub mod input;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod settings;
pub mod suggest;
pub mod suppress;
