//! Settings that change what the engineer is told or where links point. Hosts are settings so
//! that a staging instance works too.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// The CustomersDot host, e.g. `customers.gitlab.com`.
    pub admin_host: String,
    /// The Mailgun web app host.
    pub mailgun_app_host: String,
    /// The Mailgun sending domain of the Customers Portal's own mail.
    pub customers_domain: String,
    /// The Mailgun sending domain of GitLab.com's mail.
    pub gitlab_com_domain: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            admin_host: "customers.gitlab.com".into(),
            mailgun_app_host: "app.mailgun.com".into(),
            customers_domain: "customers.gitlab.com".into(),
            gitlab_com_domain: "mg.gitlab.com".into(),
        }
    }
}

impl Settings {
    pub fn resend_confirmation_url(&self) -> String {
        format!("https://{}/customers/confirmation/new", self.admin_host)
    }

    pub fn password_reset_url(&self) -> String {
        format!("https://{}/customers/password/new", self.admin_host)
    }

    /// The logs page of one sending domain. Mailgun's filter parameters are not documented,
    /// so the link opens the domain's logs and the step's label names the address to search.
    pub fn mailgun_logs_url(&self, domain: &str) -> String {
        format!(
            "https://{}/app/sending/domains/{}/logs",
            self.mailgun_app_host, domain
        )
    }
}
