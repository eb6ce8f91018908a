//! Distress as one calibrated score per customer turn.
//!
//! Each customer turn yields its *evidence*: what the phrase lists found
//! (emotion, harm and stakes, chasing, threats, strong words), the intensity
//! marks (caps, "!!", "???", emoticons, stretched words), counted apart when
//! the turn thanks or praises the company ("thank you!!"), the valence of its words
//! (and how much of it is aimed at the company), whether it follows another
//! customer turn with no reply between (a chaser), and its length. A small
//! logistic model turns the evidence into a score from 0 to 100; the turn is
//! distressed when the score reaches the configured threshold
//! ([`crate::config::DistressConfig`]).
//!
//! The weights are data (`models/distress.txt`), fitted by
//! `scripts/fit-distress.py` on labeled conversations; the file records how.
//! [`crate::Analyzer::explain_distress`] shows, for any text, each feature's
//! value and weight.

pub(crate) mod valence;

use serde::Serialize;

/// A customer turn's distress score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TurnDistress {
    /// The turn's index in the transcript.
    pub turn: usize,
    /// 0–100: the model's probability that the customer is upset, in percent.
    pub score: u8,
}

/// The evidence features, in the model's order. Counts are capped so that
/// one long rant does not outweigh everything; valences are VADER units
/// (a strongly negative word is about 3) divided by 4 and capped at 2.
pub const FEATURES: [&str; N] = [
    "emotion",
    "stakes",
    "repeat_contact",
    "churn_threat",
    "public_threat",
    "legal_threat",
    "strong_words",
    "marks_negative",
    "marks_positive",
    "caps",
    "exclamations",
    "questions",
    "emoticons",
    "negative",
    "positive",
    "aimed",
    "chaser",
    "words",
];

/// Number of features.
pub(crate) const N: usize = 18;

/// One customer turn's evidence, as feature values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Evidence {
    pub values: [f32; N],
}

