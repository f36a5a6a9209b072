//! Mail events: what Mailgun shows about the mail sent to a customer, independent of where it
//! was shown (a logs table row, an event's JSON in a detail panel, an Events API response).
//!
//! The readers (`crate::readers::mailgun`) fill these types; every rule that decides what an
//! event means (which domain, which kind of mail, which outcome, which instant) lives here and
//! is tested natively.
//!
//! - [`classify`]: subject → [`MailKind`], event word / API fields → [`Outcome`].
//! - [`shown_time`]: the date formats Mailgun's web app shows, with the zone basis recorded.
//! - [`json`]: a lenient JSON tree that deserializes from `serde_json` or is built from `JSON.parse`'s value.
//! - [`events_api`]: Events API items and pages (and event JSON shown in the web app).

pub mod classify;
pub mod events_api;
pub mod json;
pub mod shown_time;

use crate::core::email;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The sending domain a mail went out on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailDomain {
    /// `settings.customers_domain` (customers.gitlab.com): the Customers Portal's own mail.
    CustomersPortal,
    /// `settings.gitlab_com_domain` (mg.gitlab.com): GitLab.com's mail.
    GitLabCom,
    /// Another sending domain, lower-cased (e.g. `email.mg.gitlab.com`, which the handbook
    /// says is not the right one).
    Other(String),
    /// Nothing on the page or in the event said which domain: never guessed.
    Unknown,
}

impl MailDomain {
    /// Classifies a host name exactly (no suffix matching: `email.mg.gitlab.com` is not
    /// `mg.gitlab.com`). `None` when `host` is not a plausible host name.
    pub fn from_host(host: &str, settings: &Settings) -> Option<MailDomain> {
        let host = host.trim().trim_end_matches('.');
        if !is_host_name(host) {
            return None;
        }
        Some(if host.eq_ignore_ascii_case(&settings.customers_domain) {
            MailDomain::CustomersPortal
        } else if host.eq_ignore_ascii_case(&settings.gitlab_com_domain) {
            MailDomain::GitLabCom
        } else {
            MailDomain::Other(host.to_ascii_lowercase())
        })
    }

    /// The domain's name, when known.
    pub fn name<'a>(&'a self, settings: &'a Settings) -> Option<&'a str> {
        match self {
            MailDomain::CustomersPortal => Some(&settings.customers_domain),
            MailDomain::GitLabCom => Some(&settings.gitlab_com_domain),
            MailDomain::Other(name) => Some(name),
            MailDomain::Unknown => None,
        }
    }

    /// "customers.gitlab.com (Customers Portal mail)", "mg.gitlab.com (GitLab.com mail)",
    /// "email.mg.gitlab.com", "unknown domain".
    pub fn label(&self, settings: &Settings) -> String {
        self.label_parts(settings).concat()
    }

    /// [`MailDomain::label`] in two parts (the name, then what it is).
    fn label_parts<'a>(&'a self, settings: &'a Settings) -> [&'a str; 2] {
        match self {
            MailDomain::CustomersPortal => [&settings.customers_domain, " (Customers Portal mail)"],
            MailDomain::GitLabCom => [&settings.gitlab_com_domain, " (GitLab.com mail)"],
            MailDomain::Other(name) => [name, ""],
            MailDomain::Unknown => ["unknown domain", ""],
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, MailDomain::Unknown)
    }
}

/// Where an event's domain was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DomainSource {
    /// The page URL: `/app/sending/domains/<domain>/logs`, `/v3/<domain>/events`.
    Url,
    /// The page's selected-domain control (a `<select>`, combobox or button).
    PageControl,
    /// A domain cell in the event's own row.
    RowCell,
    /// The event's `envelope.sender` host (Mailgun's bounce address on the sending domain).
    EnvelopeSender,
    /// The event's `domain.name` (Logs API items).
    EventDomainField,
    /// The `message-id` host, only when it is one of the two known sending domains.
    MessageId,
    /// The From header's host, only when it is one of the two known sending domains.
    FromHeader,
}

/// The kind of mail, by subject (Devise's mails and their translations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    PasswordReset,
    Confirmation,
    Unlock,
    PasswordChanged,
    EmailChanged,
    /// A subject that is none of the above, or no subject shown.
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
    Bounce,
    Unsubscribe,
    Complaint,
    /// Suppressed (e.g. reason `suppress-<new list>`), list not recognised.
    Unknown,
}

