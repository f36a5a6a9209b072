//! Table tests of the diagnosis (native).

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
        field("uid", "Uid", "string", "9136542"),
        field("provider", "Provider", "string", "gitlab"),
    ]));
    assert_eq!(ids(&d), ["account-confirmed", "missing-evidence"]);
    assert_eq!(d.findings[0].evidence[0].value, "2024-03-05 14:07 UTC");
    assert!(d.findings.iter().all(|f| f.severity != Severity::Problem));
}

/// The current handbook's causes 4 and 5: a confirmed account with no `Uid` on its Show page
/// (absent: RailsAdmin's compact show view hides blank fields) is not linked to GitLab.com.
#[test]
fn a_confirmed_account_without_a_uid_is_unlinked() {
    let confirmed = || {
        field(
            "confirmed_at",
            "Confirmed at",
            "datetime",
            "March 05, 2024 14:07",
        )
    };
    let email = || field("email", "Email", "string", "jdoe@example.com");
    let d = run(&show_page(vec![confirmed(), email()]));
    assert_eq!(
        ids(&d),
        ["account-unlinked", "account-confirmed", "missing-evidence"]
    );
    let f = &d.findings[0];
    assert!(f.certain);
    assert_eq!(f.title, "Account is not linked to a GitLab.com account");
    assert_eq!(f.evidence[0].what, "“Uid” on the account page");
    assert_eq!(f.evidence[0].value, "absent (blank)");
    assert_eq!(
        step_ids(f),
        ["one-time-sign-in-link", "link-gitlab-com-account"]
    );
    assert_eq!(
        f.steps[1].url,
        "https://docs.gitlab.com/subscriptions/customers_portal/#link-a-gitlabcom-account"
    );
    let reply = f.reply.as_deref().unwrap();
    assert!(reply.contains("one-time sign-in link") && reply.contains("Link account"));
    assert!(d.verdict.text.starts_with("The account is not linked to GitLab.com: ask the customer to sign in with a one-time sign-in link"));
    assert_eq!(d.plan[0].step.id, "one-time-sign-in-link");

    // " - " (compact show view off) and a blank Provider beside it: the same, with both.
    let d = run(&show_page(vec![
        confirmed(),
        email(),
        field("uid", "Uid", "string", " - "),
        field("provider", "Provider", "string", " - "),
    ]));
    let f = &d.findings[0];
    assert_eq!(f.id, FindingId::AccountUnlinked);
    assert_eq!(
        f.evidence
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>(),
        ["blank", "blank"]
    );

    // Not confirmed: confirming comes first, no `account-unlinked`.
    let d = run(&show_page(vec![email()]));
    assert_eq!(ids(&d), ["account-unconfirmed", "missing-evidence"]);

    // The Edit form does not show `Uid`: nothing to claim.
    let d = run(&page(View::Edit, vec![confirmed(), email()]));
    assert!(!ids(&d).contains(&"account-unlinked"), "{:?}", ids(&d));
}

fn groups_tab(record_id: &str, namespaces: &[&str]) -> Observation {
    let groups = crate::core::account::GitLabGroups {
        url: format!("https://customers.gitlab.com/admin/customer/{record_id}/gitlab_groups"),
        record_id: record_id.into(),
        namespaces: namespaces
            .iter()
            .map(|n| crate::core::account::Namespace {
                name: (*n).into(),
                url: Some(format!("https://gitlab.com/{n}")),
            })
            .collect(),
        empty_text: namespaces
            .is_empty()
            .then(|| "No GitLab groups found".to_string()),
    };
    let obs = from_reading(&PageReading::CustomerGitLabGroups(groups), now());
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].key, format!("customer/{record_id}"));
    obs.into_iter().next().unwrap()
}

/// The GitLab Groups tab, found by the record id (it shows no address): namespaces listed
/// mean linked; none listed, with a blank `Uid`, is evidence too; an Edit form (no `Uid`)
/// and an empty tab is likely, the Show tab settles it.
#[test]
fn the_gitlab_groups_tab_says_whether_the_account_is_linked() {
    let confirmed = field(
        "confirmed_at",
        "Confirmed at",
        "datetime",
        "March 05, 2024 14:07",
    );
    let email = field("email", "Email", "string", "jdoe@example.com");
    let show = from_reading(&show_page(vec![confirmed.clone(), email.clone()]), now());
    // Linked by the tab, though the Show page shows no `Uid`.
    let mut obs = show.clone();
    obs.push(groups_tab("4711", &["jdoe", "doe-industries"]));
    let d = diagnose("jdoe@example.com", &obs, now(), &Settings::default());
    assert!(!ids(&d).contains(&"account-unlinked"), "{:?}", ids(&d));
    // Another record's tab says nothing about this one.
    let mut obs = show.clone();
    obs.push(groups_tab("9999", &["someone"]));
    let d = diagnose("jdoe@example.com", &obs, now(), &Settings::default());
    assert!(ids(&d).contains(&"account-unlinked"));
    // An empty tab beside the Show page: certain, both as evidence.
    let mut obs = show.clone();
    obs.push(groups_tab("4711", &[]));
    let d = diagnose("jdoe@example.com", &obs, now(), &Settings::default());
    let f = &d.findings[0];
    assert_eq!((f.id, f.certain), (FindingId::AccountUnlinked, true));
    assert_eq!(
        f.evidence[1].value,
        "no namespace listed (“No GitLab groups found”)"
    );
    // The Edit form and an empty tab: likely, and the Show tab is asked for.
    let mut obs = from_reading(&page(View::Edit, vec![confirmed, email]), now());
    obs.push(groups_tab("4711", &[]));
    let d = diagnose("jdoe@example.com", &obs, now(), &Settings::default());
    let f = &d.findings[0];
    assert_eq!((f.id, f.certain), (FindingId::AccountUnlinked, false));
    assert!(f.title.contains("likely"));
    let missing = d
        .findings
        .iter()
        .find(|f| f.id == "missing-evidence")
        .unwrap();
    assert!(missing.steps.iter().any(|s| s.id == "open-account-show"));
}

