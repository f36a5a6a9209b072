//! One mail event to one recipient: its kind (by subject), its outcome, how its instant was
//! established, where it was read, and the one line the banner shows for it.

use super::DomainSource;
use super::MailDomain;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// The kind of mail, by subject (Devise's mails and their translations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    #[serde(rename = "r")]
    PasswordReset,
    #[serde(rename = "c")]
    Confirmation,
    #[serde(rename = "u")]
    Unlock,
    #[serde(rename = "p")]
    PasswordChanged,
    #[serde(rename = "e")]
    EmailChanged,
    /// A subject that is none of the above, or no subject shown.
    #[serde(rename = "o")]
    Other,
}

impl MailKind {
    /// A stable machine name (`data-kind` in the banner).
    pub fn slug(self) -> &'static str {
        match self {
            MailKind::PasswordReset => "password-reset",
            MailKind::Confirmation => "confirmation",
            MailKind::Unlock => "unlock",
            MailKind::PasswordChanged => "password-changed",
            MailKind::EmailChanged => "email-changed",
            MailKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MailKind::PasswordReset => "password reset",
            MailKind::Confirmation => "confirmation",
            MailKind::Unlock => "unlock",
            MailKind::PasswordChanged => "password changed",
            MailKind::EmailChanged => "email changed",
            MailKind::Other => "other mail",
        }
    }
}

/// The suppression list that made Mailgun drop a mail without trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionList {
    #[serde(rename = "b")]
    Bounce,
    #[serde(rename = "u")]
    Unsubscribe,
    #[serde(rename = "c")]
    Complaint,
    /// Suppressed (e.g. reason `suppress-<new list>`), list not recognised.
    #[serde(rename = "x")]
    Unknown,
}

/// What happened to the mail at this event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[serde(rename = "a")]
    Accepted,
    #[serde(rename = "d")]
    Delivered,
    /// `failed` + severity `temporary`, "Temporary Fail": Mailgun retries.
    #[serde(rename = "tf")]
    TemporaryFailure,
    /// `failed` + severity `permanent`, "Permanent Fail": dropped.
    #[serde(rename = "pf")]
    PermanentFailure,
    /// `failed` with no severity shown: not guessed.
    #[serde(rename = "f")]
    Failed,
    #[serde(rename = "r")]
    Rejected,
    /// Not attempted: the address is on a suppression list (code 605, `suppress-*`,
    /// "Not delivering to previously bounced address").
    #[serde(rename = "s")]
    Suppressed(SuppressionList),
    #[serde(rename = "o")]
    Opened,
    #[serde(rename = "c")]
    Clicked,
    #[serde(rename = "cp")]
    Complained,
    #[serde(rename = "u")]
    Unsubscribed,
    #[serde(rename = "st")]
    Stored,
    /// An event name or word this version does not know, kept verbatim.
    #[serde(rename = "x")]
    Other(String),
}

