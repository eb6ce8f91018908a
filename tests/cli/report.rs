//! `tactful report` in its formats.

use super::*;

/// Four transcripts whose figures are worked out by hand below.
const REPORT_BATCH: &str = r#"{"id":"T1","agent":"A","team":"X","turns":[{"role":"customer","text":"Can you change my address?"},{"role":"agent","text":"Done, it's updated."}]}
{"id":"T2","agent":"A","team":"X","turns":[{"role":"customer","text":"Can I return it?"},{"role":"agent","text":"Per our policy, no."}]}
not json
{"id":"T3","agent":"B","team":"Y","turns":[{"role":"customer","text":"I'm furious!!"},{"role":"agent","text":"Order number?"}]}
{"id":"T4","agent":"B","team":"Y","turns":[{"role":"customer","text":"I'm furious!!"},{"role":"agent","text":"I understand how frustrating this is."}]}
"#;

#[test]
fn report_figures_match_a_hand_computed_batch() {
    let out = tactful()
        .args(["report", "--format", "json", "--quiet"])
        .write_stdin(REPORT_BATCH)
        .output()
        .unwrap();
    // the malformed line is an input error: counted, and exit code 2
    assert_eq!(out.status.code(), Some(2));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // T1 clean: 100. T2 one procedural warning and a refund topic (so resolution is
    // judged): procedural 85, total (85 + 100 * 4) / 5 = 97. T3 distress with no
    // acknowledgment: empathy 0, total (100 * 5 + 2 * 0) / 7 = 71. T4: 100.
    assert_eq!(r["transcripts"], 4);
    assert_eq!(r["turns"], 8);
    assert_eq!(r["errors"], 1);
    assert_eq!(r["score"]["mean"], 92.0); // (100 + 97 + 71 + 100) / 4
    assert_eq!(r["score"]["median"], 97); // nearest rank 2 of [71, 97, 100, 100]
    assert_eq!(r["score"]["p10"], 71);
    assert_eq!(r["score"]["p90"], 100);
    assert_eq!(r["score"]["histogram"][97], 1);
    assert_eq!(r["category_share"]["procedural"], 0.25);
    assert_eq!(r["category_share"]["empathy_gap"], 0.25);
    assert_eq!(r["category_share"]["distress"], 0.5);
    assert_eq!(r["distress_acknowledged"]["judged"], 2);
    assert_eq!(r["distress_acknowledged"]["acknowledged"], 1);
    let a = &r["agents"][0];
    assert_eq!(a["name"], "A");
    assert_eq!(a["mean_score"], 98.5);
    assert_eq!(a["std_dev"], 2.121); // sqrt((1.5^2 + 1.5^2) / 1)
    let b = &r["agents"][1];
    assert_eq!(b["mean_score"], 85.5);
    assert_eq!(b["std_dev"], 20.506); // sqrt((14.5^2 + 14.5^2) / 1)
    assert_eq!(b["category_rates"]["empathy_gap"], 0.5);
    assert_eq!(r["teams"][1]["name"], "Y");
    let top = &r["top_phrases"]["procedural.policy_as_reason"][0];
    assert_eq!(top["phrase"], "per our policy");
    assert_eq!(top["count"], 1);
    assert_eq!(top["example"], "T2");
}

#[test]
fn report_human_summary_ranks_agents_and_lists_phrases() {
    let out = tactful()
        .args(["report", "--quiet"])
        .write_stdin(REPORT_BATCH)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("4 transcripts, 8 turns, 1 input errors"),
        "{text}"
    );
    assert!(
        text.contains("score: mean 92.0, median 97, p10 71, p90 100"),
        "{text}"
    );
    assert!(
        text.contains("distressed customers acknowledged: 1 of 2 (50.0%)"),
        "{text}"
    );
    // lowest mean score first: B (80) before A (97.5)
    let b = text.find("  B ").expect("agent B listed");
    let a = text.find("  A ").expect("agent A listed");
    assert!(b < a, "{text}");
    assert!(text.contains("\"per our policy\"  (e.g. T2)"), "{text}");
}

/// Finds a headless Chromium, if installed (`.ci/run` installs Debian's).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        })
}

