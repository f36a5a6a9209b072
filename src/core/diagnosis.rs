//! The diagnosis: findings from the support handbook's causes, each resting on evidence.
//!
//! `diagnose` is pure and deterministic: the same observations, time and settings always give
//! the same findings in the same order. A finding is only emitted with the evidence it names;
//! where a page that a cause needs was not seen, `missing-evidence` says which one to open.

use crate::core::account::{AccountSnapshot, Field, PageReading, Presence, Value};
use crate::core::observation::Observation;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// Problems first, then warnings, then information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Problem,
    Warning,
    Info,
}

/// One fact a finding rests on: which field or event, its value, where and when it was seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub what: String,
    pub value: String,
    pub source: String,
    pub seen_at: UtcTime,
}

/// A next step: a link with a stable id (the `data-step` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id (the `data-finding` contract, listed in the README).
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    pub steps: Vec<Step>,
    /// A reply to the customer, plain text with the address filled in.
    pub reply: Option<String>,
}

/// Whom the diagnosis is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub key: String,
    pub shown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub subject: Option<Subject>,
    pub findings: Vec<Finding>,
    /// A page-level note when there is no subject ("not a page I can read", another model).
    pub note: Option<String>,
}

/// Diagnoses one address from every observation about it.
pub fn diagnose(
    key: &str,
    observations: &[Observation],
    _now: UtcTime,
    settings: &Settings,
) -> Diagnosis {
    let mine: Vec<&Observation> = observations.iter().filter(|o| o.key == key).collect();
    let shown = mine
        .iter()
        .max_by_key(|o| o.seen_at)
        .map_or_else(|| key.to_string(), |o| o.shown.clone());
    let mut findings = Vec::new();

    let latest_account = mine
        .iter()
        .filter_map(|o| o.account().map(|a| (o, a)))
        .max_by_key(|(o, _)| o.seen_at);
    if let Some((obs, account)) = latest_account {
        findings.push(confirmation_finding(&shown, obs, account, settings));
    }
    findings.push(missing_mailgun_evidence(&shown, settings));

    findings.sort_by_key(|f| f.severity);
    Diagnosis {
        subject: Some(Subject {
            key: key.to_string(),
            shown,
        }),
        findings,
        note: None,
    }
}

/// What the banner shows for the page it sits on: the account's diagnosis on a show page,
/// a discreet note elsewhere.
pub fn diagnose_page(
    reading: &PageReading,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> Diagnosis {
    let quiet = |note: String| Diagnosis {
        subject: None,
        findings: Vec::new(),
        note: Some(note),
    };
    match reading {
        PageReading::CustomerShow(account) => {
            match account.email().and_then(crate::core::email::normalise) {
                Some(key) => diagnose(&key, observations, now, settings),
                None => quiet(
                    "Customer page without a readable Email field: nothing to diagnose.".into(),
                ),
            }
        }
        PageReading::OtherAdminPage { what, .. } => {
            quiet(format!("{what}: no account facts on this page."))
        }
        PageReading::Unreadable { reason, .. } => {
            quiet(format!("cdot-triage can't read this page: {reason}"))
        }
    }
}

fn field_evidence(field: &Field, obs: &Observation) -> Evidence {
    Evidence {
        what: format!("“{}” on the account page", field.label),
        value: match &field.value {
            Value::Time(t) => t.to_string(),
            Value::Unreadable(raw) => format!("{raw} (format not recognised)"),
            _ => field.raw.clone(),
        },
        source: obs.url.clone(),
        seen_at: obs.seen_at,
    }
}

fn confirmation_finding(
    shown: &str,
    obs: &Observation,
    account: &AccountSnapshot,
    settings: &Settings,
) -> Finding {
    let presence = account.presence("confirmed_at");
    if presence == Presence::Present {
        let field = account.field("confirmed_at");
        return Finding {
            id: "account-confirmed".into(),
            severity: Severity::Info,
            title: "Account is confirmed".into(),
            explanation:
                "“Confirmed at” is set, so an unconfirmed account is not why sign-in fails.".into(),
            evidence: field.map(|f| field_evidence(f, obs)).into_iter().collect(),
            steps: Vec::new(),
            reply: None,
        };
    }
    let how = match presence {
        Presence::Blank => "is blank",
        _ => "is not on the page (RailsAdmin hides blank fields on show pages)",
    };
    let mut evidence = vec![Evidence {
        what: "“Confirmed at” on the account page".into(),
        value: match presence {
            Presence::Blank => "blank".into(),
            _ => "absent (blank)".into(),
        },
        source: obs.url.clone(),
        seen_at: obs.seen_at,
    }];
    if let Some(sent) = account.field("confirmation_sent_at") {
        if sent.value != Value::Blank {
            evidence.push(field_evidence(sent, obs));
        }
    }
    let resend = settings.resend_confirmation_url();
    Finding {
        id: "account-unconfirmed".into(),
        severity: Severity::Problem,
        title: "Account is not confirmed".into(),
        explanation: format!(
            "“Confirmed at” {how}. An unconfirmed Customers Portal account cannot sign in, even \
             after a password reset."
        ),
        evidence,
        steps: vec![Step {
            id: "resend-confirmation".into(),
            label: "Resend the confirmation email".into(),
            url: resend.clone(),
        }],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. Your Customers Portal account ({shown}) has not been \
             confirmed yet, and an unconfirmed account cannot sign in, even after a password \
             reset. Please request a new confirmation email at {resend} , open the link in it, and \
             then sign in again. If the email does not arrive within a few minutes, please check \
             your spam folder and let us know.\n"
        )),
    }
}

