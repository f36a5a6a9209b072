//! Page markup made inert before the browser's parser sees it.
//!
//! `DOMParser` documents have no browsing context, so nothing in them runs, but Chrome still
//! checks each inline event handler attribute (`onclick`, `onsubmit`, …) against the
//! parsing document's Content Security Policy as it creates the element: a snapshot of a page
//! with handlers made the extension's own frame report CSP violations for the page's code.
//! [`defuse_handlers`] renames every such attribute in start tags (`onclick` → `x-onclick`)
//! before the markup is parsed, so no handler of the page is ever created in an extension
//! document. Nothing the readers use is an event handler attribute.
//!
//! The scan follows the WHATWG tokenizer where it matters for finding attributes: tag names
//! and attributes (quoted and unquoted values), comments (`<!-- -->`, `<!-->`, bogus comments
//! `<!…>` and `<?…>`), raw text (`script`, `style`, `xmp`, `iframe`, `noembed`, `noframes`) and
//! escapable raw text (`textarea`, `title`) up to their end tag, and `plaintext`. `noscript`
//! is ordinary markup, as `DOMParser` (scripting disabled) parses it.

/// The prefix given to an event handler attribute's name.
pub const RENAMED_PREFIX: &str = "x-";

/// The markup with every event handler attribute of a start tag renamed, or `None` when it
/// has none (the markup is used as it is).
pub fn defuse_handlers(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut renames: Vec<usize> = Vec::new(); // byte offsets of handler attribute names
    let mut i = 0;
    while let Some(lt) = find_byte(bytes, b'<', i) {
        i = lt + 1;
        match bytes.get(i) {
            Some(b'!') => i = skip_declaration(bytes, i + 1),
            Some(b'?') => i = find_byte(bytes, b'>', i).map_or(bytes.len(), |gt| gt + 1),
            Some(b'/') if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                i = scan_tag(bytes, i + 1, &mut Vec::new()).0;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (end, name) = scan_tag(bytes, i, &mut renames);
                i = end;
                if let Some(text_end) = raw_text_end(bytes, i, name) {
                    i = text_end;
                }
            }
            _ => {}
        }
    }
    if renames.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len() + renames.len() * RENAMED_PREFIX.len());
    let mut from = 0;
    for at in renames {
        out.push_str(html.get(from..at)?);
        out.push_str(RENAMED_PREFIX);
        from = at;
    }
    out.push_str(html.get(from..)?);
    Some(out)
}

fn find_byte(bytes: &[u8], byte: u8, from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|b| *b == byte)
        .map(|p| p + from)
}

