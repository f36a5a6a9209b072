//! What goes into the observation store and what comes out of it. The store itself (the
//! extension's background, `storage.session`) only keeps records per address; every rule is
//! here: a record's id (the same observation seen again replaces itself), its expiry, its
//! compact stored form, and which records are still alive.
//!
//! **Size.** `storage.session` holds 10 MB (Chrome) and a logs page can have 10,000 rows, so a
//! record is a few hundred bytes: the observation's JSON has one- or two-letter names and
//! leaves absent values out (see `core::observation`, `core::mail::event`), and repeats no
//! text: the address (the record's `key`) is not in it, nor the address as shown or an
//! event's recipient when they are the same text. The background keeps a write whole when it
//! can; when the store is full it keeps account facts and searches first, then mail events to
//! addresses someone looked up, then the bulk rows of logs pages, each page within its share
//! (a record's [`RecordClass`] is in its id for that). The answer ([`AddOutcome`]) says what
//! was not kept and why, and the banner says it; a page whose records were dropped later for
//! another's is told too.

use crate::core::observation::{Fact, Observation};
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// One stored observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The same fact about the same address on the same page always gets the same id. It
    /// starts with the page's tag (its first 8 characters: [`page_tag`]), which the background
    /// reads (a member of its own would cost about 50 bytes of quota per record).
    pub id: String,
    /// The normalised address (the store's key).
    pub key: String,
    /// Milliseconds since the epoch, as the background compares with `Date.now()`.
    pub expires_at: f64,
    /// The page the observation was read on, as a short tag ([`page_tag`], the id's first 8
    /// characters): the background never drops records of the page being written to make
    /// room for it.
    pub page: String,
    pub observation: Observation,
    /// The observation as the store keeps it (see [`encode_observation`]), made once.
    pub json: String,
}

/// A record as it crosses to and from the background: `{ id, key, expiresAt, observation }`,
/// the observation as its stored JSON text ([`encode_observation`]). The pages' module moves it
/// with serde (serde-wasm-bindgen); the banner frame builds the same object by hand
/// (`frame::record_to_js`), keeping serde's JS adapter out of its module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored<'a> {
    pub id: Cow<'a, str>,
    pub key: Cow<'a, str>,
    pub expires_at: f64,
    pub observation: Cow<'a, str>,
}

impl Record {
    /// What the background is sent for this record.
    pub fn stored(&self) -> Stored<'_> {
        Stored {
            id: Cow::Borrowed(&self.id),
            key: Cow::Borrowed(&self.key),
            expires_at: self.expires_at,
            observation: Cow::Borrowed(&self.json),
        }
    }

    /// A record the background returned; `None` for one this version cannot read.
    pub fn from_stored(stored: Stored<'_>) -> Option<Record> {
        let observation = decode_observation(&stored.observation, &stored.key)?;
        let id = stored.id.into_owned();
        Some(Record {
            page: id.get(..8).unwrap_or_default().to_string(),
            id,
            key: stored.key.into_owned(),
            expires_at: stored.expires_at,
            observation,
            json: stored.observation.into_owned(),
        })
    }
}

/// The record for an observation seen at `obs.seen_at`, kept for `expiry_hours`.
pub fn record_for(obs: &Observation, expiry_hours: u32) -> Record {
    let expires = obs.seen_at.0 + i64::from(expiry_hours) * 3600;
    let json = encode_observation(obs);
    Record {
        id: id_of(obs, fact_json(&json)),
        key: obs.key.clone(),
        expires_at: expires as f64 * 1000.0,
        page: page_tag(&obs.url),
        observation: obs.clone(),
        json,
    }
}

/// Why the store did not keep a write, as the background answers `add` (`reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotKept {
    /// Storage was full (`"quota"`).
    Quota,
    /// The browser did not confirm that this frame's tab is on the page the write is from
    /// (`"not-vouched"`).
    NotVouched,
    /// The browser's storage failed (`"storage-error"`).
    StorageError,
    /// The extension's background did not answer, after every retry.
    Unreachable,
}

impl NotKept {
    /// The background's word for it; `None` for one this version does not know.
    pub fn from_reason(reason: &str) -> Option<NotKept> {
        match reason {
            "quota" => Some(NotKept::Quota),
            "not-vouched" => Some(NotKept::NotVouched),
            "storage-error" => Some(NotKept::StorageError),
            _ => None,
        }
    }
}

