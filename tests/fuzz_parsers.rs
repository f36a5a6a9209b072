//! Property-based fuzzing of every parser of page text, natively: dates (`core::time`,
//! `core::mail::shown_time`), addresses (`core::email`), URLs (`core::url`), Mailgun's event
//! JSON (`core::mail::json` through serde_json, `core::mail::events_api::parse_value` on
//! arbitrary trees and on mutated real responses), the classification of subjects and status
//! text, and the account-field helpers. Each property says: no panic, and what comes out is
//! sane.
//!
//! Cases per property: `PROPTEST_CASES` if set (`npm run fuzz` sets a large one), else the
//! default below, sized so this file runs in seconds in `npm test` on a slow machine.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::account::{self, Value};
use cdot_triage::core::email;
use cdot_triage::core::lookup::query::parse_query;
use cdot_triage::core::mail::classify;
use cdot_triage::core::mail::events_api::{parse_value, Context};
use cdot_triage::core::mail::json::Json;
use cdot_triage::core::mail::shown_time::{self, parse_range, parse_shown_time};
use cdot_triage::core::mail::{self, DomainSource, EventSource, MailDomain};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::similar;
use cdot_triage::core::time::{parse_admin_datetime, UtcTime};
use cdot_triage::core::url;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 512;

fn config() -> Config {
    let mut config = Config::default(); // reads PROPTEST_CASES
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    // Failures are reported with their minimal input; no regression files in the tree.
    config.failure_persistence = None;
    config
}

/// Text the way pages mix it: arbitrary Unicode, plus pieces of the formats the parsers know
/// (so a fuzzer also reaches the deep branches), joined by separators.
fn page_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        "[0-9]{1,20}",
        "-?[0-9]{1,6}(\\.[0-9]{0,12})?",
        "[+-][0-9]{2}:?[0-9]{2}",
        "(January|Feb|Nov|November|Sun|Tue|Mon),?",
        "(AM|PM|am|pm|UTC|GMT|Z|T|at|Last|last|Past|day|days|hour|hours|week|weeks|month|months)",
        "[0-9]{1,4}[/.-][0-9]{1,4}[/.-][0-9]{1,6}",
        "[0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3})?(\\.[0-9]{1,9})?",
        "[a-zA-Z0-9._%+-]{0,10}@[a-zA-Z0-9.-]{0,12}",
        "(https?://|mailto:|//|/|\\?|#|%|%2|%zz|&|=|\\+)",
        "[\u{202e}\u{200f}\u{feff}\u{a0}İẞ\u{307}]",
        "(Delivered|Permanent Fail|Temporary Fail|suppress-bounce|605|250 OK|Reset password instructions|パスワード)",
        non_ascii_text(),
    ];
    proptest::collection::vec(
        (
            piece,
            prop_oneof![Just(""), Just(" "), Just(", "), Just("\t")],
        ),
        0..8,
    )
    .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect::<String>())
}

/// Well-formed text of every format the parsers read (times, zones, ranges, addresses, URLs,
/// subjects, status text, admin fields, the popup's search box), each a few tokens long.
const WELL_FORMED: [&str; 32] = [
    "12/01/2026, 03:59:23 PM +0100",
    "11/22/26, 9:14 AM",
    "11/22/2026 21:14:03",
    "Nov 22, 2026, 9:14:03 AM UTC",
    "November 22, 2026 at 9:14 AM",
    "Sun, 22 Nov 2026 09:14:03 +0000",
    "Sun Nov 22 2026 10:14:03 GMT+0100 (Central European Standard Time)",
    "2026-11-22T10:14:03.120+01:00",
    "2026-11-22 09:14:03 UTC",
    "1795338843.123",
    "March 05, 2024 14:07",
    "March 5, 2024 14:07:09",
    "Tue, 05 Mar 2024 15:07:00 +0100",
    "2024-03-05",
    "GMT-05:30",
    "UTC+1",
    "Last 30 days",
    "Past 2 weeks",
    "Nov 1, 2026 – Nov 23, 2026",
    "11/01/2026 - 11/23/2026",
    "Priya.Raman@northwind-analytics.io",
    "GitLab <noreply@customers.gitlab.com>",
    "<20261122091403.1.AB@customers.gitlab.com>",
    "mailto:a.b+tag@example.co.uk?subject=Hi",
    "https://customers.gitlab.com/admin/customer?query=a%40b.c&x=1#top",
    "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
    "Reset password instructions",
    "605 Not delivering to previously bounced address",
    "Permanent Fail",
    "/admin/customer/4711/edit",
    "Showing 1 to 20 of 1,234",
    "true",
];

