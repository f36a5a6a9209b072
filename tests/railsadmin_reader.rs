//! The RailsAdmin reader on the fixture pages of www/ (`cargo test --test railsadmin_reader`):
//! each page goes through `core::readers::Snapshot` exactly as the banner frame reads a
//! snapshot (parsed in Rust, live form values written over the served ones).
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::account::{
    AccountSearch, AccountSnapshot, Flavour, Presence, Sort, Value, View,
};
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::{InputValue, Snapshot};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;

fn read(url: &str, html: &str) -> PageReading {
    read_with(url, html, Vec::new())
}

fn read_with(url: &str, html: &str, inputs: Vec<InputValue>) -> PageReading {
    let snap = Snapshot {
        url: url.into(),
        html: html.into(),
        inputs,
    };
    snap.read(&Settings::default(), &|_| Some(0))
}

fn show(url: &str, html: &str) -> AccountSnapshot {
    match read(url, html) {
        PageReading::CustomerShow(a) => a,
        other => panic!("expected a Customer show page, got {other:?}"),
    }
}

fn search(url: &str, html: &str) -> AccountSearch {
    match read(url, html) {
        PageReading::CustomerSearch(s) => s,
        other => panic!("expected a Customer list page, got {other:?}"),
    }
}

fn time(y: i64, mo: u32, d: u32, h: u32, mi: u32) -> Value {
    Value::Time(UtcTime::from_civil(y, mo, d, h, mi, 0))
}

fn value<'a>(a: &'a AccountSnapshot, name: &str) -> &'a Value {
    &a.field(name).unwrap_or_else(|| panic!("no {name}")).value
}

#[test]
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

#[test]
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

#[test]
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

#[test]
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

#[test]
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

#[test]
fn snapshot_keeps_the_pages_elements_and_carries_live_input_values() {
    let html = r#"<html><body><div id="cdot-triage-host"></div>
        <form><input name="query" value=""><select name="domain">
        <option value="customers.gitlab.com" selected>customers.gitlab.com</option>
        <option value="mg.gitlab.com">mg.gitlab.com</option></select></form></body></html>"#;
    let snap = Snapshot {
        url: "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs".into(),
        html: html.into(),
        inputs: vec![
            input(0, "INPUT", "query", "jdoe@example.com", None),
            input(1, "SELECT", "domain", "mg.gitlab.com", None),
            // A stale position (the control there has another name) is ignored.
            input(0, "INPUT", "other", "x", None),
        ],
    };
    let doc = snap.document();
    // The content script leaves its own host out of the markup; an element that carries the
    // host's id is the page's.
    assert!(doc.select("#cdot-triage-host").is_some());
    let input = doc.select("input[name=query]").unwrap();
    assert_eq!(input.attr("value"), Some("jdoe@example.com"));
    let selected = doc.select("option[selected]").unwrap();
    assert_eq!(selected.attr("value"), Some("mg.gitlab.com"));
}

fn input(index: u32, tag: &str, name: &str, value: &str, checked: Option<bool>) -> InputValue {
    InputValue {
        index,
        tag: tag.into(),
        name: name.into(),
        value: value.into(),
        checked,
    }
}

const BASE: &str = "https://customers.gitlab.com/admin/customer";

#[test]
fn reads_a_3x_show_page_with_compact_view_off() {
    let a = show(
        &format!("{BASE}/5020"),
        include_str!("../www/customers.gitlab.com/admin/customer/5020.html"),
    );
    assert_eq!(a.email(), Some("marta.kowalczyk@vistula-freight.pl"));
    assert_eq!(a.presence("confirmed_at"), Presence::Blank);
    assert_eq!(a.presence("unconfirmed_email"), Presence::Blank);
    assert_eq!(a.presence("locked_at"), Presence::Blank);
    assert_eq!(value(&a, "login_activated"), &Value::Bool(Some(false)));
    assert_eq!(value(&a, "billable"), &Value::Bool(None));
    assert_eq!(
        value(&a, "confirmation_sent_at"),
        &time(2026, 11, 18, 12, 6)
    );
}

