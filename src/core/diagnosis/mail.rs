//! What Mailgun's logs settle: which site sent a password reset (within the reset window,
//! latest wins), what became of the Customers Portal's reset mail, suppression lists, and the
//! events that cannot be placed in time or on a domain.
//!
//! Only events on the two known sending domains are domain evidence; an event whose domain is
//! unknown (or another domain) never counts for either, and one without a readable time is
//! never ordered by guess: both are listed under `unplaced-mail-events`.

use super::account::{signed_in_after, SignIn};
use super::{
    field_evidence, logs_step, titled, ways, Ctx, DomainEvents, Ev, Evidence, Finding, FindingId,
    Missing, Step,
};
use crate::core::account::{Field, Value};
use crate::core::email;
use crate::core::mail::SuppressionCheck;
use crate::core::mail::{
    same_event, MailDomain, MailEvent, MailKind, MailSearch, Outcome, SuppressionList,
};
use crate::core::observation::{Fact, Observation};
use crate::core::time::UtcTime;
use std::borrow::Cow;

/// A search older than this (its end before `now` minus this) no longer covers the window's
/// end: a mail sent after it would not be in it.
const SEARCH_FRESH_SECS: i64 = 24 * 3600;

/// How far one domain's logs were checked for the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Coverage {
    /// Neither a search for the address nor any event to it on the domain.
    Unchecked,
    /// Events to the address seen, or a search that does not cover the whole window.
    Read,
    /// A search for the address over the whole window (no other filters).
    Covered,
}

pub(super) struct Check {
    pub coverage: Coverage,
    pub evidence: Vec<Evidence>,
    /// Why the domain is not covered, when it is read only.
    pub gap: Option<String>,
}

/// What the reset rules share, read once per diagnosis: how far each domain's logs were
/// checked, the reset mails in the window, the account's "Reset password sent at", and what
/// became of the latest Customers Portal reset mail.
pub(super) struct Resets<'a> {
    cdot_check: Check,
    glc_check: Check,
    /// The reset mails in the window on each domain.
    cdot_recent: Vec<Ev<'a>>,
    glc_recent: Vec<Ev<'a>>,
    /// The reset mails without a time read on each domain.
    cdot_undated: usize,
    glc_undated: usize,
    /// The reset mails before the window, on both domains.
    older: usize,
    /// The account page's "Reset password sent at" (not blank), and its time when in the
    /// window: the Customers Portal sent a reset then.
    sent_field: Option<(&'a Observation, &'a Field)>,
    sent_at: Option<UtcTime>,
    /// The latest Customers Portal reset in the window (a mail or the field).
    cdot_latest: Option<UtcTime>,
    /// What became of the latest Customers Portal reset mail in the window, unless a newer
    /// one is under way, and why it is not settled (`None`: settled).
    outcome: Option<(Latest<'a>, Option<String>)>,
}

