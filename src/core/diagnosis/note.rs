//! The internal note: the diagnosis as Markdown for the ticket's internal note ("Copy internal
//! note"). What was seen, where and when, with links, and what was not checked. Nothing
//! secret: no API key or token is ever part of a diagnosis, and a link whose query could carry
//! one loses its query. Text read from pages is escaped, so a value cannot become a link, an
//! image or markup in the ticket.

use super::plan::{PlanStep, Verdict};
use super::{Finding, FindingId, Severity};
use crate::core::time::UtcTime;

/// Markdown's special characters in text read from pages, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // Brackets escaped, parentheses cannot make a link; no line starts with page text,
            // so `#` and list markers stay as they are.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A link for the note: https only, without a query that could carry a secret, `<`/`>`-safe.
pub fn safe_link(url: &str) -> Option<String> {
    if !url.starts_with("https://") || url.contains(['<', '>', ' ', '\n']) {
        return None;
    }
    let secret = |q: &str| {
        q.split('&').any(|pair| {
            let name = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
            [
                "key",
                "token",
                "secret",
                "signature",
                "password",
                "auth",
                "session",
            ]
            .iter()
            .any(|s| name.contains(s))
        })
    };
    match url.split_once('?') {
        Some((base, query)) if secret(query) => Some(base.to_string()),
        _ => Some(url.to_string()),
    }
}

fn link(label: &str, url: &str) -> String {
    match safe_link(url) {
        Some(u) => format!("[{}](<{u}>)", escape(label)),
        None => escape(label),
    }
}

/// The note for one address: verdict, plan, each finding with its evidence, what is unchecked.
pub fn internal_note(
    about: &str,
    verdict: &Verdict,
    plan: &[PlanStep],
    findings: &[Finding],
    now: UtcTime,
) -> String {
    let mut out = format!(
        "### cdot-triage: {} (as of {now})\n\n**Verdict:** {}\n",
        escape(about),
        escape(&verdict.text)
    );
    if !plan.is_empty() {
        out.push_str("\n**Plan**\n\n");
        for (i, p) in plan.iter().enumerate() {
            out.push_str(&format!(
                "{}. {}\n",
                i + 1,
                link(&p.step.label, &p.step.url)
            ));
        }
    }
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.id != FindingId::MissingEvidence)
        .collect();
    if !shown.is_empty() {
        out.push_str("\n**Findings**\n");
    }
    for f in shown {
        let sev = match f.severity {
            Severity::Problem => "Problem",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        };
        out.push_str(&format!(
            "\n- **{sev}: {}** (`{}`): {}\n",
            escape(&f.title),
            f.id,
            escape(&f.explanation)
        ));
        for e in &f.evidence {
            let count = if e.count > 1 {
                format!(" (read {} times)", e.count)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  - {}: {}{count}; seen {} on {}\n",
                escape(&e.what),
                escape(&e.value),
                e.seen_at,
                link(page_name(&e.source), &e.source)
            ));
        }
        for s in &f.steps {
            out.push_str(&format!("  - Next: {}\n", link(&s.label, &s.url)));
        }
    }
    out.push_str("\n**Not checked**\n\n");
    match findings.iter().find(|f| f.id == FindingId::MissingEvidence) {
        Some(missing) => {
            for s in &missing.steps {
                out.push_str(&format!("- {}\n", link(&s.label, &s.url)));
            }
        }
        None => out.push_str("- Nothing: every page the diagnosis needs was seen.\n"),
    }
    out
}

/// Where a piece of evidence was seen, in words for the link.
fn page_name(url: &str) -> &'static str {
    if url.contains("/admin/customer") {
        "the CustomersDot admin"
    } else if url.starts_with("https://gitlab.com/api/") {
        "the GitLab.com users API"
    } else if url.starts_with("https://gitlab.com/admin/") {
        "GitLab.com's admin area"
    } else if url.contains("api.mailgun.net") || url.contains("api.eu.mailgun.net") {
        "the Mailgun API"
    } else if url.contains("mailgun.com") {
        "Mailgun"
    } else {
        "this page"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnosis::Evidence;

    #[test]
    fn page_text_cannot_become_markup_or_a_link() {
        assert_eq!(
            escape("![x](https://evil.example/t.png) <b>*hi*</b>\nline"),
            "\\!\\[x\\](https://evil.example/t.png) \\<b\\>\\*hi\\*\\</b\\> line"
        );
    }

    #[test]
    fn links_are_https_and_lose_a_query_that_could_carry_a_secret() {
        assert_eq!(safe_link("http://x.example/"), None);
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(
            safe_link("https://customers.gitlab.com/admin/customer?query=a%40b.c").as_deref(),
            Some("https://customers.gitlab.com/admin/customer?query=a%40b.c")
        );
        assert_eq!(
            safe_link("https://api.mailgun.net/v3/x/events?api_key=abc&recipient=a").as_deref(),
            Some("https://api.mailgun.net/v3/x/events")
        );
    }

    #[test]
    fn counts_steps_and_nothing_unchecked() {
        let t = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let step = crate::core::diagnosis::ways::one_time_link_step();
        let finding = Finding {
            id: FindingId::ResetRequestedOnGitlabCom,
            severity: Severity::Problem,
            title: "Password reset was requested on GitLab.com".into(),
            explanation: "It went out on mg.gitlab.com.".into(),
            evidence: vec![Evidence {
                what: "Mailgun event".into(),
                value: "delivered".into(),
                source: "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs".into(),
                seen_at: t,
                count: 2,
                event: None,
            }],
            steps: vec![step.clone()],
            reply: Some("secret-free reply".into()),
            certain: true,
        };
        let verdict = Verdict {
            text: "Reset was done on GitLab.com: ask the customer to sign in with a one-time \
                   sign-in link"
                .into(),
            step: Some(step.clone()),
        };
        let plan = vec![PlanStep {
            step,
            finding: finding.id,
        }];
        let note = internal_note("jane@example.com", &verdict, &plan, &[finding], t);
        assert!(note.contains(
            "  - Mailgun event: delivered (read 2 times); seen 2026-11-23 12:00 UTC on [Mailgun]"
        ));
        assert!(note.contains(
            "(<https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal>)"
        ));
        assert!(note.contains("  - Next: [One-time sign-in link: on the Customers Portal"));
        assert!(note
            .ends_with("**Not checked**\n\n- Nothing: every page the diagnosis needs was seen.\n"));
        assert!(
            !note.contains("secret-free reply"),
            "the reply is not part of the note"
        );
    }
}
