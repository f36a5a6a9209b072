//! The diagnosis: findings from the support handbook's causes, each resting on evidence.
//!
//! `diagnose` is pure and deterministic: the same observations, time and settings always give
//! the same findings in the same order. A finding is only emitted with the evidence it names;
//! where a page that a cause needs was not seen, `missing-evidence` says which one to open.

use crate::core::account::{AccountSnapshot, Field, Presence, Value};
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
    pub subject: Subject,
    pub findings: Vec<Finding>,
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
    let mut missing = Vec::new();

    let latest_account = mine
        .iter()
        .filter_map(|o| o.account().map(|a| (*o, a)))
        .max_by_key(|(o, _)| o.seen_at);
    match latest_account {
        Some((obs, account)) => match confirmation_finding(&shown, obs, account, settings) {
            Some(finding) => findings.push(finding),
            // Seen, but not conclusively (e.g. the Edit form): the Show tab settles it.
            None => missing.push(Step {
                id: "open-account-show".into(),
                label: "Open the account's Show tab (“Confirmed at”)".into(),
                url: account.record_id.as_deref().map_or_else(
                    || settings.admin_search_url(&shown),
                    |id| settings.admin_customer_url(id),
                ),
            }),
        },
        None => missing.push(Step {
            id: "admin-search".into(),
            label: format!("Search the admin for {shown}"),
            url: settings.admin_search_url(&shown),
        }),
    }
    missing.extend(mailgun_steps(settings));
    findings.push(missing_evidence(&shown, missing));

    findings.sort_by_key(|f| f.severity);
    Diagnosis {
        subject: Subject {
            key: key.to_string(),
            shown,
        },
        findings,
    }
}

fn field_evidence(field: &Field, obs: &Observation) -> Evidence {
    Evidence {
        what: format!("“{}” on the account page", field.label),
        value: field.display(),
        source: obs.url.clone(),
        seen_at: obs.seen_at,
    }
}

