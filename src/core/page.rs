//! What a page the extension runs on was read as: one type for every site, so the frame, the
//! observations and the banner view handle every page the same way.

use crate::core::account::{AccountSearch, AccountSnapshot, GitLabGroups};
use crate::core::gitlab_com::{UserPage, UserSearch};
use crate::core::mail::MailgunPage;
use serde::{Deserialize, Serialize};

/// How the page was classified. Every page gets one; none is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
pub enum PageReading {
    CustomerShow(AccountSnapshot),
    CustomerSearch(AccountSearch),
    /// A Customer's "GitLab Groups" tab: the linked GitLab.com user's namespaces.
    CustomerGitLabGroups(GitLabGroups),
    /// A Mailgun logs page, event detail or Events API response.
    Mailgun(MailgunPage),
    /// A user's page in GitLab.com's admin area (`/admin/users/<username>`).
    GitLabComUser(UserPage),
    /// GitLab.com's admin user search (`/admin/users?search_query=…`).
    GitLabComSearch(UserSearch),
    /// A RailsAdmin page we recognise but that carries no account facts (another model, the
    /// dashboard): no findings, and no wrong banner.
    OtherAdminPage {
        url: String,
        what: String,
    },
    /// Not a page this version can read; the banner says so discreetly.
    Unreadable {
        url: String,
        reason: String,
    },
}

impl PageReading {
    pub fn url(&self) -> &str {
        match self {
            PageReading::CustomerShow(a) => &a.url,
            PageReading::CustomerSearch(s) => &s.url,
            PageReading::CustomerGitLabGroups(g) => &g.url,
            PageReading::Mailgun(m) => &m.url,
            PageReading::GitLabComUser(p) => &p.url,
            PageReading::GitLabComSearch(s) => &s.url,
            PageReading::OtherAdminPage { url, .. } | PageReading::Unreadable { url, .. } => url,
        }
    }
}
