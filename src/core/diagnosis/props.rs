//! Property tests of the diagnosis (native only: proptest is not built for wasm32).
//!
//! Observations are generated from a byte seed per observation: any fact kind, any field
//! state (absent, blank, a time, unreadable), any mail domain (known, other, unknown), kind,
//! outcome, and times inside, before and without a timestamp.
#![allow(clippy::indexing_slicing, clippy::expect_used, clippy::unwrap_used)] // tests

use super::*;
use crate::core::account::{AccountRow, FieldMatch, Flavour, View};
use crate::core::email;
use crate::core::mail::{
    DomainSource, EventSource, MailDomain, MailEvent, MailKind, MailSearch, Outcome, RangeShown,
    SuppressionList,
};
use crate::core::similar;
use proptest::prelude::*;

const SUBJECT: &str = "jane.doe@example.com";

fn now() -> UtcTime {
    UtcTime::from_civil(2026, 11, 23, 12, 0, 0)
}

const URLS: [&str; 6] = [
    "https://customers.gitlab.com/admin/customer/1",
    "https://customers.gitlab.com/admin/customer/2/edit",
    "https://customers.gitlab.com/admin/customer?query=jane",
    "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
    "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
    "https://app.mailgun.com/mg/reporting/logs",
];

fn field(name: &str, raw: &str) -> Field {
    let ty = match name {
        "failed_attempts" => "integer",
        n if n.ends_with("_at") => "datetime",
        _ => "string",
    };
    Field::from_page(
        name.into(),
        name.replace('_', " "),
        Some(ty.into()),
        raw.into(),
        FieldMatch::Class,
        0,
    )
}

/// A time text for a field: absent (None), blank, unreadable or a date around now.
fn time_text(b: u8, offset_days: i64) -> Option<String> {
    match b % 4 {
        0 => None,
        1 => Some(" - ".into()),
        2 => Some("5 mars 2024".into()),
        _ => {
            let (y, m, d, h, min, _) = UtcTime(now().0 + offset_days * 86_400).to_civil();
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            Some(format!(
                "{} {d:02}, {y} {h:02}:{min:02}",
                MONTHS[m as usize - 1]
            ))
        }
    }
}

