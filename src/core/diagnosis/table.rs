//! The findings' table: one row per finding, giving its id (the `data-finding` contract), its
//! severity, its title and the verdict's words for it. The rows are in the contract's order
//! (docs/contract.md): problems, warnings, information, and within each the order findings
//! are shown in. [`FindingId`]'s order is the rows' order, so sorting needs nothing else and
//! no id can be missing from it.
//!
//! Adding a finding: one row here, one rule function (in `account.rs`, `mail.rs` or
//! `others.rs`, called from [`super::diagnose`]) and its tests.

use super::Severity;
use serde::{Deserialize, Serialize};

/// How a finding is titled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Title {
    /// The same words whatever was found (the rule is always certain).
    Fixed(&'static str),
    /// The words when the evidence settles it, and when it does not ("likely").
    Settled {
        sure: &'static str,
        likely: &'static str,
    },
    /// Worded by the rule from what it found (a count, how a mail failed): how, here.
    Worded(&'static str),
}

/// What the verdict says of a problem or warning: the cause in a few words (settled and
/// "likely"), and the thing to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub sure: &'static str,
    pub likely: &'static str,
    pub todo: &'static str,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The id as the banner, the store and the tests spell it.
    pub slug: &'static str,
    pub severity: Severity,
    pub title: Title,
    /// `None` for information, which the verdict never names.
    pub cause: Option<Cause>,
}

