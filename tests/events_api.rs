//! The Events API parser (`core::mail::events_api`) natively, with serde_json standing in for
//! the browser's `JSON.parse` + `crate::js::json_from_js`: the committed API fixtures of
//! www/api.mailgun.net, every documented event type, and malformed input.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::mail::events_api::{parse_value, Context, Parsed};
use cdot_triage::core::mail::json::Json;
use cdot_triage::core::mail::{
    DomainSource, EventSource, MailDomain, MailEvent, MailKind, Outcome, SuppressionList, TimeBasis,
};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;

const PAGE1: &str =
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page1.json");
const PAGE2: &str =
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page2.json");
const PAGE3: &str =
    include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page3.json");
const PRIYA: &str = include_str!("../www/api.mailgun.net/v3/mg.gitlab.com/events-priya.json");

fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("test JSON is valid")
}

fn api(text: &str, domain: MailDomain) -> Parsed {
    let settings = Settings::default();
    parse_value(
        &json(text),
        &Context {
            settings: &settings,
            page_domain: Some((domain, DomainSource::Url)),
            source: EventSource::EventsApi,
        },
    )
}

fn detail(text: &str, page_domain: Option<(MailDomain, DomainSource)>) -> Parsed {
    let settings = Settings::default();
    parse_value(
        &json(text),
        &Context {
            settings: &settings,
            page_domain,
            source: EventSource::DetailJson,
        },
    )
}

fn find<'a>(events: &'a [MailEvent], recipient: &str, event: &str) -> Vec<&'a MailEvent> {
    events
        .iter()
        .filter(|e| e.recipient_key.as_deref() == Some(recipient) && e.event_shown == event)
        .collect()
}

#[test]
fn page_one_reads_every_item_and_links_to_page_two() {
    let p = api(PAGE1, MailDomain::CustomersPortal);
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!((p.items_seen, p.events.len()), (11, 11));
    assert_eq!(
        p.next_page.as_deref(),
        Some("https://api.mailgun.net/v3/customers.gitlab.com/events/WzMsWyIyMDI2LTExLTIwVDEyOjMxOjA5LjAwMFoiXSwiZiIsMTFd")
    );
    assert!(p
        .events
        .iter()
        .all(|e| e.domain == MailDomain::CustomersPortal
            && e.domain_source == Some(DomainSource::Url)
            && e.source == EventSource::EventsApi
            && e.time_basis == Some(TimeBasis::Epoch)));

    let suppressed = find(&p.events, "t.nakamura@kitsune-robotics.jp", "failed");
    assert_eq!(suppressed.len(), 1);
    let e = suppressed[0];
    assert_eq!(e.outcome, Outcome::Suppressed(SuppressionList::Bounce));
    assert_eq!(e.kind, MailKind::Confirmation);
    assert_eq!(e.code.as_deref(), Some("605"));
    assert_eq!(
        e.message.as_deref(),
        Some("Not delivering to previously bounced address")
    );
    assert_eq!(e.reason.as_deref(), Some("suppress-bounce"));
    assert_eq!(e.severity.as_deref(), Some("permanent"));
    assert_eq!(
        e.timestamp,
        Some(UtcTime::from_civil(2026, 11, 19, 16, 42, 11))
    );

    let lena = find(&p.events, "lena.vogt@alpenrad-logistik.de", "delivered");
    assert_eq!(lena[0].outcome, Outcome::Delivered);
    assert_eq!(lena[0].kind, MailKind::PasswordReset);
    assert_eq!(lena[0].code.as_deref(), Some("250"));
    assert_eq!(
        lena[0].description, None,
        "an empty description is no description"
    );
    assert_eq!(
        lena[0].message_id.as_deref(),
        Some(
            format!(
                "20261122.{}@customers.gitlab.com",
                &lena[0].event_id.as_deref().unwrap()[..8]
            )
            .as_str()
        )
    );

    let temp = find(&p.events, "m.okafor@lagos-fintech.ng", "failed");
    assert_eq!(temp[0].outcome, Outcome::TemporaryFailure);
    assert_eq!(temp[0].code.as_deref(), Some("452"));
    let perm = find(&p.events, "d.fischer@brightwave-media.co.uk", "failed");
    assert_eq!(perm[0].outcome, Outcome::PermanentFailure);
    assert_eq!(perm[0].kind, MailKind::Unlock);
    assert_eq!(perm[0].reason.as_deref(), Some("bounce"));
    let kinds: Vec<Outcome> = p.events.iter().map(|e| e.outcome.clone()).collect();
    for o in [Outcome::Accepted, Outcome::Opened, Outcome::Clicked] {
        assert!(kinds.contains(&o), "{o:?}");
    }
}

