//! Fuzzing of the snapshot readers on arbitrary and mutated HTML, natively
//! (`cargo test --release --test fuzz_readers`). Documents are built by a small deterministic
//! PRNG from fragments of the real fixture pages of www/ and hostile fragments (unclosed tags,
//! giant attributes, nested tables, right-to-left text, nested `<dl>`; tests/support/
//! documents.rs), read as the frame reads a snapshot (`core::readers::Snapshot`) for every
//! kind of page URL; what was read then goes through observations and the banner view, as in
//! the frame. Each case asserts: no panic, and results that are sane.
//!
//! Time budget: `CDOT_FUZZ_SECONDS` (default 20) and `CDOT_FUZZ_SEED` (default fixed, so a
//! failure is reproducible; the seed of the failing case is printed), read at run time.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::email;
use cdot_triage::core::mail::MailDomain;
use cdot_triage::core::observation;
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::{InputValue, Snapshot};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use cdot_triage::core::view::banner_view;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;
#[path = "support/documents.rs"]
mod documents;
use documents::{document, inputs, PAGES, URLS};

/// Reads one document for one URL as the frame does, and checks what came out.
fn check(url: &str, html: String, inputs: Vec<InputValue>) {
    let settings = Settings::default();
    let snap = Snapshot {
        url: url.into(),
        html,
        inputs,
    };
    let reading = snap.read(&settings, &|_| Some(60));
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
        PageReading::CustomerGitLabGroups(g) => {
            // A namespace's link is an https page on GitLab.com.
            for ns in &g.namespaces {
                if let Some(href) = &ns.url {
                    assert!(href.starts_with("https://gitlab.com/"), "{href}");
                }
            }
        }
        PageReading::GitLabComUser(p) => {
            let _ = (p.user.facts(), p.user.admin_url());
            for e in &p.user.emails {
                assert!(email::is_address(&e.address), "{e:?}");
            }
        }
        PageReading::GitLabComSearch(s) => {
            for u in &s.users {
                let _ = (u.facts(), u.blocking());
                if let Some(href) = u.admin_url() {
                    assert!(
                        href.starts_with("https://gitlab.com/admin/users/"),
                        "{href}"
                    );
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
    std::env::var("CDOT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(20.0)
        * 1000.0
}

fn seed() -> u64 {
    std::env::var("CDOT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_CD07_7A1A_6E00)
}

thread_local! {
    /// The case running, said when it panics (logging every case would flood the output).
    static CASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

#[test]
fn readers_survive_arbitrary_and_mutated_html() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        CASE.with(|c| eprintln!("fuzz_readers failed at {}", c.borrow()));
        previous(info);
    }));
    let start = std::time::Instant::now();
    let budget = budget_ms();
    let mut cases = 0u64;
    let mut bytes = 0usize;
    let mut master = Rng(seed());
    while start.elapsed().as_secs_f64() * 1000.0 < budget {
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
        bytes += html.len();
        check(url, html, inputs);
        cases += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz_readers: {cases} documents ({:.0} MB) in {secs:.1} s: {:.0} documents/s",
        bytes as f64 / 1e6,
        cases as f64 / secs
    );
    assert!(cases > 0);
}

/// Every fixture page read for every URL: a page read as the wrong kind is still sane.
#[test]
fn every_page_for_every_url() {
    for page in PAGES {
        for url in URLS {
            check(url, page.to_string(), Vec::new());
        }
    }
}