#[test]
fn unreadable_confirmed_at_still_counts_as_confirmed_but_is_flagged() {
    let d = run(&show_page(vec![
        field("email", "Email", "string", "jdoe@example.com"),
        field("confirmed_at", "Confirmed at", "datetime", "5 mars 2024"),
        field("uid", "Uid", "string", "9136542"),
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
    // The row's columns settle nothing (no "Confirmed at" column): its Show page does.
    assert_eq!(ids(&d), ["missing-evidence"]);
    assert_eq!(d.findings[0].steps[0].id, "open-account-show");
    assert_eq!(
        d.findings[0].steps[0].url,
        "https://customers.gitlab.com/admin/customer/4711"
    );
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

// ---------------------------------------------------------------------------------------------
// Scenarios across pages: account pages, admin searches and Mailgun logs.
// ---------------------------------------------------------------------------------------------

mod scenarios {
    use super::super::*;
    use crate::core::account::{AccountRow, FieldMatch, Flavour, View};
    use crate::core::email;
    use crate::core::mail::{
        DomainSource, EventSource, MailDomain, MailEvent, MailKind, MailSearch, Outcome,
        RangeShown, SuppressionList,
    };
    use crate::core::observation::Fact;

    pub const CD_LOGS: &str =
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs";
    pub const MG_LOGS: &str = "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs";
    pub const NEW_LOGS: &str = "https://app.mailgun.com/mg/reporting/logs";
    pub const ME: &str = "Jane.Doe@Example.com";

    pub fn now() -> UtcTime {
        UtcTime::from_civil(2026, 11, 23, 12, 0, 0)
    }

    pub fn at(month: u32, day: u32, hour: u32, min: u32) -> UtcTime {
        UtcTime::from_civil(2026, month, day, hour, min, 0)
    }

    pub fn observe(shown: &str, url: &str, seen_at: UtcTime, fact: Fact) -> Observation {
        Observation {
            key: email::normalise(shown).expect("an address"),
            shown: shown.into(),
            url: url.into(),
            seen_at,
            fact,
        }
    }

    fn field(name: &str, raw: &str) -> Field {
        let ty = match name {
            "sign_in_count" | "failed_attempts" => "integer",
            n if n.ends_with("_at") => "datetime",
            _ => "string",
        };
        let label = {
            let spaced = name.replace('_', " ");
            let mut c = spaced.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        };
        Field::from_page(
            name.into(),
            label,
            Some(ty.into()),
            raw.into(),
            FieldMatch::Class,
            0,
        )
    }

    /// An account Show page (recognised by its header) with these fields besides the email.
    pub fn account_view(addr: &str, id: &str, view: View, fields: &[(&str, &str)]) -> Observation {
        let url = format!("https://customers.gitlab.com/admin/customer/{id}");
        let mut all = vec![field("email", addr)];
        all.extend(fields.iter().map(|(n, v)| field(n, v)));
        observe(
            addr,
            &url,
            now(),
            Fact::AccountShown(AccountSnapshot {
                url: url.clone(),
                record_id: Some(id.into()),
                flavour: Flavour::RailsAdmin3,
                view,
                recognised_by: vec!["url".into(), "header".into()],
                fields: all,
            }),
        )
    }

    pub fn account(fields: &[(&str, &str)]) -> Observation {
        account_view(ME, "4711", View::Show, fields)
    }

    pub fn confirmed() -> (&'static str, &'static str) {
        ("confirmed_at", "March 05, 2024 14:07")
    }

    /// Linked to the GitLab.com user 9136542 (the CustomersDot `Uid`).
    pub fn linked() -> (&'static str, &'static str) {
        ("uid", "9136542")
    }

    pub fn listed(addr: &str, id: &str, query: &str) -> Observation {
        listed_with(addr, id, query, &[])
    }

    /// A search row with these columns besides the email.
    pub fn listed_with(addr: &str, id: &str, query: &str, columns: &[(&str, &str)]) -> Observation {
        let url = format!("https://customers.gitlab.com/admin/customer?query={query}");
        let mut fields = vec![field("email", addr)];
        fields.extend(columns.iter().map(|(n, v)| field(n, v)));
        observe(
            addr,
            &url,
            now(),
            Fact::AccountListed {
                row: AccountRow {
                    id: Some(id.into()),
                    show_url: Some(format!("https://customers.gitlab.com/admin/customer/{id}")),
                    fields,
                },
                query: Some(query.into()),
            },
        )
    }

    pub fn admin_searched(query: &str, rows: usize) -> Observation {
        observe(
            query,
            &format!("https://customers.gitlab.com/admin/customer?query={query}"),
            now(),
            Fact::AdminSearched {
                query: query.into(),
                rows,
                total: Some(rows as u64),
            },
        )
    }

    pub fn event(
        domain: MailDomain,
        kind: MailKind,
        outcome: Outcome,
        time: Option<UtcTime>,
    ) -> MailEvent {
        let known = domain.is_known();
        MailEvent {
            recipient: ME.into(),
            recipient_key: email::normalise(ME),
            domain,
            domain_source: known.then_some(DomainSource::Url),
            kind,
            outcome: outcome.clone(),
            subject: Some(match kind {
                MailKind::Confirmation => "Confirmation instructions".into(),
                _ => "Reset password instructions".into(),
            }),
            event_shown: outcome.label(),
            reason: None,
            severity: None,
            code: None,
            message: None,
            description: None,
            timestamp: time,
            time_shown: Some(time.map_or_else(|| "yesterday-ish".into(), |t| t.to_string())),
            time_basis: None,
            event_id: None,
            message_id: None,
            source: EventSource::Row,
        }
    }

    pub fn mail(e: MailEvent) -> Observation {
        let url = match e.domain {
            MailDomain::CustomersPortal => CD_LOGS,
            MailDomain::GitLabCom => MG_LOGS,
            _ => NEW_LOGS,
        };
        observe(&e.recipient.clone(), url, now(), Fact::MailEvent(e))
    }

    pub fn reset(domain: MailDomain, outcome: Outcome, time: UtcTime) -> Observation {
        mail(event(domain, MailKind::PasswordReset, outcome, Some(time)))
    }

    pub fn bounced(kind: MailKind, time: UtcTime) -> Observation {
        let mut e = event(
            MailDomain::CustomersPortal,
            kind,
            Outcome::Suppressed(SuppressionList::Bounce),
            Some(time),
        );
        e.event_shown = "Permanent Fail".into();
        e.code = Some("605".into());
        e.message = Some("Not delivering to previously bounced address".into());
        e.reason = Some("suppress-bounce".into());
        mail(e)
    }

    /// A Mailgun logs search for the address over "Last N days", seen at `seen`.
    pub fn searched_logs(domain: MailDomain, days: u32, seen: UtcTime) -> Observation {
        let url = match domain {
            MailDomain::CustomersPortal => CD_LOGS,
            _ => MG_LOGS,
        };
        observe(
            ME,
            url,
            seen,
            Fact::MailSearched(MailSearch {
                domain,
                query: Some(ME.into()),
                filters: Vec::new(),
                range: Some(RangeShown {
                    text: format!("Last {days} days"),
                    last_days: Some(days),
                    from: None,
                    to: None,
                }),
                rows_seen: 0,
                empty_text: Some("No events found".into()),
            }),
        )
    }

    pub fn run_all(obs: &[Observation]) -> Diagnosis {
        diagnose("jane.doe@example.com", obs, now(), &Settings::default())
    }

    pub fn summary(d: &Diagnosis) -> Vec<(&str, bool)> {
        d.findings
            .iter()
            .map(|f| (f.id.as_str(), f.certain))
            .collect()
    }

    pub fn find<'a>(d: &'a Diagnosis, id: &str) -> &'a Finding {
        d.findings
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no {id} in {:?}", summary(d)))
    }

    pub fn steps(f: &Finding) -> Vec<&str> {
        f.steps.iter().map(|s| s.id.as_str()).collect()
    }
}

use crate::core::mail::{MailDomain, MailKind, Outcome, SuppressionList};
use scenarios::*;

const CD: MailDomain = MailDomain::CustomersPortal;
const MG: MailDomain = MailDomain::GitLabCom;

/// (name, observations, expected (id, certain) in order, expected missing-evidence steps,
/// expected plan: every step once, ordered by what blocks what)
type Scenario = (
    &'static str,
    Vec<Observation>,
    Vec<(&'static str, bool)>,
    Vec<&'static str>,
    Vec<&'static str>,
);

#[test]
fn scenario_table() {
    let cd_covered = || searched_logs(CD, 30, now());
    let mg_covered = || searched_logs(MG, 30, now());
    let mg_reset = || reset(MG, Outcome::Delivered, at(11, 22, 9, 14));
    // (name, observations, expected (id, certain) in order, expected missing-evidence steps,
    // expected plan)
    let table: Vec<Scenario> = vec![
        (
            "GitLab.com reset, Customers Portal logs never checked: likely",
            vec![mg_reset()],
            vec![
                ("reset-requested-on-gitlab-com", false),
                ("missing-evidence", true),
            ],
            vec!["admin-search", "mailgun-logs-customers.gitlab.com"],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "admin-search",
                "mailgun-logs-customers.gitlab.com",
            ],
        ),
        (
            "GitLab.com reset, Customers Portal searched over the window: certain",
            vec![mg_reset(), cd_covered(), account(&[confirmed(), linked()])],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec!["one-time-sign-in-link", "sign-in-with-gitlab-com"],
        ),
        (
            "unconfirmed account + reset requested on GitLab.com",
            vec![mg_reset(), cd_covered(), account(&[])],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("account-unconfirmed", true),
            ],
            vec![],
            vec!["resend-confirmation", "one-time-sign-in-link"],
        ),
        (
            "Customers Portal searched only 7 days: GitLab.com reset stays likely",
            vec![
                mg_reset(),
                searched_logs(CD, 7, now()),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("reset-requested-on-gitlab-com", false),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-customers.gitlab.com"],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "mailgun-logs-customers.gitlab.com",
            ],
        ),
        (
            "a stale search (three days old) does not cover the window",
            vec![
                mg_reset(),
                searched_logs(CD, 30, at(11, 20, 12, 0)),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("reset-requested-on-gitlab-com", false),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-customers.gitlab.com"],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "mailgun-logs-customers.gitlab.com",
            ],
        ),
        (
            "latest wins: a Customers Portal reset after the GitLab.com one clears it",
            vec![
                reset(MG, Outcome::Delivered, at(11, 20, 8, 0)),
                reset(CD, Outcome::Accepted, at(11, 22, 9, 14)),
                reset(CD, Outcome::Delivered, at(11, 22, 9, 14)),
                account(&[confirmed(), linked()]),
            ],
            vec![("reset-email-delivered", true), ("account-confirmed", true)],
            vec![],
            vec![],
        ),
        (
            "latest wins the other way: GitLab.com after the Customers Portal",
            vec![
                reset(CD, Outcome::Delivered, at(11, 20, 8, 0)),
                reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
                cd_covered(),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("reset-email-delivered", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec!["one-time-sign-in-link", "sign-in-with-gitlab-com"],
        ),
        (
            "a reset outside the window is ignored: no reset email",
            vec![
                reset(MG, Outcome::Delivered, at(9, 1, 10, 0)),
                cd_covered(),
                mg_covered(),
                account(&[confirmed(), linked()]),
            ],
            vec![("no-reset-email", true), ("account-confirmed", true)],
            vec![],
            vec!["one-time-sign-in-link", "sign-in-with-gitlab-com"],
        ),
        (
            "no reset email, one domain only read: likely",
            vec![
                searched_logs(CD, 7, now()),
                mail(scenarios::event(
                    MG,
                    MailKind::Other,
                    Outcome::Delivered,
                    Some(at(11, 21, 8, 0)),
                )),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("no-reset-email", false),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "only one domain checked: no claim about reset mail",
            vec![cd_covered(), account(&[confirmed(), linked()])],
            vec![("account-confirmed", true), ("missing-evidence", true)],
            vec!["mailgun-logs-mg.gitlab.com"],
            vec!["mailgun-logs-mg.gitlab.com"],
        ),
        (
            "Customers Portal reset suppressed: undelivered + address suppressed",
            vec![
                bounced(MailKind::PasswordReset, at(11, 22, 9, 14)),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("reset-email-undelivered", true),
                ("address-suppressed", true),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-mg.gitlab.com"],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "one-time-sign-in-link",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "suppressed confirmation on an unconfirmed account",
            vec![
                bounced(MailKind::Confirmation, at(11, 19, 16, 42)),
                account(&[]),
            ],
            vec![
                ("address-suppressed", true),
                ("account-unconfirmed", true),
                ("email-unconfirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-mg.gitlab.com"],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "resend-confirmation",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "a delivery after the suppression means the entry was removed",
            vec![
                bounced(MailKind::Confirmation, at(11, 19, 16, 42)),
                mail(scenarios::event(
                    CD,
                    MailKind::Confirmation,
                    Outcome::Delivered,
                    Some(at(11, 21, 10, 0)),
                )),
                account(&[confirmed(), linked()]),
                mg_covered(),
            ],
            vec![
                ("no-reset-email", false),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-customers.gitlab.com"],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "mailgun-logs-customers.gitlab.com",
            ],
        ),
        (
            "pending email change",
            vec![
                account(&[
                    confirmed(),
                    linked(),
                    ("unconfirmed_email", "jane@new-example.com"),
                ]),
                cd_covered(),
                mg_covered(),
            ],
            vec![
                ("no-reset-email", true),
                ("email-unconfirmed", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec![
                "resend-confirmation",
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
            ],
        ),
        (
            "locked at set",
            vec![
                account(&[
                    confirmed(),
                    linked(),
                    ("locked_at", "November 22, 2026 10:00"),
                    ("failed_attempts", "10"),
                ]),
                mg_reset(),
                cd_covered(),
            ],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("account-locked", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec![
                "open-account-show",
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
            ],
        ),
        (
            "failed attempts at the threshold, locked at blank: likely locked",
            vec![
                account(&[confirmed(), linked(), ("failed_attempts", "12")]),
                cd_covered(),
                mg_covered(),
            ],
            vec![
                ("no-reset-email", true),
                ("account-locked", false),
                ("account-confirmed", true),
            ],
            vec![],
            vec![
                "open-account-show",
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
            ],
        ),
        (
            "failed attempts below the threshold: not locked",
            vec![
                account(&[confirmed(), linked(), ("failed_attempts", "9")]),
                cd_covered(),
                mg_covered(),
            ],
            vec![("no-reset-email", true), ("account-confirmed", true)],
            vec![],
            vec!["one-time-sign-in-link", "sign-in-with-gitlab-com"],
        ),
        (
            "unknown-domain events are never domain evidence",
            vec![mail(scenarios::event(
                MailDomain::Unknown,
                MailKind::PasswordReset,
                Outcome::Delivered,
                Some(at(11, 22, 9, 14)),
            ))],
            vec![("unplaced-mail-events", true), ("missing-evidence", true)],
            vec![
                "admin-search",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
            vec![
                "admin-search",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "another domain's reset counts for neither site",
            vec![
                mail(scenarios::event(
                    MailDomain::Other("email.mg.gitlab.com".into()),
                    MailKind::PasswordReset,
                    Outcome::Delivered,
                    Some(at(11, 22, 9, 14)),
                )),
                cd_covered(),
                mg_covered(),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("no-reset-email", true),
                ("unplaced-mail-events", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec!["one-time-sign-in-link", "sign-in-with-gitlab-com"],
        ),
        (
            "an undated GitLab.com reset is not ordered by guess",
            vec![
                mail(scenarios::event(
                    MG,
                    MailKind::PasswordReset,
                    Outcome::Delivered,
                    None,
                )),
                cd_covered(),
                account(&[confirmed(), linked()]),
            ],
            vec![("unplaced-mail-events", true), ("account-confirmed", true)],
            vec![],
            vec![],
        ),
        (
            "an undated Customers Portal reset could be later: GitLab.com reset only likely",
            vec![
                mg_reset(),
                mail(scenarios::event(
                    CD,
                    MailKind::PasswordReset,
                    Outcome::Delivered,
                    None,
                )),
                cd_covered(),
                account(&[confirmed(), linked()]),
            ],
            vec![
                ("reset-requested-on-gitlab-com", false),
                ("unplaced-mail-events", true),
                ("account-confirmed", true),
                ("missing-evidence", true),
            ],
            vec!["mailgun-logs-customers.gitlab.com"],
            vec![
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "mailgun-logs-customers.gitlab.com",
            ],
        ),
        (
            "a temporary failure retried and delivered in the same minute: delivered",
            vec![
                reset(CD, Outcome::TemporaryFailure, at(11, 22, 9, 14)),
                reset(CD, Outcome::Delivered, at(11, 22, 9, 14)),
                account(&[confirmed(), linked()]),
                mg_covered(),
            ],
            vec![("reset-email-delivered", true), ("account-confirmed", true)],
            vec![],
            vec![],
        ),
        (
            "Reset password sent at in the window: the Customers Portal sent one",
            vec![
                account(&[
                    confirmed(),
                    linked(),
                    ("reset_password_sent_at", "November 22, 2026 10:00"),
                ]),
                mg_reset(),
                cd_covered(),
                mg_covered(),
            ],
            vec![("account-confirmed", true)],
            vec![],
            vec![],
        ),
        (
            "three problems: suppression, then confirmation, then the reset",
            vec![
                mg_reset(),
                bounced(MailKind::Confirmation, at(11, 19, 16, 42)),
                cd_covered(),
                account(&[]),
            ],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("address-suppressed", true),
                ("account-unconfirmed", true),
                ("email-unconfirmed", true),
            ],
            vec![],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "resend-confirmation",
                "one-time-sign-in-link",
            ],
        ),
        (
            "locked and unconfirmed: the confirmation before the unlock, the reset last",
            vec![
                account(&[("locked_at", "November 22, 2026 10:00")]),
                mg_reset(),
                cd_covered(),
            ],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("account-unconfirmed", true),
                ("account-locked", true),
            ],
            vec![],
            vec![
                "resend-confirmation",
                "open-account-show",
                "one-time-sign-in-link",
            ],
        ),
        (
            "a search row with a blank Confirmed at column: unconfirmed, the Show tab for the rest",
            vec![
                listed_with(ME, "4711", ME, &[("confirmed_at", " - ")]),
                admin_searched(ME, 1),
                cd_covered(),
                mg_covered(),
            ],
            vec![
                ("no-reset-email", true),
                ("account-unconfirmed", true),
                ("missing-evidence", true),
            ],
            vec!["open-account-show"],
            vec![
                "resend-confirmation",
                "one-time-sign-in-link",
                "sign-in-with-gitlab-com",
                "open-account-show",
            ],
        ),
        (
            "a search row without the Confirmed at column settles nothing",
            vec![listed_with(ME, "4711", ME, &[("sign_in_count", "3")])],
            vec![("missing-evidence", true)],
            vec![
                "open-account-show",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
            vec![
                "open-account-show",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "an exact search whose rows hold other addresses: no account, the rows as candidates",
            vec![
                admin_searched(ME, 1),
                listed("jane.doe@example.com.au", "77", ME),
            ],
            vec![
                ("no-account", true),
                ("similar-accounts", true),
                ("missing-evidence", true),
            ],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
            vec![
                "admin-search-local-part",
                "candidate-77",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "similar accounts + no account",
            vec![
                admin_searched("jane.doe@example.com", 0),
                listed("jane_doe@example.com", "12", "doe"),
                listed("jane.doe@exmaple.com", "13", "doe"),
                listed("john.roe@example.com", "14", "doe"),
            ],
            vec![
                ("no-account", true),
                ("similar-accounts", true),
                ("missing-evidence", true),
            ],
            vec![
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
            vec![
                "admin-search-local-part",
                "candidate-12",
                "candidate-13",
                "mailgun-logs-customers.gitlab.com",
                "mailgun-logs-mg.gitlab.com",
            ],
        ),
        (
            "GitLab.com reset to a confirmed account not linked to GitLab.com: one-time link, \
             then link it; no GitLab.com sign-in",
            vec![mg_reset(), cd_covered(), account(&[confirmed()])],
            vec![
                ("reset-requested-on-gitlab-com", true),
                ("account-unlinked", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec!["one-time-sign-in-link", "link-gitlab-com-account"],
        ),
        (
            "a confirmed, unlinked account whose pages say nothing else",
            vec![
                cd_covered(),
                mg_covered(),
                account(&[confirmed(), ("uid", " - ")]),
            ],
            vec![
                ("no-reset-email", true),
                ("account-unlinked", true),
                ("account-confirmed", true),
            ],
            vec![],
            vec!["one-time-sign-in-link", "link-gitlab-com-account"],
        ),
    ];
    for (name, obs, want, missing, plan) in table {
        let d = run_all(&obs);
        let got_plan: Vec<&str> = d.plan.iter().map(|p| p.step.id.as_str()).collect();
        assert_eq!(got_plan, plan, "{name}: the plan's order");
        // The verdict's link is the plan's first step of the first finding it names.
        if let Some(step) = &d.verdict.step {
            assert!(
                d.plan.iter().any(|p| p.step == *step),
                "{name}: verdict step in the plan"
            );
        }
        assert!(!d.verdict.text.is_empty(), "{name}: a verdict");
        assert_eq!(summary(&d), want, "{name}");
        let got_missing = d
            .findings
            .iter()
            .find(|f| f.id == "missing-evidence")
            .map(|f| steps(f))
            .unwrap_or_default();
        assert_eq!(got_missing, missing, "{name}: missing-evidence steps");
        for f in &d.findings {
            assert_eq!(
                f.certain,
                !f.title.to_lowercase().contains("likely"),
                "{name}: {} title “{}” matches its certainty",
                f.id,
                f.title
            );
            if f.severity == Severity::Problem {
                let reply_expected = f.certain || f.id != "no-reset-email";
                assert_eq!(f.reply.is_some(), reply_expected, "{name}: {} reply", f.id);
            }
            if let Some(reply) = &f.reply {
                assert!(
                    reply.contains(&d.subject.shown),
                    "{name}: {} reply names the address",
                    f.id
                );
            }
        }
    }
}

#[test]
fn likely_gitlab_com_reset_names_the_unchecked_logs_and_its_evidence() {
    let d = run_all(&[reset(MG, Outcome::Delivered, at(11, 22, 9, 14))]);
    let f = find(&d, "reset-requested-on-gitlab-com");
    assert!(f
        .title
        .starts_with("Password reset was likely requested on GitLab.com"));
    assert!(f
        .explanation
        .contains("customers.gitlab.com's logs were not searched"));
    assert_eq!(f.evidence.len(), 1);
    assert_eq!(f.evidence[0].source, MG_LOGS);
    assert!(f.evidence[0]
        .value
        .starts_with("2026-11-22 09:14 UTC · mg.gitlab.com"));
    // Today's ways back in (no account page seen: whether it is linked is not known).
    assert_eq!(
        steps(f),
        ["one-time-sign-in-link", "sign-in-with-gitlab-com"]
    );
    assert_eq!(
        f.steps[0].url,
        "https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal"
    );
    assert!(f.steps[0].label.starts_with("One-time sign-in link"));
    assert_eq!(
        f.steps[1].url,
        "https://customers.gitlab.com/customers/sign_in"
    );
    let reply = f.reply.as_deref().unwrap();
    assert!(reply.contains("GitLab.com password only") && reply.contains("one-time sign-in link"));
    assert!(reply.contains("#sign-in-to-customers-portal"));
    let missing = find(&d, "missing-evidence");
    assert_eq!(
        missing.steps[1].url,
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs"
    );
    assert!(missing.steps[1].label.contains(ME));
}

#[test]
fn undelivered_reset_quotes_mailgun_verbatim() {
    let d = run_all(&[bounced(MailKind::PasswordReset, at(11, 22, 9, 14))]);
    let f = find(&d, "reset-email-undelivered");
    assert_eq!(
        f.title,
        "Customers Portal reset email was suppressed (bounce list)"
    );
    for verbatim in [
        "code 605",
        "“Not delivering to previously bounced address”",
        "suppress-bounce",
    ] {
        assert!(
            f.explanation.contains(verbatim),
            "{verbatim} in {}",
            f.explanation
        );
    }
    assert_eq!(f.evidence[0].source, CD_LOGS);
    assert!(f.evidence[0]
        .value
        .contains("605 Not delivering to previously bounced address"));
    assert_eq!(
        steps(f),
        ["mailgun-logs-customers.gitlab.com", "one-time-sign-in-link"]
    );
    let s = find(&d, "address-suppressed");
    assert!(s
        .explanation
        .contains("bounce list as of 2026-11-22 09:14 UTC"));
    assert_eq!(steps(s), ["mailgun-logs-customers.gitlab.com"]);
}

#[test]
fn delivered_reset_then_sign_in() {
    let delivered = || reset(CD, Outcome::Delivered, at(11, 22, 9, 14));
    let after = run_all(&[
        delivered(),
        account(&[
            confirmed(),
            linked(),
            ("current_sign_in_at", "November 22, 2026 09:30"),
        ]),
    ]);
    let f = find(&after, "reset-email-delivered");
    assert!(f
        .explanation
        .contains("signed in after it, at 2026-11-22 09:30 UTC"));
    assert_eq!(f.evidence.len(), 2);
    assert_eq!(
        f.evidence[1].what,
        "“Current sign in at” on the account page"
    );
    assert!(f.steps.is_empty());

    let not_since = run_all(&[
        delivered(),
        account(&[
            confirmed(),
            linked(),
            ("last_sign_in_at", "March 06, 2024 10:00"),
        ]),
    ]);
    let f = find(&not_since, "reset-email-delivered");
    assert!(f.explanation.contains("has not signed in since"));
    assert_eq!(steps(f), ["one-time-sign-in-link"]);
    // Current sign in at is absent on a Show page: blank, said so.
    assert!(f.evidence.iter().any(|e| e.value == "absent (blank)"));

    let mut early = account(&[confirmed(), linked()]);
    early.seen_at = at(11, 22, 8, 0);
    let unknown = run_all(&[delivered(), early]);
    let f = find(&unknown, "reset-email-delivered");
    assert!(f.explanation.contains("before that: open it again"));
    assert_eq!(
        steps(find(&unknown, "missing-evidence"))[0],
        "open-account-show"
    );
}

#[test]
fn similar_accounts_are_ranked_with_links() {
    let d = run_all(&[
        admin_searched("jane.doe@example.com", 0),
        listed("jane.doe@exmaple.com", "13", "doe"),
        listed("jane_doe@example.com", "12", "doe"),
        listed("john.roe@example.com", "14", "doe"),
        listed("jane.doe+billing@example.com", "15", "doe"),
    ]);
    let f = find(&d, "similar-accounts");
    // Same name first (ties by address), then the domain typo; john.roe is not alike.
    assert_eq!(steps(f), ["candidate-15", "candidate-12", "candidate-13"]);
    assert_eq!(
        f.steps[1].url,
        "https://customers.gitlab.com/admin/customer/12"
    );
    assert_eq!(f.evidence[0].value, "a different +tag");
    assert_eq!(f.evidence[1].value, "other separators in the name");
    assert!(f.evidence[2].value.contains("typo in the domain"));
    assert!(
        !f.reply.as_deref().unwrap().contains("jane_doe"),
        "no other address disclosed"
    );
    let n = find(&d, "no-account");
    assert_eq!(n.evidence[0].value, "no records found (total 0)");
    assert_eq!(steps(n), ["admin-search-local-part"]);
    assert_eq!(
        n.steps[0].url,
        "https://customers.gitlab.com/admin/customer?query=jane.doe"
    );
}

#[test]
fn another_record_under_the_same_address_in_other_case() {
    let d = run_all(&[
        account(&[confirmed(), linked()]),
        listed("JANE.DOE@example.com", "99", "jane"),
        listed(ME, "4711", "jane"),
    ]);
    let f = find(&d, "similar-accounts");
    assert_eq!(steps(f), ["candidate-99"]);
    assert!(f.evidence[0].value.contains("other case"));
}

#[test]
fn an_admin_search_that_found_rows_is_not_no_account() {
    let d = run_all(&[admin_searched("jane.doe@example.com", 0), {
        let mut later = admin_searched("jane.doe@example.com", 1);
        later.seen_at = at(11, 23, 12, 5);
        later
    }]);
    assert!(d.findings.iter().all(|f| f.id != "no-account"));
}

#[test]
fn the_window_is_a_setting() {
    let obs = [
        reset(MG, Outcome::Delivered, at(10, 1, 10, 0)),
        searched_logs(CD, 90, now()),
        searched_logs(MG, 90, now()),
        account(&[confirmed(), linked()]),
    ];
    let key = "jane.doe@example.com";
    let d = diagnose(key, &obs, now(), &Settings::default());
    assert_eq!(d.findings[0].id, "no-reset-email");
    let wide = Settings {
        reset_window_days: 60,
        ..Settings::default()
    };
    let d = diagnose(key, &obs, now(), &wide);
    assert_eq!(d.findings[0].id, "reset-requested-on-gitlab-com");
    assert!(d.findings[0].certain);
}

#[test]
fn attempts_on_the_edit_form_are_likely_locked_and_ask_for_the_show_tab() {
    let d = run_all(&[account_view(
        ME,
        "4711",
        crate::core::account::View::Edit,
        &[confirmed(), linked(), ("failed_attempts", "10")],
    )]);
    let f = find(&d, "account-locked");
    assert!(!f.certain && f.title == "Account is likely locked");
    assert!(steps(find(&d, "missing-evidence")).contains(&"open-account-show"));
}

#[test]
fn confirmation_bounced_to_the_pending_address_counts() {
    let mut pending = scenarios::event(
        CD,
        MailKind::Confirmation,
        Outcome::PermanentFailure,
        Some(at(11, 21, 10, 0)),
    );
    pending.recipient = "jane@new-example.com".into();
    pending.recipient_key = Some("jane@new-example.com".into());
    pending.message =
        Some("550 5.1.1 The email account that you tried to reach does not exist".into());
    let d = run_all(&[
        account(&[
            confirmed(),
            linked(),
            ("unconfirmed_email", "jane@new-example.com"),
        ]),
        mail(pending),
    ]);
    let f = find(&d, "email-unconfirmed");
    assert_eq!(f.evidence.len(), 2);
    assert!(f
        .explanation
        .contains("“550 5.1.1 The email account that you tried to reach does not exist”"));
    assert_eq!(steps(f), ["resend-confirmation"]);
}

fn suppression_check(
    list: SuppressionList,
    entry: Option<crate::core::mail::SuppressionEntry>,
    seen: UtcTime,
) -> Observation {
    scenarios::observe(
        ME,
        "https://api.mailgun.net/v3/customers.gitlab.com/bounces/jane.doe%40example.com",
        seen,
        Fact::SuppressionChecked(crate::core::mail::SuppressionCheck {
            domain: MailDomain::CustomersPortal,
            list,
            entry,
        }),
    )
}

#[test]
fn a_suppressions_api_entry_is_certain_without_any_event() {
    let entry = crate::core::mail::SuppressionEntry {
        code: Some("550".into()),
        error: Some("5.1.1 No such mailbox".into()),
        created_at: Some(at(11, 20, 8, 0)),
        created_shown: Some("Fri, 20 Nov 2026 08:00:00 UTC".into()),
    };
    let d = run_all(&[
        suppression_check(SuppressionList::Bounce, Some(entry), now()),
        suppression_check(SuppressionList::Complaint, None, now()),
    ]);
    let f = find(&d, "address-suppressed");
    assert!(f.certain, "{:?}", summary(&d));
    assert!(f
        .explanation
        .contains("on the bounce list (Mailgun's Suppressions API)"));
    assert_eq!(f.evidence.len(), 1);
    assert_eq!(
        f.evidence[0].value,
        "on the list since 2026-11-20 08:00 UTC · code 550 · “5.1.1 No such mailbox”"
    );
    assert_eq!(steps(f), ["mailgun-logs-customers.gitlab.com"]);
}

#[test]
fn a_clear_check_after_a_suppression_event_means_the_entry_was_removed() {
    let event = bounced(MailKind::PasswordReset, at(11, 22, 9, 14));
    let cleared = run_all(&[
        event.clone(),
        suppression_check(SuppressionList::Bounce, None, at(11, 23, 10, 0)),
    ]);
    assert!(
        !ids(&cleared).contains(&"address-suppressed"),
        "{:?}",
        summary(&cleared)
    );
    // A check of another list, or one made before the event, does not clear it.
    for check in [
        suppression_check(SuppressionList::Complaint, None, at(11, 23, 10, 0)),
        suppression_check(SuppressionList::Bounce, None, at(11, 21, 10, 0)),
    ] {
        let d = run_all(&[event.clone(), check]);
        assert!(find(&d, "address-suppressed").certain);
    }
}

#[test]
fn the_subject_is_shown_as_the_account_page_shows_it() {
    // A search row in another case, seen at the same moment or later, does not rename it.
    let d = run_all(&[
        account(&[confirmed(), linked()]),
        scenarios::listed("JANE.DOE@example.com", "4698", "jane"),
    ]);
    assert_eq!(d.subject.shown, ME);
}

#[test]
fn the_verdict_names_every_problem_and_the_first_thing_to_do() {
    let d = run_all(&[
        reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
        bounced(MailKind::Confirmation, at(11, 19, 16, 42)),
        searched_logs(CD, 30, now()),
        account(&[]),
    ]);
    assert_eq!(
        d.verdict.text,
        "The address is on a Mailgun suppression list; the account is not confirmed, the email \
         address is not confirmed, and reset was done on GitLab.com: first remove it in Mailgun"
    );
    assert_eq!(
        d.verdict.step.as_ref().map(|s| s.id.as_str()),
        Some("mailgun-logs-customers.gitlab.com")
    );
    let labels: Vec<&str> = d.plan.iter().map(|p| p.step.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Remove the address from the suppression list of customers.gitlab.com in Mailgun",
            "Resend the confirmation email",
            "Ask the customer to sign in with a one-time sign-in link (“Sign in with your email” \
             on the sign-in page)",
        ]
    );
    // One confirmation step for both confirmation findings.
    assert_eq!(d.plan[1].finding, "account-unconfirmed");
    let one = run_all(&[
        reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
        searched_logs(CD, 30, now()),
        account(&[confirmed(), linked()]),
    ]);
    assert_eq!(
        one.verdict.text,
        "Reset was done on GitLab.com: ask the customer to sign in with a one-time sign-in link"
    );
}

/// The current handbook: no step or reply of any finding sends a Customers Portal password
/// reset; cause 1's answer names the one-time sign-in link in those words, with the docs.
#[test]
fn no_step_or_reply_sends_a_password_reset() {
    let mut obs = vec![
        reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
        reset(CD, Outcome::Delivered, at(11, 20, 9, 14)),
        bounced(MailKind::PasswordReset, at(11, 21, 9, 14)),
        bounced(MailKind::Confirmation, at(11, 19, 16, 42)),
        searched_logs(CD, 30, now()),
        searched_logs(MG, 30, now()),
        account(&[("locked_at", "November 22, 2026 14:31")]),
    ];
    obs.push(admin_searched("nobody@example.com", 0));
    let mut seen = 0;
    for key in ["jane.doe@example.com", "nobody@example.com"] {
        let d = diagnose(key, &obs, now(), &Settings::default());
        for f in &d.findings {
            seen += 1;
            for s in &f.steps {
                assert!(!s.url.contains("/password"), "{}: {}", f.id, s.url);
                assert!(
                    !s.label.to_lowercase().contains("password reset"),
                    "{}",
                    s.label
                );
            }
            if let Some(reply) = &f.reply {
                assert!(!reply.contains("/password"), "{}: {reply}", f.id);
                assert!(!reply.contains("password reset link"), "{}: {reply}", f.id);
                assert!(!reply.contains("request a new reset"), "{}: {reply}", f.id);
            }
        }
        for p in &d.plan {
            assert!(!p.step.label.contains("password reset"), "{}", p.step.label);
        }
    }
    assert!(seen >= 6, "the scenario has findings to check");
    let cause_1 = run_all(&[
        reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
        searched_logs(CD, 30, now()),
    ]);
    let f = find(&cause_1, "reset-requested-on-gitlab-com");
    assert!(f
        .reply
        .as_deref()
        .unwrap()
        .contains("one-time sign-in link"));
    assert!(cause_1.verdict.text.contains("one-time sign-in link"));
    assert_eq!(
        cause_1.verdict.step.as_ref().map(|s| s.url.as_str()),
        Some("https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal")
    );
}

// ---------------------------------------------------------------------------------------------
// GitLab.com as a third source: the address's account, the linked one (`Uid`), a search.
// ---------------------------------------------------------------------------------------------

mod gitlab_com {
    use super::scenarios::*;
    use super::{CD, MG};
    use crate::core::diagnosis::{Diagnosis, Observation, Severity};
    use crate::core::gitlab_com::{GitLabUser, Shown, Surface, UserEmail, UserState};
    use crate::core::mail::{MailKind, Outcome, SuppressionList};
    use crate::core::observation::Fact;

    pub fn user(id: u64, username: &str, primary: &str) -> GitLabUser {
        let mut u = GitLabUser::new(Surface::AdminPage);
        u.id = Some(id);
        u.username = Some(username.into());
        u.name = Some("Jane Doe".into());
        u.emails = vec![UserEmail {
            address: primary.into(),
            primary: true,
            confirmed: Some(true),
        }];
        u.confirmed = Some(true);
        u.state = Some(UserState::Active);
        u.locked = Some(false);
        u.last_sign_in_at = Some(Shown {
            raw: "Nov 20, 2026 9:58am".into(),
            time: Some(at(11, 20, 9, 58)),
        });
        u
    }

    pub fn seen(u: GitLabUser) -> Observation {
        let url = format!(
            "https://gitlab.com/admin/users/{}",
            u.username.clone().unwrap_or_default()
        );
        let primary = u.primary_email().unwrap_or_default().to_string();
        observe(&primary, &url, now(), Fact::GitLabComUser(u))
    }

    /// A GitLab.com admin search for `query` showing these rows.
    pub fn searched(query: &str, rows: Vec<GitLabUser>) -> Vec<Observation> {
        let url = format!("https://gitlab.com/admin/users?search_query={query}");
        let mut out: Vec<Observation> = rows
            .into_iter()
            .map(|mut u| {
                u.surface = Surface::AdminSearch;
                let primary = u.primary_email().unwrap_or_default().to_string();
                observe(&primary, &url, now(), Fact::GitLabComUser(u))
            })
            .collect();
        let users = out.len();
        out.push(observe(
            query,
            &url,
            now(),
            Fact::GitLabComSearched {
                query: query.into(),
                users,
            },
        ));
        out
    }

    fn ids(d: &Diagnosis) -> Vec<&str> {
        d.findings.iter().map(|f| f.id.as_str()).collect()
    }

    fn plan(d: &Diagnosis) -> Vec<&str> {
        d.plan.iter().map(|p| p.step.id.as_str()).collect()
    }

    /// Current cause 6: the `Uid` names a GitLab.com user with another primary address.
    #[test]
    fn linked_account_with_another_email() {
        let d = run_all(&[
            account(&[confirmed(), ("uid", "11873402")]),
            seen(user(11873402, "dokafor", "daniel@okafor-studio.example")),
        ]);
        assert_eq!(
            ids(&d),
            [
                "linked-account-email-differs",
                "gitlab-com-account",
                "account-confirmed",
                "missing-evidence"
            ]
        );
        let f = find(&d, "linked-account-email-differs");
        assert!(f.certain);
        assert_eq!(
            f.evidence
                .iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>(),
            ["11873402", "daniel@okafor-studio.example"]
        );
        assert!(
            f.explanation.contains(ME) && f.explanation.contains("daniel@okafor-studio.example")
        );
        assert_eq!(
            steps(f),
            [
                "change-linked-account",
                "edit-account-email",
                "gitlab-com-admin-user"
            ]
        );
        assert_eq!(
            f.steps[1].url,
            "https://customers.gitlab.com/admin/customer/4711/edit"
        );
        // The reply names the customer's own address, never the other account's.
        let reply = f.reply.as_deref().unwrap();
        assert!(reply.contains("Change linked account"));
        assert!(!reply.contains("daniel@okafor-studio.example"));
        assert!(d
            .verdict
            .text
            .starts_with("The account is linked to a GitLab.com account with another email address: change the linked GitLab.com account, or the Customers Portal email"));
        let info = find(&d, "gitlab-com-account");
        assert_eq!(
            info.title,
            "GitLab.com account @dokafor (#11873402): active"
        );
        assert!(info
            .explanation
            .contains("is linked to the GitLab.com account"));
        // The same address on both sides: nothing to say but the information.
        let same = run_all(&[
            account(&[confirmed(), ("uid", "11873402")]),
            seen(user(11873402, "jdoe", "jane.doe@example.com")),
        ]);
        assert!(!ids(&same).contains(&"linked-account-email-differs"));
        assert!(find(&same, "gitlab-com-account")
            .explanation
            .contains("It is the account the Customers Portal account is linked to."));
    }

    /// The account is blocked, banned or locked on GitLab.com: said which, and first checked.
    #[test]
    fn a_gitlab_com_account_that_cannot_sign_in() {
        let mut banned = user(42, "jdoe", ME);
        banned.state = Some(UserState::Banned);
        banned.badges = vec!["Banned".into()];
        let d = run_all(&[
            account(&[confirmed(), linked()]),
            seen(banned),
            reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
            searched_logs(CD, 30, now()),
        ]);
        let f = find(&d, "gitlab-com-account-locked");
        assert_eq!(f.title, "GitLab.com account is banned");
        assert!(f
            .explanation
            .contains("is banned: it cannot sign in to GitLab.com"));
        assert_eq!(steps(f), ["gitlab-com-admin-user", "one-time-sign-in-link"]);
        assert_eq!(f.steps[0].url, "https://gitlab.com/admin/users/jdoe");
        // Signing in with GitLab.com cannot work: not offered.
        assert_eq!(plan(&d), ["gitlab-com-admin-user", "one-time-sign-in-link"]);
        assert!(d.plan[0]
            .step
            .label
            .starts_with("Check why the GitLab.com account cannot sign in"));
        let mut locked = user(42, "jdoe", ME);
        locked.locked = Some(true);
        let d = run_all(&[seen(locked)]);
        let f = find(&d, "gitlab-com-account-locked");
        assert_eq!(
            f.title,
            "GitLab.com account is locked (too many failed sign-ins)"
        );
        assert!(f.explanation.contains("ends by itself"));
    }

    /// Cause 3 on GitLab.com: the search for exactly the address found no user (certain), or
    /// only users by name (likely: one may hold it as a confirmed secondary), listed.
    #[test]
    fn no_gitlab_com_account_lists_the_similar_users() {
        let d = run_all(&searched(ME, Vec::new()));
        let f = find(&d, "no-gitlab-com-account");
        assert!(f.certain);
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.evidence[0].value, "no user found");

        let mut namesake = user(7, "jane.doe", "jane.doe@example.co.uk");
        namesake.state = Some(UserState::Deactivated);
        let obs = searched(ME, vec![namesake, user(8, "jdoe2", "jd@mailbox.example")]);
        let d = run_all(&obs);
        let f = find(&d, "no-gitlab-com-account");
        assert!(!f.certain);
        assert!(f.title.contains("Likely"));
        let listed: Vec<&str> = f.evidence.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(
            listed,
            [
                "2 users by name or username, none with this address as its primary email",
                "jane.doe@example.co.uk (deactivated)",
                "jd@mailbox.example"
            ]
        );
        assert_eq!(steps(f), ["gitlab-com-user-7", "gitlab-com-user-8"]);
        // A user page with the address as a confirmed secondary: it is the account after all.
        let mut other = user(9, "jd", "jd@elsewhere.example");
        other.emails.push(UserEmail {
            address: ME.into(),
            primary: false,
            confirmed: Some(true),
        });
        let mut obs = obs;
        obs.push(seen(other));
        let d = run_all(&obs);
        assert!(!ids(&d).contains(&"no-gitlab-com-account"), "{:?}", ids(&d));
        assert!(ids(&d).contains(&"gitlab-com-account"));
    }

    /// Cause 1: the GitLab.com reset went to a real GitLab.com account; the answer stays the
    /// one-time sign-in link.
    #[test]
    fn the_gitlab_com_reset_went_to_a_real_account() {
        let d = run_all(&[
            reset(MG, Outcome::Delivered, at(11, 22, 9, 14)),
            searched_logs(CD, 30, now()),
            account(&[confirmed(), linked()]),
            seen(user(9136542, "jdoe", ME)),
        ]);
        assert_eq!(
            ids(&d),
            [
                "reset-requested-on-gitlab-com",
                "gitlab-com-account",
                "account-confirmed"
            ]
        );
        let info = find(&d, "gitlab-com-account");
        assert!(info
            .explanation
            .contains("went to this real GitLab.com account"));
        assert!(info
            .explanation
            .contains("bypass Mailgun's suppression lists"));
        assert!(info
            .explanation
            .contains("last signed in 2026-11-20 09:58 UTC"));
        assert!(info
            .evidence
            .iter()
            .any(|e| e.value == "active, not locked"));
        assert_eq!(
            plan(&d),
            ["one-time-sign-in-link", "sign-in-with-gitlab-com"]
        );
    }

    /// The internal note carries the GitLab.com facts (the account's evidence), linked to the
    /// admin area.
    #[test]
    fn the_internal_note_has_the_gitlab_com_facts() {
        let mut u = user(9136542, "jdoe", ME);
        u.sign_in_count = Some(311);
        let d = run_all(&[account(&[confirmed(), linked()]), seen(u)]);
        let note = crate::core::diagnosis::note::internal_note(
            ME,
            &d.verdict,
            &d.plan,
            &d.findings,
            now(),
        );
        for line in [
            "- **Info: GitLab.com account @jdoe (#9136542): active** (`gitlab-com-account`)",
            "  - GitLab.com user id (GitLab.com admin user page): 9136542; seen 2026-11-23 12:00 UTC on [GitLab.com's admin area](<https://gitlab.com/admin/users/jdoe>)",
            "  - Email (GitLab.com admin user page): Jane.Doe@Example.com (primary, verified);",
            "  - Last sign-in at (GitLab.com admin user page): 2026-11-20 09:58 UTC;",
            "  - Sign-in count (GitLab.com admin user page): 311;",
            "  - Next: [GitLab.com admin area: @jdoe (#9136542)](<https://gitlab.com/admin/users/jdoe>)",
        ] {
            assert!(note.contains(line), "{line}\n in\n{note}");
        }
    }

    /// GitLab.com's reset mails bypass the suppression lists: a reset delivered after a
    /// suppression on mg.gitlab.com does not mean the entry was removed, and the finding does
    /// not say the entry stops them.
    #[test]
    fn a_suppression_is_never_blamed_for_gitlab_com_resets() {
        let mut sup = event(
            MG,
            MailKind::Other,
            Outcome::Suppressed(SuppressionList::Bounce),
            Some(at(11, 20, 8, 0)),
        );
        sup.reason = Some("suppress-bounce".into());
        let d = run_all(&[mail(sup), reset(MG, Outcome::Delivered, at(11, 22, 9, 14))]);
        let f = find(&d, "address-suppressed");
        assert!(f
            .explanation
            .contains("reset-password and verification mails bypass the list"));
        assert!(!f
            .explanation
            .contains("no mail from mg.gitlab.com reaches the address"));
    }
}
