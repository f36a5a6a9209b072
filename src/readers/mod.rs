//! Readers: a `web_sys::Document` (a page snapshot, or a page fetched later by the popup) in,
//! core types out. This is the only place in the code that knows a CSS selector.

pub mod dom;
pub mod railsadmin;

use crate::core::account::PageReading;
use crate::core::settings::Settings;
use web_sys::Document;

/// Reads a page of any site the extension runs on.
pub fn read_page(doc: &Document, url: &str, settings: &Settings) -> PageReading {
    let (host, path) = split_url(url);
    if host.eq_ignore_ascii_case(&settings.admin_host) && path.starts_with("/admin") {
        railsadmin::read(doc, url, path)
    } else if host.eq_ignore_ascii_case(&settings.mailgun_app_host) {
        PageReading::Unreadable {
            url: url.to_string(),
            reason: "Mailgun log pages are not read yet.".into(),
        }
    } else {
        PageReading::Unreadable {
            url: url.to_string(),
            reason: format!("{host} is not a site cdot-triage reads."),
        }
    }
}

/// ("host", "/path?query") of an absolute http(s) URL; ("", "") for anything else.
fn split_url(url: &str) -> (&str, &str) {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return ("", "");
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    (host, &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn splits_urls() {
        assert_eq!(
            split_url("https://customers.gitlab.com/admin/customer/1?x#y"),
            ("customers.gitlab.com", "/admin/customer/1?x#y")
        );
        assert_eq!(
            split_url("https://customers.gitlab.com:443"),
            ("customers.gitlab.com", "")
        );
        assert_eq!(split_url("javascript:alert(1)"), ("", ""));
    }
}