/// Non-ASCII characters, several of them lookalikes of what the formats are made of (digits,
/// signs, colons, spaces, a combining mark) and of several UTF-8 lengths.
const NON_ASCII: [char; 11] = [
    'é', '€', '\u{a0}', 'İ', '٣', '𝟙', '：', '＋', '\u{301}', '😀', '\u{202e}',
];

/// `text` with `c` in place of `replace` (0 to 2) characters from its `at`-th: inserted, or
/// replacing one or two (two ASCII characters for a two-byte one keeps a token's byte length,
/// as in `+0100` → `+1é1`, which the old length checks let through to a byte slice).
fn with_non_ascii(text: &str, at: usize, c: char, replace: usize) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, ch) in text.chars().enumerate() {
        if i == at {
            out.push(c);
        }
        if i >= at && i < at + replace {
            continue;
        }
        out.push(ch);
    }
    if at >= text.chars().count() {
        out.push(c);
    }
    out
}

/// A well-formed text with a non-ASCII character at any position: inside any token (the zone
/// `+1é1` panicked the zone parser: issue 17).
fn non_ascii_text() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(WELL_FORMED.as_slice()),
        any::<proptest::sample::Index>(),
        prop_oneof![
            proptest::sample::select(NON_ASCII.as_slice()),
            any::<char>().prop_filter("not ASCII", |c| !c.is_ascii()),
        ],
        0..=2usize,
    )
        .prop_map(|(text, at, c, replace)| {
            with_non_ascii(text, at.index(text.chars().count() + 1), c, replace)
        })
}

/// Every parser of page text on `text`: no panic, and sane times.
fn every_parser(text: &str) {
    let settings = Settings::default();
    for offset in [0, 3600, -19_800] {
        if let Some(t) = parse_admin_datetime(text, offset) {
            check_time(t);
        }
        if let Value::Time(t) = account::type_value(Some("datetime"), text, offset) {
            check_time(t);
        }
    }
    if let Some(shown) = parse_shown_time(text) {
        let _ = shown.to_utc(&|_| Some(60)).0.to_string();
        let _ = shown.to_utc(&|_| None);
    }
    let _ = shown_time::looks_like_time(text);
    if let Some(range) = parse_range(text, &|_| Some(-300)) {
        let _ = (range.from.map(|t| t.to_string()), range.to);
    }
    let _ = (email::normalise(text), email::is_address(text));
    let _ = (
        mail::address_in(text),
        mail::host_of(text),
        mail::is_host_name(text),
    );
    let _ = MailDomain::from_host(text, &settings);
    let _ = mail::surface_of(text, &settings);
    let _ = similar::compare(text, "priya.raman@northwind-analytics.io");
    let _ = url::host_and_path(text);
    let _ = url::absolute("https://customers.gitlab.com/admin/customer", text);
    let _ = url::absolute(text, "/admin/customer/1");
    let _ = (url::query_param(text, "query"), url::decode_component(text));
    let _ = classify::kind_of_subject(text);
    let _ = classify::outcome_from_word(text, Some(text));
    let _ = classify::outcome_from_api(text, Some(text), Some(text), Some(text), Some(text));
    let _ = classify::suppression(Some(text), Some(text), Some(text));
    let _ = classify::leading_code(text);
    let _ = (account::is_blank_text(text), account::humanize(text));
    let _ = (
        account::name_from_label(text),
        account::parse_admin_path(text),
    );
    let _ = account::parse_total_count(text);
    let _ = parse_query(text);
}

