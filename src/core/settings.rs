//! Settings that change what the engineer is told or where links point. Hosts are settings so
//! that a staging instance works too.

use crate::core::url;
use serde::{Deserialize, Serialize};

/// How long customer data (the observation store's records) is kept unless the settings say
/// otherwise. Here, not in `core::store`: the store takes its expiry from the settings, never
/// the other way round.
pub const DEFAULT_EXPIRY_HOURS: u32 = 8;

/// Read (`Deserialize`) by hand in [`crate::core::stored`], with the rules of
/// `#[serde(default, rename_all = "camelCase")]`: an absent field is its default.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The CustomersDot host, e.g. `customers.gitlab.com`.
    pub admin_host: String,
    /// The Mailgun web app host.
    pub mailgun_app_host: String,
    /// The Mailgun sending domain of the Customers Portal's own mail.
    pub customers_domain: String,
    /// The Mailgun sending domain of GitLab.com's mail.
    pub gitlab_com_domain: String,
    /// The admin's `Time.zone` as minutes east of UTC: RailsAdmin shows times without a zone.
    pub admin_zone_offset_minutes: i32,
    /// How far back (days before now) mail events count for the password-reset findings.
    pub reset_window_days: u32,
    /// Devise's `maximum_attempts`: failed sign-ins that lock the account (Devise's default 10).
    pub lock_after_failed_attempts: u32,
    /// How long observations (customer data) are kept in the session store.
    pub observation_expiry_hours: u32,
    /// What the banner does on pages with nothing to say about a customer.
    pub quiet_pages: QuietPages,
    /// The Mailgun account's region: which API host the key is sent to.
    pub mailgun_region: Region,
    /// The popup fetches the admin search with the engineer's own session.
    pub admin_lookup: bool,
    /// The popup asks Mailgun's Events and Suppressions APIs (needs an API key).
    pub mailgun_lookup: bool,
    /// The popup asks GitLab.com's users API (needs an administrator's personal access token).
    pub gitlab_lookup: bool,
    /// How long one live look-up request may take.
    pub lookup_timeout_seconds: u32,
}

/// Mailgun's API regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    #[default]
    Us,
    Eu,
}

impl Region {
    /// The API host the key is sent to, and nowhere else.
    pub fn api_host(self) -> &'static str {
        match self {
            Region::Us => "api.mailgun.net",
            Region::Eu => "api.eu.mailgun.net",
        }
    }
}

/// The banner on pages with nothing to say (another model, a page it cannot read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuietPages {
    /// A slim one-line note saying what the page is.
    #[default]
    Slim,
    /// No banner at all.
    Hidden,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            admin_host: "customers.gitlab.com".into(),
            mailgun_app_host: "app.mailgun.com".into(),
            customers_domain: "customers.gitlab.com".into(),
            gitlab_com_domain: "mg.gitlab.com".into(),
            admin_zone_offset_minutes: 0,
            reset_window_days: 30,
            lock_after_failed_attempts: 10,
            observation_expiry_hours: DEFAULT_EXPIRY_HOURS,
            quiet_pages: QuietPages::Slim,
            mailgun_region: Region::Us,
            admin_lookup: false,
            mailgun_lookup: false,
            gitlab_lookup: false,
            lookup_timeout_seconds: 20,
        }
    }
}

impl Settings {
    /// The admin's zone offset in seconds, for [`crate::core::time::parse_admin_datetime`].
    pub fn admin_zone_offset(&self) -> i64 {
        i64::from(self.admin_zone_offset_minutes) * 60
    }

    /// The reset window in seconds.
    pub fn reset_window_secs(&self) -> i64 {
        i64::from(self.reset_window_days) * 86_400
    }

    /// The admin's search for an address (RailsAdmin's `query` parameter).
    pub fn admin_search_url(&self, query: &str) -> String {
        url::https(
            &self.admin_host,
            &["admin", "customer"],
            &[("query", query)],
        )
        .unwrap_or_default()
    }

    /// A record's Show page.
    pub fn admin_customer_url(&self, id: &str) -> String {
        url::https(&self.admin_host, &["admin", "customer", id], &[]).unwrap_or_default()
    }

    /// A record's Edit tab (the email, "Skip email confirmation").
    pub fn admin_customer_edit_url(&self, id: &str) -> String {
        url::https(&self.admin_host, &["admin", "customer", id, "edit"], &[]).unwrap_or_default()
    }

    pub fn resend_confirmation_url(&self) -> String {
        url::https(&self.admin_host, &["customers", "confirmation", "new"], &[]).unwrap_or_default()
    }

