//! Readers: a `web_sys::Document` (a page snapshot, or a page fetched later by the popup) in,
//! core types out. This is the only place in the code that knows a CSS selector.

pub mod dom;
pub mod domparser;
pub mod mailgun;
pub mod railsadmin;

use crate::core::page::PageReading;
use crate::core::settings::Settings;
use web_sys::Document;

/// Reads a page of any site the extension runs on.
pub fn read_page(doc: &Document, url: &str, settings: &Settings) -> PageReading {
    let (host, path) = crate::core::url::host_and_path(url).unwrap_or_default();
    if host.eq_ignore_ascii_case(&settings.admin_host) && path.starts_with("/admin") {
        railsadmin::read(doc, url, &path, settings)
    } else if host.eq_ignore_ascii_case(&settings.mailgun_app_host) {
        PageReading::Mailgun(mailgun::read(doc, url, settings))
    } else {
        PageReading::Unreadable {
            url: url.to_string(),
            reason: format!("{host} is not a site cdot-triage reads."),
        }
    }
}