/// The table: the enum (in the rows' order, serialised as the slugs), [`FindingId::ALL`] and
/// [`FindingId::row`], from one list of rows.
macro_rules! finding_table {
    ($(
        $(#[$doc:meta])*
        $id:ident = $slug:literal, $severity:ident, $title:expr, $cause:expr;
    )*) => {
        /// A finding's stable id (the `data-finding` contract). Serialised as its slug
        /// (`"reset-requested-on-gitlab-com"`); ordered as the table's rows.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        pub enum FindingId {
            $(
                $(#[$doc])*
                #[serde(rename = $slug)]
                $id,
            )*
        }

        impl FindingId {
            /// Every finding, in the table's order.
            pub const ALL: &'static [FindingId] = &[$(FindingId::$id),*];

            /// The finding's row of the table.
            pub const fn row(self) -> Row {
                match self {
                    $(FindingId::$id => Row {
                        slug: $slug,
                        severity: Severity::$severity,
                        title: $title,
                        cause: $cause,
                    },)*
                }
            }
        }
    };
}

use Title::{Fixed, Settled, Worded};

const fn cause(sure: &'static str, likely: &'static str, todo: &'static str) -> Option<Cause> {
    Some(Cause { sure, likely, todo })
}

finding_table! {
    /// The latest reset mail in the window went out on GitLab.com's domain (handbook cause 1).
    ResetRequestedOnGitlabCom = "reset-requested-on-gitlab-com", Problem,
        Settled {
            sure: "Password reset was requested on GitLab.com, not the Customers Portal",
            likely: "Password reset was likely requested on GitLab.com, not the Customers Portal",
        },
        cause(
            "Reset was done on GitLab.com",
            "Reset was likely done on GitLab.com",
            "ask the customer to sign in with a one-time sign-in link",
        );
    /// Both domains' logs searched, no reset mail on either.
    NoResetEmail = "no-reset-email", Problem,
        Settled {
            sure: "No password reset email was sent",
            likely: "Likely no password reset email was sent",
        },
        cause(
            "No reset email was sent",
            "No reset email was likely sent",
            "ask the customer to sign in with a one-time sign-in link",
        );
    /// The latest Customers Portal reset mail failed, was rejected or suppressed.
    ResetEmailUndelivered = "reset-email-undelivered", Problem,
        Worded("Customers Portal reset email <how it failed> (“likely” when not settled)"),
        cause(
            "The reset email was not delivered",
            "The reset email was likely not delivered",
            "check why in the Mailgun logs, then ask for a one-time sign-in link",
        );
    /// The address is on a Mailgun suppression list of a domain.
    AddressSuppressed = "address-suppressed", Problem,
        Settled {
            sure: "Address is on a Mailgun suppression list",
            likely: "Address is likely on a Mailgun suppression list",
        },
        cause(
            "The address is on a Mailgun suppression list",
            "The address is likely on a Mailgun suppression list",
            "remove it in Mailgun",
        );
    /// "Confirmed at" blank, or absent where absent means blank (handbook cause 2).
    AccountUnconfirmed = "account-unconfirmed", Problem,
        Fixed("Account is not confirmed"),
        cause(
            "The account is not confirmed",
            "The account is likely not confirmed",
            "resend the confirmation email",
        );
    /// A pending email change, or confirmation mails not delivered (handbook cause 4).
    EmailUnconfirmed = "email-unconfirmed", Problem,
        Fixed("Email address not confirmed"),
        cause(
            "The email address is not confirmed",
            "The email address is likely not confirmed",
            "resend the confirmation email",
        );
    /// An admin search for exactly this address found no account.
    NoAccount = "no-account", Problem,
        Settled {
            sure: "No Customers Portal account for this address",
            likely: "Likely no Customers Portal account for this address",
        },
        cause(
            "There is no Customers Portal account for this address",
            "There is likely no Customers Portal account for this address",
            "ask the customer which address they used",
        );
    /// "Locked at" set, or "Failed attempts" at the lock threshold.
    AccountLocked = "account-locked", Problem,
        Settled { sure: "Account is locked", likely: "Account is likely locked" },
        cause(
            "The account is locked",
            "The account is likely locked",
            "unlock it in the admin",
        );
    /// A confirmed account not linked to a GitLab.com account (current handbook, causes 4, 5).
    AccountUnlinked = "account-unlinked", Problem,
        Settled {
            sure: "Account is not linked to a GitLab.com account",
            likely: "Account is likely not linked to a GitLab.com account",
        },
        cause(
            "The account is not linked to GitLab.com",
            "The account is likely not linked to GitLab.com",
            "ask the customer to sign in with a one-time sign-in link, then link their GitLab.com \
             account",
        );
    /// The linked GitLab.com user's primary email is not the account's (current cause 6).
    LinkedAccountEmailDiffers = "linked-account-email-differs", Problem,
        Fixed("Linked GitLab.com account has another email address"),
        cause(
            "The account is linked to a GitLab.com account with another email address",
            "The account is likely linked to a GitLab.com account with another email address",
            "change the linked GitLab.com account, or the Customers Portal email",
        );
    /// The address's (or the linked) GitLab.com account is blocked, banned, deactivated,
    /// pending approval or locked.
    GitLabComAccountLocked = "gitlab-com-account-locked", Problem,
        Worded("“GitLab.com account is <state>” (blocked, banned, locked, ...)"),
        cause(
            "The GitLab.com account cannot sign in",
            "The GitLab.com account likely cannot sign in",
            "check it in GitLab.com's admin area; meanwhile a one-time sign-in link gets the \
             customer into the Customers Portal",
        );
    /// Other accounts with similar addresses (handbook cause 3), or a name search's groups.
    SimilarAccounts = "similar-accounts", Warning,
        Worded(
            "“N other account(s) with a similar address”; for a name search, “N accounts that \
             look like one person”"
        ),
        cause(
            "Other accounts look like the same person",
            "Other accounts look like the same person",
            "ask the customer which address holds the subscription",
        );
    /// GitLab.com's user search for exactly the address found no user with it (cause 3).
    NoGitLabComAccount = "no-gitlab-com-account", Warning,
        Settled {
            sure: "No GitLab.com account with this address",
            likely: "Likely no GitLab.com account with this address",
        },
        cause(
            "No GitLab.com account uses this address",
            "No GitLab.com account likely uses this address",
            "ask the customer which address their GitLab.com account uses",
        );
    /// Mail events whose domain or time could not be read.
    UnplacedMailEvents = "unplaced-mail-events", Warning,
        Fixed("Mail events not used for the diagnosis"),
        cause(
            "Some mail events could not be placed",
            "Some mail events could not be placed",
            "read them in the Mailgun logs",
        );
    /// The latest Customers Portal reset mail was delivered.
    ResetEmailDelivered = "reset-email-delivered", Info,
        Settled {
            sure: "Customers Portal reset email was delivered",
            likely: "Customers Portal reset email was likely delivered",
        },
        None;
    /// The address's GitLab.com account (or the linked one): its state and last sign-in.
    GitLabComAccount = "gitlab-com-account", Info,
        Worded("“GitLab.com account @username: <state>”"),
        None;
    /// "Confirmed at" has a value.
    AccountConfirmed = "account-confirmed", Info,
        Fixed("Account is confirmed"),
        None;
    /// What is still unchecked, each with its link.
    MissingEvidence = "missing-evidence", Info,
        Fixed("Not checked yet"),
        None;
}

impl FindingId {
    /// The id as the banner, the store and the tests spell it.
    pub const fn as_str(self) -> &'static str {
        self.row().slug
    }

    /// The id of a slug (`None`: no such finding).
    pub fn from_slug(slug: &str) -> Option<FindingId> {
        FindingId::ALL
            .iter()
            .copied()
            .find(|id| id.as_str() == slug)
    }

    pub const fn severity(self) -> Severity {
        self.row().severity
    }

    /// The title from the table (`None`: the rule words it).
    pub const fn title(self, certain: bool) -> Option<&'static str> {
        match self.row().title {
            Fixed(title) => Some(title),
            Settled { sure, .. } if certain => Some(sure),
            Settled { likely, .. } => Some(likely),
            Worded(_) => None,
        }
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The slug, where a `&str` is wanted (an attribute's value).
impl std::ops::Deref for FindingId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for FindingId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for FindingId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_grouped_by_severity_in_order() {
        let severities: Vec<Severity> = FindingId::ALL.iter().map(|id| id.severity()).collect();
        let mut sorted = severities.clone();
        sorted.sort();
        assert_eq!(severities, sorted);
        let mut ids = FindingId::ALL.to_vec();
        ids.sort();
        assert_eq!(ids, FindingId::ALL);
    }

    #[test]
    fn slugs_are_unique_kebab_and_serialised_as_such() {
        for (i, id) in FindingId::ALL.iter().enumerate() {
            let slug = id.as_str();
            assert!(
                slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{slug}"
            );
            assert_eq!(FindingId::from_slug(slug), Some(*id));
            assert_eq!(
                FindingId::ALL
                    .iter()
                    .position(|other| other.as_str() == slug),
                Some(i)
            );
            let json = serde_json::to_string(id).unwrap_or_default();
            assert_eq!(json, format!("\"{slug}\""));
            assert_eq!(serde_json::from_str::<FindingId>(&json).ok(), Some(*id));
        }
        assert!(serde_json::from_str::<FindingId>("\"no-such-finding\"").is_err());
    }

    #[test]
    fn problems_and_warnings_have_a_cause_information_has_none() {
        for id in FindingId::ALL {
            let row = id.row();
            assert_eq!(row.cause.is_some(), row.severity != Severity::Info, "{id}");
        }
    }

    /// The contract's table (docs/contract.md) lists every finding, in this order, with this
    /// severity.
    #[test]
    fn the_contract_lists_the_table() {
        let contract = include_str!("../../../docs/contract.md");
        let rows: Vec<(String, String)> = contract
            .lines()
            .skip_while(|l| !l.starts_with("| finding id |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| {
                let mut cells = l.split('|').map(str::trim).skip(1);
                let id = cells.next()?.trim_matches('`').to_string();
                let severity = cells.next()?.to_string();
                Some((id, severity))
            })
            .collect();
        let table: Vec<(String, String)> = FindingId::ALL
            .iter()
            .map(|id| {
                let severity = match id.severity() {
                    Severity::Problem => "problem",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                (id.as_str().to_string(), severity.to_string())
            })
            .collect();
        assert_eq!(rows, table);
    }
}
