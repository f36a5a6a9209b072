//! The Document readers on the fixture pages of www/, in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown` (scripts/test.mjs sets CHROMEDRIVER; the
//! runner is configured in .cargo/config.toml). Pages are parsed with DOMParser exactly as the
//! banner frame parses a snapshot.
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::account::{AccountSnapshot, Flavour, PageReading, Presence, Value};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use cdot_triage::frame::snapshot::{to_document, InputValue, Snapshot};
use cdot_triage::readers::read_page;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn read(url: &str, html: &str) -> PageReading {
    let snap = Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: Vec::new(),
    };
    let doc = to_document(&snap).expect("DOMParser parses any string");
    read_page(&doc, url, &Settings::default())
}

fn show(url: &str, html: &str) -> AccountSnapshot {
    match read(url, html) {
        PageReading::CustomerShow(a) => a,
        other => panic!("expected a Customer show page, got {other:?}"),
    }
}

fn value<'a>(a: &'a AccountSnapshot, name: &str) -> &'a Value {
    &a.field(name).unwrap_or_else(|| panic!("no {name}")).value
}

#[wasm_bindgen_test]
fn reads_a_3x_show_page_with_confirmed_at_absent() {
    let a = show(
        "https://customers.gitlab.com/admin/customer/4711",
        include_str!("../www/customers.gitlab.com/admin/customer/4711.html"),
    );
    assert_eq!(a.flavour, Flavour::RailsAdmin3);
    assert_eq!(a.record_id.as_deref(), Some("4711"));
    assert_eq!(a.recognised_by, ["url", "header", "breadcrumb", "title"]);
    assert_eq!(a.email(), Some("Priya.Raman@northwind-analytics.io"));
    assert_eq!(a.presence("confirmed_at"), Presence::Absent);
    assert_eq!(a.presence("locked_at"), Presence::Absent);
    assert_eq!(
        value(&a, "confirmation_sent_at"),
        &Value::Time(UtcTime::from_civil(2026, 11, 19, 16, 42, 0))
    );
    assert_eq!(value(&a, "sign_in_count"), &Value::Number(0));
    assert_eq!(value(&a, "login_activated"), &Value::Bool(Some(true)));
    assert_eq!(value(&a, "billable"), &Value::Bool(Some(false)));
    // Fields of the later fieldsets, nested by RailsAdmin's `</dl>` bug, are read too, and
    // empty associations are blank.
    assert_eq!(
        value(&a, "salesforce_account_id"),
        &Value::Text("0014M00001nXk2pQAC".into())
    );
    assert_eq!(value(&a, "billing_accounts"), &Value::Blank);
    assert_eq!(
        a.field("first_name").map(|f| f.label.as_str()),
        Some("First name")
    );
}

#[wasm_bindgen_test]
fn reads_a_3x_confirmed_account_across_five_nested_fieldsets() {
    let a = show(
        "https://customers.gitlab.com/admin/customer/4712",
        include_str!("../www/customers.gitlab.com/admin/customer/4712.html"),
    );
    assert_eq!(a.email(), Some("lena.vogt@alpenrad-logistik.de"));
    assert_eq!(
        value(&a, "confirmed_at"),
        &Value::Time(UtcTime::from_civil(2025, 2, 14, 9, 31, 0))
    );
    assert_eq!(value(&a, "sign_in_count"), &Value::Number(27));
    assert_eq!(value(&a, "failed_attempts"), &Value::Number(2));
    assert_eq!(value(&a, "uid"), &Value::Text("9136542".into()));
    assert_eq!(
        value(&a, "billing_accounts"),
        &Value::Text("Billing account #45 and Billing account #212".into())
    );
    // The admin's own address in the navbar is not the customer's.
    assert!(a
        .fields
        .iter()
        .all(|f| !f.raw.contains("dmorales@gitlab.com")));
}

#[wasm_bindgen_test]
fn reads_a_2x_show_page_with_blanks_shown() {
    let a = show(
        "https://customers.gitlab.com/admin/customer/3108",
        include_str!("../www/customers.gitlab.com/admin/customer/3108.html"),
    );
    assert_eq!(a.flavour, Flavour::RailsAdmin2);
    assert_eq!(a.email(), Some("t.nakamura@kitsune-robotics.jp"));
    assert_eq!(a.presence("confirmed_at"), Presence::Blank);
    assert_eq!(a.presence("locked_at"), Presence::Blank);
    assert_eq!(
        value(&a, "unconfirmed_email"),
        &Value::Text("takeshi.nakamura@kitsune-robotics.co.jp".into())
    );
    assert_eq!(value(&a, "login_activated"), &Value::Bool(Some(true)));
    assert_eq!(value(&a, "billable"), &Value::Bool(None));
    assert_eq!(
        value(&a, "reset_password_sent_at"),
        &Value::Time(UtcTime::from_civil(2026, 11, 16, 23, 4, 0))
    );
}

#[wasm_bindgen_test]
fn another_model_gives_no_account_facts() {
    let reading = read(
        "https://customers.gitlab.com/admin/billing_account/45",
        include_str!("../www/customers.gitlab.com/admin/billing_account/45.html"),
    );
    assert!(
        matches!(&reading, PageReading::OtherAdminPage { what, .. } if what == "Billing account page"),
        "{reading:?}"
    );
}

#[wasm_bindgen_test]
fn a_customer_url_that_is_not_a_railsadmin_page_is_not_read() {
    // e.g. signed out: the admin URL answers with the sign-in page.
    let reading = read(
        "https://customers.gitlab.com/admin/customer/4711",
        include_str!("../www/customers.gitlab.com/customers/sign_in.html"),
    );
    assert!(
        matches!(reading, PageReading::Unreadable { .. }),
        "{reading:?}"
    );
}

#[wasm_bindgen_test]
fn snapshot_drops_our_host_and_carries_live_input_values() {
    let html = r#"<html><body><div id="cdot-triage-host"></div>
        <form><input name="query" value=""><select name="domain">
        <option value="customers.gitlab.com" selected>customers.gitlab.com</option>
        <option value="mg.gitlab.com">mg.gitlab.com</option></select></form></body></html>"#;
    let snap = Snapshot {
        url: "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs".into(),
        html: html.into(),
        inputs: vec![
            InputValue {
                index: 0,
                tag: "INPUT".into(),
                name: "query".into(),
                value: "jdoe@example.com".into(),
            },
            InputValue {
                index: 1,
                tag: "SELECT".into(),
                name: "domain".into(),
                value: "mg.gitlab.com".into(),
            },
            // A stale position (the control there has another name) is ignored.
            InputValue {
                index: 0,
                tag: "INPUT".into(),
                name: "other".into(),
                value: "x".into(),
            },
        ],
    };
    let doc = to_document(&snap).unwrap();
    assert!(doc.get_element_by_id("cdot-triage-host").is_none());
    let input = doc.query_selector("input[name=query]").unwrap().unwrap();
    assert_eq!(
        input.get_attribute("value").as_deref(),
        Some("jdoe@example.com")
    );
    let selected = doc.query_selector("option[selected]").unwrap().unwrap();
    assert_eq!(
        selected.get_attribute("value").as_deref(),
        Some("mg.gitlab.com")
    );
}
