//! What the account page settles: confirmation, the lock, sign-ins. Reads the page only (no
//! mail rule: `mail` and `confirmation` import from here, never the other way).

use super::{
    field_evidence, resend_confirmation_step, ways, Ctx, Evidence, Finding, FindingId, Missing,
    Step,
};
use crate::core::account::{humanize, AccountSnapshot, Presence, Value, View};
use crate::core::observation::Observation;
use crate::core::time::UtcTime;

/// The findings of the latest account page: `account-confirmed` or `account-unconfirmed`,
/// and `account-locked`.
pub(super) fn account_findings(
    ctx: &Ctx,
    obs: &Observation,
    account: &AccountSnapshot,
    missing: &mut Missing,
) -> Vec<Finding> {
    let confirmation =
        account_confirmed(obs, account).or_else(|| account_unconfirmed(ctx, obs, account));
    if confirmation.is_none() {
        // Seen, but not conclusively (e.g. the Edit form): the Show tab settles it.
        missing.need(open_show_step(ctx, account, "“Confirmed at”"));
    }
    // A search row shows a few columns: the Show tab has the rest (lock, pending email,
    // sign-ins).
    if account.view == View::SearchRow {
        missing.need(open_show_step(
            ctx,
            account,
            "the fields the search does not show",
        ));
    }
    let locked = account_locked(ctx, obs, account, missing);
    let unlinked = account_unlinked(ctx, obs, account, missing);
    confirmation
        .into_iter()
        .chain(locked)
        .chain(unlinked)
        .collect()
}

/// `account-unlinked`: a confirmed account that is not linked to a GitLab.com account (the
/// current handbook's causes 4 and 5: a legacy account, or one a purchase through Sales
/// created). Certain from a Show page (`Uid` blank, or absent where absent means blank); from
/// an empty GitLab Groups tab alone, likely (its template is not public): the Show tab settles
/// it. A `Uid` or a namespace on the tab means linked.
fn account_unlinked(
    ctx: &Ctx,
    obs: &Observation,
    account: &AccountSnapshot,
    missing: &mut Missing,
) -> Option<Finding> {
    if account.presence("confirmed_at") != Presence::Present || ctx.linked() != Some(false) {
        return None;
    }
    let by_page = ways::linked(account) == Some(false);
    let mut evidence = Vec::new();
    if by_page {
        evidence.push(match account.field("uid") {
            Some(f) => field_evidence(f, obs),
            None => Evidence {
                what: super::field_where("Uid", obs),
                value: "absent (blank)".into(),
                source: obs.url.clone(),
                seen_at: obs.seen_at,
                count: 1,
                event: None,
            },
        });
        if let Some(provider) = account.field("provider") {
            evidence.push(field_evidence(provider, obs));
        }
    } else {
        missing.need(open_show_step(ctx, account, "“Uid”"));
    }
    if let Some((tab, groups)) = ctx.groups {
        evidence.push(Evidence {
            what: "The account's GitLab Groups tab".into(),
            value: match &groups.empty_text {
                Some(text) => format!("no namespace listed (“{text}”)"),
                None => "no namespace listed".into(),
            },
            source: tab.url.clone(),
            seen_at: tab.seen_at,
            count: 1,
            event: None,
        });
    }
    let shown = &ctx.shown;
    let sign_in = ctx.settings.sign_in_url();
    let why = if by_page {
        "“Uid” (the id of the linked GitLab.com user) is blank"
    } else {
        "the account's GitLab Groups tab lists no namespace (a linked GitLab.com user has at least \
         a personal one)"
    };
    Some(Finding {
        explanation: format!(
            "{why}: the account is confirmed but not linked to a GitLab.com account, so \
             “Continue with your GitLab.com account” does not reach it. It is a legacy account \
             (created before GitLab.com sign-in was enforced) or one a purchase through Sales \
             created (handbook causes 4 and 5). The way back in: a one-time sign-in link, then \
             link the GitLab.com account in the profile settings."
        ),
        evidence,
        steps: vec![ways::one_time_link_step(), ways::link_account_step()],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Your Customers Portal account ({shown}) is not \
             linked to a GitLab.com account, so signing in with GitLab.com does not reach it. \
             Please sign in with a one-time sign-in link: at {sign_in} choose “Sign in with your \
             email”, enter {shown}, and open the link we email you (it works once and expires \
             after 24 hours). Then go to My profile > Profile settings and, under “Your \
             GitLab.com account”, select “Link account” and sign in to your GitLab.com account; \
             from then on you can sign in with GitLab.com. The steps: {} \n",
            ways::LINK_DOCS
        )),
        ..Finding::new(FindingId::AccountUnlinked, by_page)
    })
}