impl Outcome {
    /// A stable machine name (`data-outcome` in the banner).
    pub fn slug(&self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Delivered => "delivered",
            Outcome::TemporaryFailure => "temporary-failure",
            Outcome::PermanentFailure => "permanent-failure",
            Outcome::Failed => "failed",
            Outcome::Rejected => "rejected",
            Outcome::Suppressed(SuppressionList::Bounce) => "suppressed-bounce",
            Outcome::Suppressed(SuppressionList::Unsubscribe) => "suppressed-unsubscribe",
            Outcome::Suppressed(SuppressionList::Complaint) => "suppressed-complaint",
            Outcome::Suppressed(SuppressionList::Unknown) => "suppressed",
            Outcome::Opened => "opened",
            Outcome::Clicked => "clicked",
            Outcome::Complained => "complained",
            Outcome::Unsubscribed => "unsubscribed",
            Outcome::Stored => "stored",
            Outcome::Other(_) => "other",
        }
    }

    pub fn label(&self) -> String {
        self.label_parts().concat()
    }

    /// [`Outcome::label`] in parts (an unknown word between quotes).
    pub(super) fn label_parts(&self) -> [&str; 3] {
        let word = match self {
            Outcome::Accepted => "accepted",
            Outcome::Delivered => "delivered",
            Outcome::TemporaryFailure => "temporary failure",
            Outcome::PermanentFailure => "permanent failure",
            Outcome::Failed => "failed (severity not shown)",
            Outcome::Rejected => "rejected",
            Outcome::Suppressed(SuppressionList::Bounce) => "suppressed (bounce list)",
            Outcome::Suppressed(SuppressionList::Unsubscribe) => "suppressed (unsubscribe list)",
            Outcome::Suppressed(SuppressionList::Complaint) => "suppressed (complaint list)",
            Outcome::Suppressed(SuppressionList::Unknown) => "suppressed",
            Outcome::Opened => "opened",
            Outcome::Clicked => "clicked",
            Outcome::Complained => "complained",
            Outcome::Unsubscribed => "unsubscribed",
            Outcome::Stored => "stored",
            Outcome::Other(word) => return ["“", word, "”"],
        };
        [word, "", ""]
    }

    /// The mail did not reach the recipient's server at this event (and will not, except a
    /// temporary failure that Mailgun retries).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::TemporaryFailure
                | Outcome::PermanentFailure
                | Outcome::Failed
                | Outcome::Rejected
                | Outcome::Suppressed(_)
        )
    }

    /// The recipient's server took the mail (or the recipient acted on it).
    pub fn reached_recipient(&self) -> bool {
        matches!(
            self,
            Outcome::Delivered
                | Outcome::Opened
                | Outcome::Clicked
                | Outcome::Unsubscribed
                | Outcome::Complained
        )
    }
}

/// How an event's instant was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeBasis {
    /// Epoch seconds (Events API `timestamp`): exact.
    #[serde(rename = "e")]
    Epoch,
    /// The text carried its zone ("UTC", "+01:00", "Z").
    #[serde(rename = "z")]
    ZoneShown,
    /// The text had no zone; read as the browser's local time (the web app formats dates in
    /// the browser's zone), whose offset then was `offset_minutes` east of UTC.
    #[serde(rename = "l")]
    AssumedBrowserLocal {
        #[serde(rename = "m")]
        offset_minutes: i32,
    },
    /// The text had no zone and no local offset was available: read as UTC.
    #[serde(rename = "u")]
    AssumedUtc,
}

/// Where an event was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSource {
    /// A row of a logs table.
    #[serde(rename = "r")]
    Row,
    /// An event's JSON shown in the page (detail panel, `<pre>`/`<code>` block).
    #[serde(rename = "j")]
    DetailJson,
    /// An Events API (or Logs API) response.
    #[serde(rename = "a")]
    EventsApi,
}

/// One mail event to one recipient.
///
/// Serialized only into the observation store (`core::store`), compactly: one- or two-letter
/// names, absent values left out (a stored event is a few hundred bytes; the store's quota is
/// 10 MB and a logs page can have 10,000 rows). The enums it holds are named likewise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailEvent {
    /// The recipient as shown.
    #[serde(rename = "r", default, skip_serializing_if = "String::is_empty")]
    pub recipient: String,
    /// [`email::normalise`]d recipient: the key observations are stored under.
    #[serde(rename = "rk", default, skip_serializing_if = "Option::is_none")]
    pub recipient_key: Option<String>,
    #[serde(rename = "d")]
    pub domain: MailDomain,
    /// `None` exactly when `domain` is `Unknown`.
    #[serde(rename = "ds", default, skip_serializing_if = "Option::is_none")]
    pub domain_source: Option<DomainSource>,
    #[serde(rename = "k")]
    pub kind: MailKind,
    #[serde(rename = "o")]
    pub outcome: Outcome,
    /// The subject as shown, verbatim.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The event word or API event name as shown ("Permanent Fail", "failed").
    #[serde(rename = "w")]
    pub event_shown: String,
    /// Mailgun's `reason` (e.g. `suppress-bounce`), verbatim.
    #[serde(rename = "rs", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `severity` (`temporary` / `permanent`) of a `failed` event, verbatim.
    #[serde(rename = "sv", default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `delivery-status.code` (or a leading SMTP code of the status message), verbatim.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `delivery-status.message` / the row's "Delivery Status Message", verbatim.
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `delivery-status.description`, verbatim.
    #[serde(rename = "de", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<UtcTime>,
    /// The time text as the page showed it (rows), for evidence and unreadable formats.
    #[serde(rename = "ts", default, skip_serializing_if = "Option::is_none")]
    pub time_shown: Option<String>,
    #[serde(rename = "tb", default, skip_serializing_if = "Option::is_none")]
    pub time_basis: Option<TimeBasis>,
    /// Mailgun's event id (`id`), when shown.
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The `message-id` header, when shown.
    #[serde(rename = "mi", default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(rename = "src")]
    pub source: EventSource,
}

