//! What the banner shows for the page it sits on: the diagnosis of the account on a Show page,
//! the key account facts, the rows of a search, or a one-line note. Pure, so every word the
//! engineer reads is decided (and tested) here, not in the rendering.

use crate::core::account::{humanize, AccountSnapshot, Presence, Value};
use crate::core::diagnosis::plan::{PlanStep, Verdict};
use crate::core::diagnosis::{diagnose, Diagnosis, Finding, Severity, Subject};
use crate::core::email;
use crate::core::mail::{MailDomain, MailgunPage, Surface};
use crate::core::observation::Observation;
use crate::core::page::PageReading;
use crate::core::settings::{QuietPages, Settings};
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// One account fact, as the banner lists it (`data-fact="<name>"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactLine {
    pub name: String,
    pub label: String,
    pub value: String,
}

/// One row of a search page, with what stands out about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowLine {
    pub id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The row's Show page (https only).
    pub href: Option<String>,
    pub hints: Vec<String>,
}

/// One mail event, as the banner lists it under its recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLine {
    /// The sending domain's name; None when nothing said which (never guessed).
    pub domain: Option<String>,
    /// [`MailKind::slug`](crate::core::mail::MailKind::slug)
    pub kind: String,
    /// [`Outcome::slug`](crate::core::mail::Outcome::slug)
    pub outcome: String,
    pub failure: bool,
    /// The one-line description (time, domain, kind and subject, outcome, Mailgun's status).
    pub text: String,
}

/// A recipient on a Mailgun page with the events to them, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipientLine {
    pub key: String,
    pub shown: String,
    pub events: Vec<EventLine>,
    /// What the events (and what other pages showed) mean for this recipient: the titles of
    /// the problem and warning findings of their diagnosis.
    pub hints: Vec<String>,
    /// Events after `events` that this copy of the view leaves out: 0 in the whole view, more
    /// in its first part ([`BannerView::split_first`]).
    pub events_unsent: u32,
}

/// How many lines of a long list the banner builds at first (evidence lines, search rows,
/// recipients with their events, problems): the rest follows on "Show all (N)". The view
/// orders every list (problems and failures first where it matters), so the first lines are
/// the ones to read first.
pub const FIRST_LINES: usize = 50;

/// The most events a recipient shows at first, and the fewest (when the first lines are
/// nearly used up).
pub const FIRST_EVENTS: usize = 10;
pub const FEW_EVENTS: usize = 5;

impl RecipientLine {
    /// How many events the recipient has, with those this copy leaves out.
    pub fn events_total(&self) -> usize {
        self.events.len() + self.events_unsent as usize
    }
}

/// What [`BannerView::split_first`] took out of a view: each recipient's events after its
/// first ones, and the recipients after the first ones.
#[derive(Debug)]
pub struct Unsent {
    events: Vec<Vec<EventLine>>,
    recipients: Vec<RecipientLine>,
}

/// The lines these recipients make with all their events (a recipient and each event are a
/// line), those left out of this copy included.
fn lines_of(recipients: &[RecipientLine]) -> usize {
    recipients.iter().map(|r| 1 + r.events_total()).sum()
}

/// A count as the view carries it (a page has far fewer than 4 billion lines).
fn u32_count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How the banner lays out a Mailgun page's recipients at first, given how many events each
/// has: up to [`FIRST_LINES`] lines (a recipient and each event are a line), each recipient
/// with its first [`FIRST_EVENTS`] events, at least [`FEW_EVENTS`], so that several
/// recipients show. One entry per recipient shown at first: how many of its events are.
pub fn first_recipients(events: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut used = 0;
    let mut shown = Vec::new();
    for total in events {
        if used >= FIRST_LINES {
            break;
        }
        let first = (FIRST_LINES - used)
            .saturating_sub(1)
            .clamp(FEW_EVENTS, FIRST_EVENTS);
        used += 1 + total.min(first);
        shown.push(first);
    }
    shown
}

/// Recipients on one page that get their own diagnosis as hints (each diagnosis reads every
/// observation; a huge log page lists the rest without hints).
const RECIPIENTS_WITH_HINTS: usize = 50;

/// Rows of one search page compared with each other for similar addresses.
const ROWS_COMPARED: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BannerView {
    pub subject: Option<Subject>,
    /// The findings in one sentence and the one thing to do now (`[data-verdict]`, the first
    /// line after the address).
    pub verdict: Option<Verdict>,
    /// Every next step once, ordered by what blocks what (`ol[data-plan]`).
    pub plan: Vec<PlanStep>,
    pub facts: Vec<FactLine>,
    pub rows: Vec<RowLine>,
    pub recipients: Vec<RecipientLine>,
    pub findings: Vec<Finding>,
    /// A page-level line: what the page is when it has no subject, or a search's summary.
    pub note: Option<String>,
    /// What on the page could not be read, said plainly.
    pub problems: Vec<String>,
    /// What the observation store did not keep of this page (near its quota), said plainly:
    /// `core::store::shortfall_line`, set by the frame once the store answers.
    pub storage: Option<String>,
    /// Nothing to say and the settings ask for no banner then: the frame shrinks to nothing.
    pub hidden: bool,
    /// Recipients after `recipients` that this copy of the view leaves out, and the lines
    /// they make (each and its events): 0 in the whole view, more in its first part
    /// ([`BannerView::split_first`]).
    pub recipients_unsent: u32,
    pub recipient_lines_unsent: u32,
}