#[test]
fn page_two_reports_what_it_cannot_list_and_keeps_unknown_events() {
    let p = api(PAGE2, MailDomain::CustomersPortal);
    assert_eq!((p.items_seen, p.events.len()), (13, 12));
    assert_eq!(
        p.problems,
        ["Event 12 not read: “stored” without a recipient address."]
    );
    assert!(p
        .next_page
        .as_deref()
        .is_some_and(|n| n.ends_with("LTIzVDA3OjU1OjE5LjAwMFoiXSwiZiIsMjNd")));
    let outcome = |r: &str, ev: &str| find(&p.events, r, ev)[0].outcome.clone();
    assert_eq!(
        outcome("s.alvarez@sol-y-mar.es", "complained"),
        Outcome::Complained
    );
    assert_eq!(
        outcome("s.alvarez@sol-y-mar.es", "failed"),
        Outcome::Suppressed(SuppressionList::Complaint)
    );
    assert_eq!(
        outcome("r.oconnor@harbourline.ie", "unsubscribed"),
        Outcome::Unsubscribed
    );
    assert_eq!(
        outcome("r.oconnor@harbourline.ie", "failed"),
        Outcome::Suppressed(SuppressionList::Unsubscribe)
    );
    let rejected = &find(&p.events, "k.brandt@alpenrad-logistik.de", "rejected")[0];
    assert_eq!(rejected.outcome, Outcome::Rejected);
    assert_eq!(rejected.kind, MailKind::EmailChanged);
    assert!(rejected
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("'to' parameter is not a valid address")));
    assert_eq!(
        outcome("ops@northwind-analytics.io", "list_member_uploaded"),
        Outcome::Other("list_member_uploaded".into())
    );
    // Spanish subject of a reset.
    assert_eq!(
        find(&p.events, "s.alvarez@sol-y-mar.es", "delivered")[0].kind,
        MailKind::PasswordReset
    );
}

#[test]
fn the_empty_page_three_ends_the_paging() {
    let p = api(PAGE3, MailDomain::CustomersPortal);
    assert_eq!(p, Parsed::default());
}

#[test]
fn gitlab_com_reset_for_priya() {
    let p = api(PRIYA, MailDomain::GitLabCom);
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!(p.events.len(), 3);
    assert!(p.events.iter().all(|e| e.domain == MailDomain::GitLabCom
        && e.kind == MailKind::PasswordReset
        && e.recipient_key.as_deref() == Some("priya.raman@northwind-analytics.io")));
    let outcomes: Vec<Outcome> = p.events.iter().map(|e| e.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [Outcome::Accepted, Outcome::Delivered, Outcome::Opened]
    );
}

#[test]
fn the_documented_example_event() {
    // The example of mailgun.md, as a detail panel shows it.
    let p = detail(
        r#"{"event": "failed", "severity": "permanent", "reason": "suppress-bounce",
 "timestamp": 1763800000.123, "recipient": "jane.doe@example.com",
 "envelope": {"sender": "noreply@customers.gitlab.com", "transport": "smtp"},
 "delivery-status": {"code": 605, "message": "Not delivering to previously bounced address",
                     "description": ""},
 "message": {"headers": {"to": "jane.doe@example.com", "subject": "Reset password instructions",
             "from": "GitLab <noreply@customers.gitlab.com>",
             "message-id": "20261122.abc@customers.gitlab.com"}}}"#,
        None,
    );
    assert_eq!(p.problems, Vec::<String>::new());
    let e = &p.events[0];
    assert_eq!(e.domain, MailDomain::CustomersPortal);
    assert_eq!(e.domain_source, Some(DomainSource::EnvelopeSender));
    assert_eq!(e.outcome, Outcome::Suppressed(SuppressionList::Bounce));
    assert_eq!(e.kind, MailKind::PasswordReset);
    assert_eq!(e.timestamp, Some(UtcTime(1_763_800_000)));
    assert_eq!(e.source, EventSource::DetailJson);
}