fn build(addr: &str, b: [u8; 12], ts_off: i64, seen_off: i64) -> Observation {
    let url = URLS[b[1] as usize % URLS.len()].to_string();
    let seen_at = UtcTime(now().0 - seen_off);
    let time = (!b[2].is_multiple_of(5)).then(|| UtcTime(now().0 + ts_off));
    let id = ((b[3] % 4) + 1).to_string();
    let fact = match b[0] % 5 {
        0 => {
            let mut fields = vec![field("email", addr)];
            let days = ts_off / 86_400;
            for (i, name) in [
                "confirmed_at",
                "locked_at",
                "current_sign_in_at",
                "last_sign_in_at",
                "reset_password_sent_at",
            ]
            .iter()
            .enumerate()
            {
                if let Some(t) = time_text(b[4 + i], days - i as i64) {
                    fields.push(field(name, &t));
                }
            }
            if b[9].is_multiple_of(3) {
                fields.push(field("failed_attempts", &(b[10] % 15).to_string()));
            }
            if b[9] % 4 == 1 {
                fields.push(field("unconfirmed_email", "jane@new-example.com"));
            }
            Fact::AccountShown(AccountSnapshot {
                url: url.clone(),
                record_id: (!b[11].is_multiple_of(5)).then(|| id.clone()),
                flavour: Flavour::RailsAdmin3,
                view: if b[11].is_multiple_of(3) {
                    View::Edit
                } else {
                    View::Show
                },
                recognised_by: if b[11].is_multiple_of(2) {
                    vec!["url".into(), "header".into()]
                } else {
                    vec!["url".into()]
                },
                fields,
            })
        }
        1 => Fact::AccountListed {
            row: AccountRow {
                id: (!b[4].is_multiple_of(3)).then(|| id.clone()),
                show_url: None,
                fields: vec![field("email", addr)],
            },
            query: Some("jane".into()),
        },
        2 => Fact::AdminSearched {
            query: addr.into(),
            rows: usize::from(b[4] % 3),
            total: b[5].is_multiple_of(2).then_some(u64::from(b[4] % 3)),
        },
        3 => {
            let domain = domain(b[4]);
            let outcome = match b[5] % 9 {
                0 => Outcome::Accepted,
                1 | 2 => Outcome::Delivered,
                3 => Outcome::TemporaryFailure,
                4 => Outcome::PermanentFailure,
                5 => Outcome::Rejected,
                6 => Outcome::Suppressed(SuppressionList::Bounce),
                7 => Outcome::Opened,
                _ => Outcome::Failed,
            };
            Fact::MailEvent(MailEvent {
                recipient: addr.into(),
                recipient_key: email::normalise(addr),
                domain_source: domain.is_known().then_some(DomainSource::Url),
                domain,
                kind: match b[6] % 4 {
                    0 | 1 => MailKind::PasswordReset,
                    2 => MailKind::Confirmation,
                    _ => MailKind::Other,
                },
                event_shown: outcome.label(),
                outcome,
                subject: Some("Reset password instructions".into()),
                reason: b[7].is_multiple_of(3).then(|| "suppress-bounce".into()),
                severity: None,
                code: (b[7] % 4 == 1).then(|| "605".into()),
                message: (b[7] % 5 == 2)
                    .then(|| "Not delivering to previously bounced address".into()),
                description: None,
                timestamp: time,
                time_shown: Some("Nov 22".into()),
                time_basis: None,
                event_id: b[8].is_multiple_of(2).then(|| format!("ev{}", b[8])),
                message_id: None,
                source: EventSource::Row,
            })
        }
        _ => Fact::MailSearched(MailSearch {
            domain: domain(b[4]),
            query: Some(addr.into()),
            filters: if b[5].is_multiple_of(4) {
                vec!["Event: failed".into()]
            } else {
                Vec::new()
            },
            range: match b[6] % 4 {
                0 => None,
                n => {
                    let days = [7u32, 30, 90][n as usize - 1];
                    Some(RangeShown {
                        text: format!("Last {days} days"),
                        last_days: Some(days),
                        from: None,
                        to: None,
                    })
                }
            },
            rows_seen: usize::from(b[7] % 3),
            empty_text: None,
        }),
    };
    Observation {
        key: email::normalise(addr).expect("an address"),
        shown: addr.into(),
        url,
        seen_at,
        fact,
    }
}

fn domain(b: u8) -> MailDomain {
    match b % 5 {
        0 | 1 => MailDomain::CustomersPortal,
        2 => MailDomain::GitLabCom,
        3 => MailDomain::Unknown,
        _ => MailDomain::Other("email.mg.gitlab.com".into()),
    }
}

/// Observations about the subject and addresses related to it (similar, the pending email).
fn related() -> impl Strategy<Value = Observation> {
    let addr = prop_oneof![
        Just("Jane.Doe@Example.com"),
        Just("jane.doe@example.com"),
        Just("jane_doe@example.com"),
        Just("jane.doe@exmaple.com"),
        Just("jane@new-example.com"),
    ];
    (
        addr,
        any::<[u8; 12]>(),
        -60 * 86_400i64..86_400,
        0i64..3 * 86_400,
    )
        .prop_map(|(a, b, t, s)| build(a, b, t, s))
}

/// Observations about addresses not similar to the subject.
fn unrelated() -> impl Strategy<Value = Observation> {
    let addr = "zz[a-z]{1,6}[._]?[a-z]{1,4}@[a-z]{3,8}\\.(org|net|io)"
        .prop_filter("not similar to the subject", |a| {
            similar::compare(SUBJECT, &a.to_lowercase()).is_none()
        });
    (
        addr,
        any::<[u8; 12]>(),
        -60 * 86_400i64..86_400,
        0i64..3 * 86_400,
    )
        .prop_map(|(a, b, t, s)| build(&a, b, t, s))
}