impl<'a> Resets<'a> {
    pub(super) fn new(ctx: &Ctx<'a>) -> Resets<'a> {
        let events = ctx.events();
        let cdot_check = check(ctx, &events.cdot, &MailDomain::CustomersPortal);
        let glc_check = check(ctx, &events.glc, &MailDomain::GitLabCom);

        let undated = |evs: &[Ev<'_>]| evs.iter().filter(|(_, e)| e.timestamp.is_none()).count();
        let cdot_resets = &events.cdot.resets;
        let glc_resets = &events.glc.resets;
        let cdot_recent = in_window(ctx, cdot_resets);
        let glc_recent = in_window(ctx, glc_resets);
        let cdot_undated = undated(cdot_resets);
        let glc_undated = undated(glc_resets);
        let older = cdot_resets.len() + glc_resets.len()
            - cdot_recent.len()
            - glc_recent.len()
            - cdot_undated
            - glc_undated;

        let sent_field = ctx.account.and_then(|(obs, a)| {
            a.field("reset_password_sent_at")
                .filter(|f| f.value != Value::Blank)
                .map(|f| (obs, f))
        });
        let sent_at = sent_field.and_then(|(_, f)| match f.value {
            Value::Time(t) if ctx.in_window(t) => Some(t),
            _ => None,
        });
        let cdot_latest = cdot_recent
            .iter()
            .filter_map(|(_, e)| e.timestamp)
            .chain(sent_at)
            .max();
        let outcome = latest_outcome(&cdot_recent)
            .filter(|l| !l.superseded)
            .map(|latest| {
                let uncertain_why = match (latest.failed && latest.delivered, cdot_undated) {
                    (true, _) => {
                        Some("Mailgun shows a failure and a delivery at the same time".to_string())
                    }
                    (false, n) if n > 0 => Some(format!(
                        "{n} Customers Portal reset event(s) have no readable time and could be \
                         later"
                    )),
                    _ => None,
                };
                (latest, uncertain_why)
            });
        Resets {
            cdot_check,
            glc_check,
            cdot_recent,
            glc_recent,
            cdot_undated,
            glc_undated,
            older,
            sent_field,
            sent_at,
            cdot_latest,
            outcome,
        }
    }
}

/// The step that searches one domain's logs for the address over the window.
fn search_step(ctx: &Ctx, domain: &str, label: &str) -> Step {
    logs_step(
        ctx.settings,
        domain,
        format!(
            "Mailgun logs: {domain} ({label}): search for {} over the last {} days",
            ctx.shown, ctx.settings.reset_window_days
        ),
    )
}

fn cdot_step(ctx: &Ctx) -> Step {
    search_step(ctx, &ctx.settings.customers_domain, "Customers Portal mail")
}

fn glc_step(ctx: &Ctx) -> Step {
    search_step(ctx, &ctx.settings.gitlab_com_domain, "GitLab.com mail")
}

/// `reset-requested-on-gitlab-com`: the latest reset in the window went out on GitLab.com's
/// domain (none later from the Customers Portal, by its logs or the account's field).
pub(super) fn reset_requested_on_gitlab_com(
    ctx: &Ctx,
    r: &Resets,
    missing: &mut Missing,
) -> Option<Finding> {
    let settings = ctx.settings;
    let glc_latest = r.glc_recent.iter().filter_map(|(_, e)| e.timestamp).max();
    let tg = glc_latest.filter(|tg| r.cdot_latest.is_none_or(|tc| tc <= *tg))?;
    let cdot_check = &r.cdot_check;
    let cdot_undated = r.cdot_undated;
    let same_minute = r.cdot_latest == Some(tg);
    let certain = cdot_check.coverage == Coverage::Covered && !same_minute && cdot_undated == 0;
    // Every reset in the window on both domains, the field, the searches: sized once.
    let mut evidence: Vec<Evidence> = Vec::with_capacity(
        r.glc_recent.len() + r.cdot_recent.len() + 1 + cdot_check.evidence.len(),
    );
    evidence.extend(
        sorted(&r.glc_recent)
            .iter()
            .map(|(o, e)| event_evidence(ctx, o, e)),
    );
    let mut why = Vec::new();
    if r.cdot_recent.is_empty() && r.sent_at.is_none() {
        why.push(format!(
            "no Customers Portal reset mail to the address in the last {} days",
            settings.reset_window_days
        ));
    } else {
        why.push("no Customers Portal reset after it".to_string());
        evidence.extend(
            sorted(&r.cdot_recent)
                .iter()
                .map(|(o, e)| event_evidence(ctx, o, e)),
        );
        if let (Some(_), Some((obs, f))) = (r.sent_at, r.sent_field) {
            evidence.push(field_evidence(f, obs));
        }
    }
    if cdot_check.coverage == Coverage::Covered {
        evidence.extend(cdot_check.evidence.iter().cloned());
    } else {
        why.push(format!(
            "but {}'s logs were not searched for the address over the whole window ({}), so \
             a later Customers Portal reset may be missing",
            settings.customers_domain,
            cdot_check.gap.as_deref().unwrap_or("not checked")
        ));
        missing.need(cdot_step(ctx));
    }
    if same_minute {
        why.push(
            "a Customers Portal reset was sent in the same minute: which came last is not known"
                .into(),
        );
    }
    if cdot_undated > 0 {
        why.push(format!(
            "{cdot_undated} Customers Portal reset event(s) have no readable time and could be later"
        ));
        missing.need(cdot_step(ctx));
    }
    let shown = &ctx.shown;
    let back_in = ways::sign_in_sentence(settings, shown);
    Some(Finding {
        explanation: format!(
            "The latest password-reset mail to {shown} went out on {} (GitLab.com's mail) at \
             {tg}; {}. That reset changes the GitLab.com password only, and the Customers Portal \
             no longer signs in with a password: the way back in is a one-time sign-in link (or \
             “Continue with your GitLab.com account” for a linked account).",
            settings.gitlab_com_domain,
            why.join("; ")
        ),
        evidence,
        steps: ways::back_in_steps(ctx),
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. The password reset email that was sent to \
             {shown} was for your GitLab.com account: resetting it changes your GitLab.com \
             password only, not how you sign in to the Customers Portal (customers.gitlab.com, \
             where subscriptions are managed). {back_in} Let us know if the email does not \
             arrive.\n"
        )),
        ..Finding::new(FindingId::ResetRequestedOnGitlabCom, certain)
    })
}

