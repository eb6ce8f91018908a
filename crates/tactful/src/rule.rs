//! What a rule is, and the registry of every rule.
//!
//! The registry lives here, in one place: `REGISTRY` lists every
//! rule constant of [`crate::rules`], and [`all`], [`find`], [`matching`]
//! and [`phrase_list`] read it. The detector modules only declare their
//! rules and phrase lists; they never look the registry up.

use crate::finding::{Category, Kind, Severity};
use crate::rules::{
    action, apology, courtesy, distress, empathy, empathy_gap, excuse, language, ownership,
    procedural, timing,
};
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

/// Every rule, sorted by id (a test keeps it sorted and unique).
static REGISTRY: &[RuleInfo] = &[
    action::SPECIFIC,
    action::VAGUE,
    apology::BUT,
    apology::CONDITIONAL,
    apology::DEFLECTING,
    apology::SCRIPTED,
    apology::SINCERE,
    courtesy::NAME,
    courtesy::THANKS,
    distress::CHURN_THREAT,
    distress::CRITICISM,
    distress::EMOTION,
    distress::IMPLIED,
    distress::INTENSITY,
    distress::LEGAL_THREAT,
    distress::PUBLIC_THREAT,
    distress::REPEAT_CONTACT,
    distress::STAKES,
    distress::TONE,
    empathy::SYMPATHY,
    empathy::VALIDATION,
    empathy_gap::NO_ACKNOWLEDGMENT,
    excuse::BLAMING_CUSTOMER,
    excuse::CIRCUMSTANCES,
    excuse::DENIAL,
    excuse::IMPLIED,
    excuse::MINIMIZING,
    excuse::THIRD_PARTY_BLAME,
    language::PATRONIZING,
    ownership::TAKEN,
    procedural::BUREAUCRATIC_HANDOFF,
    procedural::IMPLIED,
    procedural::POLICY_AS_REASON,
    procedural::REFUSAL_WITHOUT_ALTERNATIVE,
    procedural::SYSTEM_AS_AUTHORITY,
    procedural::TEMPLATE_FORMALITY,
    timing::SLOW_REPLY,
];

/// Every phrase-list rule with its built-in lexicon source.
pub(crate) fn phrase_lexicons() -> impl Iterator<Item = (&'static RuleInfo, &'static str)> {
    procedural::LEXICONS
        .iter()
        .chain(excuse::LEXICONS)
        .chain(empathy::LEXICONS)
        .chain(distress::LEXICONS)
        .chain(language::LEXICONS)
        .chain(action::LEXICONS)
        .chain(ownership::LEXICONS)
        .chain(courtesy::LEXICONS)
        .map(|(r, s)| (*r, *s))
}

/// Every rule tactful knows, sorted by id.
pub fn all() -> &'static [RuleInfo] {
    REGISTRY
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
    phrase_lexicons().find(|(r, _)| r.id == id).map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_ids_match_categories() {
        for w in REGISTRY.windows(2) {
            assert!(w[0].id < w[1].id, "{} before {}", w[0].id, w[1].id);
        }
        for r in REGISTRY {
            let (cat, name) = r.id.split_once('.').expect("category.name");
            assert_eq!(cat, r.category.as_str(), "{}", r.id);
            assert!(!name.is_empty());
            assert!(!r.doc.trim().is_empty(), "{} has no doc", r.id);
            assert!(!r.summary.is_empty() && !r.message.is_empty());
        }
    }

    #[test]
    fn every_phrase_rule_is_registered() {
        for (r, _) in phrase_lexicons() {
            assert!(REGISTRY.iter().any(|x| x.id == r.id), "{}", r.id);
        }
    }

    #[test]
    fn lexicons_parse_and_are_sorted_without_duplicates() {
        let all = phrase_lexicons()
            .map(|(r, s)| (r.id, s))
            .chain(internal_lexicons());
        for (name, src) in all {
            crate::lexicon::parse_patterns(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            // pattern lines are sorted and unique within each block (a run
            // between comments, blank lines, condition and example lines);
            // `scripts/sort-lexicons.py` puts them in order
            let mut block: Vec<&str> = Vec::new();
            let check = |block: &mut Vec<&str>| {
                let mut sorted = block.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(*block, sorted, "{name} is not sorted or has duplicates");
                block.clear();
            };
            for line in src.lines().map(str::trim) {
                let other = line.is_empty()
                    || line.starts_with('#')
                    || (line.starts_with('[') && line.ends_with(']'))
                    || line.starts_with("+ ")
                    || line.starts_with("- ");
                let pattern = !other;
                if pattern {
                    block.push(line);
                } else {
                    check(&mut block);
                }
            }
            check(&mut block);
        }
    }

    /// The internal lists the analyzer reads beside the rules' own.
    fn internal_lexicons() -> impl Iterator<Item = (&'static str, &'static str)> {
        apology::INTERNAL_LEXICONS.iter().copied().chain([
            crate::analyzer::HELP_OFFER,
            crate::analyzer::DISTRESS_ASIDE,
            crate::analyzer::DISTRESS_SMALLTALK,
            crate::analyzer::CALL_RECORDING,
            crate::analyzer::PATRONIZING_OBJECTION,
            crate::analyzer::EXCUSE_OWNED,
            action::FUTURE,
            action::WHEN,
            action::IMMEDIATE,
        ])
    }

    #[test]
    fn every_example_line_of_every_internal_list_holds() {
        let mut failures = Vec::new();
        let mut checked = 0;
        for (name, src) in internal_lexicons() {
            let mut b = crate::matcher::MatcherBuilder::default();
            b.add_source(name, src).expect("the list parses");
            let m = b.build();
            let mut norm = crate::text::Normalized::new();
            let (mut hits, mut buf) = (Vec::new(), Default::default());
            for ex in crate::lexicon::examples(src) {
                checked += 1;
                norm.reset(&ex.text);
                m.scan(norm.as_str(), &mut hits, &mut buf);
                if hits.is_empty() == ex.flagged {
                    failures.push(format!("{name} line {}: {:?}", ex.line, ex.text));
                }
            }
        }
        assert!(checked >= 10, "only {checked} example lines");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
