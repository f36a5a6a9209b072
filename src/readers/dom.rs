//! Small, fallible DOM helpers shared by the readers. Page markup is never trusted: every
//! look-up returns an Option and text is read with `textContent`, never as HTML.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element, NodeList};

/// What can be queried with selectors: a Document or an Element.
pub trait Root {
    fn query_one(&self, selector: &str) -> Result<Option<Element>, JsValue>;
    fn query_all(&self, selector: &str) -> Result<NodeList, JsValue>;
}

impl Root for Document {
    fn query_one(&self, selector: &str) -> Result<Option<Element>, JsValue> {
        self.query_selector(selector)
    }
    fn query_all(&self, selector: &str) -> Result<NodeList, JsValue> {
        self.query_selector_all(selector)
    }
}

impl Root for Element {
    fn query_one(&self, selector: &str) -> Result<Option<Element>, JsValue> {
        self.query_selector(selector)
    }
    fn query_all(&self, selector: &str) -> Result<NodeList, JsValue> {
        self.query_selector_all(selector)
    }
}

pub fn select(root: &impl Root, selector: &str) -> Option<Element> {
    root.query_one(selector).ok().flatten()
}

pub fn select_all(root: &impl Root, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_all(selector) else {
        return Vec::new();
    };
    // Selectors match elements only: no `instanceof` check (a call into JS) per item.
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(wasm_bindgen::JsCast::unchecked_into::<Element>)
        .collect()
}

/// The element's text with runs of white space folded to one space and trimmed (ERB and HAML
/// leave newlines and indentation around labels and values).
pub fn text(el: &Element) -> String {
    fold_whitespace(&el.text_content().unwrap_or_default())
}

pub fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn classes(el: &Element) -> Vec<String> {
    el.get_attribute("class")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

pub fn has_class(el: &Element, class: &str) -> bool {
    el.class_list().contains(class)
}

/// The part of a class list before a suffix, e.g. `confirmed_at` from `confirmed_at_field`.
pub fn class_with_suffix(el: &Element, suffix: &str) -> Option<String> {
    classes(el).into_iter().find_map(|c| {
        c.strip_suffix(suffix)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    })
}

/// Where the snapshot keeps a form control's markup value (or `"checked"` / `""`) when it
/// writes the live one over it (see `crate::frame::snapshot`).
pub const SAVED_ATTRIBUTE: &str = "data-cdot-saved";

/// The control's value as the page was served (the saved record on an Edit form), not what
/// the engineer may be typing.
pub fn served_value(el: &Element) -> Option<String> {
    el.get_attribute(SAVED_ATTRIBUTE)
        .or_else(|| el.get_attribute("value"))
}

/// Whether a checkbox was checked as the page was served.
pub fn served_checked(el: &Element) -> bool {
    match el.get_attribute(SAVED_ATTRIBUTE) {
        Some(saved) => saved == "checked",
        None => el.has_attribute("checked"),
    }
}
