//! The old readers (a `DOMParser` Document, read through web-sys) and the new ones (the
//! markup parsed and read in Rust, `core::readers`) on every fixture page for every URL and on
//! the fuzzer's documents, in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test reader_identity`): the readings must be
//! identical. This is the check that let the DOM readers go; it goes with them.
//!
//! One difference is allowed and normalised: the reason a JSON block could not be parsed is
//! the parser's own message (`JSON.parse`'s then, serde_json's now).
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::{InputValue, Snapshot};
use cdot_triage::core::settings::Settings;
use cdot_triage::readers::domparser as old;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;
#[path = "support/documents.rs"]
mod documents;
use documents::{document, inputs, PAGES, URLS};

fn old_reading(url: &str, html: &str, inputs: &[InputValue]) -> PageReading {
    let snap = old::Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: inputs
            .iter()
            .map(|i| old::InputValue {
                index: i.index,
                tag: i.tag.clone(),
                name: i.name.clone(),
                value: i.value.clone(),
                checked: i.checked,
            })
            .collect(),
    };
    let doc = old::to_document(&snap).expect("DOMParser parses any string");
    cdot_triage::readers::read_page(&doc, url, &Settings::default())
}

fn new_reading(url: &str, html: &str, inputs: &[InputValue]) -> PageReading {
    Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: inputs.to_vec(),
    }
    .read(&Settings::default(), &cdot_triage::js::browser_local_offset)
}

/// The reading as JSON, with parser messages cut.
fn normalised(r: &PageReading) -> String {
    let json = serde_json::to_string_pretty(r).unwrap_or_default();
    json.lines()
        .map(|l| match l.find("could not be parsed: ") {
            Some(at) => format!("{}could not be parsed: …", &l[..at]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn same(url: &str, html: &str, inputs: &[InputValue], what: &str) {
    if let Some(diff) = difference(url, html, inputs, what) {
        panic!("{diff}");
    }
}

/// How the two readings differ, if they do.
fn difference(url: &str, html: &str, inputs: &[InputValue], what: &str) -> Option<String> {
    let a = normalised(&old_reading(url, html, inputs));
    let b = normalised(&new_reading(url, html, inputs));
    if a != b {
        let first = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let around = |s: &str| {
            s.lines()
                .skip(first.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        return Some(format!(
            "{what} ({url}) reads differently.\nDOM reader:\n{}\n\nRust reader:\n{}",
            around(&a),
            around(&b)
        ));
    }
    None
}

#[wasm_bindgen_test]
fn every_fixture_for_every_url() {
    for (i, page) in PAGES.iter().enumerate() {
        for url in URLS {
            same(url, page, &[], &format!("fixture {i}"));
        }
    }
}

#[wasm_bindgen_test]
fn the_fuzzers_documents() {
    let cases: u64 = option_env!("CDOT_IDENTITY_CASES")
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let mut master = Rng(0x1D_E471_7E57);
    let (mut old_ms, mut new_ms) = (0.0, 0.0);
    let mut differences: Vec<String> = Vec::new();
    for case in 0..cases {
        let seed = master.next() | 1;
        let mut rng = Rng(seed);
        let html = document(&mut rng);
        let inputs = inputs(&mut rng);
        let url = rng.pick(&URLS);
        let t0 = js_sys::Date::now();
        let a = normalised(&old_reading(url, &html, &inputs));
        let t1 = js_sys::Date::now();
        let b = normalised(&new_reading(url, &html, &inputs));
        let t2 = js_sys::Date::now();
        old_ms += t1 - t0;
        new_ms += t2 - t1;
        if a != b {
            if let Some(d) = difference(
                url,
                &html,
                &inputs,
                &format!("case {case} (seed {seed:#x})"),
            ) {
                console_log!("{d}");
                differences.push(format!("{seed:#x}"));
            }
        }
    }
    console_log!(
        "reader_identity: {cases} documents; DOM readers {:.0} documents/s, Rust readers {:.0} documents/s",
        cases as f64 / (old_ms / 1000.0),
        cases as f64 / (new_ms / 1000.0)
    );
    assert!(
        differences.is_empty(),
        "{} of {cases} documents read differently (seeds {})",
        differences.len(),
        differences.join(", ")
    );
}
