//! Sending domains: which domain a mail went out on, where that was read, and the host and
//! address parsing it rests on (host names, the address in a header, the host of a message-id).

use crate::core::email;
use crate::core::settings::Settings;
pub use crate::core::url::is_host_name;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The sending domain a mail went out on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailDomain {
    /// `settings.customers_domain` (customers.gitlab.com): the Customers Portal's own mail.
    #[serde(rename = "c")]
    CustomersPortal,
    /// `settings.gitlab_com_domain` (mg.gitlab.com): GitLab.com's mail.
    #[serde(rename = "g")]
    GitLabCom,
    /// Another sending domain, lower-cased (e.g. `email.mg.gitlab.com`, which the handbook
    /// says is not the right one).
    #[serde(rename = "o")]
    Other(String),
    /// Nothing on the page or in the event said which domain: never guessed.
    #[serde(rename = "u")]
    Unknown,
}

impl MailDomain {
    /// Classifies a host name exactly (no suffix matching: `email.mg.gitlab.com` is not
    /// `mg.gitlab.com`). `None` when `host` is not a plausible host name.
    pub fn from_host(host: &str, settings: &Settings) -> Option<MailDomain> {
        let host = host.trim().trim_end_matches('.');
        if !is_host_name(host) {
            return None;
        }
        Some(if host.eq_ignore_ascii_case(&settings.customers_domain) {
            MailDomain::CustomersPortal
        } else if host.eq_ignore_ascii_case(&settings.gitlab_com_domain) {
            MailDomain::GitLabCom
        } else {
            MailDomain::Other(host.to_ascii_lowercase())
        })
    }

    /// The domain's name, when known.
    pub fn name<'a>(&'a self, settings: &'a Settings) -> Option<&'a str> {
        match self {
            MailDomain::CustomersPortal => Some(&settings.customers_domain),
            MailDomain::GitLabCom => Some(&settings.gitlab_com_domain),
            MailDomain::Other(name) => Some(name),
            MailDomain::Unknown => None,
        }
    }

    /// "customers.gitlab.com (Customers Portal mail)", "mg.gitlab.com (GitLab.com mail)",
    /// "email.mg.gitlab.com", "unknown domain".
    pub fn label(&self, settings: &Settings) -> String {
        self.label_parts(settings).concat()
    }

    /// [`MailDomain::label`] in two parts (the name, then what it is).
    pub(super) fn label_parts<'a>(&'a self, settings: &'a Settings) -> [&'a str; 2] {
        match self {
            MailDomain::CustomersPortal => [&settings.customers_domain, " (Customers Portal mail)"],
            MailDomain::GitLabCom => [&settings.gitlab_com_domain, " (GitLab.com mail)"],
            MailDomain::Other(name) => [name, ""],
            MailDomain::Unknown => ["unknown domain", ""],
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, MailDomain::Unknown)
    }
}

/// Where an event's domain was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DomainSource {
    /// The page URL: `/app/sending/domains/<domain>/logs`, `/v3/<domain>/events`.
    #[serde(rename = "u")]
    Url,
    /// The page's selected-domain control (a `<select>`, combobox or button).
    #[serde(rename = "pc")]
    PageControl,
    /// A domain cell in the event's own row.
    #[serde(rename = "rc")]
    RowCell,
    /// The event's `envelope.sender` host (Mailgun's bounce address on the sending domain).
    #[serde(rename = "es")]
    EnvelopeSender,
    /// The event's `domain.name` (Logs API items).
    #[serde(rename = "ed")]
    EventDomainField,
    /// The `message-id` host, only when it is one of the two known sending domains.
    #[serde(rename = "mi")]
    MessageId,
    /// The From header's host, only when it is one of the two known sending domains.
    #[serde(rename = "fh")]
    FromHeader,
}

/// The address inside a header value: "GitLab <noreply@mg.gitlab.com>", "<a@b.c>", "a@b.c".
/// `None` unless there is exactly one address.
pub fn address_in(header: &str) -> Option<String> {
    let inner = header
        .rsplit_once('<')
        .and_then(|(_, after_open)| after_open.rsplit_once('>'))
        .map_or(header, |(inner, _)| inner);
    let inner = inner.trim().trim_matches(['"', '\'']);
    email::is_address(inner).then(|| inner.to_string())
}

/// The host after the last `@` of an address or message-id ("<x.y@customers.gitlab.com>").
pub fn host_of(value: &str) -> Option<String> {
    let v = value.trim().trim_start_matches('<').trim_end_matches('>');
    let (_, host) = v.rsplit_once('@')?;
    let host = host.trim().trim_end_matches('.');
    is_host_name(host).then(|| host.to_ascii_lowercase())
}

impl fmt::Display for MailDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailDomain::CustomersPortal => f.write_str("customers-portal"),
            MailDomain::GitLabCom => f.write_str("gitlab-com"),
            MailDomain::Other(name) => f.write_str(name),
            MailDomain::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Settings {
        Settings::default()
    }

    #[test]
    fn classifies_domains_exactly() {
        let cases = [
            ("customers.gitlab.com", Some(MailDomain::CustomersPortal)),
            ("Customers.GitLab.com", Some(MailDomain::CustomersPortal)),
            ("mg.gitlab.com", Some(MailDomain::GitLabCom)),
            ("mg.gitlab.com.", Some(MailDomain::GitLabCom)),
            (
                "email.mg.gitlab.com",
                Some(MailDomain::Other("email.mg.gitlab.com".into())),
            ),
            ("gitlab", None),
            ("All domains", None),
            ("", None),
        ];
        for (host, want) in cases {
            assert_eq!(MailDomain::from_host(host, &s()), want, "{host:?}");
        }
    }

    #[test]
    fn finds_addresses_and_hosts_in_headers() {
        assert_eq!(
            address_in("GitLab <noreply@mg.gitlab.com>").as_deref(),
            Some("noreply@mg.gitlab.com")
        );
        assert_eq!(address_in(" a@b.co ").as_deref(), Some("a@b.co"));
        assert_eq!(address_in("a@b.co, c@d.co"), None);
        assert_eq!(
            host_of("<20261122091403.1.AB@customers.gitlab.com>").as_deref(),
            Some("customers.gitlab.com")
        );
        assert_eq!(host_of("no host"), None);
    }
}
