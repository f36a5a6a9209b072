//! `diagnose()` over 10 and 10,000 observations, natively (`cargo bench --bench diagnose`).
//!
//! A hand-rolled timing loop (std::time), not criterion: criterion brings ~40 crates (plotters,
//! rayon, regex, clap, ...) and a minute of compile time on a 2-core machine for a number that
//! is compared against a coarse budget (≤ 1 ms). Each case is warmed up, then timed in batches
//! of iterations over at least `MIN_TIME`; the median and p95 of the per-call time over the
//! batches are reported. `--json` prints one JSON object per case on stdout (bench/run.mjs
//! reads it); `CDOT_BENCH_QUICK=1` shortens the runs.
//!
//! Cases (the subject is jane.doe@example.com, `now` 2026-11-23 12:00 UTC):
//! - 10 observations: the account page, a listed row, an admin search, two Mailgun searches
//!   and five mail events (reset accepted/delivered/opened, a bounced confirmation).
//! - 10,000 observations, 32 addresses: what the 10,000-row Mailgun page yields (about 310
//!   events per address) plus the subject's account page and searches.
//! - 10,000 observations, one address: every event is to the subject (the worst case: every
//!   rule walks all of them).

use cdot_triage::core::account::{AccountRow, AccountSnapshot, Field, FieldMatch, Flavour, View};
use cdot_triage::core::diagnosis::diagnose;
use cdot_triage::core::email;
use cdot_triage::core::mail::{
    DomainSource, EventSource, MailDomain, MailEvent, MailKind, MailSearch, Outcome, RangeShown,
    SuppressionList,
};
use cdot_triage::core::observation::{Fact, Observation};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ME: &str = "Jane.Doe@Example.com";
const CD_LOGS: &str = "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs";
const MG_LOGS: &str = "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs";

fn now() -> UtcTime {
    UtcTime::from_civil(2026, 11, 23, 12, 0, 0)
}

fn observe(shown: &str, url: &str, fact: Fact) -> Observation {
    Observation {
        key: email::normalise(shown).expect("an address"),
        shown: shown.into(),
        url: url.into(),
        seen_at: now(),
        fact,
    }
}

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

fn account_page() -> Observation {
    let url = "https://customers.gitlab.com/admin/customer/4711";
    observe(
        ME,
        url,
        Fact::AccountShown(AccountSnapshot {
            url: url.into(),
            record_id: Some("4711".into()),
            flavour: Flavour::RailsAdmin3,
            view: View::Show,
            recognised_by: vec!["url".into(), "header".into()],
            fields: vec![
                field("email", "Email", "string", ME),
                field(
                    "confirmation_sent_at",
                    "Confirmation sent at",
                    "datetime",
                    "November 19, 2026 16:42",
                ),
                field(
                    "reset_password_sent_at",
                    "Reset password sent at",
                    "datetime",
                    "November 21, 2026 08:15",
                ),
                field("sign_in_count", "Sign in count", "integer", "0"),
                field("failed_attempts", "Failed attempts", "integer", "3"),
            ],
        }),
    )
}

fn listed(addr: &str, id: u32) -> Observation {
    let url = "https://customers.gitlab.com/admin/customer?query=jane";
    observe(
        addr,
        url,
        Fact::AccountListed {
            row: AccountRow {
                id: Some(id.to_string()),
                show_url: Some(format!("https://customers.gitlab.com/admin/customer/{id}")),
                fields: vec![field("email", "Email", "string", addr)],
            },
            query: Some("jane".into()),
        },
    )
}

fn admin_searched() -> Observation {
    observe(
        ME,
        "https://customers.gitlab.com/admin/customer?query=jane.doe%40example.com",
        Fact::AdminSearched {
            query: ME.into(),
            rows: 1,
            total: Some(1),
        },
    )
}

fn searched(domain: MailDomain) -> Observation {
    let url = if domain == MailDomain::CustomersPortal {
        CD_LOGS
    } else {
        MG_LOGS
    };
    observe(
        ME,
        url,
        Fact::MailSearched(MailSearch {
            domain,
            query: Some(ME.into()),
            filters: Vec::new(),
            range: Some(RangeShown {
                text: "Last 30 days".into(),
                last_days: Some(30),
                from: None,
                to: None,
            }),
            rows_seen: 3,
            empty_text: None,
        }),
    )
}

const SUBJECTS: [(&str, MailKind); 4] = [
    ("Reset password instructions", MailKind::PasswordReset),
    ("Confirmation instructions", MailKind::Confirmation),
    ("Unlock instructions", MailKind::Unlock),
    ("Password Changed", MailKind::PasswordChanged),
];