/// What happened to the mail at this event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Accepted,
    Delivered,
    /// `failed` + severity `temporary`, "Temporary Fail": Mailgun retries.
    TemporaryFailure,
    /// `failed` + severity `permanent`, "Permanent Fail": dropped.
    PermanentFailure,
    /// `failed` with no severity shown: not guessed.
    Failed,
    Rejected,
    /// Not attempted: the address is on a suppression list (code 605, `suppress-*`,
    /// "Not delivering to previously bounced address").
    Suppressed(SuppressionList),
    Opened,
    Clicked,
    Complained,
    Unsubscribed,
    Stored,
    /// An event name or word this version does not know, kept verbatim.
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
    fn label_parts(&self) -> [&str; 3] {
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
    Epoch,
    /// The text carried its zone ("UTC", "+01:00", "Z").
    ZoneShown,
    /// The text had no zone; read as the browser's local time (the web app formats dates in
    /// the browser's zone), whose offset then was `offset_minutes` east of UTC.
    AssumedBrowserLocal { offset_minutes: i32 },
    /// The text had no zone and no local offset was available: read as UTC.
    AssumedUtc,
}

/// Where an event was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSource {
    /// A row of a logs table.
    Row,
    /// An event's JSON shown in the page (detail panel, `<pre>`/`<code>` block).
    DetailJson,
    /// An Events API (or Logs API) response.
    EventsApi,
}

/// One mail event to one recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailEvent {
    /// The recipient as shown.
    pub recipient: String,
    /// [`email::normalise`]d recipient: the key observations are stored under.
    pub recipient_key: Option<String>,
    pub domain: MailDomain,
    /// `None` exactly when `domain` is `Unknown`.
    pub domain_source: Option<DomainSource>,
    pub kind: MailKind,
    pub outcome: Outcome,
    /// The subject as shown, verbatim.
    pub subject: Option<String>,
    /// The event word or API event name as shown ("Permanent Fail", "failed").
    pub event_shown: String,
    /// Mailgun's `reason` (e.g. `suppress-bounce`), verbatim.
    pub reason: Option<String>,
    /// `severity` (`temporary` / `permanent`) of a `failed` event, verbatim.
    pub severity: Option<String>,
    /// `delivery-status.code` (or a leading SMTP code of the status message), verbatim.
    pub code: Option<String>,
    /// `delivery-status.message` / the row's "Delivery Status Message", verbatim.
    pub message: Option<String>,
    /// `delivery-status.description`, verbatim.
    pub description: Option<String>,
    pub timestamp: Option<UtcTime>,
    /// The time text as the page showed it (rows), for evidence and unreadable formats.
    pub time_shown: Option<String>,
    pub time_basis: Option<TimeBasis>,
    /// Mailgun's event id (`id`), when shown.
    pub event_id: Option<String>,
    /// The `message-id` header, when shown.
    pub message_id: Option<String>,
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

/// A date range as the page showed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RangeShown {
    /// The text as shown: "Last 30 days", "Nov 1, 2026 – Nov 23, 2026".
    pub text: String,
    /// "Last N days" (and "Last 24 hours" = 1, "Today" = 0... see [`shown_time::parse_range`]).
    pub last_days: Option<u32>,
    /// Start of the first day shown (zone as [`shown_time`] assumes), when dates are shown.
    pub from: Option<UtcTime>,
    /// End of the last day shown (exclusive), when dates are shown.
    pub to: Option<UtcTime>,
}

/// What the engineer searched for on a logs page: "searched customers.gitlab.com for X over
/// the last 30 days, 0 rows" is evidence too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailSearch {
    /// The domain searched (the page's domain).
    pub domain: MailDomain,
    /// The search box's text, verbatim.
    pub query: Option<String>,
    /// Filter chips as shown ("To: jane.doe@example.com").
    pub filters: Vec<String>,
    pub range: Option<RangeShown>,
    /// Event rows read on the page.
    pub rows_seen: usize,
    /// An empty-state text shown ("No events found"), verbatim.
    pub empty_text: Option<String>,
}

