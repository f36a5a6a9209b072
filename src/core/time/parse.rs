//! The one date, clock and zone parser: the tokens every format the product reads is made of
//! (digits, a clock, a zone, a month name, an ISO 8601 date-time, a valid calendar date), and
//! the admin's formats built from them. `core::mail::shown_time` builds Mailgun's formats from
//! the same tokens.
//!
//! Page text is arbitrary Unicode: nothing here slices a string at a byte offset it did not
//! find on a character boundary (`get`, `split_at_checked`, `strip_prefix`), so a token such
//! as `+1é1` is refused, never a panic.
//!
//! RailsAdmin renders datetimes with `I18n.l(time, format: "%B %d, %Y %H:%M")` in the app's
//! zone (UTC unless configured), e.g. "March 05, 2024 14:07". ISO 8601 and Rails' default
//! `to_s` ("2024-03-05 14:07:00 UTC") are accepted too. Anything else is not guessed: the
//! caller keeps the text and flags it.

use super::{UtcTime, MONTHS};

/// `text` as a number of `min..=max` ASCII digits (no sign, no space).
pub(crate) fn digits<T: std::str::FromStr>(text: &str, min: usize, max: usize) -> Option<T> {
    (text.len() >= min && text.len() <= max && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// "14:07", "9:14", "14:07:09", "14:07:09.123" (the fraction dropped; a leap second read as
/// :59): (hour, minute, second) of a 24-hour clock.
pub(crate) fn clock(text: &str) -> Option<(u32, u32, u32)> {
    let (text, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut it = text.split(':');
    let h = digits(it.next()?, 1, 2)?;
    let mi = digits(it.next()?, 2, 2)?;
    let s = match it.next() {
        Some(s) => digits(s, 2, 2)?,
        None => 0,
    };
    (it.next().is_none() && h < 24 && mi < 60 && s <= 60).then_some((h, mi, s.min(59)))
}

/// A zone as an offset in seconds east of UTC: "Z", "UTC", "GMT", "UTC+1", "GMT+01:00",
/// "GMT+0100", "+0100", "+01:00", "-05:00" (any case). Named zones ("PST", "CET",
/// "Europe/Berlin") are refused: their offset depends on the date and is not guessed.
pub(crate) fn zone(token: &str) -> Option<i64> {
    if token.is_empty() {
        return None;
    }
    // Compared in place, without an upper-cased copy.
    let rest = strip_prefix_ignore_case(token, "UTC")
        .or_else(|| strip_prefix_ignore_case(token, "GMT"))
        .unwrap_or(token);
    if rest.is_empty() || rest.eq_ignore_ascii_case("Z") {
        return Some(0);
    }
    let (sign, body) = match (rest.strip_prefix('+'), rest.strip_prefix('-')) {
        (Some(body), _) => (1, body),
        (_, Some(body)) => (-1, body),
        _ => return None,
    };
    let (h, m): (i64, i64) = match body.split_once(':') {
        Some((h, m)) => (digits(h, 1, 2)?, digits(m, 2, 2)?),
        None if body.len() <= 2 => (digits(body, 1, 2)?, 0),
        None => {
            // "+0100": two digits each (`split_at_checked` refuses a cut inside a character).
            let (h, m) = body.split_at_checked(2)?;
            (digits(h, 2, 2)?, digits(m, 2, 2)?)
        }
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// A month by name, any case: "March", "Mar", "Mar.", "Sept". 1 to 12.
pub(crate) fn month(token: &str) -> Option<u32> {
    // Compared without a lower-cased copy, and a token not starting with a letter (a day, a
    // year, a clock: most of a shown time's tokens) is none: every token is tried here first.
    if !token
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let name = token.trim_end_matches('.');
    // The first three letters name the month.
    let abbr = name.get(..3)?;
    let (i, full) = MONTHS
        .iter()
        .enumerate()
        .find(|(_, m)| m.get(..3).is_some_and(|m| m.eq_ignore_ascii_case(abbr)))?;
    (name.len() == 3
        || full.eq_ignore_ascii_case(name)
        || (i == 8 && name.eq_ignore_ascii_case("sept")))
    .then(|| u32::try_from(i).ok().map(|i| i + 1))
    .flatten()
}

/// `text` without `prefix`, compared in any ASCII case.
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// A valid calendar date and clock from 1970 to 9999, as the instant it names in UTC (the
/// caller applies a zone). `None` for February 30th, hour 24 and the like.
pub(crate) fn civil(year: i64, month: u32, day: u32, h: u32, mi: u32, s: u32) -> Option<UtcTime> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let len = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1970..=9999).contains(&year) && (1..=len).contains(&day) && h < 24 && mi < 60 && s < 60)
        .then(|| UtcTime::from_civil(year, month, day, h, mi, s))
}

/// An ISO 8601 date-time as read: "2024-03-05", "2024-03-05T14:07:00Z",
/// "2024-03-05 14:07:00.123 +01:00", "2024-03-05 14:07:00 UTC".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Iso {
    /// The date (and clock) as written, encoded as if UTC.
    pub wall: UtcTime,
    pub has_clock: bool,
    /// The zone written after the clock, seconds east of UTC.
    pub zone: Option<i64>,
}

/// Whether `text` starts like an ISO date ("2024-03-05…"): then it is read as one or not at all.
pub(crate) fn looks_iso(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-')
}

pub(crate) fn iso(text: &str) -> Option<Iso> {
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year = digits(parts.next()?, 4, 4)?;
    let month = digits(parts.next()?, 2, 2)?;
    let day = digits(parts.next()?, 2, 2)?;
    if parts.next().is_some() {
        return None;
    }
    if rest.is_empty() {
        return Some(Iso {
            wall: civil(year, month, day, 0, 0, 0)?,
            has_clock: false,
            zone: None,
        });
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let clock_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (clock_text, zone_text) = rest.split_at_checked(clock_end)?;
    let (h, mi, s) = clock(clock_text)?;
    let zone_text = zone_text.trim();
    Some(Iso {
        wall: civil(year, month, day, h, mi, s)?,
        has_clock: true,
        zone: match zone_text {
            "" => None,
            z => Some(zone(z)?),
        },
    })
}

/// Parses a datetime as the admin shows it. `None` means "not a format we know", never a guess.
///
/// `zone_offset` (seconds east of UTC) is the admin's `Time.zone`: RailsAdmin's long format
/// carries no zone, so a time shown without one is taken to be in that zone (UTC by default).
pub fn parse_admin_datetime(text: &str, zone_offset: i64) -> Option<UtcTime> {
    let text = text.trim();
    let in_zone = |t: UtcTime, offset: i64| UtcTime(t.0 - offset);
    if looks_iso(text) {
        let iso = iso(text)?;
        return Some(in_zone(iso.wall, iso.zone.unwrap_or(zone_offset)));
    }
    parse_long_format(text)
        .map(|t| in_zone(t, zone_offset))
        .or_else(|| parse_rails_default(text))
}

/// GitLab's `to_fs(:medium)` on its admin pages: "Jan 18, 2007 6:10am" (`'%b %-d, %Y
/// %-I:%M%P'`, config/initializers/date_time_formats.rb) and the date-only "Jan 18, 2007". No
/// zone is shown: the instance's zone, UTC on GitLab.com. `None`: not that format.
pub fn parse_gitlab_medium(text: &str) -> Option<UtcTime> {
    let text = text.trim();
    let (month_abbr, rest) = text.split_once(' ')?;
    let month = month(month_abbr).filter(|_| month_abbr.len() == 3)?;
    let (day, rest) = rest.trim_start().split_once(',')?;
    let day: u32 = digits(day.trim(), 1, 2)?;
    let mut parts = rest.split_whitespace();
    let year: i64 = digits(parts.next()?, 4, 4)?;
    let (hour, min) = match parts.next() {
        None => (0, 0),
        Some(token) => {
            let lower = token.to_ascii_lowercase();
            let (clock_text, pm) = match (lower.strip_suffix("am"), lower.strip_suffix("pm")) {
                (Some(c), _) => (c, false),
                (_, Some(c)) => (c, true),
                _ => return None,
            };
            let (h, mi, _) = clock(clock_text)?;
            if h == 0 || h > 12 {
                return None;
            }
            (h % 12 + if pm { 12 } else { 0 }, mi)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    civil(year, month, day, hour, min, 0)
}

/// Rails' `time.formats.default`: "Tue, 05 Mar 2024 14:07:00 +0000" (the weekday is checked
/// only for being a name, the date decides).
fn parse_rails_default(text: &str) -> Option<UtcTime> {
    let (weekday, rest) = text.split_once(", ")?;
    if weekday.len() != 3 || !weekday.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut parts = rest.split_whitespace();
    let day: u32 = digits(parts.next()?, 1, 2)?;
    let month_abbr = parts.next()?;
    let month = month(month_abbr).filter(|_| month_abbr.len() == 3)?;
    let year: i64 = digits(parts.next()?, 4, 4)?;
    let (hour, min, sec) = clock(parts.next()?)?;
    let offset = zone(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    civil(year, month, day, hour, min, sec).map(|t| UtcTime(t.0 - offset))
}

/// "March 05, 2024 14:07" (and "March 5, 2024 14:07:09", "March 05, 2024" for Date fields):
/// the month's full name.
fn parse_long_format(text: &str) -> Option<UtcTime> {
    let (month_name, rest) = text.split_once(' ')?;
    let month = month(month_name).filter(|m| {
        MONTHS
            .get(*m as usize - 1)
            .is_some_and(|full| full.eq_ignore_ascii_case(month_name))
    })?;
    let (day, rest) = rest.trim_start().split_once(',')?;
    let day: u32 = digits(day.trim(), 1, 2)?;
    let mut parts = rest.split_whitespace();
    let year: i64 = digits(parts.next()?, 4, 4)?;
    let (hour, min, sec) = match parts.next() {
        None => (0, 0, 0),
        Some(text) => clock(text)?,
    };
    if parts.next().is_some() {
        return None;
    }
    civil(year, month, day, hour, min, sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(clock("9:14"), Some((9, 14, 0)));
        assert_eq!(clock("23:59:60.5"), Some((23, 59, 59)));
        assert_eq!(clock("24:00"), None);
        assert_eq!(zone("+0100"), Some(3600));
        assert_eq!(zone("gmt-05:30"), Some(-(5 * 3600 + 30 * 60)));
        assert_eq!(zone("UTC+1"), Some(3600));
        assert_eq!(zone("z"), Some(0));
        assert_eq!(zone(""), None);
        assert_eq!(zone("+15"), None);
        assert_eq!(month("Sept"), Some(9));
        assert_eq!(month("nov."), Some(11));
        assert_eq!(month("Marchy"), None);
    }

    #[test]
    fn gitlab_medium_format() {
        let t = |y, mo, d, h, mi| Some(UtcTime::from_civil(y, mo, d, h, mi, 0));
        assert_eq!(
            parse_gitlab_medium("Jan 18, 2007 6:10am"),
            t(2007, 1, 18, 6, 10)
        );
        assert_eq!(
            parse_gitlab_medium("Nov 3, 2026 12:05pm"),
            t(2026, 11, 3, 12, 5)
        );
        assert_eq!(
            parse_gitlab_medium("Nov 3, 2026 12:05am"),
            t(2026, 11, 3, 0, 5)
        );
        assert_eq!(
            parse_gitlab_medium(" Mar 21, 2026 11:59PM "),
            t(2026, 3, 21, 23, 59)
        );
        assert_eq!(parse_gitlab_medium("Feb 9, 2024"), t(2024, 2, 9, 0, 0));
        for bad in [
            "never",
            "Jan 18, 2007 6:10",
            "Jan 18, 2007 13:10pm",
            "Jan 18, 2007 0:10am",
            "January 18, 2007 6:10am",
            "Feb 30, 2024",
            "Jan 18, 2007 6:10am UTC",
            "Jan 18, 2007 6:1éam",
        ] {
            assert_eq!(parse_gitlab_medium(bad), None, "{bad}");
        }
    }

    /// Regression (issue 17): byte slicing inside a multi-byte character panicked.
    #[test]
    fn non_ascii_inside_a_token_is_refused_not_a_panic() {
        for token in [
            "+1é1", "+é100", "+01é", "GMT+1é1", "+1:é1", "é", "+0€", "+€",
        ] {
            assert_eq!(zone(token), None, "{token:?}");
        }
        for text in ["9:1é", "é:14", "09:14:0é", "09:14.é"] {
            assert_eq!(clock(text), None, "{text:?}");
        }
        for text in [
            "2024-03-05T14:07:00+1é1",
            "2024-03-0é",
            "2024-03-05Té4:07",
            "2024-03-05 14:07:00 +1é1",
            "2é24-03-05",
            "202é-03-05 14:07",
        ] {
            assert_eq!(iso(text), None, "{text:?}");
            assert_eq!(parse_admin_datetime(text, 0), None, "{text:?}");
        }
        assert_eq!(month("mé"), None);
        assert_eq!(month("maé"), None);
        assert_eq!(
            parse_admin_datetime("Tue, 05 Mar 2024 14:07:00 +1é1", 0),
            None
        );
    }
}
