//! The verdict and the plan: what the findings say in one sentence, the one thing to do now,
//! and every next step once, ordered by what blocks what.
//!
//! The order (each step's [`blocks_rank`]):
//!
//! 1. which account: with no account under the address, search for the name and ask the
//!    customer which address they used (nothing else can be fixed before);
//! 2. a suppression list entry: it blocks every mail to the address, so it is removed first;
//! 3. the confirmation: an unconfirmed account cannot sign in, even after a reset;
//! 4. the lock: a locked account refuses even the right password;
//! 5. the Customers Portal's logs for an undelivered reset, then the way back in (a one-time
//!    sign-in link, or GitLab.com for a linked account), then linking the GitLab.com account;
//! 6. other accounts to look at (similar addresses);
//! 7. what is still unchecked.

use super::{Finding, FindingId, Severity, Step};
use serde::{Deserialize, Serialize};

/// The banner's first line after the address (`[data-verdict]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// One sentence: what is wrong (or that nothing was found) and the one thing to do now.
    pub text: String,
    /// The link of the thing to do now, when it has one (the plan's first step).
    pub step: Option<Step>,
}

/// One step of the plan (`ol[data-plan] > li`, its link `a[data-step]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// The step's id and link (the `data-step` contract); the label says what to do.
    pub step: Step,
    /// The finding it comes from (`data-finding` id).
    pub finding: FindingId,
}

/// What blocks what: lower comes first (see the module's list).
fn blocks_rank(finding: FindingId, step: &str) -> u8 {
    use FindingId as F;
    match (finding, step) {
        (F::NoAccount, _) => 0,
        (F::AddressSuppressed, _) => 1,
        (F::AccountUnconfirmed | F::EmailUnconfirmed, _) => 2,
        (F::AccountLocked, _) | (F::GitLabComAccountLocked, "gitlab-com-admin-user") => 3,
        (_, s) if s.starts_with("mailgun-logs-") && finding != F::MissingEvidence => 4,
        (_, "one-time-sign-in-link" | "sign-in-with-gitlab-com") => 5,
        (_, "link-gitlab-com-account" | "change-linked-account" | "edit-account-email") => 5,
        (F::SimilarAccounts | F::NoGitLabComAccount, _) => 6,
        (F::MissingEvidence, _) => 7,
        _ => 5,
    }
}

/// What the step is for, as the plan says it (the finding's own label otherwise).
fn action(finding: &Finding, step: &Step) -> String {
    use FindingId as F;
    match (finding.id, step.id.as_str()) {
        (F::AddressSuppressed, s) => {
            let domain = s.strip_prefix("mailgun-logs-").unwrap_or(s);
            format!("Remove the address from the suppression list of {domain} in Mailgun")
        }
        (F::AccountLocked, "open-account-show") => "Unlock the account in the admin".into(),
        (F::GitLabComAccountLocked, "gitlab-com-admin-user") => format!(
            "Check why the GitLab.com account cannot sign in: {}",
            step.label
        ),
        (F::ResetEmailUndelivered, s) if s.starts_with("mailgun-logs-") => {
            format!(
                "Check why the reset email was not delivered: {}",
                step.label
            )
        }
        (_, "one-time-sign-in-link") => {
            "Ask the customer to sign in with a one-time sign-in link (“Sign in with your email” on \
             the sign-in page)"
                .into()
        }
        (_, "sign-in-with-gitlab-com") => {
            "Or, for a linked account: sign in with GitLab.com (“Continue with your GitLab.com \
             account”)"
                .into()
        }
        (F::MissingEvidence, _) => format!("Check: {}", step.label),
        _ => step.label.clone(),
    }
}

