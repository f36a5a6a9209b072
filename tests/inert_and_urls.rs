//! In headless Chromium (`cargo test --target wasm32-unknown-unknown --test inert_and_urls`):
//! - the snapshot's markup with its event handler attributes renamed
//!   (`core::markup::defuse_handlers`) parses to the same tree as the page's markup, on every
//!   fixture page and on generated documents full of handlers and tricky markup;
//! - `core::url` (the `url` crate) against the browser's own `URL` on generated links: a link
//!   the banner keeps from a page is exactly where the browser would go, on the page's host.
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::markup::{defuse_handlers, RENAMED_PREFIX};
use cdot_triage::core::url;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, DomParser, Element, SupportedType};

wasm_bindgen_test_configure!(run_in_browser);

const PAGES: [&str; 6] = [
    include_str!("../www/customers.gitlab.com/admin/customer/4711.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/4711/edit.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/index-priya.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/index2-kitsune.html"),
    include_str!("../www/app.mailgun.com/mg/reporting/logs.html"),
    include_str!("../www/app.mailgun.com/app/sending/domains/mg.gitlab.com/logs.html"),
];

const PIECES: [&str; 30] = [
    "<a href=\"x\" onclick=\"a()\">t</a>",
    "<img src=x onerror=alert(1)>",
    "<form onsubmit='return false'><input ONINPUT=x value=\"a@b.co\"></form>",
    "<div/onmouseover=x>",
    "<b title=\"x\"onclick=y>",
    "<script>var a = '<b onclick=x>';</script>",
    "<style>b[onclick]{}</style>",
    "<textarea><i onclick=x></textarea>",
    "<title><i onclick=x></title>",
    "<!-- <i onclick=x> -->",
    "<!-->",
    "<!--->",
    "<!-- x --!>",
    "<!DOCTYPE x onclick>",
    "<?pi onclick?>",
    "<noscript><i onclick=x></noscript>",
    "<svg onload=x><desc onclick=y></desc></svg>",
    "<math><mi onclick=x></mi></math>",
    "<template><td onclick=x></template>",
    "<table><tr onclick=x><td>a</td></tr></table>",
    "</p onclick=x>",
    "<p>on one online only</p>",
    "a < b onclick=c",
    "<é onclick=1>",
    "<xmp><b onclick=x></xmp>",
    "<iframe><b onclick=x></iframe>",
    "<p",
    "\"",
    "'",
    "=",
];

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

fn parse(html: &str) -> Document {
    DomParser::new()
        .unwrap()
        .parse_from_string(html, SupportedType::TextHtml)
        .unwrap()
}

fn elements(doc: &Document) -> Vec<Element> {
    let list = doc.query_selector_all("*").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into::<Element>())
        .collect()
}

/// The element's attributes as (name, value), handler names given the renamed prefix.
fn attributes(el: &Element, rename: bool) -> Vec<(String, String)> {
    let names = el.get_attribute_names();
    (0..names.length())
        .filter_map(|i| names.get(i).as_string())
        .map(|name| {
            let value = el.get_attribute(&name).unwrap_or_default();
            let handler = name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"));
            let name = if rename && handler {
                format!("{RENAMED_PREFIX}{name}")
            } else {
                name
            };
            (name, value)
        })
        .collect()
}

fn same_tree(html: &str) {
    let Some(defused) = defuse_handlers(html) else {
        return;
    };
    let (a, b) = (parse(html), parse(&defused));
    let (ea, eb) = (elements(&a), elements(&b));
    assert_eq!(ea.len(), eb.len(), "{html}");
    for (x, y) in ea.iter().zip(&eb) {
        assert_eq!(x.tag_name(), y.tag_name(), "{html}");
        assert_eq!(attributes(x, true), attributes(y, false), "{html}");
        assert!(
            attributes(y, false)
                .iter()
                .all(|(n, _)| !n.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"))),
            "a handler left in {defused}"
        );
    }
    assert_eq!(
        a.document_element().and_then(|e| e.text_content()),
        b.document_element().and_then(|e| e.text_content()),
        "{html}"
    );
}

#[wasm_bindgen_test]
fn defused_markup_parses_to_the_same_tree() {
    for page in PAGES {
        same_tree(&page.replace("<a ", "<a onclick=\"x()\" "));
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let mut html = String::new();
        for _ in 0..1 + rng.below(12) {
            html.push_str(PIECES[rng.below(PIECES.len())]);
        }
        same_tree(&html);
    }
}

const BASES: [&str; 3] = [
    "https://customers.gitlab.com/admin/customer?query=a%40b.co",
    "https://customers.gitlab.com/admin/customer/4711",
    "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
];

const LINK_PIECES: [&str; 34] = [
    "https://",
    "http://",
    "https:",
    "//",
    "/",
    "\\",
    "@",
    ":",
    ":443",
    ":8443",
    "user:pw@",
    "evil.example",
    "customers.gitlab.com",
    "app.mailgun.com",
    "CUSTOMERS.GITLAB.COM",
    "admin/customer/4711",
    "/admin/customer/",
    "../",
    "./",
    "?q=1",
    "#x",
    "%5C",
    "%40",
    "%2F",
    "\t",
    "\n",
    " ",
    "\u{0}",
    "javascript:",
    "JaVaScRiPt:alert(1)",
    "xn--nxasmq6b",
    "bücher.example",
    ".",
    "data:text/html,",
];

#[wasm_bindgen_test]
fn core_url_agrees_with_the_browser() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut kept = 0;
    for _ in 0..20_000 {
        let base = BASES[rng.below(BASES.len())];
        let mut href = String::new();
        for _ in 0..1 + rng.below(6) {
            href.push_str(LINK_PIECES[rng.below(LINK_PIECES.len())]);
        }
        let ours = url::absolute(base, &href);
        let browser = web_sys::Url::new_with_base(&href, base).ok();
        let base_host = web_sys::Url::new(base).unwrap().hostname();
        let browser_keeps = browser.as_ref().is_some_and(|u| {
            u.protocol() == "https:"
                && u.hostname() == base_host
                && u.port().is_empty()
                && u.username().is_empty()
                && u.password().is_empty()
        });
        match (&ours, &browser) {
            (Some(link), Some(b)) => {
                kept += 1;
                assert!(
                    browser_keeps,
                    "{href:?} on {base}: we keep {link}, the browser goes to {}",
                    b.href()
                );
                assert_eq!(link, &b.href(), "{href:?} on {base}");
            }
            (Some(link), None) => {
                panic!("{href:?} on {base}: we keep {link}, the browser refuses it")
            }
            (None, _) => {
                // We refuse what the browser would keep only for non-ASCII input (no IDNA
                // tables, see Cargo.toml).
                assert!(
                    !browser_keeps || !href.is_ascii(),
                    "{href:?} on {base}: the browser keeps it, we refuse it"
                );
            }
        }
    }
    assert!(
        kept > 1000,
        "only {kept} links kept: the generator is too hostile to test agreement"
    );
}
