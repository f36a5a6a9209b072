//! The reader reads what the engineer sees on a Customer page, or says that it cannot tell
//! (`cargo test --test what_the_engineer_sees`). Each case is a page a hostile (or odd) page
//! could serve: content that is not rendered placed before the real field, the extension's
//! own host id on a page element, declarative shadow roots, SVG metadata beside a value.
//! The pages are the fixture pages of `www/` with one change each, read through
//! `core::readers::Snapshot` as the banner frame reads a snapshot.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::account::{AccountSnapshot, Presence, Value};
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;

/// A RailsAdmin 3.x Show page with "Confirmed at" February 14, 2025 09:31.
const CONFIRMED: &str = include_str!("../www/customers.gitlab.com/admin/customer/4712.html");
const CONFIRMED_URL: &str = "https://customers.gitlab.com/admin/customer/4712";
/// A RailsAdmin 3.x Show page without "Confirmed at" (compact show view: blank).
const UNCONFIRMED: &str = include_str!("../www/customers.gitlab.com/admin/customer/4711.html");
const UNCONFIRMED_URL: &str = "https://customers.gitlab.com/admin/customer/4711";

/// The real field's opening tag.
const CONFIRMED_FIELD: &str =
    r#"<div class="list-group-item border-0 datetime_type confirmed_at_field">"#;
/// The first fieldset's list of fields (on both pages).
const FIRST_LIST: &str = r#"<div class="list-group">"#;

fn read(url: &str, html: &str) -> PageReading {
    Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: Vec::new(),
    }
    .read(&Settings::default(), &|_| Some(0))
}

fn show(url: &str, html: &str) -> AccountSnapshot {
    match read(url, html) {
        PageReading::CustomerShow(a) => a,
        other => panic!("expected a Customer show page, got {other:?}"),
    }
}

/// A 3.x field card as RailsAdmin renders it.
fn card(name: &str, label: &str, value: &str) -> String {
    format!(
        r#"<div class="list-group-item border-0 datetime_type {name}_field"><div class="card"><h5 class="card-header bg-light">{label}</h5><div class="card-body">{value}</div></div></div>"#
    )
}

/// `html` with `insert` placed just before the first `at` (which must be there).
fn before(html: &str, at: &str, insert: &str) -> String {
    let i = html
        .find(at)
        .unwrap_or_else(|| panic!("{at} not in the page"));
    format!("{}{insert}{}", &html[..i], &html[i..])
}

/// `html` with `insert` placed just after the first `at` (which must be there).
fn after(html: &str, at: &str, insert: &str) -> String {
    let i = html
        .find(at)
        .unwrap_or_else(|| panic!("{at} not in the page"))
        + at.len();
    format!("{}{insert}{}", &html[..i], &html[i..])
}

/// `html` with the first `what` replaced.
fn replace(html: &str, what: &str, with: &str) -> String {
    assert!(html.contains(what), "{what} not in the page");
    html.replacen(what, with, 1)
}

fn confirmed_at(a: &AccountSnapshot) -> &Value {
    &a.field("confirmed_at").expect("Confirmed at").value
}

fn the_date() -> Value {
    Value::Time(UtcTime::from_civil(2025, 2, 14, 9, 31, 0))
}

/// The unchanged pages read as the tests below expect of them.
#[test]
fn the_pages_as_served() {
    assert_eq!(
        confirmed_at(&show(CONFIRMED_URL, CONFIRMED)),
        &the_date(),
        "4712"
    );
    assert_eq!(
        show(UNCONFIRMED_URL, UNCONFIRMED).presence("confirmed_at"),
        Presence::Absent
    );
}

// -- 1. <noscript> -------------------------------------------------------------------------

/// The snapshot comes from a page with scripting on: `<noscript>` holds text nobody sees.
#[test]
fn a_blank_field_in_noscript_does_not_hide_the_real_one() {
    let blank = format!(
        "<noscript>{}</noscript>",
        card("confirmed_at", "Confirmed at", " - ")
    );
    let a = show(CONFIRMED_URL, &before(CONFIRMED, CONFIRMED_FIELD, &blank));
    assert_eq!(confirmed_at(&a), &the_date());
}

#[test]
fn a_field_in_noscript_is_not_read_as_shown() {
    let filled = format!(
        "<noscript>{}</noscript>",
        card("confirmed_at", "Confirmed at", "March 05, 2024 14:07")
    );
    let a = show(UNCONFIRMED_URL, &after(UNCONFIRMED, FIRST_LIST, &filled));
    assert_eq!(a.presence("confirmed_at"), Presence::Absent);
    // Also in the head (where a `<noscript>` is raw text too).
    let head = replace(UNCONFIRMED, "</head>", &format!("{filled}</head>"));
    assert_eq!(
        show(UNCONFIRMED_URL, &head).presence("confirmed_at"),
        Presence::Absent
    );
}