/// Every parser, with each of the non-ASCII characters inserted before (and in place of one
/// and of two) every character of every well-formed text: every token position, exhaustively.
#[test]
fn non_ascii_in_every_token_position() {
    let mut n = 0;
    for text in WELL_FORMED {
        every_parser(text);
        for at in 0..=text.chars().count() {
            for c in NON_ASCII {
                for replace in 0..=2 {
                    every_parser(&with_non_ascii(text, at, c, replace));
                    n += 1;
                }
            }
        }
    }
    assert!(n > 10_000, "{n}");
}

/// A plausible-looking instant in any year the parsers might accept.
fn check_time(t: UtcTime) {
    let (y, mo, d, h, mi, s) = t.to_civil();
    assert!((1..=12).contains(&mo) && (1..=31).contains(&d), "{t:?}");
    assert!(h < 24 && mi < 60 && s < 60, "{t:?}");
    assert!(
        UtcTime::from_civil(y, mo, d, h, mi, s) == t,
        "{t:?} round trip"
    );
    let shown = t.to_string();
    assert!(shown.ends_with(" UTC"), "{shown}");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn admin_datetimes(text in page_text(), offset in -86_400i64..=86_400) {
        if let Some(t) = parse_admin_datetime(&text, offset) {
            check_time(t);
        }
    }

    /// What RailsAdmin renders reads back as the instant it rendered.
    #[test]
    fn admin_datetimes_round_trip(secs in 0i64..=7_258_118_400) {
        let t = UtcTime(secs / 60 * 60);
        let (y, mo, d, h, mi, _) = t.to_civil();
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December"];
        let shown = format!("{} {d:02}, {y} {h:02}:{mi:02}", MONTHS[mo as usize - 1]);
        prop_assert_eq!(parse_admin_datetime(&shown, 0), Some(t));
        prop_assert_eq!(parse_admin_datetime(&format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:00 UTC"), 0), Some(t));
    }

    #[test]
    fn mailgun_shown_times(text in page_text(), local in proptest::option::of(-1440i32..=1440)) {
        if let Some(shown) = parse_shown_time(&text) {
            let (t, _basis) = shown.to_utc(&|_| local);
            let _ = t.to_string();
            let _ = shown.wall.to_civil();
        }
    }

    #[test]
    fn mailgun_shown_times_any_offset(text in page_text(), local in any::<Option<i32>>()) {
        if let Some(shown) = parse_shown_time(&text) {
            let _ = shown.to_utc(&|_| local);
        }
    }

    #[test]
    fn mailgun_ranges(text in page_text(), local in proptest::option::of(-1440i32..=1440)) {
        if let Some(range) = parse_range(&text, &|_| local) {
            if let (Some(from), Some(to)) = (range.from, range.to) {
                prop_assert!(from <= to, "{:?}", range);
            }
            let _ = range.from.map(|t| t.to_string());
            let _ = range.to.map(|t| t.to_string());
        }
    }

    #[test]
    fn ranges_of_any_length(n in any::<u32>(), unit in "(day|hour|week|month|year)s?") {
        let _ = parse_range(&format!("Last {n} {unit}"), &|_| None);
        let _ = parse_range(&format!("Past {n} {unit}"), &|_| Some(60));
    }

    /// A key is an address, and normalising it again changes nothing.
    #[test]
    fn addresses(text in prop_oneof![page_text(), "[\\PC]{1,6}@[\\PC]{1,6}\\.[\\PC]{1,4}",
        // Letters whose lower case is longer or different (İ → i̇, K Kelvin → k).
        "[a-zA-ZİıẞßΣσςÅ\u{212a}\u{212b}.+_-]{1,6}@[a-zA-ZİΣ\u{212a}-]{1,6}\\.[a-zA-ZΣİ]{2,4}"]) {
        let _ = email::is_address(&text);
        if let Some(key) = email::normalise(&text) {
            prop_assert!(email::is_address(&key), "{:?} → {:?}", text, key);
            prop_assert_eq!(email::normalise(&key), Some(key.clone()));
            prop_assert_eq!(key.to_lowercase(), key.clone());
        }
        if let Some(inner) = mail::address_in(&text) {
            prop_assert!(email::is_address(&inner));
        }
        if let Some(host) = mail::host_of(&text) {
            prop_assert!(mail::is_host_name(&host), "{:?}", host);
        }
    }

    #[test]
    fn similar_addresses(a in page_text(), b in page_text()) {
        let _ = similar::compare(&a, &b);
        let d = similar::edit_distance(&a, &b);
        prop_assert!(d <= a.chars().count().max(b.chars().count()));
        prop_assert_eq!(similar::edit_distance(&a, &a), 0);
    }

    /// A Mailgun API request for any domain and address: each is one path segment (or the
    /// recipient's one query value) on the API host, or no request at all.
    #[test]
    fn mailgun_requests(domain in page_text(), address in page_text()) {
        use cdot_triage::core::lookup::mailgun_api::{events_url, may_send_key, suppression_url, LISTS};
        let s = Settings::default();
        let no_segment = |t: &str| matches!(t, "" | "." | "..");
        let segments = |u: &str| -> Vec<String> {
            ::url::Url::parse(u)
                .unwrap()
                .path_segments()
                .unwrap()
                .map(url::decode_component) // never a `+` in them: it is `%2B`
                .collect()
        };
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let events = events_url(&s, &domain, &address, now);
        if no_segment(&domain) {
            prop_assert_eq!(&events, "");
        } else {
            prop_assert!(may_send_key(&s, &events), "{:?}", events);
            prop_assert_eq!(segments(&events), ["v3", domain.as_str(), "events"]);
            prop_assert_eq!(url::query_param(&events, "recipient"), Some(address.clone()));
            prop_assert_eq!(url::query_param(&events, "limit"), Some("300".to_string()));
        }
        for list in LISTS {
            match suppression_url(&s, &domain, list, &address) {
                None => prop_assert!(no_segment(&domain) || no_segment(&address)),
                Some(u) => {
                    prop_assert!(may_send_key(&s, &u), "{:?}", u);
                    let got = segments(&u);
                    prop_assert_eq!(got.len(), 4, "{:?}", u);
                    prop_assert_eq!(&got[1], &domain);
                    prop_assert_eq!(&got[3], &address);
                    prop_assert!(!u.contains(['?', '#']), "{:?}", u);
                }
            }
        }
    }

    /// Links from a page never lead off the page's host, and never anywhere but https.
    #[test]
    fn urls(page in page_text(), href in page_text(), name in page_text()) {
        let page_url = format!("https://customers.gitlab.com/{page}");
        for page_url in [page.as_str(), page_url.as_str()] {
            let host = url::host_of(page_url);
            prop_assert!(!host.contains(['/', '?', '#', '@', ':', '\\']), "{:?}", host);
            if let Some((_, path)) = url::host_and_path(page_url) {
                prop_assert!(path.starts_with('/'), "{:?}", path);
            }
            if let Some(link) = url::absolute(page_url, &href) {
                prop_assert!(link.starts_with("https://"), "{:?}", link);
                prop_assert!(url::host_of(&link) == host, "{:?} from {:?}", link, page_url);
                prop_assert!(url::is_page_of(&link, &host, "/"), "{:?}", link);
            }
            let _ = url::query_param(page_url, &name);
            let _ = mail::surface_of(page_url, &Settings::default());
        }
        prop_assert_eq!(url::decode_component(&url::encode_component(&name)), name.clone());
        let _ = url::decode_component(&href);
    }

    #[test]
    fn classification(subject in page_text(), word in page_text(), message in proptest::option::of(page_text()),
                      code in proptest::option::of(page_text()), reason in proptest::option::of(page_text())) {
        let _ = classify::kind_of_subject(&subject);
        if let Some(outcome) = classify::outcome_from_word(&word, message.as_deref()) {
            let _ = (outcome.slug(), outcome.label());
        }
        let outcome = classify::outcome_from_api(&word, reason.as_deref(), reason.as_deref(), code.as_deref(), message.as_deref());
        let _ = (outcome.slug(), outcome.label(), outcome.is_failure(), outcome.reached_recipient());
        let _ = classify::suppression(reason.as_deref(), code.as_deref(), message.as_deref());
        if let Some(code) = classify::leading_code(&subject) {
            prop_assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn account_fields(raw in page_text(), kind in proptest::option::of("(datetime|timestamp|date|time|integer|bigint|boolean|string|text)"),
                      offset in -86_400i64..=86_400) {
        if let Value::Time(t) = account::type_value(kind.as_deref(), &raw, offset) {
            check_time(t);
        }
        let _ = account::is_blank_text(&raw);
        let _ = account::humanize(&raw);
        let _ = account::name_from_label(&raw);
        let _ = account::parse_admin_path(&raw);
        let _ = account::parse_total_count(&raw);
    }
}

// --- Mailgun JSON ---------------------------------------------------------------------------

const FIXTURES: [&str; 5] = [
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page1.json"),
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page2.json"),
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page3.json"),
    include_str!("../www/api.mailgun.net/v3/mg.gitlab.com/events-priya.json"),
    include_str!("../www/api.mailgun.net/v3/mg.gitlab.com/events-priya-end.json"),
];

/// Keys Mailgun's JSON has, so that generated objects hit the parser's look-ups.
const KEYS: [&str; 24] = [
    "items",
    "paging",
    "pagination",
    "next",
    "event",
    "timestamp",
    "recipient",
    "message",
    "headers",
    "subject",
    "to",
    "from",
    "message-id",
    "delivery-status",
    "code",
    "description",
    "severity",
    "reason",
    "envelope",
    "sender",
    "id",
    "storage",
    "tags",
    "user-variables",
];

fn json_leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<f64>().prop_map(Json::Number),
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(1e300),
            Just(1_763_802_843.123)
        ]
        .prop_map(Json::Number),
        page_text().prop_map(Json::String),
    ]
}

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![3 => proptest::sample::select(&KEYS[..]).prop_map(str::to_string), 1 => any::<String>()]
}

