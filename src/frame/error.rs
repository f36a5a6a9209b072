//! When cdot-triage itself fails in the frame: the panic hook that leaves a scrubbed report
//! for `banner.js`, and the kind of page being read (the only page fact a report carries).
//!
//! The release build has `panic = "abort"`: a panic becomes a WebAssembly `unreachable` trap,
//! after which the instance must not be called again (a `RefCell` may still be borrowed, a
//! half-built value left in memory). So the hook does its work *before* the trap: it writes the
//! report to `globalThis.__cdotTriageReport` and dispatches `cdot-triage-panic` on the window;
//! `banner.js` then renders the error state with plain DOM calls, never calling the module
//! again.

use crate::core::page::PageReading;
use crate::core::report;
use crate::core::settings::Settings;
use std::cell::Cell;
use wasm_bindgen::JsValue;

/// Where the hook leaves the report for `banner.js`.
pub const REPORT_GLOBAL: &str = "__cdotTriageReport";
/// The event the hook dispatches on the frame's window.
pub const PANIC_EVENT: &str = "cdot-triage-panic";

thread_local! {
    static PAGE_KIND: Cell<&'static str> = const { Cell::new("no page read yet") };
}

/// Installs the panic hook, once per module instance; the hook before it (wasm-bindgen-test's,
/// in tests) still runs after it.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            publish(info);
            previous(info);
        }));
    });
}

/// Leaves the report for `banner.js` and tells it.
fn publish(info: &std::panic::PanicHookInfo) {
    let message = match info.location() {
        Some(at) => format!("panicked at {at}: {}", info.payload_as_str().unwrap_or("")),
        None => format!("panicked: {}", info.payload_as_str().unwrap_or("")),
    };
    let text = report::report(
        env!("CARGO_PKG_VERSION"),
        PAGE_KIND.with(Cell::get),
        &message,
    );
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &JsValue::from_str(REPORT_GLOBAL),
        &JsValue::from_str(&text),
    );
    // And says so at once: the trap that follows may be caught on its way out (by an
    // import's error handling) instead of reaching the frame as an uncaught error.
    if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(PANIC_EVENT)) {
        let _ = window.dispatch_event(&event);
    } else {
        // In the frame's reader (a dedicated worker, src/frame/worker.rs): the frame is told
        // with `{ type: "failed", report }`, and shows the error state.
        let global = js_sys::global();
        let post = js_sys::Reflect::get(&global, &JsValue::from_str("postMessage"))
            .ok()
            .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
        if let Some(post) = post {
            let message = crate::js::object(&[
                ("type", JsValue::from_str("failed")),
                ("report", JsValue::from_str(&text)),
            ]);
            let _ = post.call1(&global, &message);
        }
    }
}

/// Records the kind of page the frame is on (see [`kind_of_url`], [`kind_of`]).
pub fn set_page_kind(kind: &'static str) {
    PAGE_KIND.with(|k| k.set(kind));
}

/// The kind of page a snapshot is from, before it is read: its site only.
pub fn kind_of_url(url: &str, settings: &Settings) -> &'static str {
    let host = crate::core::url::host_of(url);
    if host.eq_ignore_ascii_case(&settings.admin_host) {
        "admin page, being read"
    } else if host.eq_ignore_ascii_case(&settings.mailgun_app_host) {
        "mailgun page, being read"
    } else if host.eq_ignore_ascii_case(crate::core::gitlab_com::HOST) {
        "gitlab.com admin page, being read"
    } else {
        "other page, being read"
    }
}

/// The kind of page the reader reported (one of [`kind_of`]'s names), as the frame's own
/// report names it.
pub fn kind_named(name: &str) -> &'static str {
    const KINDS: [&str; 9] = [
        "customer-show",
        "customer-search",
        "customer-gitlab-groups",
        "mailgun",
        "gitlab-com-user",
        "gitlab-com-search",
        "other-admin-page",
        "unreadable",
        "no page read yet",
    ];
    KINDS
        .into_iter()
        .find(|k| *k == name)
        .unwrap_or("unknown page")
}

/// The kind of page a reading is, as a report names it.
pub fn kind_of(reading: &PageReading) -> &'static str {
    match reading {
        PageReading::CustomerShow(_) => "customer-show",
        PageReading::CustomerSearch(_) => "customer-search",
        PageReading::CustomerGitLabGroups(_) => "customer-gitlab-groups",
        PageReading::Mailgun(_) => "mailgun",
        PageReading::GitLabComUser(_) => "gitlab-com-user",
        PageReading::GitLabComSearch(_) => "gitlab-com-search",
        PageReading::OtherAdminPage { .. } => "other-admin-page",
        PageReading::Unreadable { .. } => "unreadable",
    }
}
