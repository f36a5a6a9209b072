//! Readers: a page's markup in, core types out. This is the only place in the code that
//! knows a CSS selector.
//!
//! The markup is parsed here ([`crate::core::html`]), never by the browser: the page's markup
//! stays data (nothing in it is created, run or loaded) and the readers are pure functions,
//! tested natively on every fixture page. A snapshot's live form values (what the engineer
//! sees in a form, which markup does not carry) are written over the served ones first
//! ([`Snapshot::document`]).

pub mod gitlab_com;
pub mod mailgun;
pub mod railsadmin;

use crate::core::html::{self, Document, Node};
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;

/// The browser's offset (minutes east of UTC) at a wall-clock time: times the web app shows
/// without a zone are the browser's local time (see `core::mail::shown_time`). The frame
/// passes the browser's; native tests a fixed one.
pub type LocalOffset<'a> = &'a dyn Fn(UtcTime) -> Option<i32>;

/// Reads a page of any site the extension runs on.
pub fn read_page(
    doc: &Document,
    url: &str,
    settings: &Settings,
    local_offset: LocalOffset,
) -> PageReading {
    let (host, path) = crate::core::url::host_and_path(url).unwrap_or_default();
    if host.eq_ignore_ascii_case(&settings.admin_host) && path.starts_with("/admin") {
        railsadmin::read(doc, url, &path, settings)
    } else if host.eq_ignore_ascii_case(&settings.mailgun_app_host) {
        PageReading::Mailgun(mailgun::read(doc, url, settings, local_offset))
    } else if host.eq_ignore_ascii_case(crate::core::gitlab_com::HOST) {
        gitlab_com::read(doc, url, &path)
    } else {
        PageReading::Unreadable {
            url: url.to_string(),
            reason: format!("{host} is not a site cdot-triage reads."),
        }
    }
}

/// What the content script sends of a page: its URL, its markup, and the live values of its
/// form controls.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub url: String,
    pub html: String,
    pub inputs: Vec<InputValue>,
}

/// A form control's live value, which `outerHTML` does not carry (a search box filled by the
/// page's scripts keeps its value in a property, not the attribute).
#[derive(Debug, Clone, PartialEq)]
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

/// Where the snapshot keeps a form control's markup value (or `"checked"` / `""`) when it
/// writes the live one over it.
pub const SAVED_ATTRIBUTE: &str = "data-cdot-saved";

impl Snapshot {
    /// The page as the engineer sees it: the markup parsed and live form values written over
    /// the served ones (kept in [`SAVED_ATTRIBUTE`]). The content script serialises the page
    /// without the banner's own host element (it leaves out that very element, not whatever
    /// carries its id), so nothing is removed here: an element of the page with the host's id
    /// is the page's, and is read.
    pub fn document(&self) -> Document {
        let mut doc = html::parse(&self.html);
        apply_inputs(&mut doc, &self.inputs);
        doc
    }

    /// Reads the snapshot.
    pub fn read(&self, settings: &Settings, local_offset: LocalOffset) -> PageReading {
        read_page(&self.document(), &self.url, settings, local_offset)
    }
}

fn apply_inputs(doc: &mut Document, inputs: &[InputValue]) {
    if inputs.is_empty() {
        return;
    }
    // In document order, as `document.querySelectorAll` counts them (a shadow root's
    // controls are in its template's contents, not in the page, here as there).
    let controls: Vec<html::NodeId> = doc
        .select_all("input, select, textarea")
        .iter()
        .map(Node::id)
        .collect();
    for input in inputs {
        let Some(&id) = controls.get(input.index as usize) else {
            continue;
        };
        let Some(el) = doc.node(id) else {
            continue;
        };
        let same = el.tag().is_some_and(|t| t.eq_ignore_ascii_case(&input.tag))
            && el.attr("name").unwrap_or_default() == input.name;
        if !same {
            continue;
        }
        if let Some(checked) = input.checked {
            let saved = if el.has_attr("checked") {
                "checked"
            } else {
                ""
            };
            doc.set_attribute(id, SAVED_ATTRIBUTE, saved);
            if checked {
                doc.set_attribute(id, "checked", "");
            } else {
                doc.remove_attribute(id, "checked");
            }
        } else if el.is("select") {
            let options: Vec<(html::NodeId, bool)> = el
                .select_all("option")
                .iter()
                .map(|o| {
                    let value = o
                        .attr("value")
                        .map_or_else(|| o.text_content(), str::to_string);
                    (o.id(), value == input.value)
                })
                .collect();
            for (option, selected) in options {
                if selected {
                    doc.set_attribute(option, "selected", "");
                } else {
                    doc.remove_attribute(option, "selected");
                }
            }
        } else {
            let saved = el.attr("value").unwrap_or_default().to_string();
            doc.set_attribute(id, SAVED_ATTRIBUTE, &saved);
            doc.set_attribute(id, "value", &input.value);
        }
    }
}

// -- small helpers shared by the readers ---------------------------------------------------

/// The part of a class list before a suffix, e.g. `confirmed_at` from `confirmed_at_field`.
pub fn class_with_suffix(el: &Node<'_>, suffix: &str) -> Option<String> {
    el.classes().find_map(|c| {
        c.strip_suffix(suffix)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    })
}

/// The control's value as the page was served (the saved record on an Edit form), not what
/// the engineer may be typing.
pub fn served_value(el: &Node<'_>) -> Option<String> {
    el.attr(SAVED_ATTRIBUTE)
        .or_else(|| el.attr("value"))
        .map(str::to_string)
}

/// Whether a checkbox was checked as the page was served.
pub fn served_checked(el: &Node<'_>) -> bool {
    match el.attr(SAVED_ATTRIBUTE) {
        Some(saved) => saved == "checked",
        None => el.has_attr("checked"),
    }
}

#[cfg(test)]
mod tests;