/// What the store did not keep of this page, over all its writes (a page is written in
/// several snapshots), and what it dropped of other pages for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddOutcome {
    /// Records of this page not kept: the store is full with what it keeps first.
    pub not_kept: usize,
    /// Older records of other pages dropped to make room.
    pub dropped: usize,
    /// Records of this page dropped later, to make room for another page's.
    pub dropped_here: usize,
    /// Records refused: the browser did not confirm this tab is on this page.
    pub refused: usize,
    /// Records the store could not write (a storage error, or no answer after every retry).
    pub failed: usize,
}

impl AddOutcome {
    /// A write's answer: `not_kept` records not kept for `reason`, `dropped` of other pages.
    pub fn answer(not_kept: usize, dropped: usize, reason: Option<NotKept>) -> AddOutcome {
        let mut outcome = AddOutcome {
            dropped,
            ..AddOutcome::default()
        };
        outcome.lose(not_kept, reason.unwrap_or(NotKept::StorageError));
        outcome
    }

    /// Counts `n` records not kept for `why`.
    pub fn lose(&mut self, n: usize, why: NotKept) {
        match why {
            NotKept::Quota => self.not_kept += n,
            NotKept::NotVouched => self.refused += n,
            NotKept::StorageError | NotKept::Unreachable => self.failed += n,
        }
    }

    pub fn is_whole(&self) -> bool {
        *self == AddOutcome::default()
    }

    /// Adds a later write's answer.
    pub fn add(&mut self, later: AddOutcome) {
        self.not_kept += later.not_kept;
        self.dropped += later.dropped;
        self.dropped_here += later.dropped_here;
        self.refused += later.refused;
        self.failed += later.failed;
    }

    /// Records of this page that other tabs and the popup do not know.
    pub fn unknown_elsewhere(&self) -> usize {
        self.not_kept + self.dropped_here + self.refused + self.failed
    }
}

/// The banner's line for what the store did not keep of this page; `None` when it kept all.
pub fn shortfall_line(outcome: &AddOutcome) -> Option<String> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let was = |n: usize| if n == 1 { "was" } else { "were" };
    let dropped = (outcome.dropped > 0).then(|| {
        format!(
            "{} from other pages {} dropped to make room",
            plural(outcome.dropped, "older observation", "older observations"),
            was(outcome.dropped),
        )
    });
    let mut parts = Vec::new();
    if outcome.not_kept > 0 {
        parts.push(format!(
            "Session storage is full: {} of this page {} not kept",
            plural(outcome.not_kept, "observation", "observations"),
            was(outcome.not_kept),
        ));
    }
    if outcome.dropped_here > 0 {
        parts.push(format!(
            "Session storage filled up: {} of this page {} dropped to make room for another \
             page's",
            plural(outcome.dropped_here, "observation", "observations"),
            was(outcome.dropped_here),
        ));
    }
    if outcome.refused > 0 {
        parts.push(format!(
            "{} of this page {} not kept: the browser did not confirm that this tab is on \
             this page",
            plural(outcome.refused, "observation", "observations"),
            was(outcome.refused),
        ));
    }
    if outcome.failed > 0 {
        parts.push(format!(
            "{} of this page could not be stored: the browser's storage failed or the \
             extension did not answer",
            plural(outcome.failed, "observation", "observations"),
        ));
    }
    let n = outcome.unknown_elsewhere();
    match (parts.is_empty(), dropped) {
        (true, None) => None,
        (true, Some(dropped)) => Some(format!("Session storage was full: {dropped}.")),
        (false, dropped) => Some(format!(
            "{}, so other tabs and the popup do not know {} (this banner still shows {}){}.",
            parts.join("; "),
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "them" },
            dropped.map(|d| format!("; {d}")).unwrap_or_default(),
        )),
    }
}

/// The fact's JSON inside an observation's: everything after its last field's name (`f`, the
/// fact, comes last, and `,"f":` cannot occur inside the escaped strings before it).
fn fact_json(observation_json: &str) -> &str {
    observation_json
        .split_once(",\"f\":")
        .map_or("", |(_, rest)| rest.strip_suffix('}').unwrap_or(rest))
}

/// What a record is, for what the store keeps first when it is full (the id's 9th character,
/// which the background reads: `extension/store-policy.js`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordClass {
    /// An account fact, a search row, a search (of the admin or Mailgun), a look-up's answer:
    /// what a case rests on. `f`.
    Fact,
    /// A mail event. Kept before bulk only when its address has a fact (someone looked it
    /// up): the background decides that across pages. `e`.
    Event,
}

impl RecordClass {
    pub fn of(fact: &Fact) -> RecordClass {
        match fact {
            Fact::MailEvent(_) => RecordClass::Event,
            _ => RecordClass::Fact,
        }
    }