/// `no-reset-email`: both domains' logs read, no reset to the address on either in the window.
pub(super) fn no_reset_email(ctx: &Ctx, r: &Resets, missing: &mut Missing) -> Option<Finding> {
    let settings = ctx.settings;
    let (cdot_check, glc_check) = (&r.cdot_check, &r.glc_check);
    let no_reset = r.cdot_recent.is_empty()
        && r.glc_recent.is_empty()
        && r.cdot_undated + r.glc_undated == 0
        && r.sent_at.is_none();
    if !(no_reset && cdot_check.coverage >= Coverage::Read && glc_check.coverage >= Coverage::Read)
    {
        return None;
    }
    let certain =
        cdot_check.coverage == Coverage::Covered && glc_check.coverage == Coverage::Covered;
    let mut evidence: Vec<Evidence> = cdot_check
        .evidence
        .iter()
        .chain(&glc_check.evidence)
        .cloned()
        .collect();
    if let Some((obs, f)) = r.sent_field {
        evidence.push(field_evidence(f, obs));
    }
    let mut gaps = Vec::new();
    for (check, domain, step) in [
        (cdot_check, &settings.customers_domain, cdot_step(ctx)),
        (glc_check, &settings.gitlab_com_domain, glc_step(ctx)),
    ] {
        if check.coverage != Coverage::Covered {
            gaps.push(format!(
                "{domain}: {}",
                check.gap.as_deref().unwrap_or("not searched")
            ));
            missing.need(step);
        }
    }
    let shown = &ctx.shown;
    let back_in = ways::sign_in_sentence(settings, shown);
    let days = settings.reset_window_days;
    let mut explanation = format!(
        "Neither {} nor {} shows a password-reset mail to {shown} in the last {days} days: \
         the customer's reset request never went out (or was made for another address).",
        settings.customers_domain, settings.gitlab_com_domain
    );
    if !certain {
        explanation.push_str(&format!(
            " Not every domain was searched over the whole window ({}), so a reset may be \
             missing from what was seen.",
            gaps.join("; ")
        ));
    }
    let older = r.older;
    if older > 0 {
        explanation.push_str(&format!(
            " {older} older reset event(s), before the window, were not counted."
        ));
    }
    Some(Finding {
        explanation,
        evidence,
        steps: ways::back_in_steps(ctx),
        // A reply only once both logs were searched over the window.
        reply: certain.then(|| {
            format!(
                "Hi,\n\nThank you for reaching out. We could not find a password reset email \
                 sent to {shown} in the last {days} days. {back_in} If no email arrives within \
                 a few minutes, please check your spam folder and let us know; if you may have \
                 signed up with a different email address, please tell us which one.\n"
            )
        }),
        ..Finding::new(FindingId::NoResetEmail, certain)
    })
}

/// The domains whose logs were not checked at all: `missing-evidence` names them.
pub(super) fn unchecked_domains(ctx: &Ctx, r: &Resets, missing: &mut Missing) {
    if r.cdot_check.coverage == Coverage::Unchecked {
        missing.need(cdot_step(ctx));
    }
    if r.glc_check.coverage == Coverage::Unchecked {
        missing.need(glc_step(ctx));
    }
}

/// The events with a time inside the reset window.
fn in_window<'a>(ctx: &Ctx, events: &[Ev<'a>]) -> Vec<Ev<'a>> {
    events
        .iter()
        .copied()
        .filter(|(_, e)| e.timestamp.is_some_and(|t| ctx.in_window(t)))
        .collect()
}

/// The Customers Portal's confirmation mail events to the address or to another one (e.g. a
/// pending email), each event once, in order.
pub(super) fn confirmations_to<'c, 'a>(ctx: &'c Ctx<'a>, key: &str) -> Cow<'c, [Ev<'a>]> {
    if key == ctx.key {
        return Cow::Borrowed(&ctx.events().cdot.confirmations);
    }
    let mut out: Vec<Ev> = Vec::new();
    for o in ctx.all.iter().filter(|o| o.key == key) {
        if let Fact::MailEvent(e) = &o.fact {
            if !out.iter().any(|(_, seen)| same_event(seen, e)) {
                out.push((o, e));
            }
        }
    }
    out.retain(|(_, e)| {
        e.kind == MailKind::Confirmation && e.domain == MailDomain::CustomersPortal
    });
    Cow::Owned(out)
}

/// The outcome of the latest mail among some events: the latest delivery or failure (or,
/// with neither, an open or click, which implies delivery). Undated events are left out.
pub(super) struct Latest<'a> {
    pub at: UtcTime,
    pub events: Vec<Ev<'a>>,
    pub failed: bool,
    pub delivered: bool,
    /// A later event (a new mail accepted) after the outcome: a newer mail is under way.
    pub superseded: bool,
}

