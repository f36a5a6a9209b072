//! Every fixture page of www/ (the demo's and the end-to-end tests' pages) read natively, at the
//! URL it is served for (www/fixtures*.json; a page listed nowhere at the URL its path names):
//! `cargo test --test every_fixture`. What each page must yield is pinned by the reader tests;
//! here every page is read, none may fail, and each is read as the kind of page it is.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;

#[path = "support/www.rs"]
mod www;

#[test]
fn every_fixture_page_is_read_as_what_it_is() {
    let pages = www::pages();
    assert!(pages.len() >= 20, "{} pages", pages.len());
    let settings = Settings::default();
    for (rel, url, html) in pages {
        let reading = Snapshot {
            url: url.clone(),
            html,
            inputs: Vec::new(),
        }
        .read(&settings, &|_| Some(0));
        assert_eq!(reading.url(), url);
        let kind = match &reading {
            PageReading::CustomerShow(a) => format!("customer ({} fields)", a.fields.len()),
            PageReading::CustomerSearch(s) => format!("search ({} rows)", s.rows.len()),
            PageReading::CustomerGitLabGroups(g) => {
                format!("GitLab Groups tab ({} namespaces)", g.namespaces.len())
            }
            PageReading::Mailgun(m) => format!("mailgun ({} events)", m.events.len()),
            PageReading::GitLabComUser(p) => format!("gitlab.com user {}", p.user.label()),
            PageReading::GitLabComSearch(s) => {
                format!("gitlab.com search ({} users)", s.users.len())
            }
            PageReading::OtherAdminPage { what, .. } => format!("other admin page: {what}"),
            PageReading::Unreadable { reason, .. } => format!("unreadable: {reason}"),
        };
        println!("{rel} at {url}: {kind}");
        let on_admin = url.contains("/admin/customer");
        let on_mailgun = url.starts_with("https://app.mailgun.com/");
        let on_gitlab_com = url.starts_with("https://gitlab.com/admin/users");
        if on_admin || on_mailgun || on_gitlab_com {
            assert!(
                !matches!(reading, PageReading::Unreadable { .. }),
                "{rel} at {url}: {kind}"
            );
        }
    }
}