fn find_seq(bytes: &[u8], seq: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(seq.len())
        .position(|w| w == seq)
        .map(|p| p + from)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// After `<!`: a comment, or a bogus comment / doctype up to `>`. Returns where data resumes.
fn skip_declaration(bytes: &[u8], at: usize) -> usize {
    if bytes.get(at..at + 2) == Some(b"--") {
        let body = at + 2;
        // `<!-->` and `<!--->` are (empty) comments.
        if bytes.get(body) == Some(&b'>') {
            return body + 1;
        }
        if bytes.get(body..body + 2) == Some(b"->") {
            return body + 2;
        }
        let ends = [
            find_seq(bytes, b"-->", body).map(|e| e + 3),
            find_seq(bytes, b"--!>", body).map(|e| e + 4),
        ];
        return ends.into_iter().flatten().min().unwrap_or(bytes.len());
    }
    find_byte(bytes, b'>', at).map_or(bytes.len(), |gt| gt + 1)
}

/// Scans a tag from its name (just after `<` or `</`); records the offsets of event handler
/// attribute names in `renames`. Returns where data resumes and the tag name (lower case, at
/// most 9 bytes kept: enough for every raw text element).
fn scan_tag(bytes: &[u8], at: usize, renames: &mut Vec<usize>) -> (usize, [u8; 9]) {
    let mut name = [0u8; 9];
    let mut i = at;
    let mut len = 0;
    while let Some(&b) = bytes.get(i) {
        if is_space(b) || b == b'/' || b == b'>' {
            break;
        }
        if let Some(slot) = name.get_mut(len) {
            *slot = b.to_ascii_lowercase();
        }
        len += 1;
        i += 1;
    }
    if len > name.len() {
        name = [0; 9]; // too long to be a raw text element
    }
    loop {
        // Before an attribute name.
        while bytes.get(i).is_some_and(|b| is_space(*b) || *b == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return (bytes.len(), name),
            Some(b'>') => return (i + 1, name),
            Some(_) => {}
        }
        // The attribute name: its first character may be `=`.
        let start = i;
        i += 1;
        while let Some(&b) = bytes.get(i) {
            if is_space(b) || b == b'/' || b == b'>' || b == b'=' {
                break;
            }
            i += 1;
        }
        let is_handler = bytes
            .get(start..start + 2)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"on"));
        if is_handler {
            renames.push(start);
        }
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        match bytes.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                i = find_byte(bytes, q, i + 1).map_or(bytes.len(), |e| e + 1);
            }
            _ => {
                while bytes.get(i).is_some_and(|b| !is_space(*b) && *b != b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// After the start tag of a raw text or escapable raw text element: where its end tag starts
/// (the text is never markup); the end of the input for `plaintext`; `None` for other
/// elements.
fn raw_text_end(bytes: &[u8], at: usize, name: [u8; 9]) -> Option<usize> {
    let name: &[u8] = name.split(|b| *b == 0).next().unwrap_or(&[]);
    const RAW: [&[u8]; 8] = [
        b"script",
        b"style",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
        b"textarea",
        b"title",
    ];
    if name == b"plaintext" {
        return Some(bytes.len());
    }
    if !RAW.contains(&name) {
        return None;
    }
    let mut i = at;
    while let Some(lt) = find_byte(bytes, b'<', i) {
        let candidate = bytes.get(lt + 2..lt + 2 + name.len());
        let after = bytes.get(lt + 2 + name.len());
        if bytes.get(lt + 1) == Some(&b'/')
            && candidate.is_some_and(|c| c.eq_ignore_ascii_case(name))
            && after.is_none_or(|b| is_space(*b) || *b == b'/' || *b == b'>')
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    Some(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defused(html: &str) -> String {
        defuse_handlers(html).unwrap_or_else(|| html.to_string())
    }

    #[test]
    fn renames_handlers_in_start_tags_only() {
        assert_eq!(
            defused(
                r#"<form onsubmit="return false"><input type=search value="a@b.example" ONFOCUS=x()></form>"#
            ),
            r#"<form x-onsubmit="return false"><input type=search value="a@b.example" x-ONFOCUS=x()></form>"#
        );
        assert_eq!(
            defused(r#"<a href="x"onclick='y' /onmouseover=z>t</a>"#),
            r#"<a href="x"x-onclick='y' /x-onmouseover=z>t</a>"#
        );
        assert_eq!(
            defused("<img src=x onerror = alert(1)>"),
            "<img src=x x-onerror = alert(1)>"
        );
        assert_eq!(
            defuse_handlers("<p>Sign on, online: one <b>bold</b></p>"),
            None
        );
        assert_eq!(
            defuse_handlers(r#"<div title="onclick=x" data-on="1">"#),
            None
        );
        assert_eq!(defuse_handlers("<div id=a>x</div onclick=y>"), None);
    }

    #[test]
    fn text_that_only_looks_like_a_tag_is_kept() {
        for html in [
            "<script>var s = '<a onclick=x>';</script>",
            "<style>a[onclick] { color: red } /* <b onclick=x> */</style>",
            "<textarea><img onerror=x></textarea>",
            "<title><b onclick=x></title>",
            "<!-- <a onclick=x> -->",
            "<!-- a --!><p>",
            "<!DOCTYPE html onclick>",
            "<?xml onclick=x?>",
            "<plaintext><a onclick=x>",
            "a < b onclick=c",
            "<xmp><a onclick=x></xmp>",
        ] {
            assert_eq!(defuse_handlers(html), None, "{html}");
        }
        // After the raw text's end tag, markup again.
        assert_eq!(
            defused("<script>x</scripty></SCRIPT ><a onclick=y>"),
            "<script>x</scripty></SCRIPT ><a x-onclick=y>"
        );
        assert_eq!(defused("<!--><a onclick=y>"), "<!--><a x-onclick=y>");
        assert_eq!(defused("<!---><a onclick=y>"), "<!---><a x-onclick=y>");
        // `noscript` is markup in a DOMParser document.
        assert_eq!(
            defused("<noscript><a onclick=y></noscript>"),
            "<noscript><a x-onclick=y></noscript>"
        );
    }

    #[test]
    fn unfinished_markup_and_non_ascii() {
        for html in [
            "<",
            "<a",
            "<a onclick",
            "<a onclick=\"",
            "<!--",
            "<script>",
            "<a b='é",
            "é<ö onclick=1>",
        ] {
            let _ = defuse_handlers(html);
        }
        assert_eq!(defused("<a onclick"), "<a x-onclick");
        assert_eq!(defused("<é onclick=1>ü"), "<é onclick=1>ü"); // `<é` is text, not a tag
        assert_eq!(
            defused("<b title='ä' onclick=1>ü"),
            "<b title='ä' x-onclick=1>ü"
        );
    }
}
