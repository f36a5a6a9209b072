//! The fixture pages of www/ (the demo's and the end-to-end tests' pages; not the generated
//! ones), each with the URL it is served at: the one www/fixtures*.json lists for it, else the
//! URL its path names. Used by tests/every_fixture.rs, tests/stored_json.rs and
//! tests/view_json.rs.

use std::path::{Path, PathBuf};

/// (path under www/, URL, markup) of every fixture page, in path order.
pub fn pages() -> Vec<(String, String, String)> {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let mut files = Vec::new();
    html_files(&www, &mut files);
    files.sort();
    let listed = listed(&www);
    files
        .iter()
        .map(|file| {
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
            (rel, url, html)
        })
        .collect()
}

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
