//! Today's ways back in to the Customers Portal, as the current revision of the support
//! handbook gives them (docs/contract.md, "Which handbook revision each rule follows"):
//! email-and-password sign-in is deprecated, so no step or reply sends a password reset.
//!
//! - sign in with GitLab.com ("Continue with your GitLab.com account"), for a linked account;
//! - a one-time sign-in link ("Sign in with your email" on the sign-in page: works once,
//!   expires after 24 hours), for any account;
//! - link the GitLab.com account, or change the linked one (Profile settings);
//! - re-send the confirmation (`super::resend_confirmation_step`).

use super::{Ctx, Step};
use crate::core::account::{AccountSnapshot, Presence};
use crate::core::settings::Settings;

/// GitLab's docs: signing in to the Customers Portal (the one-time sign-in link).
pub const SIGN_IN_DOCS: &str =
    "https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal";
/// GitLab's docs: linking a GitLab.com account to a Customers Portal account.
pub const LINK_DOCS: &str =
    "https://docs.gitlab.com/subscriptions/customers_portal/#link-a-gitlabcom-account";
/// GitLab's docs: changing the linked GitLab.com account.
pub const CHANGE_LINK_DOCS: &str =
    "https://docs.gitlab.com/subscriptions/customers_portal/#change-the-linked-account";

/// The one-time sign-in link, named in the handbook's own words, with the docs.
pub fn one_time_link_step() -> Step {
    Step {
        id: "one-time-sign-in-link".into(),
        label: "One-time sign-in link: on the Customers Portal sign-in page, “Sign in with your \
                email” (the link works once and expires after 24 hours)"
            .into(),
        url: SIGN_IN_DOCS.into(),
    }
}

/// Sign in with GitLab.com, for an account linked to one.
pub fn gitlab_sign_in_step(settings: &Settings) -> Step {
    Step {
        id: "sign-in-with-gitlab-com".into(),
        label: "Sign in with GitLab.com (“Continue with your GitLab.com account” on the \
                Customers Portal sign-in page)"
            .into(),
        url: settings.sign_in_url(),
    }
}

/// Link the GitLab.com account (after signing in with a one-time sign-in link).
pub fn link_account_step() -> Step {
    Step {
        id: "link-gitlab-com-account".into(),
        label: "Link the GitLab.com account (My profile → Profile settings → Your GitLab.com \
                account → Link account)"
            .into(),
        url: LINK_DOCS.into(),
    }
}

/// Change the linked GitLab.com account to another one.
pub fn change_linked_account_step() -> Step {
    Step {
        id: "change-linked-account".into(),
        label: "Change the linked GitLab.com account (My profile → Profile settings → Your \
                GitLab.com account → Change linked account)"
            .into(),
        url: CHANGE_LINK_DOCS.into(),
    }
}

/// Whether the account is linked to a GitLab.com account, as its page shows: `Some(true)` with a
/// `Uid`, `Some(false)` when the page settles that there is none (blank, or absent where absent
/// means blank), `None` when the page cannot say (an Edit form, a search row).
pub fn linked(account: &AccountSnapshot) -> Option<bool> {
    match account.presence("uid") {
        Presence::Present => Some(true),
        Presence::Blank => Some(false),
        Presence::Absent if account.absent_means_blank() => Some(false),
        Presence::Absent => None,
    }
}

/// The steps back in after a reset that cannot help: the one-time sign-in link first (it
/// works for every account), then GitLab.com unless the account is known to be unlinked or its
/// GitLab.com account is known not to sign in.
pub(crate) fn back_in_steps(ctx: &Ctx) -> Vec<Step> {
    let mut steps = vec![one_time_link_step()];
    if ctx.linked() != Some(false) && !ctx.gitlab_sign_in_blocked() {
        steps.push(gitlab_sign_in_step(ctx.settings));
    }
    steps
}

/// The reply's sentence on how to sign in today, for `shown`.
pub fn sign_in_sentence(settings: &Settings, shown: &str) -> String {
    format!(
        "The Customers Portal no longer signs in with a password. If your Customers Portal account \
         is linked to your GitLab.com account, choose “Continue with your GitLab.com account” at \
         {sign_in} . Otherwise, use a one-time sign-in link: at {sign_in} choose “Sign in with \
         your email”, enter {shown}, and open the link we email you (it works once and expires \
         after 24 hours; see {SIGN_IN_DOCS} ).",
        sign_in = settings.sign_in_url()
    )
}
