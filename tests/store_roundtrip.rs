//! What the banner frame puts in the store it must be able to read back: every observation
//! read from the fixture pages goes through the same conversion as in `crate::frame`
//! (`record_to_js`, JSON as the store keeps it, then `record_from_js`), in headless Chromium.
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::observation::{from_reading, Fact};
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::store::record_for;
use cdot_triage::core::time::UtcTime;
use cdot_triage::frame::{record_from_js, record_to_js};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn roundtrip(url: &str, html: &str) -> usize {
    let reading = Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: Vec::new(),
    }
    .read(&Settings::default(), &|_| Some(0));
    let observations = from_reading(&reading, UtcTime::from_civil(2026, 11, 23, 12, 0, 0));
    assert!(!observations.is_empty(), "{url} yields observations");
    for obs in &observations {
        let record = record_for(obs, 8);
        let value = record_to_js(&record);
        // The store keeps JSON: what survives JSON is what comes back.
        let json = String::from(js_sys::JSON::stringify(&value).unwrap());
        // Compact (issue 17: the store's quota is 10 MB; a mail event took about 1 KB).
        if matches!(obs.fact, Fact::MailEvent(_)) {
            assert!(json.len() < 700, "{url}: {} bytes: {json}", json.len());
        }
        let back = js_sys::JSON::parse(&json).unwrap();
        match record_from_js(&back) {
            Some(read) => assert_eq!(read, record, "{url}"),
            None => panic!("{url}: {:?} does not come back", obs.fact),
        }
    }
    observations.len()
}

#[wasm_bindgen_test]
fn every_kind_of_observation_comes_back_from_the_store() {
    let admin = "https://customers.gitlab.com/admin/customer";
    roundtrip(
        &format!("{admin}/4711"),
        include_str!("../www/customers.gitlab.com/admin/customer/4711.html"),
    );
    roundtrip(
        &format!("{admin}?page=2&query=northwind-analytics.io&sort=email"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-northwind-page2.html"),
    );
    roundtrip(
        "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
        include_str!("../www/app.mailgun.com/app/sending/domains/mg.gitlab.com/logs.html"),
    );
    roundtrip(
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
        include_str!("../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs.html"),
    );
    roundtrip(
        "https://app.mailgun.com/mg/reporting/logs",
        include_str!("../www/app.mailgun.com/mg/reporting/logs.html"),
    );
}
