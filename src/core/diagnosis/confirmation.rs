//! The address's confirmation (handbook cause 2 of the current revision, cause 4 of the older
//! one): an email change waiting for confirmation on the account page, or the Customers
//! Portal's confirmation mails to the address not delivered. Reads the account page and the
//! mail rules' helpers (`mail`); nothing imports from here but `diagnose`.

use super::{field_evidence, mail, resend_confirmation_step, Ctx, Finding, FindingId};
use crate::core::account::Value;
use crate::core::email;

/// `email-unconfirmed`: an email change waiting for confirmation ("Unconfirmed email" set), or
/// the Customers Portal's confirmation mail to the address (or the pending one) not delivered.
pub(super) fn email_unconfirmed(ctx: &Ctx) -> Option<Finding> {
    let mut evidence = Vec::new();
    let mut reasons = Vec::new();
    let mut pending_key = None;
    if let Some((obs, account)) = ctx.account {
        if let Some(f) = account
            .field("unconfirmed_email")
            .filter(|f| !matches!(f.value, Value::Blank))
        {
            evidence.push(field_evidence(f, obs));
            reasons.push(format!(
                "A change of the account's email to “{}” is waiting for confirmation: until the \
                 link sent to that address is opened, the account's address stays {}, which is \
                 the one to sign in with.",
                f.raw, ctx.shown
            ));
            pending_key = email::normalise(&f.raw).filter(|k| k != ctx.key);
        }
    }
    let mut failed = Vec::new();
    for key in std::iter::once(ctx.key).chain(pending_key.as_deref()) {
        let confirmations = mail::confirmations_to(ctx, key);
        if let Some(latest) = mail::latest_outcome(&confirmations) {
            if latest.failed && !latest.delivered {
                failed.extend(latest.events.iter().copied());
            }
        }
    }
    if !failed.is_empty() {
        reasons.push(format!(
            "The Customers Portal's latest confirmation mail was not delivered ({}), so the \
             confirmation link never reached the customer.",
            failed
                .iter()
                .map(|(_, e)| mail::mailgun_text(e))
                .collect::<Vec<_>>()
                .join("; ")
        ));
        evidence.extend(failed.iter().map(|(o, e)| mail::event_evidence(ctx, o, e)));
    }
    if evidence.is_empty() {
        return None;
    }
    let shown = &ctx.shown;
    let resend = ctx.settings.resend_confirmation_url();
    Some(Finding {
        explanation: reasons.join(" "),
        evidence,
        steps: vec![resend_confirmation_step(ctx.settings)],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. The email address on your Customers Portal account \
             ({shown}) has not been confirmed yet: the confirmation email either has not been \
             opened or did not reach you. Please request a new one at {resend} , open the link in \
             it, and then sign in again. If it does not arrive within a few minutes, please check \
             your spam folder and make sure mail from customers.gitlab.com is not blocked, and \
             let us know.\n"
        )),
        ..Finding::new(FindingId::EmailUnconfirmed, true)
    })
}
