//! Instants in UTC, and (in [`parse`]) the one parser of dates, clocks and zones: the admin's
//! formats here, Mailgun's in `core::mail::shown_time`, from the same tokens.

pub mod parse;

pub use parse::{parse_admin_datetime, parse_gitlab_medium};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UtcTime(pub i64);

impl UtcTime {
    /// From milliseconds since the epoch (what `Date.now()` returns).
    pub fn from_millis(ms: f64) -> Self {
        UtcTime((ms / 1000.0).floor() as i64)
    }

    pub fn from_civil(year: i64, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> Self {
        let days = days_from_civil(year, month, day);
        UtcTime(days * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec))
    }

    /// (year, month, day, hour, minute, second)
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            (secs / 3600) as u32,
            (secs % 3600 / 60) as u32,
            (secs % 60) as u32,
        )
    }
}

impl UtcTime {
    /// The [`Display`](fmt::Display) text, without the formatting machinery for the years
    /// pages show (0 to 9999): evidence lists show thousands of times.
    pub fn text(self) -> TimeText {
        let (y, m, d, h, min) = match u32::try_from(self.0) {
            // 1970 to 2106 without a divide instruction (see `div_rem`).
            Ok(secs) => civil_u32(secs),
            Err(_) => {
                let (y, m, d, h, min, _) = self.to_civil();
                match u32::try_from(y) {
                    Ok(y) if y <= 9999 => (y, m, d, h, min),
                    _ => {
                        return TimeText::Long(format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02} UTC"))
                    }
                }
            }
        };
        let (century, year) = div_rem(y, 100);
        // Every value here is below 100: the fallback is never taken.
        let pair = |n: u32| {
            let i = 2 * n as usize;
            DIGIT_PAIRS
                .get(i..i + 2)
                .and_then(|p| <[u8; 2]>::try_from(p).ok())
                .unwrap_or(*b"??")
        };
        let [c0, c1] = pair(century);
        let [y0, y1] = pair(year);
        let [m0, m1] = pair(m);
        let [d0, d1] = pair(d);
        let [h0, h1] = pair(h);
        let [n0, n1] = pair(min);
        TimeText::Short([
            c0, c1, y0, y1, b'-', m0, m1, b'-', d0, d1, b' ', h0, h1, b':', n0, n1, b' ', b'U',
            b'T', b'C',
        ])
    }
}

/// "00" to "99", each two bytes.
// Indexing in a constant: out of range is a compile error, not a panic at run time.
#[allow(clippy::indexing_slicing)]
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        pairs[2 * i] = b'0' + (i / 10) as u8;
        pairs[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    pairs
};

/// `(n / d, n % d)` by a multiply and one correction. The release build optimises for size,
/// and LLVM then keeps a divide instruction for each division by a constant: about 26 of
/// them per time shown, with thousands of times in an evidence list. A 64-bit multiply, not a
/// 128-bit one: that is one instruction in WebAssembly too (a 128-bit one is a call).
#[inline(always)]
fn div_rem(n: u32, d: u32) -> (u32, u32) {
    // With m = floor(2^32 / d): n/d - 1 < n * m / 2^32 <= n/d for any u32 n, so its floor is
    // n / d or one less.
    let m = (1u64 << 32) / u64::from(d);
    let mut q = ((u64::from(n) * m) >> 32) as u32;
    let mut r = n - q * d;
    if r >= d {
        q += 1;
        r -= d;
    }
    (q, r)
}

/// (year, month, day, hour, minute) of a time from 1970 to 2106 (`civil_from_days`, with
/// `div_rem` for its divisions: every value here is non-negative and below 2^32).
fn civil_u32(secs: u32) -> (u32, u32, u32, u32, u32) {
    let (days, secs) = div_rem(secs, 86_400);
    let (h, secs) = div_rem(secs, 3600);
    let (min, _) = div_rem(secs, 60);
    let z = days + 719_468;
    let (era, doe) = div_rem(z, 146_097);
    let yoe = div_rem(
        doe - div_rem(doe, 1460).0 + div_rem(doe, 36_524).0 - div_rem(doe, 146_096).0,
        365,
    )
    .0;
    let doy = doe - (365 * yoe + div_rem(yoe, 4).0 - div_rem(yoe, 100).0);
    let mp = div_rem(5 * doy + 2, 153).0;
    let d = doy - div_rem(153 * mp + 2, 5).0 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u32::from(m <= 2);
    (y, m, d, h, min)
}

/// [`UtcTime::text`]: "2024-03-05 14:07 UTC".
pub enum TimeText {
    /// Years 0 to 9999, in place.
    Short([u8; 20]),
    Long(String),
}

impl TimeText {
    pub fn as_str(&self) -> &str {
        match self {
            // ASCII digits and separators only.
            TimeText::Short(text) => std::str::from_utf8(text).unwrap_or_default(),
            TimeText::Long(text) => text,
        }
    }
}