fn check_invariants(d: &Diagnosis, obs: &[Observation]) -> Result<(), TestCaseError> {
    let urls: Vec<&str> = obs.iter().map(|o| o.url.as_str()).collect();
    for f in &d.findings {
        if f.id != "missing-evidence" {
            prop_assert!(!f.evidence.is_empty(), "{} has no evidence", f.id);
        }
        for e in &f.evidence {
            prop_assert!(
                urls.contains(&e.source.as_str()),
                "{}: evidence source {} not an observation's URL",
                f.id,
                e.source
            );
        }
        prop_assert_eq!(
            FindingId::from_slug(f.id.as_str()),
            Some(f.id),
            "unknown id {}",
            f.id
        );
        prop_assert_eq!(f.severity, f.id.severity(), "{} severity", f.id);
        prop_assert_eq!(
            f.certain,
            !f.title.to_lowercase().contains("likely"),
            "{} title “{}”",
            &f.id,
            &f.title
        );
        let mut ids: Vec<&str> = d.findings.iter().map(|f| f.id.as_str()).collect();
        let n = ids.len();
        ids.dedup();
        prop_assert_eq!(ids.len(), n, "an id twice");
    }
    let keys: Vec<(Severity, FindingId)> = d.findings.iter().map(|f| (f.severity, f.id)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    prop_assert_eq!(keys, sorted, "problems, warnings, info; then table order");
    Ok(())
}

/// A mail event from a small alphabet of each field `same_event` compares, so that the same
/// event (by id, or by fields) comes up often, read twice or more.
fn near_duplicate() -> impl Strategy<Value = Observation> {
    any::<[u8; 9]>().prop_map(|b| {
        let pick = |i: usize, n: u8| b[i] % n;
        let time = |n: u8| match n {
            0 => None,
            n => Some(UtcTime(now().0 - i64::from(n) * 60)),
        };
        let event = MailEvent {
            recipient: SUBJECT.into(),
            recipient_key: (pick(0, 4) != 0).then(|| SUBJECT.into()),
            domain: domain(b[1]),
            domain_source: None,
            kind: MailKind::PasswordReset,
            outcome: [
                Outcome::Accepted,
                Outcome::Delivered,
                Outcome::TemporaryFailure,
            ][usize::from(pick(2, 3))]
            .clone(),
            subject: (pick(3, 3) != 0).then(|| ["a", "b"][usize::from(pick(3, 2))].into()),
            event_shown: String::new(),
            reason: None,
            severity: None,
            code: None,
            message: (pick(4, 3) != 0).then(|| ["OK", "ok"][usize::from(pick(4, 2))].into()),
            description: None,
            timestamp: time(pick(5, 3)),
            time_shown: (pick(6, 3) != 0)
                .then(|| ["Nov 22", "Nov 23"][usize::from(pick(6, 2))].into()),
            time_basis: None,
            event_id: (pick(7, 2) == 0).then(|| ["e1", "e2", "e3"][usize::from(pick(7, 3))].into()),
            message_id: None,
            source: [EventSource::Row, EventSource::EventsApi][usize::from(pick(8, 2))],
        };
        Observation {
            key: SUBJECT.into(),
            shown: SUBJECT.into(),
            url: URLS[3].into(),
            seen_at: now(),
            fact: Fact::MailEvent(event),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// `Ctx::events` (hashed, linear) keeps exactly the events a pairwise `same_event` walk
    /// keeps: the first reading of each event, in observation order.
    #[test]
    fn distinct_events_are_those_of_pairwise_same_event(
        obs in prop::collection::vec(near_duplicate(), 0..40),
    ) {
        let settings = Settings::default();
        let ctx = Ctx::new(SUBJECT, &obs, now(), &settings);
        let mut pairwise: Vec<&Observation> = Vec::new();
        for o in &obs {
            let Fact::MailEvent(e) = &o.fact else { continue };
            let seen = pairwise.iter().any(|p| match &p.fact {
                Fact::MailEvent(kept) => crate::core::mail::same_event(kept, e),
                _ => false,
            });
            if !seen {
                pairwise.push(o);
            }
        }
        // The kept events: those on a known domain (counted; the latest kept), and the
        // unplaced ones (listed). Every kept event is a reset here, so the domains' resets
        // list them all.
        let events = ctx.events();
        prop_assert_eq!(events.cdot.count, events.cdot.resets.len());
        prop_assert_eq!(events.glc.count, events.glc.resets.len());
        let mut hashed: Vec<*const Observation> = events
            .cdot
            .resets
            .iter()
            .chain(&events.glc.resets)
            .chain(&events.unplaced)
            .map(|(o, _)| *o as *const _)
            .collect();
        hashed.sort_by_key(|o| obs.iter().position(|p| std::ptr::eq(p, *o)));
        hashed.dedup();
        let pairwise: Vec<*const Observation> = pairwise.into_iter().map(|o| o as *const _).collect();
        prop_assert_eq!(hashed, pairwise);
    }

    #[test]
    fn unrelated_addresses_never_change_the_subject_findings(
        base in prop::collection::vec(related(), 0..14),
        extra in prop::collection::vec((unrelated(), any::<prop::sample::Index>()), 0..10),
    ) {
        let mut merged = base.clone();
        for (obs, at) in extra {
            let i = at.index(merged.len() + 1);
            merged.insert(i, obs);
        }
        let settings = Settings::default();
        let alone = diagnose(SUBJECT, &base, now(), &settings);
        let with = diagnose(SUBJECT, &merged, now(), &settings);
        prop_assert_eq!(&alone, &with);
        check_invariants(&with, &merged)?;
    }

    #[test]
    fn evidence_is_never_empty_and_always_from_an_observation(
        obs in prop::collection::vec(prop_oneof![3 => related(), 1 => unrelated()], 0..20),
        window in 1u32..90,
    ) {
        let settings = Settings { reset_window_days: window, ..Settings::default() };
        let d = diagnose(SUBJECT, &obs, now(), &settings);
        check_invariants(&d, &obs)?;
        // Deterministic: the same input gives the same output.
        prop_assert_eq!(&d, &diagnose(SUBJECT, &obs, now(), &settings));
    }
}

/// The suppression tests as first written (a lower-cased copy of each text): the reference
/// for the copy-free ones in `mail`.
mod suppression_reference {
    use crate::core::mail::{MailEvent, Outcome, SuppressionList};

    pub fn is_suppression(e: &MailEvent) -> bool {
        matches!(e.outcome, Outcome::Suppressed(_))
            || e.reason
                .as_deref()
                .is_some_and(|r| r.trim().to_ascii_lowercase().starts_with("suppress-"))
            || e.code.as_deref().map(str::trim) == Some("605")
            || e.message.as_deref().is_some_and(|m| {
                m.to_ascii_lowercase()
                    .contains("not delivering to previously bounced address")
            })
    }

    pub fn list_of(e: &MailEvent) -> SuppressionList {
        if let Outcome::Suppressed(list) = e.outcome {
            if list != SuppressionList::Unknown {
                return list;
            }
        }
        let reason = e
            .reason
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match reason.as_str() {
            "suppress-bounce" => SuppressionList::Bounce,
            "suppress-unsubscribe" => SuppressionList::Unsubscribe,
            "suppress-complaint" => SuppressionList::Complaint,
            _ if e.code.as_deref().map(str::trim) == Some("605")
                || e.message
                    .as_deref()
                    .is_some_and(|m| m.to_ascii_lowercase().contains("previously bounced")) =>
            {
                SuppressionList::Bounce
            }
            _ => SuppressionList::Unknown,
        }
    }
}

/// Texts around the words the suppression tests look for: other case, spaces (ASCII and
/// not), cut short, non-ASCII letters.
fn suppression_text() -> impl Strategy<Value = Option<String>> {
    let word = prop_oneof![
        Just("suppress-bounce"),
        Just("SUPPRESS-Complaint"),
        Just("suppress-unsubscribe"),
        Just("suppress-"),
        Just("suppress"),
        Just("605"),
        Just("6O5"),
        Just("Not delivering to previously bounced address"),
        Just("NOT DELIVERING TO PREVIOUSLY BOUNCED ADDRESS"),
        Just("not delivering to previously bounce"),
        Just("Previously Bounced"),
        Just("prevİously bounced"),
        Just("OK"),
        Just(""),
    ];
    let pad = prop_oneof![
        Just(""),
        Just(" "),
        Just("\t"),
        Just("\u{a0}"),
        Just("é"),
        Just("550 "),
    ];
    prop::option::of((pad.clone(), word, pad).prop_map(|(a, w, b)| format!("{a}{w}{b}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn suppression_tests_match_their_reference(
        reason in suppression_text(),
        code in suppression_text(),
        message in suppression_text(),
        outcome in 0u8..6,
    ) {
        let outcome = [
            Outcome::Delivered,
            Outcome::PermanentFailure,
            Outcome::Suppressed(SuppressionList::Unknown),
            Outcome::Suppressed(SuppressionList::Complaint),
            Outcome::Suppressed(SuppressionList::Bounce),
            Outcome::Other("suppressed".into()),
        ][usize::from(outcome)]
        .clone();
        let e = MailEvent {
            recipient: SUBJECT.into(),
            recipient_key: Some(SUBJECT.into()),
            domain: MailDomain::CustomersPortal,
            domain_source: None,
            kind: MailKind::PasswordReset,
            event_shown: outcome.label(),
            outcome,
            subject: None,
            reason,
            severity: None,
            code,
            message,
            description: None,
            timestamp: None,
            time_shown: None,
            time_basis: None,
            event_id: None,
            message_id: None,
            source: EventSource::Row,
        };
        prop_assert_eq!(mail::is_suppression(&e), suppression_reference::is_suppression(&e));
        prop_assert_eq!(mail::list_of(&e), suppression_reference::list_of(&e));
    }

    #[test]
    fn contains_ignoring_ascii_case_is_contains_of_the_lower_case(
        text in "[a-cA-CİéK ]{0,12}",
        needle in "[a-c ]{0,4}",
    ) {
        prop_assert_eq!(
            mail::contains_ignoring_ascii_case(&text, &needle),
            text.to_ascii_lowercase().contains(&needle)
        );
    }
}

/// `latest_outcome` as first written (a list per step): the reference for the two-pass one.
/// (at, events, failed, delivered, superseded).
#[allow(clippy::type_complexity)]
fn latest_outcome_by_lists<'a>(
    events: &[(&'a Observation, &'a MailEvent)],
) -> Option<(UtcTime, Vec<*const MailEvent>, bool, bool, bool)> {
    let dated: Vec<(&MailEvent, UtcTime)> = events
        .iter()
        .filter_map(|(_, e)| e.timestamp.map(|t| (*e, t)))
        .collect();
    let terminal = |e: &MailEvent| e.outcome == Outcome::Delivered || e.outcome.is_failure();
    let mut outcomes: Vec<&(&MailEvent, UtcTime)> =
        dated.iter().filter(|(e, _)| terminal(e)).collect();
    if outcomes.is_empty() {
        outcomes = dated
            .iter()
            .filter(|(e, _)| e.outcome.reached_recipient())
            .collect();
    }
    let at = outcomes.iter().map(|(_, t)| *t).max()?;
    let at_latest: Vec<&MailEvent> = outcomes
        .iter()
        .filter(|(_, t)| *t == at)
        .map(|(e, _)| *e)
        .collect();
    let delivered = at_latest.iter().any(|e| e.outcome.reached_recipient());
    let failures: Vec<&&MailEvent> = at_latest
        .iter()
        .filter(|e| e.outcome.is_failure())
        .collect();
    let retried = delivered
        && failures
            .iter()
            .all(|e| e.outcome == Outcome::TemporaryFailure);
    let failed = !failures.is_empty() && !retried;
    let superseded = dated
        .iter()
        .any(|(e, t)| *t > at && e.outcome == Outcome::Accepted);
    let kept = at_latest
        .into_iter()
        .filter(|e| {
            if failed && delivered {
                true
            } else if failed {
                e.outcome.is_failure()
            } else {
                e.outcome.reached_recipient()
            }
        })
        .map(|e| e as *const MailEvent)
        .collect();
    Some((at, kept, failed, delivered, superseded))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Events at a few instants (or none) with every kind of outcome: the latest outcome is
    /// the one the list-per-step definition finds.
    #[test]
    fn latest_outcome_matches_its_reference(
        picks in prop::collection::vec((0u8..4, 0u8..9), 0..14),
    ) {
        let obs: Vec<Observation> = picks
            .iter()
            .map(|&(t, outcome)| {
                let mut o = build(SUBJECT, [3, 3, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], 0, 0);
                if let Fact::MailEvent(e) = &mut o.fact {
                    e.timestamp = (t > 0).then(|| UtcTime(now().0 - 60 * i64::from(t)));
                    e.outcome = [
                        Outcome::Accepted,
                        Outcome::Delivered,
                        Outcome::TemporaryFailure,
                        Outcome::PermanentFailure,
                        Outcome::Suppressed(SuppressionList::Bounce),
                        Outcome::Opened,
                        Outcome::Clicked,
                        Outcome::Failed,
                        Outcome::Stored,
                    ][usize::from(outcome)]
                    .clone();
                }
                o
            })
            .collect();
        let events: Vec<(&Observation, &MailEvent)> = obs
            .iter()
            .filter_map(|o| match &o.fact {
                Fact::MailEvent(e) => Some((o, e)),
                _ => None,
            })
            .collect();
        prop_assert_eq!(events.len(), obs.len());
        let got = mail::latest_outcome(&events).map(|l| {
            (
                l.at,
                l.events.iter().map(|(_, e)| *e as *const MailEvent).collect::<Vec<_>>(),
                l.failed,
                l.delivered,
                l.superseded,
            )
        });
        prop_assert_eq!(got, latest_outcome_by_lists(&events));
    }
}

/// An event's evidence title, for every kind (the fixed words come from a table).
#[test]
fn event_evidence_titles_every_kind() {
    let settings = Settings::default();
    for kind in [
        MailKind::PasswordReset,
        MailKind::Confirmation,
        MailKind::Unlock,
        MailKind::PasswordChanged,
        MailKind::EmailChanged,
        MailKind::Other,
    ] {
        for recipient in [" Jane.Doe@Example.com ", "Jane.Doe@Example.com", "", " "] {
            let mut o = build(SUBJECT, [3, 3, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], 0, 0);
            if let Fact::MailEvent(e) = &mut o.fact {
                e.kind = kind;
                e.recipient = recipient.into();
            }
            let obs = [o];
            let ctx = Ctx::new(SUBJECT, &obs, now(), &settings);
            let Fact::MailEvent(e) = &obs[0].fact else {
                unreachable!()
            };
            assert_eq!(
                mail::event_evidence(&ctx, &obs[0], e).what,
                format!(
                    "Mailgun event: {} mail to {} ({})",
                    kind.label(),
                    recipient.trim(),
                    e.event_shown
                )
            );
        }
    }
}
