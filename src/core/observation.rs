//! Observations: what was seen about one email address, where and when.
//!
//! Every reader result becomes observations keyed by the normalised address, so facts from
//! different pages (and, later, tabs and look-ups) meet in one place for `diagnose`.

use crate::core::account::{AccountRow, AccountSnapshot, GitLabGroups};
use crate::core::email;
use crate::core::gitlab_com::GitLabUser;
use crate::core::mail::SuppressionCheck;
use crate::core::mail::{MailEvent, MailSearch};
use crate::core::page::PageReading;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The normalised address (see [`email::normalise`]); for a page about a Customer record
    /// that shows no address (its GitLab Groups tab), the record's key
    /// ([`crate::core::account::record_key`], never an address). Not in the stored JSON: the
    /// store's record carries it (see `core::store`).
    #[serde(skip)]
    pub key: String,
    /// The address as the page showed it.
    #[serde(rename = "a", default, skip_serializing_if = "String::is_empty")]
    pub shown: String,
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "t")]
    pub seen_at: UtcTime,
    /// Last in the stored JSON (`core::store` hashes the fact's JSON text for the record id).
    #[serde(rename = "f")]
    pub fact: Fact,
}

impl Observation {
    /// The account page this observation saw, if it is one.
    pub fn account(&self) -> Option<&AccountSnapshot> {
        match &self.fact {
            Fact::AccountShown(a) => Some(a),
            _ => None,
        }
    }
}

/// Externally tagged (`{"e": {...}}`, a mail event), as are the enums inside: the store keeps
/// these as JSON, and an internal or adjacent tag makes serde buffer every payload before
/// decoding it (about 100 KB of `.wasm`). Short names: the store's quota is 10 MB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// The account's Show (or Edit) page in the CustomersDot admin.
    #[serde(rename = "as")]
    AccountShown(AccountSnapshot),
    /// A row for the address in the admin's Customer list or search results.
    #[serde(rename = "al")]
    AccountListed {
        row: AccountRow,
        query: Option<String>,
    },
    /// The admin was searched for exactly this address: what it found. A search that found
    /// nothing is evidence too ("searched, no account"), unlike a search never made.
    #[serde(rename = "ad")]
    AdminSearched {
        query: String,
        rows: usize,
        total: Option<u64>,
    },
    /// A mail event to the address in Mailgun (a logs row, an event's JSON, the Events API).
    #[serde(rename = "e")]
    MailEvent(MailEvent),
    /// A Customer's GitLab Groups tab: the namespaces of the GitLab.com user the account is
    /// linked to (none: not linked). Keyed by the record (the tab shows no address); the
    /// diagnosis finds it by the account page's record id.
    #[serde(rename = "gg")]
    GitLabGroupsListed(GitLabGroups),
    /// A GitLab.com user (the admin area's user page, a row of its user search, or the users
    /// API), keyed by the user's primary email; found by any of its addresses and by its id
    /// (a CustomersDot `Uid`).
    #[serde(rename = "gu")]
    GitLabComUser(GitLabUser),
    /// GitLab.com's user search for exactly this address (the admin area's or the API's):
    /// how many users it showed (their rows are `GitLabComUser` observations of the same page
    /// and time). Zero is evidence too: "searched, no user".
    #[serde(rename = "gs")]
    GitLabComSearched { query: String, users: usize },
    /// A Mailgun logs page searched for the address: what domain, range and how many rows.
    /// Zero rows is evidence too.
    #[serde(rename = "ms")]
    MailSearched(MailSearch),
    /// A Mailgun suppression list checked for the address through the Suppressions API (a
    /// popup look-up): on it with Mailgun's entry, or not on it. The list's state now, unlike
    /// an event, which says what happened to one mail.
    #[serde(rename = "sc")]
    SuppressionChecked(SuppressionCheck),
}

/// The observations a page reading yields. Pages without an address yield none.
pub fn from_reading(reading: &PageReading, seen_at: UtcTime) -> Vec<Observation> {
    let observe = |shown: &str, url: &str, fact: Fact| {
        email::normalise(shown).map(|key| Observation {
            key,
            shown: shown.trim().to_string(),
            url: url.to_string(),
            seen_at,
            fact,
        })
    };
    match reading {
        PageReading::CustomerShow(account) => account
            .email()
            .and_then(|shown| observe(shown, &account.url, Fact::AccountShown(account.clone())))
            .into_iter()
            .collect(),
        PageReading::CustomerSearch(search) => {
            let listed = search.rows.iter().filter_map(|row| {
                let fact = Fact::AccountListed {
                    row: row.clone(),
                    query: search.query.clone(),
                };
                observe(row.email()?, &search.url, fact)
            });
            // A search for an address, read as the popup's box reads one (`mailto:`,
            // `Name <…>`, case, spaces): about that address, also when it found nothing.
            let searched = search.query.as_deref().and_then(|query| {
                let address = crate::core::lookup::query::parse_query(query).ok()?;
                let fact = Fact::AdminSearched {
                    query: query.to_string(),
                    rows: search.rows.len(),
                    total: search.total,
                };
                observe(&address.shown, &search.url, fact)
            });
            listed.chain(searched).collect()
        }
        PageReading::CustomerGitLabGroups(groups) => vec![Observation {
            key: groups.record_key(),
            shown: groups.record_key(),
            url: groups.url.clone(),
            seen_at,
            fact: Fact::GitLabGroupsListed(groups.clone()),
        }],
        PageReading::GitLabComUser(page) => page
            .user
            .primary_email()
            .and_then(|shown| observe(shown, &page.url, Fact::GitLabComUser(page.user.clone())))
            .into_iter()
            .collect(),
        PageReading::GitLabComSearch(search) => gitlab_com_search(search, seen_at),
        PageReading::Mailgun(page) => {
            let events = page.events.iter().filter_map(|event| {
                observe(&event.recipient, &page.url, Fact::MailEvent(event.clone()))
            });
            let searched = page.search.as_ref().and_then(|search| {
                let key = search.address_key()?;
                observe(&key, &page.url, Fact::MailSearched(search.clone()))
            });
            events.chain(searched).collect()
        }
        PageReading::OtherAdminPage { .. } | PageReading::Unreadable { .. } => Vec::new(),
    }
}

/// A GitLab.com user search: each row (by its primary email), and the search itself when it
/// was for an address.
pub fn gitlab_com_search(
    search: &crate::core::gitlab_com::UserSearch,
    seen_at: UtcTime,
) -> Vec<Observation> {
    let observe = |shown: &str, fact: Fact| {
        email::normalise(shown).map(|key| Observation {
            key,
            shown: shown.trim().to_string(),
            url: search.url.clone(),
            seen_at,
            fact,
        })
    };
    let rows = search
        .users
        .iter()
        .filter_map(|user| observe(user.primary_email()?, Fact::GitLabComUser(user.clone())));
    let searched = search.query.as_deref().and_then(|query| {
        let address = crate::core::lookup::query::parse_query(query).ok()?;
        observe(
            &address.shown,
            Fact::GitLabComSearched {
                query: query.to_string(),
                users: search.users.len(),
            },
        )
    });
    rows.chain(searched).collect()
}
