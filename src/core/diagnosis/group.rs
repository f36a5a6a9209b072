//! A finding's evidence as the engineer reads it: the events of one message (accepted →
//! delivered → opened) as one line with the outcome chain and its times, and lines that read
//! the same as one line with a count. Nothing is dropped: every event's outcome and time stays
//! in the line it was merged into.

use super::Evidence;
use crate::core::mail::{MailEvent, Outcome};
use crate::core::settings::Settings;
use crate::core::time::UtcTime;

/// A mail event's place in its message: what [`group_evidence`] needs to chain it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPart {
    /// `what[..head]` names the mail and its recipient ("Mailgun event: password reset mail to
    /// x@y"), without the event's own word.
    head: usize,
    /// `value[msg.0..msg.1]` is the message (domain, kind, subject); what follows it, after
    /// " · ", is the outcome and Mailgun's status.
    msg: (usize, usize),
    /// 0 accepted; 1 delivered, failed, rejected or suppressed; 2 opened, clicked, complained,
    /// unsubscribed.
    stage: u8,
    /// A temporary failure: Mailgun retries, so another delivery outcome may follow.
    temporary: bool,
    /// [`Outcome::slug`]: the same outcome at the same instant is the same event read again.
    outcome: &'static str,
    at: UtcTime,
    message_id: Option<String>,
}

impl EventPart {
    /// The event's part, when it can be chained: its time was read, its outcome is one of a
    /// message's stages, and its value shows the message as [`MailEvent::describe`] does.
    pub(crate) fn of(
        e: &MailEvent,
        value: &str,
        head: usize,
        settings: &Settings,
    ) -> Option<Box<EventPart>> {
        let at = e.timestamp?;
        let (stage, temporary) = match e.outcome {
            Outcome::Accepted => (0, false),
            Outcome::TemporaryFailure => (1, true),
            Outcome::Delivered
            | Outcome::PermanentFailure
            | Outcome::Failed
            | Outcome::Rejected
            | Outcome::Suppressed(_) => (1, false),
            Outcome::Opened | Outcome::Clicked | Outcome::Complained | Outcome::Unsubscribed => {
                (2, false)
            }
            Outcome::Stored | Outcome::Other(_) => return None,
        };
        // The message as `describe` writes it after the time and " · ", matched piece by piece
        // (no copy of the line: a finding may cite thousands of events).
        let start = value.find(" · ")? + " · ".len();
        // The domain's name and what it is ("customers.gitlab.com (Customers Portal mail)"),
        // up to the next " · ".
        let from_start = value.get(start..)?;
        let after = match e.domain.name(settings) {
            Some(name) => from_start.strip_prefix(name)?,
            None => from_start,
        };
        let mut rest = after
            .get(after.find(" · ")? + " · ".len()..)?
            .strip_prefix(e.kind.label())?;
        if let Some(s) = &e.subject {
            rest = rest
                .strip_prefix(" “")?
                .strip_prefix(s.as_str())?
                .strip_prefix('”')?;
        }
        let end = value.len() - rest.len();
        if !rest.starts_with(" · ") {
            return None;
        }
        Some(Box::new(EventPart {
            head,
            msg: (start, end),
            stage,
            temporary,
            outcome: e.outcome.slug(),
            at,
            message_id: e.message_id.clone().filter(|m| !m.trim().is_empty()),
        }))
    }
}

