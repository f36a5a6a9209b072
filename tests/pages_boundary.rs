//! The pages' module moves typed values with serde-wasm-bindgen (`js::typed`, `js::plain`);
//! the banner's module builds and reads the same objects by hand (`frame::record_to_js`,
//! `frame::record_from_js`, `js::from_js`). Both share the store and `storage.local`, so each
//! must read what the other wrote, as plain JSON-able values. Also times both ways for the
//! store's records (docs/performance.md): run with
//! `cargo test --release --target wasm32-unknown-unknown --features pages --test pages_boundary -- --nocapture`.
#![cfg(all(target_arch = "wasm32", feature = "pages"))]

use cdot_triage::core::observation::{Fact, Observation};
use cdot_triage::core::settings::{QuietPages, Region, Settings};
use cdot_triage::core::store::{record_for, Record, Stored};
use cdot_triage::core::time::UtcTime;
use cdot_triage::frame::{record_from_js, record_to_js};
use cdot_triage::js;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let key = format!("user{}@example.com", i % 32);
            record_for(
                &Observation {
                    shown: key.clone(),
                    key,
                    url: format!("https://customers.gitlab.com/admin/customer?query=q{i}"),
                    seen_at: UtcTime(1_790_000_000 + i as i64),
                    fact: Fact::AdminSearched {
                        query: format!("q{i}"),
                        rows: i % 7,
                        total: Some(i as u64),
                    },
                },
                8,
            )
        })
        .collect()
}

/// A value as the browser's storage keeps it: through JSON.
fn through_json(value: &JsValue) -> JsValue {
    let text = js_sys::JSON::stringify(value).unwrap();
    js_sys::JSON::parse(&String::from(text)).unwrap()
}

fn json_text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

#[wasm_bindgen_test]
fn records_cross_both_ways_between_the_two_modules() {
    for record in records(5) {
        let by_hand = record_to_js(&record);
        let by_serde = js::plain(&record.stored());
        assert_eq!(json_text(&by_serde), json_text(&by_hand));
        let read = js::typed::<Stored>(&through_json(&by_hand)).and_then(Record::from_stored);
        assert_eq!(read.as_ref(), Some(&record));
        assert_eq!(
            record_from_js(&through_json(&by_serde)).as_ref(),
            Some(&record)
        );
    }
    // One the pages cannot read is skipped, as the banner skips it.
    let odd = through_json(&js::object(&[("id", "x".into()), ("key", 1.into())]));
    assert_eq!(js::typed::<Stored>(&odd), None);
}

#[wasm_bindgen_test]
fn settings_are_the_same_plain_object_either_way() {
    let settings = Settings {
        admin_host: "staging.customers.gitlab.com".into(),
        admin_zone_offset_minutes: -300,
        reset_window_days: 14,
        quiet_pages: QuietPages::Hidden,
        mailgun_region: Region::Eu,
        mailgun_lookup: true,
        ..Settings::default()
    };
    let by_serde = js::plain(&settings);
    let by_json = js_sys::JSON::parse(&serde_json::to_string(&settings).unwrap()).unwrap();
    assert_eq!(json_text(&by_serde), json_text(&by_json));
    // What the options page saves, the banner reads (JSON text), and the popup (serde).
    let stored = through_json(&by_serde);
    assert_eq!(js::from_js::<Settings>(&stored), Some(settings.clone()));
    assert_eq!(js::typed::<Settings>(&stored), Some(settings));
    // Missing members take their defaults; nothing saved is no settings.
    let partial = through_json(&js::object(&[("resetWindowDays", 7.into())]));
    assert_eq!(
        js::typed::<Settings>(&partial).map(|s| s.reset_window_days),
        Some(7)
    );
    assert_eq!(js::typed::<Settings>(&JsValue::UNDEFINED), None);
}

/// Median of `runs` timings of `f`, in ms.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = js_sys::Date::now();
            f();
            js_sys::Date::now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

#[wasm_bindgen_test]
fn time_the_store_records_both_ways() {
    // 10,000 as the numbers in docs/performance.md (a release build); fewer in `npm test`'s
    // debug build, where the timing means little.
    let n = if cfg!(debug_assertions) {
        1_000
    } else {
        10_000
    };
    let all = records(n);
    let array = |values: Vec<JsValue>| values.into_iter().collect::<js_sys::Array>();
    let write_hand = median_ms(7, || {
        let _ = array(all.iter().map(record_to_js).collect());
    });
    let write_serde = median_ms(7, || {
        let _ = js::plain(&all.iter().map(Record::stored).collect::<Vec<_>>());
    });
    let stored = array(all.iter().map(record_to_js).collect());
    let read_hand = median_ms(7, || {
        let n = stored.iter().filter_map(|r| record_from_js(&r)).count();
        assert_eq!(n, all.len());
    });
    let read_serde = median_ms(7, || {
        let n = stored
            .iter()
            .filter_map(|r| js::typed::<Stored>(&r))
            .filter_map(Record::from_stored)
            .count();
        assert_eq!(n, all.len());
    });
    console_log!(
        "{} store records, median of 7 (ms): write by hand {write_hand}, by serde-wasm-bindgen {write_serde}; read by hand {read_hand}, by serde-wasm-bindgen {read_serde}",
        all.len()
    );
}
