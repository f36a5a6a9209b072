//! Benchmark entries for `npm run bench` (bench/run.mjs), compiled only with the `bench`
//! feature into a module of its own (bench/pkg/); the shipped module never has them.
//!
//! Each entry takes the page's HTML (a JS string) and URL and does what the frame does with a
//! snapshot (without form values): the markup is copied into the module's memory, parsed and
//! read by `core::readers`. It returns a count, so that one call is one boundary crossing each
//! way and the JS side times it with `performance.now()`.

use crate::core::observation;
use crate::core::page::PageReading;
use crate::core::readers::Snapshot;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use crate::core::view::banner_view;
use crate::js::browser_local_offset;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

/// What the reader found: fields of a Show page, rows of a list, events of a Mailgun page,
/// namespaces of a GitLab Groups tab, users of a GitLab.com page.
fn items(reading: &PageReading) -> u32 {
    let n = match reading {
        PageReading::CustomerShow(a) => a.fields.len(),
        PageReading::CustomerSearch(s) => s.rows.len(),
        PageReading::CustomerGitLabGroups(g) => g.namespaces.len(),
        PageReading::Mailgun(m) => m.events.len(),
        PageReading::GitLabComUser(_) => 1,
        PageReading::GitLabComSearch(s) => s.users.len(),
        PageReading::OtherAdminPage { .. } | PageReading::Unreadable { .. } => 0,
    };
    n as u32
}

fn snapshot(html: &JsString, url: &str) -> Snapshot {
    Snapshot {
        url: url.to_string(),
        html: crate::js::utf8_of(html),
        inputs: Vec::new(),
    }
}

/// Parse and read: the number of fields, rows or events read.
#[wasm_bindgen]
pub fn bench_read(html: &JsString, url: &str) -> Result<u32, JsValue> {
    let reading = snapshot(html, url).read(&Settings::default(), &browser_local_offset);
    Ok(items(&reading))
}

/// Parse, read and turn into observations (markup to observations, what the target
/// compares with `DOMParser`): the number of observations.
#[wasm_bindgen]
pub fn bench_read_observe(html: &JsString, url: &str) -> Result<u32, JsValue> {
    let now = UtcTime::from_millis(js_sys::Date::now());
    let reading = snapshot(html, url).read(&Settings::default(), &browser_local_offset);
    Ok(observation::from_reading(&reading, now).len() as u32)
}

/// Parse, read, turn into observations and build the banner's view (the diagnosis included)
/// as the frame does before rendering: the number of observations.
#[wasm_bindgen]
pub fn bench_read_diagnose(html: &JsString, url: &str) -> Result<u32, JsValue> {
    let settings = Settings::default();
    let now = UtcTime::from_millis(js_sys::Date::now());
    let reading = snapshot(html, url).read(&settings, &browser_local_offset);
    let observations = observation::from_reading(&reading, now);
    let view = banner_view(&reading, &observations, now, &settings);
    std::hint::black_box(view);
    Ok(observations.len() as u32)
}

/// The stages of [`bench_read_diagnose`] one by one, in milliseconds (`performance.now()`):
/// `[copy into the module and parse, read, observations, view]`.
#[wasm_bindgen]
pub fn bench_stages(html: &JsString, url: &str) -> Result<Vec<f64>, JsValue> {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())?;
    let clock: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())?.dyn_into()?;
    let time = || clock.call0(&performance).ok().and_then(|t| t.as_f64());
    let mut marks = vec![time()];
    let snap = snapshot(html, url);
    let doc = snap.document();
    marks.push(time());
    let settings = Settings::default();
    let now = UtcTime::from_millis(js_sys::Date::now());
    let reading = crate::core::readers::read_page(&doc, url, &settings, &browser_local_offset);
    marks.push(time());
    let observations = observation::from_reading(&reading, now);
    marks.push(time());
    let view = banner_view(&reading, &observations, now, &settings);
    std::hint::black_box(view);
    marks.push(time());
    let marks: Vec<f64> = marks.into_iter().map(Option::unwrap_or_default).collect();
    Ok(marks.windows(2).map(|w| w[1] - w[0]).collect())
}
