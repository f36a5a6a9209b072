//! Every fixture page of www/ (the demo's and the end-to-end tests' pages) read natively, at the
//! URL it is served for (www/fixtures*.json; a page listed nowhere at the URL its path names):
//! `cargo test --test every_fixture`. What each page must yield is pinned by the reader tests;
//! here every page is read, none may fail, and each is read as the kind of page it is.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use std::path::{Path, PathBuf};

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                html_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// (file under www/, URL) from the fixture lists.
fn listed(www: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for list in [
        "fixtures.json",
        "fixtures-search.json",
        "fixtures-mailgun.json",
        "fixtures-gitlab-com.json",
    ] {
        let Ok(text) = std::fs::read_to_string(www.join(list)) else {
            continue;
        };
        let items: serde_json::Value = serde_json::from_str(&text).unwrap();
        for item in items.as_array().into_iter().flatten() {
            if let (Some(file), Some(url)) = (item["file"].as_str(), item["url"].as_str()) {
                out.push((file.to_string(), url.to_string()));
            }
        }
    }
    out
}

#[test]
fn every_fixture_page_is_read_as_what_it_is() {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let mut files = Vec::new();
    html_files(&www, &mut files);
    files.sort();
    assert!(files.len() >= 20, "{} pages", files.len());
    let listed = listed(&www);
    let settings = Settings::default();
    for file in &files {
        let rel = file
            .strip_prefix(&www)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = listed
            .iter()
            .find(|(f, _)| *f == rel)
            .map(|(_, u)| u.clone())
            .unwrap_or_else(|| format!("https://{}", rel.trim_end_matches(".html")));
        let html = std::fs::read_to_string(file).unwrap();
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
