//! What a rule is, and the registry of every rule.

use crate::finding::{Category, Kind, Severity};
use crate::transcript::Role;

/// The static description of one rule: its id, kind, default severity and docs.
///
/// A rule is the check; each time it fires it produces a [`crate::Finding`]
/// that copies the rule's id, category, kind, message and suggestion, and its
/// severity after configuration. The `doc` text is the rule's full
/// documentation (what it flags, why, and examples); `tactful explain RULE`
/// prints it.
///
/// ```
/// for rule in tactful::rule::all() {
///     assert!(rule.id.starts_with(rule.category.as_str()));
/// }
/// let rule = tactful::rule::find("empathy_gap.no_acknowledgment").unwrap();
/// assert_eq!(rule.kind, tactful::Kind::Issue);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleInfo {
    /// `category.name`, e.g. `procedural.policy_as_reason`.
    pub id: &'static str,
    /// The rule's category.
    pub category: Category,
    /// Issue, strength or signal.
    pub kind: Kind,
    /// Severity unless the configuration says otherwise.
    pub severity: Severity,
    /// Whose turns the rule reads.
    pub role: Role,
    /// One line for `tactful rules`.
    pub summary: &'static str,
    /// The message attached to each finding.
    pub message: &'static str,
    /// A better wording, where one exists.
    pub suggestion: Option<&'static str>,
    /// The full documentation, Markdown.
    pub doc: &'static str,
}

/// Declares a rule constant whose doc comment is also its runtime documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $name:ident {
            id: $id:expr,
            category: $category:ident,
            kind: $kind:ident,
            severity: $severity:ident,
            role: $role:ident,
            summary: $summary:expr,
            message: $message:expr,
            suggestion: $suggestion:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub const $name: $crate::rule::RuleInfo = $crate::rule::RuleInfo {
            id: $id,
            category: $crate::finding::Category::$category,
            kind: $crate::finding::Kind::$kind,
            severity: $crate::finding::Severity::$severity,
            role: $crate::transcript::Role::$role,
            summary: $summary,
            message: $message,
            suggestion: $suggestion,
            doc: concat!($($doc, "\n"),*),
        };
    };
}
pub(crate) use declare_rule;

/// Every rule tactful knows, sorted by id.
pub fn all() -> &'static [RuleInfo] {
    crate::rules::REGISTRY
}

/// The rule with this id, if any.
///
/// ```
/// let r = tactful::rule::find("apology.but").unwrap();
/// assert_eq!(r.category, tactful::Category::Apology);
/// ```
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.id == id)
}

/// Rules whose id equals `selector` or starts with `selector.` (a category
/// prefix), as `select`, `ignore` and the other configuration keys resolve them.
///
/// ```
/// assert_eq!(tactful::rule::matching("empathy").count(), 2);
/// assert_eq!(tactful::rule::matching("empathy_gap").count(), 1);
/// ```
pub fn matching(selector: &str) -> impl Iterator<Item = &'static RuleInfo> + '_ {
    all().iter().filter(move |r| {
        r.id == selector
            || (r.id.len() > selector.len()
                && r.id.starts_with(selector)
                && r.id.as_bytes()[selector.len()] == b'.')
    })
}

/// The built-in phrase list (pattern source) of a phrase rule, if it has one.
///
/// ```
/// let src = tactful::rule::phrase_list("procedural.policy_as_reason").unwrap();
/// assert!(tactful::lexicon::parse_patterns(src).unwrap().len() > 5);
/// ```
pub fn phrase_list(id: &str) -> Option<&'static str> {
    crate::rules::phrase_lexicons()
        .find(|(r, _)| r.id == id)
        .map(|(_, s)| s)
}
