//! Mailgun's Events API and Suppressions API: the requests the popup makes with the engineer's
//! API key, and what the answers mean.
//!
//! The key goes in an `Authorization: Basic` header (user `api`) to the region's API host
//! only: [`may_send_key`] is checked for every URL, including each `paging.next` the API
//! returns, so a response can never redirect the key elsewhere.

use crate::core::mail::json::Json;
use crate::core::mail::shown_time::parse_shown_time;
use crate::core::mail::{SuppressionEntry, SuppressionList};
use crate::core::settings::Settings;
use crate::core::time::UtcTime;

/// Items per Events API page (Mailgun's maximum).
pub const PAGE_LIMIT: u32 = 300;

/// Pages followed per domain at most: 20 × 300 events to one address is far more than a
/// reset problem needs, and a bound on a look-up that would otherwise page forever.
pub const MAX_PAGES: usize = 20;

/// The Events API's first page for one recipient on one domain over the reset window,
/// newest first (`begin` later than `end`): if paging stops at [`MAX_PAGES`], what is missing
/// is the oldest, and the latest events, which decide the diagnosis, are all read.
///
/// Built by the URL parser ([`crate::core::url::https_api`]): the domain is one path segment
/// and the recipient one query value, whatever they hold. "" when the domain cannot be a path
/// segment (empty, `.`, `..`): [`may_send_key`] refuses it, so nothing is sent.
pub fn events_url(settings: &Settings, domain: &str, recipient: &str, now: UtcTime) -> String {
    let end = now.0 - settings.reset_window_secs();
    crate::core::url::https_api(
        settings.mailgun_region.api_host(),
        &["v3", domain, "events"],
        &[
            ("recipient", recipient),
            ("begin", &now.0.to_string()),
            ("end", &end.to_string()),
            ("ascending", "no"),
            ("limit", &PAGE_LIMIT.to_string()),
        ],
    )
    .unwrap_or_default()
}

/// The suppression list's entry for the address: 200 with the entry, 404 when not listed.
/// The domain and the address are one path segment each, whatever they hold; `None` for the
/// unknown list, or a domain or address that cannot be a path segment (empty, `.`, `..`).
pub fn suppression_url(
    settings: &Settings,
    domain: &str,
    list: SuppressionList,
    address: &str,
) -> Option<String> {
    crate::core::url::https_api(
        settings.mailgun_region.api_host(),
        &["v3", domain, list_path(list)?, address],
        &[],
    )
}

/// The three lists the Suppressions API has.
pub const LISTS: [SuppressionList; 3] = [
    SuppressionList::Bounce,
    SuppressionList::Unsubscribe,
    SuppressionList::Complaint,
];

fn list_path(list: SuppressionList) -> Option<&'static str> {
    match list {
        SuppressionList::Bounce => Some("bounces"),
        SuppressionList::Unsubscribe => Some("unsubscribes"),
        SuppressionList::Complaint => Some("complaints"),
        SuppressionList::Unknown => None,
    }
}

/// Whether the API key may be sent to `url`: https, the configured region's API host exactly,
/// a `/v3/` path, no credentials or port in the authority.
pub fn may_send_key(settings: &Settings, url: &str) -> bool {
    crate::core::url::is_page_of(url, settings.mailgun_region.api_host(), "/v3/")
}

