//! Observations: what was seen about one email address, where and when.
//!
//! Every reader result becomes observations keyed by the normalised address, so facts from
//! different pages (and, later, tabs and look-ups) meet in one place for `diagnose`.

use crate::core::account::{AccountSnapshot, PageReading};
use crate::core::email;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The normalised address (see [`email::normalise`]).
    pub key: String,
    /// The address as the page showed it.
    pub shown: String,
    pub url: String,
    pub seen_at: UtcTime,
    pub fact: Fact,
}

impl Observation {
    /// The account page this observation saw, if it is one.
    pub fn account(&self) -> Option<&AccountSnapshot> {
        match &self.fact {
            Fact::AccountShown(a) => Some(a),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Fact {
    /// The account's show page in the CustomersDot admin.
    AccountShown(AccountSnapshot),
}

/// The observations a page reading yields. Pages without an address yield none.
pub fn from_reading(reading: &PageReading, seen_at: UtcTime) -> Vec<Observation> {
    match reading {
        PageReading::CustomerShow(account) => account
            .email()
            .and_then(|shown| {
                email::normalise(shown).map(|key| Observation {
                    key,
                    shown: shown.to_string(),
                    url: account.url.clone(),
                    seen_at,
                    fact: Fact::AccountShown(account.clone()),
                })
            })
            .into_iter()
            .collect(),
        PageReading::OtherAdminPage { .. } | PageReading::Unreadable { .. } => Vec::new(),
    }
}