fn missing_mailgun_evidence(shown: &str, settings: &Settings) -> Finding {
    let domains = [
        (&settings.customers_domain, "Customers Portal mail"),
        (&settings.gitlab_com_domain, "GitLab.com mail"),
    ];
    Finding {
        id: "missing-evidence".into(),
        severity: Severity::Info,
        title: "Mailgun logs not checked yet".into(),
        explanation: format!(
            "Whether a password reset was sent, and from which site, shows only in Mailgun's logs. \
             Open each domain's logs and search for {shown}."
        ),
        evidence: Vec::new(),
        steps: domains
            .iter()
            .map(|(domain, what)| Step {
                id: format!("mailgun-logs-{domain}"),
                label: format!("Mailgun logs: {domain} ({what})"),
                url: settings.mailgun_logs_url(domain),
            })
            .collect(),
        reply: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::account::Flavour;
    use crate::core::observation::from_reading;

    fn field(name: &str, label: &str, ty: &str, raw: &str) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            field_type: Some(ty.into()),
            raw: raw.into(),
            value: crate::core::account::type_value(Some(ty), raw),
        }
    }

    fn show_page(fields: Vec<Field>) -> PageReading {
        PageReading::CustomerShow(AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/4711".into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            recognised_by: vec!["url".into()],
            fields,
        })
    }

    fn run(reading: &PageReading) -> Diagnosis {
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let obs = from_reading(reading, now);
        diagnose_page(reading, &obs, now, &Settings::default())
    }

    fn ids(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn absent_confirmed_at_is_an_unconfirmed_account() {
        let d = run(&show_page(vec![
            field("email", "Email", "string", "Jane.Doe@Example.com"),
            field(
                "confirmation_sent_at",
                "Confirmation sent at",
                "datetime",
                "November 20, 2026 09:15",
            ),
        ]));
        assert_eq!(ids(&d), ["account-unconfirmed", "missing-evidence"]);
        let subject = d.subject.as_ref().unwrap();
        assert_eq!(subject.key, "jane.doe@example.com");
        assert_eq!(subject.shown, "Jane.Doe@Example.com");
        let f = &d.findings[0];
        assert_eq!(f.severity, Severity::Problem);
        assert_eq!(f.evidence[0].value, "absent (blank)");
        assert_eq!(f.evidence[1].value, "2026-11-20 09:15 UTC");
        assert_eq!(f.steps[0].id, "resend-confirmation");
        assert_eq!(
            f.steps[0].url,
            "https://customers.gitlab.com/customers/confirmation/new"
        );
        assert!(f.reply.as_ref().unwrap().contains("Jane.Doe@Example.com"));
    }

    #[test]
    fn blank_confirmed_at_is_an_unconfirmed_account() {
        let d = run(&show_page(vec![
            field("email", "Email", "string", "jdoe@example.com"),
            field("confirmed_at", "Confirmed at", "datetime", " - "),
        ]));
        assert_eq!(ids(&d), ["account-unconfirmed", "missing-evidence"]);
        assert_eq!(d.findings[0].evidence[0].value, "blank");
    }

    #[test]
    fn confirmed_account_is_info_with_its_date() {
        let d = run(&show_page(vec![
            field(
                "confirmed_at",
                "Confirmed at",
                "datetime",
                "March 05, 2024 14:07",
            ),
            field("email", "Email", "string", "jdoe@example.com"),
        ]));
        assert_eq!(ids(&d), ["account-confirmed", "missing-evidence"]);
        assert_eq!(d.findings[0].evidence[0].value, "2024-03-05 14:07 UTC");
        assert!(d.findings.iter().all(|f| f.severity != Severity::Problem));
    }

    #[test]
    fn unreadable_confirmed_at_still_counts_as_confirmed_but_is_flagged() {
        let d = run(&show_page(vec![
            field("email", "Email", "string", "jdoe@example.com"),
            field("confirmed_at", "Confirmed at", "datetime", "5 mars 2024"),
        ]));
        assert_eq!(d.findings[0].id, "account-confirmed");
        assert_eq!(
            d.findings[0].evidence[0].value,
            "5 mars 2024 (format not recognised)"
        );
    }

    #[test]
    fn pages_without_an_address_get_a_note_and_no_findings() {
        let no_email = run(&show_page(vec![field(
            "confirmed_at",
            "Confirmed at",
            "datetime",
            " - ",
        )]));
        assert!(no_email.findings.is_empty() && no_email.subject.is_none());
        let other = run(&PageReading::OtherAdminPage {
            url: "https://customers.gitlab.com/admin/billing_account/45".into(),
            what: "Billing account page".into(),
        });
        assert!(other.findings.is_empty());
        assert_eq!(
            other.note.as_deref(),
            Some("Billing account page: no account facts on this page.")
        );
    }

    #[test]
    fn another_address_observations_do_not_leak_in() {
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let unconfirmed = show_page(vec![field("email", "Email", "string", "a@example.com")]);
        let mut obs = from_reading(&unconfirmed, now);
        let confirmed = show_page(vec![
            field("email", "Email", "string", "b@example.com"),
            field(
                "confirmed_at",
                "Confirmed at",
                "datetime",
                "March 05, 2024 14:07",
            ),
        ]);
        obs.extend(from_reading(&confirmed, now));
        let d = diagnose("a@example.com", &obs, now, &Settings::default());
        assert_eq!(ids(&d), ["account-unconfirmed", "missing-evidence"]);
    }
}
