//! `core::url` (the `url` crate) against the browser's own `URL` on generated links, in
//! headless Chromium (`cargo test --target wasm32-unknown-unknown --test urls_vs_browser`): a
//! link the banner keeps from a page is exactly where the browser would go, on the page's host.
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::url;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

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