#[test]
fn reads_a_pending_reconfirmation_and_a_locked_account() {
    let a = show(
        &format!("{BASE}/5021"),
        include_str!("../www/customers.gitlab.com/admin/customer/5021.html"),
    );
    assert_eq!(value(&a, "confirmed_at"), &time(2025, 4, 8, 11, 52));
    assert_eq!(
        value(&a, "unconfirmed_email"),
        &Value::Text("d.okafor@brightwave.studio".into())
    );
    assert_eq!(
        value(&a, "confirmation_sent_at"),
        &time(2026, 11, 21, 16, 9)
    );
    assert_eq!(value(&a, "sign_in_count"), &Value::Number(42));

    let locked = show(
        &format!("{BASE}/5022"),
        include_str!("../www/customers.gitlab.com/admin/customer/5022.html"),
    );
    assert_eq!(locked.email(), Some("sofia.lindqvist@fjordline-systems.se"));
    assert_eq!(value(&locked, "locked_at"), &time(2026, 11, 22, 14, 31));
    assert_eq!(value(&locked, "failed_attempts"), &Value::Number(10));
    assert_eq!(locked.presence("unconfirmed_email"), Presence::Absent);
    assert!(locked.absent_means_blank());
}

#[test]
fn reads_a_3x_search_results_page() {
    let s = search(
        &format!("{BASE}?page=2&query=northwind-analytics.io&sort=email"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-northwind-page2.html"),
    );
    assert_eq!(s.flavour, Flavour::RailsAdmin3);
    assert_eq!(s.query.as_deref(), Some("northwind-analytics.io"));
    assert_eq!(s.total, Some(24));
    assert_eq!(s.page, Some(2));
    assert!(!s.no_records && !s.columns_hidden);
    assert_eq!(
        s.sort,
        Some(Sort {
            field: "email".into(),
            reversed: false
        })
    );
    assert_eq!(
        s.columns,
        [
            "email",
            "first_name",
            "last_name",
            "company",
            "login_activated",
            "confirmed_at",
            "sign_in_count",
            "created_at"
        ]
    );
    let ids: Vec<_> = s.rows.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["4711", "4698", "4702", "4590"]);
    let emails: Vec<_> = s.rows.iter().map(|r| r.email().unwrap()).collect();
    assert_eq!(
        emails,
        [
            "Priya.Raman@northwind-analytics.io",
            "priya.raman@northwind-analytics.io",
            "priya_raman@northwind-analytics.io",
            "rafael.ortiz@northwind-analytics.io"
        ]
    );
    let third = &s.rows[2];
    assert_eq!(third.field("last_name").unwrap().value, Value::Blank);
    assert_eq!(
        third.field("login_activated").unwrap().value,
        Value::Bool(Some(false))
    );
    assert_eq!(third.name().as_deref(), Some("Priya"));
    assert_eq!(s.rows[0].field("confirmed_at").unwrap().value, Value::Blank);
    assert_eq!(
        s.rows[1].field("sign_in_count").unwrap().value,
        Value::Number(14)
    );
    assert_eq!(
        s.rows[0].show_url.as_deref(),
        Some("https://customers.gitlab.com/admin/customer/4711")
    );
}

