//! The options page (`options.html`): the settings form, the Mailgun API key, the GitLab.com
//! token, the host permissions of the live look-ups, and "forget all customer data".
//!
//! The key and the token are written to `storage.local` by `options.js` and never read back
//! into this page: the page only learns how long each saved one is ([`mailgun_api::masked`],
//! [`gitlab_api::masked`]). Host permissions
//! are requested when a look-up is switched on (the browser asks the engineer), in the same
//! event the click caused, as browsers require.

use crate::core::lookup::{gitlab_api, mailgun_api};
use crate::core::settings::{QuietPages, Region, Settings};
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, Event, HtmlInputElement, HtmlSelectElement};

#[wasm_bindgen]
extern "C" {
    /// What `options.js` passes in.
    pub type OptionsHost;
    /// `{ settings, keyLength }` from `storage.local`.
    #[wasm_bindgen(method, catch)]
    fn load(this: &OptionsHost) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = saveSettings)]
    fn save_settings(this: &OptionsHost, settings: JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = saveKey)]
    fn save_key(this: &OptionsHost, key: &str) -> Result<js_sys::Promise, JsValue>;
    /// The GitLab.com token (`storage.local`; "" removes it).
    #[wasm_bindgen(method, catch, js_name = saveToken)]
    fn save_token(this: &OptionsHost, token: &str) -> Result<js_sys::Promise, JsValue>;
    /// `permissions.request({ origins: [origin] })`: must run inside the engineer's click.
    #[wasm_bindgen(method, catch)]
    fn request(this: &OptionsHost, origin: &str) -> Result<js_sys::Promise, JsValue>;
    /// `permissions.remove({ origins: [origin] })`.
    #[wasm_bindgen(method, catch)]
    fn release(this: &OptionsHost, origin: &str) -> Result<js_sys::Promise, JsValue>;
    /// Empties the observation store (the background's "forget").
    #[wasm_bindgen(method, catch)]
    fn forget(this: &OptionsHost) -> Result<js_sys::Promise, JsValue>;
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Loaded {
    #[serde(default)]
    settings: Option<Settings>,
    #[serde(default)]
    key_length: usize,
    #[serde(default)]
    token_length: usize,
}

struct State {
    host: OptionsHost,
    doc: Document,
    saved: Settings,
    key_length: usize,
    token_length: usize,
}

type Shared = Rc<RefCell<State>>;

const TEXT_FIELDS: [&str; 4] = [
    "adminHost",
    "mailgunAppHost",
    "customersDomain",
    "gitlabComDomain",
];
const NUMBER_FIELDS: [&str; 5] = [
    "resetWindowDays",
    "observationExpiryHours",
    "lockAfterFailedAttempts",
    "lookupTimeoutSeconds",
    "adminZoneOffsetMinutes",
];

#[wasm_bindgen]
pub struct OptionsPage {
    state: Shared,
}

#[wasm_bindgen]
impl OptionsPage {
    #[wasm_bindgen(constructor)]
    pub fn new(host: OptionsHost) -> Result<OptionsPage, JsValue> {
        let doc = crate::js::document()?;
        let state = Rc::new(RefCell::new(State {
            host,
            doc,
            saved: Settings::default(),
            key_length: 0,
            token_length: 0,
        }));
        install(&state)?;
        Ok(OptionsPage { state })
    }

    /// Fills the form from what is saved.
    pub async fn start(&self) -> Result<(), JsValue> {
        let promise = self.state.borrow().host.load()?;
        let loaded: Loaded = crate::js::typed(&JsFuture::from(promise).await?).unwrap_or_default();
        let mut st = self.state.borrow_mut();
        st.saved = loaded.settings.unwrap_or_default();
        st.key_length = loaded.key_length;
        st.token_length = loaded.token_length;
        fill(&st)?;
        Ok(())
    }
}

fn input(doc: &Document, id: &str) -> Option<HtmlInputElement> {
    doc.get_element_by_id(id)?.dyn_into().ok()
}

fn select(doc: &Document, id: &str) -> Option<HtmlSelectElement> {
    doc.get_element_by_id(id)?.dyn_into().ok()
}

fn say(doc: &Document, text: &str) {
    if let Some(status) = doc.get_element_by_id("status") {
        status.set_text_content(Some(text));
    }
}

fn fill(st: &State) -> Result<(), JsValue> {
    let s = &st.saved;
    let value = crate::js::plain(s);
    for field in TEXT_FIELDS.iter().chain(NUMBER_FIELDS.iter()) {
        if let Some(el) = input(&st.doc, field) {
            let v = js_sys::Reflect::get(&value, &JsValue::from_str(field))?;
            el.set_value(
                &v.as_string()
                    .or_else(|| v.as_f64().map(|n| (n as i64).to_string()))
                    .unwrap_or_default(),
            );
        }
    }
    if let Some(el) = select(&st.doc, "mailgunRegion") {
        el.set_value(match s.mailgun_region {
            Region::Us => "us",
            Region::Eu => "eu",
        });
    }
    if let Some(el) = select(&st.doc, "quietPages") {
        el.set_value(match s.quiet_pages {
            QuietPages::Slim => "slim",
            QuietPages::Hidden => "hidden",
        });
    }
    for (id, on) in [
        ("adminLookup", s.admin_lookup),
        ("mailgunLookup", s.mailgun_lookup),
        ("gitlabLookup", s.gitlab_lookup),
    ] {
        if let Some(el) = input(&st.doc, id) {
            el.set_checked(on);
        }
    }
    show_key(st);
    Ok(())
}

