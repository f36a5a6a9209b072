//! Documents for the reader tests: the fixture pages of www/, and documents made from them by
//! a small deterministic PRNG (fragments of the pages, hostile fragments: unclosed tags, giant
//! attributes, nested tables, right-to-left text, nested `<dl>`), with live form values.
//! Used by tests/fuzz_readers.rs; until the DOM readers went, also by the check that the old
//! and new readers agreed (tests/reader_identity.rs, in the history at cd4bf3c).

pub const PAGES: [&str; 19] = [
    include_str!("../../www/customers.gitlab.com/admin/customer/3108.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/4711.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/4712.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/5020.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/5021.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/5022.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/6666.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/4711/edit.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/index-northwind-page2.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/index2-kitsune.html"),
    include_str!("../../www/customers.gitlab.com/admin/customer/index-nobody.html"),
    include_str!("../../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs.html"),
    include_str!(
        "../../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs-search-priya.html"
    ),
    include_str!("../../www/app.mailgun.com/app/sending/domains/mg.gitlab.com/logs.html"),
    include_str!("../../www/app.mailgun.com/mg/reporting/logs.html"),
    include_str!("../../www/app.mailgun.com/mg/reporting/logs-filtered-nakamura.html"),
    include_str!("../../www/gitlab.com/admin/users/lvogt.html"),
    include_str!("../../www/gitlab.com/admin/users/dokafor.html"),
    include_str!("../../www/gitlab.com/admin/users/index-nakamura.html"),
];

pub const URLS: [&str; 12] = [
    "https://customers.gitlab.com/admin/customer/4711",
    "https://customers.gitlab.com/admin/customer/4711/edit",
    "https://customers.gitlab.com/admin/customer?query=priya",
    "https://customers.gitlab.com/admin/billing_account/45",
    "https://customers.gitlab.com/admin",
    "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
    "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs/abc",
    "https://app.mailgun.com/mg/reporting/logs?to=a%40b.c",
    "https://app.mailgun.com/dashboard",
    "https://gitlab.com/admin/users/lvogt",
    "https://gitlab.com/admin/users?search_query=a%40b.co",
    "https://gitlab.com/admin/users/lvogt/identities",
];

const HOSTILE: [&str; 24] = [
    "<table>",
    "<table><tr><td><table><tr><td>",
    "</td></tr></table>",
    "<dl><dt>Email</dt><dd><dl><dt>Email</dt><dd>",
    "<dl>",
    "</dl>",
    "<dt>",
    "<dd>",
    "<div class=\"email_field\"><span class=\"label\">Email</span><span class=\"value\">",
    "<div class=\"confirmed_at_field datetime_type\">",
    "<tr><td>Delivered</td><td>a@b.co</td><td>11/22/2026 09:14:03 AM</td><td>",
    "<pre>{\"event\":\"failed\",\"recipient\":",
    "<code>{\"items\":[{\"event\":1}]}</code>",
    "\u{202e}moc.elpmaxe@yrallam\u{202c}",
    "\u{200f}שלום\u{200e}",
    "<img src=x onerror=alert(1)>",
    "<script>window.__pwned=1</script>",
    "<!--",
    "<![CDATA[",
    "<select name=\"domain\"><option selected>",
    "<input name=\"search\" value=\"",
    "&#0;&#xD800;&nbsp;&amp",
    "<svg><foreignObject><p>",
    "<template><tr>",
];

use super::rng::Rng;
use cdot_triage::core::readers::InputValue;

/// A char boundary at or before `i`.
fn boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&b| s.is_char_boundary(b))
        .unwrap_or(0)
}

/// A random slice of a page, cut at tag starts (or anywhere, sometimes).
fn fragment(rng: &mut Rng) -> String {
    let page = rng.pick(&PAGES);
    let mut a = boundary(page, rng.below(page.len()));
    if rng.below(4) > 0 {
        a = page[..a].rfind('<').unwrap_or(0);
    }
    let len = 1 + rng.below(4000);
    let b = boundary(page, a + len).max(a);
    page[a..b].to_string()
}

fn hostile(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!(
            "<div title=\"{}\" class=\"{}\">",
            "x".repeat(rng.below(200_000)),
            "value ".repeat(rng.below(2000))
        ),
        1 => "<dl><dd>".repeat(1 + rng.below(300)),
        2 => "<table><tr><td>".repeat(1 + rng.below(300)),
        3 => "\u{202e}".repeat(1 + rng.below(50)) + "a@b.co",
        4 => {
            let mut s = String::new();
            for _ in 0..rng.below(40) {
                s.push(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}'));
            }
            s
        }
        _ => rng.pick(&HOSTILE).to_string(),
    }
}

/// A document: a real page mutated, or a soup of fragments.
pub fn document(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        let mut html = rng.pick(&PAGES).to_string();
        for _ in 0..1 + rng.below(6) {
            let at = boundary(&html, rng.below(html.len() + 1));
            match rng.below(4) {
                0 => html.insert_str(at, &hostile(rng)),
                1 => html.insert_str(at, &fragment(rng)),
                2 => {
                    let end = boundary(&html, at + rng.below(3000)).max(at);
                    html.replace_range(at..end, "");
                }
                _ => html.truncate(at),
            }
        }
        html
    } else {
        (0..1 + rng.below(12))
            .map(|_| {
                if rng.below(3) == 0 {
                    hostile(rng)
                } else {
                    fragment(rng)
                }
            })
            .collect()
    }
}

pub fn inputs(rng: &mut Rng) -> Vec<InputValue> {
    (0..rng.below(4))
        .map(|_| InputValue {
            index: rng.below(40) as u32,
            tag: rng.pick(&["INPUT", "SELECT", "TEXTAREA"]).into(),
            name: rng
                .pick(&["", "query", "search", "domain", "customer[email]"])
                .into(),
            value: rng.pick(&["", "priya", "a@b.co", "\u{202e}x"]).into(),
            checked: [None, Some(true), Some(false)][rng.below(3)],
        })
        .collect()
}