// -- 2. The host's id ----------------------------------------------------------------------

/// The content script leaves its own host out of the snapshot; an element of the page with
/// the same id is the page's, and is read.
#[test]
fn a_page_element_with_the_hosts_id_is_read() {
    let page = replace(
        CONFIRMED,
        r#"<body class="rails_admin">"#,
        r#"<body class="rails_admin"><div id="cdot-triage-host">"#,
    );
    let a = show(CONFIRMED_URL, &page);
    assert_eq!(confirmed_at(&a), &the_date());
    assert!(a.email().is_some());
}

// -- 3. Declarative shadow roots -----------------------------------------------------------

fn says_shadow_root(reading: PageReading) {
    match reading {
        PageReading::Unreadable { reason, .. } => {
            assert!(reason.contains("shadow root"), "{reason}")
        }
        other => panic!("expected the page to be called unreadable, got {other:?}"),
    }
}

/// `getHTML({ serializableShadowRoots: true, shadowRoots })` writes a shadow root as a
/// `<template shadowrootmode>` first in its host. What it shows is not read, and markup cannot
/// tell it from a page's own inert template of that form: the page says so rather than call
/// a field there blank.
#[test]
fn a_field_in_a_declarative_shadow_root_is_not_called_blank() {
    let shadowed = format!(
        r#"<div class="x-field"><template shadowrootmode="open">{}</template></div>"#,
        card("confirmed_at", "Confirmed at", "March 05, 2024 14:07")
    );
    says_shadow_root(read(
        UNCONFIRMED_URL,
        &after(UNCONFIRMED, FIRST_LIST, &shadowed),
    ));
    // Closed ones too (when the browser hands them over), and the list page.
    let closed = shadowed.replace("\"open\"", "\"CLOSED\"");
    says_shadow_root(read(
        UNCONFIRMED_URL,
        &after(UNCONFIRMED, FIRST_LIST, &closed),
    ));
    let list = include_str!("../www/customers.gitlab.com/admin/customer/index-priya.html");
    says_shadow_root(read(
        "https://customers.gitlab.com/admin/customer?query=priya",
        &replace(list, "</body>", &format!("{shadowed}</body>")),
    ));
}

