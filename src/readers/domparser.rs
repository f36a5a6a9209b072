//! The page snapshot the content script sends, and turning it into an inert Document.

use crate::js;
use crate::readers::dom::SAVED_ATTRIBUTE;
// The old path, kept only for tests/reader_identity.rs until the DOM readers go.
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

#[wasm_bindgen]
extern "C" {
    /// `DOMParser`, whose `parseFromString` here takes the JS string as it is: the page's
    /// markup (8 MB on a 10,000-row page) is never copied into the module and back.
    #[wasm_bindgen(js_name = DOMParser)]
    type Parser;
    #[wasm_bindgen(constructor, catch, js_class = "DOMParser")]
    fn new() -> Result<Parser, JsValue>;
    #[wasm_bindgen(method, catch, js_class = "DOMParser", js_name = parseFromString)]
    fn parse(this: &Parser, html: &JsString, kind: &str) -> Result<Document, JsValue>;
}

/// Parses markup with `DOMParser` into an inert Document, the page's inline event handler
/// attributes renamed first (`core::markup::defuse_handlers`): Chrome checks each one against
/// this frame's CSP as the parser creates it, so the page's handlers would otherwise be
/// created, and reported, in the extension's own document.
///
/// Markup with nothing that could be a handler attribute (most pages: React and RailsAdmin 3
/// write none) is not copied into the module at all: the browser's own regular expression
/// engine looks for one first, on the JS string as it is.
pub fn parse_html(html: &JsString) -> Result<Document, JsValue> {
    let parser = Parser::new()?;
    if !may_have_handlers(html) {
        return parser.parse(html, "text/html");
    }
    match crate::core::markup::defuse_handlers(&String::from(html)) {
        Some(defused) => parser.parse(&JsString::from(defused), "text/html"),
        None => parser.parse(html, "text/html"),
    }
}

/// Whether the markup has something like ` onclick=` (a handler attribute has a value, and
/// follows white space, a quote or a slash): a superset of what
/// `core::markup::defuse_handlers` renames. Any doubt (no RegExp) says yes.
fn may_have_handlers(html: &JsString) -> bool {
    let pattern = js_sys::RegExp::new(r#"[\s"'/]on[a-z]+\s*="#, "i");
    js_sys::Reflect::get(&pattern, &"test".into())
        .ok()
        .and_then(|test| test.dyn_into::<js_sys::Function>().ok())
        .and_then(|test| test.call1(&pattern, html).ok())
        .is_none_or(|found| found.is_truthy())
}

pub struct Snapshot {
    pub url: String,
    /// The page's markup, left a JS string (see [`parse_html`]).
    pub html: JsString,
    /// Live values of form controls, which `outerHTML` does not carry (a search box filled by
    /// the page's scripts keeps its value in a property, not the attribute).
    pub inputs: Vec<InputValue>,
}

impl Snapshot {
    /// The content script's `{ type: "snapshot", url, html, inputs }`; `None` for anything
    /// else (`inputs` may be missing; a malformed entry rejects the message).
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
                        index: js::get(&i, "index")
                            .as_f64()
                            .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= u32::MAX as f64)?
                            as u32,
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
            html: js::get(data, "html").dyn_into::<JsString>().ok()?,
            inputs,
        })
    }
}

pub struct InputValue {
    /// Position among `input, select, textarea` in document order.
    pub index: u32,
    /// Tag name, upper case, to check the position still points at the same control.
    pub tag: String,
    pub name: String,
    pub value: String,
    /// For checkboxes and radio buttons: whether it is checked now.
    pub checked: Option<bool>,
}

/// Parses the snapshot with `DOMParser`: the result has no browsing context, so no script in
/// it runs and nothing it references loads. Our own host element is removed, and live form
/// values are written back as attributes so readers see what the engineer sees; the markup's
/// own value is kept in [`SAVED_ATTRIBUTE`] (`"checked"` / `""` for checkboxes).
pub fn to_document(snap: &Snapshot) -> Result<Document, JsValue> {
    let doc = parse_html(&snap.html)?;
    if let Some(host) = doc.get_element_by_id("cdot-triage-host") {
        host.remove();
    }
    let controls = doc.query_selector_all("input, select, textarea")?;
    for input in &snap.inputs {
        let Some(el) = controls
            .item(input.index)
            .and_then(|n| n.dyn_into::<Element>().ok())
        else {
            continue;
        };
        let same = el.tag_name() == input.tag
            && el.get_attribute("name").unwrap_or_default() == input.name;
        if !same {
            continue;
        }
        if let Some(checked) = input.checked {
            let saved = if el.has_attribute("checked") {
                "checked"
            } else {
                ""
            };
            el.set_attribute(SAVED_ATTRIBUTE, saved)?;
            if checked {
                el.set_attribute("checked", "")?;
            } else {
                el.remove_attribute("checked")?;
            }
        } else if input.tag == "SELECT" {
            for option in crate::readers::dom::select_all(&el, "option") {
                let value = option
                    .get_attribute("value")
                    .unwrap_or_else(|| option.text_content().unwrap_or_default());
                if value == input.value {
                    option.set_attribute("selected", "")?;
                } else {
                    option.remove_attribute("selected")?;
                }
            }
        } else {
            let saved = el.get_attribute("value").unwrap_or_default();
            el.set_attribute(SAVED_ATTRIBUTE, &saved)?;
            el.set_attribute("value", &input.value)?;
        }
    }
    Ok(doc)
}
