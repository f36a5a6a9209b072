//! Benchmark entries for `npm run bench` (bench/run.mjs), compiled only with the `bench`
//! feature into a module of its own (bench/pkg/); the shipped module never has them.
//!
//! Each entry takes the page's HTML and URL, parses them with `DOMParser` as the frame does
//! (`crate::frame::snapshot`, without form values) and returns a count, so that one call is
//! one boundary crossing each way and the JS side times it with `performance.now()`.

use crate::core::observation;
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use crate::core::view::banner_view;
use wasm_bindgen::prelude::*;
use web_sys::{Document, DomParser, SupportedType};

fn parse(html: &str) -> Result<Document, JsValue> {
    DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)
}

/// What the reader found: fields of a Show page, rows of a list, events of a Mailgun page.
fn items(reading: &PageReading) -> u32 {
    let n = match reading {
        PageReading::CustomerShow(a) => a.fields.len(),
        PageReading::CustomerSearch(s) => s.rows.len(),
        PageReading::Mailgun(m) => m.events.len(),
        PageReading::OtherAdminPage { .. } | PageReading::Unreadable { .. } => 0,
    };
    n as u32
}

/// Parse and read: the number of fields, rows or events read.
#[wasm_bindgen]
pub fn bench_read(html: &str, url: &str) -> Result<u32, JsValue> {
    let doc = parse(html)?;
    Ok(items(&crate::readers::read_page(
        &doc,
        url,
        &Settings::default(),
    )))
}

/// Parse, read, turn into observations and build the banner's view (the diagnosis included)
/// as the frame does before rendering: the number of observations.
#[wasm_bindgen]
pub fn bench_read_diagnose(html: &str, url: &str) -> Result<u32, JsValue> {
    let doc = parse(html)?;
    let settings = Settings::default();
    let now = UtcTime::from_millis(js_sys::Date::now());
    let reading = crate::readers::read_page(&doc, url, &settings);
    let observations = observation::from_reading(&reading, now);
    let view = banner_view(&reading, &observations, now, &settings);
    std::hint::black_box(view);
    Ok(observations.len() as u32)
}
