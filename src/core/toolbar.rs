//! What the toolbar button says about a tab: the badge (a count, coloured by the worst
//! severity) and the button's title in words, from what the tab's banner shows. The banner
//! frame sends it to the background after every render (`{ type: "tab-state", … }`, see
//! `crate::frame`), which only applies it with `action.setBadgeText` / `setBadgeBackgroundColor`
//! / `setBadgeTextColor` / `setTitle` for that tab, and tells the side panel which address the
//! active tab is about. Every choice (what is counted, which colour, which words) is made here.

use crate::core::diagnosis::{Finding, Severity, Subject};
use crate::core::view::BannerView;

/// Badge colours: the banner's problem red (banner.css `--problem`), and an amber brighter
/// than the banner's `--warning` text so that a small badge reads as amber, not brown; each
/// with the text colour that reads on it.
const PROBLEM_COLOURS: (&str, &str) = ("#b3261e", "#ffffff");
const WARNING_COLOURS: (&str, &str) = ("#f2b000", "#000000");

/// The toolbar state of one tab.
#[derive(Debug, Clone, PartialEq)]
pub struct TabState {
    /// The address the banner is about; `None` when it is about no one (another model, a
    /// search, a Mailgun page with several recipients, a quiet page).
    pub subject: Option<Subject>,
    pub problems: usize,
    pub warnings: usize,
    /// The worst severity among the findings; `None` without findings.
    pub worst: Option<Severity>,
    /// The badge's text: the number of problems, else of warnings, else empty (nothing to say).
    pub badge: String,
    /// The badge's background and text colours (`#rrggbb`); empty with an empty badge.
    pub colour: &'static str,
    pub text_colour: &'static str,
    /// The button's title in words, e.g. "cdot-triage: 2 problems for priya.raman@…";
    /// `None`: the manifest's default title.
    pub title: Option<String>,
}

impl TabState {
    /// The state of a tab whose banner says nothing (or that has no banner).
    pub fn nothing() -> TabState {
        TabState {
            subject: None,
            problems: 0,
            warnings: 0,
            worst: None,
            badge: String::new(),
            colour: "",
            text_colour: "",
            title: None,
        }
    }

    /// `worst` as the message carries it: "problem", "warning", "info" or "" (none).
    pub fn worst_word(&self) -> &'static str {
        match self.worst {
            Some(Severity::Problem) => "problem",
            Some(Severity::Warning) => "warning",
            Some(Severity::Info) => "info",
            None => "",
        }
    }
}

/// "2 problems, 1 warning"; "no problem found" when there are neither.
pub fn counts_in_words(problems: usize, warnings: usize) -> String {
    let word = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (problems, warnings) {
        (0, 0) => "no problem found".into(),
        (p, 0) => word(p, "problem"),
        (0, w) => word(w, "warning"),
        (p, w) => format!("{}, {}", word(p, "problem"), word(w, "warning")),
    }
}

/// The toolbar state for what a banner shows.
pub fn tab_state(view: &BannerView) -> TabState {
    let Some(subject) = view.subject.as_ref().filter(|_| !view.hidden) else {
        return TabState::nothing();
    };
    state_of(subject, &view.findings)
}

fn state_of(subject: &Subject, findings: &[Finding]) -> TabState {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (problems, warnings) = (count(Severity::Problem), count(Severity::Warning));
    let worst = findings.iter().map(|f| f.severity).min();
    let (badge, (colour, text_colour)) = match (problems, warnings) {
        (0, 0) => (String::new(), ("", "")),
        (0, w) => (badge_count(w), WARNING_COLOURS),
        (p, _) => (badge_count(p), PROBLEM_COLOURS),
    };
    TabState {
        subject: Some(subject.clone()),
        problems,
        warnings,
        worst,
        badge,
        colour,
        text_colour,
        title: Some(format!(
            "cdot-triage: {} for {}",
            counts_in_words(problems, warnings),
            subject.shown
        )),
    }
}

