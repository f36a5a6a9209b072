//! What the popup shows for an address: everything observed about it and when, its diagnosis
//! (the banner's findings, same ids), and the links that open each site filtered to it.

use super::query::Query;
use crate::core::diagnosis::plan::{PlanStep, Verdict};
use crate::core::diagnosis::{diagnose, Finding, Step, Subject};
use crate::core::mail::MailDomain;
use crate::core::observation::{Fact, Observation};
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// Observations listed at most (newest first); the diagnosis reads all of them.
pub const OBSERVED_SHOWN: usize = 100;

/// Recent searches kept (session storage, like every other customer address).
pub const RECENT_KEPT: usize = 8;

/// One thing observed about the address (`data-observed="<kind>"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedLine {
    pub kind: String,
    pub text: String,
    pub seen_at: UtcTime,
    /// The page or API URL it was read from.
    pub url: String,
}

/// What the store did not keep for an address, by why (the background's count, kept in
/// `storage.session` with the observations and forgotten with them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotKeptCount {
    /// Not kept: the store was full (`quota`).
    pub quota: usize,
    /// Dropped later, to make room for another page's (`dropped`).
    pub dropped: usize,
    /// Refused: the browser did not confirm the tab was on the page (`not-vouched`).
    pub not_vouched: usize,
    /// The browser's storage failed (`storage-error`).
    pub storage_error: usize,
}

impl NotKeptCount {
    /// From the background's count for one address (`{ [reason]: n }`; `count(reason)`).
    pub fn from_counts(count: impl Fn(&str) -> usize) -> NotKeptCount {
        NotKeptCount {
            quota: count("quota"),
            dropped: count("dropped"),
            not_vouched: count("not-vouched"),
            storage_error: count("storage-error"),
        }
    }

    pub fn total(&self) -> usize {
        self.quota + self.dropped + self.not_vouched + self.storage_error
    }