#[test]
fn reads_empty_search_results_in_both_flavours() {
    let s3 = search(
        &format!("{BASE}?query=nobody%40example.org"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-nobody.html"),
    );
    assert_eq!(s3.query.as_deref(), Some("nobody@example.org"));
    assert!(s3.rows.is_empty() && s3.no_records);
    assert_eq!(s3.total, Some(0));
    let s2 = search(
        &format!("{BASE}?query=zzz"),
        include_str!("../www/customers.gitlab.com/admin/customer/index2-zzz.html"),
    );
    assert_eq!(s2.flavour, Flavour::RailsAdmin2);
    assert!(s2.rows.is_empty() && s2.no_records, "{s2:?}");
}

#[test]
fn reads_the_search_pages_that_diagnose() {
    // Issue 14's pages (www/fixtures-search.json): an address with no rows, an address with
    // its one row (Confirmed at " - "), a name with one person's accounts.
    let none = search(
        &format!("{BASE}?query=ravi.k%40tallgrass.example"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-ravi.html"),
    );
    assert_eq!(none.query.as_deref(), Some("ravi.k@tallgrass.example"));
    assert!(none.rows.is_empty() && none.no_records);
    let one = search(
        &format!("{BASE}?query=Amara.Okoye%40baobab-labs.example"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-amara.html"),
    );
    assert_eq!(
        one.query.as_deref(),
        Some("Amara.Okoye@baobab-labs.example")
    );
    assert_eq!(one.rows.len(), 1);
    assert_eq!(one.rows[0].id.as_deref(), Some("6201"));
    assert_eq!(one.rows[0].email(), Some("Amara.Okoye@baobab-labs.example"));
    assert_eq!(
        one.rows[0].field("confirmed_at").unwrap().value,
        Value::Blank
    );
    assert_eq!(
        one.rows[0].show_url.as_deref(),
        Some("https://customers.gitlab.com/admin/customer/6201")
    );
    let name = search(
        &format!("{BASE}?query=dlamini"),
        include_str!("../www/customers.gitlab.com/admin/customer/index-dlamini.html"),
    );
    assert_eq!(name.query.as_deref(), Some("dlamini"));
    let emails: Vec<_> = name.rows.iter().map(|r| r.email().unwrap()).collect();
    assert_eq!(
        emails,
        [
            "lindiwe_dlamini@ubuntu-freight.example",
            "Lindiwe.Dlamini@ubuntu-freight.example",
            "sipho.dlamini@ubuntu-freight.example",
            "lindiwe.dlamini+billing@ubuntu-freight.example",
            "lindiwe.dlamini@kgotla-mail.example",
        ]
    );
    assert_eq!(name.total, Some(5));
}

#[test]
fn reads_a_2x_list_with_a_hidden_column_set() {
    let s = search(
        &format!("{BASE}?query=kitsune"),
        include_str!("../www/customers.gitlab.com/admin/customer/index2-kitsune.html"),
    );
    assert_eq!(s.flavour, Flavour::RailsAdmin2);
    assert!(s.columns_hidden);
    assert_eq!(s.total, Some(3));
    let ids: Vec<_> = s.rows.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["3561", "3108", "2977"]);
    assert_eq!(s.rows[1].email(), Some("t.nakamura@kitsune-robotics.jp"));
    assert_eq!(s.rows[1].field("confirmed_at").unwrap().value, Value::Blank);
    assert!(
        s.rows[1].field("sign_in_count").is_none(),
        "in the hidden set"
    );
}

#[test]
fn reads_the_saved_record_on_the_edit_form_not_what_is_being_typed() {
    let url = format!("{BASE}/4711/edit");
    let html = include_str!("../www/customers.gitlab.com/admin/customer/4711/edit.html");
    let a = match read(&url, html) {
        PageReading::CustomerShow(a) => a,
        other => panic!("{other:?}"),
    };
    assert_eq!(a.view, View::Edit);
    assert_eq!(a.email(), Some("Priya.Raman@northwind-analytics.io"));
    assert_eq!(value(&a, "login_activated"), &Value::Bool(Some(true)));
    assert_eq!(
        value(&a, "skip_email_confirmation"),
        &Value::Bool(Some(false))
    );
    assert_eq!(a.presence("confirmed_at"), Presence::Absent);
    assert!(
        !a.absent_means_blank(),
        "the form shows editable fields only"
    );

    // The engineer has typed a new address and unticked "Login activated" (not saved).
    let doc = Snapshot {
        url: url.clone(),
        html: html.into(),
        inputs: Vec::new(),
    }
    .document();
    let controls = doc.select_all("input, select, textarea");
    let index_of = |id: &str| {
        controls
            .iter()
            .position(|e| e.attr("id") == Some(id))
            .unwrap() as u32
    };
    let typed = read_with(
        &url,
        html,
        vec![
            input(
                index_of("customer_email"),
                "INPUT",
                "customer[email]",
                "typo@x.io",
                None,
            ),
            input(
                index_of("customer_login_activated"),
                "INPUT",
                "customer[login_activated]",
                "1",
                Some(false),
            ),
        ],
    );
    let PageReading::CustomerShow(typed) = typed else {
        panic!()
    };
    assert_eq!(typed.email(), Some("Priya.Raman@northwind-analytics.io"));
    assert_eq!(value(&typed, "login_activated"), &Value::Bool(Some(true)));
}

#[test]
fn the_history_tab_is_recognised_and_gives_no_facts() {
    let reading = read(
        &format!("{BASE}/4712/history"),
        include_str!("../www/customers.gitlab.com/admin/customer/4712/history.html"),
    );
    assert!(
        matches!(&reading, PageReading::OtherAdminPage { what, .. } if what.starts_with("Customer History tab")),
        "{reading:?}"
    );
}

#[test]
fn falls_back_to_the_label_when_the_field_class_is_missing() {
    // A customised admin (or a future RailsAdmin) without `{name}_field` classes.
    let html = include_str!("../www/customers.gitlab.com/admin/customer/4712.html")
        .replace(" email_field", "")
        .replace(" confirmed_at_field", "")
        .replace(" zuora_account_id_field", "");
    let a = show(&format!("{BASE}/4712"), &html);
    assert_eq!(a.email(), Some("lena.vogt@alpenrad-logistik.de"));
    let confirmed = a.field("confirmed_at").expect("found by its label");
    assert_eq!(
        confirmed.matched_by,
        cdot_triage::core::account::FieldMatch::Label
    );
    assert_eq!(confirmed.value, time(2025, 2, 14, 9, 31));
    assert!(a.field("zuora_account_id").is_some());
}

/// The link to GitLab.com on the Show page: `Uid` (the linked GitLab.com user id) and
/// `Provider` where shown; absent from a compact Show page, blank (as "Confirmed at").
#[test]
fn reads_uid_and_provider_linked_and_unlinked() {
    let linked = show(
        "https://customers.gitlab.com/admin/customer/4712",
        include_str!("../www/customers.gitlab.com/admin/customer/4712.html"),
    );
    assert_eq!(value(&linked, "uid"), &Value::Text("9136542".into()));
    assert_eq!(value(&linked, "provider"), &Value::Text("gitlab".into()));
    assert_eq!(linked.field("uid").map(|f| f.label.as_str()), Some("Uid"));

    let unlinked = show(
        "https://customers.gitlab.com/admin/customer/5023",
        include_str!("../www/customers.gitlab.com/admin/customer/5023.html"),
    );
    assert_eq!(unlinked.email(), Some("ines.moreau@lumen-optique.example"));
    assert_eq!(unlinked.presence("uid"), Presence::Absent);
    assert_eq!(unlinked.presence("provider"), Presence::Absent);
    assert!(unlinked.absent_means_blank());
    assert_eq!(value(&unlinked, "confirmed_at"), &time(2023, 12, 4, 15, 22));

    // compact_show_view off (5020): shown as " - ", blank.
    let compact_off = show(
        "https://customers.gitlab.com/admin/customer/5020",
        include_str!("../www/customers.gitlab.com/admin/customer/5020.html"),
    );
    assert_eq!(compact_off.presence("uid"), Presence::Blank);
    assert_eq!(compact_off.presence("provider"), Presence::Blank);
    // RailsAdmin 2.x with compact_show_view off (3108): the same.
    let v2 = show(
        "https://customers.gitlab.com/admin/customer/3108",
        include_str!("../www/customers.gitlab.com/admin/customer/3108.html"),
    );
    assert_eq!(v2.presence("uid"), Presence::Blank);
}

/// The customer's GitLab Groups tab: namespaces listed (linked) or none (not linked).
#[test]
fn reads_the_gitlab_groups_tab() {
    let groups = |url: &str, html: &str| match read(url, html) {
        PageReading::CustomerGitLabGroups(g) => g,
        other => panic!("expected a GitLab Groups tab, got {other:?}"),
    };
    let linked = groups(
        "https://customers.gitlab.com/admin/customer/4712/gitlab_groups",
        include_str!("../www/customers.gitlab.com/admin/customer/4712/gitlab_groups.html"),
    );
    assert_eq!(linked.record_id, "4712");
    let names: Vec<(&str, Option<&str>)> = linked
        .namespaces
        .iter()
        .map(|n| (n.name.as_str(), n.url.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("Lena Vogt", Some("https://gitlab.com/lvogt")),
            (
                "Alpenrad Logistik",
                Some("https://gitlab.com/alpenrad-logistik")
            ),
        ]
    );
    assert_eq!(linked.empty_text, None);

    let unlinked = groups(
        "https://customers.gitlab.com/admin/customer/5023/gitlab_groups",
        include_str!("../www/customers.gitlab.com/admin/customer/5023/gitlab_groups.html"),
    );
    assert_eq!(unlinked.record_id, "5023");
    assert!(unlinked.namespaces.is_empty());
    assert_eq!(
        unlinked.empty_text.as_deref(),
        Some("No GitLab groups found: this customer is not linked to a GitLab.com account.")
    );

    // The tab of a page that does not confirm it is a Customer page is not read as one.
    let html = include_str!("../www/customers.gitlab.com/admin/customer/4712/gitlab_groups.html")
        .replace("data-model=\"customer\"", "data-model=\"x\"");
    assert!(!matches!(
        read(
            "https://customers.gitlab.com/admin/customer/4712/gitlab_groups",
            &html
        ),
        PageReading::CustomerGitLabGroups(_)
    ));
}
