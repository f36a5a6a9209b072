//! What GitLab.com says about a user, independent of where it was read: the admin area's user
//! page (`/admin/users/<username>`), its user search (`/admin/users?search_query=…`, rows from
//! the page's `data-users` JSON) or the users API (`/api/v4/users`). The readers fill these
//! types; the rules here (which states block sign-in, which addresses a user has) are pure.
//!
//! Facts from GitLab's public source (gitlabhq/gitlabhq; see `www/gitlab.com/` for the views
//! and commits each fixture follows):
//! - a user's `state` is one of `active`, `blocked`, `ldap_blocked`,
//!   `blocked_pending_approval`, `banned`, `deactivated` (app/models/user.rb); `locked`
//!   (`access_locked?`) comes from too many failed sign-ins and is separate;
//! - the admin search matches the primary email (confirmed or not) and **confirmed** secondary
//!   emails, exactly on GitLab.com, or a name or username loosely;
//! - GitLab.com's reset-password and verification mails carry `X-Mailgun-Suppressions-Bypass`:
//!   a Mailgun suppression list never stops them (app/mailers/devise_mailer.rb).

use crate::core::email;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// GitLab.com's host: its admin area and its API.
pub const HOST: &str = "gitlab.com";

/// GitLab.com's admin user search for an address (exact on GitLab.com).
pub fn admin_search_url(address: &str) -> String {
    crate::core::url::https(HOST, &["admin", "users"], &[("search_query", address)])
        .unwrap_or_default()
}

/// A user's account state (the model's state machine; the admin area shows it as badges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserState {
    Active,
    Blocked,
    /// Blocked by LDAP, SAML or SCIM (a system block).
    LdapBlocked,
    /// Signed up, waiting for an administrator's approval.
    PendingApproval,
    Banned,
    Deactivated,
}

impl UserState {
    /// The API's `state` value.
    pub fn from_api(state: &str) -> Option<UserState> {
        Some(match state.trim() {
            "active" => UserState::Active,
            "blocked" => UserState::Blocked,
            "ldap_blocked" => UserState::LdapBlocked,
            "blocked_pending_approval" => UserState::PendingApproval,
            "banned" => UserState::Banned,
            "deactivated" => UserState::Deactivated,
            _ => return None,
        })
    }

    /// A badge's text in the admin area ("Blocked", "LDAP Blocked", "Pending approval", ...;
    /// the older pages wrap it in parentheses).
    pub fn from_badge(text: &str) -> Option<UserState> {
        let text = text
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        Some(match text.to_ascii_lowercase().as_str() {
            "blocked" => UserState::Blocked,
            "ldap blocked" => UserState::LdapBlocked,
            "pending approval" => UserState::PendingApproval,
            "banned" => UserState::Banned,
            "deactivated" => UserState::Deactivated,
            _ => return None,
        })
    }

    /// The state in words ("blocked", "banned", ...).
    pub fn words(self) -> &'static str {
        match self {
            UserState::Active => "active",
            UserState::Blocked => "blocked",
            UserState::LdapBlocked => "blocked by LDAP, SAML or SCIM",
            UserState::PendingApproval => "pending an administrator's approval",
            UserState::Banned => "banned",
            UserState::Deactivated => "deactivated",
        }
    }
}

/// One email address of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserEmail {
    pub address: String,
    pub primary: bool,
    /// Verified (confirmed) or not; `None` where the page does not say.
    pub confirmed: Option<bool>,
}

/// A time as the page showed it ("never" is `time: None`), with the text kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    pub raw: String,
    pub time: Option<UtcTime>,
}

impl Shown {
    /// "2026-11-20 10:03 UTC", "never", or the text with "(format not recognised)".
    pub fn display(&self) -> String {
        match self.time {
            Some(t) => t.to_string(),
            None if self.raw.eq_ignore_ascii_case("never") => "never".into(),
            None => format!("{} (format not recognised)", self.raw),
        }
    }
}

/// An external identity (`provider`, `extern_uid`): SAML, LDAP, OAuth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub provider: String,
    pub extern_uid: String,
}

