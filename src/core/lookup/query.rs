//! The popup's search box: an address, whatever the engineer pasted around it.

use crate::core::email;

/// What the popup searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The address as typed (trimmed, `mailto:` and brackets removed).
    pub shown: String,
    /// [`email::normalise`]d: the store's key.
    pub key: String,
}

/// The longest input read (an address is at most 254 characters; a pasted ticket is not an
/// address).
const MAX_INPUT: usize = 512;

/// Reads the search box: whitespace, `mailto:`, angle brackets, quotes and a trailing
/// `?subject=…` are stripped; `Jane <jane@example.com>` gives the bracketed address. `Err`
/// is a message to show under the box.
pub fn parse_query(input: &str) -> Result<Query, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("Type or paste an email address.".into());
    }
    if trimmed.len() > MAX_INPUT {
        return Err("That is too long to be an email address.".into());
    }
    // "Name <address>": the part in brackets.
    let inner = bracketed(trimmed).unwrap_or(trimmed);
    let mut text = inner.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if let Some((scheme, rest)) = text.split_at_checked(7) {
        if scheme.eq_ignore_ascii_case("mailto:") {
            text = rest.trim();
        }
    }
    if let Some((address, _)) = text.split_once('?') {
        text = address;
    }
    let text = text.trim().trim_matches(|c| c == '<' || c == '>').trim();
    if text.chars().any(char::is_whitespace) {
        return Err(format!(
            "“{}” has spaces in it: search for one address.",
            shorten(text)
        ));
    }
    match email::normalise(text) {
        Some(key) => Ok(Query {
            shown: text.to_string(),
            key,
        }),
        None if !text.contains('@') => Err(format!(
            "“{}” is not an email address (no @).",
            shorten(text)
        )),
        None => Err(format!("“{}” is not a valid email address.", shorten(text))),
    }
}

/// The part between the last `<` and the last `>` after it: "Name <a@b.c>" → "a@b.c".
fn bracketed(text: &str) -> Option<&str> {
    let (_, after_open) = text.rsplit_once('<')?;
    let (inner, _) = after_open.rsplit_once('>')?;
    Some(inner)
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_is_pasted_around_an_address() {
        for input in [
            "  jane.doe@example.com ",
            "mailto:jane.doe@example.com",
            "MAILTO: jane.doe@example.com",
            "<jane.doe@example.com>",
            "Jane Doe <jane.doe@example.com>",
            "\"jane.doe@example.com\"",
            "mailto:jane.doe@example.com?subject=Sign%20in",
            "\tjane.doe@example.com\n",
        ] {
            let q = parse_query(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(q.shown, "jane.doe@example.com", "{input:?}");
            assert_eq!(q.key, "jane.doe@example.com");
        }
        assert_eq!(
            parse_query("Jane@Example.COM").unwrap().key,
            "jane@example.com"
        );
        assert_eq!(
            parse_query("first+tag@example.com").unwrap().shown,
            "first+tag@example.com"
        );
    }

    #[test]
    fn says_what_is_wrong_with_something_else() {
        assert_eq!(
            parse_query("   ").unwrap_err(),
            "Type or paste an email address."
        );
        assert_eq!(
            parse_query("jane.doe").unwrap_err(),
            "“jane.doe” is not an email address (no @)."
        );
        assert!(parse_query("jane@@example.com")
            .unwrap_err()
            .contains("not a valid email address"));
        assert!(parse_query("jane@example.com bob@example.com")
            .unwrap_err()
            .contains("one address"));
        assert!(parse_query(&"a".repeat(600))
            .unwrap_err()
            .contains("too long"));
        let long = format!("{}@", "é".repeat(100));
        assert!(parse_query(&long).unwrap_err().contains('…'));
        // Multi-byte text where "mailto:" would be: no slicing inside a character.
        assert!(parse_query("maéééé@").is_err());
    }
}
