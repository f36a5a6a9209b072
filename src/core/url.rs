//! Every URL the extension reads, builds or follows goes through one WHATWG URL parser (the
//! `url` crate, which browsers' `URL` agrees with): nothing here splits a URL by hand.
//! `tests/urls_vs_browser.rs` checks [`absolute`] against the browser's own `URL` on
//! generated inputs.
//!
//! Internationalised host names are refused (the parser is built without IDNA tables: see
//! Cargo.toml): a link the banner takes from a page is then dropped, never followed elsewhere.

use url::Url;

/// An absolute http(s) URL with a host, parsed; `None` for anything else (relative, other
/// schemes, unparseable).
pub fn parse_web(url: &str) -> Option<Url> {
    let parsed = Url::parse(url).ok()?;
    (matches!(parsed.scheme(), "https" | "http") && parsed.host_str().is_some()).then_some(parsed)
}

/// (host, path) of an absolute http(s) URL, the host lower-cased as the parser serialises it,
/// the path without query or fragment; `None` for anything else.
pub fn host_and_path(url: &str) -> Option<(String, String)> {
    let parsed = parse_web(url)?;
    let host = parsed.host_str()?.to_string();
    Some((host, parsed.path().to_string()))
}

/// The URL's host (lower case), or "" when it is not an absolute http(s) URL.
pub fn host_of(url: &str) -> String {
    host_and_path(url).map(|(host, _)| host).unwrap_or_default()
}

/// Whether `url` is `https://<host>/…` exactly: https, that host (ASCII case aside), the
/// default port, and no user name or password (which would make the browser ask, or carry
/// credentials to another place).
pub fn is_https_on(url: &Url, host: &str) -> bool {
    url.scheme() == "https"
        && url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(host.trim_end_matches('.')))
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            _ => {
                let hex = |nibble: u8| char::from_digit(u32::from(nibble), 16).unwrap_or('0');
                out.push('%');
                out.push(hex(byte >> 4).to_ascii_uppercase());
                out.push(hex(byte & 0xF).to_ascii_uppercase());
            }
        }
    }
    out
}

