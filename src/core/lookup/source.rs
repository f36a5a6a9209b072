//! The sources one popup search asks, what each one's state line says, and how answers become
//! observations (so they reach every banner like a page read in a tab).

use super::mailgun_api::{MAX_PAGES, PAGE_LIMIT};
use super::query::Query;
use crate::core::diagnosis::Step;
use crate::core::mail::SuppressionCheck;
use crate::core::mail::{MailDomain, MailSearch, MailgunPage, RangeShown, SuppressionList};
use crate::core::observation::{self, Fact, Observation};
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// One live look-up source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "domain", rename_all = "kebab-case")]
pub enum Source {
    /// The CustomersDot admin's Customer search (and Show pages), with the browser's session.
    Admin,
    /// The Events API of one sending domain.
    Events(String),
    /// The Suppressions API (bounces, unsubscribes, complaints) of one sending domain.
    Suppressions(String),
    /// GitLab.com's users API, with the engineer's token.
    GitLabCom,
}

impl Source {
    /// Stable id: the popup's `data-source`.
    pub fn id(&self) -> String {
        match self {
            Source::Admin => "admin".into(),
            Source::Events(domain) => format!("events:{domain}"),
            Source::Suppressions(domain) => format!("suppressions:{domain}"),
            Source::GitLabCom => "gitlab-com".into(),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Source::Admin => "CustomersDot admin".into(),
            Source::Events(domain) => format!("Mailgun events, {domain}"),
            Source::Suppressions(domain) => format!("Mailgun suppressions, {domain}"),
            Source::GitLabCom => "GitLab.com users API".into(),
        }
    }

    fn is_mailgun(&self) -> bool {
        matches!(self, Source::Events(_) | Source::Suppressions(_))
    }
}

/// Every source of a search, in the order they are shown.
pub fn sources(settings: &Settings) -> Vec<Source> {
    let mut all = vec![Source::Admin];
    for domain in [&settings.customers_domain, &settings.gitlab_com_domain] {
        all.push(Source::Events(domain.clone()));
        all.push(Source::Suppressions(domain.clone()));
    }
    all.push(Source::GitLabCom);
    all
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Not asked: switched off, no key, no permission.
    Off,
    Waiting,
    Done,
    Failed,
}

/// A source's line in the popup (`data-source`, `data-state`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLine {
    pub id: String,
    pub label: String,
    pub state: State,
    pub text: String,
    /// Where to go about it (sign in, Mailgun's Suppressions page).
    pub link: Option<Step>,
}

/// Why a source is not asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Switched off in the options.
    Disabled,
    /// Mailgun look-ups on, but no API key saved.
    NoKey,
    /// The browser has not granted the host permission.
    NoPermission,
}

/// How a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An HTTP status that is not an answer.
    Status(u16),
    /// No answer within the timeout (seconds).
    Timeout(u32),
    /// The request did not reach the host (offline, DNS, blocked).
    Offline,
    /// The admin answered with its sign-in page.
    SignedOut,
    /// An answer that could not be read, said plainly.
    BadAnswer(String),
    /// GitLab.com: the token is not an administrator's (its answers carry no email address).
    NotAdmin,
}

fn line(source: &Source, state: State, text: String, link: Option<Step>) -> SourceLine {
    SourceLine {
        id: source.id(),
        label: source.label(),
        state,
        text,
        link,
    }
}

pub fn waiting(source: &Source) -> SourceLine {
    line(source, State::Waiting, "Asking…".into(), None)
}