/// Every step of the problems and warnings (and what is unchecked), each once (by id, where
/// it ranks first), ordered by what blocks what, then by the findings' order.
pub fn plan(findings: &[Finding]) -> Vec<PlanStep> {
    let mut steps: Vec<(u8, usize, PlanStep)> = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f.severity != Severity::Info || f.id == FindingId::MissingEvidence)
    {
        for step in f.steps.iter().filter(|s| s.url.starts_with("https://")) {
            let rank = blocks_rank(f.id, &step.id);
            let item = PlanStep {
                step: Step {
                    label: action(f, step),
                    ..step.clone()
                },
                finding: f.id,
            };
            match steps.iter_mut().find(|(_, _, s)| s.step.id == step.id) {
                Some(kept) if kept.0 > rank => {
                    kept.0 = rank;
                    kept.2 = item;
                }
                Some(_) => {}
                None => {
                    let n = steps.len();
                    steps.push((rank, n, item));
                }
            }
        }
    }
    crate::core::sort::sort_by_key(&mut steps, |(rank, n, _)| (*rank, *n));
    steps.into_iter().map(|(_, _, s)| s).collect()
}

/// The cause in a few words and the thing to do about it, for the verdict (the table's
/// words; a finding without them, information, by its title).
fn cause(f: &Finding) -> (String, &'static str) {
    match f.id.row().cause {
        Some(c) if f.certain => (c.sure.to_string(), c.todo),
        Some(c) => (c.likely.to_string(), c.todo),
        None => (f.title.clone(), ""),
    }
}

/// The verdict: the first problem by what blocks what (or the first warning), with the one
/// thing to do now; with several problems, how many and which.
pub fn verdict(shown: &str, findings: &[Finding], plan: &[PlanStep]) -> Verdict {
    let problems: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Problem)
        .collect();
    let first_step = plan.first().map(|p| p.step.clone());
    // A finding's place: its first step in the plan (a step two findings share is listed once,
    // under the first).
    let by_plan = |a: &&Finding| {
        plan.iter()
            .position(|p| p.finding == a.id || a.steps.iter().any(|s| s.id == p.step.id))
            .unwrap_or(plan.len())
    };
    let mut ordered = problems.clone();
    crate::core::sort::sort_by_key(&mut ordered, by_plan);
    match ordered.as_slice() {
        [] => {
            let warning = findings.iter().find(|f| f.severity == Severity::Warning);
            match warning {
                Some(w) => {
                    let (what, todo) = cause(w);
                    Verdict {
                        text: format!("{what}: {todo}"),
                        step: first_step_of(plan, w),
                    }
                }
                None => match plan.first() {
                    Some(p) => Verdict {
                        text: format!(
                            "No problem found yet for {shown}; not checked yet: {}{}",
                            p.step
                                .label
                                .strip_prefix("Check: ")
                                .unwrap_or(&p.step.label),
                            match plan.len() {
                                1 => String::new(),
                                n => format!(" (and {} more)", n - 1),
                            }
                        ),
                        step: first_step,
                    },
                    None => Verdict {
                        text: format!("No problem found for {shown} on the pages seen"),
                        step: None,
                    },
                },
            }
        }
        [one] => {
            let (what, todo) = cause(one);
            Verdict {
                text: format!("{what}: {todo}"),
                step: first_step_of(plan, one),
            }
        }
        [first, rest @ ..] => {
            let (what, todo) = cause(first);
            let others: Vec<String> = rest.iter().map(|f| lower_first(&cause(f).0)).collect();
            let others = match others.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, more)) => format!("{}, and {last}", more.join(", ")),
                None => String::new(),
            };
            Verdict {
                text: format!("{what}; {others}: first {todo}"),
                step: first_step_of(plan, first),
            }
        }
    }
}

/// A finding's first step in the plan (a step two findings share is listed under the first).
fn first_step_of(plan: &[PlanStep], f: &Finding) -> Option<Step> {
    plan.iter()
        .find(|p| p.finding == f.id || f.steps.iter().any(|s| s.id == p.step.id))
        .map(|p| p.step.clone())
}

fn lower_first(text: &str) -> String {
    // ASCII only (the causes are this module's own words): no Unicode case tables in the
    // module. "GitLab.com" and "Mailgun" keep their capitals; only a plain first word is
    // lowered.
    let bytes = text.as_bytes();
    match bytes {
        [first, second, ..] if first.is_ascii_uppercase() && second.is_ascii_lowercase() => {
            let mut out = String::with_capacity(text.len());
            out.push(char::from(first.to_ascii_lowercase()));
            out.push_str(text.get(1..).unwrap_or_default());
            out
        }
        _ => text.to_string(),
    }
}
