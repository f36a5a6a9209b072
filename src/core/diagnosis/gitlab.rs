//! The GitLab.com side of the case (the current handbook's causes 1, 3 and 6): the address's
//! GitLab.com account and its state, the account the Customers Portal account is linked to
//! (its `Uid` is the GitLab.com user id) and that account's address, and a search of GitLab.com
//! for the address that found no account.
//!
//! GitLab.com's reset-password and verification mails bypass Mailgun's suppression lists
//! (`X-Mailgun-Suppressions-Bypass`): no rule here or in `mail` blames a suppression for them.

use super::{field_evidence, ways, Ctx, Evidence, Finding, FindingId, Step};
use crate::core::account::Value;
use crate::core::email;
use crate::core::gitlab_com::{GitLabUser, Surface};
use crate::core::observation::{Fact, Observation};

/// A user seen, and where.
type Seen<'a> = (&'a Observation, &'a GitLabUser);

/// How much a surface shows: the admin page most, then the API, then a search row.
fn richness(u: &GitLabUser) -> u8 {
    match u.surface {
        Surface::AdminPage => 3,
        Surface::Api => 2,
        Surface::AdminSearch => 1,
    }
}

/// The best of several sightings: the richest surface, then the latest.
fn best<'a>(seen: impl Iterator<Item = Seen<'a>>) -> Option<Seen<'a>> {
    seen.max_by_key(|(o, u)| (richness(u), o.seen_at))
}

/// The GitLab.com user with the address (primary, or a secondary not known unconfirmed).
pub(super) fn by_address<'a>(ctx: &Ctx<'a>) -> Option<Seen<'a>> {
    best(
        ctx.gitlab_users
            .iter()
            .copied()
            .filter(|(_, u)| u.has_email(ctx.key)),
    )
}

/// The account's `Uid` as a GitLab.com user id, with the field's observation.
fn uid<'a>(ctx: &Ctx<'a>) -> Option<(u64, &'a Observation, &'a crate::core::account::Field)> {
    let (obs, account) = ctx.account?;
    let field = account.field("uid")?;
    match &field.value {
        Value::Text(t) => t.trim().parse().ok().map(|id| (id, obs, field)),
        Value::Number(n) => u64::try_from(*n).ok().map(|id| (id, obs, field)),
        _ => None,
    }
}

/// The GitLab.com user the account is linked to (by its `Uid`), when seen.
pub(super) fn linked_user<'a>(ctx: &Ctx<'a>) -> Option<Seen<'a>> {
    let (id, ..) = uid(ctx)?;
    best(
        ctx.gitlab_users
            .iter()
            .copied()
            .filter(|(_, u)| u.id == Some(id)),
    )
}

/// The user the GitLab.com findings are about: the address's, else the linked one.
fn subject_user<'a>(ctx: &Ctx<'a>) -> Option<(Seen<'a>, bool)> {
    match (by_address(ctx), linked_user(ctx)) {
        (Some(u), linked) => {
            let is_linked = linked.is_some_and(|(_, l)| l.id.is_some() && l.id == u.1.id);
            Some((u, is_linked))
        }
        (None, Some(l)) => Some((l, true)),
        (None, None) => None,
    }
}

impl Ctx<'_> {
    /// The address's (or the linked) GitLab.com account is seen, and cannot sign in.
    pub(super) fn gitlab_sign_in_blocked(&self) -> bool {
        subject_user(self).is_some_and(|((_, u), _)| !u.blocking().is_empty())
    }
}

/// The step that opens the user's page in GitLab.com's admin area.
fn admin_step(u: &GitLabUser) -> Option<Step> {
    Some(Step {
        id: "gitlab-com-admin-user".into(),
        label: format!("GitLab.com admin area: {}", u.label()),
        url: u.admin_url()?,
    })
}

