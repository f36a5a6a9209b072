//! The page readers natively (`cargo bench --bench readers`): `core::html::tokenize` (next to
//! html5gum's tokenizer), `core::html::parse` and then `core::readers::read_page` on the generated Mailgun pages (from
//! `node scripts/fixtures/mailgun.mjs`, into the ignored www/app.mailgun.com/generated/; a
//! missing page is skipped with a note). Median of 9 runs after 2 warm-up runs. Tokenizing
//! alone is timed twice: html5gum (what `parse` runs) and `core::html::tokenize` with a sink
//! that only counts.

use cdot_triage::core::html;
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::read_page;
use cdot_triage::core::settings::Settings;

/// html5gum (the crate core::html replaced; a dev-dependency) through its callback emitter,
/// every event counted: the reference for the tokenizer's time.
fn html5gum_tokens(page: &str) -> usize {
    use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
    let mut n = 0usize;
    let emitter = CallbackEmitter::new(
        |_: CallbackEvent<'_>, _: html5gum::Span<()>| -> Option<()> {
            n += 1;
            None
        },
    );
    for _ in html5gum::Tokenizer::new_with_emitter(page, emitter) {}
    n
}
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

/// A sink that only counts (the tokenizer's own cost).
struct NoOp(usize);

impl html::tokenize::Sink for NoOp {
    fn start_tag(
        &mut self,
        name: &str,
        attrs: &[html::tokenize::Attribute<'_>],
        _self_closing: bool,
    ) -> html::tokenize::TextState {
        self.0 += attrs.len();
        match name {
            "script" => html::tokenize::TextState::ScriptData,
            "style" => html::tokenize::TextState::RawText,
            "title" | "textarea" => html::tokenize::TextState::RcData,
            _ => html::tokenize::TextState::Data,
        }
    }
    fn end_tag(&mut self, _name: &str) {
        self.0 += 1;
    }
    fn text(&mut self, text: &str) {
        self.0 += text.len();
    }
    fn doctype(&mut self, _name: &str, _public_id: Option<&str>, _force_quirks: bool) {}
    fn in_foreign_content(&self) -> bool {
        false
    }
}

fn main() {
    // Hostile markup: text alternating with tags the tree builder ignores or fosters. Every
    // piece extends one text node; this stays linear in the number of pieces.
    for (label, html) in [
        (
            "ignored <tr>",
            format!("<div>{}", "x<tr class=y>".repeat(40_000)),
        ),
        (
            "fostered text",
            format!("<table>{}", "x<tr class=y>\n".repeat(40_000)),
        ),
    ] {
        let (ms, min) = median(|| {
            black_box(html::parse(black_box(&html)));
        });
        println!("{label}, 40,000 pieces: parse {ms:.1} ms median (min {min:.1})");
    }
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
        let (tok_ms, _) = median(|| {
            black_box(html5gum_tokens(black_box(&page)));
        });
        let (ours_ms, _) = median(|| {
            let mut sink = NoOp(0);
            html::tokenize::tokenize(black_box(&page), &mut sink);
            black_box(sink.0);
        });
        println!(
            "{name}: tokenize only: html5gum {tok_ms:.1} ms, core::html::tokenize {ours_ms:.1} ms"
        );
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
        println!(
            "{name} ({:.1} MB, {} nodes): parse {parse_ms:.1} ms median (min {parse_min:.1}), \
             read {read_ms:.1} ms (min {read_min:.1}): {events} events",
            page.len() as f64 / 1e6,
            doc.node_count()
        );
    }
}
