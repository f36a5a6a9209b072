//! The popup's requests (gloo-net): one GET with a timeout, its failure mapped to the core's
//! [`Failure`]. Which URL, which headers and what an answer means are decided in
//! `core::lookup`; this file only moves bytes.

use crate::core::lookup::source::Failure;
use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestCredentials, RequestRedirect};

/// An answer: status, URL and body text; `redirect` when the host answered with a redirect,
/// which is not followed (status 0, no body).
pub struct Answer {
    pub status: u16,
    pub url: String,
    pub text: String,
    pub redirect: bool,
}

/// How a request carries the engineer's identity.
pub enum Auth<'a> {
    /// The browser's cookies for the host (the admin session). Redirects are not followed: a
    /// signed-out session is redirected to a sign-in page (Devise's, or an SSO provider on
    /// another host), which the caller reads as "signed out", and the cookies never follow.
    Session,
    /// An `Authorization` header value (the Mailgun API key); no cookies, and a redirect is an
    /// error: the key is never sent on to where an answer points.
    Header(&'a str),
}

/// GETs `url`, giving up after `timeout_secs`.
pub async fn get(url: &str, auth: Auth<'_>, timeout_secs: u32) -> Result<Answer, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Offline)?;
    let signal = controller.signal();
    let abort = Closure::once(move || controller.abort());
    let timer = web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            i32::try_from(timeout_secs.saturating_mul(1000)).unwrap_or(i32::MAX),
        )
        .ok()
    });
    let builder = Request::get(url).abort_signal(Some(&signal));
    let builder = match auth {
        Auth::Session => builder
            .credentials(RequestCredentials::Include)
            .redirect(RequestRedirect::Manual),
        Auth::Header(value) => builder
            .redirect(RequestRedirect::Error)
            .credentials(RequestCredentials::Omit)
            .header("Authorization", value)
            .header("Accept", "application/json"),
    };
    let result = async {
        let response = builder.send().await?;
        let redirect = response.type_() == web_sys::ResponseType::Opaqueredirect;
        let text = if redirect {
            String::new()
        } else {
            response.text().await?
        };
        Ok::<_, gloo_net::Error>(Answer {
            status: response.status(),
            url: response.url(),
            text,
            redirect,
        })
    }
    .await;
    if let (Some(window), Some(id)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(id);
    }
    drop(abort);
    result.map_err(|_| {
        if signal.aborted() {
            Failure::Timeout(timeout_secs)
        } else {
            Failure::Offline
        }
    })
}