pub fn unavailable(source: &Source, why: Unavailable, settings: &Settings) -> SourceLine {
    if *source == Source::GitLabCom {
        let text = match why {
            Unavailable::Disabled => {
                "Off: turn on the GitLab.com look-up in the options (needs an administrator's \
                 personal access token)."
            }
            Unavailable::NoKey => "Off: no GitLab.com token saved in the options.",
            Unavailable::NoPermission => {
                "Off: the browser has not allowed cdot-triage to reach gitlab.com's API \
                 (options: turn the look-up off and on again to be asked)."
            }
        };
        return line(source, State::Off, text.into(), None);
    }
    let text = match (why, source.is_mailgun()) {
        (Unavailable::Disabled, false) => {
            "Off: turn on “Search the admin” in the options to fetch it with your session.".into()
        }
        (Unavailable::Disabled, true) => {
            "Off: turn on the Mailgun look-ups in the options (needs an API key).".into()
        }
        (Unavailable::NoKey, _) => "Off: no Mailgun API key saved in the options.".into(),
        (Unavailable::NoPermission, false) => format!(
            "Off: the browser has not allowed cdot-triage to reach {} (options: turn the \
             look-up off and on again to be asked).",
            settings.admin_host
        ),
        (Unavailable::NoPermission, true) => format!(
            "Off: the browser has not allowed cdot-triage to reach {} (options: turn the \
             look-up off and on again to be asked).",
            settings.mailgun_region.api_host()
        ),
    };
    line(source, State::Off, text, None)
}

/// What a failure means, for this source: never a dump of the response.
pub fn failed(source: &Source, failure: &Failure, settings: &Settings) -> SourceLine {
    let host = match source {
        Source::Admin => settings.admin_host.clone(),
        Source::GitLabCom => "gitlab.com".to_string(),
        _ => settings.mailgun_region.api_host().to_string(),
    };
    let mut link = None;
    let text = match (failure, source) {
        (Failure::SignedOut, _) | (Failure::Status(401), Source::Admin) => {
            link = crate::core::url::https(&settings.admin_host, &["admin"], &[]).map(|url| Step {
                id: "admin-sign-in".into(),
                label: "Sign in to the admin".into(),
                url,
            });
            "Signed out of the CustomersDot admin: sign in, then search again.".into()
        }
        (Failure::Status(403), Source::Admin) => {
            "The admin refused the search (403): is your account an admin?".into()
        }
        (Failure::Status(401), Source::GitLabCom) => "GitLab.com rejected the token (401): it \
            may have expired or been revoked; save a new one in the options."
            .into(),
        (Failure::Status(403), Source::GitLabCom) => "GitLab.com refused the request (403): \
            the token needs the read_api scope, and admin_mode for an administrator's search."
            .into(),
        (Failure::Status(429), Source::GitLabCom) => "gitlab.com is rate limiting (429): its \
            users API allows a limited number of requests per minute; try again in a minute."
            .into(),
        (Failure::NotAdmin, _) => "The token is not a GitLab.com administrator's: GitLab.com \
            shows no email addresses to it, so a search by address cannot say whether an account \
            has it (nothing was stored). Use an administrator's token with admin_mode, or the \
            admin area's user search."
            .into(),
        (Failure::Status(401), _) => {
            "Mailgun rejected the API key (401): check the key in the options.".into()
        }
        (Failure::Status(403), _) => {
            "Mailgun refused the request (403): the key may lack access to this domain.".into()
        }
        (Failure::Status(404), Source::Events(domain) | Source::Suppressions(domain)) => format!(
            "Mailgun has no domain {domain} in the {} region (404): check the domains and \
             region in the options.",
            region_word(settings)
        ),
        (Failure::Status(429), _) => {
            format!("{host} is rate limiting (429): try again in a minute.")
        }
        (Failure::Status(code @ 500..=599), _) => {
            format!("{host} had an error (HTTP {code}): try again later.")
        }
        (Failure::Status(code), _) => format!("{host} answered HTTP {code}."),
        (Failure::Timeout(secs), _) => format!("No answer from {host} within {secs} s."),
        (Failure::Offline, _) => {
            format!("Could not reach {host}: the browser is offline or the host is blocked.")
        }
        (Failure::BadAnswer(why), _) => format!("{host} answered, but: {why}"),
    };
    line(source, State::Failed, text, link)
}

fn region_word(settings: &Settings) -> &'static str {
    match settings.mailgun_region {
        crate::core::settings::Region::Us => "US",
        crate::core::settings::Region::Eu => "EU",
    }
}