impl BannerView {
    fn empty() -> BannerView {
        BannerView {
            subject: None,
            verdict: None,
            plan: Vec::new(),
            facts: Vec::new(),
            rows: Vec::new(),
            recipients: Vec::new(),
            findings: Vec::new(),
            note: None,
            problems: Vec::new(),
            storage: None,
            hidden: false,
            recipients_unsent: 0,
            recipient_lines_unsent: 0,
        }
    }

    /// A page with nothing to say about a customer: a one-line note at most.
    pub fn is_quiet(&self) -> bool {
        self.subject.is_none()
            && self.rows.is_empty()
            && self.recipients.is_empty()
            && self.findings.is_empty()
            && self.problems.is_empty()
    }

    fn note(note: String) -> BannerView {
        BannerView {
            note: Some(note),
            ..BannerView::empty()
        }
    }

    /// How many recipients the page has, with those this copy leaves out.
    pub fn recipients_total(&self) -> usize {
        self.recipients.len() + self.recipients_unsent as usize
    }

    /// How many lines the whole recipients list makes (a recipient and each event are a line).
    pub fn recipient_lines(&self) -> usize {
        lines_of(&self.recipients) + self.recipient_lines_unsent as usize
    }

    /// Leaves in the view the part the banner shows before "Show all" is pressed: each
    /// recipient shown at first ([`first_recipients`]) with its first events, and how many
    /// are left out. Returns what it took out (for [`BannerView::join`]), or `None` when the
    /// view is all of that. The frame's reader sends this part (a 10,000-row Mailgun page's
    /// whole view is 2.4 MB of JSON, its first part a few KB) and keeps the whole for
    /// "Show all".
    pub fn split_first(&mut self) -> Option<Unsent> {
        let layout = first_recipients(self.recipients.iter().map(RecipientLine::events_total));
        let cut = layout.len() < self.recipients.len()
            || self
                .recipients
                .iter()
                .zip(&layout)
                .any(|(r, n)| r.events.len() > *n);
        if !cut {
            return None;
        }
        let recipients = self.recipients.split_off(layout.len());
        let events = self
            .recipients
            .iter_mut()
            .zip(&layout)
            .map(|(r, first)| {
                let rest = r.events.split_off(r.events.len().min(*first));
                r.events_unsent = r.events_unsent.saturating_add(u32_count(rest.len()));
                rest
            })
            .collect();
        let lines = lines_of(&recipients);
        self.recipients_unsent = self
            .recipients_unsent
            .saturating_add(u32_count(recipients.len()));
        self.recipient_lines_unsent = self.recipient_lines_unsent.saturating_add(u32_count(lines));
        Some(Unsent { events, recipients })
    }

    /// Puts back what [`BannerView::split_first`] took out.
    pub fn join(&mut self, unsent: Unsent) {
        for (r, rest) in self.recipients.iter_mut().zip(unsent.events) {
            r.events_unsent = r.events_unsent.saturating_sub(u32_count(rest.len()));
            r.events.extend(rest);
        }
        let lines = lines_of(&unsent.recipients);
        self.recipients_unsent = self
            .recipients_unsent
            .saturating_sub(u32_count(unsent.recipients.len()));
        self.recipient_lines_unsent = self.recipient_lines_unsent.saturating_sub(u32_count(lines));
        self.recipients.extend(unsent.recipients);
    }

    /// This view with a diagnosis: its subject, verdict, plan and findings.
    fn diagnosed(self, d: Diagnosis) -> BannerView {
        BannerView {
            subject: Some(d.subject),
            verdict: Some(d.verdict),
            plan: d.plan,
            findings: d.findings,
            ..self
        }
    }

    /// The internal note for the ticket (Markdown, see
    /// [`crate::core::diagnosis::note::internal_note`]); `None` on a page without findings.
    pub fn internal_note(&self, now: UtcTime) -> Option<String> {
        let verdict = self.verdict.as_ref()?;
        let about = match (&self.subject, &self.note) {
            (Some(s), _) => s.shown.as_str(),
            (None, Some(note)) => note.as_str(),
            (None, None) => "this page",
        };
        Some(crate::core::diagnosis::note::internal_note(
            about,
            verdict,
            &self.plan,
            &self.findings,
            now,
        ))
    }
}

/// The account facts a support engineer looks at first, in this order.
const KEY_FACTS: [&str; 12] = [
    "confirmed_at",
    "confirmation_sent_at",
    "unconfirmed_email",
    "reset_password_sent_at",
    "sign_in_count",
    "current_sign_in_at",
    "last_sign_in_at",
    "locked_at",
    "failed_attempts",
    "login_activated",
    "provider",
    "uid",
];