#[test]
fn domain_sources_in_order_and_never_guessed() {
    let one = |body: &str, page| {
        let p = detail(body, page);
        (
            p.events[0].domain.clone(),
            p.events[0].domain_source,
            p.problems,
        )
    };
    // message-id host, only when it is a known sending domain.
    assert_eq!(
        one(
            r#"{"event":"delivered","timestamp":1,"recipient":"a@b.co","message":{"headers":{"message-id":"<x@mg.gitlab.com>"}}}"#,
            None
        ),
        (MailDomain::GitLabCom, Some(DomainSource::MessageId), vec![])
    );
    assert_eq!(
        one(
            r#"{"event":"delivered","timestamp":1,"recipient":"a@b.co","message":{"headers":{"message-id":"<x@mail.example.org>","from":"Jane <jane@example.org>"}}}"#,
            None
        ),
        (MailDomain::Unknown, None, vec![])
    );
    assert_eq!(
        one(
            r#"{"event":"delivered","timestamp":1,"recipient":"a@b.co","message":{"headers":{"from":"GitLab <noreply@customers.gitlab.com>"}}}"#,
            None
        ),
        (
            MailDomain::CustomersPortal,
            Some(DomainSource::FromHeader),
            vec![]
        )
    );
    // The Logs API's domain.name; any host from the envelope sender.
    assert_eq!(
        one(
            r#"{"event":"delivered","@timestamp":"2026-11-22T09:14:05.000Z","recipient":"a@b.co","domain":{"name":"email.mg.gitlab.com"}}"#,
            None
        ),
        (
            MailDomain::Other("email.mg.gitlab.com".into()),
            Some(DomainSource::EventDomainField),
            vec![]
        )
    );
    // Nothing in the event: the page's domain.
    assert_eq!(
        one(
            r#"{"event":"opened","timestamp":1,"recipient":"a@b.co"}"#,
            Some((MailDomain::GitLabCom, DomainSource::PageControl))
        ),
        (
            MailDomain::GitLabCom,
            Some(DomainSource::PageControl),
            vec![]
        )
    );
    // A detail panel's event says otherwise than the page: the event wins, and it is said.
    let (d, src, problems) = one(
        r#"{"event":"opened","timestamp":1,"recipient":"a@b.co","envelope":{"sender":"bounce+x@customers.gitlab.com"}}"#,
        Some((MailDomain::GitLabCom, DomainSource::Url)),
    );
    assert_eq!(
        (d, src),
        (
            MailDomain::CustomersPortal,
            Some(DomainSource::EnvelopeSender)
        )
    );
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("envelope sender says customers.gitlab.com"));
}