/// The `Authorization` header value for the key (HTTP Basic, user `api`).
pub fn basic_auth(api_key: &str) -> String {
    format!(
        "Basic {}",
        base64(format!("api:{}", api_key.trim()).as_bytes())
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..4 {
            let sextet = (n >> (18 - 6 * i) & 63) as usize;
            if let Some(&c) = ALPHABET.get(sextet).filter(|_| i <= chunk.len()) {
                out.push(char::from(c));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A key as the options page may show it: never the key, only that one is saved and how long.
pub fn masked(api_key: &str) -> String {
    match api_key.trim().chars().count() {
        0 => "No key saved".into(),
        n => format!("A key is saved ({n} characters, hidden)"),
    }
}

/// Reads a 200 answer of the Suppressions API. `Err`: not the entry JSON (said plainly).
pub fn parse_suppression(value: &Json) -> Result<SuppressionEntry, String> {
    if !matches!(value, Json::Object(_)) {
        return Err(format!(
            "Mailgun answered with {} instead of a suppression entry.",
            value.type_name()
        ));
    }
    let text = |name: &str| {
        value.get(name).and_then(|v| match v {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Number(n) => Some(format_code(*n)),
            _ => None,
        })
    };
    if value.get("address").is_none() && text("created_at").is_none() {
        return Err("Mailgun's answer has neither an address nor a date.".into());
    }
    let created_shown = text("created_at");
    let created_at = created_shown
        .as_deref()
        .and_then(parse_shown_time)
        .and_then(|t| match t.zone {
            crate::core::mail::shown_time::ShownZone::NotShown => None,
            _ => Some(t.to_utc(&|_| None).0),
        });
    Ok(SuppressionEntry {
        code: text("code"),
        error: text("error"),
        created_at,
        created_shown,
    })
}

fn format_code(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e9 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A 404 from the Suppressions API means "not on this list" (`Address not found in bounces
/// table`), unless Mailgun says the domain itself is unknown (`Domain not found: …`), which is
/// a failure, not a clean bill.
pub fn not_listed(answer_text: &str) -> bool {
    !answer_text
        .to_ascii_lowercase()
        .contains("domain not found")
}

/// The Mailgun web app's Suppressions page (read-only: the extension never removes entries).
pub fn suppressions_page_url(settings: &Settings, domain: &str) -> String {
    crate::core::url::https(
        &settings.mailgun_app_host,
        &["app", "sending", "domains", domain, "suppressions"],
        &[],
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::Region;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn builds_events_and_suppression_requests() {
        let mut s = Settings::default();
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        assert_eq!(
            events_url(&s, "customers.gitlab.com", "first+tag@example.com", now),
            format!(
                "https://api.mailgun.net/v3/customers.gitlab.com/events?recipient=first%2Btag%40example.com&begin={}&end={}&ascending=no&limit=300",
                now.0,
                now.0 - 30 * 86_400
            )
        );
        s.mailgun_region = Region::Eu;
        assert_eq!(
            suppression_url(&s, "mg.gitlab.com", SuppressionList::Bounce, "a@b.co").as_deref(),
            Some("https://api.eu.mailgun.net/v3/mg.gitlab.com/bounces/a%40b.co")
        );
        assert_eq!(
            suppression_url(&s, "mg.gitlab.com", SuppressionList::Complaint, "a@b.co").as_deref(),
            Some("https://api.eu.mailgun.net/v3/mg.gitlab.com/complaints/a%40b.co")
        );
        assert_eq!(
            suppression_url(&s, "mg.gitlab.com", SuppressionList::Unknown, "a@b.co"),
            None
        );
    }

    /// The path segments of a URL, percent-decoded, and its query pairs.
    fn parts(url: &str) -> (Vec<String>, Vec<(String, String)>) {
        let parsed = url::Url::parse(url).unwrap();
        let segments = parsed
            .path_segments()
            .unwrap()
            // Our segments never hold a `+` (it is `%2B`): form decoding is percent decoding.
            .map(|s| {
                assert!(!s.contains('+'), "{s}");
                crate::core::url::decode_component(s)
            })
            .collect();
        let query = parsed
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        (segments, query)
    }

    const HOSTILE: [&str; 12] = [
        "a/b",
        "a?b",
        "a#b",
        "a%b",
        "a%2e%2e",
        "%2e%2e",
        "a b",
        "a@b",
        "../../v4/x",
        "a&limit=1&recipient=b",
        "jane doe/../@evil.example?x=1#y",
        "é@ü.example",
    ];

    #[test]
    fn hostile_domains_and_addresses_stay_one_segment_or_one_value() {
        let s = Settings::default();
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        for text in HOSTILE {
            let url = events_url(&s, text, text, now);
            assert!(may_send_key(&s, &url), "{text:?}: {url}");
            let (segments, query) = parts(&url);
            assert_eq!(segments, ["v3", text, "events"], "{url}");
            let begin = now.0.to_string();
            let end = (now.0 - 30 * 86_400).to_string();
            let expected: Vec<(String, String)> = [
                ("recipient", text),
                ("begin", begin.as_str()),
                ("end", end.as_str()),
                ("ascending", "no"),
                ("limit", "300"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            assert_eq!(query, expected, "{url}");
            assert!(!url.contains('#'), "{url}");

            for list in LISTS {
                let url = suppression_url(&s, text, list, text).unwrap();
                assert!(may_send_key(&s, &url), "{text:?}: {url}");
                let (segments, query) = parts(&url);
                assert_eq!(segments, ["v3", text, list_path(list).unwrap(), text]);
                assert!(query.is_empty(), "{url}");
                assert!(!url.contains(['?', '#']), "{url}");
            }
        }
        assert_eq!(
            events_url(&s, "a/b", "x y@z.co", now),
            format!(
                "https://api.mailgun.net/v3/a%2Fb/events?recipient=x+y%40z.co&begin={}&end={}&ascending=no&limit=300",
                now.0,
                now.0 - 30 * 86_400
            )
        );
        assert_eq!(
            suppression_url(
                &s,
                "mg.gitlab.com",
                SuppressionList::Bounce,
                "a/b?c#d%e f@g.co"
            )
            .as_deref(),
            Some("https://api.mailgun.net/v3/mg.gitlab.com/bounces/a%2Fb%3Fc%23d%25e%20f%40g.co")
        );
    }

    #[test]
    fn a_domain_or_address_that_is_no_segment_makes_no_request() {
        let s = Settings::default();
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        for text in ["", ".", ".."] {
            assert_eq!(events_url(&s, text, "a@b.co", now), "", "{text:?}");
            assert!(!may_send_key(&s, &events_url(&s, text, "a@b.co", now)));
            for list in LISTS {
                assert_eq!(suppression_url(&s, text, list, "a@b.co"), None, "{text:?}");
                assert_eq!(
                    suppression_url(&s, "mg.gitlab.com", list, text),
                    None,
                    "{text:?}"
                );
            }
        }
        // A recipient is a query value: any text is one.
        assert!(may_send_key(
            &s,
            &events_url(&s, "mg.gitlab.com", "..", now)
        ));
    }

    #[test]
    fn the_key_goes_to_the_region_api_host_only() {
        let s = Settings::default();
        assert!(may_send_key(
            &s,
            "https://api.mailgun.net/v3/customers.gitlab.com/events/W3siYSI6IGZhbHNl"
        ));
        for url in [
            "http://api.mailgun.net/v3/x/events",
            "https://api.eu.mailgun.net/v3/x/events",
            "https://api.mailgun.net.evil.example/v3/x/events",
            "https://evil.example/v3/api.mailgun.net/",
            "https://user:pw@api.mailgun.net/v3/x",
            "https://api.mailgun.net:444/v3/x",
            "https://api.mailgun.net/v4/x",
            "https://evil.example\\@api.mailgun.net/v3/x/events",
            "https://api.mailgun.net\\@evil.example/v3/x/events",
            "https://api.mailgun.net/v3/../v4/x",
            "https://api.mailgun.net@evil.example/v3/x",
            "https://api.mailgun.net",
            "",
        ] {
            assert!(!may_send_key(&s, url), "{url}");
        }
    }

    #[test]
    fn basic_auth_is_rfc_7617() {
        // base64("api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0")
        assert_eq!(
            basic_auth(" key-3ax6xnjp29jd6fds4gc373sgvjxteol0 "),
            "Basic YXBpOmtleS0zYXg2eG5qcDI5amQ2ZmRzNGdjMzczc2d2anh0ZW9sMA=="
        );
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn a_404_is_not_listed_unless_the_domain_is_unknown() {
        assert!(not_listed(
            r#"{"message":"Address not found in bounces table"}"#
        ));
        assert!(not_listed(""));
        assert!(!not_listed(
            r#"{"message":"Domain not found: mg.example.org"}"#
        ));
    }

    #[test]
    fn masks_the_key() {
        assert_eq!(masked(""), "No key saved");
        let shown = masked("key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
        assert!(!shown.contains("3ax6"), "{shown}");
        assert_eq!(shown, "A key is saved (36 characters, hidden)");
    }

    #[test]
    fn reads_suppression_entries() {
        let entry = parse_suppression(&json(
            r#"{"address":"jane@example.com","code":"550","error":"No such mailbox","created_at":"Fri, 20 Nov 2026 11:02:55 UTC"}"#,
        ))
        .unwrap();
        assert_eq!(entry.code.as_deref(), Some("550"));
        assert_eq!(entry.error.as_deref(), Some("No such mailbox"));
        assert_eq!(
            entry.created_at,
            Some(UtcTime::from_civil(2026, 11, 20, 11, 2, 55))
        );
        let numeric = parse_suppression(&json(
            r#"{"address":"jane@example.com","code":550,"created_at":"Fri, 20 Nov 2026 11:02:55 GMT"}"#,
        ))
        .unwrap();
        assert_eq!(numeric.code.as_deref(), Some("550"));
        assert_eq!(numeric.error, None);
        let odd_date =
            parse_suppression(&json(r#"{"address":"a@b.co","created_at":"yesterday"}"#)).unwrap();
        assert_eq!(odd_date.created_at, None);
        assert_eq!(odd_date.created_shown.as_deref(), Some("yesterday"));
        assert!(parse_suppression(&json("[]")).is_err());
        assert!(parse_suppression(&json(r#"{"message":"hi"}"#)).is_err());
    }
}
