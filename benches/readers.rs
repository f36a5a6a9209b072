//! The page readers natively (`cargo bench --bench readers`): `core::html::parse` and then
//! `core::readers::read_page` on the generated Mailgun pages (from
//! `node scripts/fixtures/mailgun.mjs`, into the ignored www/app.mailgun.com/generated/; a
//! missing page is skipped with a note). Median of 9 runs after 2 warm-up runs. The tokenizer
//! next to html5gum's, and hostile markup: the parser's own bench
//! (`cargo bench -p cdot-html --bench html`).

use cdot_triage::core::html;
use cdot_triage::core::observation;
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::read_page;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;
use std::hint::black_box;
use std::time::Instant;

fn median(mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..11)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .skip(2)
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["new-logs-1000", "new-logs-10000", "grid-logs-10000"] {
        let path = format!("{root}/www/app.mailgun.com/generated/{name}.html");
        let Ok(page) = std::fs::read_to_string(&path) else {
            println!("{name}: missing (run `node scripts/fixtures/mailgun.mjs`)");
            continue;
        };
        let (parse_ms, parse_min) = median(|| {
            black_box(html::parse(black_box(&page)));
        });
        let doc = html::parse(&page);
        let settings = Settings::default();
        let url = "https://app.mailgun.com/mg/reporting/logs";
        let (read_ms, read_min) = median(|| {
            black_box(read_page(black_box(&doc), url, &settings, &|_| Some(0)));
        });
        let events = match read_page(&doc, url, &settings, &|_| Some(0)) {
            PageReading::Mailgun(m) => m.events.len(),
            _ => 0,
        };
        // Markup to observations, as the frame does it (the target compares this with
        // Chromium's DOMParser on the same page: `npm run bench`).
        let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
        let (all_ms, all_min) = median(|| {
            let doc = html::parse(black_box(&page));
            let reading = read_page(&doc, url, &settings, &|_| Some(0));
            black_box(observation::from_reading(&reading, now));
        });
        println!(
            "{name} ({:.1} MB, {} nodes): parse {parse_ms:.1} ms median (min {parse_min:.1}), \
             read {read_ms:.1} ms (min {read_min:.1}), markup to observations {all_ms:.1} ms \
             (min {all_min:.1}): {events} events",
            page.len() as f64 / 1e6,
            doc.node_count()
        );
    }
}