/// The account's Show tab (or, without a record id, the admin search for the address).
pub(super) fn open_show_step(ctx: &Ctx, account: &AccountSnapshot, what: &str) -> Step {
    Step {
        id: "open-account-show".into(),
        label: format!("Open the account's Show tab ({what})"),
        url: account.record_id.as_deref().map_or_else(
            || ctx.settings.admin_search_url(&ctx.shown),
            |id| ctx.settings.admin_customer_url(id),
        ),
    }
}

/// `account-confirmed`: "Confirmed at" has a value.
fn account_confirmed(obs: &Observation, account: &AccountSnapshot) -> Option<Finding> {
    if account.presence("confirmed_at") != Presence::Present {
        return None;
    }
    let field = account.field("confirmed_at");
    Some(Finding {
        explanation: "“Confirmed at” is set, so an unconfirmed account is not why sign-in fails."
            .into(),
        evidence: field.map(|f| field_evidence(f, obs)).into_iter().collect(),
        ..Finding::new(FindingId::AccountConfirmed, true)
    })
}

/// `account-unconfirmed`: "Confirmed at" blank, or absent where absent means blank. `None`
/// also when the page cannot settle it (the field absent where absent does not mean blank).
fn account_unconfirmed(ctx: &Ctx, obs: &Observation, account: &AccountSnapshot) -> Option<Finding> {
    let presence = account.presence("confirmed_at");
    if presence == Presence::Present
        || (presence == Presence::Absent && !account.absent_means_blank())
    {
        return None;
    }
    let shown = &ctx.shown;
    let how = match presence {
        Presence::Blank => "is blank",
        _ => "is not on the page (RailsAdmin hides blank fields on show pages)",
    };
    let mut evidence = vec![Evidence {
        what: super::field_where("Confirmed at", obs),
        value: match presence {
            Presence::Blank => "blank".into(),
            _ => "absent (blank)".into(),
        },
        source: obs.url.clone(),
        seen_at: obs.seen_at,
        count: 1,
        event: None,
    }];
    if let Some(sent) = account.field("confirmation_sent_at") {
        if sent.value != Value::Blank {
            evidence.push(field_evidence(sent, obs));
        }
    }
    let resend = ctx.settings.resend_confirmation_url();
    Some(Finding {
        explanation: format!(
            "“Confirmed at” {how}. An unconfirmed Customers Portal account cannot sign in, even \
             after a password reset."
        ),
        evidence,
        steps: vec![resend_confirmation_step(ctx.settings)],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Your Customers Portal account ({shown}) has not been \
             confirmed yet, and an unconfirmed account cannot sign in, even after a password \
             reset. Please request a new confirmation email at {resend} , open the link in it, and \
             then sign in again. If the email does not arrive within a few minutes, please check \
             your spam folder and let us know.\n"
        )),
        ..Finding::new(FindingId::AccountUnconfirmed, true)
    })
}