impl MailSearch {
    /// The normalised address searched for: the search box, or a To / Recipient filter.
    pub fn address_key(&self) -> Option<String> {
        let from_query = self.query.as_deref().and_then(email::normalise);
        from_query.or_else(|| {
            self.filters.iter().find_map(|f| {
                let (label, value) = f.split_once(':')?;
                let label = label.trim().to_ascii_lowercase();
                matches!(label.as_str(), "to" | "recipient" | "contains")
                    .then(|| email::normalise(value))
                    .flatten()
            })
        })
    }
}

/// Which Mailgun surface a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// `/app/sending/domains/<domain>/logs`
    OldLogs,
    /// `/mg/reporting/logs`
    NewLogs,
    /// Another app.mailgun.com page showing an event's JSON.
    EventDetail,
    /// `api.mailgun.net/v3/<domain>/events` (a saved response or a live look-up).
    EventsApi,
    /// Another Mailgun page (dashboard, settings...).
    Other,
}

/// A Mailgun page (or API response), read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailgunPage {
    pub url: String,
    pub surface: Surface,
    /// The page's domain (URL or selected-domain control); `Unknown` when it shows none or
    /// "All domains".
    pub domain: MailDomain,
    pub domain_source: Option<DomainSource>,
    /// The search shown on a logs page.
    pub search: Option<MailSearch>,
    pub events: Vec<MailEvent>,
    /// Rows or blocks that could not be read, said plainly.
    pub problems: Vec<String>,
    /// Events API `paging.next` (only for API responses with items).
    pub next_page: Option<String>,
}

impl MailgunPage {
    /// A page with nothing read yet, on the domain the URL or a page control names (if any).
    pub fn new(
        url: &str,
        surface: Surface,
        page_domain: Option<&(MailDomain, DomainSource)>,
    ) -> Self {
        MailgunPage {
            url: url.to_string(),
            surface,
            domain: page_domain.map_or(MailDomain::Unknown, |(d, _)| d.clone()),
            domain_source: page_domain.map(|(_, s)| *s),
            search: None,
            events: Vec::new(),
            problems: Vec::new(),
            next_page: None,
        }
    }

    /// The events to one recipient (by normalised key), oldest first, events without a
    /// readable time last.
    pub fn events_for(&self, key: &str) -> Vec<&MailEvent> {
        let mut events: Vec<&MailEvent> = self
            .events
            .iter()
            .filter(|e| e.recipient_key.as_deref() == Some(key))
            .collect();
        events.sort_by_key(|e| (e.timestamp.is_none(), e.timestamp));
        events
    }