/// Another extension's overlay (an element at the top of `<body>` with a shadow root of its
/// own, as grammar checkers and password managers add) holds no field: the page is read.
#[test]
fn another_extensions_overlay_with_a_shadow_root_costs_nothing() {
    let overlay = r#"<grammar-check-overlay><template shadowrootmode="open"><style>:host{all:initial}</style><div class="bubble"><button>Fix 3 issues</button></div></template></grammar-check-overlay>"#;
    // A child of <body> (where another extension's script adds it).
    let page = after(UNCONFIRMED, r#"<body class="rails_admin">"#, overlay);
    let a = show(UNCONFIRMED_URL, &page);
    assert_eq!(a.presence("confirmed_at"), Presence::Absent);
    // A shadow root anywhere else is where a field could be.
    let in_layout = overlay.replace("grammar-check-overlay", "div");
    says_shadow_root(read(
        UNCONFIRMED_URL,
        &after(UNCONFIRMED, r#"<body class="rails_admin">"#, &in_layout),
    ));
}

/// A template without a shadow root mode is inert, as in the browser: not read, and no
/// reason to give up on the page.
#[test]
fn a_plain_template_is_neither_read_nor_a_shadow_root() {
    for mode in ["", r#" shadowrootmode="none""#] {
        let template = format!(
            "<template{mode}>{}</template>",
            card("confirmed_at", "Confirmed at", "March 05, 2024 14:07")
        );
        let a = show(UNCONFIRMED_URL, &after(UNCONFIRMED, FIRST_LIST, &template));
        assert_eq!(a.presence("confirmed_at"), Presence::Absent, "{mode}");
    }
}

// -- 4. Content the engineer cannot see ----------------------------------------------------

#[test]
fn hidden_candidates_before_the_real_field_do_not_win() {
    for wrap in [
        r#"<div hidden>{}</div>"#,
        r#"<div style="color: red; display : none">{}</div>"#,
        r#"<div style="DISPLAY:NONE !important">{}</div>"#,
        r#"<template>{}</template>"#,
        r#"<div><dialog>{}</dialog></div>"#,
    ] {
        let blank = wrap.replace("{}", &card("confirmed_at", "Confirmed at", " - "));
        let a = show(CONFIRMED_URL, &before(CONFIRMED, CONFIRMED_FIELD, &blank));
        assert_eq!(confirmed_at(&a), &the_date(), "{wrap}");
    }
}

#[test]
fn a_hidden_field_alone_is_not_read_as_shown() {
    let hidden = format!(
        r#"<div hidden>{}</div>"#,
        card("confirmed_at", "Confirmed at", "March 05, 2024 14:07")
    );
    let a = show(UNCONFIRMED_URL, &after(UNCONFIRMED, FIRST_LIST, &hidden));
    assert_eq!(a.presence("confirmed_at"), Presence::Absent);
}

/// Bootstrap's collapsed groups are one click away: they count.
#[test]
fn a_collapsed_field_group_still_counts() {
    let page = after(
        UNCONFIRMED,
        FIRST_LIST,
        &format!(
            r#"<div class="collapse" id="more">{}</div>"#,
            card("confirmed_at", "Confirmed at", "March 05, 2024 14:07")
        ),
    );
    let a = show(UNCONFIRMED_URL, &page);
    assert_eq!(
        confirmed_at(&a),
        &Value::Time(UtcTime::from_civil(2024, 3, 5, 14, 7, 0))
    );
}

/// Two shown candidates that disagree: the page says two things, and the reader says so.
#[test]
fn two_shown_values_for_one_field_are_not_settled_by_order() {
    let blank = card("confirmed_at", "Confirmed at", " - ");
    let reading = read(CONFIRMED_URL, &before(CONFIRMED, CONFIRMED_FIELD, &blank));
    match reading {
        PageReading::Unreadable { reason, .. } => {
            assert!(reason.contains("two values on the page"), "{reason}");
            assert!(reason.contains("Confirmed at"), "{reason}");
        }
        other => panic!("expected the page to be called unreadable, got {other:?}"),
    }
    // Two that agree are one value.
    let same = card("confirmed_at", "Confirmed at", "February 14, 2025 09:31");
    let a = show(CONFIRMED_URL, &before(CONFIRMED, CONFIRMED_FIELD, &same));
    assert_eq!(confirmed_at(&a), &the_date());
}

// -- 5. SVG metadata -----------------------------------------------------------------------

/// `<desc>` and `<title>` of an SVG are not drawn, and their HTML content (they are HTML
/// integration points) is not drawn either: neither changes the value beside them.
#[test]
fn svg_metadata_beside_a_value_is_not_read() {
    for svg in [
        r#"<svg><desc><span class="badge bg-success"><span class="fas fa-check"></span></span></desc></svg>"#,
        r#"<svg><title>yes</title><desc>✓ confirmed</desc><metadata>x</metadata></svg>"#,
        r#"<svg class="badge bg-success"><path d="M0"/></svg>"#,
        r#"<span class="badge bg-success" hidden></span>"#,
    ] {
        let page = replace(
            CONFIRMED,
            "February 14, 2025 09:31",
            &format!("February 14, 2025 09:31 {svg}"),
        );
        let a = show(CONFIRMED_URL, &page);
        assert_eq!(confirmed_at(&a), &the_date(), "{svg}");
    }
}

/// The finding as reported: an SVG with a `<desc>` beside the date. Its `</desc>` was ignored
/// (the tree builder sent it to the HTML rules, where `desc` is "special"), so the rest of
/// the page, "Billable"'s badge included, ended up inside "Confirmed at"'s value.
#[test]
fn an_svg_desc_beside_a_date_keeps_the_page_in_its_place() {
    let served = show(CONFIRMED_URL, CONFIRMED);
    let page = replace(
        CONFIRMED,
        "February 14, 2025 09:31",
        "February 14, 2025 09:31 <svg><desc>Confirmed</desc></svg>",
    );
    let a = show(CONFIRMED_URL, &page);
    assert_eq!(confirmed_at(&a), &the_date());
    assert_eq!(a.fields, served.fields, "every field read as served");
}

/// A datetime field is a datetime whatever badge it holds; a boolean field still reads its.
#[test]
fn a_badge_types_only_a_boolean_field() {
    let badge = r#"<span class="badge bg-success"><span class="fas fa-check"></span></span>"#;
    let page = replace(
        CONFIRMED,
        "February 14, 2025 09:31",
        &format!("February 14, 2025 09:31 {badge}"),
    );
    let a = show(CONFIRMED_URL, &page);
    assert_eq!(confirmed_at(&a), &the_date());
    assert_eq!(
        a.field("login_activated").map(|f| &f.value),
        Some(&Value::Bool(Some(true)))
    );
}