/// Index of a feature by name (for the code that fills them).
const fn at(name: &str) -> usize {
    let mut i = 0;
    while i < N {
        if const_eq(FEATURES[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("unknown feature")
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

pub(crate) const EMOTION: usize = at("emotion");
pub(crate) const STAKES: usize = at("stakes");
pub(crate) const REPEAT: usize = at("repeat_contact");
pub(crate) const CHURN: usize = at("churn_threat");
pub(crate) const PUBLIC: usize = at("public_threat");
pub(crate) const LEGAL: usize = at("legal_threat");
pub(crate) const STRONG: usize = at("strong_words");
const MARKS_NEGATIVE: usize = at("marks_negative");
const MARKS_POSITIVE: usize = at("marks_positive");
const CAPS: usize = at("caps");
const EXCLAMATIONS: usize = at("exclamations");
const QUESTIONS: usize = at("questions");
const EMOTICONS: usize = at("emoticons");
const NEGATIVE: usize = at("negative");
const POSITIVE: usize = at("positive");
const AIMED: usize = at("aimed");
const CHASER: usize = at("chaser");
const WORDS: usize = at("words");

/// What kind of intensity mark a span of text is.
fn mark_kind(mark: &str) -> usize {
    match mark.bytes().next() {
        Some(b'!' | b'?') if mark.contains('!') => EXCLAMATIONS,
        Some(b'!' | b'?') => QUESTIONS,
        _ if mark.chars().any(char::is_uppercase) && !mark.chars().any(char::is_lowercase) => CAPS,
        // a stretched word ("sooooo") or an emoticon: both are counted as
        // emoticons' kin, marks of tone without words
        _ => EMOTICONS,
    }
}

impl Evidence {
    /// Adds one phrase-list hit to the feature at `index`.
    pub(crate) fn hit(&mut self, index: usize) {
        self.values[index] = (self.values[index] + 1.0).min(2.0);
    }

    /// Fills the features that come from the marks, the valence, the turn's
    /// place and its length.
    pub(crate) fn finish(
        &mut self,
        text: &str,
        marks: &[crate::span::Span],
        valence: &valence::Valence,
        chaser: bool,
        words: usize,
    ) {
        let v = &mut self.values;
        for m in marks {
            let kind = mark_kind(text.get(m.range()).unwrap_or_default());
            v[kind] = (v[kind] + 1.0).min(2.0);
        }
        let marks = (v[CAPS] + v[EXCLAMATIONS] + v[QUESTIONS] + v[EMOTICONS]).min(3.0);
        // marks of intensity say how strongly, not what: they count as
        // distress unless the turn praises or thanks the company and names
        // no distress ("thank you!!", "best support ever!!!"), where they
        // count apart
        // a review that rates the company well and reads more positive than
        // negative is praise: its feelings and stakes are the story of a good
        // outcome ("★★★★★ Mum cried when she saw me in the dress!"), and its
        // marks are enthusiasm; only a threat still counts. A top rating
        // whose negative words are none of them aimed at the company is praise
        // too, however sad the story it tells ("★★★★★ I cried when I heard my
        // late father's clock chime again")
        let praise =
            (valence.positive > valence.negative || valence.aimed < 1.0) && rated_top(text);
        if praise {
            for k in [EMOTION, STAKES, REPEAT, STRONG] {
                v[k] = 0.0;
            }
        }
        let phrases = phrase_evidence(v);
        let positive_tone = phrases + v[STRONG] == 0.0
            && ((valence.positive > valence.negative && valence.aimed_positive > valence.aimed)
                || rated_well(text));
        if praise {
            for k in [MARKS_POSITIVE, CAPS, EXCLAMATIONS, QUESTIONS, EMOTICONS] {
                v[k] = 0.0;
            }
        } else if positive_tone {
            // (the marks of a thank-you count apart, whatever their kind:
            // "THANK YOU!!" is enthusiasm, not a raised voice)
            v[MARKS_POSITIVE] = marks;
            for k in [CAPS, EXCLAMATIONS, QUESTIONS, EMOTICONS] {
                v[k] = 0.0;
            }
        } else {
            v[MARKS_NEGATIVE] = marks;
        }
        v[NEGATIVE] = (valence.negative / 4.0).min(2.0);
        v[POSITIVE] = (valence.positive / 4.0).min(2.0);
        v[AIMED] = (valence.aimed / 4.0).min(2.0);
        v[CHASER] = f32::from(u8::from(chaser));
        v[WORDS] = (words as f32).ln_1p() / 4.0;
        // a strong word that is the whole turn ("Unbelievable.", "You're
        // joking.") is the outburst itself: the turn's shortness does not
        // weaken it (unless it has a word of praise: "Oh brilliant, cheers")
        if words <= 3 && v[STRONG] > 0.0 && valence.positive == 0.0 {
            v[STRONG] = 2.0;
        }
    }

    /// Drops a stake named calmly: the stake is the only evidence, with no
    /// marks of intensity, no chaser and less than one negative word's worth
    /// of negative valence (the caller checks that no problem was raised).
    /// With `answer`, the turn answers the agent's question on a call: the
    /// stake's own words may weigh negative ("died", "laid off"), and the
    /// caller's run of short turns is no chaser. `own` is the negative
    /// valence of the stakes' own words ("passed away", "cancer"): naming
    /// the stake is not being upset about it, so only the rest of the turn
    /// is weighed.
    pub(crate) fn drop_calm_stakes(&mut self, valence: &valence::Valence, answer: bool, own: f32) {
        let v = &mut self.values;
        let phrases = phrase_evidence(v);
        if v[STAKES] > 0.0
            && phrases == v[STAKES]
            && v[STRONG] == 0.0
            && v[MARKS_NEGATIVE] == 0.0
            && (answer || (v[CHASER] == 0.0 && valence.negative - own < 1.0))
        {
            v[STAKES] = 0.0;
        }
    }

    /// Whether the turn follows another customer turn with no reply between.
    pub(crate) fn chaser(&self) -> bool {
        self.values[CHASER] > 0.0
    }
}

/// Whether a review opens with a good rating: four or five stars drawn
/// ("★★★★★ Easiest move-in ever!!!"), or "5/5", "10/10", "5 stars" in its
/// first words. Marks of intensity there are praise.
fn rated_well(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(48)];
    // (★ is E2 98 85 in UTF-8)
    if crate::text::find::find(0xE2, head).is_some() {
        let mut n = head.len();
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        if text[..n].matches('★').count() >= 4 {
            return true;
        }
    }
    let at = |i: usize, p: &[u8]| {
        head.get(i..i + p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    };
    crate::text::find::find_iter(b'/', head)
        .any(|i| i >= 1 && (at(i - 1, b"5/5") || i >= 2 && at(i - 2, b"10/10")))
        || crate::text::find::find2_iter(b's', b'S', head).any(|i| {
            // ("5 stars", not "2/5 stars")
            let five = i >= 2
                && at(i - 2, b"5 ")
                && (i == 2 || !matches!(head[i - 3], b'/' | b'0'..=b'9'));
            at(i, b"star") && (five || i >= 5 && at(i - 5, b"five "))
        })
}

/// Whether a review gives the top rating (five stars drawn, "5/5", "10/10",
/// "5 stars") and names no shortfall beside it ("but", "though", "let
/// down", "except", "shame"): praise, whatever its feelings and marks. A
/// four-star review with a complaint in it is read as any other turn.
fn rated_top(text: &str) -> bool {
    // (the rating opens the review: "wow, 10/10 service 🙃" after a failure is
    // sarcasm; an opening that cannot be a rating costs one byte test)
    let opening = text.trim_start();
    let starts = |p: &str| {
        opening
            .as_bytes()
            .get(..p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p.as_bytes()))
    };
    let top = if opening.starts_with('★') {
        let mut n = opening.len().min(48);
        while !opening.is_char_boundary(n) {
            n -= 1;
        }
        let head = &opening[..n];
        head.matches('★').count() >= 5 && !head.contains('☆')
    } else {
        ["5/5", "10/10", "5 star", "five star"]
            .iter()
            .any(|r| starts(r))
    };
    if !top {
        return false;
    }
    let lower = text.to_lowercase();
    ![
        "🙃",
        "🙄",
        " but ",
        " but,",
        "but ",
        " though",
        "however",
        "let down",
        "except",
        "shame",
        "only thing",
        "only downside",
        "disappoint",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The sum of the phrase-list features (feelings, stakes, repeat contact,
/// threats): what the turn says, as against how it says it.
fn phrase_evidence(v: &[f32; N]) -> f32 {
    v[EMOTION] + v[STAKES] + v[REPEAT] + v[CHURN] + v[PUBLIC] + v[LEGAL]
}

/// The model: a bias and one weight per feature.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub bias: f32,
    pub weights: [f32; N],
}

/// The fitted weights, with their provenance in comments.
const WEIGHTS: &str = include_str!("../../models/distress.txt");

impl Model {
    /// The built-in model.
    pub(crate) fn builtin() -> Model {
        // the file is part of the crate and checked by a test, so a fault
        // in it is a bug, found before release
        Model::parse(WEIGHTS).unwrap_or_else(|e| panic!("models/distress.txt: {e}"))
    }

    /// Reads `name weight` lines (`bias` for the bias); every feature must
    /// be given once and nothing else.
    pub(crate) fn parse(text: &str) -> Result<Model, String> {
        let mut bias = None;
        let mut weights = [None; N];
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(name), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("line {}: expected `name weight`", n + 1));
            };
            let value: f32 = value
                .parse()
                .map_err(|_| format!("line {}: `{value}` is not a number", n + 1))?;
            let slot = if name == "bias" {
                &mut bias
            } else {
                let i = FEATURES
                    .iter()
                    .position(|&f| f == name)
                    .ok_or_else(|| format!("line {}: unknown feature `{name}`", n + 1))?;
                &mut weights[i]
            };
            if slot.replace(value).is_some() {
                return Err(format!("line {}: `{name}` given twice", n + 1));
            }
        }
        let bias = bias.ok_or("no `bias`")?;
        let mut out = [0.0; N];
        for (i, w) in weights.iter().enumerate() {
            out[i] = w.ok_or_else(|| format!("no weight for `{}`", FEATURES[i]))?;
        }
        Ok(Model { bias, weights: out })
    }

    /// The score, 0–100, of some evidence.
    pub(crate) fn score(&self, e: &Evidence) -> u8 {
        let z: f32 = self.bias
            + self
                .weights
                .iter()
                .zip(&e.values)
                .map(|(w, x)| w * x)
                .sum::<f32>();
        let p = 1.0 / (1.0 + (-z).exp());
        (p * 100.0).round().clamp(0.0, 100.0) as u8
    }
}

/// Why a text scores as it does: see [`crate::Analyzer::explain_distress`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// The score, 0–100.
    pub score: u8,
    /// Whether it reaches the analyzer's threshold.
    pub distressed: bool,
    /// The model's bias (its log-odds with no evidence).
    pub bias: f32,
    /// Each feature: its name, its value for this text and its weight; the
    /// score is the logistic function of the bias plus the sum of value ×
    /// weight.
    pub features: Vec<(&'static str, f32, f32)>,
    /// Whether the score is the distress word model's (`distress.implied`):
    /// the turn's words and pairs read as upset in wording the features
    /// above do not weigh, and that lifted the score.
    pub words: bool,
}

impl Explanation {
    pub(crate) fn new(model: &Model, evidence: &Evidence, threshold: u8) -> Explanation {
        let score = model.score(evidence);
        Explanation {
            score,
            distressed: score >= threshold,
            bias: model.bias,
            features: FEATURES
                .iter()
                .zip(evidence.values.iter().zip(&model.weights))
                .map(|(&n, (&v, &w))| (n, v, w))
                .collect(),
            words: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_names_every_feature_once() {
        let m = Model::parse(WEIGHTS).expect("the built-in weights parse");
        assert!(m.weights.iter().all(|w| w.is_finite()) && m.bias.is_finite());
        assert!(Model::parse("bias 1\n")
            .unwrap_err()
            .contains("no weight for `emotion`"));
        let mut text = String::from("bias 0\n");
        for f in FEATURES {
            text.push_str(&format!("{f} 1\n"));
        }
        assert!(Model::parse(&text).is_ok());
        assert!(Model::parse(&format!("{text}nonsense 2\n"))
            .unwrap_err()
            .contains("unknown feature `nonsense`"));
        assert!(Model::parse(&format!("{text}emotion 2\n"))
            .unwrap_err()
            .contains("given twice"));
    }

    #[test]
    fn scores_rise_with_the_evidence() {
        let m = Model::builtin();
        let calm = Evidence::default();
        let mut upset = Evidence::default();
        upset.hit(EMOTION);
        upset.hit(CHURN);
        assert!(m.score(&upset) > m.score(&calm));
    }

    #[test]
    fn a_strong_word_that_is_the_whole_turn_counts_in_full() {
        let model = Model::builtin();
        let calm = valence::Valence::default();
        let mut alone = Evidence::default();
        alone.hit(STRONG);
        alone.finish("Unbelievable.", &[], &calm, false, 1);
        assert_eq!(alone.values[STRONG], 2.0);
        assert!(model.score(&alone) >= 50, "{}", model.score(&alone));
        // in a longer turn one word is one hit
        let mut longer = Evidence::default();
        longer.hit(STRONG);
        longer.finish("it was unbelievable how fast it came", &[], &calm, false, 7);
        assert_eq!(longer.values[STRONG], 1.0);
        // and a word of praise beside it is no outburst ("Oh brilliant, cheers")
        let glad = valence::Valence {
            positive: 1.5,
            ..Default::default()
        };
        let mut thanks = Evidence::default();
        thanks.hit(STRONG);
        thanks.finish("Oh brilliant, cheers", &[], &glad, false, 3);
        assert_eq!(thanks.values[STRONG], 1.0);
    }

    #[test]
    fn marks_count_apart_in_a_happy_turn() {
        let text = "thank you!!";
        let marks = [crate::span::Span::new(9, 11)];
        let happy = valence::Valence {
            positive: 1.5,
            aimed_positive: 1.5,
            ..Default::default()
        };
        let mut e = Evidence::default();
        e.finish(text, &marks, &happy, false, 2);
        assert_eq!(e.values[MARKS_POSITIVE], 1.0);
        assert_eq!(e.values[MARKS_NEGATIVE], 0.0);
        // (their kinds count apart too: "THANK YOU!!" is no raised voice)
        assert_eq!(e.values[EXCLAMATIONS], 0.0);
        // the same marks in a turn with no thanks are distress marks
        let mut plain = Evidence::default();
        plain.finish(
            "not again!!",
            &marks,
            &valence::Valence::default(),
            false,
            2,
        );
        assert_eq!(plain.values[MARKS_NEGATIVE], 1.0);
        assert_eq!(plain.values[EXCLAMATIONS], 1.0);
    }
}
