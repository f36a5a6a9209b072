//! The banner's keyed update (`frame::render::Painter`), in headless Chromium: a view painted
//! over another reads exactly as a fresh render of it, the parts that did not change keep
//! their nodes (an opened evidence list stays open and is updated), evidence lines are built
//! only when opened, and a long list shows its first lines and "Show all (N)".
//! `cargo test --target wasm32-unknown-unknown --test render_update`
#![cfg(target_arch = "wasm32")]

use cdot_triage::core::observation::{self, Observation};
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use cdot_triage::core::view::{banner_view, BannerView};
use cdot_triage::frame::render::{self, Lists, Painter, FIRST_LINES};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const UNCONFIRMED: (&str, &str) = (
    "https://customers.gitlab.com/admin/customer/4711",
    include_str!("../www/customers.gitlab.com/admin/customer/4711.html"),
);
const CONFIRMED: (&str, &str) = (
    "https://customers.gitlab.com/admin/customer/4712",
    include_str!("../www/customers.gitlab.com/admin/customer/4712.html"),
);
const SEARCH: (&str, &str) = (
    "https://customers.gitlab.com/admin/customer?query=dlamini",
    include_str!("../www/customers.gitlab.com/admin/customer/index-dlamini.html"),
);
const MAILGUN: (&str, &str) = (
    "https://app.mailgun.com/mg/reporting/logs",
    include_str!("../www/app.mailgun.com/mg/reporting/logs.html"),
);
const MAILGUN_OLD: (&str, &str) = (
    "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
    include_str!("../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs.html"),
);

fn now() -> UtcTime {
    UtcTime::from_millis(1_795_000_000_000.0)
}

fn read((url, html): (&str, &str)) -> PageReading {
    Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: Vec::new(),
    }
    .read(&Settings::default(), &|_| Some(0))
}

/// The view of `page` with what `others` yielded stored.
fn view(page: (&str, &str), others: &[(&str, &str)]) -> BannerView {
    let reading = read(page);
    let mut observations: Vec<Observation> = observation::from_reading(&reading, now());
    for other in others {
        observations.extend(observation::from_reading(&read(*other), now()));
    }
    banner_view(&reading, &observations, now(), &Settings::default())
}

/// Every list long: rows, recipients and their events, evidence, problems.
fn long(mut v: BannerView) -> BannerView {
    let rows = v.rows.clone();
    let recipients = v.recipients.clone();
    for i in 0..4 * FIRST_LINES {
        v.rows.extend(rows.iter().cloned().map(|mut r| {
            r.id = Some(format!("{}-{i}", r.id.unwrap_or_default()));
            r
        }));
        v.recipients.extend(recipients.iter().cloned().map(|mut r| {
            r.key = format!("{i}.{}", r.key);
            let events = r.events.clone();
            for _ in 0..i % 7 {
                r.events.extend(events.iter().cloned());
            }
            r
        }));
        v.problems.push(format!("problem {i}"));
    }
    for f in &mut v.findings {
        let evidence = f.evidence.clone();
        for _ in 0..2 * FIRST_LINES {
            f.evidence.extend(evidence.iter().cloned());
        }
    }
    v
}