fn show_key(st: &State) {
    if let Some(el) = st.doc.get_element_by_id("keyState") {
        el.set_text_content(Some(&mailgun_api::masked(&"•".repeat(st.key_length))));
    }
    if let Some(el) = input(&st.doc, "apiKey") {
        el.set_value("");
    }
    if let Some(el) = st.doc.get_element_by_id("tokenState") {
        el.set_text_content(Some(&gitlab_api::masked(&"•".repeat(st.token_length))));
    }
    if let Some(el) = input(&st.doc, "gitlabToken") {
        el.set_value("");
    }
}

/// The settings the form shows, on top of what was saved (fields the form lacks keep their
/// saved values). Unreadable numbers become 0, which `Settings::problems` then names.
fn read_form(st: &State) -> Settings {
    let mut s = st.saved.clone();
    let text = |id: &str| {
        input(&st.doc, id)
            .map(|i| i.value().trim().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let number = |id: &str| text(id).parse::<i64>().unwrap_or(0);
    let unsigned = |id: &str| u32::try_from(number(id)).unwrap_or(0);
    s.admin_host = text("adminHost");
    s.mailgun_app_host = text("mailgunAppHost");
    s.customers_domain = text("customersDomain");
    s.gitlab_com_domain = text("gitlabComDomain");
    s.reset_window_days = unsigned("resetWindowDays");
    s.observation_expiry_hours = unsigned("observationExpiryHours");
    s.lock_after_failed_attempts = unsigned("lockAfterFailedAttempts");
    s.lookup_timeout_seconds = unsigned("lookupTimeoutSeconds");
    s.admin_zone_offset_minutes =
        i32::try_from(number("adminZoneOffsetMinutes")).unwrap_or(i32::MAX);
    s.mailgun_region = match select(&st.doc, "mailgunRegion")
        .map(|e| e.value())
        .as_deref()
    {
        Some("eu") => Region::Eu,
        _ => Region::Us,
    };
    s.quiet_pages = match select(&st.doc, "quietPages").map(|e| e.value()).as_deref() {
        Some("hidden") => QuietPages::Hidden,
        _ => QuietPages::Slim,
    };
    s.admin_lookup = input(&st.doc, "adminLookup").is_some_and(|i| i.checked());
    s.mailgun_lookup = input(&st.doc, "mailgunLookup").is_some_and(|i| i.checked());
    s.gitlab_lookup = input(&st.doc, "gitlabLookup").is_some_and(|i| i.checked());
    s
}

/// Each field's message under it (`#<field>-problem`), and `aria-invalid` on the field.
fn show_problems(doc: &Document, settings: &Settings) -> bool {
    let problems = settings.problems();
    for field in TEXT_FIELDS.iter().chain(NUMBER_FIELDS.iter()) {
        let problem = problems.iter().find(|p| p.field == *field);
        if let Some(note) = doc.get_element_by_id(&format!("{field}-problem")) {
            note.set_text_content(problem.map(|p| p.message.as_str()));
        }
        if let Some(el) = input(doc, field) {
            let _ = match problem {
                Some(_) => el.set_attribute("aria-invalid", "true"),
                None => el.remove_attribute("aria-invalid"),
            };
        }
    }
    problems.is_empty()
}

/// Asks the browser for a look-up's host (inside the click that switched it on); a refusal
/// switches it off again and says so.
fn ask_permission(state: &Shared, checkbox: HtmlInputElement, origin: String) {
    let promise = state.borrow().host.request(&origin);
    let doc = state.borrow().doc.clone();
    spawn_local(async move {
        let granted = match promise {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        };
        if granted == Some(true) {
            say(
                &doc,
                &format!("Allowed to reach {origin}. Save to keep the look-up on."),
            );
        } else {
            checkbox.set_checked(false);
            say(
                &doc,
                &format!("The browser did not allow {origin}: the look-up stays off."),
            );
        }
    });
}

// The handlers hold the state strongly: they live as long as the page, which is how long the
// state must live (a module's top-level `const` in the loader may be collected once the
// module has run, and the wasm-bindgen object with it).
fn install(state: &Shared) -> Result<(), JsValue> {
    let doc = state.borrow().doc.clone();
    let page = state.clone();
    let on_change = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let state = page.clone();
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let form = read_form(&state.borrow());
        let mailgun = input(&state.borrow().doc, "mailgunLookup");
        match target.id().as_str() {
            "adminLookup" | "mailgunLookup" | "gitlabLookup" => {
                let Ok(checkbox) = target.dyn_into::<HtmlInputElement>() else {
                    return;
                };
                let origin = match checkbox.id().as_str() {
                    "adminLookup" => form.admin_origin(),
                    "gitlabLookup" => gitlab_api::API_ORIGIN.to_string(),
                    _ => form.mailgun_api_origin(),
                };
                if checkbox.checked() {
                    ask_permission(&state, checkbox, origin);
                }
            }
            // Another region is another host: ask for it while the look-up is on.
            "mailgunRegion" => {
                if let Some(checkbox) = mailgun.filter(|c| c.checked()) {
                    ask_permission(&state, checkbox, form.mailgun_api_origin());
                }
            }
            _ => {}
        }
    });
    doc.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
    on_change.forget();

    let page = state.clone();
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        save(&page);
    });
    if let Some(form) = doc.get_element_by_id("options") {
        form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    }
    on_submit.forget();

    let page = state.clone();
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let state = page.clone();
        let action = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-action]").ok().flatten())
            .and_then(|el| el.get_attribute("data-action"));
        match action.as_deref() {
            Some("remove-key") => remove_key(&state),
            Some("remove-token") => remove_token(&state),
            Some("forget") => forget(&state),
            _ => {}
        }
    });
    doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(())
}

