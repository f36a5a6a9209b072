//! The times Mailgun's web app shows, and the date ranges of its pickers.
//!
//! Mailgun's DOM is not public, so the formats below are the ones a JavaScript app renders
//! with `Intl`/`toLocaleString` (en-US) or moment-style patterns, plus what its JSON and
//! headers carry:
//! - "11/22/2026 09:14:03 AM", "11/22/2026, 9:14 AM", "11/22/26, 9:14 AM" (US month first;
//!   a first number above 12 is refused rather than read day-first);
//! - "Nov 22, 2026, 9:14:03 AM", "November 22, 2026 at 9:14 AM", "Nov 22 2026 09:14:03";
//! - "Sun, 22 Nov 2026 09:14:03 UTC" / "+0000" / "GMT" (RFC 2822, as in the API's `begin`);
//! - "Sun Nov 22 2026 09:14:03 GMT+0100 (Central European Standard Time)" (`Date#toString`);
//! - ISO 8601 with or without zone; epoch seconds ("1763802843.123").
//!
//! **Zone.** A time shown without a zone is, we assume, the browser's local time: single-page
//! apps format `Date` objects in the browser's zone, and the banner runs in the same browser.
//! The caller supplies that offset (the reader asks `js_sys::Date`); the result records the
//! assumption ([`TimeBasis::AssumedBrowserLocal`]), or [`TimeBasis::AssumedUtc`] when no
//! offset is available. Named zones other than UTC/GMT ("PST", "CET") are refused, not guessed.

use super::{RangeShown, TimeBasis};
use crate::core::time::parse::{
    civil, clock as parse_clock, digits, iso, looks_iso, month as month_of,
};
use crate::core::time::{parse::zone as parse_zone, UtcTime};

/// A time as shown: its wall-clock fields and what the text said about the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownTime {
    /// The wall-clock fields, encoded as if they were UTC.
    pub wall: UtcTime,
    pub zone: ShownZone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownZone {
    /// Epoch seconds: `wall` is the instant.
    Epoch,
    /// An explicit offset, seconds east of UTC.
    Offset(i64),
    /// No zone in the text.
    NotShown,
}

impl ShownTime {
    /// The instant, and how it was established. `local_offset` gives the browser's offset
    /// (minutes east of UTC) at a wall-clock time, when known.
    pub fn to_utc(&self, local_offset: &dyn Fn(UtcTime) -> Option<i32>) -> (UtcTime, TimeBasis) {
        match self.zone {
            ShownZone::Epoch => (self.wall, TimeBasis::Epoch),
            ShownZone::Offset(secs) => (UtcTime(self.wall.0 - secs), TimeBasis::ZoneShown),
            ShownZone::NotShown => match local_offset(self.wall) {
                Some(minutes) => (
                    UtcTime(self.wall.0 - i64::from(minutes) * 60),
                    TimeBasis::AssumedBrowserLocal {
                        offset_minutes: minutes,
                    },
                ),
                None => (self.wall, TimeBasis::AssumedUtc),
            },
        }
    }
}

/// Parses a time as the logs pages show it (a clock is required). `None`: not a format we
/// know, never a guess.
pub fn parse_shown_time(text: &str) -> Option<ShownTime> {
    let text = text.trim();
    // Every form below has digits; most cells of a log row (words, addresses) have none.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(t) = parse_epoch(text) {
        return Some(ShownTime {
            wall: t,
            zone: ShownZone::Epoch,
        });
    }
    if looks_iso(text) {
        // ISO 8601 ("2026-11-22T09:14:03Z", "2026-11-22 09:14:03.120 +01:00", "... UTC");
        // a clock is required; without a zone it is wall time.
        let iso = iso(text).filter(|t| t.has_clock)?;
        return Some(ShownTime {
            wall: iso.wall,
            zone: iso.zone.map_or(ShownZone::NotShown, ShownZone::Offset),
        });
    }
    let parts = parse_parts(text)?;
    let (h, mi, s) = parts.clock?;
    Some(ShownTime {
        wall: civil(parts.year, parts.month, parts.day, h, mi, s)?,
        zone: parts.zone,
    })
}

