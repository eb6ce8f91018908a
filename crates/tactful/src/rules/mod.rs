//! Every detector, one module per category.
//!
//! Each rule is a [`RuleInfo`](crate::RuleInfo) constant (e.g.
//! [`apology::BUT`]) whose documentation is also its runtime `doc`; the
//! registry in [`crate::rule`] lists them all, sorted by id ([`crate::rule::all`]).
//!
//! For contributors: adding a phrase touches one data file in `lexicons/`;
//! adding a rule touches its category's module (a `declare_rule!` and, for a
//! phrase rule, one line in its `LEXICONS`) plus one line in `REGISTRY` in
//! `rule.rs`.

pub mod action;
pub mod apology;
pub mod courtesy;
pub mod distress;
pub mod empathy;
pub mod empathy_gap;
pub mod excuse;
pub mod language;
pub mod ownership;
pub mod procedural;
pub mod timing;