impl MailEvent {
    /// One line for the banner: "2026-11-22 09:14 UTC · mg.gitlab.com (GitLab.com mail) ·
    /// password reset “Reset password instructions” · delivered · 250 OK".
    pub fn describe(&self, settings: &Settings) -> String {
        // The parts joined into one string of the exact size (evidence lists describe
        // thousands of events). Each section has its own fixed number of parts, so no count
        // can be outgrown by a new one.
        let time = self.timestamp.map(UtcTime::text);
        let time_parts: [&str; 2] = match (&time, &self.time_shown) {
            (Some(t), _) => [t.as_str(), ""],
            (None, Some(t)) => [t, " (time not read)"],
            (None, None) => ["time not shown", ""],
        };
        let subject: [&str; 3] = match &self.subject {
            Some(s) => [" “", s, "”"],
            None => ["", "", ""],
        };
        // The code is left out when the message already starts with it ("605 Not delivering…").
        let code = self.code.as_ref().filter(|c| {
            !self
                .message
                .as_ref()
                .is_some_and(|m| m.starts_with(c.as_str()))
        });
        let status = [code, self.message.as_ref(), self.reason.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .enumerate()
            .flat_map(|(i, s)| [if i == 0 { " · " } else { " " }, s]);
        let parts = time_parts
            .into_iter()
            .chain([" · "])
            .chain(self.domain.label_parts(settings))
            .chain([" · ", self.kind.label()])
            .chain(subject)
            .chain([" · "])
            .chain(self.outcome.label_parts())
            .chain(status);
        let mut line = String::with_capacity(parts.clone().map(str::len).sum());
        parts.for_each(|part| line.push_str(part));
        line
    }
}

/// An event for the tests of the mail modules: a password-reset mail to Jane, read from
/// `source`, with `outcome` at `ts`.
#[cfg(test)]
pub(crate) fn test_event(source: EventSource, outcome: Outcome, ts: Option<i64>) -> MailEvent {
    MailEvent {
        recipient: "Jane@Example.com".into(),
        recipient_key: Some("jane@example.com".into()),
        domain: MailDomain::Unknown,
        domain_source: None,
        kind: MailKind::PasswordReset,
        outcome,
        subject: Some("Reset password instructions".into()),
        event_shown: "x".into(),
        reason: None,
        severity: None,
        code: None,
        message: None,
        description: None,
        timestamp: ts.map(UtcTime),
        time_shown: None,
        time_basis: None,
        event_id: None,
        message_id: None,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Settings {
        Settings::default()
    }

    use super::test_event as ev;

    /// `describe` as first written (a part per field, joined): the reference for the one
    /// written into a single string.
    fn describe_by_parts(e: &MailEvent, settings: &Settings) -> String {
        let mut parts = vec![
            e.timestamp
                .map(|t| t.to_string())
                .or_else(|| {
                    e.time_shown
                        .as_ref()
                        .map(|t| format!("{t} (time not read)"))
                })
                .unwrap_or_else(|| "time not shown".into()),
            e.domain.label(settings),
        ];
        parts.push(match &e.subject {
            Some(s) => format!("{} “{}”", e.kind.label(), s),
            None => e.kind.label().to_string(),
        });
        parts.push(e.outcome.label());
        let code = e.code.as_ref().filter(|c| {
            !e.message
                .as_ref()
                .is_some_and(|m| m.starts_with(c.as_str()))
        });
        let status: Vec<&str> = [code, e.message.as_ref(), e.reason.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        if !status.is_empty() {
            parts.push(status.join(" "));
        }
        parts.join(" · ")
    }

    #[test]
    fn describe_is_the_parts_joined() {
        let settings = s();
        let texts = [
            None,
            Some(""),
            Some("605"),
            Some("605 Not delivering"),
            Some("OK"),
        ];
        let outcomes = [
            Outcome::Delivered,
            Outcome::Suppressed(SuppressionList::Unknown),
            Outcome::Other("weird".into()),
        ];
        let domains = [
            MailDomain::CustomersPortal,
            MailDomain::GitLabCom,
            MailDomain::Other("email.mg.gitlab.com".into()),
            MailDomain::Unknown,
        ];
        let mut n = 0;
        for (i, outcome) in outcomes.iter().enumerate() {
            for (j, domain) in domains.iter().enumerate() {
                for code in texts {
                    for message in texts {
                        for reason in texts {
                            let mut e = ev(EventSource::Row, outcome.clone(), None);
                            e.domain = domain.clone();
                            e.code = code.map(Into::into);
                            e.message = message.map(Into::into);
                            e.reason = reason.map(Into::into);
                            match (i + j + n) % 3 {
                                0 => e.timestamp = Some(UtcTime(1_795_000_000 + n as i64 * 61)),
                                1 => e.time_shown = Some("Nov 22, 11:50".into()),
                                _ => {}
                            }
                            if n % 4 == 0 {
                                e.subject = None;
                            }
                            e.kind = [MailKind::PasswordReset, MailKind::Other][n % 2];
                            assert_eq!(e.describe(&settings), describe_by_parts(&e, &settings));
                            n += 1;
                        }
                    }
                }
            }
        }
    }

    /// Regression (issue 17): every part present at once (a time not read, a domain with its
    /// note, a subject, an unknown outcome word, a code, a message and a reason) was exactly
    /// the 20 slots `describe` once wrote into; one more part would have crashed the banner.
    #[test]
    fn the_longest_description() {
        let mut e = ev(EventSource::Row, Outcome::Other("Bounced-ish".into()), None);
        e.time_shown = Some("12/01/2026, 03:59:23 PM +1é1".into());
        e.domain = MailDomain::CustomersPortal;
        e.code = Some("550".into());
        e.message = Some("5.1.1 No such user".into());
        e.reason = Some("bounce".into());
        let settings = s();
        let line = e.describe(&settings);
        assert_eq!(line, describe_by_parts(&e, &settings));
        assert_eq!(
            line,
            "12/01/2026, 03:59:23 PM +1é1 (time not read) · customers.gitlab.com (Customers \
             Portal mail) · password reset “Reset password instructions” · “Bounced-ish” · 550 \
             5.1.1 No such user bounce"
        );
        // Longer fields only lengthen parts, never add any.
        e.subject = Some("x".repeat(10_000));
        e.reason = Some("é".repeat(1_000));
        assert_eq!(e.describe(&settings), describe_by_parts(&e, &settings));
    }

    #[test]
    fn describes_an_event_in_one_line() {
        let mut e = ev(
            EventSource::Row,
            Outcome::Suppressed(SuppressionList::Bounce),
            None,
        );
        e.timestamp = Some(UtcTime::from_civil(2026, 11, 21, 13, 37, 46));
        e.domain = MailDomain::CustomersPortal;
        e.code = Some("605".into());
        e.message = Some("Not delivering to previously bounced address".into());
        assert_eq!(
            e.describe(&s()),
            "2026-11-21 13:37 UTC · customers.gitlab.com (Customers Portal mail) · password reset \
             “Reset password instructions” · suppressed (bounce list) · 605 Not delivering to \
             previously bounced address"
        );
    }
}