    pub fn letter(self) -> char {
        match self {
            RecordClass::Fact => 'f',
            RecordClass::Event => 'e',
        }
    }
}

/// The page's tag: 8 hex digits of the FNV-1a hash of its URL.
pub fn page_tag(url: &str) -> String {
    let hash = fnv(&[url.as_bytes()]);
    hex(hash >> 32, 8)
}

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The low `digits` hex digits of `value`.
fn hex(value: u64, digits: u32) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..digits)
        .rev()
        .map(|i| {
            let nibble = (value >> (4 * i)) as usize & 15;
            HEX.get(nibble).map_or('0', |&b| char::from(b))
        })
        .collect()
}

/// The page's tag, the record's class ([`RecordClass`]), then 15 hex digits of FNV-1a over the
/// address, the page and the fact as stored (JSON; not the time seen): the same fact seen again
/// replaces its record instead of piling up.
pub fn record_id(obs: &Observation) -> String {
    id_of(obs, fact_json(&encode_observation(obs)))
}

fn id_of(obs: &Observation, fact: &str) -> String {
    let hash = fnv(&[
        obs.key.as_bytes(),
        b"\x1f",
        obs.url.as_bytes(),
        b"\x1f",
        fact.as_bytes(),
    ]);
    let mut id = page_tag(&obs.url);
    id.push(RecordClass::of(&obs.fact).letter());
    id + &hex(hash, 15)
}

/// An observation as the store keeps it: compact JSON text, opaque to the background (which
/// reads only a record's `id` (and the page tag it starts with), `key` and `expiresAt`). The address is the record's
/// `key`; the address as shown, and a mail event's recipient and its key, are left out when
/// they repeat it (a recipient key that was absent is kept as `""`).
pub fn encode_observation(obs: &Observation) -> String {
    let mut stored = obs.clone();
    if stored.shown == stored.key {
        stored.shown.clear();
    }
    if let Fact::MailEvent(event) = &mut stored.fact {
        if event.recipient == obs.shown {
            event.recipient.clear();
        }
        event.recipient_key = match event.recipient_key.take() {
            Some(key) if key == obs.key => None,
            Some(key) => Some(key),
            None => Some(String::new()),
        };
    }
    serde_json::to_string(&stored).unwrap_or_default()
}

/// A stored observation of the address `key`; `None` for one this version cannot read. The
/// inverse of [`encode_observation`] (an empty address shown or recipient, which no
/// observation has, comes back as the address).
pub fn decode_observation(json: &str, key: &str) -> Option<Observation> {
    let mut obs = crate::core::stored::observation(json)?;
    obs.key = key.to_string();
    if obs.shown.is_empty() {
        obs.shown = obs.key.clone();
    }
    if let Fact::MailEvent(event) = &mut obs.fact {
        if event.recipient.is_empty() {
            event.recipient = obs.shown.clone();
        }
        event.recipient_key = match event.recipient_key.take() {
            None => Some(obs.key.clone()),
            Some(k) if k.is_empty() => None,
            Some(k) => Some(k),
        };
    }
    Some(obs)
}

/// Whether a record expiring at `expires_at` (ms since the epoch) is still alive at `now_ms`:
/// until, not at, its expiry. The background deletes expired records by the same rule
/// (`isLive` in extension/store-policy.js); both run tests/vectors/expiry.json.
pub fn is_live(expires_at: f64, now_ms: f64) -> bool {
    expires_at > now_ms
}

