//! Mailgun's event JSON: Events API pages (`{"items": [...], "paging": {...}}`), Logs API
//! pages (`{"items": [...], "pagination": {...}}`), and one event as the web app's detail
//! panel shows it. One parser for a saved response, a live look-up and a detail panel.
//!
//! Only `event` and `timestamp` are guaranteed in an item; every other field is optional and
//! read leniently (a code as number or string, a timestamp as number or numeric string). An
//! item without an event name or a recipient is not listed, and said so in `problems`.

use super::classify::{kind_of_subject, outcome_from_api};
use super::json::Json;
use super::shown_time::{parse_shown_time, ShownZone};
use super::{address_in, host_of, DomainSource, EventSource, MailDomain, MailEvent, TimeBasis};
use crate::core::email;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;

/// Where the JSON was found, and what the page already says about the domain.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// The domain of the page or request (API URL, logs page URL or domain control).
    pub page_domain: Option<(MailDomain, DomainSource)>,
    pub source: EventSource,
}

/// The events read from one JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub events: Vec<MailEvent>,
    /// Items or fields that could not be read, said plainly.
    pub problems: Vec<String>,
    /// `paging.next` (`pagination.next`), only when this page had items: Mailgun's paging
    /// ends with a page without items, whose `next` still points on.
    pub next_page: Option<String>,
    /// Items in the JSON, read or not.
    pub items_seen: usize,
}

/// Reads an Events / Logs API page, a single event, or a list of events.
pub fn parse_value(value: &Json, ctx: &Context) -> Parsed {
    let mut parsed = Parsed::default();
    let items: Vec<&Json> = match value {
        Json::Object(_) if value.get("items").is_some() => {
            let Some(items) = value.get("items").and_then(Json::as_array) else {
                parsed.problems.push(format!(
                    "The response's “items” is {}, not a list: no events read.",
                    value.get("items").map_or("missing", Json::type_name)
                ));
                return parsed;
            };
            let next = value
                .at(&["paging", "next"])
                .or_else(|| value.at(&["pagination", "next"]))
                .and_then(Json::as_str)
                .map(str::trim)
                .filter(|n| !n.is_empty());
            if !items.is_empty() {
                parsed.next_page = next.map(str::to_string);
            }
            items.iter().collect()
        }
        Json::Object(_) if value.get("event").is_some() => vec![value],
        Json::Array(items) => items.iter().collect(),
        other => {
            parsed.problems.push(format!(
                "The JSON is {} that is neither an event nor an Events API page.",
                other.type_name()
            ));
            return parsed;
        }
    };
    parsed.items_seen = items.len();
    for (i, item) in items.into_iter().enumerate() {
        match parse_item(item, ctx) {
            Ok((event, notes)) => {
                parsed
                    .problems
                    .extend(notes.into_iter().map(|n| format!("Event {}: {n}", i + 1)));
                parsed.events.push(event);
            }
            Err(why) => parsed
                .problems
                .push(format!("Event {} not read: {why}.", i + 1)),
        }
    }
    parsed
}

/// One item: the event, and notes about fields that could not be read.
pub fn parse_item(item: &Json, ctx: &Context) -> Result<(MailEvent, Vec<String>), String> {
    if !matches!(item, Json::Object(_)) {
        return Err(format!("it is {}, not an object", item.type_name()));
    }
    let mut notes = Vec::new();
    let event = match item.get("event") {
        Some(Json::String(e)) if !e.trim().is_empty() => e.trim().to_string(),
        Some(Json::String(_)) | None | Some(Json::Null) => return Err("no event name".into()),
        Some(other) => return Err(format!("its event name is {}", other.type_name())),
    };
    let text = |path: &[&str]| item.at(path).and_then(Json::as_text);
    let headers = |name: &str| text(&["message", "headers", name]);

    let recipient = match item.get("recipient") {
        Some(Json::String(r)) if email::is_address(r.trim()) => r.trim().to_string(),
        _ => headers("to")
            .as_deref()
            .and_then(address_in)
            .ok_or_else(|| format!("“{event}” without a recipient address"))?,
    };

    let severity = text(&["severity"]);
    let reason = text(&["reason"]);
    let code = text(&["delivery-status", "code"]);
    // A `rejected` event says why in `reject.{reason,description}`.
    let message = text(&["delivery-status", "message"]).or_else(|| text(&["reject", "reason"]));
    let description =
        text(&["delivery-status", "description"]).or_else(|| text(&["reject", "description"]));
    let outcome = outcome_from_api(
        &event,
        severity.as_deref(),
        reason.as_deref(),
        code.as_deref(),
        message.as_deref(),
    );
    let subject = headers("subject");
    let kind = subject
        .as_deref()
        .map_or(super::MailKind::Other, kind_of_subject);

    let (timestamp, time_basis, time_shown) = read_timestamp(item, &mut notes);
    let (domain, domain_source) = event_domain(item, ctx, &mut notes);

    Ok((
        MailEvent {
            recipient_key: email::normalise(&recipient),
            recipient,
            domain,
            domain_source,
            kind,
            outcome,
            subject,
            event_shown: event,
            reason,
            severity,
            code,
            message,
            description,
            timestamp,
            time_shown,
            time_basis,
            event_id: text(&["id"]),
            message_id: headers("message-id"),
            source: ctx.source,
        },
        notes,
    ))
}

