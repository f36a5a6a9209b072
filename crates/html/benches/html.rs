//! The parser on its own (`cargo bench -p cdot-html --bench html`): the tokenizer next to
//! html5gum's (a dev-dependency), and the whole parse (tokenizer and tree builder), on the
//! generated Mailgun pages (from `node scripts/fixtures/mailgun.mjs`, into the ignored
//! www/app.mailgun.com/generated/; a missing page is skipped with a note) and on hostile markup
//! that once parsed quadratically. Median of 9 runs after 2 warm-up runs. The readers on the
//! parsed pages: `cargo bench --bench readers` in the main crate.

use cdot_html::tokenize::{self, Attribute, Sink, TextState};
use std::hint::black_box;
use std::time::Instant;

/// Median and minimum, in ms, of 9 runs after 2 warm-up runs.
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

/// html5gum through its callback emitter, every event counted: the reference for the
/// tokenizer's time.
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

/// A sink that only counts (the tokenizer's own cost).
struct NoOp(usize);

impl Sink for NoOp {
    fn start_tag(&mut self, name: &str, attrs: &[Attribute<'_>], _self_closing: bool) -> TextState {
        self.0 += attrs.len();
        match name {
            "script" => TextState::ScriptData,
            "style" => TextState::RawText,
            "title" | "textarea" => TextState::RcData,
            _ => TextState::Data,
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
            black_box(cdot_html::parse(black_box(&html)));
        });
        println!("{label}, 40,000 pieces: parse {ms:.1} ms median (min {min:.1})");
    }
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/app.mailgun.com/generated"
    );
    for name in ["new-logs-1000", "new-logs-10000", "grid-logs-10000"] {
        let Ok(page) = std::fs::read_to_string(format!("{root}/{name}.html")) else {
            println!("{name}: missing (run `node scripts/fixtures/mailgun.mjs`)");
            continue;
        };
        let (theirs, _) = median(|| {
            black_box(html5gum_tokens(black_box(&page)));
        });
        let (ours, ours_min) = median(|| {
            let mut sink = NoOp(0);
            tokenize::tokenize(black_box(&page), &mut sink);
            black_box(sink.0);
        });
        let (parse, parse_min) = median(|| {
            black_box(cdot_html::parse(black_box(&page)));
        });
        let nodes = cdot_html::parse(&page).node_count();
        println!(
            "{name} ({:.1} MB, {nodes} nodes): tokenize {ours:.1} ms (min {ours_min:.1}; \
             html5gum {theirs:.1}), parse {parse:.1} ms (min {parse_min:.1})",
            page.len() as f64 / 1e6
        );
    }
}
