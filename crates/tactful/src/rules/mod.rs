//! Every detector, one module per category.
//!
//! Each rule is a [`RuleInfo`] constant (e.g. [`apology::BUT`]) whose
//! documentation is also its runtime `doc`; [`crate::rule::all`] lists them
//! all, sorted by id.
//!
//! For contributors: adding a phrase touches one data file in `lexicons/`;
//! adding a rule touches its category's module (a `declare_rule!` and, for a
//! phrase rule, one line in its `LEXICONS`) plus one line in `REGISTRY`.

pub mod apology;
pub mod distress;
pub mod empathy;
pub mod empathy_gap;
pub mod excuse;
pub mod procedural;

use crate::rule::RuleInfo;

/// Every rule, sorted by id (a test keeps it sorted and unique).
pub(crate) static REGISTRY: &[RuleInfo] = &[
    apology::BUT,
    apology::CONDITIONAL,
    apology::DEFLECTING,
    apology::SCRIPTED,
    apology::SINCERE,
    distress::CHURN_THREAT,
    distress::EMOTION,
    distress::INTENSITY,
    distress::LEGAL_THREAT,
    distress::PUBLIC_THREAT,
    distress::REPEAT_CONTACT,
    distress::STAKES,
    empathy::SYMPATHY,
    empathy::VALIDATION,
    empathy_gap::NO_ACKNOWLEDGMENT,
    excuse::BLAMING_CUSTOMER,
    excuse::CIRCUMSTANCES,
    excuse::DENIAL,
    excuse::MINIMIZING,
    excuse::THIRD_PARTY_BLAME,
    procedural::BUREAUCRATIC_HANDOFF,
    procedural::POLICY_AS_REASON,
    procedural::REFUSAL_WITHOUT_ALTERNATIVE,
    procedural::SYSTEM_AS_AUTHORITY,
    procedural::TEMPLATE_FORMALITY,
];

/// Every phrase-list rule with its built-in lexicon source.
pub(crate) fn phrase_lexicons() -> impl Iterator<Item = (&'static RuleInfo, &'static str)> {
    procedural::LEXICONS
        .iter()
        .chain(excuse::LEXICONS)
        .chain(empathy::LEXICONS)
        .chain(distress::LEXICONS)
        .map(|(r, s)| (*r, *s))
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
            .chain(apology::INTERNAL_LEXICONS.iter().copied())
            .chain(std::iter::once(crate::analyzer::HELP_OFFER));
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
}