/// Whether `text` looks like a time the page shows (a clock and a date: "12/01/2026, 03:59:23
/// PM +1é1") even when [`parse_shown_time`] cannot read it: a row's time cell then makes the
/// row "could not be read" instead of being taken for its subject or status message.
pub fn looks_like_time(text: &str) -> bool {
    let spaced = text.replace(',', " ");
    let mut clock = false;
    let mut date = false;
    for token in spaced.split_whitespace() {
        let digit_first = token.starts_with(|c: char| c.is_ascii_digit());
        clock |= digit_first && token.contains(':');
        date |=
            (digit_first && (token.contains('/') || looks_iso(token))) || month_of(token).is_some();
    }
    clock && date
}

/// A date range as a picker shows it: "Last 30 days", "Last 24 hours",
/// "Nov 1, 2026 – Nov 23, 2026", "11/01/2026 - 11/23/2026". `None` when the text is not one.
pub fn parse_range(
    text: &str,
    local_offset: &dyn Fn(UtcTime) -> Option<i32>,
) -> Option<RangeShown> {
    let shown = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = shown.to_lowercase();
    let mut range = RangeShown {
        text: shown.clone(),
        last_days: None,
        from: None,
        to: None,
    };
    if let Some(rest) = lower.strip_prefix("last ").or(lower.strip_prefix("past ")) {
        let mut words = rest.split(' ');
        let (n, unit) = match (words.next(), words.next()) {
            (Some(n), Some(unit)) => (n.parse::<u32>().ok()?, unit),
            (Some(unit), None) => (1, unit),
            _ => return None,
        };
        // A count too large to be a range (found by fuzzing: it overflowed) is not one.
        range.last_days = Some(match unit.trim_end_matches('s') {
            "day" => n,
            "hour" => n.div_ceil(24),
            "week" => n.checked_mul(7)?,
            "month" => n.checked_mul(30)?,
            _ => return None,
        });
        return Some(range);
    }
    if lower == "today" {
        range.last_days = Some(0);
        return Some(range);
    }
    let (a, b) = [" – ", " — ", " - ", " to "]
        .iter()
        .find_map(|sep| shown.split_once(sep))?;
    let start = parse_parts(a.trim())?;
    let end = parse_parts(b.trim())?;
    let resolve = |p: &Parts, end_of_day: bool| -> Option<UtcTime> {
        let (h, mi, s) = p.clock.unwrap_or((0, 0, 0));
        let mut wall = civil(p.year, p.month, p.day, h, mi, s)?;
        if end_of_day && p.clock.is_none() {
            wall = UtcTime(wall.0 + 86_400);
        }
        Some(ShownTime { wall, zone: p.zone }.to_utc(local_offset).0)
    };
    range.from = resolve(&start, false);
    range.to = resolve(&end, true);
    Some(range)
}

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    clock: Option<(u32, u32, u32)>,
    zone: ShownZone,
}

/// A weekday's name, full or in three letters, in any case, with or without a dot.
fn is_weekday(token: &str) -> bool {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let name = token.trim_end_matches('.');
    WEEKDAYS.iter().any(|day| {
        name.eq_ignore_ascii_case(day) || day.get(..3).is_some_and(|d| name.eq_ignore_ascii_case(d))
    })
}