pub(super) fn latest_outcome<'a>(events: &[Ev<'a>]) -> Option<Latest<'a>> {
    // The outcomes are the deliveries and failures or, with neither, what implies delivery.
    let terminal = |e: &MailEvent| e.outcome == Outcome::Delivered || e.outcome.is_failure();
    let (mut latest_terminal, mut latest_reached) = (None, None);
    for (_, e) in events {
        let Some(t) = e.timestamp else { continue };
        if terminal(e) {
            latest_terminal = latest_terminal.max(Some(t));
        } else if e.outcome.reached_recipient() {
            latest_reached = latest_reached.max(Some(t));
        }
    }
    let is_outcome = |e: &MailEvent| {
        if latest_terminal.is_some() {
            terminal(e)
        } else {
            e.outcome.reached_recipient()
        }
    };
    let at = latest_terminal.or(latest_reached)?;
    let mut at_latest: Vec<Ev> = Vec::new();
    let mut superseded = false;
    for ev in events {
        match ev.1.timestamp {
            Some(t) if t == at && is_outcome(ev.1) => at_latest.push(*ev),
            Some(t) if t > at => superseded |= ev.1.outcome == Outcome::Accepted,
            _ => {}
        }
    }
    let delivered = at_latest.iter().any(|(_, e)| e.outcome.reached_recipient());
    let failures: Vec<&Ev> = at_latest
        .iter()
        .filter(|(_, e)| e.outcome.is_failure())
        .collect();
    // A temporary failure and a delivery in the same minute: Mailgun's retry succeeded.
    let retried = delivered
        && failures
            .iter()
            .all(|(_, e)| e.outcome == Outcome::TemporaryFailure);
    let failed = !failures.is_empty() && !retried;
    let events = at_latest
        .into_iter()
        .filter(|(_, e)| {
            if failed && delivered {
                true
            } else if failed {
                e.outcome.is_failure()
            } else {
                e.outcome.reached_recipient()
            }
        })
        .collect();
    Some(Latest {
        at,
        events,
        failed,
        delivered,
        superseded,
    })
}

/// `reset-email-undelivered`: the latest Customers Portal reset mail in the window failed,
/// was rejected or suppressed.
pub(super) fn reset_email_undelivered(ctx: &Ctx, r: &Resets) -> Option<Finding> {
    let (latest, uncertain_why) = r.outcome.as_ref().filter(|(l, _)| l.failed)?;
    let certain = uncertain_why.is_none();
    let failures: Vec<&Ev> = latest
        .events
        .iter()
        .filter(|(_, e)| e.outcome.is_failure())
        .collect();
    let how = failures
        .first()
        .map_or("failed", |(_, e)| failure_words(&e.outcome));
    let texts: Vec<String> = failures.iter().map(|(_, e)| mailgun_text(e)).collect();
    let shown = &ctx.shown;
    let settings = ctx.settings;
    let mut explanation = format!(
        "The latest Customers Portal reset mail to {shown} {how} at {} (Mailgun: {}): the reset \
         link did not reach the customer.",
        latest.at,
        texts.join("; ")
    );
    if let Some(why) = uncertain_why {
        explanation.push_str(&format!(" Not settled: {why}."));
    }
    let sign_in = settings.sign_in_url();
    let message = failures
        .iter()
        .find_map(|(_, e)| e.message.as_deref().or(e.reason.as_deref()))
        .map(|m| format!(" (our mail provider reported: “{m}”)"))
        .unwrap_or_default();
    Some(Finding {
        title: titled(
            certain,
            &format!("Customers Portal reset email {how}"),
            &format!("Customers Portal reset email likely {how}"),
        ),
        explanation,
        evidence: latest
            .events
            .iter()
            .map(|(o, e)| event_evidence(ctx, o, e))
            .collect(),
        steps: vec![
            logs_step(
                settings,
                &settings.customers_domain,
                format!(
                    "Mailgun logs: {} (Customers Portal mail)",
                    settings.customers_domain
                ),
            ),
            ways::one_time_link_step(),
        ],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. The Customers Portal password reset email we sent \
             to {shown} on {} could not be delivered to your mailbox{message}. Please check with \
             your email administrator that mail from customers.gitlab.com is accepted. Then sign \
             in with a one-time sign-in link: at {sign_in} choose “Sign in with your email”, enter \
             {shown}, and open the link we email you (it works once and expires after 24 hours; \
             see {} ). Let us know if it still does not arrive.\n",
            latest.at,
            ways::SIGN_IN_DOCS
        )),
        ..Finding::new(FindingId::ResetEmailUndelivered, certain)
    })
}

fn failure_words(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Suppressed(SuppressionList::Bounce) => "was suppressed (bounce list)",
        Outcome::Suppressed(SuppressionList::Unsubscribe) => "was suppressed (unsubscribe list)",
        Outcome::Suppressed(SuppressionList::Complaint) => "was suppressed (complaint list)",
        Outcome::Suppressed(SuppressionList::Unknown) => "was suppressed",
        Outcome::Rejected => "was rejected",
        Outcome::PermanentFailure => "failed permanently",
        Outcome::TemporaryFailure => "failed temporarily (Mailgun retries)",
        _ => "failed",
    }
}