fn save(state: &Shared) {
    let (settings, key, token, doc) = {
        let st = state.borrow();
        let key = input(&st.doc, "apiKey").map(|i| i.value().trim().to_string());
        let token = input(&st.doc, "gitlabToken").map(|i| i.value().trim().to_string());
        (
            read_form(&st),
            key.unwrap_or_default(),
            token.unwrap_or_default(),
            st.doc.clone(),
        )
    };
    if !show_problems(&doc, &settings) {
        say(&doc, "Not saved: fix the fields marked below.");
        return;
    }
    if key.chars().any(char::is_whitespace) || key.len() > 200 {
        say(
            &doc,
            "Not saved: that does not look like a Mailgun API key.",
        );
        return;
    }
    if token.chars().any(char::is_whitespace) || token.len() > 200 {
        say(
            &doc,
            "Not saved: that does not look like a GitLab.com personal access token.",
        );
        return;
    }
    let value = crate::js::plain(&settings);
    let (saved_settings, saved_key, saved_token, released) = {
        let st = state.borrow();
        let released: Vec<js_sys::Promise> = [
            (st.saved.admin_lookup && !settings.admin_lookup).then(|| st.saved.admin_origin()),
            (st.saved.mailgun_lookup
                && (!settings.mailgun_lookup
                    || st.saved.mailgun_region != settings.mailgun_region))
                .then(|| st.saved.mailgun_api_origin()),
            (st.saved.gitlab_lookup && !settings.gitlab_lookup)
                .then(|| gitlab_api::API_ORIGIN.to_string()),
        ]
        .into_iter()
        .flatten()
        .filter_map(|origin| st.host.release(&origin).ok())
        .collect();
        (
            st.host.save_settings(value),
            (!key.is_empty()).then(|| st.host.save_key(&key)),
            (!token.is_empty()).then(|| st.host.save_token(&token)),
            released,
        )
    };
    let state = state.clone();
    spawn_local(async move {
        let mut ok = crate::js::resolves(saved_settings).await;
        for saved in [saved_key, saved_token].into_iter().flatten() {
            ok &= crate::js::resolves(saved).await;
        }
        // A look-up switched off gives its host back (least privilege); the browser may keep
        // hosts it grants for other reasons (the admin's content script).
        for p in released {
            let _ = JsFuture::from(p).await;
        }
        let mut st = state.borrow_mut();
        if ok {
            st.saved = settings;
            if !key.is_empty() {
                st.key_length = key.chars().count();
            }
            if !token.is_empty() {
                st.token_length = token.chars().count();
            }
            show_key(&st);
            say(&st.doc, "Saved.");
        } else {
            say(&st.doc, "Not saved: the browser's storage refused it.");
        }
    });
}

fn remove_key(state: &Shared) {
    let promise = state.borrow().host.save_key("");
    let state = state.clone();
    spawn_local(async move {
        let ok = crate::js::resolves(promise).await;
        let mut st = state.borrow_mut();
        if ok {
            st.key_length = 0;
            show_key(&st);
            say(&st.doc, "The API key was removed.");
        }
    });
}

fn remove_token(state: &Shared) {
    let promise = state.borrow().host.save_token("");
    let state = state.clone();
    spawn_local(async move {
        let ok = crate::js::resolves(promise).await;
        let mut st = state.borrow_mut();
        if ok {
            st.token_length = 0;
            show_key(&st);
            say(&st.doc, "The GitLab.com token was removed.");
        }
    });
}

fn forget(state: &Shared) {
    let promise = state.borrow().host.forget();
    let doc = state.borrow().doc.clone();
    spawn_local(async move {
        let ok = crate::js::resolves(promise).await;
        say(
            &doc,
            if ok {
                "Forgot all customer data: observations and recent searches."
            } else {
                "Could not reach the store: nothing was forgotten."
            },
        );
    });
}