#[test]
fn malformed_items_are_read_as_far_as_they_go() {
    let p = detail(
        r#"[
        {"event": "delivered", "timestamp": "1795338845.25", "recipient": "Priya.Raman@Northwind-Analytics.io",
         "delivery-status": {"code": "250", "message": null}},
        {"event": "failed", "timestamp": 1795338845, "recipient": 42,
         "message": {"headers": {"to": "Jane Doe <jane.doe@example.com>", "subject": 7}},
         "delivery-status": "bounced", "severity": ["permanent"]},
        {"event": 42, "timestamp": 1},
        {"timestamp": 1, "recipient": "a@b.co"},
        {"event": "", "timestamp": 1, "recipient": "a@b.co"},
        {"event": "accepted"},
        {"event": "accepted", "recipient": "not an address", "timestamp": 1},
        {"event": "opened", "recipient": "a@b.co", "timestamp": "soon"},
        {"event": "opened", "recipient": "a@b.co", "timestamp": -5},
        {"event": "failed", "recipient": "a@b.co", "timestamp": 2, "reason": "suppress-bounce",
         "delivery-status": {"code": 605.0}},
        {"event": "clicked", "recipient": "a@b.co", "@timestamp": "2026-11-22 09:14:05"},
        "delivered",
        null
    ]"#,
        None,
    );
    assert_eq!(p.items_seen, 13);
    let e = &p.events;
    assert_eq!(e.len(), 6, "{:#?}", p.problems);
    assert_eq!(
        e[0].recipient_key.as_deref(),
        Some("priya.raman@northwind-analytics.io")
    );
    assert_eq!(e[0].recipient, "Priya.Raman@Northwind-Analytics.io");
    assert_eq!(e[0].timestamp, Some(UtcTime(1_795_338_845)));
    assert_eq!(e[0].code.as_deref(), Some("250"));
    assert_eq!(e[0].message, None);
    // Recipient from the To header; a subject that is a number is shown as such; a
    // severity of the wrong type is not guessed.
    assert_eq!(e[1].recipient, "jane.doe@example.com");
    assert_eq!(e[1].subject.as_deref(), Some("7"));
    assert_eq!(e[1].outcome, Outcome::Failed);
    assert_eq!(e[1].code, None);
    assert_eq!(e[2].timestamp, None);
    assert_eq!(e[3].timestamp, None);
    assert_eq!(e[4].outcome, Outcome::Suppressed(SuppressionList::Bounce));
    assert_eq!(e[4].code.as_deref(), Some("605"));
    assert_eq!(
        e[5].timestamp, None,
        "an ISO time without zone is not guessed"
    );
    assert_eq!(
        p.problems,
        [
            "Event 3 not read: its event name is a number.",
            "Event 4 not read: no event name.",
            "Event 5 not read: no event name.",
            "Event 6 not read: “accepted” without a recipient address.",
            "Event 7 not read: “accepted” without a recipient address.",
            "Event 8: its timestamp (soon) is not epoch seconds; time unknown.",
            "Event 9: its timestamp (-5) is not epoch seconds; time unknown.",
            "Event 11: its @timestamp “2026-11-22 09:14:05” has no zone or format we know; time unknown.",
            "Event 12 not read: it is text, not an object.",
            "Event 13 not read: it is null, not an object.",
        ]
    );
}

#[test]
fn shapes_that_are_not_event_json() {
    let settings = Settings::default();
    let ctx = Context {
        settings: &settings,
        page_domain: None,
        source: EventSource::EventsApi,
    };
    let problems = |text: &str| parse_value(&json(text), &ctx).problems;
    assert_eq!(
        problems(r#"{"items": {"event": "delivered"}, "paging": {}}"#),
        ["The response's “items” is an object, not a list: no events read."]
    );
    assert_eq!(
        problems(r#""Unauthorized""#),
        ["The JSON is text that is neither an event nor an Events API page."]
    );
    assert_eq!(
        problems(r#"{"message": "Invalid private key"}"#),
        ["The JSON is an object that is neither an event nor an Events API page."]
    );
    // Logs API: `pagination.next`, `@timestamp` with a zone.
    let p = parse_value(
        &json(
            r#"{"items": [{"event": "delivered", "@timestamp": "2026-11-22T09:14:05.120Z",
                "recipient": "a@b.co", "domain": {"name": "customers.gitlab.com"}}],
                "pagination": {"next": "eyJwYWdlIjoyfQ=="}}"#,
        ),
        &ctx,
    );
    assert_eq!(p.next_page.as_deref(), Some("eyJwYWdlIjoyfQ=="));
    assert_eq!(
        p.events[0].timestamp,
        Some(UtcTime::from_civil(2026, 11, 22, 9, 14, 5))
    );
    assert_eq!(p.events[0].time_basis, Some(TimeBasis::ZoneShown));
    assert_eq!(p.events[0].domain, MailDomain::CustomersPortal);
}