/// What a sighting of a user shows, as evidence lines: the user, its state, its addresses, its
/// sign-ins, its identities (the GitLab.com facts of the internal note).
fn user_evidence(obs: &Observation, u: &GitLabUser) -> Vec<Evidence> {
    let where_ = match u.surface {
        Surface::AdminPage => "GitLab.com admin user page",
        Surface::AdminSearch => "GitLab.com admin user search row",
        Surface::Api => "GitLab.com users API",
    };
    u.facts()
        .into_iter()
        .map(|(_, label, value)| Evidence {
            what: format!("{label} ({where_})"),
            value,
            source: obs.url.clone(),
            seen_at: obs.seen_at,
            count: 1,
            event: None,
        })
        .collect()
}

/// `linked-account-email-differs` (current cause 6): the account's `Uid` names a GitLab.com user
/// whose primary email is not the account's address.
pub(super) fn linked_account_email_differs(ctx: &Ctx) -> Option<Finding> {
    let (id, obs, field) = uid(ctx)?;
    let (user_obs, user) = linked_user(ctx)?;
    let primary = user.primary_email()?;
    if email::normalise(primary).as_deref() == Some(ctx.key) {
        return None;
    }
    let shown = &ctx.shown;
    let secondary = user.has_email(ctx.key);
    let mut evidence = vec![field_evidence(field, obs)];
    evidence.push(Evidence {
        what: format!(
            "Primary email of the linked GitLab.com user {} (#{id})",
            user.label()
        ),
        value: primary.to_string(),
        source: user_obs.url.clone(),
        seen_at: user_obs.seen_at,
        count: 1,
        event: None,
    });
    let record = ctx.account.and_then(|(_, a)| a.record_id.clone());
    let mut steps = vec![ways::change_linked_account_step()];
    if let Some(edit) = record
        .as_deref()
        .map(|id| ctx.settings.admin_customer_edit_url(id))
    {
        steps.push(Step {
            id: "edit-account-email".into(),
            label: format!(
                "Or change the Customers Portal email to {primary} (the account's Edit tab)"
            ),
            url: edit,
        });
    }
    steps.extend(admin_step(user));
    Some(Finding {
        explanation: format!(
            "The Customers Portal account {shown} is linked (“Uid” {id}) to the GitLab.com user \
             {}, whose primary email is {primary}{}: the customer signs in with GitLab.com as \
             someone with another address, maybe someone else's account or another of theirs \
             (handbook cause 6; the account's GitLab Groups tab shows which namespaces that \
             user has). Fix: change the linked GitLab.com account to the one with {shown}, or \
             change the Customers Portal email to {primary}. Support aims for one Customers \
             Portal account per GitLab.com email.",
            user.label(),
            if secondary {
                format!(" ({shown} is one of its secondary addresses)")
            } else {
                String::new()
            }
        ),
        evidence,
        steps,
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Your Customers Portal account ({shown}) is linked \
             to a GitLab.com account that uses a different email address, so signing in with \
             GitLab.com takes you to that account's profile. If you would like to use the \
             GitLab.com account with {shown} instead, please sign in to the Customers Portal, make \
             sure you are signed out of GitLab.com in another tab, and under My profile > Profile \
             settings > Your GitLab.com account select “Change linked account”, then sign in to \
             the right GitLab.com account (steps: {} ). If you would rather keep the linked \
             account, let us know and we can change the Customers Portal email to match it.\n",
            ways::CHANGE_LINK_DOCS
        )),
        ..Finding::new(FindingId::LinkedAccountEmailDiffers, true)
    })
}