/// The observations still alive at `now`, one per id (the latest seen), in a stable order.
pub fn live(records: Vec<Record>, now: UtcTime) -> Vec<Observation> {
    let now_ms = now.0 as f64 * 1000.0;
    let mut by_id: HashMap<String, Observation> = HashMap::new();
    for record in records
        .into_iter()
        .filter(|r| is_live(r.expires_at, now_ms))
    {
        match by_id.get(&record.id) {
            Some(kept) if kept.seen_at >= record.observation.seen_at => {}
            _ => {
                by_id.insert(record.id, record.observation);
            }
        }
    }
    let mut observations: Vec<(String, Observation)> = by_id.into_iter().collect();
    crate::core::sort::sort_by(&mut observations, |(a_id, a), (b_id, b)| {
        (a.seen_at, a_id).cmp(&(b.seen_at, b_id))
    });
    observations.into_iter().map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::observation::Fact;

    fn obs(key: &str, query: &str, seen: i64) -> Observation {
        Observation {
            key: key.into(),
            shown: key.into(),
            url: "https://customers.gitlab.com/admin/customer?query=x".into(),
            seen_at: UtcTime(seen),
            fact: Fact::AdminSearched {
                query: query.into(),
                rows: 0,
                total: Some(0),
            },
        }
    }

    #[test]
    fn the_same_fact_seen_again_keeps_one_record_the_latest() {
        let first = record_for(&obs("a@example.com", "a@example.com", 1_000), 8);
        let again = record_for(&obs("a@example.com", "a@example.com", 2_000), 8);
        assert_eq!(first.id, again.id);
        let other = record_for(&obs("a@example.com", "other", 1_500), 8);
        assert_ne!(first.id, other.id);
        let alive = live(vec![again, first, other], UtcTime(2_100));
        assert_eq!(alive.len(), 2);
        assert_eq!(alive[1].seen_at, UtcTime(2_000));
    }

    #[test]
    fn the_id_hashes_the_fact_as_stored() {
        let o = obs("a@example.com", "a \",\"fact\": b", 1_000);
        let record = record_for(&o, 8);
        assert_eq!(record.id, record_id(&o));
        assert_eq!(decode_observation(&record.json, &record.key), Some(o));
    }

    #[test]
    fn expired_records_are_dropped() {
        let record = record_for(&obs("a@example.com", "q", 0), 8);
        assert_eq!(record.expires_at, 8.0 * 3600.0 * 1000.0);
        assert_eq!(live(vec![record.clone()], UtcTime(8 * 3600 - 1)).len(), 1);
        assert!(live(vec![record], UtcTime(8 * 3600)).is_empty());
    }

    fn event_obs(shown: &str, recipient: &str, key: Option<&str>) -> Observation {
        use crate::core::mail::{
            DomainSource, EventSource, MailDomain, MailEvent, MailKind, Outcome, TimeBasis,
        };
        Observation {
            key: "priya.raman@northwind-analytics.io".into(),
            shown: shown.into(),
            url: "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs".into(),
            seen_at: UtcTime(1_795_338_000),
            fact: Fact::MailEvent(MailEvent {
                recipient: recipient.into(),
                recipient_key: key.map(Into::into),
                domain: MailDomain::GitLabCom,
                domain_source: Some(DomainSource::Url),
                kind: MailKind::PasswordReset,
                outcome: Outcome::Delivered,
                subject: Some("Reset password instructions".into()),
                event_shown: "Delivered".into(),
                reason: None,
                severity: None,
                code: Some("250".into()),
                message: Some("OK".into()),
                description: None,
                timestamp: Some(UtcTime(1_795_337_643)),
                time_shown: Some("11/22/2026 09:14:03 AM".into()),
                time_basis: Some(TimeBasis::AssumedBrowserLocal { offset_minutes: 60 }),
                event_id: None,
                message_id: None,
                source: EventSource::Row,
            }),
        }
    }

    /// Issue 17: a stored mail event took about 1 KB and a 10,000-row page filled 97% of the
    /// 10 MB quota. A logs row's record, as the background stores it (with its wrapper, the
    /// observation as an escaped JSON string), is now 506 bytes, under half a kilobyte (the
    /// same event took 906 before: long names, every absent value, the address four times).
    #[test]
    fn a_stored_mail_event_is_a_few_hundred_bytes() {
        let key = "priya.raman@northwind-analytics.io";
        let record = record_for(
            &event_obs(
                "Priya.Raman@northwind-analytics.io",
                "Priya.Raman@northwind-analytics.io",
                Some(key),
            ),
            8,
        );
        let stored = serde_json::json!({
            "id": record.id, "key": record.key, "expiresAt": record.expires_at as i64,
            "observation": record.json,
        })
        .to_string();
        assert!(stored.len() < 512, "{} bytes: {stored}", stored.len());
        // The address is in the record once (its key) and once as shown (another case).
        assert_eq!(
            record.json.matches("northwind-analytics.io").count(),
            1,
            "{}",
            record.json
        );
    }

    #[test]
    fn the_compact_form_reads_back_exactly() {
        let key = "priya.raman@northwind-analytics.io";
        for obs in [
            event_obs(key, key, Some(key)),
            event_obs(
                "Priya.Raman@northwind-analytics.io",
                "Priya.Raman@northwind-analytics.io",
                Some(key),
            ),
            event_obs(key, " Priya.Raman@northwind-analytics.io", Some(key)),
            event_obs(key, key, None),
            event_obs(key, key, Some("another@example.com")),
            event_obs(key, key, Some("")),
            obs(key, "q", 5),
        ] {
            let record = record_for(&obs, 8);
            let back = decode_observation(&record.json, &record.key);
            if matches!(&obs.fact, Fact::MailEvent(e) if e.recipient_key.as_deref() == Some("")) {
                // `Some("")` is how an absent key is kept: the one value that reads back as
                // another (no reader makes an empty key: it is `email::normalise`d).
                continue;
            }
            assert_eq!(back.as_ref(), Some(&obs), "{}", record.json);
            assert_eq!(record.id, record_id(&obs));
        }
        assert_eq!(decode_observation("{\"fact\": 1}", "a@b.co"), None);
    }

    #[test]
    fn a_record_crosses_as_its_stored_form_and_back() {
        let record = record_for(&obs("a@example.com", "q", 1), 8);
        let stored = serde_json::to_value(record.stored()).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({
                "id": record.id,
                "key": "a@example.com",
                "expiresAt": record.expires_at,
                "observation": record.json,
            })
        );
        let back: Stored = serde_json::from_value(stored).unwrap();
        assert_eq!(Record::from_stored(back), Some(record.clone()));
        let unreadable = Stored {
            observation: "{\"fact\": 1}".into(),
            ..record.stored()
        };
        assert_eq!(Record::from_stored(unreadable), None);
    }

    #[test]
    fn page_tags_tell_pages_apart() {
        let a = page_tag("https://app.mailgun.com/mg/reporting/logs");
        assert_eq!(a.len(), 8);
        let record = record_for(&obs("a@example.com", "q", 1), 8);
        assert!(record.id.starts_with(&record.page), "{}", record.id);
        assert_eq!(record.id.len(), 24);
        assert_eq!(a, page_tag("https://app.mailgun.com/mg/reporting/logs"));
        assert_ne!(a, page_tag("https://app.mailgun.com/mg/reporting/logs?x"));
        let mut outcome = AddOutcome::default();
        assert!(outcome.is_whole());
        outcome.add(AddOutcome::answer(2, 3, Some(NotKept::Quota)));
        outcome.add(AddOutcome::answer(1, 0, NotKept::from_reason("quota")));
        outcome.add(AddOutcome::answer(
            4,
            0,
            NotKept::from_reason("not-vouched"),
        ));
        outcome.add(AddOutcome::answer(
            5,
            0,
            NotKept::from_reason("something new"),
        ));
        assert_eq!(
            outcome,
            AddOutcome {
                not_kept: 3,
                dropped: 3,
                refused: 4,
                failed: 5,
                dropped_here: 0,
            }
        );
        assert_eq!(outcome.unknown_elsewhere(), 12);
    }

    #[test]
    fn what_was_not_kept_is_said() {
        let line = |not_kept, dropped| {
            shortfall_line(&AddOutcome {
                not_kept,
                dropped,
                ..AddOutcome::default()
            })
        };
        assert_eq!(line(0, 0), None);
        assert_eq!(
            line(0, 1).as_deref(),
            Some("Session storage was full: 1 older observation from other pages was dropped to make room.")
        );
        assert_eq!(
            line(1_234, 0).as_deref(),
            Some("Session storage is full: 1234 observations of this page were not kept, so other tabs and the popup do not know them (this banner still shows them).")
        );
        assert_eq!(
            line(1, 2).as_deref(),
            Some("Session storage is full: 1 observation of this page was not kept, so other tabs and the popup do not know it (this banner still shows it); 2 older observations from other pages were dropped to make room.")
        );
        let mut outcome = AddOutcome::default();
        outcome.lose(3, NotKept::NotVouched);
        assert_eq!(
            shortfall_line(&outcome).as_deref(),
            Some("3 observations of this page were not kept: the browser did not confirm that this tab is on this page, so other tabs and the popup do not know them (this banner still shows them).")
        );
        outcome.lose(1, NotKept::Unreachable);
        outcome.dropped_here = 7;
        assert_eq!(
            shortfall_line(&outcome).as_deref(),
            Some("Session storage filled up: 7 observations of this page were dropped to make room for another page's; 3 observations of this page were not kept: the browser did not confirm that this tab is on this page; 1 observation of this page could not be stored: the browser's storage failed or the extension did not answer, so other tabs and the popup do not know them (this banner still shows them).")
        );
    }

    #[test]
    fn the_class_is_the_ids_ninth_letter() {
        let fact = record_for(&obs("a@example.com", "q", 1), 8);
        assert_eq!(fact.id.chars().nth(8), Some('f'));
        let key = "priya.raman@northwind-analytics.io";
        let event = record_for(&event_obs(key, key, Some(key)), 8);
        assert_eq!(event.id.chars().nth(8), Some('e'));
        assert_eq!(event.id.len(), 24);
        assert!(event.id.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