#[test]
fn html_report_is_self_contained_and_renders_in_headless_chromium() {
    let out = tactful()
        .args([
            "report",
            "--format",
            "html",
            "fixtures/sample.jsonl",
            "fixtures/sample.csv",
            "fixtures/sample.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    // self-contained: no scripts, nothing fetched
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched"
    );
    for id in [
        "summary",
        "histogram",
        "categories",
        "agents",
        "teams",
        "phrases",
        "worst",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
    }
    assert!(
        html.contains("<mark class=\"issue\""),
        "flagged phrases highlighted"
    );

    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("chromium not installed: skipping the rendering half of this test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    assert!(!log.contains("CONSOLE"), "console messages: {log}");
    assert!(!log.contains("Uncaught"), "page errors: {log}");
    for table in ["agents", "teams", "phrases"] {
        assert!(
            dom.contains(&format!("<table id=\"{table}\"")),
            "rendered DOM lacks table {table}"
        );
    }
    assert!(dom.contains("tactful report"), "{dom}");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    for cmd in ["check", "report"] {
        let out = tactful()
            .args([cmd, "fixtures/sample.jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            out.stderr.is_empty(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The text of an HTML page without its tags (attributes, such as `title`
/// tooltips, included): what a reader sees, and what prints.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A long call: a refund asked for, 120 turns of small talk, one policy
/// refusal at turn 81 (a policy named on a long call where no problem was
/// raised refuses nothing, so the call opens with the request).
fn long_call(id: &str) -> String {
    let turns: Vec<Value> = (0..120)
        .map(|i| {
            let (role, text) = match i {
                0 => (
                    "customer",
                    "I want a refund for the opened blender I bought.".to_string(),
                ),
                81 => (
                    "agent",
                    "Per our policy we cannot refund opened items.".to_string(),
                ),
                i if i % 2 == 0 => (
                    "customer",
                    format!("Small talk line number {i} about the weather."),
                ),
                i => ("agent", format!("Reply line number {i}, happy to chat.")),
            };
            json!({"role": role, "text": text})
        })
        .collect();
    json!({"id": id, "turns": turns}).to_string()
}

#[test]
fn html_report_shows_each_finding_with_a_few_turns_of_context() {
    let batch = format!(
        "{}\n{}\n",
        long_call("LONG-1"),
        r#"{"id":"CLEAN-9","turns":[{"role":"customer","text":"Thanks"},{"role":"agent","text":"You're welcome."}]}"#
    );
    let out = tactful()
        .args(["report", "--format", "html", "-"])
        .write_stdin(batch)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    let text = visible_text(&html);
    // the flagged turn and the turns just before it, not the whole call
    assert!(text.contains("Per our policy"), "{text}");
    assert!(text.contains("Small talk line number 80 "), "{text}");
    assert!(!text.contains("Small talk line number 10 "), "{text}");
    assert!(!text.contains("Reply line number 1,"), "{text}");
    assert!(text.contains("turns not shown"), "{text}");
    // rule ids are part of the text, not only hover tooltips
    assert!(text.contains("procedural.policy_as_reason"), "{text}");
    // the example id of each phrase links to its excerpt on the page
    let phrases = &html[html.find("id=\"phrases\"").unwrap()..];
    let href = phrases
        .split("href=\"#")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("example ids are links");
    let target = format!("id=\"{href}\"");
    let at = html.find(&target).unwrap_or_else(|| panic!("no {target}"));
    assert!(visible_text(&html[at..]).contains("LONG-1"));
    // a score of 100 has its own histogram bar, apart from 90-99
    let svg = &html[html.find("id=\"histogram\"").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect").count(), 11, "{svg}");
    assert!(svg.contains("<title>100: 1</title>"), "{svg}");
    assert!(svg.contains("<title>90–99: 1</title>"), "{svg}");
}

/// Finds `script` (util-linux), which runs a command on a pseudo-terminal.
fn script_command() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("script"))
            .find(|p| p.is_file())
    })
}

#[test]
fn no_progress_bar_on_a_short_run_even_on_a_terminal() {
    let Some(script) = script_command() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install script (util-linux; see .ci/run)"
        );
        eprintln!("script not installed: skipping");
        return;
    };
    let bin = assert_cmd::cargo::cargo_bin("tactful");
    for cmd in ["check", "report"] {
        // stdout to /dev/null, stderr the pseudo-terminal `script` records
        let line = format!(
            "'{}' {cmd} fixtures/sample.jsonl > /dev/null",
            bin.display()
        );
        let out = std::process::Command::new(&script)
            .current_dir(root())
            .args(["-qec", &line, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        let terminal = String::from_utf8_lossy(&out.stdout);
        assert!(
            !terminal.contains('%') && !terminal.contains("transcripts"),
            "{cmd}: a progress bar on a 5 KB run: {terminal:?}"
        );
    }
}

#[test]
fn report_fail_under_gates_on_the_batch_mean() {
    let batch: String = REPORT_BATCH
        .lines()
        .filter(|l| *l != "not json")
        .map(|l| format!("{l}\n"))
        .collect();
    let run = |limit: &str| {
        let out = tactful()
            .args(["report", "--format", "json", "--fail-under", limit, "-"])
            .write_stdin(batch.clone())
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).ok(),
        )
    };
    // the batch's mean, as the report computes it (see
    // report_figures_match_a_hand_computed_batch)
    let (code, _, report) = run("0");
    assert_eq!(code, 0);
    let mean = report.unwrap()["score"]["mean"].as_f64().unwrap();
    assert!(mean > 1.0 && mean < 99.0, "{mean}");
    let above = format!("{}", mean + 1.0);
    let (code, err, report) = run(&above);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "mean score {mean:.2} is below --fail-under {above}"
        )),
        "{err}"
    );
    assert_eq!(
        report.unwrap()["score"]["mean"].as_f64(),
        Some(mean),
        "the report is still written"
    );
    assert_eq!(run(&format!("{}", mean + 0.01)).0, 1);
    assert_eq!(run(&format!("{mean}")).0, 0);
    assert_eq!(run(&format!("{}", mean - 1.0)).0, 0);
    let (code, err, _) = run("101");
    assert_eq!(code, 2, "{err}");
    // an input error wins over the gate
    let out = tactful()
        .args(["report", "--fail-under", "0", "-"])
        .write_stdin(REPORT_BATCH)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Three transcripts for the topics table, the recovery rates and response
