//! `core::markup::defuse_handlers` on the generated Mailgun pages (`cargo bench --bench
//! markup`): the scan every snapshot pays before `DOMParser` (see src/core/markup.rs). The pages
//! come from `node scripts/fixtures/mailgun.mjs` (into the ignored www/app.mailgun.com/generated/);
//! a page that is missing is skipped with a note. Median of 15 runs after 3 warm-up runs.

use cdot_triage::core::markup::defuse_handlers;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["new-logs-1000", "new-logs-10000", "old-logs-10000"] {
        let path = format!("{root}/www/app.mailgun.com/generated/{name}.html");
        let Ok(page) = std::fs::read_to_string(&path) else {
            println!("{name}: missing (run `node scripts/fixtures/mailgun.mjs`)");
            continue;
        };
        // The same page with an inline handler on every row: the rewriting path too.
        let with_handlers =
            page.replace("<div role=\"row\"", "<div onclick=\"open()\" role=\"row\"");
        for (label, html) in [
            ("as served", &page),
            ("a handler on every row", &with_handlers),
        ] {
            let mut times: Vec<f64> = (0..18)
                .map(|_| {
                    let start = Instant::now();
                    black_box(defuse_handlers(black_box(html)));
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .skip(3)
                .collect();
            times.sort_by(f64::total_cmp);
            println!(
                "{name} ({:.1} MB), {label}: {:.1} ms median (min {:.1})",
                html.len() as f64 / 1e6,
                times[times.len() / 2],
                times[0]
            );
        }
    }
}
