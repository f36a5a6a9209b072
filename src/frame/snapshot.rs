//! The page snapshot the content script sends, taken over into the core's
//! [`Snapshot`](crate::core::readers::Snapshot): the markup is read in Rust
//! (`core::readers`), never parsed by the browser, so nothing of the page is created in the
//! extension's frame.

use crate::core::readers::{InputValue, Snapshot};
use crate::js;
use wasm_bindgen::prelude::*;

/// The content script's `{ type: "snapshot", url, html, inputs }`; `None` for anything else
/// (`inputs` may be missing; a malformed entry rejects the message). The markup may come as
/// `bytes` instead of `html`: its UTF-8 in an `ArrayBuffer` (the content script transfers it,
/// and the frame transfers it on to its reader: no copy of a page's megabytes of text on the
/// way). Invalid UTF-8 is read as U+FFFD, as a decoder would.
pub fn from_message(data: &JsValue) -> Option<Snapshot> {
    if js::get_string(data, "type")? != "snapshot" {
        return None;
    }
    let inputs = js::get(data, "inputs");
    let inputs = if inputs.is_undefined() || inputs.is_null() {
        Vec::new()
    } else {
        if !js_sys::Array::is_array(&inputs) {
            return None;
        }
        js_sys::Array::from(&inputs)
            .iter()
            .map(|i| {
                let checked = js::get(&i, "checked");
                Some(InputValue {
                    index: js::get_u32(&i, "index")?,
                    tag: js::get_string(&i, "tag")?,
                    name: js::get_string(&i, "name")?,
                    value: js::get_string(&i, "value")?,
                    checked: if checked.is_undefined() || checked.is_null() {
                        None
                    } else {
                        Some(checked.as_bool()?)
                    },
                })
            })
            .collect::<Option<Vec<_>>>()?
    };
    Some(Snapshot {
        url: js::get_string(data, "url")?,
        // The markup crosses into the module's memory here, once.
        html: markup(data)?,
        inputs,
    })
}

/// The snapshot's markup: `html` text, else `bytes` (UTF-8 in an `ArrayBuffer`).
fn markup(data: &JsValue) -> Option<String> {
    if let Some(html) = js::get(data, "html").as_string() {
        return Some(html);
    }
    let bytes = js::get(data, "bytes")
        .dyn_into::<js_sys::ArrayBuffer>()
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}