/// `timestamp` (epoch seconds, number or numeric string), else the Logs API's `@timestamp`.
fn read_timestamp(
    item: &Json,
    notes: &mut Vec<String>,
) -> (Option<UtcTime>, Option<TimeBasis>, Option<String>) {
    const MAX: f64 = 253_402_300_800.0; // 10000-01-01
    if let Some(ts) = item.get("timestamp") {
        return match ts.as_number() {
            Some(n) if n > 0.0 && n < MAX => (
                Some(UtcTime(n.floor() as i64)),
                Some(TimeBasis::Epoch),
                None,
            ),
            _ => {
                notes.push(format!(
                    "its timestamp ({}) is not epoch seconds; time unknown.",
                    ts.as_text().unwrap_or_else(|| ts.type_name().into())
                ));
                (None, None, ts.as_text())
            }
        };
    }
    if let Some(shown) = item.get("@timestamp").and_then(Json::as_text) {
        return match parse_shown_time(&shown) {
            Some(t) if t.zone != ShownZone::NotShown => {
                let (utc, basis) = t.to_utc(&|_| None);
                (Some(utc), Some(basis), Some(shown))
            }
            _ => {
                notes.push(format!(
                    "its @timestamp “{shown}” has no zone or format we know; time unknown."
                ));
                (None, None, Some(shown))
            }
        };
    }
    notes.push("no timestamp; time unknown.".into());
    (None, None, None)
}

/// The event's domain. An API response's URL names the domain for all its items; in a detail
/// panel the event's own fields come first. The envelope sender (Mailgun's bounce address on
/// the sending domain) and the Logs API's `domain.name` are taken as they are; the message-id
/// and From hosts only when they are one of the two known sending domains (a From address is
/// chosen by the sender and proves little otherwise).
fn event_domain(
    item: &Json,
    ctx: &Context,
    notes: &mut Vec<String>,
) -> (MailDomain, Option<DomainSource>) {
    let s = ctx.settings;
    let known = |d: MailDomain| {
        matches!(d, MailDomain::CustomersPortal | MailDomain::GitLabCom).then_some(d)
    };
    let host = |path: &[&str]| item.at(path).and_then(Json::as_str).and_then(host_of);
    let own = host(&["envelope", "sender"])
        .and_then(|h| MailDomain::from_host(&h, s))
        .map(|d| (d, DomainSource::EnvelopeSender))
        .or_else(|| {
            item.at(&["domain", "name"])
                .and_then(Json::as_str)
                .and_then(|h| MailDomain::from_host(h, s))
                .map(|d| (d, DomainSource::EventDomainField))
        })
        .or_else(|| {
            host(&["message", "headers", "message-id"])
                .and_then(|h| MailDomain::from_host(&h, s))
                .and_then(known)
                .map(|d| (d, DomainSource::MessageId))
        })
        .or_else(|| {
            item.at(&["message", "headers", "from"])
                .and_then(Json::as_str)
                .and_then(address_in)
                .and_then(|a| host_of(&a))
                .and_then(|h| MailDomain::from_host(&h, s))
                .and_then(known)
                .map(|d| (d, DomainSource::FromHeader))
        });
    let page = ctx.page_domain.clone().filter(|(d, _)| d.is_known());
    let chosen = match (ctx.source, &page, &own) {
        (EventSource::EventsApi, Some(p), _) => Some(p.clone()),
        (_, _, Some(o)) => Some(o.clone()),
        (_, Some(p), None) => Some(p.clone()),
        _ => None,
    };
    if let (Some((pd, _)), Some((od, osrc))) = (&page, &own) {
        if pd != od {
            notes.push(format!(
                "the event's {} says {}, the page says {}; {} used.",
                source_label(*osrc),
                od.label(s),
                pd.label(s),
                chosen
                    .as_ref()
                    .map_or(MailDomain::Unknown, |c| c.0.clone())
                    .label(s)
            ));
        }
    }
    match chosen {
        Some((d, src)) => (d, Some(src)),
        None => (MailDomain::Unknown, None),
    }
}

fn source_label(src: DomainSource) -> &'static str {
    match src {
        DomainSource::Url => "URL",
        DomainSource::PageControl => "domain control",
        DomainSource::RowCell => "row",
        DomainSource::EnvelopeSender => "envelope sender",
        DomainSource::EventDomainField => "domain field",
        DomainSource::MessageId => "message-id",
        DomainSource::FromHeader => "From header",
    }
}