/// The `i`th generated event to `addr`: a seeded mix of domains, kinds and outcomes, each at
/// its own time (37 s apart, newest first) so that no two are the same event.
fn mail(addr: &str, i: usize) -> Observation {
    let domain = if i.is_multiple_of(3) {
        MailDomain::GitLabCom
    } else {
        MailDomain::CustomersPortal
    };
    let (subject, kind) = SUBJECTS[i % SUBJECTS.len()];
    let (outcome, code, message) = match i % 7 {
        0 | 3 => (Outcome::Accepted, None, None),
        1 | 4 => (Outcome::Delivered, Some("250"), Some("OK")),
        2 => (Outcome::Opened, None, None),
        5 => (
            Outcome::Suppressed(SuppressionList::Bounce),
            Some("605"),
            Some("Not delivering to previously bounced address"),
        ),
        _ => (
            Outcome::TemporaryFailure,
            Some("452"),
            Some("4.2.2 The email account that you tried to reach is over quota."),
        ),
    };
    let time = UtcTime(now().0 - 600 - 37 * i as i64);
    let url = if domain == MailDomain::CustomersPortal {
        CD_LOGS
    } else {
        MG_LOGS
    };
    observe(
        addr,
        url,
        Fact::MailEvent(MailEvent {
            recipient: addr.into(),
            recipient_key: email::normalise(addr),
            domain,
            domain_source: Some(DomainSource::Url),
            kind,
            event_shown: outcome.label(),
            outcome,
            subject: Some(subject.into()),
            reason: None,
            severity: None,
            code: code.map(str::to_string),
            message: message.map(str::to_string),
            description: None,
            timestamp: Some(time),
            time_shown: Some(time.to_string()),
            time_basis: None,
            event_id: None,
            message_id: None,
            source: EventSource::Row,
        }),
    )
}

/// The subject's own pages (account, list row, admin search, both logs searches): 5.
fn subject_pages() -> Vec<Observation> {
    vec![
        account_page(),
        listed(ME, 4711),
        admin_searched(),
        searched(MailDomain::CustomersPortal),
        searched(MailDomain::GitLabCom),
    ]
}

fn ten() -> Vec<Observation> {
    let mut obs = subject_pages();
    obs.extend((0..5).map(|i| mail(ME, i)));
    obs
}

/// 32 addresses like the generated Mailgun pages' (user.a14@acme-corp.com, ...), the subject
/// first.
fn addresses() -> Vec<String> {
    let mut out = vec![ME.to_string()];
    for x in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        for d in [
            "acme-corp.com",
            "example.org",
            "northwind-analytics.io",
            "kitsune-robotics.jp",
        ] {
            if out.len() < 32 {
                out.push(format!("user.{x}{}@{d}", d.len()));
            }
        }
    }
    out
}

fn ten_thousand_spread() -> Vec<Observation> {
    let addrs = addresses();
    let mut obs = subject_pages();
    let n = 10_000 - obs.len();
    obs.extend((0..n).map(|i| mail(&addrs[i % addrs.len()], i)));
    obs
}

fn ten_thousand_one_address() -> Vec<Observation> {
    let mut obs = subject_pages();
    let n = 10_000 - obs.len();
    obs.extend((0..n).map(|i| mail(ME, i)));
    obs
}

struct Stats {
    name: &'static str,
    observations: usize,
    findings: usize,
    iterations: usize,
    median_us: f64,
    p95_us: f64,
}

fn bench(name: &'static str, obs: &[Observation], quick: bool) -> Stats {
    let settings = Settings::default();
    let key = email::normalise(ME).expect("an address");
    let run = || diagnose(black_box(&key), black_box(obs), now(), &settings);
    let findings = run().findings.len();
    // Warm-up, and a batch size that makes one batch last about 10 ms.
    let start = Instant::now();
    let mut warm = 0;
    while start.elapsed() < Duration::from_millis(if quick { 50 } else { 300 }) || warm < 2 {
        black_box(run());
        warm += 1;
    }
    let per_call = start.elapsed().as_secs_f64() / warm as f64;
    let batch = ((0.010 / per_call) as usize).max(1);
    // A case slower than 50 ms a call (the one-address worst case) gets 5 batches: its
    // median is still clear, and the whole bench stays within seconds.
    let (min_time, min_batches) = if quick || per_call > 0.050 {
        (Duration::from_millis(300), if quick { 3 } else { 5 })
    } else {
        (Duration::from_secs(2), 30)
    };
    let mut samples: Vec<f64> = Vec::new();
    let start = Instant::now();
    while start.elapsed() < min_time || samples.len() < min_batches {
        let t = Instant::now();
        for _ in 0..batch {
            black_box(run());
        }
        samples.push(t.elapsed().as_secs_f64() * 1e6 / batch as f64);
    }
    samples.sort_by(f64::total_cmp);
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        name,
        observations: obs.len(),
        findings,
        iterations: samples.len() * batch,
        median_us: pick(0.5),
        p95_us: pick(0.95),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let json = std::env::args().any(|a| a == "--json");
    let quick = std::env::var_os("CDOT_BENCH_QUICK").is_some();
    let cases = [
        bench("10 observations", &ten(), quick),
        bench(
            "10,000 observations, 32 addresses",
            &ten_thousand_spread(),
            quick,
        ),
        bench(
            "10,000 observations, one address",
            &ten_thousand_one_address(),
            quick,
        ),
    ];
    if !json {
        println!(
            "{:<36} {:>12} {:>9} {:>12} {:>12}",
            "diagnose()", "observations", "findings", "median", "p95"
        );
    }
    for s in &cases {
        if json {
            println!(
                "{{\"case\":\"{}\",\"observations\":{},\"findings\":{},\"iterations\":{},\"median_us\":{:.2},\"p95_us\":{:.2}}}",
                s.name, s.observations, s.findings, s.iterations, s.median_us, s.p95_us
            );
        } else {
            println!(
                "{:<36} {:>12} {:>9} {:>9.1} µs {:>9.1} µs",
                s.name, s.observations, s.findings, s.median_us, s.p95_us
            );
        }
    }
}