/// The admin search's line: how many accounts have the address, and how many of their Show
/// pages were read (`shows_opened` tried).
pub fn admin_done(reading: &PageReading, shows_opened: usize, shows_read: usize) -> SourceLine {
    let text = match reading {
        PageReading::CustomerSearch(search) => match (search.rows.len(), shows_opened) {
            (0, _) => "No account found for the address.".into(),
            (rows, 0) => format!(
                "{rows} row{} found, none with exactly this address.",
                plural(rows)
            ),
            (rows, opened) => {
                let mut t = format!(
                    "{opened} account{} with the address ({rows} row{} found); {shows_read} Show \
                     page{} read",
                    plural(opened),
                    plural(rows),
                    plural(shows_read)
                );
                if shows_read < opened {
                    t.push_str(&format!(", {} could not be read", opened - shows_read));
                }
                t.push('.');
                t
            }
        },
        PageReading::Unreadable { reason, .. } => {
            format!("The admin page could not be read: {reason}")
        }
        _ => "The admin answered with a page that is not the Customer search.".into(),
    };
    let state = match reading {
        PageReading::CustomerSearch(_) => State::Done,
        _ => State::Failed,
    };
    line(&Source::Admin, state, text, None)
}

/// The GitLab.com look-up's line: how many users the search showed, which has the address.
pub fn gitlab_done(query: &Query, users: &[crate::core::gitlab_com::GitLabUser]) -> SourceLine {
    let with = users.iter().find(|u| u.has_email(&query.key));
    let text = match (users.len(), with) {
        (0, _) => format!("No GitLab.com user with {}.", query.shown),
        (_, Some(u)) => {
            let blocking = u.blocking();
            format!(
                "{} has the address ({}).",
                u.label(),
                if blocking.is_empty() {
                    "active".to_string()
                } else {
                    blocking.join(", ")
                }
            )
        }
        (n, None) => format!(
            "{n} user{} by name, none with {} as its primary email.",
            plural(n),
            query.shown
        ),
    };
    line(&Source::GitLabCom, State::Done, text, None)
}

/// The observations of a GitLab.com look-up: the users (by primary email) and the search for
/// the address itself (evidence also when it found nobody).
pub fn gitlab_observations(
    query: &Query,
    url: &str,
    users: Vec<crate::core::gitlab_com::GitLabUser>,
    extra: Vec<(String, crate::core::gitlab_com::GitLabUser)>,
    now: UtcTime,
) -> Vec<Observation> {
    let search = crate::core::gitlab_com::UserSearch {
        url: url.to_string(),
        query: Some(query.shown.clone()),
        users,
    };
    let mut out = observation::gitlab_com_search(&search, now);
    // A user fetched by id (the account's `Uid`): by its primary email, when it has one.
    out.extend(extra.into_iter().filter_map(|(url, user)| {
        let shown = user.primary_email()?.to_string();
        Some(Observation {
            key: crate::core::email::normalise(&shown)?,
            shown,
            url,
            seen_at: now,
            fact: Fact::GitLabComUser(user),
        })
    }));
    out
}

/// The Events API's line.
pub fn events_done(
    domain: &str,
    events: usize,
    truncated: bool,
    settings: &Settings,
) -> SourceLine {
    let text = match (events, truncated) {
        (0, _) => format!(
            "No events in the last {} days (Mailgun keeps events for a limited time).",
            settings.reset_window_days
        ),
        (n, false) => format!(
            "{n} event{} in the last {} days.",
            plural(n),
            settings.reset_window_days
        ),
        (n, true) => format!(
            "The newest {n} events read ({MAX_PAGES} pages); older ones in the {}-day window \
             were not fetched.",
            settings.reset_window_days
        ),
    };
    line(&Source::Events(domain.to_string()), State::Done, text, None)
}

