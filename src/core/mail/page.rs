//! A Mailgun page as read: which surface (URL routing), the search it shows (domain, query,
//! filters, range), its events, and how a later reading of the same page continues it.

use super::{same_event, DomainSource, MailDomain, MailEvent};
use crate::core::email;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

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
        crate::core::sort::sort_by_key(&mut events, |e| (e.timestamp.is_none(), e.timestamp));
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

/// The surface and the URL's domain (`/app/sending/domains/<d>/logs`, `/v3/<d>/events`).
pub fn surface_of(url: &str, settings: &Settings) -> (Surface, Option<MailDomain>) {
    let (host, path) = crate::core::url::host_and_path(url).unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mail::test_event as ev;
    use crate::core::mail::{EventSource, Outcome};

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
}