/// `gitlab-com-account-locked`: the address's GitLab.com account (or the linked one) is
/// blocked, banned, deactivated, pending approval or locked: "Continue with your GitLab.com
/// account" cannot work. Says which state.
pub(super) fn gitlab_com_account_locked(ctx: &Ctx) -> Option<Finding> {
    let ((obs, user), linked) = subject_user(ctx)?;
    let blocking = user.blocking();
    if blocking.is_empty() {
        return None;
    }
    let state = blocking.join(" and ");
    let shown = &ctx.shown;
    let whose = if user.has_email(ctx.key) {
        format!("The GitLab.com account of {shown}")
    } else {
        format!("The GitLab.com account {shown} is linked to")
    };
    let mut evidence: Vec<Evidence> = user_evidence(obs, user)
        .into_iter()
        .filter(|e| e.what.starts_with("State") || e.what.starts_with("Email"))
        .collect();
    if let Some(badges) = (!user.badges.is_empty()).then(|| user.badges.join(", ")) {
        evidence.push(Evidence {
            what: "Badges beside the name".into(),
            value: badges,
            source: obs.url.clone(),
            seen_at: obs.seen_at,
            count: 1,
            event: None,
        });
    }
    let mut steps: Vec<Step> = admin_step(user).into_iter().collect();
    steps.push(ways::one_time_link_step());
    let only_locked = user
        .state
        .is_none_or(|s| s == crate::core::gitlab_com::UserState::Active);
    let sign_in = ctx.settings.sign_in_url();
    Some(Finding {
        title: format!("GitLab.com account is {state}"),
        explanation: format!(
            "{whose} ({}{}) is {state}: it cannot sign in to GitLab.com, so “Continue with your \
             GitLab.com account” on the Customers Portal cannot work either. {} Meanwhile the \
             customer can sign in to the Customers Portal with a one-time sign-in link.",
            user.label(),
            if linked { ", the linked account" } else { "" },
            if only_locked {
                "A lock after too many failed sign-ins ends by itself after a while, or with the \
                 unlock email; an administrator can unlock it in the admin area."
            } else {
                "Why, and whether it can be lifted, is for GitLab.com's admin area and the \
                 account's notes, not for this reply."
            }
        ),
        evidence,
        steps,
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. The GitLab.com account you use to sign in \
             ({shown}) cannot sign in at the moment, so “Continue with your GitLab.com account” on \
             the Customers Portal does not work for it. We are looking into the GitLab.com \
             account and will get back to you. Meanwhile you can sign in to the Customers Portal \
             with a one-time sign-in link: at {sign_in} choose “Sign in with your email”, enter \
             {shown}, and open the link we email you (it works once and expires after 24 hours; \
             see {} ).\n",
            ways::SIGN_IN_DOCS
        )),
        ..Finding::new(FindingId::GitLabComAccountLocked, true)
    })
}