pub fn banner_view(
    reading: &PageReading,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> BannerView {
    let view = page_view(reading, observations, now, settings);
    let hidden = view.is_quiet() && settings.quiet_pages == QuietPages::Hidden;
    BannerView { hidden, ..view }
}

fn page_view(
    reading: &PageReading,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> BannerView {
    match reading {
        PageReading::CustomerShow(account) => match account.email().and_then(email::normalise) {
            Some(key) => BannerView {
                facts: key_facts(account),
                ..BannerView::empty()
            }
            .diagnosed(diagnose(&key, observations, now, settings)),
            None => BannerView::note(
                "Customer page without a readable Email field: nothing to diagnose.".into(),
            ),
        },
        PageReading::CustomerSearch(search) => {
            let what = match &search.query {
                Some(q) => format!("Search “{q}”"),
                None => "Customer list".into(),
            };
            let count = match (search.rows.len(), search.total) {
                (0, _) if search.no_records => "no records found".to_string(),
                (0, _) => "no rows read".to_string(),
                (n, Some(total)) if total as usize != n => format!("{n} of {total} customers"),
                (n, _) => format!("{n} customer{}", if n == 1 { "" } else { "s" }),
            };
            let mut note = format!("{what}: {count}");
            if search.columns_hidden && !search.rows.is_empty() {
                note.push_str(" (some columns are in another column set)");
            }
            let mut view = BannerView {
                rows: search
                    .rows
                    .iter()
                    .map(|row| RowLine {
                        id: row.id.clone(),
                        email: row.email().map(str::to_string),
                        name: row.name(),
                        href: row.show_url.clone().filter(|u| u.starts_with("https://")),
                        hints: row_hints(row),
                    })
                    .collect::<Vec<_>>(),
                ..BannerView::note(note)
            };
            similar_row_hints(&mut view.rows);
            // A search for an address (read as the popup's box reads one) is about it: its
            // diagnosis, from the rows and everything stored. A search for a name or part of
            // an address: the rows that look like one person with several accounts.
            let address = search
                .query
                .as_deref()
                .and_then(|q| crate::core::lookup::query::parse_query(q).ok());
            match address {
                Some(query) => view.diagnosed(diagnose(&query.key, observations, now, settings)),
                None => {
                    match crate::core::diagnosis::similar_rows(search, ROWS_COMPARED, now, settings)
                    {
                        Some(finding) => {
                            let findings = vec![finding];
                            let plan = crate::core::diagnosis::plan::plan(&findings);
                            let about = search.query.as_deref().unwrap_or("this list");
                            let verdict =
                                crate::core::diagnosis::plan::verdict(about, &findings, &plan);
                            BannerView {
                                verdict: Some(verdict),
                                plan,
                                findings,
                                ..view
                            }
                        }
                        None => view,
                    }
                }
            }
        }
        PageReading::Mailgun(page) => {
            let mut view = mailgun_view(page, settings);
            for line in view.recipients.iter_mut().take(RECIPIENTS_WITH_HINTS) {
                line.hints = diagnose(&line.key, observations, now, settings)
                    .findings
                    .into_iter()
                    .filter(|f| f.severity != Severity::Info)
                    .map(|f| f.title)
                    .collect();
            }
            // A page about one address (searched for, or the only recipient) gets its
            // diagnosis, with everything known about it from other pages.
            let searched = page.search.as_ref().and_then(|s| s.address_key());
            let only = match page.recipients().as_slice() {
                [one] => Some(one.to_string()),
                _ => None,
            };
            match searched.or(only) {
                Some(key) => view.diagnosed(diagnose(&key, observations, now, settings)),
                None => view,
            }
        }
        PageReading::CustomerGitLabGroups(groups) => {
            gitlab_groups_view(groups, observations, now, settings)
        }
        PageReading::GitLabComUser(page) => {
            let user = &page.user;
            let view = BannerView {
                facts: user
                    .facts()
                    .into_iter()
                    .map(|(name, label, value)| FactLine {
                        name: name.into(),
                        label: label.into(),
                        value,
                    })
                    .collect(),
                ..BannerView::note(format!("GitLab.com admin: user {}", user.label()))
            };
            // The Customers Portal account linked to this user (its `Uid` is the user's id) when
            // one was seen: the case is about it; else the user's primary email.
            let linked = user.id.and_then(|id| {
                observations
                    .iter()
                    .filter_map(|o| o.account().map(|a| (o, a)))
                    .filter(|(_, a)| {
                        a.field("uid")
                            .is_some_and(|f| f.raw.trim().parse::<u64>().ok() == Some(id))
                    })
                    .max_by_key(|(o, _)| o.seen_at)
                    .map(|(o, _)| o.key.clone())
            });
            match linked.or_else(|| user.primary_email().and_then(email::normalise)) {
                Some(key) => view.diagnosed(diagnose(&key, observations, now, settings)),
                None => BannerView {
                    note: view
                        .note
                        .map(|n| format!("{n}: no readable primary email, nothing to diagnose.")),
                    ..view
                },
            }
        }
        PageReading::GitLabComSearch(search) => {
            let what = match &search.query {
                Some(q) => format!("GitLab.com user search “{q}”"),
                None => "GitLab.com user list".into(),
            };
            let n = search.users.len();
            let view = BannerView {
                rows: search
                    .users
                    .iter()
                    .map(|u| RowLine {
                        id: u.id.map(|id| id.to_string()),
                        email: u.primary_email().map(str::to_string),
                        name: u.name.clone().or_else(|| u.username.clone()),
                        href: u.admin_url(),
                        hints: u.blocking().into_iter().map(str::to_string).collect(),
                    })
                    .collect(),
                ..BannerView::note(format!(
                    "{what}: {}",
                    match n {
                        0 => "no users found".to_string(),
                        1 => "1 user".to_string(),
                        n => format!("{n} users"),
                    }
                ))
            };
            let address = search
                .query
                .as_deref()
                .and_then(|q| crate::core::lookup::query::parse_query(q).ok());
            match address {
                Some(query) => view.diagnosed(diagnose(&query.key, observations, now, settings)),
                None => view,
            }
        }
        PageReading::OtherAdminPage { what, .. } => {
            BannerView::note(format!("{what}: no account facts on this page."))
        }
        PageReading::Unreadable { reason, .. } => {
            BannerView::note(format!("cdot-triage can't read this page: {reason}"))
        }
    }
}

/// A Customer's GitLab Groups tab: the namespaces (linked or not), and the account's diagnosis
/// when its Show page was seen (the tab shows no address: found by the record id).
fn gitlab_groups_view(
    groups: &crate::core::account::GitLabGroups,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> BannerView {
    let id = &groups.record_id;
    let listed = match groups.namespaces.len() {
        0 => "no namespace listed: the account is not linked to a GitLab.com account".to_string(),
        n => format!(
            "{n} namespace{} of the linked GitLab.com user: the account is linked",
            if n == 1 { "" } else { "s" }
        ),
    };
    let view = BannerView {
        facts: groups
            .namespaces
            .iter()
            .map(|ns| FactLine {
                name: "namespace".into(),
                label: "Namespace".into(),
                value: match &ns.url {
                    Some(url) => format!("{} ({url})", ns.name),
                    None => ns.name.clone(),
                },
            })
            .collect(),
        ..BannerView::note(format!("Customer #{id} GitLab Groups tab: {listed}"))
    };
    let key = observations
        .iter()
        .filter_map(|o| o.account().map(|a| (o, a)))
        .filter(|(_, a)| a.record_id.as_deref() == Some(id.as_str()))
        .max_by_key(|(o, _)| o.seen_at)
        .map(|(o, _)| o.key.clone());
    match key {
        Some(key) => view.diagnosed(diagnose(&key, observations, now, settings)),
        None => BannerView {
            note: view
                .note
                .map(|n| format!("{n}. Open the Show tab for the account's diagnosis.")),
            ..view
        },
    }
}

/// A Mailgun page: what was searched and the events per recipient.
fn mailgun_view(page: &MailgunPage, settings: &Settings) -> BannerView {
    let what = match page.surface {
        Surface::OldLogs | Surface::NewLogs => "Mailgun logs",
        Surface::EventDetail => "Mailgun event",
        Surface::EventsApi => "Mailgun Events API",
        Surface::Other => "Mailgun page",
    };
    let mut parts = vec![match &page.domain {
        MailDomain::Unknown => format!("{what}: all or unknown domains"),
        domain => format!("{what}: {}", domain.label(settings)),
    }];
    if let Some(search) = &page.search {
        if let Some(q) = search.query.as_deref().filter(|q| !q.trim().is_empty()) {
            parts.push(format!("search “{}”", q.trim()));
        }
        for filter in &search.filters {
            parts.push(format!("filter “{filter}”"));
        }
        if let Some(range) = &search.range {
            parts.push(range.text.clone());
        }
    }
    let recipients: Vec<RecipientLine> = page
        .recipients()
        .into_iter()
        .map(|key| {
            let events = page.events_for(key);
            RecipientLine {
                hints: Vec::new(),
                key: key.to_string(),
                shown: events
                    .first()
                    .map_or_else(|| key.to_string(), |e| e.recipient.trim().to_string()),
                events: events
                    .iter()
                    .map(|e| EventLine {
                        domain: e.domain.name(settings).map(str::to_string),
                        kind: e.kind.slug().into(),
                        outcome: e.outcome.slug().into(),
                        failure: e.outcome.is_failure(),
                        text: e.describe(settings),
                    })
                    .collect(),
                events_unsent: 0,
            }
        })
        .collect();
    let count = match (page.events.len(), recipients.len()) {
        (0, _) => match page.search.as_ref().and_then(|s| s.empty_text.as_deref()) {
            Some(empty) => format!("no events (the page says “{empty}”)"),
            None => "no events".into(),
        },
        (e, r) => format!(
            "{e} event{} to {r} recipient{}",
            if e == 1 { "" } else { "s" },
            if r == 1 { "" } else { "s" }
        ),
    };
    BannerView {
        recipients,
        problems: page.problems.clone(),
        ..BannerView::note(format!("{}: {count}", parts.join(" · ")))
    }
}

fn key_facts(account: &AccountSnapshot) -> Vec<FactLine> {
    KEY_FACTS
        .iter()
        .filter_map(|name| {
            let line = |label: &str, value: String| FactLine {
                name: name.to_string(),
                label: label.to_string(),
                value,
            };
            match (account.field(name), account.presence(name)) {
                (Some(f), _) => Some(line(&f.label, f.display())),
                // Not on a Show page that drops blank fields: blank. Elsewhere: unknown, so
                // not listed rather than guessed.
                (None, Presence::Absent) if account.absent_means_blank() => {
                    Some(line(&humanize(name), "blank (not shown)".into()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Rows whose addresses are the same but for case, or similar (handbook cause 3: signed up
/// twice with `first_last@` and `first.last@`), point at each other by id.
fn similar_row_hints(rows: &mut [RowLine]) {
    let keys: Vec<Option<String>> = rows
        .iter()
        .take(ROWS_COMPARED)
        .map(|r| r.email.as_deref().and_then(email::normalise))
        .collect();
    for (i, a) in keys.iter().enumerate() {
        let Some(a) = a else { continue };
        for (j, other) in keys.iter().enumerate() {
            let Some(b) = other else { continue };
            let (Some(row), Some(other_row)) = (rows.get(i), rows.get(j)) else {
                continue;
            };
            if i == j {
                continue;
            }
            let other_id = other_row.id.clone().unwrap_or_else(|| b.clone());
            let same_but_case = a == b && row.email != other_row.email;
            let hint = if same_but_case {
                format!("same address as #{other_id} (other case)")
            } else if crate::core::similar::compare(a, b).is_some() {
                format!("similar to #{other_id}")
            } else {
                continue;
            };
            if let Some(row) = rows.get_mut(i) {
                row.hints.push(hint);
            }
        }
    }
}

/// What stands out in a row, from the columns the list shows.
fn row_hints(row: &crate::core::account::AccountRow) -> Vec<String> {
    let mut hints = Vec::new();
    if row.field("confirmed_at").map(|f| &f.value) == Some(&Value::Blank) {
        hints.push("not confirmed".into());
    }
    if row
        .field("locked_at")
        .is_some_and(|f| !matches!(f.value, Value::Blank))
    {
        hints.push("locked".into());
    }
    if row.field("email").is_some() && row.email().is_none() {
        hints.push("email not readable".into());
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::account::{AccountRow, AccountSearch, Field, FieldMatch, Flavour, View};
    use crate::core::observation::from_reading;

    fn field(name: &str, ty: &str, raw: &str) -> Field {
        Field::from_page(
            name.into(),
            humanize(name),
            Some(ty.into()),
            raw.into(),
            FieldMatch::Class,
            0,
        )
    }

    fn view_of(reading: &PageReading) -> BannerView {
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let obs = from_reading(reading, now);
        banner_view(reading, &obs, now, &Settings::default())
    }

    #[test]
    fn show_page_lists_key_facts_with_absent_as_blank() {
        let reading = PageReading::CustomerShow(AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/4711".into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            view: View::Show,
            recognised_by: vec!["url".into(), "header".into()],
            fields: vec![
                field("email", "string", "jdoe@example.com"),
                field("sign_in_count", "integer", "0"),
                field("company", "string", "Acme"),
            ],
        });
        let v = view_of(&reading);
        assert_eq!(v.subject.unwrap().shown, "jdoe@example.com");
        let facts: Vec<(&str, &str)> = v
            .facts
            .iter()
            .map(|f| (f.name.as_str(), f.value.as_str()))
            .collect();
        assert!(facts.contains(&("confirmed_at", "blank (not shown)")));
        assert!(facts.contains(&("sign_in_count", "0")));
        assert!(!facts.iter().any(|(n, _)| *n == "company"));
        assert_eq!(v.findings[0].id, "account-unconfirmed");
    }

    /// The GitLab Groups tab: linked or not, and the account's diagnosis once its Show page
    /// (the same record) was seen.
    #[test]
    fn gitlab_groups_tab_says_linked_and_diagnoses_the_record() {
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let tab = |namespaces: Vec<crate::core::account::Namespace>| {
            PageReading::CustomerGitLabGroups(crate::core::account::GitLabGroups {
                url: "https://customers.gitlab.com/admin/customer/4711/gitlab_groups".into(),
                record_id: "4711".into(),
                namespaces,
                empty_text: None,
            })
        };
        let empty = tab(Vec::new());
        let alone = view_of(&empty);
        assert_eq!(
            alone.note.as_deref(),
            Some(
                "Customer #4711 GitLab Groups tab: no namespace listed: the account is not \
                 linked to a GitLab.com account. Open the Show tab for the account's diagnosis."
            )
        );
        assert!(alone.subject.is_none() && alone.findings.is_empty());
        let show = PageReading::CustomerShow(AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/4711".into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            view: View::Show,
            recognised_by: vec!["url".into(), "header".into()],
            fields: vec![
                field("email", "string", "jdoe@example.com"),
                field("confirmed_at", "datetime", "March 05, 2024 14:07"),
            ],
        });
        let mut obs = from_reading(&show, now);
        obs.extend(from_reading(&empty, now));
        let v = banner_view(&empty, &obs, now, &Settings::default());
        assert_eq!(
            v.subject.map(|s| s.key).as_deref(),
            Some("jdoe@example.com")
        );
        assert_eq!(v.findings[0].id, "account-unlinked");
        let linked = tab(vec![crate::core::account::Namespace {
            name: "jdoe".into(),
            url: Some("https://gitlab.com/jdoe".into()),
        }]);
        let v = view_of(&linked);
        assert_eq!(v.facts[0].value, "jdoe (https://gitlab.com/jdoe)");
        assert!(v
            .note
            .unwrap()
            .contains("1 namespace of the linked GitLab.com user: the account is linked"));
    }

    /// A GitLab.com user page is about the Customers Portal account linked to the user (by its
    /// `Uid`) when one was seen, else about the user's primary email.
    #[test]
    fn a_gitlab_com_user_page_diagnoses_the_linked_account() {
        use crate::core::gitlab_com::{GitLabUser, Surface, UserEmail, UserPage};
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let mut user = GitLabUser::new(Surface::AdminPage);
        user.id = Some(42);
        user.username = Some("jd".into());
        user.emails.push(UserEmail {
            address: "jd@elsewhere.example".into(),
            primary: true,
            confirmed: Some(true),
        });
        let page = PageReading::GitLabComUser(UserPage {
            url: "https://gitlab.com/admin/users/jd".into(),
            user,
        });
        let alone = view_of(&page);
        assert_eq!(
            alone.subject.map(|s| s.key).as_deref(),
            Some("jd@elsewhere.example")
        );
        assert!(alone
            .facts
            .iter()
            .any(|f| f.name == "gitlab-id" && f.value == "42"));
        let show = PageReading::CustomerShow(AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/4711".into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            view: View::Show,
            recognised_by: vec!["url".into(), "header".into()],
            fields: vec![
                field("email", "string", "jdoe@example.com"),
                field("confirmed_at", "datetime", "March 05, 2024 14:07"),
                field("uid", "string", "42"),
            ],
        });
        let mut obs = from_reading(&show, now);
        obs.extend(from_reading(&page, now));
        let v = banner_view(&page, &obs, now, &Settings::default());
        assert_eq!(
            v.subject.map(|s| s.key).as_deref(),
            Some("jdoe@example.com")
        );
        assert_eq!(v.findings[0].id, "linked-account-email-differs");
    }

    #[test]
    fn search_page_summarises_rows_and_hints() {
        let row = |id: &str, email: &str, confirmed: &str| AccountRow {
            id: Some(id.into()),
            show_url: Some(format!("https://customers.gitlab.com/admin/customer/{id}")),
            fields: vec![
                field("email", "string", email),
                field("first_name", "string", "Jane"),
                field("confirmed_at", "datetime", confirmed),
            ],
        };
        let search = |rows: Vec<AccountRow>, total, no_records| {
            PageReading::CustomerSearch(AccountSearch {
                url: "https://customers.gitlab.com/admin/customer?query=example.com".into(),
                flavour: Flavour::RailsAdmin3,
                query: Some("example.com".into()),
                rows,
                total,
                no_records,
                sort: None,
                page: Some(1),
                columns: vec!["email".into(), "first_name".into(), "confirmed_at".into()],
                columns_hidden: false,
            })
        };
        let v = view_of(&search(
            vec![
                row("1", "jane@example.com", "March 05, 2024 14:07"),
                row("2", "jane_doe@example.com", " - "),
            ],
            Some(2),
            false,
        ));
        assert_eq!(v.note.as_deref(), Some("Search “example.com”: 2 customers"));
        assert!(v.subject.is_none() && v.findings.is_empty());
        assert_eq!(v.rows[1].hints, ["not confirmed"]);
        assert_eq!(v.rows[0].name.as_deref(), Some("Jane"));
        let paged = view_of(&search(
            vec![row("1", "jane@example.com", " - ")],
            Some(40),
            false,
        ));
        assert_eq!(
            paged.note.as_deref(),
            Some("Search “example.com”: 1 of 40 customers")
        );
        let empty = view_of(&search(Vec::new(), Some(0), true));
        let twins = view_of(&search(
            vec![
                row("1", "Jane.Doe@example.com", " - "),
                row("2", "jane.doe@example.com", " - "),
                row("3", "jane_doe@example.com", " - "),
                row("4", "someone.else@example.com", " - "),
            ],
            Some(4),
            false,
        ));
        assert_eq!(
            twins.rows[0].hints,
            [
                "not confirmed",
                "same address as #2 (other case)",
                "similar to #3"
            ]
        );
        assert_eq!(
            twins.rows[2].hints,
            ["not confirmed", "similar to #1", "similar to #2"]
        );
        assert_eq!(twins.rows[3].hints, ["not confirmed"]);
        assert_eq!(
            empty.note.as_deref(),
            Some("Search “example.com”: no records found")
        );
    }

    fn search_of(query: &str, rows: Vec<AccountRow>) -> PageReading {
        let n = rows.len();
        PageReading::CustomerSearch(AccountSearch {
            url: format!("https://customers.gitlab.com/admin/customer?query={query}"),
            flavour: Flavour::RailsAdmin3,
            query: Some(query.into()),
            rows,
            total: Some(n as u64),
            no_records: n == 0,
            sort: None,
            page: None,
            columns: vec!["email".into(), "first_name".into(), "confirmed_at".into()],
            columns_hidden: false,
        })
    }

    fn customer_row(id: &str, email: &str, confirmed: &str) -> AccountRow {
        AccountRow {
            id: Some(id.into()),
            show_url: Some(format!("https://customers.gitlab.com/admin/customer/{id}")),
            fields: vec![
                field("email", "string", email),
                field("first_name", "string", "Ravi"),
                field("confirmed_at", "datetime", confirmed),
            ],
        }
    }

    fn finding_ids(v: &BannerView) -> Vec<&str> {
        v.findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn an_exact_address_search_without_rows_is_no_account_for_it() {
        // The box's normaliser: `Name <…>`, `mailto:`, spaces and case.
        for query in [
            "ravi.k@tallgrass.example",
            " Ravi K <Ravi.K@tallgrass.example> ",
            "mailto:ravi.k@tallgrass.example",
        ] {
            let v = view_of(&search_of(query, Vec::new()));
            let subject = v.subject.as_ref().expect("the address is the subject");
            assert_eq!(subject.key, "ravi.k@tallgrass.example", "{query}");
            assert_eq!(
                finding_ids(&v),
                ["no-account", "missing-evidence"],
                "{query}"
            );
            let steps: Vec<&str> = v.plan.iter().map(|p| p.step.id.as_str()).collect();
            assert_eq!(
                steps,
                [
                    "admin-search-local-part",
                    "mailgun-logs-customers.gitlab.com",
                    "mailgun-logs-mg.gitlab.com"
                ]
            );
            let verdict = v.verdict.as_ref().unwrap();
            assert_eq!(
                verdict.text,
                "There is no Customers Portal account for this address: ask the customer which \
                 address they used"
            );
            assert!(v.findings[0]
                .explanation
                .contains("ask the customer which address"));
        }
    }

    #[test]
    fn an_exact_address_search_with_its_row_reads_the_columns() {
        let v = view_of(&search_of(
            "Amara.Okoye@baobab.example",
            vec![customer_row("6201", "Amara.Okoye@baobab.example", " - ")],
        ));
        assert_eq!(
            v.subject.as_ref().unwrap().shown,
            "Amara.Okoye@baobab.example"
        );
        assert_eq!(finding_ids(&v), ["account-unconfirmed", "missing-evidence"]);
        let f = &v.findings[0];
        assert!(f.certain);
        assert_eq!(
            f.evidence[0].what,
            "“Confirmed at” column of the admin search “Amara.Okoye@baobab.example” (row #6201)"
        );
        assert_eq!(f.evidence[0].value, "blank");
        let missing = &v.findings[1];
        assert_eq!(missing.steps[0].id, "open-account-show");
        assert_eq!(
            missing.steps[0].url,
            "https://customers.gitlab.com/admin/customer/6201"
        );
        assert_eq!(
            v.verdict.as_ref().unwrap().text,
            "The account is not confirmed: resend the confirmation email"
        );
        // A confirmed row: confirmed, the rest on the Show tab.
        let v = view_of(&search_of(
            "amara.okoye@baobab.example",
            vec![customer_row(
                "6201",
                "amara.okoye@baobab.example",
                "March 05, 2024 14:07",
            )],
        ));
        assert_eq!(finding_ids(&v), ["account-confirmed", "missing-evidence"]);
    }

    #[test]
    fn a_name_search_with_one_person_s_accounts_warns_with_the_group() {
        let v = view_of(&search_of(
            "dlamini",
            vec![
                customer_row("6301", "lindiwe_dlamini@ubuntu-freight.example", " - "),
                customer_row("6302", "Lindiwe.Dlamini@ubuntu-freight.example", " - "),
                customer_row("6303", "sipho.dlamini@ubuntu-freight.example", " - "),
                customer_row(
                    "6304",
                    "lindiwe.dlamini+billing@ubuntu-freight.example",
                    " - ",
                ),
                customer_row("6305", "lindiwe.dlamini@gmail.example", " - "),
            ],
        ));
        assert!(v.subject.is_none());
        assert_eq!(finding_ids(&v), ["similar-accounts"]);
        let f = &v.findings[0];
        assert_eq!(f.title, "4 accounts that look like one person");
        assert!(f.explanation.contains(
            "[lindiwe_dlamini@ubuntu-freight.example, Lindiwe.Dlamini@ubuntu-freight.example, \
             lindiwe.dlamini+billing@ubuntu-freight.example, lindiwe.dlamini@gmail.example]"
        ));
        assert!(!f.explanation.contains("sipho"));
        let steps: Vec<&str> = f.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            steps,
            [
                "candidate-6301",
                "candidate-6302",
                "candidate-6304",
                "candidate-6305"
            ]
        );
        assert_eq!(f.evidence[1].value, "other separators in the name");
        assert!(f.evidence[3]
            .value
            .contains("the same name at another domain"));
        assert!(f.reply.as_ref().unwrap().contains("which email address"));
        assert_eq!(
            v.verdict.as_ref().unwrap().text,
            "Other accounts look like the same person: ask the customer which address holds the \
             subscription"
        );
        assert_eq!(v.plan.len(), 4);
        // Rows that do not look alike: no finding.
        let v = view_of(&search_of(
            "tallgrass",
            vec![
                customer_row("1", "ravi.k@tallgrass.example", " - "),
                customer_row("2", "mei.l@tallgrass.example", " - "),
            ],
        ));
        assert!(v.findings.is_empty() && v.verdict.is_none());
    }

    #[test]
    fn the_internal_note_is_markdown_with_the_verdict_evidence_and_what_is_unchecked() {
        let v = view_of(&search_of(
            "Amara.Okoye@baobab.example",
            vec![customer_row("6201", "Amara.Okoye@baobab.example", " - ")],
        ));
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let note = v.internal_note(now).unwrap();
        assert!(note.starts_with(
            "### cdot-triage: Amara.Okoye@baobab.example (as of 2026-11-23 12:00 UTC)\n\n\
             **Verdict:** The account is not confirmed: resend the confirmation email\n"
        ));
        assert!(note.contains(
            "1. [Resend the confirmation email](<https://customers.gitlab.com/customers/confirmation/new>)"
        ));
        assert!(note.contains("- **Problem: Account is not confirmed** (`account-unconfirmed`)"));
        assert!(note.contains(
            "  - “Confirmed at” column of the admin search “Amara.Okoye@baobab.example” \
             (row #6201): blank; seen 2026-11-23 12:00 UTC on [the CustomersDot admin]"
        ));
        let unchecked = note.split("**Not checked**").nth(1).unwrap();
        assert!(unchecked.contains("admin/customer/6201"));
        assert!(unchecked.contains("mailgun-logs") || unchecked.contains("/logs"));
    }

    /// A Mailgun page's view with recipients having these many events each.
    fn recipients_view(events: &[usize]) -> BannerView {
        let recipients = events
            .iter()
            .enumerate()
            .map(|(i, n)| RecipientLine {
                key: format!("r{i}@example.com"),
                shown: format!("R{i}@example.com"),
                events: (0..*n)
                    .map(|j| EventLine {
                        domain: Some("mg.example.com".into()),
                        kind: "password-reset".into(),
                        outcome: "delivered".into(),
                        failure: j % 7 == 0,
                        text: format!("event {j} to r{i}"),
                    })
                    .collect(),
                hints: if i == 0 {
                    vec!["A hint".into()]
                } else {
                    Vec::new()
                },
                events_unsent: 0,
            })
            .collect();
        BannerView {
            recipients,
            ..BannerView::note("Mailgun logs".into())
        }
    }

    #[test]
    fn the_first_layout_fills_the_first_lines_with_several_recipients() {
        // 10 events at most each while lines are left, 5 at least, up to 50 lines.
        assert_eq!(first_recipients([3, 40, 2, 30]), vec![10, 10, 10, 10]);
        assert_eq!(first_recipients([100; 10]), vec![10, 10, 10, 10, 5]);
        let one_each = first_recipients([1; 100]);
        assert_eq!(one_each.len(), 25, "25 recipients of 2 lines each");
        assert!(first_recipients(std::iter::empty()).is_empty());
    }

    #[test]
    fn the_first_part_holds_what_is_built_first_and_says_what_it_leaves_out() {
        let whole = recipients_view(&[40, 2, 30, 12, 9, 1, 1, 3]);
        assert_eq!(
            whole.recipient_lines(),
            8 + 40 + 2 + 30 + 12 + 9 + 1 + 1 + 3
        );
        let mut first = whole.clone();
        let unsent = first.split_first().expect("a long list is cut");
        assert!(first.recipients_unsent > 0);
        let layout = first_recipients(whole.recipients.iter().map(RecipientLine::events_total));
        assert_eq!(first.recipients.len(), layout.len());
        assert_eq!(first.recipients_total(), whole.recipients_total());
        assert_eq!(first.recipient_lines(), whole.recipient_lines());
        for ((f, w), n) in first.recipients.iter().zip(&whole.recipients).zip(&layout) {
            assert_eq!(f.key, w.key);
            assert_eq!(f.hints, w.hints);
            assert_eq!(f.events, w.events[..w.events.len().min(*n)]);
            assert_eq!(f.events_total(), w.events.len());
        }
        // Everything else is the same.
        let mut rest = first.clone();
        rest.recipients = whole.recipients.clone();
        rest.recipients_unsent = 0;
        rest.recipient_lines_unsent = 0;
        assert_eq!(rest, whole);
        // The first part lays out as the whole does, and is its own first part.
        let again = first_recipients(first.recipients.iter().map(RecipientLine::events_total));
        assert_eq!(again, layout);
        assert!(first.clone().split_first().is_none());
        // Built lines: no more than the first lines and a recipient's last few.
        let built: usize = first.recipients.iter().map(|r| 1 + r.events.len()).sum();
        assert!(built <= FIRST_LINES + FEW_EVENTS, "{built}");
        // Put back, it is the whole view again.
        first.join(unsent);
        assert_eq!(first, whole);
    }

    #[test]
    fn a_short_list_is_sent_whole() {
        let first = |events: &[usize]| {
            let mut view = recipients_view(events);
            view.split_first().map(|_| view)
        };
        assert_eq!(first(&[3, 10, 2]), None);
        assert_eq!(first(&[]), None);
        // Ten recipients of one event: 20 lines, all built.
        assert_eq!(first(&[1; 10]), None);
        // One recipient more than the first lines hold: cut.
        let cut = first(&[1; 26]).unwrap();
        assert_eq!((cut.recipients.len(), cut.recipients_unsent), (25, 1));
        assert_eq!(cut.recipient_lines_unsent, 2);
        // A recipient's events cut, and no recipient left out.
        let first = first(&[60]).unwrap();
        assert_eq!(first.recipients[0].events.len(), FIRST_EVENTS);
        assert_eq!(first.recipients[0].events_unsent, 50);
        assert_eq!(
            (first.recipients_unsent, first.recipient_lines_unsent),
            (0, 0)
        );
        assert_eq!(first.recipient_lines(), 61);
    }
}