/// `reset-email-delivered`: the latest Customers Portal reset mail in the window was
/// delivered, and whether the account signed in after it.
pub(super) fn reset_email_delivered(
    ctx: &Ctx,
    r: &Resets,
    missing: &mut Missing,
) -> Option<Finding> {
    let (latest, uncertain_why) = r.outcome.as_ref().filter(|(l, _)| l.delivered)?;
    let certain = uncertain_why.is_none();
    let delivered_at = latest.at;
    let mut evidence: Vec<Evidence> = latest
        .events
        .iter()
        .filter(|(_, e)| e.outcome.reached_recipient())
        .map(|(o, e)| event_evidence(ctx, o, e))
        .collect();
    let mut explanation = format!(
        "The latest Customers Portal reset mail to {} was delivered at {delivered_at}",
        ctx.shown
    );
    let mut steps = Vec::new();
    match signed_in_after(ctx, delivered_at) {
        SignIn::After(ev, at) => {
            explanation.push_str(&format!(
                ", and the account signed in after it, at {at}: the reset worked."
            ));
            evidence.push(ev);
        }
        SignIn::NotSince(evs) => {
            explanation.push_str(
                ", but the account has not signed in since. The customer may not have used the \
                 link, or it expired; and the Customers Portal no longer signs in with a \
                 password: a one-time sign-in link is the way back in.",
            );
            evidence.extend(evs);
            steps.push(ways::one_time_link_step());
        }
        SignIn::Unknown(why, step) => {
            explanation.push_str(&format!(
                ". Whether the account signed in since is not known: {why}."
            ));
            if let Some(step) = step {
                missing.need(step);
            }
        }
    }
    if let Some(why) = uncertain_why {
        explanation.push_str(&format!(" Not settled: {why}."));
    }
    Some(Finding {
        explanation,
        evidence,
        steps,
        ..Finding::new(FindingId::ResetEmailDelivered, certain)
    })
}

/// The suppression events of the address on the two known domains.
pub(super) fn is_suppression(e: &MailEvent) -> bool {
    matches!(e.outcome, Outcome::Suppressed(_))
        || e.reason.as_deref().is_some_and(|r| {
            r.trim()
                .as_bytes()
                .get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"suppress-"))
        })
        || e.code.as_deref().is_some_and(is_code_605)
        || e.message.as_deref().is_some_and(|m| {
            contains_ignoring_ascii_case(m, "not delivering to previously bounced address")
        })
}

/// Mailgun's "not delivering to a suppressed address" code, around spaces.
fn is_code_605(code: &str) -> bool {
    match code.len() {
        0..=2 => false,
        // Three bytes trimmed to "605" are "605" (the usual case: no spaces to trim).
        3 => code == "605",
        _ => code.trim() == "605",
    }
}

/// `text.to_ascii_lowercase().contains(needle)` for a lower-case ASCII `needle`, without the
/// copy.
pub(super) fn contains_ignoring_ascii_case(text: &str, needle: &str) -> bool {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    if needle.len() > text.len() {
        return false;
    }
    if needle.is_empty() {
        return true;
    }
    text.windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

pub(super) fn list_of(e: &MailEvent) -> SuppressionList {
    if let Outcome::Suppressed(list) = e.outcome {
        if list != SuppressionList::Unknown {
            return list;
        }
    }
    let reason = e.reason.as_deref().unwrap_or("").trim();
    if reason.eq_ignore_ascii_case("suppress-bounce") {
        SuppressionList::Bounce
    } else if reason.eq_ignore_ascii_case("suppress-unsubscribe") {
        SuppressionList::Unsubscribe
    } else if reason.eq_ignore_ascii_case("suppress-complaint") {
        SuppressionList::Complaint
    } else if e.code.as_deref().is_some_and(is_code_605)
        || e.message
            .as_deref()
            .is_some_and(|m| contains_ignoring_ascii_case(m, "previously bounced"))
    {
        SuppressionList::Bounce
    } else {
        SuppressionList::Unknown
    }
}

/// What a suppression entry stops on a domain: every mail from the Customers Portal; from
/// GitLab.com every mail but its reset-password and verification mails, which bypass the lists
/// (`X-Mailgun-Suppressions-Bypass`): the entry never explains a missing GitLab.com reset.
fn blocked_words(domain: &MailDomain, name: &str) -> String {
    match domain {
        MailDomain::GitLabCom => format!(
            "other mail from {name} does not reach the address (GitLab.com's reset-password and \
             verification mails bypass the list: the entry does not explain a missing GitLab.com \
             reset)"
        ),
        _ => format!("no mail from {name} reaches the address"),
    }
}

fn list_words(list: SuppressionList) -> &'static str {
    match list {
        SuppressionList::Bounce => "bounce list",
        SuppressionList::Unsubscribe => "unsubscribe list",
        SuppressionList::Complaint => "complaint list",
        SuppressionList::Unknown => "a suppression list",
    }
}

/// The latest Suppressions API check of each list on a domain (a look-up from the popup).
fn latest_checks<'a>(
    ctx: &Ctx<'a>,
    domain: &MailDomain,
) -> Vec<(&'a Observation, &'a SuppressionCheck)> {
    let mut latest: Vec<(&Observation, &SuppressionCheck)> = Vec::new();
    for o in &ctx.facts {
        let Fact::SuppressionChecked(c) = &o.fact else {
            continue;
        };
        if c.domain != *domain {
            continue;
        }
        match latest.iter_mut().find(|(_, k)| k.list == c.list) {
            Some(kept) if kept.0.seen_at >= o.seen_at => {}
            Some(kept) => *kept = (*o, c),
            None => latest.push((*o, c)),
        }
    }
    latest
}

