//! `core::stored` reads an observation's stored JSON by hand, as serde's derived
//! `Deserialize` would: checked here against the derive on every observation the fixture pages
//! of www/ yield, on facts no page yields (look-ups, every outcome and time basis), and on each
//! of them changed one member at a time (left out, null, another type, out of range, a unit
//! variant as an object, a key twice): both read it the same, or both refuse it.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::account::Value;
use cdot_triage::core::mail::{
    MailDomain, Outcome, SuppressionCheck, SuppressionEntry, SuppressionList, TimeBasis,
};
use cdot_triage::core::observation::{from_reading, Fact, Observation};
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::store::{decode_observation, encode_observation};
use cdot_triage::core::stored;
use cdot_triage::core::time::UtcTime;
use serde_json::Value as J;

#[path = "support/json_variants.rs"]
mod json_variants;
#[path = "support/www.rs"]
mod www;

/// Every observation the fixture pages yield (at most 40 a page).
fn from_fixtures() -> Vec<Observation> {
    let settings = Settings::default();
    let mut out = Vec::new();
    for (_, url, html) in www::pages() {
        let reading = Snapshot {
            url,
            html,
            inputs: Vec::new(),
        }
        .read(&settings, &|_| Some(0));
        let observations = from_reading(&reading, UtcTime::from_civil(2026, 11, 23, 12, 0, 0));
        out.extend(observations.into_iter().take(40));
    }
    out
}

/// Facts no fixture page yields, made from ones they do.
fn more(observations: &[Observation]) -> Vec<Observation> {
    let mut out = Vec::new();
    let event = observations
        .iter()
        .find(|o| matches!(o.fact, Fact::MailEvent(_)))
        .expect("a mail event");
    let Fact::MailEvent(base) = &event.fact else {
        unreachable!()
    };
    let outcomes = [
        Outcome::Accepted,
        Outcome::Delivered,
        Outcome::TemporaryFailure,
        Outcome::PermanentFailure,
        Outcome::Failed,
        Outcome::Rejected,
        Outcome::Suppressed(SuppressionList::Bounce),
        Outcome::Suppressed(SuppressionList::Unsubscribe),
        Outcome::Suppressed(SuppressionList::Complaint),
        Outcome::Suppressed(SuppressionList::Unknown),
        Outcome::Opened,
        Outcome::Clicked,
        Outcome::Complained,
        Outcome::Unsubscribed,
        Outcome::Stored,
        Outcome::Other("queued \"x\" \u{e9}".into()),
    ];
    let bases = [
        None,
        Some(TimeBasis::Epoch),
        Some(TimeBasis::ZoneShown),
        Some(TimeBasis::AssumedUtc),
        Some(TimeBasis::AssumedBrowserLocal {
            offset_minutes: -330,
        }),
    ];
    let domains = [
        MailDomain::CustomersPortal,
        MailDomain::GitLabCom,
        MailDomain::Unknown,
        MailDomain::Other("email.mg.gitlab.com".into()),
    ];
    for (i, outcome) in outcomes.into_iter().enumerate() {
        let mut e = base.clone();
        e.outcome = outcome;
        e.time_basis = bases[i % bases.len()];
        e.domain = domains[i % domains.len()].clone();
        e.timestamp = (i % 2 == 0).then_some(UtcTime(-86_400 + i as i64));
        e.reason = Some("r".into());
        e.code = Some("550".into());
        out.push(Observation {
            fact: Fact::MailEvent(e),
            ..event.clone()
        });
    }
    for entry in [
        None,
        Some(SuppressionEntry {
            code: Some("550".into()),
            error: Some("mailbox full".into()),
            created_at: Some(UtcTime(1_763_900_000)),
            created_shown: Some("Sun, 23 Nov 2026 12:13:20 UTC".into()),
        }),
    ] {
        out.push(Observation {
            fact: Fact::SuppressionChecked(SuppressionCheck {
                domain: MailDomain::GitLabCom,
                list: SuppressionList::Bounce,
                entry,
            }),
            ..event.clone()
        });
    }
    if let Some(shown) = observations
        .iter()
        .find(|o| matches!(o.fact, Fact::AccountShown(_)))
    {
        let Fact::AccountShown(mut account) = shown.fact.clone() else {
            unreachable!()
        };
        for (i, value) in [
            Value::Text("t".into()),
            Value::Time(UtcTime(5)),
            Value::Bool(None),
            Value::Bool(Some(false)),
            Value::Number(-9_007_199_254_740_993),
            Value::Blank,
            Value::Unreadable("?".into()),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(field) = account.fields.get_mut(i) {
                field.value = value;
            }
        }
        out.push(Observation {
            fact: Fact::AccountShown(account),
            ..shown.clone()
        });
    }
    out
}

/// The JSON text changed at one member ([`json_variants::changed`]).
fn changed(json: &J) -> Vec<J> {
    let others = [
        J::Null,
        J::from(1.5),
        J::from(-1),
        J::from(4_294_967_296_u64),
        J::from(u64::MAX),
        J::from("x"),
        J::from(true),
        J::Array(vec![]),
        serde_json::json!({ "x": 1 }),
    ];
    json_variants::changed(json, &others, 3)
}

fn by_serde(text: &str) -> Option<Observation> {
    serde_json::from_str(text).ok()
}

#[test]
fn stored_json_reads_as_serde_reads_it() {
    let mut observations = from_fixtures();
    let kinds = |obs: &[Observation]| {
        let mut kinds: Vec<&str> = obs
            .iter()
            .map(|o| match o.fact {
                Fact::AccountShown(_) => "as",
                Fact::AccountListed { .. } => "al",
                Fact::AdminSearched { .. } => "ad",
                Fact::MailEvent(_) => "e",
                Fact::GitLabGroupsListed(_) => "gg",
                Fact::GitLabComUser(_) => "gu",
                Fact::GitLabComSearched { .. } => "gs",
                Fact::MailSearched(_) => "ms",
                Fact::SuppressionChecked(_) => "sc",
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds.len()
    };
    observations.extend(more(&observations));
    assert_eq!(kinds(&observations), 9, "every kind of fact");
    let mut compared = 0;
    for obs in &observations {
        let text = encode_observation(obs);
        let read = stored::observation(&text);
        assert!(read.is_some(), "{text}");
        assert_eq!(read, by_serde(&text), "{text}");
        assert_eq!(decode_observation(&text, &obs.key).as_ref(), Some(obs));
        let json: J = serde_json::from_str(&text).unwrap();
        for variant in changed(&json) {
            let text = variant.to_string();
            assert_eq!(stored::observation(&text), by_serde(&text), "{text}");
            compared += 1;
        }
        // A key twice (serde_json::Value cannot hold it): refused by both.
        let twice = text.replacen('{', "{\"u\":\"x\",", 1);
        assert_eq!(stored::observation(&twice), by_serde(&twice), "{twice}");
        assert_eq!(stored::observation(&twice), None, "{twice}");
    }
    assert!(compared > 1000, "{compared}");
    for text in ["", "null", "[]", "{", "{\"a\":\"\"}", "{\"f\":1}"] {
        assert_eq!(stored::observation(text), by_serde(text), "{text}");
    }
}
