//! URL pieces the readers and links need, without a URL parser dependency.

/// ("host", "/path?query") of an absolute http(s) URL; ("", "") for anything else.
pub fn split(url: &str) -> (&str, &str) {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return ("", "");
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at_checked(end).unwrap_or((rest, ""));
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    (host, path)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes a form-encoded query value (`+` is a space). Invalid escapes are kept as written.
pub fn decode_component(value: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| Some(hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?))
            .flatten();
        match (byte, escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded value of the first `name=` parameter of a URL's query.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode_component(key) == name).then(|| decode_component(value))
    })
}

/// An href from a page made absolute against the page's URL: https, on the page's own host,
/// or None. A link the banner takes from a page can never lead anywhere else.
pub fn absolute(page_url: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let (host, _) = split(page_url);
    if host.is_empty() {
        return None;
    }
    if href.starts_with("https://") {
        let (link_host, _) = split(href);
        return link_host
            .eq_ignore_ascii_case(host)
            .then(|| href.to_string());
    }
    (href.starts_with('/') && !href.starts_with("//") && !href.contains(['\\', '\n', '\r', '\t']))
        .then(|| format!("https://{host}{href}"))
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

    #[test]
    fn splits_urls() {
        assert_eq!(
            split("https://customers.gitlab.com/admin/customer/1?x#y"),
            ("customers.gitlab.com", "/admin/customer/1?x#y")
        );
        assert_eq!(
            split("https://customers.gitlab.com:443"),
            ("customers.gitlab.com", "")
        );
        assert_eq!(split("javascript:alert(1)"), ("", ""));
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
    }

    #[test]
    fn reads_query_params_and_absolute_links() {
        let url = "https://customers.gitlab.com/admin/customer?sort=email&query=priya%40x.io#top";
        assert_eq!(query_param(url, "query").as_deref(), Some("priya@x.io"));
        assert_eq!(query_param(url, "sort").as_deref(), Some("email"));
        assert_eq!(query_param(url, "page"), None);
        assert_eq!(
            absolute(url, "/admin/customer/4711").as_deref(),
            Some("https://customers.gitlab.com/admin/customer/4711")
        );
        assert_eq!(absolute(url, "javascript:alert(1)"), None);
        assert_eq!(absolute(url, "//evil.example/x"), None);
        assert_eq!(absolute(url, "https://evil.example/admin/customer/1"), None);
        assert_eq!(
            absolute(url, "http://customers.gitlab.com/admin/customer/1"),
            None
        );
        assert_eq!(absolute(url, "/\\evil.example"), None);
        assert_eq!(
            absolute(url, "https://customers.gitlab.com/admin/customer/7").as_deref(),
            Some("https://customers.gitlab.com/admin/customer/7")
        );
    }
}
