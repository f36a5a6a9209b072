//! Email addresses: recognising them in page text and normalising them into store keys.

/// The key observations are stored under: trimmed, `mailto:` stripped, lower-cased.
///
/// Returns `None` for anything that is not a plausible single address, so a mangled value
/// never becomes a key that silently matches nothing.
pub fn normalise(shown: &str) -> Option<String> {
    let trimmed = shown.trim();
    let without_scheme = match trimmed.split_at_checked(7) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mailto:") => rest,
        _ => trimmed,
    };
    let candidate = without_scheme.trim();
    if !is_address(candidate) {
        return None;
    }
    // ASCII lower-cases letter for letter: the key is an address as the candidate is.
    if candidate.is_ascii() {
        return Some(candidate.to_ascii_lowercase());
    }
    // The key must be an address too (found by fuzzing: "İ" lower-cases to "i" and a
    // combining dot, which is not a letter), so that a key normalises to itself.
    let key = candidate.to_lowercase();
    is_address(&key).then_some(key)
}

/// The key of a text that [`is_address`] accepts as it stands (a reader's split found it),
/// as [`normalise`] gives it, without checking it a second time: an accepted text has no
/// space and no `mailto:` (its colon is no address character), so an ASCII one is its key
/// lower-cased; another goes through [`normalise`].
pub fn key_of_address(address: &str) -> Option<String> {
    debug_assert!(is_address(address), "{address:?}");
    if address.is_ascii() {
        Some(address.to_ascii_lowercase())
    } else {
        normalise(address)
    }
}

/// Whether every character of `s` passes: `ascii` for ASCII ones (tested byte by byte when
/// the whole text is ASCII, as nearly every address is), `other` for the rest.
fn all_chars(s: &str, ascii: impl Fn(u8) -> bool, other: impl Fn(char) -> bool) -> bool {
    if s.is_ascii() {
        s.bytes().all(ascii)
    } else {
        s.chars().all(|c| match u8::try_from(c) {
            Ok(b) if b.is_ascii() => ascii(b),
            _ => other(c),
        })
    }
}

/// An ASCII character a local part may hold: a letter, a digit or one of
/// ``!#$%&'*+/=?^_`{|}~.-`` (one `match`, not a search of that list for every character).
fn is_local_byte(b: u8) -> bool {
    matches!(b,
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
        | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'/' | b'=' | b'?' | b'^'
        | b'_' | b'`' | b'{' | b'|' | b'}' | b'~' | b'.' | b'-')
}

/// A pragmatic address check: one `@`, a non-empty local part of visible characters and a
/// dotted domain of letters, digits and hyphens. It accepts what CustomersDot and Mailgun show
/// and rejects prose, markup and lists.
pub fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || domain.contains('@') {
        return false;
    }
    // `char::is_alphanumeric` is `is_ascii_alphanumeric` on ASCII.
    let local_ok = all_chars(local, is_local_byte, char::is_alphanumeric)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && all_chars(
                    l,
                    |b| b.is_ascii_alphanumeric() || b == b'-',
                    char::is_alphanumeric,
                )
        })
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().any(|c| c.is_alphabetic()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_part_byte_is_a_letter_a_digit_or_one_of_the_list() {
        for b in 0..=u8::MAX {
            let want = b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b);
            assert_eq!(is_local_byte(b), want, "{b:#04x}");
        }
    }

    #[test]
    fn an_accepted_address_keys_as_normalise_keys_it() {
        for text in [
            "Jane.Doe@Example.com",
            "first+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "ÜLLA@exämple.de",
            "İstanbul@example.com",
            "x@y.io",
        ] {
            assert!(is_address(text), "{text:?}");
            assert_eq!(key_of_address(text), normalise(text), "{text:?}");
        }
        // What it is never given: a text the split would not accept.
        for text in [
            "mailto:jane@example.com",
            " jane@example.com",
            "MAILTO:j@e.com",
        ] {
            assert!(!is_address(text), "{text:?}");
        }
    }

    #[test]
    fn normalises_case_whitespace_and_mailto() {
        let cases = [
            ("Jane.Doe@Example.com", Some("jane.doe@example.com")),
            ("  jdoe@example.com\n", Some("jdoe@example.com")),
            ("mailto:JDoe@example.com", Some("jdoe@example.com")),
            ("MAILTO: jdoe@example.com", Some("jdoe@example.com")),
            (
                "first+tag@sub.example.co.uk",
                Some("first+tag@sub.example.co.uk"),
            ),
        ];
        for (shown, key) in cases {
            assert_eq!(normalise(shown).as_deref(), key, "{shown:?}");
        }
    }

    #[test]
    fn rejects_what_is_not_one_address() {
        for text in [
            "",
            " - ",
            "jdoe",
            "jdoe@",
            "@example.com",
            "jdoe@example",
            "a@b@example.com",
            "jdoe@example.com, other@example.com",
            "<b>jdoe@example.com</b>",
            "jdoe@-example.com",
            "j..doe@example.com",
            "jdoe@example.123",
        ] {
            assert_eq!(normalise(text), None, "{text:?}");
        }
    }

    /// Regression (tests/fuzz_parsers.rs): a key is an address and normalises to itself.
    #[test]
    fn keys_normalise_to_themselves() {
        for text in [
            "a@A.İa",
            "İx@example.com",
            "ẞ@example.com",
            "x@ΣΑ.gr",
            "K@example.com",
        ] {
            if let Some(key) = normalise(text) {
                assert!(is_address(&key), "{text:?} → {key:?}");
                assert_eq!(normalise(&key).as_deref(), Some(key.as_str()), "{text:?}");
            }
        }
        assert_eq!(normalise("İx@example.com"), None);
        assert_eq!(normalise("x@ΣΑ.gr").as_deref(), Some("x@σα.gr"));
    }
}
