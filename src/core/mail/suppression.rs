//! A Mailgun suppression list checked for an address (the Suppressions API's answer, made by
//! the popup's look-ups in `core::lookup`, stored as an observation, read by the diagnosis).
//! Here, beside the other mail types, so that neither side imports the other.

use super::{MailDomain, SuppressionList};
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// One suppression list checked for an address on one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionCheck {
    pub domain: MailDomain,
    pub list: SuppressionList,
    /// The entry when the address is on the list; `None`: checked, not on it.
    pub entry: Option<SuppressionEntry>,
}

/// A suppression list entry as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionEntry {
    /// Mailgun's `code` (bounces), verbatim.
    pub code: Option<String>,
    /// Mailgun's `error` (bounces), verbatim.
    pub error: Option<String>,
    /// `created_at` read as an instant.
    pub created_at: Option<UtcTime>,
    /// `created_at` verbatim.
    pub created_shown: Option<String>,
}