/// Date (required), clock (optional) and zone (optional) from the non-ISO formats. Nothing is
/// copied: every row of a log page has a time, read here.
fn parse_parts(text: &str) -> Option<Parts> {
    // "(Central European Standard Time)" after a GMT offset repeats it in words.
    let text = match text.split_once('(') {
        Some((before, _)) if text.trim_end().ends_with(')') => before,
        _ => text,
    };
    // "at" ("November 22, 2026 at 9:14 AM") says nothing.
    let mut tokens = Words { rest: text }
        .filter(|t| !t.eq_ignore_ascii_case("at"))
        .peekable();
    // A leading weekday is only checked for being one: the date decides.
    let _weekday = tokens.next_if(|t| is_weekday(t));
    let mut year = None;
    let mut month = None;
    let mut day = None;
    let mut clock = None;
    let mut meridiem = None;
    let mut zone = ShownZone::NotShown;
    // A year and a day at most: a third bare number is not a date we know.
    let mut numbers: [&str; 2] = [""; 2];
    let mut count = 0;
    for token in tokens {
        if let Some(m) = month_of(token) {
            if month.replace(m).is_some() {
                return None;
            }
        } else if token.contains('/') {
            let mut it = token.split('/');
            let (m, d, y) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() || month.is_some() {
                return None;
            }
            // US order. A first number above 12 would mean day-first: refused, not guessed.
            month = Some(digits(m, 1, 2)?);
            day = Some(digits(d, 1, 2)?);
            year = Some(match y.len() {
                4 => digits(y, 4, 4)?,
                // Intl's short format ("11/22/26"): this century.
                2 => 2000 + digits::<i64>(y, 2, 2)?,
                _ => return None,
            });
        } else if token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit()) {
            // "9:14", "09:14:03", "9:14AM", "09:14:03.512"
            let (clock_text, suffix) = split_meridiem(token);
            if suffix.is_some() {
                meridiem = suffix;
            }
            if clock.replace(parse_clock(clock_text)?).is_some() {
                return None;
            }
        } else if ["AM", "PM", "A.M.", "P.M."]
            .iter()
            .any(|m| token.eq_ignore_ascii_case(m))
        {
            meridiem = Some(token.starts_with(['P', 'p']));
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            *numbers.get_mut(count)? = token;
            count += 1;
        } else {
            zone = ShownZone::Offset(parse_zone(token)?);
        }
    }
    for n in numbers.iter().take(count) {
        match n.len() {
            4 if year.is_none() => year = Some(digits(n, 4, 4)?),
            1 | 2 if day.is_none() => day = Some(digits(n, 1, 2)?),
            _ => return None,
        }
    }
    let clock = match (clock, meridiem) {
        (Some((h, mi, s)), Some(pm)) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            Some(((h % 12) + if pm { 12 } else { 0 }, mi, s))
        }
        (None, Some(_)) => return None,
        (c, None) => c,
    };
    let (year, month, day) = (year?, month?, day?);
    civil(year, month, day, 0, 0, 0)?;
    Some(Parts {
        year,
        month,
        day,
        clock,
        zone,
    })
}

/// The words of a shown time: what commas and whitespace (any: `Intl` puts U+202F before
/// "AM") separate, none empty. A loop over bytes, a character decoded only where one is not
/// ASCII: every row of a log page has a time read here.
struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest;
        let mut start = None;
        let mut at = 0;
        while let Some(&b) = text.as_bytes().get(at) {
            let (separates, len) = if b.is_ascii() {
                (b == b',' || matches!(b, b'\t'..=b'\r' | b' '), 1)
            } else {
                let c = text.get(at..).and_then(|t| t.chars().next()).unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            };
            match (separates, start) {
                (true, Some(from)) => {
                    self.rest = text.get(at..).unwrap_or("");
                    return text.get(from..at);
                }
                (false, None) => start = Some(at),
                _ => {}
            }
            at += len;
        }
        self.rest = "";
        start.and_then(|from| text.get(from..))
    }
}

/// "9:14AM" → ("9:14", Some(false)); "9:14" → ("9:14", None).
fn split_meridiem(token: &str) -> (&str, Option<bool>) {
    let split = token
        .len()
        .checked_sub(2)
        .and_then(|at| token.split_at_checked(at));
    match split {
        Some((clock, m)) if m.eq_ignore_ascii_case("AM") => (clock, Some(false)),
        Some((clock, m)) if m.eq_ignore_ascii_case("PM") => (clock, Some(true)),
        _ => (token, None),
    }
}