fn arbitrary_json() -> impl Strategy<Value = Json> {
    json_leaf().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
            proptest::collection::vec((json_key(), inner), 0..8).prop_map(Json::Object),
        ]
    })
}

/// One change to a tree: which node (an index into a pre-order walk, modulo its size) and
/// what happens to it.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Json),
    Remove,
    Duplicate,
    RenameKey(String),
    Stringify,
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let m = prop_oneof![
        2 => json_leaf().prop_map(Mutation::Replace),
        1 => arbitrary_json().prop_map(Mutation::Replace),
        2 => Just(Mutation::Remove),
        1 => Just(Mutation::Duplicate),
        1 => json_key().prop_map(Mutation::RenameKey),
        1 => Just(Mutation::Stringify),
    ];
    (any::<usize>(), m)
}

fn count(node: &Json) -> usize {
    1 + match node {
        Json::Array(items) => items.iter().map(count).sum(),
        Json::Object(members) => members.iter().map(|(_, v)| count(v)).sum(),
        _ => 0,
    }
}

/// Applies `m` to the `target`-th node of a pre-order walk (a structural change, to that
/// node within its parent; the root can only be replaced). Returns whether it was reached.
fn mutate(node: &mut Json, target: &mut usize, m: &Mutation) -> bool {
    if *target == 0 {
        match m {
            Mutation::Replace(with) => *node = with.clone(),
            Mutation::Stringify => *node = Json::String(format!("{node:?}")),
            _ => {}
        }
        return true;
    }
    *target -= 1;
    let structural = matches!(
        m,
        Mutation::Remove | Mutation::Duplicate | Mutation::RenameKey(_)
    );
    match node {
        Json::Array(items) => {
            for i in 0..items.len() {
                if *target == 0 && structural {
                    match m {
                        Mutation::Remove => drop(items.remove(i)),
                        Mutation::Duplicate => items.insert(i, items[i].clone()),
                        _ => {}
                    }
                    return true;
                }
                if mutate(&mut items[i], target, m) {
                    return true;
                }
            }
        }
        Json::Object(members) => {
            for i in 0..members.len() {
                if *target == 0 && structural {
                    match m {
                        Mutation::Remove => drop(members.remove(i)),
                        Mutation::Duplicate => members.insert(i, members[i].clone()),
                        Mutation::RenameKey(key) => members[i].0 = key.clone(),
                        _ => {}
                    }
                    return true;
                }
                if mutate(&mut members[i].1, target, m) {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}

fn contexts(settings: &Settings) -> Vec<Context<'_>> {
    vec![
        Context {
            settings,
            page_domain: None,
            source: EventSource::DetailJson,
        },
        Context {
            settings,
            page_domain: Some((MailDomain::CustomersPortal, DomainSource::Url)),
            source: EventSource::EventsApi,
        },
        Context {
            settings,
            page_domain: Some((
                MailDomain::Other("example.org".into()),
                DomainSource::PageControl,
            )),
            source: EventSource::Row,
        },
    ]
}

fn check_parsed(value: &Json) {
    let settings = Settings::default();
    for ctx in contexts(&settings) {
        let parsed = parse_value(value, &ctx);
        assert!(
            parsed.events.len() <= parsed.items_seen.max(1),
            "{parsed:?}"
        );
        for event in &parsed.events {
            if let Some(key) = &event.recipient_key {
                assert!(email::is_address(key), "{key:?}");
            }
            assert_eq!(
                event.domain_source.is_none(),
                event.domain == MailDomain::Unknown,
                "{event:?}"
            );
            let _ = event.describe(&settings);
            let _ = event.timestamp.map(|t| t.to_string());
        }
        if let Some(next) = &parsed.next_page {
            assert!(!next.trim().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any text: serde_json's reader into the lenient tree (standing in for `JSON.parse` +
    /// serde-wasm-bindgen) never panics, and whatever it yields the parser reads.
    #[test]
    fn json_text(text in prop_oneof![any::<String>(), page_text()]) {
        if let Ok(value) = serde_json::from_str::<Json>(&text) {
            check_parsed(&value);
        }
    }

    /// Arbitrary trees, with Mailgun's keys likely.
    #[test]
    fn json_trees(value in arbitrary_json()) {
        check_parsed(&value);
        check_parsed(&Json::Object(vec![("items".into(), value.clone())]));
        check_parsed(&Json::Array(vec![value]));
    }

    /// The real responses of www/api.mailgun.net with up to eight changes each.
    #[test]
    fn mutated_responses(which in 0..FIXTURES.len(), mutations in proptest::collection::vec(mutation(), 1..8)) {
        let mut value: Json = serde_json::from_str(FIXTURES[which]).expect("fixture is JSON");
        for (at, m) in &mutations {
            let mut target = at % count(&value);
            mutate(&mut value, &mut target, m);
        }
        check_parsed(&value);
        if let Json::Object(members) = &value {
            if let Some(Json::Array(items)) = members.iter().find(|(k, _)| k == "items").map(|(_, v)| v) {
                for item in items {
                    check_parsed(item);
                }
            }
        }
    }

    /// Text edits of the real responses (a truncated or corrupted download).
    #[test]
    fn mutated_response_text(which in 0..FIXTURES.len(), cut in any::<usize>(), splice in page_text(), at in any::<usize>()) {
        let text = FIXTURES[which];
        let boundary = |i: usize| (0..=i.min(text.len())).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0);
        let truncated = &text[..boundary(cut % (text.len() + 1))];
        let at = boundary(at % (text.len() + 1));
        let spliced = format!("{}{splice}{}", &text[..at], &text[at..]);
        for candidate in [truncated, spliced.as_str()] {
            if let Ok(value) = serde_json::from_str::<Json>(candidate) {
                check_parsed(&value);
            }
        }
    }
}

#[test]
fn the_fixtures_parse_cleanly() {
    for text in FIXTURES {
        let value: Json = serde_json::from_str(text).expect("fixture is JSON");
        check_parsed(&value);
    }
}

/// Deep nesting within serde_json's limit is walked without overflowing the stack.
#[test]
fn deeply_nested_json() {
    let depth = 60; // two levels each: within serde_json's limit of 128
    let text = format!("{}{}", "{\"items\":[".repeat(depth), "]}".repeat(depth));
    let value: Json = serde_json::from_str(&text).expect("within serde_json's recursion limit");
    check_parsed(&value);
}
