//! The frame's reader sends its main thread the view as JSON text, written by hand
//! (`core::stored::view_text`) as serde's derived `Serialize` writes it, and the main thread
//! reads it by hand (`core::stored::view`) as serde's derived `Deserialize` would: checked
//! here against both derives on the view of every fixture
//! page of www/ (alone, and with what every other page showed, so that findings, evidence, the
//! verdict and the plan are there), and on each of them changed one member at a time (left out,
//! null, another type, out of range, a unit variant as an object): both read it the same, or
//! both refuse it.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::observation::{from_reading, Observation};
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::stored;
use cdot_triage::core::time::UtcTime;
use cdot_triage::core::view::{banner_view, BannerView};
use serde_json::Value as J;

#[path = "support/json_variants.rs"]
mod json_variants;
#[path = "support/www.rs"]
mod www;

/// Every fixture page's reading.
fn readings() -> Vec<PageReading> {
    let settings = Settings::default();
    www::pages()
        .into_iter()
        .map(|(_, url, html)| {
            Snapshot {
                url,
                html,
                inputs: Vec::new(),
            }
            .read(&settings, &|_| Some(0))
        })
        .collect()
}

/// The JSON text changed at one member ([`json_variants::changed`]).
fn changed(json: &J) -> Vec<J> {
    let others = [
        J::Null,
        J::from(1.5),
        J::from(-1),
        J::from(4_294_967_296_u64),
        J::from("x"),
        J::from("info"),
        J::from("no-account"),
        J::from(true),
        J::Array(vec![]),
        serde_json::json!({ "x": 1 }),
    ];
    json_variants::changed(json, &others, 1)
}

fn by_serde(text: &str) -> Option<BannerView> {
    serde_json::from_str(text).ok()
}

#[test]
fn the_view_reads_as_serde_reads_it() {
    let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
    let settings = Settings::default();
    let readings = readings();
    assert!(readings.len() >= 20, "{} pages", readings.len());
    let all: Vec<Observation> = readings.iter().flat_map(|r| from_reading(r, now)).collect();
    let mut texts: Vec<String> = Vec::new();
    for reading in &readings {
        let own = from_reading(reading, now);
        for observations in [&own, &all] {
            let mut view = banner_view(reading, observations, now, &settings);
            let text = serde_json::to_string(&view).unwrap();
            assert_eq!(stored::view_text(&view), text);
            // What is never sent (`#[serde(skip)]`) is not read back.
            for finding in &mut view.findings {
                for evidence in &mut finding.evidence {
                    evidence.event = None;
                }
            }
            assert_eq!(stored::view(&text).as_ref(), Some(&view), "{text}");
            // The first part of a long list (what the frame's reader sends first): a
            // recipient's events made long, and many recipients.
            if let Some(r) = view.recipients.first().cloned() {
                let mut long = view.clone();
                long.recipients[0].events = r.events.iter().cycle().take(60).cloned().collect();
                long.recipients.extend(std::iter::repeat_n(r, 30));
                let mut first = long.clone();
                first.split_first().expect("a long list is cut");
                assert!(first.recipients_unsent > 0 && first.recipients[0].events_unsent > 0);
                let text = serde_json::to_string(&first).unwrap();
                assert_eq!(stored::view_text(&first), text);
                texts.push(text);
            }
            // What no fixture page gives: a storage line, a problem, a hidden banner.
            if view.storage.is_none() {
                view.storage = Some("Not kept: 2 observations.".into());
                view.problems.push("A table could not be read.".into());
                view.hidden = !view.hidden;
                // Every character serde_json escapes, and some it does not.
                view.note = Some((0..=0x7f_u8).map(char::from).collect::<String>() + "é\u{2028}😀");
                let text = serde_json::to_string(&view).unwrap();
                assert_eq!(stored::view_text(&view), text);
                texts.push(text);
            }
            texts.push(text);
        }
    }
    texts.sort();
    texts.dedup();
    let has = |needle: &str| texts.iter().any(|t| !t.contains(needle));
    for empty in [
        "\"subject\":null",
        "\"verdict\":null",
        "\"plan\":[]",
        "\"facts\":[]",
        "\"rows\":[]",
        "\"recipients\":[]",
        "\"findings\":[]",
        "\"note\":null",
        "\"problems\":[]",
        "\"reply\":null",
        "\"step\":null",
        "\"domain\":null",
        "\"id\":null",
        "\"email\":null",
    ] {
        assert!(has(empty), "no view with more than {empty}");
    }
    let mut compared = 0;
    for text in &texts {
        assert_eq!(stored::view(text), by_serde(text), "{text}");
        let json: J = serde_json::from_str(text).unwrap();
        for variant in changed(&json) {
            let text = variant.to_string();
            assert_eq!(stored::view(&text), by_serde(&text), "{text}");
            compared += 1;
        }
        // A key twice (serde_json::Value cannot hold it): refused by both.
        let twice = text.replacen('{', "{\"hidden\":false,", 1);
        assert_eq!(stored::view(&twice), None, "{twice}");
        assert_eq!(by_serde(&twice), None, "{twice}");
    }
    println!("{} views, {compared} changed", texts.len());
    assert!(compared > 10_000, "{compared}");
    for text in ["", "null", "[]", "{", "{\"hidden\":false}", "1"] {
        assert_eq!(stored::view(text), by_serde(text), "{text}");
    }
}