    /// The Customers Portal's sign-in page: "Continue with your GitLab.com account", or "Sign in
    /// with your email" for a one-time sign-in link (email-and-password sign-in is deprecated).
    pub fn sign_in_url(&self) -> String {
        url::https(&self.admin_host, &["customers", "sign_in"], &[]).unwrap_or_default()
    }

    /// The logs page of one sending domain. Mailgun's filter parameters are not documented,
    /// so the link opens the domain's logs and the step's label names the address to search.
    pub fn mailgun_logs_url(&self, domain: &str) -> String {
        url::https(
            &self.mailgun_app_host,
            &["app", "sending", "domains", domain, "logs"],
            &[],
        )
        .unwrap_or_default()
    }
}

/// One problem with a settings form field (`field` is the camelCase name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Settings {
    /// What is wrong with these settings, per field; empty when they can be saved.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, message: String| {
            out.push(FieldProblem {
                field: field.into(),
                message,
            })
        };
        for (field, host) in [
            ("adminHost", &self.admin_host),
            ("mailgunAppHost", &self.mailgun_app_host),
            ("customersDomain", &self.customers_domain),
            ("gitlabComDomain", &self.gitlab_com_domain),
        ] {
            if !crate::core::url::is_host_name(host) {
                bad(
                    field,
                    format!("“{host}” is not a host name (like customers.gitlab.com)."),
                );
            }
        }
        if self
            .customers_domain
            .eq_ignore_ascii_case(&self.gitlab_com_domain)
        {
            bad(
                "gitlabComDomain",
                "The two sending domains must differ: which site sent a mail is the point.".into(),
            );
        }
        let mut range = |field: &str, value: i64, lo: i64, hi: i64, unit: &str| {
            if !(lo..=hi).contains(&value) {
                out.push(FieldProblem {
                    field: field.into(),
                    message: format!("Between {lo} and {hi} {unit}."),
                });
            }
        };
        range(
            "resetWindowDays",
            self.reset_window_days.into(),
            1,
            365,
            "days",
        );
        range(
            "observationExpiryHours",
            self.observation_expiry_hours.into(),
            1,
            24,
            "hours",
        );
        range(
            "lockAfterFailedAttempts",
            self.lock_after_failed_attempts.into(),
            1,
            100,
            "attempts",
        );
        range(
            "lookupTimeoutSeconds",
            self.lookup_timeout_seconds.into(),
            1,
            120,
            "seconds",
        );
        range(
            "adminZoneOffsetMinutes",
            self.admin_zone_offset_minutes.into(),
            -720,
            840,
            "minutes",
        );
        out
    }

    /// The host permission the admin look-up needs (requested when it is switched on).
    pub fn admin_origin(&self) -> String {
        format!("https://{}/*", self.admin_host)
    }

    /// The host permission the Mailgun look-ups need: the region's API host only.
    pub fn mailgun_api_origin(&self) -> String {
        format!("https://{}/*", self.mailgun_region.api_host())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_options_form() {
        assert!(Settings::default().problems().is_empty());
        let s = Settings {
            admin_host: "https://customers.gitlab.com/".into(),
            gitlab_com_domain: "Customers.GitLab.com".into(),
            reset_window_days: 0,
            lookup_timeout_seconds: 500,
            ..Settings::default()
        };
        let problems = s.problems();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "adminHost",
                "gitlabComDomain",
                "resetWindowDays",
                "lookupTimeoutSeconds"
            ]
        );
        let eu = Settings {
            mailgun_region: Region::Eu,
            ..Settings::default()
        };
        assert_eq!(eu.mailgun_api_origin(), "https://api.eu.mailgun.net/*");
        assert_eq!(eu.admin_origin(), "https://customers.gitlab.com/*");
    }

    #[test]
    fn builds_admin_links_with_encoded_values() {
        let s = Settings::default();
        assert_eq!(
            s.admin_search_url("first+tag@example.com"),
            "https://customers.gitlab.com/admin/customer?query=first%2Btag%40example.com"
        );
        assert_eq!(
            s.admin_customer_url("4711"),
            "https://customers.gitlab.com/admin/customer/4711"
        );
    }

    #[test]
    fn new_settings_default_when_absent() {
        let s: Settings = serde_json::from_str(r#"{"adminHost":"staging.example.com"}"#).unwrap();
        assert_eq!(s.admin_host, "staging.example.com");
        assert_eq!(s.reset_window_days, 30);
        assert_eq!(s.lock_after_failed_attempts, 10);
        let s: Settings =
            serde_json::from_str(r#"{"resetWindowDays":7,"lockAfterFailedAttempts":5}"#).unwrap();
        assert_eq!((s.reset_window_days, s.lock_after_failed_attempts), (7, 5));
        assert_eq!(s.reset_window_secs(), 7 * 86_400);
    }
}