/// "1763802843", "1763802843.123" (9 to 11 integer digits: 1973 to 5138).
fn parse_epoch(text: &str) -> Option<UtcTime> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let ok = (9..=11).contains(&int.len())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| int.parse().ok().map(UtcTime)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> UtcTime {
        UtcTime::from_civil(y, mo, d, h, mi, s)
    }

    #[test]
    fn parses_the_formats_the_logs_show() {
        let t = wall(2026, 11, 22, 9, 14, 3);
        let t0 = wall(2026, 11, 22, 9, 14, 0);
        let pm = wall(2026, 11, 22, 21, 14, 3);
        let none = ShownZone::NotShown;
        let cases = [
            ("11/22/2026 09:14:03 AM", t, none),
            ("11/22/2026 9:14:03 PM", pm, none),
            ("11/22/2026, 9:14 AM", t0, none),
            ("11/22/26, 9:14 AM", t0, none),
            ("11/22/2026 21:14:03", pm, none),
            ("11/22/2026 12:05:00 AM", wall(2026, 11, 22, 0, 5, 0), none),
            ("11/22/2026 12:05:00 PM", wall(2026, 11, 22, 12, 5, 0), none),
            ("Nov 22, 2026, 9:14:03 AM", t, none),
            ("Nov 22, 2026 9:14:03AM", t, none),
            ("November 22, 2026 at 9:14 AM", t0, none),
            ("Nov 22 2026 09:14:03", t, none),
            ("Sun, 22 Nov 2026 09:14:03 UTC", t, ShownZone::Offset(0)),
            ("Sun, 22 Nov 2026 09:14:03 GMT", t, ShownZone::Offset(0)),
            ("Sun, 22 Nov 2026 09:14:03 +0000", t, ShownZone::Offset(0)),
            (
                "22 Nov 2026 10:14:03 +01:00",
                wall(2026, 11, 22, 10, 14, 3),
                ShownZone::Offset(3600),
            ),
            (
                "Sun Nov 22 2026 10:14:03 GMT+0100 (Central European Standard Time)",
                wall(2026, 11, 22, 10, 14, 3),
                ShownZone::Offset(3600),
            ),
            ("Nov 22, 2026, 9:14:03 AM UTC", t, ShownZone::Offset(0)),
            ("2026-11-22T09:14:03Z", t, ShownZone::Offset(0)),
            (
                "2026-11-22T10:14:03.120+01:00",
                wall(2026, 11, 22, 10, 14, 3),
                ShownZone::Offset(3600),
            ),
            ("2026-11-22 09:14:03", t, none),
            ("2026-11-22 09:14:03 UTC", t, ShownZone::Offset(0)),
            ("1795338843.123", UtcTime(1_795_338_843), ShownZone::Epoch),
            // Names and zones in any case, a weekday in full or with a dot, "at" in any case.
            ("SUNDAY, NOV. 22, 2026 AT 9:14:03 am", t, none),
            ("sun. 22 nov 2026 09:14:03 utc", t, ShownZone::Offset(0)),
            (
                "Sunday 22 SEPT 2026 09:14:03 z",
                wall(2026, 9, 22, 9, 14, 3),
                ShownZone::Offset(0),
            ),
            (
                "Sept. 22, 2026, 9:14:03 a.m.",
                wall(2026, 9, 22, 9, 14, 3),
                none,
            ),
            (
                "Nov 22, 2026, 10:14:03 AM gmt+1",
                wall(2026, 11, 22, 10, 14, 3),
                ShownZone::Offset(3600),
            ),
            ("Nov\u{a0}22,\t2026,, 9:14:03\u{2009}AM", t, none),
        ];
        for (text, want_wall, want_zone) in cases {
            let got = parse_shown_time(text);
            assert_eq!(
                got,
                Some(ShownTime {
                    wall: want_wall,
                    zone: want_zone
                }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_are_split_at_commas_and_any_whitespace() {
        fn words(text: &str) -> Vec<&str> {
            Words { rest: text }.collect()
        }
        assert_eq!(
            words(" Nov 22,, 2026,\t9:14:03\u{202f}AM\u{a0}(CET)é ,"),
            ["Nov", "22", "2026", "9:14:03", "AM", "(CET)é"]
        );
        assert_eq!(
            words("\u{3000}日本\u{2009}x\u{b}y\u{85}z"),
            ["日本", "x", "y", "z"]
        );
        assert!(words("").is_empty());
        assert!(words(" ,\u{202f}, ").is_empty());
        // As `split` at a comma or `char::is_whitespace` gives them, the empty ones left out.
        for text in [
            "a,b c",
            "ü\u{1680}ö",
            "\u{1c}x\u{1f}",
            ",,x,,",
            "x\u{2028}y\u{feff}z",
        ] {
            let want: Vec<&str> = text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(words(text), want, "{text:?}");
        }
    }

    #[test]
    fn refuses_to_guess() {
        for text in [
            "",
            "Delivered",
            "22/11/2026 09:14:03",
            "Nov 22, 9:14 AM",
            "Nov 22, 2026",
            "2026-11-22",
            "Nov 31, 2026 9:14 AM",
            "Nov 22, 2026 13:14 PM",
            "Nov 22, 2026 9:14:03 AM PST",
            "Sun, 22 Nov 2026 09:14:03 CET",
            "11/22/2026 25:00",
            "jane.doe@example.com",
            "250 OK",
            "12345",
            // A third bare number, a second month, a weekday that is not one.
            "Nov 22, 2026, 9:14:03 AM 7",
            "Nov 22 2026 12 9:14:03",
            "Nov Dec 22, 2026, 9:14:03 AM",
            "Sundae, Nov 22, 2026, 9:14:03 AM",
            "Sep. 22, 2026, 9:14:03 AM UTC+",
            "Novem 22, 2026, 9:14:03 AM",
        ] {
            assert_eq!(parse_shown_time(text), None, "{text:?}");
        }
    }

    /// Regression (issue 17): a non-ASCII character inside a zone token ("+1é1") panicked
    /// (byte slicing) and turned the whole banner into its error state.
    #[test]
    fn non_ascii_in_a_token_is_not_a_time_and_not_a_panic() {
        for text in [
            "12/01/2026, 03:59:23 PM +1é1",
            "12/01/2026, 03:59:23 PM GMT+1é1",
            "12/01/2026, 03:59:23 Pé",
            "12/01/2026, 03:5é:23 PM",
            "12/0é/2026, 03:59:23 PM",
            "2026-12-01T15:59:23+1é1",
            "2026-12-01 15:59:23 +1é:00",
            "Tue, 01 Dec 2026 15:59:23 +1é1",
            "Tue Dec 01 2026 15:59:23 GMT+1é1 (x)",
        ] {
            assert_eq!(parse_shown_time(text), None, "{text:?}");
            assert!(looks_like_time(text), "{text:?}");
        }
        assert_eq!(parse_shown_time("Dé 01, 2026, 03:59:23 PM"), None);
        assert!(!looks_like_time("Reset password instructions"));
        assert!(!looks_like_time(
            "605 Not delivering to previously bounced address"
        ));
        assert!(!looks_like_time("5.1.1 Quota: 10:00 tomorrow"));
        assert!(looks_like_time("11/22/2026 09:14:03 AM"));
    }

    #[test]
    fn resolves_zones_and_records_the_assumption() {
        let berlin = |_: UtcTime| Some(60);
        let unknown = |_: UtcTime| None;
        let shown = parse_shown_time("11/22/2026 10:14:03 AM").unwrap();
        assert_eq!(
            shown.to_utc(&berlin),
            (
                wall(2026, 11, 22, 9, 14, 3),
                TimeBasis::AssumedBrowserLocal { offset_minutes: 60 }
            )
        );
        assert_eq!(
            shown.to_utc(&unknown),
            (wall(2026, 11, 22, 10, 14, 3), TimeBasis::AssumedUtc)
        );
        let explicit = parse_shown_time("Sun, 22 Nov 2026 10:14:03 +0100").unwrap();
        assert_eq!(
            explicit.to_utc(&unknown),
            (wall(2026, 11, 22, 9, 14, 3), TimeBasis::ZoneShown)
        );
    }

    #[test]
    fn parses_ranges() {
        let utc = |_: UtcTime| Some(0);
        let r = parse_range("Last 30 days", &utc).unwrap();
        assert_eq!((r.last_days, r.from, r.to), (Some(30), None, None));
        assert_eq!(
            parse_range("Last 24 hours", &utc).unwrap().last_days,
            Some(1)
        );
        assert_eq!(
            parse_range("Past 2 weeks", &utc).unwrap().last_days,
            Some(14)
        );
        let r = parse_range("Nov 1, 2026 – Nov 23, 2026", &utc).unwrap();
        assert_eq!(r.text, "Nov 1, 2026 – Nov 23, 2026");
        assert_eq!(r.from, Some(wall(2026, 11, 1, 0, 0, 0)));
        assert_eq!(r.to, Some(wall(2026, 11, 24, 0, 0, 0)));
        let r = parse_range("11/01/2026 - 11/23/2026", &utc).unwrap();
        assert_eq!(r.to, Some(wall(2026, 11, 24, 0, 0, 0)));
        assert_eq!(parse_range("Filters", &utc), None);
        // Regression (tests/fuzz_parsers.rs): a count whose days overflow is not a range.
        assert_eq!(parse_range("Last 143165577 months", &utc), None);
        assert_eq!(parse_range("Past 4294967295 weeks", &utc), None);
        assert_eq!(
            parse_range("Last 4294967295 days", &utc).and_then(|r| r.last_days),
            Some(u32::MAX)
        );
        assert_eq!(parse_range("Last call", &utc), None);
    }
}
