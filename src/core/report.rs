//! The error report the banner offers to copy when cdot-triage itself fails ("cdot-triage hit
//! an error"): the version, the kind of page, and the error message with anything that could
//! be customer data taken out. It never carries page text or an address.

/// How long a scrubbed message may be.
const MAX_MESSAGE: usize = 300;

/// An error message without what could be customer data: quoted or back-ticked text (Rust's
/// and JavaScript's messages quote the value they failed on) becomes `…`, any word with an
/// `@` becomes `<address>`, control characters go, and the rest is cut to a few hundred
/// characters. Source locations (`src/frame/mod.rs:12:5`) and words stay.
pub fn scrub(message: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in message.chars() {
        if let Some(close) = closing {
            if c == close {
                closing = None;
                out.push('…');
                out.push(close);
            }
            continue;
        }
        match c {
            '`' | '"' => {
                out.push(c);
                closing = Some(c);
            }
            '“' => {
                out.push(c);
                closing = Some('”');
            }
            // An apostrophe inside a word ("can't") is not a quote.
            '\'' if !out.ends_with(|p: char| p.is_alphanumeric()) => {
                out.push(c);
                closing = Some('\'');
            }
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    if closing.is_some() {
        out.push('…');
    }
    let scrubbed = out
        .split('\n')
        .map(|line| {
            line.split(' ')
                .map(|w| if w.contains('@') { "<address>" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    match scrubbed.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", scrubbed.get(..cut).unwrap_or(&scrubbed)),
        None => scrubbed,
    }
}

/// The report: plain text, one fact a line.
pub fn report(version: &str, page_kind: &str, message: &str) -> String {
    format!(
        "cdot-triage {version} hit an error\npage: {page_kind}\nerror: {}",
        scrub(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_quoted_values_and_addresses() {
        assert_eq!(
            scrub("byte index 3 is not a char boundary; it is inside 'é' (bytes 2..4) of `Zoé Martin` at src/core/x.rs:1:2"),
            "byte index 3 is not a char boundary; it is inside '…' (bytes 2..4) of `…` at src/core/x.rs:1:2"
        );
        assert_eq!(
            scrub("no account for priya.raman@northwind-analytics.io, sorry"),
            "no account for <address> sorry"
        );
        assert_eq!(scrub("can't read \"mallory@example.org"), "can't read \"…");
        assert_eq!(
            scrub("already borrowed: BorrowMutError"),
            "already borrowed: BorrowMutError"
        );
        assert_eq!(scrub("a\u{0}b\u{202e}c"), "a b\u{202e}c");
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(10_000);
        assert_eq!(scrub(&long).chars().count(), MAX_MESSAGE + 1);
        let wide = "é".repeat(10_000);
        assert!(scrub(&wide).ends_with('…'));
    }

    #[test]
    fn the_report_says_version_page_and_error() {
        assert_eq!(
            report("0.1.0", "customer-show", "panicked at src/frame/mod.rs:1:1:\nboom `x@y.z`"),
            "cdot-triage 0.1.0 hit an error\npage: customer-show\nerror: panicked at src/frame/mod.rs:1:1:\nboom `…`"
        );
    }
}
