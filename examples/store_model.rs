//! The native side of the store's model-based test (`tests/e2e/chaos.test.mjs`): what a page's
//! markup must put in the store, and what a banner must say, computed here by the same core the
//! extension runs, so that the test compares the browser against it.
//!
//! Reads one JSON request on standard input, writes one JSON answer on standard output:
//! - `{ "command": "records", "pages": [{ "url", "html" }], "now": ms }` → for each page, the
//!   records its reading yields: `[{ "url", "records": [{ "id", "key" }] }]`;
//! - `{ "command": "banner", "url", "html", "stored": [records as the background keeps them],
//!   "now": ms }` → `{ "subject", "findings": [ids] }`, the banner of that page over that store.
//!
//! Times shown without a zone are read as UTC: the test runs Chromium in UTC.

use cdot_triage::core::observation;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::store::{self, Record, Stored};
use cdot_triage::core::time::UtcTime;
use cdot_triage::core::view::banner_view;
use serde_json::{json, Value};
use std::io::Read;

fn read(url: &str, html: &str, settings: &Settings) -> cdot_triage::core::page::PageReading {
    Snapshot {
        url: url.to_string(),
        html: html.to_string(),
        inputs: Vec::new(),
    }
    .read(settings, &|_| Some(0))
}

fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name].as_str().unwrap_or_default()
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("a request on standard input");
    let request: Value = serde_json::from_str(&input).expect("a JSON request");
    let settings = Settings::default();
    let now = UtcTime::from_millis(request["now"].as_f64().unwrap_or_default());
    let answer = match text(&request, "command") {
        "records" => {
            let pages = request["pages"].as_array().cloned().unwrap_or_default();
            Value::Array(
                pages
                    .iter()
                    .map(|page| {
                        let reading = read(text(page, "url"), text(page, "html"), &settings);
                        let records: Vec<Value> = observation::from_reading(&reading, now)
                            .iter()
                            .map(|o| store::record_for(o, settings.observation_expiry_hours))
                            .map(|r| json!({ "id": r.id, "key": r.key }))
                            .collect();
                        json!({ "url": text(page, "url"), "records": records })
                    })
                    .collect(),
            )
        }
        "banner" => {
            let reading = read(text(&request, "url"), text(&request, "html"), &settings);
            let mut records: Vec<Record> = request["stored"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| serde_json::from_value::<Stored>(r.clone()).ok())
                .filter_map(Record::from_stored)
                .collect();
            records.extend(
                observation::from_reading(&reading, now)
                    .iter()
                    .map(|o| store::record_for(o, settings.observation_expiry_hours)),
            );
            let observations = store::live(records, now);
            let view = banner_view(&reading, &observations, now, &settings);
            let findings: Vec<&str> = view.findings.iter().map(|f| f.id.as_str()).collect();
            json!({
                "subject": view.subject.as_ref().map(|s| s.key.clone()),
                "findings": findings,
            })
        }
        other => json!({ "error": format!("unknown command {other:?}") }),
    };
    println!("{answer}");
}