fn check_evidence(ctx: &Ctx, o: &Observation, c: &SuppressionCheck) -> Evidence {
    let value = match &c.entry {
        None => "not on the list".to_string(),
        Some(e) => {
            let mut v = "on the list".to_string();
            match (e.created_at, &e.created_shown) {
                (Some(t), _) => v.push_str(&format!(" since {t}")),
                (None, Some(shown)) => v.push_str(&format!(" since “{shown}”")),
                _ => {}
            }
            if let Some(code) = &e.code {
                v.push_str(&format!(" · code {code}"));
            }
            if let Some(error) = &e.error {
                v.push_str(&format!(" · “{error}”"));
            }
            v
        }
    };
    Evidence {
        what: format!(
            "Mailgun {} of {} (Suppressions API)",
            list_words(c.list),
            c.domain.name(ctx.settings).unwrap_or_default()
        ),
        value,
        source: o.url.clone(),
        seen_at: o.seen_at,
        count: 1,
        event: None,
    }
}

/// `address-suppressed`: per known domain, an entry the Suppressions API returned, or else the
/// latest suppression event not followed by a delivery on that domain (a delivery after it
/// means the entry was removed) nor by a check that found the list clear.
pub(super) fn address_suppressed(ctx: &Ctx) -> Option<Finding> {
    let settings = ctx.settings;
    let events = ctx.events();
    let domains: [(MailDomain, &DomainEvents); 2] = [
        (MailDomain::CustomersPortal, &events.cdot),
        (MailDomain::GitLabCom, &events.glc),
    ];
    let mut evidence = Vec::new();
    let mut parts = Vec::new();
    let mut steps = Vec::new();
    let mut certain = true;
    let mut cdot = false;
    for (domain, events) in domains {
        let checks = latest_checks(ctx, &domain);
        let listed: Vec<_> = checks.iter().filter(|(_, c)| c.entry.is_some()).collect();
        if !listed.is_empty() {
            // The list's state now, from Mailgun itself: certain.
            let name = domain.name(settings).unwrap_or_default().to_string();
            cdot |= domain == MailDomain::CustomersPortal;
            let lists: Vec<&str> = listed.iter().map(|(_, c)| list_words(c.list)).collect();
            parts.push(format!(
                "{} — on the {} (Mailgun's Suppressions API): {} until the entry is removed \
                 (Mailgun: Suppressions of {name})",
                domain.label(settings),
                lists.join(" and the "),
                blocked_words(&domain, &name)
            ));
            evidence.extend(listed.iter().map(|(o, c)| check_evidence(ctx, o, c)));
            steps.push(logs_step(
                settings,
                &name,
                format!("Mailgun logs: {}", domain.label(settings)),
            ));
            continue;
        }
        // A check after the event that found its list (every list, when the event does not
        // say which) clear: the entry was removed since.
        let cleared_by_check = |e: &MailEvent| {
            let Some(ts) = e.timestamp else { return false };
            // No check at all (the usual case): no list was found clear.
            if checks.is_empty() {
                return false;
            }
            let list = list_of(e);
            let needed: &[SuppressionList] = match list {
                SuppressionList::Unknown => &[
                    SuppressionList::Bounce,
                    SuppressionList::Unsubscribe,
                    SuppressionList::Complaint,
                ],
                _ => std::slice::from_ref(&list),
            };
            needed.iter().all(|list| {
                checks
                    .iter()
                    .any(|(o, c)| c.list == *list && c.entry.is_none() && o.seen_at > ts)
            })
        };
        let sups: Vec<Ev> = events
            .suppressions
            .iter()
            .copied()
            .filter(|(_, e)| !cleared_by_check(e))
            .collect();
        if sups.is_empty() {
            continue;
        }
        let deliveries = &events.deliveries;
        let latest = sups.iter().filter_map(|(_, e)| e.timestamp).max();
        let undated: Vec<Ev> = sups
            .iter()
            .copied()
            .filter(|(_, e)| e.timestamp.is_none())
            .collect();
        let cleared = latest.is_some_and(|ts| deliveries.iter().any(|d| d.is_some_and(|d| d > ts)));
        let (used, domain_certain): (Vec<Ev>, bool) = match latest {
            Some(ts) if !cleared => (
                sups.iter()
                    .copied()
                    .filter(|(_, e)| e.timestamp == Some(ts))
                    .chain(undated.iter().copied())
                    .collect(),
                true,
            ),
            // Only undated suppressions left: a delivery on the domain may have come after.
            _ if !undated.is_empty() => (undated.clone(), deliveries.is_empty()),
            _ => continue,
        };
        certain &= domain_certain;
        let name = domain.name(settings).unwrap_or_default().to_string();
        cdot |= domain == MailDomain::CustomersPortal;
        let Some(&(_, e)) = used.first() else {
            continue;
        };
        parts.push(format!(
            "{} — {}{} (Mailgun: {}): {} until the entry is removed (Mailgun: Suppressions of \
             {name}){}",
            domain.label(settings),
            list_words(list_of(e)),
            e.timestamp
                .map(|t| format!(" as of {t}"))
                .unwrap_or_else(|| " (time not read)".into()),
            mailgun_text(e),
            blocked_words(&domain, &name),
            if domain_certain {
                ""
            } else {
                "; a delivery on this domain may have come after it (its time was not read)"
            }
        ));
        evidence.extend(used.iter().map(|(o, e)| event_evidence(ctx, o, e)));
        steps.push(logs_step(
            settings,
            &name,
            format!("Mailgun logs: {}", domain.label(settings)),
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let shown = &ctx.shown;
    let sign_in = settings.sign_in_url();
    let sender = if cdot {
        settings.customers_domain.as_str()
    } else {
        settings.gitlab_com_domain.as_str()
    };
    Some(Finding {
        explanation: format!(
            "{}. Remove the entry in Mailgun before sending the reply or asking for a new mail.",
            parts.join(". ")
        ),
        evidence,
        steps,
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Our emails to {shown} were not being delivered: an \
             earlier message to this address bounced or was reported, so our mail provider \
             stopped sending to it. We have cleared that block. Please make sure mail from \
             {sender} is allowed by your mailbox, then request a one-time sign-in link at \
             {sign_in} (“Sign in with your email”) and open the link in that email.\n"
        )),
        ..Finding::new(FindingId::AddressSuppressed, certain)
    })
}

/// `unplaced-mail-events`: reset, confirmation or suppression events that no rule could use:
/// no readable time, an unknown sending domain, or another domain (`events`: those without a
/// time or on neither known domain).
pub(super) fn unplaced_mail_events(ctx: &Ctx) -> Option<Finding> {
    let settings = ctx.settings;
    let events = &ctx.events().unplaced;
    let mut evidence = Vec::new();
    let (mut untimed, mut undomained) = (0, 0);
    for (o, e) in events {
        let relevant =
            matches!(e.kind, MailKind::PasswordReset | MailKind::Confirmation) || is_suppression(e);
        if !relevant {
            continue;
        }
        let mut why = Vec::new();
        match &e.domain {
            MailDomain::Unknown => why.push("sending domain not known".to_string()),
            MailDomain::Other(name) => why.push(format!(
                "sent on {name}, neither {} nor {}",
                settings.customers_domain, settings.gitlab_com_domain
            )),
            _ => {}
        }
        if !why.is_empty() {
            undomained += 1;
        }
        if e.timestamp.is_none() {
            untimed += 1;
            why.push(match &e.time_shown {
                Some(t) => format!("time “{t}” not read"),
                None => "no time shown".into(),
            });
        }
        if why.is_empty() {
            continue;
        }
        let mut ev = event_evidence(ctx, o, e);
        ev.what = format!("{} (not used: {})", ev.what, why.join(", "));
        evidence.push(ev);
    }
    if evidence.is_empty() {
        return None;
    }
    Some(Finding {
        explanation: format!(
            "{} mail event(s) to {} could not be placed: {untimed} without a readable time (not \
             put in the reset window or ordered by guess) and {undomained} without a known \
             sending domain (not counted for either site). Open each in Mailgun: the event's \
             details show its exact time and sender.",
            evidence.len(),
            ctx.shown
        ),
        evidence,
        ..Finding::new(FindingId::UnplacedMailEvents, true)
    })
}

/// How far a domain's logs were checked for the address (`on`: its events to the address).
pub(super) fn check(ctx: &Ctx, on: &DomainEvents, domain: &MailDomain) -> Check {
    let mut coverage = Coverage::Unchecked;
    let mut evidence = Vec::new();
    let mut gap = None;
    for (o, s) in ctx
        .searches()
        .into_iter()
        .filter(|(_, s)| s.domain == *domain)
    {
        evidence.push(search_evidence(ctx, o, s));
        match search_covers(ctx, o, s) {
            Ok(()) => coverage = Coverage::Covered,
            Err(why) => {
                coverage = coverage.max(Coverage::Read);
                gap.get_or_insert(why);
            }
        }
    }
    if on.count > 0 {
        coverage = coverage.max(Coverage::Read);
        if evidence.is_empty() {
            // The latest event (or the first undated one) proves the logs were read.
            if let Some((o, e)) = on.latest {
                let mut ev = event_evidence(ctx, o, e);
                ev.what = format!(
                    "{}'s logs read for the address: {}",
                    domain.name(ctx.settings).unwrap_or_default(),
                    ev.what
                );
                evidence.push(ev);
            }
            gap.get_or_insert("events seen, but no search for the address over the window".into());
        }
    }
    if coverage == Coverage::Covered {
        gap = None;
    }
    Check {
        coverage,
        evidence,
        gap,
    }
}

/// Whether a search covers the whole reset window for the address alone.
fn search_covers(ctx: &Ctx, obs: &Observation, s: &MailSearch) -> Result<(), String> {
    let other_filters: Vec<&String> = s
        .filters
        .iter()
        .filter(|f| {
            f.split_once(':').is_none_or(|(label, value)| {
                !(matches!(
                    label.trim().to_ascii_lowercase().as_str(),
                    "to" | "recipient" | "contains"
                ) && email::normalise(value).as_deref() == Some(ctx.key))
            })
        })
        .collect();
    if !other_filters.is_empty() {
        return Err(format!(
            "the search had other filters: {}",
            other_filters
                .iter()
                .map(|f| format!("“{f}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let Some(range) = &s.range else {
        return Err("the date range searched was not read".into());
    };
    let (start, end) = match (range.last_days, range.from, range.to) {
        (_, Some(from), to) => (from, to.map_or(obs.seen_at, |t| t.min(obs.seen_at))),
        (Some(days), _, _) => (
            UtcTime(obs.seen_at.0 - i64::from(days) * 86_400),
            obs.seen_at,
        ),
        _ => return Err(format!("the range “{}” was not read", range.text)),
    };
    if start > ctx.window_start() {
        return Err(format!(
            "searched “{}”, shorter than the {}-day window",
            range.text, ctx.settings.reset_window_days
        ));
    }
    if end.0 < ctx.now.0 - SEARCH_FRESH_SECS {
        return Err(format!("searched at {}, more than a day ago", obs.seen_at));
    }
    Ok(())
}

fn search_evidence(ctx: &Ctx, obs: &Observation, s: &MailSearch) -> Evidence {
    let mut parts = Vec::new();
    if let Some(q) = s.query.as_deref().filter(|q| !q.trim().is_empty()) {
        parts.push(format!("search “{}”", q.trim()));
    }
    for f in &s.filters {
        parts.push(format!("filter “{f}”"));
    }
    if let Some(r) = &s.range {
        parts.push(r.text.clone());
    }
    parts.push(match (s.rows_seen, &s.empty_text) {
        (0, Some(empty)) => format!("no events (“{empty}”)"),
        (n, _) => format!("{n} row{} read", if n == 1 { "" } else { "s" }),
    });
    Evidence {
        what: format!("Mailgun logs search on {}", s.domain.label(ctx.settings)),
        value: parts.join(" · "),
        source: obs.url.clone(),
        seen_at: obs.seen_at,
        count: 1,
        event: None,
    }
}

/// One event as evidence: Mailgun's text verbatim in the value.
pub(super) fn event_evidence(ctx: &Ctx, obs: &Observation, e: &MailEvent) -> Evidence {
    // Most recipients have no spaces around them: `trim` only when there may be.
    let recipient = match (e.recipient.bytes().next(), e.recipient.bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => &e.recipient,
        _ => e.recipient.trim(),
    };
    let what = match e.kind {
        MailKind::PasswordReset => "Mailgun event: password reset mail to ",
        MailKind::Confirmation => "Mailgun event: confirmation mail to ",
        MailKind::Unlock => "Mailgun event: unlock mail to ",
        MailKind::PasswordChanged => "Mailgun event: password changed mail to ",
        MailKind::EmailChanged => "Mailgun event: email changed mail to ",
        MailKind::Other => "Mailgun event: other mail mail to ",
    };
    let value = e.describe(ctx.settings);
    let event = super::group::EventPart::of(e, &value, what.len() + recipient.len(), ctx.settings);
    Evidence {
        what: [what, recipient, " (", &e.event_shown, ")"].concat(),
        value,
        source: obs.url.clone(),
        seen_at: obs.seen_at,
        count: 1,
        event,
    }
}

/// Mailgun's own words for an event's status: code, message, description, reason, verbatim.
pub(super) fn mailgun_text(e: &MailEvent) -> String {
    let mut parts = vec![format!("“{}”", e.event_shown)];
    if let Some(c) = e.code.as_deref().filter(|c| !c.is_empty()) {
        parts.push(format!("code {c}"));
    }
    if let Some(m) = e.message.as_deref().filter(|m| !m.is_empty()) {
        parts.push(format!("“{m}”"));
    }
    if let Some(d) = e.description.as_deref().filter(|d| !d.is_empty()) {
        parts.push(format!("“{d}”"));
    }
    if let Some(r) = e.reason.as_deref().filter(|r| !r.is_empty()) {
        parts.push(format!("reason {r}"));
    }
    parts.join(", ")
}

/// Events oldest first (undated last, in their order).
fn sorted<'a>(events: &[Ev<'a>]) -> Vec<Ev<'a>> {
    let mut v = events.to_vec();
    crate::core::sort::sort_by_key(&mut v, |(_, e)| (e.timestamp.is_none(), e.timestamp));
    v
}