/// times, worked out by hand below.
const RECOVERY_BATCH: &str = r#"{"id":"R1","agent":"A","channel":"chat","turns":[{"role":"customer","text":"My parcel never arrived.","timestamp":"2024-05-01T09:00:00Z"},{"role":"agent","text":"Hi Sam, I've issued a refund to your card.","timestamp":"2024-05-01T09:02:00Z"}]}
{"id":"R2","agent":"A","channel":"chat","turns":[{"role":"customer","text":"I was charged twice.","timestamp":"2024-05-01T10:00:00Z"},{"role":"agent","text":"As I already explained, we'll look into it.","timestamp":"2024-05-01T10:10:00Z"}]}
{"id":"R3","agent":"B","turns":[{"role":"customer","text":"My parcel is late and I was charged twice."},{"role":"agent","text":"Thanks for letting us know."}]}
"#;

#[test]
fn report_gives_topics_recovery_rates_and_response_times() {
    let out = tactful()
        .args(["report", "--format", "json", "--quiet"])
        .write_stdin(RECOVERY_BATCH)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // delivery in R1 and R3, billing in R2 and R3: ties ordered by name
    let topics = r["topics"].as_array().unwrap();
    let names: Vec<&str> = topics
        .iter()
        .map(|t| t["topic"].as_str().unwrap())
        .collect();
    assert_eq!(&names[..2], ["billing", "delivery"], "{topics:?}");
    let delivery = &topics[1];
    assert_eq!(delivery["count"], 2);
    assert_eq!(delivery["share"], 0.667);
    assert_eq!(delivery["examples"], serde_json::json!(["R1", "R3"]));
    // R2 has issues (patronizing, a vague promise, a slow chat reply), R1 none
    let billing = &topics[0];
    assert_eq!(billing["share_flagged"], 0.5);
    // agent A: a specific action and a name in R1, patronizing and vague in R2
    let a = &r["agents"][0];
    assert_eq!(a["name"], "A");
    let rates = &a["recovery_rates"];
    assert_eq!(rates["action.specific"], 0.5);
    assert_eq!(rates["action.vague"], 0.5);
    assert_eq!(rates["courtesy.name"], 0.5);
    assert_eq!(rates["language.patronizing"], 0.5);
    assert_eq!(rates["courtesy.thanks"], 0.0);
    // first replies after 120 s and 600 s; R3 has no timestamps
    assert_eq!(a["first_response_seconds"]["median"], 120);
    assert_eq!(a["first_response_seconds"]["p90"], 600);
    assert_eq!(r["first_response_seconds"]["transcripts"], 2);
    assert_eq!(
        r["agents"][1]["first_response_seconds"]["median"],
        Value::Null
    );
    assert_eq!(r["agents"][1]["recovery_rates"]["courtesy.thanks"], 1.0);

    let out = tactful()
        .args(["report", "--quiet"])
        .write_stdin(RECOVERY_BATCH)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("topics (most frequent first):"), "{text}");
    assert!(
        text.contains("first response: median 2m, p90 10m (2 transcripts with timestamps)"),
        "{text}"
    );

    let out = tactful()
        .args(["report", "--format", "html", "--quiet"])
        .write_stdin(RECOVERY_BATCH)
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<table id=\"topics\">"), "no topics table");
    assert!(
        html.contains("<th class=\"num\">action.vague</th>"),
        "no recovery columns"
    );
    assert!(
        html.contains("First response: median 2m, 90th percentile 10m"),
        "no response times"
    );
}