/// A badge holds about four characters: 1 to 99, then "99+".
fn badge_count(n: usize) -> String {
    if n > 99 {
        "99+".into()
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnosis::FindingId;

    fn finding(id: &str, severity: Severity) -> Finding {
        Finding {
            id: FindingId::from_slug(id).unwrap_or(FindingId::AccountUnconfirmed),
            severity,
            title: id.into(),
            explanation: String::new(),
            evidence: Vec::new(),
            steps: Vec::new(),
            reply: None,
            certain: true,
        }
    }

    fn view(subject: Option<&str>, findings: Vec<Finding>) -> BannerView {
        BannerView {
            subject: subject.map(|s| Subject {
                key: s.to_lowercase(),
                shown: s.into(),
            }),
            facts: Vec::new(),
            rows: Vec::new(),
            recipients: Vec::new(),
            findings,
            note: None,
            problems: Vec::new(),
            hidden: false,
            storage: None,
            verdict: None,
            plan: Vec::new(),
            recipients_unsent: 0,
            recipient_lines_unsent: 0,
        }
    }

    const PRIYA: &str = "Priya.Raman@northwind-analytics.io";

    #[test]
    fn problems_are_counted_in_red_with_the_title_in_words() {
        let s = tab_state(&view(
            Some(PRIYA),
            vec![
                finding("reset-requested-on-gitlab-com", Severity::Problem),
                finding("account-unconfirmed", Severity::Problem),
                finding("similar-accounts", Severity::Warning),
                finding("missing-evidence", Severity::Info),
            ],
        ));
        assert_eq!(s.badge, "2");
        assert_eq!((s.colour, s.text_colour), PROBLEM_COLOURS);
        assert_eq!((s.problems, s.warnings), (2, 1));
        assert_eq!(s.worst, Some(Severity::Problem));
        assert_eq!(s.worst_word(), "problem");
        assert_eq!(
            s.title.as_deref(),
            Some("cdot-triage: 2 problems, 1 warning for Priya.Raman@northwind-analytics.io")
        );
        assert_eq!(s.subject.unwrap().key, PRIYA.to_lowercase());
    }

    /// The badge counts every problem of the table, the link and GitLab.com ones too (by the
    /// severity each row gives its finding).
    #[test]
    fn the_gitlab_com_and_link_problems_count() {
        let ids = [
            "account-unlinked",
            "linked-account-email-differs",
            "gitlab-com-account-locked",
            "no-gitlab-com-account",
            "gitlab-com-account",
        ];
        let findings = ids
            .iter()
            .map(|id| {
                let id = FindingId::from_slug(id).expect("a finding of the table");
                finding(id.as_str(), id.severity())
            })
            .collect();
        let s = tab_state(&view(Some(PRIYA), findings));
        assert_eq!((s.problems, s.warnings), (3, 1));
        assert_eq!(s.badge, "3");
    }

    #[test]
    fn one_problem_is_singular() {
        let s = tab_state(&view(
            Some(PRIYA),
            vec![finding("account-unconfirmed", Severity::Problem)],
        ));
        assert_eq!(s.badge, "1");
        assert_eq!(
            s.title.as_deref(),
            Some("cdot-triage: 1 problem for Priya.Raman@northwind-analytics.io")
        );
    }

    #[test]
    fn warnings_alone_are_counted_in_amber() {
        let s = tab_state(&view(
            Some(PRIYA),
            vec![
                finding("similar-accounts", Severity::Warning),
                finding("missing-evidence", Severity::Info),
            ],
        ));
        assert_eq!(s.badge, "1");
        assert_eq!((s.colour, s.text_colour), WARNING_COLOURS);
        assert_eq!(s.worst_word(), "warning");
        assert_eq!(
            s.title.as_deref(),
            Some("cdot-triage: 1 warning for Priya.Raman@northwind-analytics.io")
        );
    }

    #[test]
    fn a_healthy_account_has_no_badge_but_a_title() {
        let s = tab_state(&view(
            Some("lena.vogt@alpenrad-logistik.de"),
            vec![
                finding("account-confirmed", Severity::Info),
                finding("missing-evidence", Severity::Info),
            ],
        ));
        assert_eq!(s.badge, "");
        assert_eq!((s.colour, s.text_colour), ("", ""));
        assert_eq!(s.worst_word(), "info");
        assert_eq!(
            s.title.as_deref(),
            Some("cdot-triage: no problem found for lena.vogt@alpenrad-logistik.de")
        );
        assert!(s.subject.is_some(), "the side panel still follows it");
    }

    #[test]
    fn no_subject_or_a_hidden_banner_says_nothing() {
        let search = view(None, vec![finding("x", Severity::Problem)]);
        assert_eq!(tab_state(&search), TabState::nothing());
        let mut hidden = view(Some(PRIYA), Vec::new());
        hidden.hidden = true;
        assert_eq!(tab_state(&hidden), TabState::nothing());
        assert_eq!(TabState::nothing().worst_word(), "");
        assert_eq!(TabState::nothing().title, None);
    }

    #[test]
    fn large_counts_fit_the_badge() {
        let many: Vec<Finding> = (0..120)
            .map(|i| finding(&format!("p{i}"), Severity::Problem))
            .collect();
        assert_eq!(tab_state(&view(Some(PRIYA), many)).badge, "99+");
        let some: Vec<Finding> = (0..99)
            .map(|i| finding(&format!("p{i}"), Severity::Problem))
            .collect();
        assert_eq!(tab_state(&view(Some(PRIYA), some)).badge, "99");
    }

    #[test]
    fn counts_in_words_as_the_banner_says_them() {
        assert_eq!(counts_in_words(0, 0), "no problem found");
        assert_eq!(counts_in_words(1, 0), "1 problem");
        assert_eq!(counts_in_words(0, 2), "2 warnings");
        assert_eq!(counts_in_words(3, 1), "3 problems, 1 warning");
    }
}
