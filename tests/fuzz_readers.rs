//! Fuzzing of the snapshot readers on arbitrary and mutated HTML, in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test fuzz_readers`). Documents are built by a
//! small deterministic PRNG from fragments of the real fixture pages of www/ and hostile
//! fragments (unclosed tags, giant attributes, nested tables, right-to-left text, nested
//! `<dl>`), parsed with `DOMParser` as the frame parses a snapshot, and read for every kind of
//! page URL; what was read then goes through observations and the banner view, as in the
//! frame. Each case asserts: no panic, and results that are sane.
//!
//! Time budget (read at compile time: a wasm test has no environment): `CDOT_FUZZ_SECONDS`
//! (default 20) and `CDOT_FUZZ_SEED` (default fixed, so a failure is reproducible; the seed of
//! the failing case is printed).
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::email;
use cdot_triage::core::mail::MailDomain;
use cdot_triage::core::observation;
use cdot_triage::core::page::PageReading;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use cdot_triage::core::view::banner_view;
use cdot_triage::frame::snapshot::{to_document, InputValue, Snapshot};
use cdot_triage::readers::read_page;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PAGES: [&str; 16] = [
    include_str!("../www/customers.gitlab.com/admin/customer/3108.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/4711.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/4712.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/5020.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/5021.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/5022.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/6666.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/4711/edit.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/index-northwind-page2.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/index2-kitsune.html"),
    include_str!("../www/customers.gitlab.com/admin/customer/index-nobody.html"),
    include_str!("../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs.html"),
    include_str!(
        "../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs-search-priya.html"
    ),
    include_str!("../www/app.mailgun.com/app/sending/domains/mg.gitlab.com/logs.html"),
    include_str!("../www/app.mailgun.com/mg/reporting/logs.html"),
    include_str!("../www/app.mailgun.com/mg/reporting/logs-filtered-nakamura.html"),
];

const URLS: [&str; 9] = [
    "https://customers.gitlab.com/admin/customer/4711",
    "https://customers.gitlab.com/admin/customer/4711/edit",
    "https://customers.gitlab.com/admin/customer?query=priya",
    "https://customers.gitlab.com/admin/billing_account/45",
    "https://customers.gitlab.com/admin",
    "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
    "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs/abc",
    "https://app.mailgun.com/mg/reporting/logs?to=a%40b.c",
    "https://app.mailgun.com/dashboard",
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

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

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
fn document(rng: &mut Rng) -> String {
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

fn inputs(rng: &mut Rng) -> Vec<InputValue> {
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

/// Reads one document for one URL as the frame does, and checks what came out.
fn check(url: &str, html: String, inputs: Vec<InputValue>) {
    let settings = Settings::default();
    let snap = Snapshot {
        url: url.into(),
        html: html.into(),
        inputs,
    };
    let Ok(doc) = to_document(&snap) else {
        return;
    };
    let reading = read_page(&doc, url, &settings);
    assert_eq!(reading.url(), url);
    match &reading {
        PageReading::CustomerShow(a) => {
            if let Some(e) = a.email() {
                assert!(!e.is_empty());
            }
        }
        PageReading::CustomerSearch(s) => {
            for row in &s.rows {
                let _ = (row.email(), row.name());
                // A link taken from the page stays https on the page's host.
                if let Some(href) = &row.show_url {
                    assert!(href.starts_with("https://customers.gitlab.com/"), "{href}");
                }
            }
        }
        PageReading::Mailgun(m) => {
            for e in &m.events {
                if let Some(key) = &e.recipient_key {
                    assert!(email::is_address(key), "{key:?}");
                }
                assert_eq!(
                    e.domain_source.is_none(),
                    e.domain == MailDomain::Unknown,
                    "{e:?}"
                );
                let _ = e.describe(&settings);
            }
            for key in m.recipients() {
                let _ = m.events_for(key);
            }
        }
        PageReading::OtherAdminPage { .. } | PageReading::Unreadable { .. } => {}
    }
    let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
    let observations = observation::from_reading(&reading, now);
    let _ = banner_view(&reading, &observations, now, &settings);
}

fn budget_ms() -> f64 {
    option_env!("CDOT_FUZZ_SECONDS")
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(20.0)
        * 1000.0
}

fn seed() -> u64 {
    option_env!("CDOT_FUZZ_SEED")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_CD07_7A1A_6E00)
}

thread_local! {
    /// The case running, said when it panics (logging every case would flood the output).
    static CASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Lets the browser run its event loop: the test runner polls the page over WebDriver, and
/// chromedriver gives up on a renderer that is busy for 300 s.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn readers_survive_arbitrary_and_mutated_html() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        CASE.with(|c| console_log!("fuzz_readers failed at {}", c.borrow()));
        previous(info);
    }));
    let start = js_sys::Date::now();
    let budget = budget_ms();
    let mut cases = 0u64;
    let mut master = Rng(seed());
    let mut yielded = start;
    while js_sys::Date::now() - start < budget {
        if js_sys::Date::now() - yielded > 1000.0 {
            yield_to_browser().await;
            yielded = js_sys::Date::now();
        }
        // Each case has its own seed, printed on failure, so one case can be replayed.
        let case_seed = master.next() | 1;
        let mut rng = Rng(case_seed);
        let html = document(&mut rng);
        let inputs = inputs(&mut rng);
        let url = rng.pick(&URLS);
        CASE.with(|c| {
            *c.borrow_mut() = format!(
                "case {cases}: seed {case_seed:#x}, {url}, {} bytes",
                html.len()
            )
        });
        check(url, html, inputs);
        cases += 1;
    }
    console_log!(
        "fuzz_readers: {cases} documents in {:.1} s",
        (js_sys::Date::now() - start) / 1000.0
    );
    assert!(cases > 0);
}

/// Every fixture page read for every URL: a page read as the wrong kind is still sane.
#[wasm_bindgen_test]
fn every_page_for_every_url() {
    for page in PAGES {
        for url in URLS {
            check(url, page.to_string(), Vec::new());
        }
    }
}