/// Where a user was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// The admin area's user page: emails with their confirmation, sign-ins, state badges.
    AdminPage,
    /// A row of the admin area's user search: id, username, name, primary email, badges.
    AdminSearch,
    /// The users API (with an administrator's token: emails; without: none).
    Api,
}

/// A GitLab.com user as one page or answer showed it. `None` and empty lists: not shown there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitLabUser {
    pub surface: Surface,
    pub id: Option<u64>,
    pub username: Option<String>,
    pub name: Option<String>,
    /// The primary email first (when known), then the secondary ones.
    pub emails: Vec<UserEmail>,
    /// A pending change of the primary email (the older user page and the confirm dialog
    /// show it; the API never does).
    pub unconfirmed_email: Option<String>,
    /// Whether the primary email is confirmed ("Confirmed at:" / "Confirmed: No", the API's
    /// `confirmed_at`).
    pub confirmed: Option<bool>,
    pub confirmed_at: Option<UtcTime>,
    pub current_sign_in_at: Option<Shown>,
    pub last_sign_in_at: Option<Shown>,
    pub sign_in_count: Option<u64>,
    /// `None`: the page does not show the state.
    pub state: Option<UserState>,
    /// Locked after too many failed sign-ins (`None`: not shown).
    pub locked: Option<bool>,
    pub identities: Vec<Identity>,
    /// The badges or state words as shown, for the evidence ("Blocked", "Locked").
    pub badges: Vec<String>,
}

impl GitLabUser {
    /// A user read from `surface` with nothing known yet.
    pub fn new(surface: Surface) -> GitLabUser {
        GitLabUser {
            surface,
            id: None,
            username: None,
            name: None,
            emails: Vec::new(),
            unconfirmed_email: None,
            confirmed: None,
            confirmed_at: None,
            current_sign_in_at: None,
            last_sign_in_at: None,
            sign_in_count: None,
            state: None,
            locked: None,
            identities: Vec::new(),
            badges: Vec::new(),
        }
    }

    /// The primary email as shown.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.primary)
            .map(|e| e.address.as_str())
    }

    /// Whether `key` (a normalised address) is the primary email, or a secondary one that is
    /// not known to be unconfirmed (an unconfirmed secondary address cannot sign in or reset).
    pub fn has_email(&self, key: &str) -> bool {
        self.emails.iter().any(|e| {
            (e.primary || e.confirmed != Some(false))
                && email::normalise(&e.address).as_deref() == Some(key)
        })
    }

    /// The user's page in the admin area.
    pub fn admin_url(&self) -> Option<String> {
        let username = self.username.as_deref()?;
        crate::core::url::https(HOST, &["admin", "users", username], &[])
    }

    /// What stops the user signing in to GitLab.com: the state when it is not active, and the
    /// lock. Empty: nothing seen does.
    pub fn blocking(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if let Some(state) = self.state.filter(|s| *s != UserState::Active) {
            out.push(state.words());
        }
        if self.locked == Some(true) {
            out.push("locked (too many failed sign-ins)");
        }
        out
    }

    /// The label for the user in evidence: "@username (#id)".
    pub fn label(&self) -> String {
        let mut out = String::new();
        if let Some(u) = &self.username {
            out.push('@');
            out.push_str(u);
        }
        if let Some(id) = self.id {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("(#{id})"));
        }
        if out.is_empty() {
            out = self
                .name
                .clone()
                .unwrap_or_else(|| "a GitLab.com user".into());
        }
        out
    }
}

