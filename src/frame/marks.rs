//! The frame's stages as performance marks, for `npm run bench` (bench/run.mjs reads them; nothing
//! else does): `performance.mark("cdot-triage:<stage>")` as a snapshot goes through the frame
//! (received, copied in, parsed, read, observations, view, DOM built) and the store round trips
//! that follow (written, read). Only in the module of a bench build (`scripts/build.mjs --bench`
//! builds it with the feature `marks`): without it [`mark`] is empty and compiles away, as the
//! page could read marks of the content script (the frame's own are out of its reach, but a
//! release build has none at all).

use crate::core::page::PageReading;
use crate::core::readers::{read_page, LocalOffset, Snapshot};
use crate::core::settings::Settings;

/// `performance.mark("cdot-triage:<name>")`, in a bench build.
#[cfg(feature = "marks")]
pub fn mark(name: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Ok(performance) = js_sys::Reflect::get(&js_sys::global(), &"performance".into()) else {
        return;
    };
    let mark = js_sys::Reflect::get(&performance, &"mark".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(mark) = mark {
        let _ = mark.call1(
            &performance,
            &JsValue::from_str(&format!("cdot-triage:{name}")),
        );
    }
}

/// Nothing, outside a bench build.
#[cfg(not(feature = "marks"))]
#[inline(always)]
pub fn mark(_name: &str) {}

/// [`Snapshot::read`], marking the end of the parse (`parsed`) and of the reading (`read`).
pub fn read(snap: &Snapshot, settings: &Settings, local_offset: LocalOffset) -> PageReading {
    let doc = snap.document();
    mark("parsed");
    let reading = read_page(&doc, &snap.url, settings, local_offset);
    mark("read");
    reading
}