/// `account-confirmed` or `account-unconfirmed`; None when the page cannot settle it (the
/// field is absent where absent does not mean blank).
fn confirmation_finding(
    shown: &str,
    obs: &Observation,
    account: &AccountSnapshot,
    settings: &Settings,
) -> Option<Finding> {
    let presence = account.presence("confirmed_at");
    if presence == Presence::Absent && !account.absent_means_blank() {
        return None;
    }
    if presence == Presence::Present {
        let field = account.field("confirmed_at");
        return Some(Finding {
            id: "account-confirmed".into(),
            severity: Severity::Info,
            title: "Account is confirmed".into(),
            explanation:
                "“Confirmed at” is set, so an unconfirmed account is not why sign-in fails.".into(),
            evidence: field.map(|f| field_evidence(f, obs)).into_iter().collect(),
            steps: Vec::new(),
            reply: None,
        });
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
    Some(Finding {
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
    })
}

/// The Mailgun logs of both sending domains. (Until the Mailgun reader feeds observations,
/// they are always unchecked.)
fn mailgun_steps(settings: &Settings) -> Vec<Step> {
    [
        (&settings.customers_domain, "Customers Portal mail"),
        (&settings.gitlab_com_domain, "GitLab.com mail"),
    ]
    .iter()
    .map(|(domain, what)| Step {
        id: format!("mailgun-logs-{domain}"),
        label: format!("Mailgun logs: {domain} ({what})"),
        url: settings.mailgun_logs_url(domain),
    })
    .collect()
}

/// What is still unchecked, each with the link that checks it.
fn missing_evidence(shown: &str, steps: Vec<Step>) -> Finding {
    Finding {
        id: "missing-evidence".into(),
        severity: Severity::Info,
        title: "Not checked yet".into(),
        explanation: format!(
            "These pages settle the remaining causes for {shown}: whether a password reset was \
             sent and from which site shows only in Mailgun's logs (search each domain for the \
             address)."
        ),
        evidence: Vec::new(),
        steps,
        reply: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::account::{AccountRow, AccountSearch, FieldMatch, Flavour, View};
    use crate::core::observation::from_reading;
    use crate::core::page::PageReading;

    fn field(name: &str, label: &str, ty: &str, raw: &str) -> Field {
        Field::from_page(
            name.into(),
            label.into(),
            Some(ty.into()),
            raw.into(),
            FieldMatch::Class,
            0,
        )
    }

    fn page(view: View, fields: Vec<Field>) -> PageReading {
        PageReading::CustomerShow(AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/4711".into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            view,
            recognised_by: vec!["url".into(), "header".into()],
            fields,
        })
    }

    fn show_page(fields: Vec<Field>) -> PageReading {
        page(View::Show, fields)
    }

    fn now() -> UtcTime {
        UtcTime::from_civil(2026, 11, 23, 12, 0, 0)
    }

    fn run(reading: &PageReading) -> Diagnosis {
        let obs = from_reading(reading, now());
        let key = obs.first().expect("an observation").key.clone();
        diagnose(&key, &obs, now(), &Settings::default())
    }

    fn ids(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.id.as_str()).collect()
    }

    fn step_ids(f: &Finding) -> Vec<&str> {
        f.steps.iter().map(|s| s.id.as_str()).collect()
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
        assert_eq!(d.subject.key, "jane.doe@example.com");
        assert_eq!(d.subject.shown, "Jane.Doe@Example.com");
        let f = &d.findings[0];
        assert_eq!(f.severity, Severity::Problem);
        assert_eq!(f.evidence[0].value, "absent (blank)");
        assert_eq!(f.evidence[1].value, "2026-11-20 09:15 UTC");
        assert_eq!(step_ids(f), ["resend-confirmation"]);
        assert_eq!(
            f.steps[0].url,
            "https://customers.gitlab.com/customers/confirmation/new"
        );
        assert!(f.reply.as_ref().unwrap().contains("Jane.Doe@Example.com"));
        assert_eq!(
            step_ids(&d.findings[1]),
            [
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com"
            ]
        );
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
    fn absent_on_the_edit_form_settles_nothing_and_asks_for_the_show_tab() {
        let d = run(&page(
            View::Edit,
            vec![field("email", "Email", "string", "jdoe@example.com")],
        ));
        assert_eq!(ids(&d), ["missing-evidence"]);
        let steps = &d.findings[0].steps;
        assert_eq!(steps[0].id, "open-account-show");
        assert_eq!(
            steps[0].url,
            "https://customers.gitlab.com/admin/customer/4711"
        );
    }

    #[test]
    fn absent_on_a_page_only_the_url_calls_a_customer_page_settles_nothing() {
        let PageReading::CustomerShow(mut account) =
            show_page(vec![field("email", "Email", "string", "jdoe@example.com")])
        else {
            unreachable!()
        };
        account.recognised_by = vec!["url".into()];
        let d = run(&PageReading::CustomerShow(account));
        assert_eq!(ids(&d), ["missing-evidence"]);
    }

    #[test]
    fn an_address_seen_only_in_a_search_asks_for_its_account_page() {
        let row = AccountRow {
            id: Some("4711".into()),
            show_url: Some("https://customers.gitlab.com/admin/customer/4711".into()),
            fields: vec![field("email", "Email", "string", "jdoe@example.com")],
        };
        let search = PageReading::CustomerSearch(AccountSearch {
            url: "https://customers.gitlab.com/admin/customer?query=jdoe%40example.com".into(),
            flavour: Flavour::RailsAdmin3,
            query: Some("jdoe@example.com".into()),
            rows: vec![row],
            total: Some(1),
            no_records: false,
            sort: None,
            page: None,
            columns: vec!["email".into()],
            columns_hidden: false,
        });
        let obs = from_reading(&search, now());
        assert_eq!(obs.len(), 2, "the row and the search itself");
        let d = diagnose("jdoe@example.com", &obs, now(), &Settings::default());
        assert_eq!(ids(&d), ["missing-evidence"]);
        assert_eq!(d.findings[0].steps[0].id, "admin-search");
    }

    #[test]
    fn another_address_observations_do_not_leak_in() {
        let unconfirmed = show_page(vec![field("email", "Email", "string", "a@example.com")]);
        let mut obs = from_reading(&unconfirmed, now());
        let confirmed = show_page(vec![
            field("email", "Email", "string", "b@example.com"),
            field(
                "confirmed_at",
                "Confirmed at",
                "datetime",
                "March 05, 2024 14:07",
            ),
        ]);
        obs.extend(from_reading(&confirmed, now()));
        let d = diagnose("a@example.com", &obs, now(), &Settings::default());
        assert_eq!(ids(&d), ["account-unconfirmed", "missing-evidence"]);
    }
}
