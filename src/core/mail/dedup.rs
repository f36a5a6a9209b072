//! The same event read twice (by id, or by its fields), and the event JSON of a detail panel
//! folded into the row it details.

use super::{EventSource, MailDomain, MailEvent};

/// The same event read twice: by Mailgun's id when both have one, else by recipient, outcome,
/// subject, domain and time (to the second) from the same kind of source.
pub fn same_event(a: &MailEvent, b: &MailEvent) -> bool {
    if let (Some(x), Some(y)) = (&a.event_id, &b.event_id) {
        return x == y && a.outcome == b.outcome;
    }
    same_fields(a, b)
}

/// The fields [`same_event`] compares when the two events do not both carry an id. Those read
/// without following a pointer come first: the time differs for nearly every pair a
/// de-duplication table asks about.
pub(crate) fn same_fields(a: &MailEvent, b: &MailEvent) -> bool {
    a.timestamp == b.timestamp
        && a.source == b.source
        && a.outcome == b.outcome
        && a.domain == b.domain
        && a.time_shown == b.time_shown
        && a.subject == b.subject
        && a.message == b.message
        && a.recipient_key == b.recipient_key
}

/// Folds each event JSON shown in the page (a row's detail panel) into the row it details:
/// same recipient, same outcome (or both failures), same subject when both show one, and
/// times within two minutes (or no time on one side and a single such row). The row gains
/// the JSON's exact time, reason, severity, code, description, ids and, when the row's was
/// unknown, its domain; the JSON's more precise outcome wins (e.g. "Permanent Fail" →
/// suppressed by the bounce list). Details that match no row stay as events of their own.
pub fn fold_details(events: Vec<MailEvent>) -> Vec<MailEvent> {
    let (mut rows, details): (Vec<MailEvent>, Vec<MailEvent>) = events
        .into_iter()
        .partition(|e| e.source != EventSource::DetailJson);
    let mut unmatched = Vec::new();
    for d in details {
        let candidates: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.source == EventSource::Row
                    && r.recipient_key == d.recipient_key
                    && (r.outcome == d.outcome
                        || (r.outcome.is_failure() && d.outcome.is_failure()))
                    && match (&r.subject, &d.subject) {
                        (Some(a), Some(b)) => a.trim() == b.trim(),
                        _ => true,
                    }
            })
            .map(|(i, _)| i)
            .collect();
        let timed: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(
                |&i| match (rows.get(i).and_then(|r| r.timestamp), d.timestamp) {
                    (Some(a), Some(b)) => (a.0 - b.0).abs() <= 120,
                    _ => false,
                },
            )
            .collect();
        let target = match (timed.as_slice(), candidates.as_slice()) {
            ([one], _) => Some(*one),
            ([], [one])
                if rows.get(*one).is_some_and(|r| r.timestamp.is_none())
                    || d.timestamp.is_none() =>
            {
                Some(*one)
            }
            _ => None,
        };
        let Some(r) = target.and_then(|i| rows.get_mut(i)) else {
            unmatched.push(d);
            continue;
        };
        if d.timestamp.is_some() {
            r.timestamp = d.timestamp;
            r.time_basis = d.time_basis;
        }
        r.outcome = d.outcome;
        r.event_shown = format!("{} (details: {})", r.event_shown, d.event_shown);
        r.reason = d.reason.or(r.reason.take());
        r.severity = d.severity.or(r.severity.take());
        r.code = d.code.or(r.code.take());
        r.message = r.message.take().or(d.message);
        r.description = d.description.or(r.description.take());
        r.event_id = d.event_id.or(r.event_id.take());
        r.message_id = d.message_id.or(r.message_id.take());
        if r.subject.is_none() {
            r.subject = d.subject;
            r.kind = d.kind;
        }
        if r.domain == MailDomain::Unknown {
            r.domain = d.domain;
            r.domain_source = d.domain_source;
        }
    }
    rows.extend(unmatched);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mail::test_event as ev;
    use crate::core::mail::{DomainSource, Outcome, SuppressionList};
    use crate::core::time::UtcTime;

    #[test]
    fn details_fold_into_their_row() {
        let row = ev(EventSource::Row, Outcome::PermanentFailure, Some(1000));
        let mut detail = ev(
            EventSource::DetailJson,
            Outcome::Suppressed(SuppressionList::Bounce),
            Some(1030),
        );
        detail.domain = MailDomain::CustomersPortal;
        detail.domain_source = Some(DomainSource::EnvelopeSender);
        detail.reason = Some("suppress-bounce".into());
        detail.event_id = Some("abc".into());
        let other_row = ev(EventSource::Row, Outcome::Delivered, Some(1000));
        let far = ev(EventSource::DetailJson, Outcome::Delivered, Some(9000));
        let folded = fold_details(vec![row, other_row.clone(), detail, far.clone()]);
        assert_eq!(folded.len(), 3);
        assert_eq!(
            folded[0].outcome,
            Outcome::Suppressed(SuppressionList::Bounce)
        );
        assert_eq!(folded[0].timestamp, Some(UtcTime(1030)));
        assert_eq!(folded[0].domain, MailDomain::CustomersPortal);
        assert_eq!(folded[0].reason.as_deref(), Some("suppress-bounce"));
        assert_eq!(folded[0].source, EventSource::Row);
        assert_eq!(folded[1], other_row);
        assert_eq!(folded[2], far, "a detail two hours off stays its own event");
    }
}