/// One message's events being chained.
struct Chain {
    /// Index of the line in the output.
    line: usize,
    first: UtcTime,
    last: UtcTime,
    stage: u8,
    temporary: bool,
    message_id: Option<String>,
    /// "outcome" texts with their times and outcome slugs.
    links: Vec<(String, UtcTime, &'static str)>,
}

fn head(e: &Evidence) -> Option<&str> {
    let p = e.event.as_deref()?;
    e.what.get(..p.head)
}

fn message(e: &Evidence) -> Option<&str> {
    let p = e.event.as_deref()?;
    e.value.get(p.msg.0..p.msg.1)
}

fn outcome(e: &Evidence) -> Option<&str> {
    let p = e.event.as_deref()?;
    e.value.get(p.msg.1 + " · ".len()..)
}

/// Groups a finding's evidence in place, keeping the order of each line's first item:
///
/// - events of one message become one line: the same recipient, domain, kind and subject,
///   each later outcome a later stage (accepted, then a delivery outcome, then opened or
///   clicked; a temporary failure may be followed by another delivery outcome), not earlier
///   than the one before, and, without the same Mailgun message id, only where exactly one
///   message could take it (never guessed between two);
/// - then lines that read the same (what and value; for an event, the mail and recipient and
///   the value, whatever word the page used for the event) become one, with their count.
pub fn group_evidence(evidence: &mut Vec<Evidence>) {
    if evidence.len() < 2 {
        return;
    }
    chain_events(evidence);
    same_lines(evidence);
}

/// Findings citing more events than this are not chained (each event is compared with every
/// open message: quadratic). Thousands of lines are not read one by one anyway; lines that
/// read the same are still counted.
const CHAINED_AT_MOST: usize = 64;

fn chain_events(evidence: &mut Vec<Evidence>) {
    let events = evidence.iter().filter(|e| e.event.is_some()).count();
    if !(2..=CHAINED_AT_MOST).contains(&events) {
        return;
    }
    let items = std::mem::take(evidence);
    let mut out: Vec<Evidence> = Vec::with_capacity(items.len());
    let mut chains: Vec<Chain> = Vec::new();
    for item in items {
        let Some(part) = item.event.as_deref() else {
            out.push(item);
            continue;
        };
        let fits = |c: &Chain| {
            let Some(line) = out.get(c.line) else {
                return false;
            };
            head(line) == head(&item)
                && message(line) == message(&item)
                && c.last <= part.at
                && (c.stage < part.stage || (c.temporary && part.stage == 1))
                && match (&c.message_id, &part.message_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        };
        // The same step read again (another page, or a row and its details): the same
        // outcome at the same instant. It is folded into the step, keeping the reading with
        // the most of Mailgun's words ("delivered · 250 OK" over "delivered · OK").
        let again = |c: &Chain| {
            let Some(line) = out.get(c.line) else {
                return false;
            };
            head(line) == head(&item)
                && message(line) == message(&item)
                && c.links
                    .iter()
                    .any(|l| l.1 == part.at && l.2 == part.outcome)
                && match (&c.message_id, &part.message_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        };
        if let Some(i) = chains.iter().rposition(again) {
            let Some(c) = chains.get_mut(i) else {
                continue;
            };
            let text = outcome(&item).unwrap_or_default().to_string();
            let single = c.links.len() == 1;
            let (Some(last), Some(line)) = (
                c.links
                    .iter_mut()
                    .find(|l| l.1 == part.at && l.2 == part.outcome),
                out.get_mut(c.line),
            ) else {
                continue;
            };
            if text.len() > last.0.len() {
                last.0 = text;
                if single {
                    // The line shows this reading.
                    line.what = item.what.clone();
                    line.value = item.value.clone();
                    line.event = item.event.clone();
                }
            }
            if single {
                line.count += item.count;
            }
            if item.seen_at > line.seen_at {
                line.seen_at = item.seen_at;
                line.source = item.source.clone();
            }
            if c.message_id.is_none() {
                c.message_id = part.message_id.clone();
            }
            continue;
        }
        let same_id =
            |c: &Chain| c.message_id.is_some() && c.message_id == part.message_id && fits(c);
        let target = match chains.iter().position(same_id) {
            Some(i) => Some(i),
            None => {
                let mut fitting = chains.iter().enumerate().filter(|(_, c)| fits(c));
                match (fitting.next(), fitting.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
        };
        match target {
            Some(i) => {
                let Some(c) = chains.get_mut(i) else {
                    continue;
                };
                c.links.push((
                    outcome(&item).unwrap_or_default().to_string(),
                    part.at,
                    part.outcome,
                ));
                c.last = part.at;
                c.stage = part.stage;
                c.temporary = part.temporary;
                if c.message_id.is_none() {
                    c.message_id = part.message_id.clone();
                }
                if let Some(line) = out.get_mut(c.line) {
                    if item.seen_at > line.seen_at {
                        line.seen_at = item.seen_at;
                        line.source = item.source.clone();
                    }
                }
            }
            None => {
                chains.push(Chain {
                    line: out.len(),
                    first: part.at,
                    last: part.at,
                    stage: part.stage,
                    temporary: part.temporary,
                    message_id: part.message_id.clone(),
                    links: vec![(
                        outcome(&item).unwrap_or_default().to_string(),
                        part.at,
                        part.outcome,
                    )],
                });
                out.push(item);
            }
        }
    }
    for c in chains.into_iter().filter(|c| c.links.len() > 1) {
        let Some(line) = out.get_mut(c.line) else {
            continue;
        };
        let (Some(head), Some(message)) = (head(line), message(line)) else {
            continue;
        };
        let first = c.first.to_string();
        let mut value = format!("{first} · {message} · ");
        for (i, (outcome, at, _)) in c.links.iter().enumerate() {
            if i > 0 {
                value.push_str(" → ");
                value.push_str(outcome);
                value.push_str(" (");
                value.push_str(&short_time(&first, &at.to_string()));
                value.push(')');
            } else {
                value.push_str(outcome);
            }
        }
        line.what = format!("{head} ({} events of one message)", c.links.len());
        line.value = value;
        line.event = None;
        line.count = 1;
    }
    *evidence = out;
}

/// A later time in a chain: "09:20" on the first one's day, in full otherwise.
fn short_time(first: &str, later: &str) -> String {
    match (first.split_once(' '), later.split_once(' ')) {
        (Some((day, _)), Some((later_day, rest))) if day == later_day => {
            rest.trim_end_matches(" UTC").to_string()
        }
        _ => later.to_string(),
    }
}

fn same_lines(evidence: &mut Vec<Evidence>) {
    // What a line reads as: for an event read twice (a logs row and its details) the page may
    // name its event word in two ways ("Permanent Fail", "Permanent Fail (details: failed)"),
    // so the mail and recipient and the value; otherwise what and value.
    fn reads(e: &Evidence) -> (&str, &str) {
        (head(e).unwrap_or(&e.what), &e.value)
    }
    fn hash(e: &Evidence) -> u64 {
        use std::hash::BuildHasher;
        super::Fast::default().hash_one(reads(e))
    }
    let items = std::mem::take(evidence);
    let mut out: Vec<Evidence> = Vec::with_capacity(items.len());
    // By hash, compared on a match: no copy of any line (a finding may cite thousands).
    let mut index: std::collections::HashMap<u64, Vec<usize>, super::Fast> =
        std::collections::HashMap::with_capacity_and_hasher(items.len(), Default::default());
    for item in items {
        let slot = index.entry(hash(&item)).or_default();
        match slot
            .iter()
            .copied()
            .find(|&i| out.get(i).is_some_and(|line| reads(line) == reads(&item)))
            .and_then(|i| out.get_mut(i))
        {
            Some(line) => {
                line.count += item.count;
                if item.seen_at > line.seen_at {
                    line.seen_at = item.seen_at;
                    line.source = item.source;
                }
            }
            None => {
                slot.push(out.len());
                out.push(item);
            }
        }
    }
    *evidence = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::email;
    use crate::core::mail::{DomainSource, EventSource, MailDomain, MailKind};

    fn settings() -> Settings {
        Settings::default()
    }

    fn at(h: u32, m: u32) -> UtcTime {
        UtcTime::from_civil(2026, 11, 22, h, m, 0)
    }

    fn event(outcome: Outcome, time: UtcTime, id: Option<&str>) -> MailEvent {
        MailEvent {
            recipient: "priya@example.com".into(),
            recipient_key: email::normalise("priya@example.com"),
            domain: MailDomain::GitLabCom,
            domain_source: Some(DomainSource::Url),
            kind: MailKind::PasswordReset,
            event_shown: outcome.label(),
            outcome,
            subject: Some("Reset password instructions".into()),
            reason: None,
            severity: None,
            code: None,
            message: None,
            description: None,
            timestamp: Some(time),
            time_shown: Some(time.to_string()),
            time_basis: None,
            event_id: None,
            message_id: id.map(str::to_string),
            source: EventSource::Row,
        }
    }

    fn line(e: &MailEvent) -> Evidence {
        let head = "Mailgun event: password reset mail to priya@example.com";
        let value = e.describe(&settings());
        Evidence {
            what: format!("{head} ({})", e.event_shown),
            event: EventPart::of(e, &value, head.len(), &settings()),
            value,
            source: "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs".into(),
            seen_at: at(12, 0),
            count: 1,
        }
    }

    fn grouped(events: &[MailEvent]) -> Vec<Evidence> {
        let mut lines: Vec<Evidence> = events.iter().map(line).collect();
        group_evidence(&mut lines);
        lines
    }

    #[test]
    fn one_message_is_one_line_with_its_outcome_chain() {
        let lines = grouped(&[
            event(Outcome::Accepted, at(9, 14), None),
            event(Outcome::Delivered, at(9, 14), None),
            event(Outcome::Opened, at(9, 20), None),
        ]);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].what,
            "Mailgun event: password reset mail to priya@example.com (3 events of one message)"
        );
        assert_eq!(
            lines[0].value,
            "2026-11-22 09:14 UTC · mg.gitlab.com (GitLab.com mail) · password reset “Reset \
             password instructions” · accepted → delivered (09:14) → opened (09:20)"
        );
        assert_eq!(lines[0].count, 1);
    }

    #[test]
    fn two_messages_stay_two_lines_and_an_ambiguous_event_is_not_guessed() {
        // Two resets, each accepted and delivered: two chains.
        let lines = grouped(&[
            event(Outcome::Accepted, at(9, 14), None),
            event(Outcome::Delivered, at(9, 14), None),
            event(Outcome::Accepted, at(9, 30), None),
            event(Outcome::Delivered, at(9, 31), None),
        ]);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].value.contains("accepted → delivered (09:31)"));
        // An "opened" after two delivered messages could belong to either: its own line.
        let lines = grouped(&[
            event(Outcome::Delivered, at(9, 14), None),
            event(Outcome::Delivered, at(9, 30), None),
            event(Outcome::Opened, at(9, 40), None),
        ]);
        assert_eq!(lines.len(), 3);
        // With message ids, the id decides.
        let lines = grouped(&[
            event(Outcome::Delivered, at(9, 14), Some("<a@mg>")),
            event(Outcome::Delivered, at(9, 30), Some("<b@mg>")),
            event(Outcome::Opened, at(9, 40), Some("<a@mg>")),
        ]);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].value.ends_with("delivered → opened (09:40)"));
    }

    #[test]
    fn an_earlier_outcome_never_joins_a_later_stage() {
        // Delivered before it was accepted is not one message's order.
        let lines = grouped(&[
            event(Outcome::Delivered, at(9, 10), None),
            event(Outcome::Accepted, at(9, 14), None),
        ]);
        assert_eq!(lines.len(), 2);
        // A temporary failure retried and delivered: one message; another day in full.
        let lines = grouped(&[
            event(Outcome::TemporaryFailure, at(23, 50), None),
            event(
                Outcome::Delivered,
                UtcTime::from_civil(2026, 11, 23, 0, 5, 0),
                None,
            ),
        ]);
        assert_eq!(lines.len(), 1);
        assert!(lines[0]
            .value
            .ends_with("→ delivered (2026-11-23 00:05 UTC)"));
    }

    #[test]
    fn one_message_read_from_two_pages_is_still_one_chain() {
        // Two logs pages show the same message; one page's status is shorter, and its details
        // add Mailgun's code.
        let mut delivered_ok = event(Outcome::Delivered, at(9, 14), None);
        delivered_ok.message = Some("OK".into());
        let mut delivered_250 = event(Outcome::Delivered, at(9, 14), None);
        delivered_250.message = Some("250 OK".into());
        let lines = grouped(&[
            event(Outcome::Accepted, at(9, 14), None),
            delivered_ok,
            event(Outcome::Accepted, at(9, 14), None),
            delivered_250,
            event(Outcome::Opened, at(9, 20), None),
        ]);
        assert_eq!(lines.len(), 1, "{lines:#?}");
        assert!(lines[0]
            .value
            .ends_with("· accepted → delivered · 250 OK (09:14) → opened (09:20)"));
        assert_eq!(lines[0].count, 1);
        // The same single event read twice: one line, read 2 times.
        let lines = grouped(&[
            event(Outcome::Delivered, at(9, 14), None),
            event(Outcome::Delivered, at(9, 14), None),
        ]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].count, 2);
    }

    #[test]
    fn one_event_read_from_the_row_and_its_details_is_one_line() {
        let fail = event(Outcome::PermanentFailure, at(16, 42), None);
        let mut lines = vec![line(&fail), line(&fail)];
        lines[1].what = lines[1].what.replace(")", " (details: failed))");
        group_evidence(&mut lines);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].count, 2);
    }

    #[test]
    fn lines_that_read_the_same_are_one_with_a_count() {
        let fail = event(Outcome::PermanentFailure, at(16, 42), None);
        let mut lines = vec![line(&fail), line(&fail)];
        lines[1].seen_at = at(13, 0);
        lines.push(Evidence {
            what: "“Confirmed at” on the account page".into(),
            value: "blank".into(),
            source: "https://customers.gitlab.com/admin/customer/1".into(),
            seen_at: at(12, 0),
            count: 1,
            event: None,
        });
        group_evidence(&mut lines);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].count, 2);
        assert_eq!(lines[0].seen_at, at(13, 0), "the latest sighting is kept");
        assert_eq!(lines[1].count, 1);
    }
}