impl GitLabUser {
    /// What the banner and the popup list of the user, in this order: (name, label, value).
    /// Only what the page or answer showed.
    pub fn facts(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        if let Some(id) = self.id {
            out.push(("gitlab-id", "GitLab.com user id", id.to_string()));
        }
        if let Some(u) = &self.username {
            out.push(("gitlab-username", "Username", u.clone()));
        }
        if let Some(n) = &self.name {
            out.push(("gitlab-name", "Name", n.clone()));
        }
        if self.state.is_some() || self.locked.is_some() {
            let blocking = self.blocking();
            let value = if blocking.is_empty() {
                match self.locked {
                    Some(false) => "active, not locked".to_string(),
                    _ => "active".to_string(),
                }
            } else {
                blocking.join(", ")
            };
            out.push(("gitlab-state", "State", value));
        }
        for e in &self.emails {
            let confirmed = match e.confirmed {
                Some(true) => ", verified",
                Some(false) => ", unverified",
                None => "",
            };
            let (name, kind) = if e.primary {
                ("gitlab-email", "primary")
            } else {
                ("gitlab-secondary-email", "secondary")
            };
            out.push((name, "Email", format!("{} ({kind}{confirmed})", e.address)));
        }
        if let Some(u) = &self.unconfirmed_email {
            out.push((
                "gitlab-unconfirmed-email",
                "Unconfirmed email",
                format!("{u} (a change waiting for confirmation)"),
            ));
        }
        match (self.confirmed, self.confirmed_at) {
            (_, Some(t)) => out.push(("gitlab-confirmed-at", "Confirmed at", t.to_string())),
            (Some(false), None) => out.push(("gitlab-confirmed-at", "Confirmed", "no".into())),
            _ => {}
        }
        if let Some(s) = &self.current_sign_in_at {
            out.push((
                "gitlab-current-sign-in-at",
                "Current sign-in at",
                s.display(),
            ));
        }
        if let Some(s) = &self.last_sign_in_at {
            out.push(("gitlab-last-sign-in-at", "Last sign-in at", s.display()));
        }
        if let Some(n) = self.sign_in_count {
            out.push(("gitlab-sign-in-count", "Sign-in count", n.to_string()));
        }
        for i in &self.identities {
            out.push((
                "gitlab-identity",
                "Identity",
                format!("{}: {}", i.provider, i.extern_uid),
            ));
        }
        out
    }
}

/// The admin area's user search, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSearch {
    pub url: String,
    /// `search_query` from the URL (`None`: the unfiltered list).
    pub query: Option<String>,
    /// The rows, in the page's order.
    pub users: Vec<GitLabUser>,
}

/// A user's page in the admin area, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub url: String,
    pub user: GitLabUser,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_from_the_api_and_the_badges() {
        assert_eq!(UserState::from_api("banned"), Some(UserState::Banned));
        assert_eq!(
            UserState::from_api("blocked_pending_approval"),
            Some(UserState::PendingApproval)
        );
        assert_eq!(UserState::from_api("locked"), None);
        assert_eq!(UserState::from_badge("(Blocked)"), Some(UserState::Blocked));
        assert_eq!(
            UserState::from_badge("LDAP Blocked"),
            Some(UserState::LdapBlocked)
        );
        assert_eq!(UserState::from_badge("Admin"), None);
    }

    #[test]
    fn addresses_and_what_blocks() {
        let mut u = GitLabUser::new(Surface::AdminPage);
        u.emails = vec![
            UserEmail {
                address: "Jane.Doe@Example.com".into(),
                primary: true,
                confirmed: Some(false),
            },
            UserEmail {
                address: "jd@example.org".into(),
                primary: false,
                confirmed: Some(true),
            },
            UserEmail {
                address: "old@example.net".into(),
                primary: false,
                confirmed: Some(false),
            },
        ];
        assert!(u.has_email("jane.doe@example.com"));
        assert!(u.has_email("jd@example.org"));
        assert!(!u.has_email("old@example.net"));
        assert_eq!(u.primary_email(), Some("Jane.Doe@Example.com"));
        assert!(u.blocking().is_empty());
        u.state = Some(UserState::Banned);
        u.locked = Some(true);
        assert_eq!(
            u.blocking(),
            ["banned", "locked (too many failed sign-ins)"]
        );
        u.username = Some("jdoe".into());
        u.id = Some(42);
        assert_eq!(u.label(), "@jdoe (#42)");
        assert_eq!(
            u.admin_url().as_deref(),
            Some("https://gitlab.com/admin/users/jdoe")
        );
    }
}
