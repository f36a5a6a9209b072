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

/// Marks taken where the frame's timeline is out of reach (the reader's worker has its own):
/// `[name, absolute time]` pairs the frame enters into its timeline ([`replay`]). Empty
/// outside a bench build.
#[derive(Default)]
pub struct Collected {
    #[cfg(feature = "marks")]
    marks: Vec<(&'static str, f64)>,
}

impl Collected {
    /// Notes `name` now.
    #[cfg(feature = "marks")]
    pub fn mark(&mut self, name: &'static str) {
        if let Some(now) = absolute_now() {
            self.marks.push((name, now));
        }
    }

    /// Nothing, outside a bench build.
    #[cfg(not(feature = "marks"))]
    #[inline(always)]
    pub fn mark(&mut self, _name: &'static str) {}

    /// `[[name, time], …]`, or `undefined` outside a bench build.
    pub fn to_js(&self) -> wasm_bindgen::JsValue {
        #[cfg(feature = "marks")]
        {
            let out = js_sys::Array::new();
            for (name, at) in &self.marks {
                let pair = js_sys::Array::new();
                pair.push(&(*name).into());
                pair.push(&(*at).into());
                out.push(&pair);
            }
            out.into()
        }
        #[cfg(not(feature = "marks"))]
        wasm_bindgen::JsValue::UNDEFINED
    }
}

#[cfg(feature = "marks")]
fn performance() -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .filter(|p| p.is_object())
}

/// `performance.timeOrigin + performance.now()`.
#[cfg(feature = "marks")]
fn absolute_now() -> Option<f64> {
    let performance = performance()?;
    let origin = js_sys::Reflect::get(&performance, &"timeOrigin".into())
        .ok()?
        .as_f64()?;
    let now = js_sys::Reflect::get(&performance, &"now".into())
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())?
        .call0(&performance)
        .ok()?
        .as_f64()?;
    Some(origin + now)
}

/// Enters marks another context collected ([`Collected::to_js`]) into this one's timeline, at
/// the times they were taken.
#[cfg(feature = "marks")]
pub fn replay(marks: &wasm_bindgen::JsValue) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(performance) = performance() else {
        return;
    };
    let origin = js_sys::Reflect::get(&performance, &"timeOrigin".into())
        .ok()
        .and_then(|o| o.as_f64())
        .unwrap_or_default();
    let Some(mark) = js_sys::Reflect::get(&performance, &"mark".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    if !js_sys::Array::is_array(marks) {
        return;
    }
    for pair in js_sys::Array::from(marks).iter() {
        let pair = js_sys::Array::from(&pair);
        let (Some(name), Some(at)) = (pair.get(0).as_string(), pair.get(1).as_f64()) else {
            continue;
        };
        let options =
            crate::js::object(&[("startTime", JsValue::from_f64((at - origin).max(0.0)))]);
        let _ = mark.call2(
            &performance,
            &JsValue::from_str(&format!("cdot-triage:{name}")),
            &options,
        );
    }
}

/// Nothing, outside a bench build.
#[cfg(not(feature = "marks"))]
#[inline(always)]
pub fn replay(_marks: &wasm_bindgen::JsValue) {}