    /// The popup's line under "Observed"; `None` when everything seen was kept.
    pub fn line(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.quota, "not kept when session storage was full"),
            (
                self.dropped,
                "dropped later to make room for another page's",
            ),
            (
                self.not_vouched,
                "refused: the browser did not confirm the tab was on that page",
            ),
            (self.storage_error, "lost to a storage error"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "{} more {} observed in a tab but not in the store ({}): the diagnosis \
                 here does not know {}; open the page again to read {} anew.",
                self.total(),
                if self.total() == 1 { "was" } else { "were" },
                parts.join("; "),
                if self.total() == 1 { "it" } else { "them" },
                if self.total() == 1 { "it" } else { "them" },
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopupView {
    pub subject: Subject,
    pub observed: Vec<ObservedLine>,
    /// Observations not listed (beyond [`OBSERVED_SHOWN`]).
    pub more: usize,
    /// Observations of the address the store did not keep (set by the popup from the
    /// background's count).
    #[serde(default)]
    pub not_kept: NotKeptCount,
    pub findings: Vec<Finding>,
    /// As in the banner: the verdict first, then the plan (the same for the same evidence).
    pub verdict: Verdict,
    pub plan: Vec<PlanStep>,
    pub links: Vec<Step>,
}

pub fn popup_view(
    query: &Query,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> PopupView {
    let diagnosis = diagnose(&query.key, observations, now, settings);
    let mut mine: Vec<&Observation> = observations.iter().filter(|o| o.key == query.key).collect();
    crate::core::sort::sort_by(&mut mine, |a, b| {
        b.seen_at.cmp(&a.seen_at).then_with(|| a.url.cmp(&b.url))
    });
    let more = mine.len().saturating_sub(OBSERVED_SHOWN);
    let observed = mine
        .into_iter()
        .take(OBSERVED_SHOWN)
        .map(|o| observed_line(o, settings))
        .collect();
    PopupView {
        // What the engineer typed, not the case some page showed.
        subject: Subject {
            key: diagnosis.subject.key,
            shown: query.shown.clone(),
        },
        observed,
        more,
        not_kept: NotKeptCount::default(),
        findings: diagnosis.findings,
        verdict: diagnosis.verdict,
        plan: diagnosis.plan,
        links: links(query, settings),
    }
}

fn observed_line(o: &Observation, settings: &Settings) -> ObservedLine {
    let (kind, text) = match &o.fact {
        Fact::AccountShown(a) => {
            let id = a
                .record_id
                .as_deref()
                .map(|id| format!(" #{id}"))
                .unwrap_or_default();
            let facts: Vec<String> = [
                "confirmed_at",
                "unconfirmed_email",
                "locked_at",
                "sign_in_count",
            ]
            .iter()
            .filter_map(|name| a.field(name))
            .map(|f| format!("{}: {}", f.label, f.display()))
            .collect();
            let facts = if facts.is_empty() {
                String::new()
            } else {
                format!(" · {}", facts.join(" · "))
            };
            ("account", format!("Admin account page{id}{facts}"))
        }
        Fact::AccountListed { row, query } => (
            "listed",
            format!(
                "Listed in the admin{}{}",
                query
                    .as_deref()
                    .map(|q| format!(" search “{q}”"))
                    .unwrap_or_default(),
                row.id
                    .as_deref()
                    .map(|id| format!(" as #{id}"))
                    .unwrap_or_default()
            ),
        ),
        Fact::AdminSearched { query, rows, .. } => (
            "admin-search",
            format!(
                "Admin search “{query}”: {rows} row{}",
                if *rows == 1 { "" } else { "s" }
            ),
        ),
        Fact::GitLabGroupsListed(g) => (
            "gitlab-groups",
            format!(
                "Admin GitLab Groups tab #{}: {}",
                g.record_id,
                match g.namespaces.len() {
                    0 => "no namespace (not linked to GitLab.com)".to_string(),
                    n => format!(
                        "{n} namespace{} (linked to GitLab.com)",
                        if n == 1 { "" } else { "s" }
                    ),
                }
            ),
        ),
        Fact::GitLabComUser(u) => {
            let facts: Vec<String> = u
                .facts()
                .into_iter()
                .filter(|(name, ..)| *name != "gitlab-username" && *name != "gitlab-id")
                .map(|(_, label, value)| format!("{label}: {value}"))
                .collect();
            (
                "gitlab-com-user",
                format!("GitLab.com user {} · {}", u.label(), facts.join(" · ")),
            )
        }
        Fact::GitLabComSearched { query, users } => (
            "gitlab-com-search",
            format!(
                "GitLab.com user search “{query}”: {users} user{}",
                if *users == 1 { "" } else { "s" }
            ),
        ),
        Fact::MailEvent(e) => ("mail-event", e.describe(settings)),
        Fact::MailSearched(s) => {
            let mut parts = vec![format!("Mailgun search on {}", s.domain.label(settings))];
            if let Some(r) = &s.range {
                parts.push(r.text.clone());
            }
            parts.push(format!(
                "{} event{}",
                s.rows_seen,
                if s.rows_seen == 1 { "" } else { "s" }
            ));
            ("mail-search", parts.join(" · "))
        }
        Fact::SuppressionChecked(c) => {
            let list = super::source::list_word(c.list);
            let state = match &c.entry {
                None => "not on it".to_string(),
                Some(e) => {
                    let mut s = "ON IT".to_string();
                    if let Some(t) = e.created_at {
                        s.push_str(&format!(" since {t}"));
                    }
                    if let Some(err) = &e.error {
                        s.push_str(&format!(" (“{err}”)"));
                    }
                    s
                }
            };
            (
                "suppression",
                format!(
                    "Mailgun {list} list of {}: {state}",
                    c.domain.label(settings)
                ),
            )
        }
    };
    ObservedLine {
        kind: kind.into(),
        text,
        seen_at: o.seen_at,
        url: o.url.clone(),
    }
}

/// Deep links: the admin search for the address, and each domain's Mailgun logs (whose
/// filter parameters are not documented: the label names the address to search for).
pub fn links(query: &Query, settings: &Settings) -> Vec<Step> {
    let mut links = vec![Step {
        id: "admin-search".into(),
        label: format!("Admin search for {}", query.shown),
        url: settings.admin_search_url(&query.shown),
    }];
    for domain in [MailDomain::CustomersPortal, MailDomain::GitLabCom] {
        let Some(name) = domain.name(settings) else {
            continue;
        };
        links.push(Step {
            id: format!("mailgun-logs-{name}"),
            label: format!(
                "Mailgun logs: {} (search {})",
                domain.label(settings),
                query.shown
            ),
            url: settings.mailgun_logs_url(name),
        });
    }
    // The third source: GitLab.com's admin area.
    links.push(Step {
        id: "gitlab-com-search".into(),
        label: format!("GitLab.com admin: user search for {}", query.shown),
        url: crate::core::gitlab_com::admin_search_url(&query.shown),
    });
    links
}

/// The recent searches after searching `shown`: newest first, each address once (by key),
/// at most [`RECENT_KEPT`].
pub fn remember(recent: &[String], query: &Query) -> Vec<String> {
    let mut out = vec![query.shown.clone()];
    out.extend(
        recent
            .iter()
            .filter(|r| crate::core::email::normalise(r).as_deref() != Some(query.key.as_str()))
            .filter(|r| crate::core::email::normalise(r).is_some())
            .cloned(),
    );
    out.truncate(RECENT_KEPT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lookup::query::parse_query;

    #[test]
    fn recent_searches_are_newest_first_and_unique() {
        let q = parse_query("Jane@Example.com").unwrap();
        let recent: Vec<String> = ["bob@example.com", "jane@example.com", "not an address"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            remember(&recent, &q),
            ["Jane@Example.com", "bob@example.com"]
        );
        let many: Vec<String> = (0..20).map(|i| format!("u{i}@example.com")).collect();
        assert_eq!(remember(&many, &q).len(), RECENT_KEPT);
    }

    #[test]
    fn links_open_the_admin_search_and_each_domain() {
        let q = parse_query("first+tag@example.com").unwrap();
        let ids: Vec<String> = links(&q, &Settings::default())
            .into_iter()
            .map(|s| format!("{} {}", s.id, s.url))
            .collect();
        assert_eq!(
            ids,
            [
                "admin-search https://customers.gitlab.com/admin/customer?query=first%2Btag%40example.com",
                "mailgun-logs-customers.gitlab.com https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
                "mailgun-logs-mg.gitlab.com https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
                "gitlab-com-search https://gitlab.com/admin/users?search_query=first%2Btag%40example.com",
            ]
        );
    }

    #[test]
    fn an_address_never_seen_gets_the_missing_evidence_steps() {
        let q = parse_query("nobody@example.com").unwrap();
        let v = popup_view(
            &q,
            &[],
            UtcTime::from_civil(2026, 11, 23, 12, 0, 0),
            &Settings::default(),
        );
        assert!(v.observed.is_empty());
        assert_eq!(v.subject.key, "nobody@example.com");
        assert!(v.findings.iter().any(|f| f.id == "missing-evidence"));
    }
}

#[cfg(test)]
mod not_kept_tests {
    use super::NotKeptCount;

    #[test]
    fn what_the_store_did_not_keep_is_counted_and_said() {
        assert_eq!(NotKeptCount::default().line(), None);
        let count = NotKeptCount::from_counts(|reason| match reason {
            "dropped" => 3,
            "not-vouched" => 1,
            _ => 0,
        });
        assert_eq!(count.total(), 4);
        assert_eq!(
            count.line().as_deref(),
            Some("4 more were observed in a tab but not in the store (3 dropped later to make room for another page's; 1 refused: the browser did not confirm the tab was on that page): the diagnosis here does not know them; open the page again to read them anew.")
        );
    }
}