/// `account-locked`: "Locked at" set (certain), or failed attempts at the lock threshold
/// without a lock shown (likely: the page does not say which lock strategy applies).
fn account_locked(
    ctx: &Ctx,
    obs: &Observation,
    account: &AccountSnapshot,
    missing: &mut Missing,
) -> Option<Finding> {
    let threshold = i64::from(ctx.settings.lock_after_failed_attempts);
    let locked_at = account
        .field("locked_at")
        .filter(|f| f.value != Value::Blank);
    let attempts = account
        .field("failed_attempts")
        .filter(|f| matches!(f.value, Value::Number(n) if threshold > 0 && n >= threshold));
    if locked_at.is_none() && attempts.is_none() {
        return None;
    }
    let certain = locked_at.is_some();
    let mut evidence: Vec<Evidence> = [locked_at, attempts]
        .into_iter()
        .flatten()
        .map(|f| field_evidence(f, obs))
        .collect();
    let explanation = if certain {
        "“Locked at” is set: Devise refuses every sign-in, even with the right password, until \
         the account is unlocked (by the unlock link, by an admin, or after the unlock period if \
         CustomersDot uses one)."
            .to_string()
    } else {
        let lock_known_blank = account.presence("locked_at") == Presence::Blank
            || (account.presence("locked_at") == Presence::Absent && account.absent_means_blank());
        if lock_known_blank {
            evidence.push(Evidence {
                what: super::field_where("Locked at", obs),
                value: "blank".into(),
                source: obs.url.clone(),
                seen_at: obs.seen_at,
                count: 1,
                event: None,
            });
        } else {
            missing.need(open_show_step(ctx, account, "“Locked at”"));
        }
        format!(
            "“Failed attempts” has reached {threshold}, the lock threshold (setting \
             `lock_after_failed_attempts`, Devise's default 10), but “Locked at” {}: the account \
             is likely locked or about to be.",
            if lock_known_blank {
                "is blank (the lock may have expired, or CustomersDot may lock differently)"
            } else {
                "was not seen"
            }
        )
    };
    let shown = &ctx.shown;
    let back_in = ways::sign_in_sentence(ctx.settings, shown);
    Some(Finding {
        explanation,
        evidence,
        steps: vec![open_show_step(ctx, account, "unlock it there")],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Your Customers Portal account ({shown}) has been \
             locked after too many unsuccessful sign-in attempts, so it refuses every sign-in until \
             it is unlocked. We are unlocking it for you and will let you know as soon as that is \
             done. {back_in}\n"
        )),
        ..Finding::new(FindingId::AccountLocked, certain)
    })
}

/// Whether the account signed in after an instant, from the latest account page.
pub(super) enum SignIn {
    /// Signed in after it: the evidence and the time.
    After(Evidence, UtcTime),
    /// The page (seen after the instant) shows no later sign-in.
    NotSince(Vec<Evidence>),
    /// Not known: why, and the step that would tell.
    Unknown(String, Option<Step>),
}

pub(super) fn signed_in_after(ctx: &Ctx, t: UtcTime) -> SignIn {
    let Some((obs, account)) = ctx.account else {
        return SignIn::Unknown("the account page was not seen".into(), None);
    };
    if obs.seen_at < t {
        return SignIn::Unknown(
            format!(
                "the account page was seen at {}, before that: open it again",
                obs.seen_at
            ),
            Some(open_show_step(ctx, account, "“Current sign in at”")),
        );
    }
    let mut evidence = Vec::new();
    let mut latest: Option<(UtcTime, Evidence)> = None;
    for name in ["current_sign_in_at", "last_sign_in_at"] {
        match (account.field(name), account.presence(name)) {
            (Some(f), _) => match f.value {
                Value::Time(at) => {
                    let ev = field_evidence(f, obs);
                    if latest.as_ref().is_none_or(|(l, _)| at > *l) {
                        latest = Some((at, ev.clone()));
                    }
                    evidence.push(ev);
                }
                Value::Blank => evidence.push(field_evidence(f, obs)),
                _ => {
                    return SignIn::Unknown(
                        format!("“{}” shows “{}”, not a time read", f.label, f.raw),
                        None,
                    )
                }
            },
            (None, Presence::Absent) if account.absent_means_blank() => evidence.push(Evidence {
                what: super::field_where(&humanize(name), obs),
                value: "absent (blank)".into(),
                source: obs.url.clone(),
                seen_at: obs.seen_at,
                count: 1,
                event: None,
            }),
            _ => {
                return SignIn::Unknown(
                    "the sign-in times are not on the page seen".into(),
                    Some(open_show_step(ctx, account, "“Current sign in at”")),
                )
            }
        }
    }
    match latest {
        Some((at, ev)) if at > t => SignIn::After(ev, at),
        _ => SignIn::NotSince(evidence),
    }
}