impl fmt::Display for UtcTime {
    /// "2024-03-05 14:07 UTC": unambiguous for support engineers in any zone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

/// Month names, lower case (read, also abbreviated, by [`parse::month`]).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<UtcTime> {
        Some(UtcTime::from_civil(y, mo, d, h, mi, s))
    }

    #[test]
    fn parses_the_formats_the_admin_shows() {
        let cases = [
            ("March 05, 2024 14:07", t(2024, 3, 5, 14, 7, 0)),
            ("  March 05, 2024 14:07\n ", t(2024, 3, 5, 14, 7, 0)),
            ("December 31, 2025 23:59", t(2025, 12, 31, 23, 59, 0)),
            ("february 29, 2024 00:00", t(2024, 2, 29, 0, 0, 0)),
            ("March 5, 2024 14:07:09", t(2024, 3, 5, 14, 7, 9)),
            ("March 05, 2024", t(2024, 3, 5, 0, 0, 0)),
            ("2024-03-05T14:07:00Z", t(2024, 3, 5, 14, 7, 0)),
            ("2024-03-05T14:07:00.123+01:00", t(2024, 3, 5, 13, 7, 0)),
            ("2024-03-05 14:07:00 UTC", t(2024, 3, 5, 14, 7, 0)),
            ("2024-03-05 14:07:00 -0500", t(2024, 3, 5, 19, 7, 0)),
            ("2024-03-05", t(2024, 3, 5, 0, 0, 0)),
            ("2024-03-05T14:07:00", t(2024, 3, 5, 14, 7, 0)),
            ("Tue, 05 Mar 2024 14:07:00 +0000", t(2024, 3, 5, 14, 7, 0)),
            ("Tue, 05 Mar 2024 15:07:00 +0100", t(2024, 3, 5, 14, 7, 0)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_admin_datetime(text, 0), want, "{text:?}");
        }
    }

    #[test]
    fn zone_less_times_are_in_the_admin_zone() {
        let berlin = 3600;
        assert_eq!(
            parse_admin_datetime("March 05, 2024 15:07", berlin),
            t(2024, 3, 5, 14, 7, 0)
        );
        assert_eq!(
            parse_admin_datetime("2024-03-05 15:07:00", berlin),
            t(2024, 3, 5, 14, 7, 0)
        );
        // An explicit zone wins over the setting.
        assert_eq!(
            parse_admin_datetime("2024-03-05 14:07:00 UTC", berlin),
            t(2024, 3, 5, 14, 7, 0)
        );
    }

    #[test]
    fn refuses_to_guess() {
        for text in [
            "",
            " - ",
            "yesterday",
            "05/03/2024 14:07",
            "Marchy 05, 2024 14:07",
            "February 30, 2024 10:00",
            "March 05, 2024 25:00",
            "March 05, 2024 14:07 PST",
            "2024-13-01",
            "2024-03-05T14:07:00 Europe/Berlin",
            // Rails' short format has no year: not guessed.
            "05 Mar 14:07",
            "Tue, 05 Mar 2024 14:07:00",
        ] {
            assert_eq!(parse_admin_datetime(text, 0), None, "{text:?}");
        }
    }

    #[test]
    fn civil_round_trip_and_display() {
        for secs in [0_i64, 951_782_400, 1_709_647_620, 4_102_444_799] {
            let (y, m, d, h, mi, s) = UtcTime(secs).to_civil();
            assert_eq!(UtcTime::from_civil(y, m, d, h, mi, s), UtcTime(secs));
        }
        assert_eq!(
            UtcTime::from_civil(2024, 3, 5, 14, 7, 0).to_string(),
            "2024-03-05 14:07 UTC"
        );
        assert_eq!(
            UtcTime::from_millis(1_709_647_620_999.0),
            UtcTime(1_709_647_620)
        );
    }

    /// `div_rem` at 0, the top of u32, and around multiples of every divisor the time uses.
    #[test]
    fn div_rem_is_division() {
        for d in [
            1, 2, 4, 5, 60, 100, 153, 365, 1460, 3600, 36_524, 86_400, 146_096, 146_097,
        ] {
            let mut ns = vec![0, 1, u32::MAX, u32::MAX - 1, u32::MAX / d * d];
            for k in [1u32, 2, 3, 1000, 65_537, u32::MAX / d] {
                let at = k.saturating_mul(d);
                ns.extend([at.saturating_sub(1), at, at.saturating_add(1)]);
            }
            for n in ns {
                assert_eq!(div_rem(n, d), (n / d, n % d), "{n} / {d}");
            }
        }
    }

    /// The digit-by-digit text is `write!`'s padded one, including the years around it (0,
    /// 9999) and the ones it leaves to `format!` (negative, five digits), and the divide-free
    /// path (1970 to 2106) at every day's first and last minute and around its ends.
    #[test]
    fn display_is_the_padded_format() {
        let padded = |t: UtcTime| {
            let (y, m, d, h, min, _) = t.to_civil();
            format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02} UTC")
        };
        let year = |y| UtcTime::from_civil(y, 1, 1, 0, 0, 0).0;
        let mut secs = vec![
            0,
            -1,
            59,
            86_399,
            year(0),
            year(0) - 1,
            year(1),
            year(999),
            year(9999),
            year(10_000),
            year(10_000) - 1,
            year(-1),
            year(-10_000),
            i64::MIN / 1000,
            i64::MAX / 1000,
        ];
        // Every minute-ish step over a few years around now, and far ones.
        secs.extend((0..20_000).map(|i| 1_700_000_000 + i * 7_919));
        secs.extend((0..2_000).map(|i| year(0) + i * 16_000_037));
        let last_day = i64::from(u32::MAX) / 86_400;
        secs.extend((0..=last_day).flat_map(|d| [d * 86_400, d * 86_400 + 86_399]));
        secs.extend((-100..100).map(|i| i64::from(u32::MAX) + i * 37));
        secs.extend((0..100_000).map(|i| i * 42_949 + i % 60));
        for s in secs {
            assert_eq!(UtcTime(s).to_string(), padded(UtcTime(s)), "{s}");
        }
    }
}