/// `no-gitlab-com-account` (cause 3): the latest GitLab.com search for exactly the address, and
/// no user seen with it. Certain when it showed no user; with rows (matched by name, or holding
/// the address as a confirmed secondary email the list does not show), likely: each row's page
/// settles it. Lists the similar users the search showed.
pub(super) fn no_gitlab_com_account(ctx: &Ctx) -> Option<Finding> {
    if by_address(ctx).is_some() {
        return None;
    }
    let (obs, query, users) = ctx
        .facts
        .iter()
        .filter_map(|o| match &o.fact {
            Fact::GitLabComSearched { query, users } => Some((*o, query, *users)),
            _ => None,
        })
        .max_by_key(|(o, ..)| o.seen_at)?;
    // The search's rows, by username: the same order whatever order the store returns them in.
    let mut rows: Vec<Seen> = ctx
        .gitlab_users
        .iter()
        .copied()
        .filter(|(o, _)| o.url == obs.url && o.seen_at == obs.seen_at)
        .collect();
    crate::core::sort::sort_by(&mut rows, |(_, a), (_, b)| {
        (&a.username, a.id).cmp(&(&b.username, b.id))
    });
    let certain = users == 0;
    let shown = &ctx.shown;
    let mut evidence = vec![Evidence {
        what: format!("GitLab.com user search for “{query}”"),
        value: match users {
            0 => "no user found".to_string(),
            n => format!(
                "{n} user{} by name or username, none with this address as its primary email",
                if n == 1 { "" } else { "s" }
            ),
        },
        source: obs.url.clone(),
        seen_at: obs.seen_at,
        count: 1,
        event: None,
    }];
    let mut steps = Vec::new();
    for (o, u) in &rows {
        let mut value = u.primary_email().unwrap_or("no email shown").to_string();
        let blocking = u.blocking();
        if !blocking.is_empty() {
            value.push_str(&format!(" ({})", blocking.join(", ")));
        }
        evidence.push(Evidence {
            what: format!(
                "Similar GitLab.com user {}{}",
                u.label(),
                u.name
                    .as_deref()
                    .map(|n| format!(" “{n}”"))
                    .unwrap_or_default()
            ),
            value,
            source: o.url.clone(),
            seen_at: o.seen_at,
            count: 1,
            event: None,
        });
        if let (Some(url), Some(id)) = (u.admin_url(), u.id) {
            steps.push(Step {
                id: format!("gitlab-com-user-{id}"),
                label: format!(
                    "GitLab.com admin area: {} ({})",
                    u.label(),
                    u.primary_email().unwrap_or("no email shown")
                ),
                url,
            });
        }
    }
    Some(Finding {
        explanation: format!(
            "GitLab.com's user search for {shown} found {}: no GitLab.com account uses {shown}{}, \
             so a GitLab.com password reset or “Continue with your GitLab.com account” is about \
             another address. The customer may use another address on GitLab.com than for the \
             Customers Portal (handbook cause 3): ask which.{}",
            match users {
                0 => "no user".to_string(),
                1 => "1 user, not with this address".to_string(),
                n => format!("{n} users, none with this address"),
            },
            if certain { "" } else { " as its primary email" },
            if certain {
                String::new()
            } else {
                " A user the search showed may have it as a confirmed secondary address (the \
                 list shows primary emails only): their pages settle it."
                    .to_string()
            }
        ),
        evidence,
        steps,
        ..Finding::new(FindingId::NoGitLabComAccount, certain)
    })
}

/// `gitlab-com-account` (information): the address's GitLab.com account (else the linked one),
/// its state and last sign-in, linked to its admin page. For cause 1 it settles that the reset
/// on GitLab.com went to a real account. GitLab.com's reset and verification mails bypass
/// Mailgun's suppression lists: a suppression never explains them.
pub(super) fn gitlab_com_account(ctx: &Ctx) -> Option<Finding> {
    let ((obs, user), linked) = subject_user(ctx)?;
    let shown = &ctx.shown;
    let by_address = user.has_email(ctx.key);
    let state = match user.blocking().as_slice() {
        [] if user.state.is_some() => "active".to_string(),
        [] => "state not shown".to_string(),
        blocking => blocking.join(", "),
    };
    let last = user
        .current_sign_in_at
        .as_ref()
        .or(user.last_sign_in_at.as_ref())
        .map(|s| format!(", last signed in {}", s.display()))
        .unwrap_or_default();
    let mut parts = vec![format!(
        "{} {}: {state}{last}.",
        if by_address {
            format!("{shown} has the GitLab.com account")
        } else {
            format!("{shown} is linked to the GitLab.com account")
        },
        user.label()
    )];
    if linked && by_address {
        parts.push("It is the account the Customers Portal account is linked to.".into());
    }
    let glc_resets = !ctx.events().glc.resets.is_empty();
    if by_address && glc_resets {
        parts.push(
            "The password reset on GitLab.com's mail domain went to this real GitLab.com account \
             (handbook cause 1): it changed the GitLab.com password, not a Customers Portal one."
                .into(),
        );
    }
    parts.push(
        "GitLab.com's reset-password and verification mails bypass Mailgun's suppression \
         lists, so a suppression never explains a missing GitLab.com reset."
            .into(),
    );
    Some(Finding {
        title: format!("GitLab.com account {}: {state}", user.label()),
        explanation: parts.join(" "),
        evidence: user_evidence(obs, user),
        steps: admin_step(user).into_iter().collect(),
        ..Finding::new(FindingId::GitLabComAccount, true)
    })
}