fn views() -> Vec<(&'static str, BannerView)> {
    let unconfirmed = view(UNCONFIRMED, &[]);
    let mut reordered = unconfirmed.clone();
    reordered.findings.reverse();
    let mut fewer = unconfirmed.clone();
    fewer.findings.truncate(1);
    let mut stored = unconfirmed.clone();
    stored.storage = Some("The store kept part of this page.".into());
    let mut changed = unconfirmed.clone();
    if let Some(f) = changed.findings.first_mut() {
        f.title = format!("{} (changed)", f.title);
        f.reply = Some("Another reply".into());
        f.evidence.truncate(1);
    }
    let mut hidden = unconfirmed.clone();
    hidden.hidden = true;
    let mailgun = view(MAILGUN, &[]);
    let search = view(SEARCH, &[]);
    vec![
        ("unconfirmed", unconfirmed.clone()),
        (
            "unconfirmed + mailgun",
            view(UNCONFIRMED, &[MAILGUN_OLD, MAILGUN]),
        ),
        ("reordered", reordered),
        ("fewer", fewer),
        ("stored", stored),
        ("changed", changed),
        ("hidden", hidden),
        ("confirmed", view(CONFIRMED, &[])),
        ("search", search.clone()),
        ("search, long", long(search)),
        ("mailgun", mailgun.clone()),
        ("mailgun, long", long(mailgun.clone())),
        ("mailgun, long, first part", {
            let mut first = long(mailgun);
            first.split_first().expect("cut");
            first
        }),
        ("unconfirmed, long", long(unconfirmed)),
    ]
}

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn root(doc: &Document) -> Element {
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn fresh(doc: &Document, view: &BannerView, collapsed: bool) -> String {
    let root = root(doc);
    render::render(doc, &root, view, collapsed).unwrap();
    let html = root.inner_html();
    root.remove();
    html
}

// Some 500 pairs of renders in a debug build take tens of seconds: the test gives the event
// loop a turn after each pair of views, so the browser stays responsive to the test runner (a
// renderer busy for 30 s is taken for a hung one).
#[wasm_bindgen_test]
async fn an_update_reads_as_a_fresh_render() {
    let doc = doc();
    let views = views();
    for (a_name, a) in &views {
        for (b_name, b) in &views {
            cdot_triage::js::sleep(0).await;
            for (a_collapsed, b_collapsed) in [(false, false), (false, true), (true, false)] {
                let root = root(&doc);
                let mut painter = Painter::new();
                painter.paint(&doc, &root, a, a, a_collapsed).unwrap();
                painter.paint(&doc, &root, a, b, b_collapsed).unwrap();
                assert_eq!(
                    root.inner_html(),
                    fresh(&doc, b, b_collapsed),
                    "{a_name} (collapsed: {a_collapsed}) then {b_name} (collapsed: {b_collapsed})"
                );
                root.remove();
            }
        }
    }
}

/// The text of every event line built, in order.
fn built_events(root: &Element) -> Vec<String> {
    let lines = root.query_selector_all("[data-event]").unwrap();
    (0..lines.length())
        .map(|i| lines.item(i).unwrap().text_content().unwrap())
        .collect()
}

/// Every event of the view's recipients, in its order.
fn event_texts(view: &BannerView) -> Vec<String> {
    view.recipients
        .iter()
        .flat_map(|r| r.events.iter().map(|e| e.text.clone()))
        .collect()
}

fn q(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} not found"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
fn unchanged_parts_keep_their_nodes_and_an_open_evidence_list_follows_new_evidence() {
    let doc = doc();
    let a = view(UNCONFIRMED, &[]);
    let mut b = a.clone();
    b.storage = Some("The store kept part of this page.".into());
    let first = b.findings[0].id;
    let extra = b.findings[0].evidence[0].clone();
    b.findings[0].evidence.push(extra);
    let root = root(&doc);
    let mut painter = Painter::new();
    painter.paint(&doc, &root, &a, &a, false).unwrap();
    // Closed, the evidence has no lines yet.
    assert_eq!(count(&root, ".evidence-lines"), 0);
    let finding = format!("[data-finding=\"{first}\"]");
    let details = q(&root, &format!("{finding} details.evidence"));
    details.set_attribute("open", "").unwrap();
    render::opened(&doc, &a.findings, &details).unwrap();
    let lines = a.findings[0].evidence.len() as u32;
    assert_eq!(count(&details, "li"), lines);
    let facts = q(&root, ".facts");
    let verdict = q(&root, "[data-verdict]");
    let summary: HtmlElement = q(&details, "summary").dyn_into().unwrap();
    summary.focus().unwrap();

    painter.paint(&doc, &root, &a, &b, false).unwrap();
    assert!(q(&root, ".facts") == facts, "the facts are the same nodes");
    assert!(
        q(&root, "[data-verdict]") == verdict,
        "the verdict is the same node"
    );
    let again = q(&root, &format!("{finding} details.evidence"));
    assert!(again == details, "the evidence list is the same node");
    assert!(again.has_attribute("open"), "and still open");
    assert_eq!(count(&again, "li"), lines + 1, "with the new line");
    assert_eq!(
        q(&again, "summary").text_content().unwrap(),
        format!("Evidence ({})", lines + 1)
    );
    assert_eq!(count(&root, "[data-storage]"), 1);
    let focused = doc.active_element().expect("focus kept");
    assert!(
        focused == q(&again, "summary"),
        "the focus stays on the summary"
    );
    root.remove();
}

// The frame changes the storage line of the view it shows in place (the store's answer came
// after the paint) and paints that same view again: the painter keeps no copy of the view, so
// it must remember the line it painted.
#[wasm_bindgen_test]
fn a_storage_line_changed_in_place_is_painted() {
    let doc = doc();
    let mut v = view(UNCONFIRMED, &[]);
    let root = root(&doc);
    let mut painter = Painter::new();
    painter.paint(&doc, &root, &v, &v, false).unwrap();
    assert_eq!(count(&root, "[data-storage]"), 0);
    let facts = q(&root, ".facts");
    for line in [
        Some("The store kept part of this page."),
        Some("Other"),
        None,
    ] {
        v.storage = line.map(String::from);
        painter.paint(&doc, &root, &v, &v, false).unwrap();
        assert_eq!(root.inner_html(), fresh(&doc, &v, false), "{line:?}");
        assert!(q(&root, ".facts") == facts, "the facts are the same nodes");
    }
    root.remove();
}

#[wasm_bindgen_test]
fn focus_comes_back_to_a_replaced_control() {
    let doc = doc();
    let a = view(UNCONFIRMED, &[]);
    let root = root(&doc);
    let mut painter = Painter::new();
    painter.paint(&doc, &root, &a, &a, false).unwrap();
    let toggle: HtmlElement = q(&root, "[data-action=collapse]").dyn_into().unwrap();
    toggle.focus().unwrap();
    painter.paint(&doc, &root, &a, &a, true).unwrap();
    let focused = doc.active_element().expect("focus kept");
    assert_eq!(
        focused.get_attribute("data-action").as_deref(),
        Some("collapse")
    );
    assert_eq!(focused.text_content().as_deref(), Some("▸ Expand"));
    root.remove();
}

#[wasm_bindgen_test]
fn a_long_list_shows_its_first_lines_and_show_all_the_rest() {
    let doc = doc();
    let v = long(view(MAILGUN, &[]));
    let root = root(&doc);
    render::render(&doc, &root, &v, false).unwrap();
    let events: usize = v.recipients.iter().map(|r| r.events.len() + 1).sum();
    let shown = count(&root, "[data-recipient]") + count(&root, "[data-event]");
    assert!(
        shown as usize <= FIRST_LINES + 5,
        "{shown} lines built of {events}"
    );
    let more = q(&root, "[data-more=recipients]");
    assert_eq!(
        more.text_content().unwrap(),
        format!("Show all ({})", v.recipients.len())
    );
    assert_eq!(more.tag_name(), "BUTTON");
    render::show_more(&doc, &Lists::of(&v), &more).unwrap();
    assert_eq!(
        count(&root, "[data-recipient]") as usize,
        v.recipients.len()
    );
    assert_eq!(count(&root, "[data-more=recipients]"), 0);
    // The keyboard is on the first recipient appended.
    let focused = doc.active_element().unwrap();
    assert!(focused.has_attribute("data-recipient"));
    // Each recipient's own events, completed on its own button.
    while let Some(more) = root.query_selector("[data-more=events]").unwrap() {
        render::show_more(&doc, &Lists::of(&v), &more).unwrap();
    }
    assert_eq!(
        built_events(&root),
        event_texts(&v),
        "every event, in the view's order"
    );

    // Rows and problems the same way.
    let s = long(view(SEARCH, &[]));
    render::render(&doc, &root, &s, false).unwrap();
    assert_eq!(count(&root, ".rows > li") as usize, FIRST_LINES);
    render::show_more(&doc, &Lists::of(&s), &q(&root, "[data-more=rows]")).unwrap();
    assert_eq!(count(&root, ".rows > li") as usize, s.rows.len());
    assert_eq!(count(&root, ".problem") as usize, FIRST_LINES);
    render::show_more(&doc, &Lists::of(&s), &q(&root, "[data-more=problems]")).unwrap();
    assert_eq!(count(&root, ".problem") as usize, s.problems.len());
    root.remove();
}

/// The frame's reader sends a long view's first part (`BannerView::split_first`): it is built
/// exactly as the whole view is, its "Show all" buttons say the whole lists' lengths, and
/// they complete from the whole view as the frame receives it on asking.
#[wasm_bindgen_test]
fn the_first_part_reads_as_the_whole_and_show_all_completes_it() {
    let doc = doc();
    let mut whole = long(view(MAILGUN, &[]));
    // The first recipient with more events than it shows at first, and the last (left out of
    // the first part) with more than it shows once appended.
    let events = &whole.recipients[0].events;
    whole.recipients[0].events = events.iter().cycle().take(25).cloned().collect();
    let last = whole.recipients.len() - 1;
    let events = &whole.recipients[last].events;
    whole.recipients[last].events = events
        .iter()
        .cycle()
        .take(2 * FIRST_LINES)
        .cloned()
        .collect();
    let mut first = whole.clone();
    first.split_first().expect("a long list is cut");
    assert!(first.recipients.len() < whole.recipients.len());
    assert_eq!(fresh(&doc, &first, false), fresh(&doc, &whole, false));
    let root = root(&doc);
    render::render(&doc, &root, &first, false).unwrap();
    let more = q(&root, "[data-more=recipients]");
    assert!(render::left_out(&first, &more), "the rest is the reader's");
    assert!(!render::left_out(&whole, &more));
    render::show_more(&doc, &Lists::of(&whole), &more).unwrap();
    // A recipient built first with its events cut, and one appended from the whole.
    let cut = first
        .recipients
        .iter()
        .find(|r| r.events_unsent > 0)
        .expect("a recipient's events cut");
    let button = |key: &str| {
        q(&root, &format!("[data-recipient=\"{key}\"]"))
            .query_selector("[data-more=events]")
            .unwrap()
            .unwrap()
    };
    assert!(render::left_out(&first, &button(&cut.key)));
    let appended = whole.recipients.last().unwrap();
    assert!(render::left_out(&first, &button(&appended.key)));
    while let Some(more) = root.query_selector("[data-more=events]").unwrap() {
        render::show_more(&doc, &Lists::of(&whole), &more).unwrap();
    }
    assert_eq!(
        built_events(&root),
        event_texts(&whole),
        "every event of the whole view, in its order"
    );
    root.remove();
}

#[wasm_bindgen_test]
fn long_evidence_opens_on_its_first_lines() {
    let doc = doc();
    let v = long(view(UNCONFIRMED, &[]));
    let root = root(&doc);
    render::render(&doc, &root, &v, false).unwrap();
    let f = &v.findings[0];
    let details = q(
        &root,
        &format!("[data-finding=\"{}\"] details.evidence", f.id),
    );
    assert_eq!(
        q(&details, "summary").text_content().unwrap(),
        format!("Evidence ({})", f.evidence.len())
    );
    assert_eq!(count(&details, "li"), 0);
    details.set_attribute("open", "").unwrap();
    render::opened(&doc, &v.findings, &details).unwrap();
    assert_eq!(count(&details, "li") as usize, FIRST_LINES);
    render::show_more(&doc, &Lists::of(&v), &q(&details, "[data-more=evidence]")).unwrap();
    assert_eq!(count(&details, "li") as usize, f.evidence.len());
    root.remove();
}