/// Decodes a form-encoded query value (`+` is a space). Invalid escapes are kept as written.
pub fn decode_component(value: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", value.replace('&', "%26")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The decoded value of the first `name=` parameter of an absolute URL's query.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// An href from a page made absolute against the page's URL, as the browser resolves it:
/// kept only when it is https on the page's own host, default port, no credentials; the
/// parser's serialisation is returned (what a browser would open). A link the banner takes
/// from a page can never lead anywhere else.
pub fn absolute(page_url: &str, href: &str) -> Option<String> {
    let base = parse_web(page_url)?;
    let host = base.host_str()?.to_string();
    let link = base.join(href).ok()?;
    is_https_on(&link, &host).then(|| link.to_string())
}

/// An href from a page made absolute against the page's URL, kept only when it is https on
/// `host` (another site the page links to, e.g. GitLab.com from the admin), default port, no
/// credentials: the parser's serialisation.
pub fn absolute_on(page_url: &str, href: &str, host: &str) -> Option<String> {
    let link = parse_web(page_url)?.join(href).ok()?;
    is_https_on(&link, host).then(|| link.to_string())
}

/// Whether `url` may be fetched or opened as a page of `host`: https, exactly that host,
/// default port, no credentials, and a path under `path_prefix`.
pub fn is_page_of(url: &str, host: &str, path_prefix: &str) -> bool {
    parse_web(url).is_some_and(|u| is_https_on(&u, host) && u.path().starts_with(path_prefix))
}

/// `https://<host>/<segments…>?<query>`, each segment and query value encoded by the parser.
/// `None` when `host` is not a host name the parser accepts, or a segment is `.` or `..`
/// (which the parser would drop, making the URL another path).
pub fn https(host: &str, segments: &[&str], query: &[(&str, &str)]) -> Option<String> {
    if segments.iter().any(|s| is_dot_segment(s)) {
        return None;
    }
    let mut url = on_host(host)?;
    url.path_segments_mut().ok()?.clear().extend(segments);
    with_query(url, query)
}

/// [`https`] for an API whose path segments are values (a domain, an address): each segment
/// is percent-encoded as a component, so only RFC 3986 unreserved characters stay as they are
/// (`@` is `%40`, `/` is `%2F`); the query is form-encoded by the parser. `None` as for
/// [`https`], and for an empty segment. The path sent is exactly the segments given: the
/// parser is asked to keep it, and checked that it did.
pub fn https_api(host: &str, segments: &[&str], query: &[(&str, &str)]) -> Option<String> {
    if segments.iter().any(|s| s.is_empty() || is_dot_segment(s)) {
        return None;
    }
    let mut url = on_host(host)?;
    let path: String = segments
        .iter()
        .flat_map(|s| ["/".to_string(), encode_component(s)])
        .collect();
    url.set_path(&path);
    if url.path() != path {
        return None;
    }
    with_query(url, query)
}

/// `https://<host>/`, when `host` is a host name the parser takes as it is (no path, user,
/// port or anything it would rewrite).
fn on_host(host: &str) -> Option<Url> {
    let mut url = Url::parse("https://host.invalid/").ok()?;
    url.set_host(Some(host)).ok()?;
    if url.host_str() != Some(host.to_ascii_lowercase().as_str()) || host.contains(['@', ':']) {
        return None;
    }
    Some(url)
}

fn with_query(mut url: Url, query: &[(&str, &str)]) -> Option<String> {
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Some(url.to_string())
}

/// A segment the parser reads as "this directory" or "the parent" (`.`, `..`).
fn is_dot_segment(segment: &str) -> bool {
    matches!(segment, "." | "..")
}

/// A dotted DNS name of letters, digits and hyphens with an alphabetic last label.
pub fn is_host_name(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str =
        "https://customers.gitlab.com/admin/customer?sort=email&query=priya%40x.io#top";

    /// An upper-case ASCII letter beside a non-ASCII character in a host (found by
    /// tests/fuzz_parsers.rs): refused like any internationalised host, no panic.
    #[test]
    fn a_mixed_host_is_refused() {
        for href in [
            "http://\tA\u{1128A}",
            "https://A\u{e9}.example/x",
            "https://\u{1128A}B",
        ] {
            assert_eq!(absolute(PAGE, href), None, "{href:?}");
            assert_eq!(host_of(href), "", "{href:?}");
        }
    }

    #[test]
    fn hosts_and_paths_come_from_the_parser() {
        assert_eq!(
            host_and_path("https://Customers.GitLab.com/admin/customer/1?x#y"),
            Some(("customers.gitlab.com".into(), "/admin/customer/1".into()))
        );
        assert_eq!(
            host_of("https://customers.gitlab.com:443"),
            "customers.gitlab.com"
        );
        assert_eq!(host_of("javascript:alert(1)"), "");
        assert_eq!(host_of("/admin/customer/1"), "");
        // The host after a backslash is where the browser goes, not the one after the `@`.
        assert_eq!(
            host_of("https://evil.example\\@customers.gitlab.com/admin/customer/4711"),
            "evil.example"
        );
        assert_eq!(
            host_of("https://user:pw@customers.gitlab.com/admin"),
            "customers.gitlab.com"
        );
    }

    #[test]
    fn encodes_and_decodes_components() {
        assert_eq!(
            encode_component("first+tag@example.com"),
            "first%2Btag%40example.com"
        );
        assert_eq!(encode_component("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(
            decode_component("first%2Btag%40example.com"),
            "first+tag@example.com"
        );
        assert_eq!(decode_component("a+b%20c"), "a b c");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%C3%A9"), "é");
        assert_eq!(decode_component("a&b=c"), "a&b=c");
    }

    #[test]
    fn reads_query_params() {
        assert_eq!(query_param(PAGE, "query").as_deref(), Some("priya@x.io"));
        assert_eq!(query_param(PAGE, "sort").as_deref(), Some("email"));
        assert_eq!(query_param(PAGE, "page"), None);
        assert_eq!(
            query_param(
                "chrome-extension://x/popup.html?email=a%2Bb%40c.io&x=1",
                "email"
            )
            .as_deref(),
            Some("a+b@c.io")
        );
        assert_eq!(query_param("", "email"), None);
        assert_eq!(query_param("?email=a%40b.co", "email"), None); // not a URL
    }

    #[test]
    fn links_from_a_page_stay_on_its_host() {
        let ok = |href: &str| absolute(PAGE, href);
        assert_eq!(
            ok("/admin/customer/4711").as_deref(),
            Some("https://customers.gitlab.com/admin/customer/4711")
        );
        assert_eq!(
            ok("4711/edit").as_deref(),
            Some("https://customers.gitlab.com/admin/4711/edit")
        );
        assert_eq!(
            ok("https://CUSTOMERS.gitlab.com/admin/customer/7").as_deref(),
            Some("https://customers.gitlab.com/admin/customer/7")
        );
        assert_eq!(
            ok(" \t/admin/customer/\n7 ").as_deref(),
            Some("https://customers.gitlab.com/admin/customer/7")
        );
        for refused in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example/x",
            "https://evil.example/admin/customer/1",
            "http://customers.gitlab.com/admin/customer/1",
            "https://evil.example\\@customers.gitlab.com/admin/customer/4711",
            "https://evil.example%5C@customers.gitlab.com/admin/customer/4711",
            "https://customers.gitlab.com@evil.example/admin",
            "https://user:pw@customers.gitlab.com/admin/customer/1",
            "https://customers.gitlab.com:8443/admin/customer/1",
            "https://customers.gitlab.com.evil.example/admin",
            "https://xn--customers-gitlab-com.example/",
            "https://cüstomers.gitlab.com/admin",
            "https:/\\evil.example/",
            "https:evil.example/",
        ] {
            let got = ok(refused);
            assert!(
                got.as_deref()
                    .is_none_or(|u| u.starts_with("https://customers.gitlab.com/")),
                "{refused:?} -> {got:?}"
            );
            assert!(
                got.is_none() || refused == "https:evil.example/",
                "{refused:?} -> {got:?}"
            );
        }
        // `https:evil.example/` is a relative reference in a special scheme: a path on the
        // page's own host, as the browser reads it.
        assert_eq!(
            ok("https:evil.example/").as_deref(),
            Some("https://customers.gitlab.com/admin/evil.example/")
        );
        assert_eq!(absolute("not a url", "/admin"), None);
    }

    #[test]
    fn pages_of_a_host() {
        let host = "customers.gitlab.com";
        assert!(is_page_of(
            "https://customers.gitlab.com/admin/customer/1",
            host,
            "/admin/"
        ));
        assert!(!is_page_of(
            "https://customers.gitlab.com/customers/sign_in",
            host,
            "/admin/"
        ));
        assert!(!is_page_of(
            "https://evil.example\\@customers.gitlab.com/admin/customer/4711",
            host,
            "/admin/"
        ));
        assert!(!is_page_of(
            "https://a:b@customers.gitlab.com/admin/x",
            host,
            "/admin/"
        ));
        assert!(!is_page_of(
            "http://customers.gitlab.com/admin/x",
            host,
            "/admin/"
        ));
    }

    #[test]
    fn builds_urls_through_the_parser() {
        assert_eq!(
            https(
                "customers.gitlab.com",
                &["admin", "customer"],
                &[("query", "first+tag@example.com")]
            )
            .as_deref(),
            Some("https://customers.gitlab.com/admin/customer?query=first%2Btag%40example.com")
        );
        assert_eq!(
            https(
                "api.mailgun.net",
                &["v3", "mg.gitlab.com", "bounces", "a/b@c.co"],
                &[]
            )
            .as_deref(),
            Some("https://api.mailgun.net/v3/mg.gitlab.com/bounces/a%2Fb@c.co")
        );
        // A dot segment would be dropped by the parser: the URL would be another path.
        assert_eq!(https("app.mailgun.com", &["app", "..", "x"], &[]), None);
        assert_eq!(https("app.mailgun.com", &["app", "."], &[]), None);
        assert_eq!(https("evil.example/x", &[], &[]), None);
        assert_eq!(https("a@evil.example", &[], &[]), None);
        assert_eq!(https("host:8080", &[], &[]), None);
        assert_eq!(https("", &[], &[]), None);
    }

    #[test]
    fn builds_api_urls_with_each_segment_a_component() {
        assert_eq!(
            https_api(
                "api.mailgun.net",
                &["v3", "mg.gitlab.com", "bounces", "first+tag@example.com"],
                &[]
            )
            .as_deref(),
            Some("https://api.mailgun.net/v3/mg.gitlab.com/bounces/first%2Btag%40example.com")
        );
        assert_eq!(
            https_api(
                "api.mailgun.net",
                &["v3", "a/b?c#d e%f@g"],
                &[("q", "a b&c=d#e+f@g")]
            )
            .as_deref(),
            Some("https://api.mailgun.net/v3/a%2Fb%3Fc%23d%20e%25f%40g?q=a+b%26c%3Dd%23e%2Bf%40g")
        );
        // `%2e%2e` is read as `..` by the parser; encoded, its `%` is `%25` and it is not.
        assert_eq!(
            https_api("api.mailgun.net", &["v3", "%2e%2e", "x"], &[]).as_deref(),
            Some("https://api.mailgun.net/v3/%252e%252e/x")
        );
        for refused in [".", "..", ""] {
            assert_eq!(
                https_api("api.mailgun.net", &["v3", refused, "x"], &[]),
                None,
                "{refused:?}"
            );
        }
        assert_eq!(
            https_api("api.mailgun.net@evil.example", &["v3"], &[]),
            None
        );
        assert_eq!(https_api("", &["v3"], &[]), None);
    }
}
