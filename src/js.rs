//! Plain JS values in and out of the module.
//!
//! - The banner frame's module: without serde-wasm-bindgen. The frame's messages are a
//!   handful of flat fields, read and written with `Reflect`; the few serde types it receives
//!   whole (the settings) go through JSON text ([`from_js`]). The generic (de)serializer was
//!   about a third of its `.wasm` (issue #8).
//! - The pages' module (feature `pages`: the popup, the options page): typed values (settings,
//!   recent searches, the store's records) cross with serde-wasm-bindgen ([`typed`],
//!   [`plain`]). Sizes for both are in docs/performance.md.
//! - The pages' helpers come last here: the banner's `.wasm` holds this file's line numbers
//!   (`spawn_local`'s caller), so a line added above them changes its bytes.

use crate::core::mail::json::Json;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The document of the extension page this module runs in (the banner frame, the popup, the
/// options page).
pub fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("cdot-triage: no document"))
}

/// A member of a JS object (undefined when it is not an object or has no such member).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string member.
pub fn get_string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

/// A member that is a whole number from 0 to `u32::MAX` (None for anything else).
pub fn get_u32(value: &JsValue, key: &str) -> Option<u32> {
    get(value, key)
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))
        .map(|n| n as u32)
}

/// A plain object with these members.
pub fn object(members: &[(&str, JsValue)]) -> JsValue {
    let out = Object::new();
    for (key, value) in members {
        let _ = Reflect::set(&out, &JsValue::from_str(key), value);
    }
    out.into()
}

/// A value `JSON.parse` returned, as the lenient tree (objects keep their keys' order).
pub fn json_from_js(value: &JsValue) -> Json {
    if let Some(s) = value.as_string() {
        Json::String(s)
    } else if let Some(n) = value.as_f64() {
        Json::Number(n)
    } else if let Some(b) = value.as_bool() {
        Json::Bool(b)
    } else if Array::is_array(value) {
        Json::Array(
            value
                .unchecked_ref::<Array>()
                .iter()
                .map(|v| json_from_js(&v))
                .collect(),
        )
    } else if value.is_object() {
        let members = Object::entries(value.unchecked_ref::<Object>())
            .iter()
            .filter_map(|entry| {
                let entry: Array = entry.unchecked_into();
                Some((entry.get(0).as_string()?, json_from_js(&entry.get(1))))
            })
            .collect();
        Json::Object(members)
    } else {
        Json::Null
    }
}

/// A JS value (from storage: settings, recent searches) read through its JSON text, for the
/// few serde types that cross as whole objects. `None` when it is not that type.
pub fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Option<T> {
    if value.is_undefined() || value.is_null() {
        return None;
    }
    let text = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// Lets a store or storage call finish in the background. It is still awaited: a rejection
/// nobody handles would reach `unhandledrejection`, which the banner treats as a failure.
pub fn settle(promise: Result<js_sys::Promise, JsValue>) {
    if let Ok(promise) = promise {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// Waits `ms` milliseconds (a `setTimeout`); at once where there is no window.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until the browser is idle (after the next paint in a visible tab), `timeout_ms` at
/// the most (a background tab is seldom idle); a `setTimeout` where there is no
/// `requestIdleCallback`.
pub async fn idle(timeout_ms: i32) {
    let global = js_sys::global();
    let request = Reflect::get(&global, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else {
        return sleep(0).await;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let options = object(&[("timeout", timeout_ms.into())]);
        if request.call2(&global, &resolve, &options).is_err() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether a call that returns a promise was made and resolved.
pub async fn resolves(promise: Result<js_sys::Promise, JsValue>) -> bool {
    match promise {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// The browser's offset (minutes east of UTC) at a wall-clock time: the readers take times
/// shown without a zone as the browser's local time (`core::readers::LocalOffset`).
pub fn browser_local_offset(wall: crate::core::time::UtcTime) -> Option<i32> {
    let (y, mo, d, h, mi, s) = wall.to_civil();
    let year = u32::try_from(y).ok()?;
    let local = js_sys::Date::new_with_year_month_day_hr_min_sec(
        year,
        mo as i32 - 1,
        d as i32,
        h as i32,
        mi as i32,
        s as i32,
    );
    let utc_ms = local.get_time();
    if !utc_ms.is_finite() {
        return None;
    }
    let offset_secs = wall.0 - crate::core::time::UtcTime::from_millis(utc_ms).0;
    i32::try_from(offset_secs / 60).ok()
}

/// Elements under `root` matching `selector` (the extension's own markup: the banner).
pub fn select_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(wasm_bindgen::JsCast::unchecked_into::<web_sys::Element>)
        .collect()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's `TextEncoder`, with `encodeInto` taking a JS string as it is (web-sys's
    /// takes a Rust `&str`, which would have crossed once already).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    /// Writes into `dest`, a view of the module's memory; `{read, written}`.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, source: &js_sys::JsString, dest: &mut [u8]) -> JsValue;
}

/// A JS string as UTF-8 in the module's memory, written there by the browser's encoder in one
/// pass, as content.js writes a snapshot's bytes: the bench entries' route for a page's markup
/// (src/bench.rs). `String::from(&JsString)` first copies the string's ASCII head a character
/// at a time in JS, then encodes the rest after a copy of it: on an 8 MB page that route took
/// about twice as long (docs/performance.md). A lone surrogate becomes U+FFFD, as it does
/// there. (The banner's snapshots arrive as bytes; one sent as text, as tests send them, is
/// read the plain way, which keeps this out of the shipped module.)
pub fn utf8_of(text: &js_sys::JsString) -> String {
    let units = text.length() as usize;
    let encoder = Utf8Encoder::new();
    // Room for mostly ASCII text first; what does not fit is encoded after, with room for
    // its worst case (three bytes a UTF-16 unit).
    let mut bytes = vec![0u8; units + units / 16 + 16];
    let done = encoder.encode_into(text, &mut bytes);
    let (mut read, mut written) = (get_u32(&done, "read"), get_u32(&done, "written"));
    if read.is_some_and(|r| (r as usize) < units) {
        let rest = text.slice(read.unwrap_or_default(), text.length());
        let at = written.unwrap_or_default() as usize;
        bytes.resize(at + rest.length() as usize * 3, 0);
        let more = encoder.encode_into(&rest, &mut bytes[at..]);
        read = read.zip(get_u32(&more, "read")).map(|(a, b)| a + b);
        written = get_u32(&more, "written").map(|w| at as u32 + w);
    }
    match (read, written) {
        (Some(read), Some(written)) if read as usize == units => {
            bytes.truncate(written as usize);
            String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
        }
        // Not a browser's encoder: the string the long way.
        _ => String::from(text),
    }
}

/// A JS value (from storage or the background: settings, recent searches, a record) as a
/// serde type, read directly (serde-wasm-bindgen). `None` when it is absent or not that type.
#[cfg(feature = "pages")]
pub fn typed<T: serde::de::DeserializeOwned>(value: &JsValue) -> Option<T> {
    if value.is_undefined() || value.is_null() {
        return None;
    }
    serde_wasm_bindgen::from_value(value.clone()).ok()
}

/// A serde value as the plain JS value `JSON.parse` would give for its JSON (objects, not
/// `Map`s; numbers, not `BigInt`s; `None` as `null`), which `storage.local` and the background
/// keep as they are.
#[cfg(feature = "pages")]
pub fn plain<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}
