//! What goes into the observation store and what comes out of it. The store itself (the
//! extension's background, `storage.session`) only keeps records per address; every rule is
//! here: a record's id (the same observation seen again replaces itself), its expiry, and
//! which records are still alive.

use crate::core::observation::Observation;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One stored observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The same fact about the same address on the same page always gets the same id.
    pub id: String,
    /// The normalised address (the store's key).
    pub key: String,
    /// Milliseconds since the epoch, as the background compares with `Date.now()`.
    pub expires_at: f64,
    pub observation: Observation,
    /// The observation as the store keeps it (see [`encode_observation`]), made once.
    #[serde(skip)]
    pub json: String,
}

/// The record for an observation seen at `obs.seen_at`, kept for `expiry_hours`.
pub fn record_for(obs: &Observation, expiry_hours: u32) -> Record {
    let expires = obs.seen_at.0 + i64::from(expiry_hours) * 3600;
    let json = encode_observation(obs);
    Record {
        id: id_of(obs, fact_json(&json)),
        key: obs.key.clone(),
        expires_at: expires as f64 * 1000.0,
        observation: obs.clone(),
        json,
    }
}

/// The fact's JSON inside an observation's: everything after its last field's name (`fact`
/// comes last, and `,"fact":` cannot occur inside the escaped strings before it).
fn fact_json(observation_json: &str) -> &str {
    observation_json
        .split_once(",\"fact\":")
        .map_or("", |(_, rest)| rest.strip_suffix('}').unwrap_or(rest))
}

/// FNV-1a over the address, the page and the fact as stored (JSON; not the time seen): the
/// same fact seen again replaces its record instead of piling up.
pub fn record_id(obs: &Observation) -> String {
    id_of(obs, &serde_json::to_string(&obs.fact).unwrap_or_default())
}

fn id_of(obs: &Observation, fact: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        obs.key.as_bytes(),
        b"\x1f",
        obs.url.as_bytes(),
        b"\x1f",
        fact.as_bytes(),
    ] {
        for &byte in part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..16)
        .map(|i| {
            let nibble = (hash >> (60 - 4 * i)) as usize & 15;
            HEX.get(nibble).map_or('0', |&b| char::from(b))
        })
        .collect()
}

/// An observation as the store keeps it: JSON text, opaque to the background (which reads
/// only a record's `id`, `key` and `expiresAt`).
pub fn encode_observation(obs: &Observation) -> String {
    serde_json::to_string(obs).unwrap_or_default()
}

/// A stored observation; `None` for one this version cannot read.
pub fn decode_observation(json: &str) -> Option<Observation> {
    serde_json::from_str(json).ok()
}

/// The observations still alive at `now`, one per id (the latest seen), in a stable order.
pub fn live(records: Vec<Record>, now: UtcTime) -> Vec<Observation> {
    let now_ms = now.0 as f64 * 1000.0;
    let mut by_id: HashMap<String, Observation> = HashMap::new();
    for record in records.into_iter().filter(|r| r.expires_at > now_ms) {
        match by_id.get(&record.id) {
            Some(kept) if kept.seen_at >= record.observation.seen_at => {}
            _ => {
                by_id.insert(record.id, record.observation);
            }
        }
    }
    let mut observations: Vec<(String, Observation)> = by_id.into_iter().collect();
    observations.sort_by(|(a_id, a), (b_id, b)| (a.seen_at, a_id).cmp(&(b.seen_at, b_id)));
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
        assert_eq!(decode_observation(&record.json), Some(o));
    }

    #[test]
    fn expired_records_are_dropped() {
        let record = record_for(&obs("a@example.com", "q", 0), 8);
        assert_eq!(record.expires_at, 8.0 * 3600.0 * 1000.0);
        assert_eq!(live(vec![record.clone()], UtcTime(8 * 3600 - 1)).len(), 1);
        assert!(live(vec![record], UtcTime(8 * 3600)).is_empty());
    }
}