    /// Every recipient key with events on the page, in order of first appearance.
    pub fn recipients(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for key in self
            .events
            .iter()
            .filter_map(|e| e.recipient_key.as_deref())
        {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// Whether `later` is this page read again with more rows (scrolling, a virtualised list):
    /// the same URL, surface, domain and search. A new search or domain starts afresh, so the
    /// events listed always answer the search shown.
    pub fn continued_by(&self, later: &MailgunPage) -> bool {
        let search_key = |p: &MailgunPage| {
            p.search.as_ref().map(|s| {
                (
                    s.query.clone(),
                    s.filters.clone(),
                    s.range.as_ref().map(|r| r.text.clone()),
                )
            })
        };
        self.url == later.url
            && self.surface == later.surface
            && self.domain == later.domain
            && search_key(self) == search_key(later)
    }

    /// Adds the events of a later reading of the same page (rows that appeared by scrolling
    /// or filtering; virtualised lists drop rows that scrolled away) that are not already
    /// here, and takes the later search and problems.
    pub fn merge_later(&mut self, later: MailgunPage) {
        for event in later.events {
            if !self.events.iter().any(|e| same_event(e, &event)) {
                self.events.push(event);
            }
        }
        if later.search.is_some() {
            self.search = later.search;
        }
        for p in later.problems {
            if !self.problems.contains(&p) {
                self.problems.push(p);
            }
        }
        if self.domain == MailDomain::Unknown {
            self.domain = later.domain;
            self.domain_source = later.domain_source;
        }
        self.next_page = later.next_page.or(self.next_page.take());
    }
}

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
            .filter(|&i| match (rows[i].timestamp, d.timestamp) {
                (Some(a), Some(b)) => (a.0 - b.0).abs() <= 120,
                _ => false,
            })
            .collect();
        let target = match (timed.as_slice(), candidates.as_slice()) {
            ([one], _) => Some(*one),
            ([], [one]) if rows[*one].timestamp.is_none() || d.timestamp.is_none() => Some(*one),
            _ => None,
        };
        let Some(i) = target else {
            unmatched.push(d);
            continue;
        };
        let r = &mut rows[i];
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

/// The surface and the URL's domain (`/app/sending/domains/<d>/logs`, `/v3/<d>/events`).
pub fn surface_of(url: &str, settings: &Settings) -> (Surface, Option<MailDomain>) {
    let (host, path) = crate::core::url::split(url);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let host = host.to_ascii_lowercase();
    if host == "api.mailgun.net" || host == "api.eu.mailgun.net" {
        if let ["v3", domain, "events", ..] = segments.as_slice() {
            return (Surface::EventsApi, MailDomain::from_host(domain, settings));
        }
        let surface = if segments.first() == Some(&"v1") {
            Surface::EventsApi
        } else {
            Surface::Other
        };
        return (surface, None);
    }
    if !host.eq_ignore_ascii_case(&settings.mailgun_app_host) {
        return (Surface::Other, None);
    }
    match segments.as_slice() {
        ["app", "sending", "domains", domain, "logs", rest @ ..] => {
            let surface = if rest.is_empty() {
                Surface::OldLogs
            } else {
                Surface::EventDetail
            };
            (surface, MailDomain::from_host(domain, settings))
        }
        ["mg", "reporting", "logs"] => (Surface::NewLogs, None),
        ["mg", "reporting", "logs", ..] => (Surface::EventDetail, None),
        _ => (Surface::Other, None),
    }
}

/// A dotted DNS name of letters, digits and hyphens with an alphabetic last label.
pub fn is_host_name(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The address inside a header value: "GitLab <noreply@mg.gitlab.com>", "<a@b.c>", "a@b.c".
/// `None` unless there is exactly one address.
pub fn address_in(header: &str) -> Option<String> {
    let inner = match (header.rfind('<'), header.rfind('>')) {
        (Some(l), Some(r)) if l < r => &header[l + 1..r],
        _ => header,
    };
    let inner = inner.trim().trim_matches(['"', '\'']);
    email::is_address(inner).then(|| inner.to_string())
}

/// The host after the last `@` of an address or message-id ("<x.y@customers.gitlab.com>").
pub fn host_of(value: &str) -> Option<String> {
    let v = value.trim().trim_start_matches('<').trim_end_matches('>');
    let (_, host) = v.rsplit_once('@')?;
    let host = host.trim().trim_end_matches('.');
    is_host_name(host).then(|| host.to_ascii_lowercase())
}

impl fmt::Display for MailDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailDomain::CustomersPortal => f.write_str("customers-portal"),
            MailDomain::GitLabCom => f.write_str("gitlab-com"),
            MailDomain::Other(name) => f.write_str(name),
            MailDomain::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Settings {
        Settings::default()
    }

    #[test]
    fn a_later_reading_continues_only_the_same_search() {
        let search = |query: &str| MailSearch {
            domain: MailDomain::CustomersPortal,
            query: Some(query.into()),
            filters: Vec::new(),
            range: None,
            rows_seen: 0,
            empty_text: None,
        };
        let page = |query: &str| MailgunPage {
            url: "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs".into(),
            surface: Surface::OldLogs,
            domain: MailDomain::CustomersPortal,
            domain_source: Some(DomainSource::Url),
            search: Some(search(query)),
            events: Vec::new(),
            problems: Vec::new(),
            next_page: None,
        };
        assert!(page("a@example.com").continued_by(&page("a@example.com")));
        assert!(!page("a@example.com").continued_by(&page("b@example.com")));
        let mut other_domain = page("a@example.com");
        other_domain.domain = MailDomain::GitLabCom;
        assert!(!page("a@example.com").continued_by(&other_domain));
    }

    #[test]
    fn classifies_domains_exactly() {
        let cases = [
            ("customers.gitlab.com", Some(MailDomain::CustomersPortal)),
            ("Customers.GitLab.com", Some(MailDomain::CustomersPortal)),
            ("mg.gitlab.com", Some(MailDomain::GitLabCom)),
            ("mg.gitlab.com.", Some(MailDomain::GitLabCom)),
            (
                "email.mg.gitlab.com",
                Some(MailDomain::Other("email.mg.gitlab.com".into())),
            ),
            ("gitlab", None),
            ("All domains", None),
            ("", None),
        ];
        for (host, want) in cases {
            assert_eq!(MailDomain::from_host(host, &s()), want, "{host:?}");
        }
    }

    #[test]
    fn recognises_surfaces_and_url_domains() {
        let cases = [
            (
                "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
                Surface::OldLogs,
                Some(MailDomain::CustomersPortal),
            ),
            (
                "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs?search=x#top",
                Surface::OldLogs,
                Some(MailDomain::GitLabCom),
            ),
            (
                "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs/abc123/details",
                Surface::EventDetail,
                Some(MailDomain::GitLabCom),
            ),
            (
                "https://app.mailgun.com/mg/reporting/logs",
                Surface::NewLogs,
                None,
            ),
            (
                "https://api.mailgun.net/v3/customers.gitlab.com/events?recipient=a%40b.c",
                Surface::EventsApi,
                Some(MailDomain::CustomersPortal),
            ),
            (
                "https://api.eu.mailgun.net/v3/mg.gitlab.com/events/WzMsWyJhIl1d",
                Surface::EventsApi,
                Some(MailDomain::GitLabCom),
            ),
            ("https://app.mailgun.com/dashboard", Surface::Other, None),
            ("https://example.com/v3/x.y/events", Surface::Other, None),
        ];
        for (url, surface, domain) in cases {
            assert_eq!(surface_of(url, &s()), (surface, domain), "{url}");
        }
    }

    #[test]
    fn finds_addresses_and_hosts_in_headers() {
        assert_eq!(
            address_in("GitLab <noreply@mg.gitlab.com>").as_deref(),
            Some("noreply@mg.gitlab.com")
        );
        assert_eq!(address_in(" a@b.co ").as_deref(), Some("a@b.co"));
        assert_eq!(address_in("a@b.co, c@d.co"), None);
        assert_eq!(
            host_of("<20261122091403.1.AB@customers.gitlab.com>").as_deref(),
            Some("customers.gitlab.com")
        );
        assert_eq!(host_of("no host"), None);
    }

    #[test]
    fn search_address_from_box_or_filter() {
        let mut search = MailSearch {
            domain: MailDomain::CustomersPortal,
            query: Some(" Priya.Raman@northwind-analytics.io ".into()),
            filters: vec![],
            range: None,
            rows_seen: 0,
            empty_text: None,
        };
        assert_eq!(
            search.address_key().as_deref(),
            Some("priya.raman@northwind-analytics.io")
        );
        search.query = None;
        search.filters = vec![
            "Event: failed".into(),
            "To: T.Nakamura@kitsune-robotics.jp".into(),
        ];
        assert_eq!(
            search.address_key().as_deref(),
            Some("t.nakamura@kitsune-robotics.jp")
        );
    }

    fn ev(source: EventSource, outcome: Outcome, ts: Option<i64>) -> MailEvent {
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

    #[test]
    fn later_readings_add_rows_a_virtual_list_dropped() {
        let page = |events: Vec<MailEvent>| MailgunPage {
            url: "https://app.mailgun.com/mg/reporting/logs".into(),
            surface: Surface::NewLogs,
            domain: MailDomain::Unknown,
            domain_source: None,
            search: None,
            events,
            problems: vec![],
            next_page: None,
        };
        let a = ev(EventSource::Row, Outcome::Accepted, Some(1));
        let b = ev(EventSource::Row, Outcome::Delivered, Some(2));
        let c = ev(EventSource::Row, Outcome::Opened, Some(3));
        let mut first = page(vec![a.clone(), b.clone()]);
        first.merge_later(page(vec![b.clone(), c.clone()]));
        assert_eq!(first.events, vec![a, b, c]);
        assert_eq!(first.recipients(), ["jane@example.com"]);
        assert_eq!(first.events_for("jane@example.com").len(), 3);
    }

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