/// The Suppressions API's line: listed or not, per list.
pub fn suppressions_done(
    domain: &str,
    checks: &[SuppressionCheck],
    settings: &Settings,
) -> SourceLine {
    let listed: Vec<String> = checks
        .iter()
        .filter_map(|c| Some((c.list, c.entry.as_ref()?)))
        .map(|(list, e)| {
            let mut s = format!("on the {} list", list_word(list));
            if let Some(t) = e.created_at {
                s.push_str(&format!(" since {t}"));
            } else if let Some(shown) = &e.created_shown {
                s.push_str(&format!(" since “{shown}”"));
            }
            let said: Vec<&str> = [e.code.as_deref(), e.error.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !said.is_empty() {
                s.push_str(&format!(" (Mailgun: {})", said.join(" ")));
            }
            s
        })
        .collect();
    let text = if listed.is_empty() {
        "Not on the bounce, unsubscribe or complaint list.".to_string()
    } else {
        let mut t = listed.join("; ");
        if let Some((first, rest)) = t.split_at_checked(1) {
            t = first.to_uppercase() + rest;
        }
        format!("{t}. Remove it in Mailgun (read-only here).")
    };
    let link = (!listed.is_empty()).then(|| Step {
        id: format!("mailgun-suppressions-{domain}"),
        label: format!("Suppressions of {domain}"),
        url: super::mailgun_api::suppressions_page_url(settings, domain),
    });
    line(
        &Source::Suppressions(domain.to_string()),
        State::Done,
        text,
        link,
    )
}

pub fn list_word(list: SuppressionList) -> &'static str {
    match list {
        SuppressionList::Bounce => "bounce",
        SuppressionList::Unsubscribe => "unsubscribe",
        SuppressionList::Complaint => "complaint",
        SuppressionList::Unknown => "suppression",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The observations of an Events API look-up: its events, and the search itself (so "no
/// events over the window" counts as evidence, unless paging stopped early).
pub fn events_observations(
    mut page: MailgunPage,
    query: &Query,
    domain: MailDomain,
    truncated: bool,
    settings: &Settings,
    now: UtcTime,
) -> Vec<Observation> {
    let range = if truncated {
        RangeShown {
            text: format!(
                "Events API, newest {} pages of {PAGE_LIMIT} only",
                MAX_PAGES
            ),
            last_days: None,
            from: None,
            to: None,
        }
    } else {
        RangeShown {
            text: format!("Events API, last {} days", settings.reset_window_days),
            last_days: Some(settings.reset_window_days),
            from: None,
            to: None,
        }
    };
    page.search = Some(MailSearch {
        domain,
        query: Some(query.shown.clone()),
        filters: Vec::new(),
        rows_seen: page.events.len(),
        empty_text: page
            .events
            .is_empty()
            .then(|| "the Events API returned no items".to_string()),
        range: Some(range),
    });
    observation::from_reading(&PageReading::Mailgun(page), now)
}

/// The observation of one suppression list checked.
pub fn suppression_observation(
    check: SuppressionCheck,
    query: &Query,
    url: &str,
    now: UtcTime,
) -> Observation {
    Observation {
        key: query.key.clone(),
        shown: query.shown.clone(),
        url: url.to_string(),
        seen_at: now,
        fact: Fact::SuppressionChecked(check),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mail::SuppressionEntry;

    #[test]
    fn every_source_has_an_id_and_an_order() {
        let ids: Vec<String> = sources(&Settings::default())
            .iter()
            .map(Source::id)
            .collect();
        assert_eq!(
            ids,
            [
                "admin",
                "events:customers.gitlab.com",
                "suppressions:customers.gitlab.com",
                "events:mg.gitlab.com",
                "suppressions:mg.gitlab.com",
                "gitlab-com"
            ]
        );
    }

    #[test]
    fn the_gitlab_com_look_up_says_what_each_failure_means() {
        let s = Settings::default();
        let g = Source::GitLabCom;
        let text = |f: Failure| failed(&g, &f, &s).text;
        assert!(text(Failure::Status(401)).starts_with("GitLab.com rejected the token (401)"));
        assert!(text(Failure::Status(403)).contains("read_api scope"));
        assert!(text(Failure::Status(429)).starts_with("gitlab.com is rate limiting (429)"));
        assert!(
            text(Failure::NotAdmin).starts_with("The token is not a GitLab.com administrator's")
        );
        assert_eq!(
            text(Failure::Timeout(20)),
            "No answer from gitlab.com within 20 s."
        );
        assert!(unavailable(&g, Unavailable::NoKey, &s)
            .text
            .contains("no GitLab.com token"));
        assert!(unavailable(&g, Unavailable::Disabled, &s)
            .text
            .contains("GitLab.com look-up"));
        let q = crate::core::lookup::query::parse_query("Jane@Example.com").unwrap();
        assert_eq!(
            gitlab_done(&q, &[]).text,
            "No GitLab.com user with Jane@Example.com."
        );
        let obs = gitlab_observations(
            &q,
            "https://gitlab.com/api/v4/users?search=Jane%40Example.com",
            Vec::new(),
            Vec::new(),
            UtcTime::from_civil(2026, 11, 23, 12, 0, 0),
        );
        assert!(matches!(
            &obs[..],
            [Observation {
                fact: Fact::GitLabComSearched { users: 0, .. },
                ..
            }]
        ));
    }

    #[test]
    fn failures_say_what_to_do() {
        let s = Settings::default();
        let admin = failed(&Source::Admin, &Failure::SignedOut, &s);
        assert_eq!(admin.state, State::Failed);
        assert!(admin.text.starts_with("Signed out"));
        assert_eq!(
            admin.link.unwrap().url,
            "https://customers.gitlab.com/admin"
        );
        let events = Source::Events("mg.gitlab.com".into());
        assert!(failed(&events, &Failure::Status(401), &s)
            .text
            .contains("rejected the API key"));
        assert!(failed(&events, &Failure::Status(404), &s)
            .text
            .contains("no domain mg.gitlab.com in the US region"));
        assert!(failed(&events, &Failure::Status(429), &s)
            .text
            .contains("rate limiting"));
        assert!(failed(&events, &Failure::Status(502), &s)
            .text
            .contains("HTTP 502"));
        assert_eq!(
            failed(&events, &Failure::Timeout(20), &s).text,
            "No answer from api.mailgun.net within 20 s."
        );
        assert!(failed(&events, &Failure::Offline, &s)
            .text
            .contains("offline"));
        assert_eq!(
            unavailable(&events, Unavailable::NoKey, &s).state,
            State::Off
        );
    }

    #[test]
    fn admin_line_counts_accounts_and_show_pages() {
        use crate::core::account::{AccountSearch, Flavour};
        let search = |rows: usize| {
            PageReading::CustomerSearch(AccountSearch {
                url: "https://customers.gitlab.com/admin/customer?query=a%40b.co".into(),
                flavour: Flavour::RailsAdmin3,
                query: Some("a@b.co".into()),
                rows: vec![
                    crate::core::account::AccountRow {
                        id: None,
                        show_url: None,
                        fields: Vec::new()
                    };
                    rows
                ],
                total: Some(rows as u64),
                no_records: rows == 0,
                sort: None,
                page: None,
                columns: Vec::new(),
                columns_hidden: false,
            })
        };
        assert_eq!(
            admin_done(&search(0), 0, 0).text,
            "No account found for the address."
        );
        assert_eq!(
            admin_done(&search(2), 2, 1).text,
            "2 accounts with the address (2 rows found); 1 Show page read, 1 could not be read."
        );
        let other = PageReading::OtherAdminPage {
            url: "https://customers.gitlab.com/admin".into(),
            what: "Dashboard".into(),
        };
        assert_eq!(admin_done(&other, 0, 0).state, State::Failed);
    }

    #[test]
    fn suppression_line_names_the_list_and_links_to_mailgun() {
        let s = Settings::default();
        let check = |list, entry| SuppressionCheck {
            domain: MailDomain::CustomersPortal,
            list,
            entry,
        };
        let clear = suppressions_done(
            "customers.gitlab.com",
            &[
                check(SuppressionList::Bounce, None),
                check(SuppressionList::Unsubscribe, None),
                check(SuppressionList::Complaint, None),
            ],
            &s,
        );
        assert_eq!(
            clear.text,
            "Not on the bounce, unsubscribe or complaint list."
        );
        assert!(clear.link.is_none());
        let listed = suppressions_done(
            "customers.gitlab.com",
            &[check(
                SuppressionList::Bounce,
                Some(SuppressionEntry {
                    code: Some("550".into()),
                    error: Some("No such mailbox".into()),
                    created_at: Some(UtcTime::from_civil(2026, 11, 20, 11, 2, 0)),
                    created_shown: None,
                }),
            )],
            &s,
        );
        assert_eq!(
            listed.text,
            "On the bounce list since 2026-11-20 11:02 UTC (Mailgun: 550 No such mailbox). \
             Remove it in Mailgun (read-only here)."
        );
        assert_eq!(
            listed.link.unwrap().url,
            "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/suppressions"
        );
    }
}
