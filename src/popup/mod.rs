//! The toolbar popup (`popup.html`): search by address, everything observed for it, its
//! diagnosis, deep links, and the live look-ups the engineer switched on in the options.
//!
//! It decides nothing: the search box is read by `core::lookup::query`, requests are built and
//! answers interpreted by `core::lookup`, the view is `core::lookup::view`. Every answer
//! becomes observations in the store, so banners in open tabs update too.

mod net;
mod render;

use crate::core::lookup::admin;
use crate::core::lookup::gitlab_api;
use crate::core::lookup::mailgun_api::{self, MAX_PAGES};
use crate::core::lookup::query::{parse_query, Query};
use crate::core::lookup::source::{self, Failure, Source, SourceLine, Unavailable};
use crate::core::lookup::view::{popup_view, remember, NotKeptCount, PopupView};
use crate::core::mail::SuppressionCheck;
use crate::core::mail::{MailDomain, MailgunPage};
use crate::core::observation::{self, Observation};
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::store::{self, Record};
use crate::core::time::UtcTime;
use net::{get, Auth};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, Event, HtmlInputElement};

#[wasm_bindgen]
extern "C" {
    /// What `popup.js` passes in: the store (a port to the background, as the banners use)
    /// and the extension APIs the popup needs.
    pub type PopupHost;
    #[wasm_bindgen(method, catch)]
    fn add(this: &PopupHost, records: JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAll)]
    fn get_all(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    /// What the store did not keep, per address: `{ [address]: { [reason]: count } }`.
    #[wasm_bindgen(method, catch)]
    fn lost(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = onChanged)]
    fn on_changed(this: &PopupHost, callback: &js_sys::Function);
    /// The saved settings (`storage.local`), or undefined.
    #[wasm_bindgen(method, catch)]
    fn settings(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    /// The Mailgun API key (`storage.local`), or "".
    #[wasm_bindgen(method, catch, js_name = apiKey)]
    fn api_key(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    /// The GitLab.com personal access token (`storage.local`), or "".
    #[wasm_bindgen(method, catch, js_name = gitlabToken)]
    fn gitlab_token(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    /// Whether the browser granted a host permission (`permissions.contains`).
    #[wasm_bindgen(method, catch, js_name = hasOrigin)]
    fn has_origin(this: &PopupHost, origin: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn recent(this: &PopupHost) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setRecent)]
    fn set_recent(this: &PopupHost, recent: JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = openOptions)]
    fn open_options(this: &PopupHost);
}

struct State {
    host: PopupHost,
    doc: Document,
    settings: Settings,
    query: Option<Query>,
    /// Bumped by every search: answers of an earlier search are dropped.
    generation: u32,
    sources: Vec<SourceLine>,
    /// What this popup's look-ups found, shown even if the store is unreachable.
    found: Vec<Record>,
    view: Option<PopupView>,
    recent: Vec<String>,
}

type Shared = Rc<RefCell<State>>;

/// The popup, as `popup.js` creates it once the module has loaded.
#[wasm_bindgen]
pub struct Popup {
    state: Shared,
}

#[wasm_bindgen]
impl Popup {
    #[wasm_bindgen(constructor)]
    pub fn new(host: PopupHost) -> Result<Popup, JsValue> {
        let doc = crate::js::document()?;
        let state = Rc::new(RefCell::new(State {
            host,
            doc,
            settings: Settings::default(),
            query: None,
            generation: 0,
            sources: Vec::new(),
            found: Vec::new(),
            view: None,
            recent: Vec::new(),
        }));
        install_controls(&state)?;
        let page = state.clone();
        let on_changed = Closure::<dyn FnMut(JsValue)>::new(move |_keys: JsValue| {
            refresh(&page);
        });
        state
            .borrow()
            .host
            .on_changed(on_changed.as_ref().unchecked_ref());
        on_changed.forget();
        Ok(Popup { state })
    }

    /// Loads the settings and recent searches, then runs the search in `?email=` if any.
    pub async fn start(&self) -> Result<(), JsValue> {
        let (settings, recent) = {
            let st = self.state.borrow();
            (st.host.settings()?, st.host.recent()?)
        };
        let settings = JsFuture::from(settings).await.unwrap_or(JsValue::UNDEFINED);
        let recent = JsFuture::from(recent).await.unwrap_or(JsValue::UNDEFINED);
        {
            let mut st = self.state.borrow_mut();
            st.settings = crate::js::typed(&settings).unwrap_or_default();
            st.recent = crate::js::typed::<Vec<String>>(&recent).unwrap_or_default();
            render::recent(&st.doc, &st.recent)?;
        }
        let search = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let prefilled = crate::core::url::query_param(&search, "email");
        if let Some(email) = prefilled {
            let input = self.state.borrow().doc.get_element_by_id("email");
            if let Some(input) = input.and_then(|i| i.dyn_into::<HtmlInputElement>().ok()) {
                input.set_value(&email);
            }
            search_for(&self.state, &email);
        }
        Ok(())
    }

    /// Searches for what was typed (tests and the context menu use `?email=` instead).
    pub fn search(&self, input: &str) {
        search_for(&self.state, input);
    }

    /// The side panel (`popup.html?panel`) follows the address the active tab's banner is
    /// about: its diagnosis from everything stored, without running the live look-ups again
    /// (a tab switch is not a search; the engineer's own search in the panel runs them). The
    /// address already shown is left as it is, with its look-ups' lines.
    pub fn follow(&self, input: &str) {
        let Ok(query) = parse_query(input) else {
            return;
        };
        {
            let mut st = self.state.borrow_mut();
            if st.query.as_ref().is_some_and(|q| q.key == query.key) {
                return;
            }
            if let Some(input) = st
                .doc
                .get_element_by_id("email")
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            {
                input.set_value(&query.shown);
            }
            let _ = render::invalid(&st.doc, None);
            // Answers of an earlier search's look-ups are dropped.
            st.generation += 1;
            st.found.clear();
            st.sources.clear();
            st.query = Some(query);
        }
        refresh(&self.state);
    }
}

fn now() -> UtcTime {
    UtcTime::from_millis(js_sys::Date::now())
}

fn search_for(state: &Shared, input: &str) {
    let query = match parse_query(input) {
        Ok(q) => q,
        Err(message) => {
            let st = state.borrow();
            let _ = render::invalid(&st.doc, Some(&message));
            return;
        }
    };
    let generation = {
        let mut st = state.borrow_mut();
        let _ = render::invalid(&st.doc, None);
        st.generation += 1;
        st.found.clear();
        st.recent = remember(&st.recent, &query);
        let _ = render::recent(&st.doc, &st.recent);
        crate::js::settle(st.host.set_recent(crate::js::plain(&st.recent)));
        st.sources = source::sources(&st.settings)
            .iter()
            .map(source::waiting)
            .collect();
        st.query = Some(query.clone());
        st.generation
    };
    refresh(state);
    for src in source::sources(&state.borrow().settings) {
        let state = state.clone();
        let query = query.clone();
        spawn_local(async move {
            let line = look_up(&state, &src, &query, generation).await;
            let mut st = state.borrow_mut();
            if st.generation != generation {
                return;
            }
            if let Some(slot) = st.sources.iter_mut().find(|l| l.id == line.id) {
                *slot = line;
            }
            let _ = render::sources(&st.doc, &st.sources);
        });
    }
}

/// Whether a source may be asked: switched on, a key where one is needed, and the browser's
/// permission for the host.
async fn availability(state: &Shared, src: &Source) -> Result<Option<String>, Unavailable> {
    let (enabled, origin, key) = {
        let st = state.borrow();
        match src {
            Source::Admin => (st.settings.admin_lookup, st.settings.admin_origin(), None),
            Source::GitLabCom => (
                st.settings.gitlab_lookup,
                gitlab_api::API_ORIGIN.to_string(),
                Some(st.host.gitlab_token()),
            ),
            _ => (
                st.settings.mailgun_lookup,
                st.settings.mailgun_api_origin(),
                Some(st.host.api_key()),
            ),
        }
    };
    if !enabled {
        return Err(Unavailable::Disabled);
    }
    let key = match key {
        Some(Ok(promise)) => {
            let key = JsFuture::from(promise)
                .await
                .ok()
                .and_then(|k| k.as_string())
                .unwrap_or_default();
            if key.trim().is_empty() {
                return Err(Unavailable::NoKey);
            }
            Some(key)
        }
        Some(Err(_)) => return Err(Unavailable::NoKey),
        None => None,
    };
    let granted = state.borrow().host.has_origin(&origin);
    let granted = match granted {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    };
    if !granted {
        return Err(Unavailable::NoPermission);
    }
    Ok(key)
}

/// Runs one source and returns its final line; what it found goes to the store.
async fn look_up(state: &Shared, src: &Source, query: &Query, generation: u32) -> SourceLine {
    let settings = state.borrow().settings.clone();
    let key = match availability(state, src).await {
        Ok(key) => key,
        Err(why) => return source::unavailable(src, why, &settings),
    };
    let timeout = settings.lookup_timeout_seconds;
    let result = match (src, key) {
        (Source::Admin, _) => admin_look_up(&settings, query, timeout).await,
        (Source::Events(domain), Some(key)) => {
            events_look_up(&settings, domain, query, &key, timeout).await
        }
        (Source::Suppressions(domain), Some(key)) => {
            suppressions_look_up(&settings, domain, query, &key, timeout).await
        }
        (Source::GitLabCom, Some(token)) => gitlab_look_up(state, query, &token, timeout).await,
        _ => Err(Failure::BadAnswer("no key".into())),
    };
    match result {
        Ok((line, observations)) => {
            keep(state, observations, generation);
            line
        }
        Err(failure) => source::failed(src, &failure, &settings),
    }
}

/// Stores what a look-up found. The background then tells every page, this popup too, which
/// renders again; only if the store is unreachable does it render from what it found itself.
fn keep(state: &Shared, observations: Vec<Observation>, generation: u32) {
    let records: Vec<Record> = {
        let st = state.borrow();
        if st.generation != generation {
            return;
        }
        observations
            .iter()
            .map(|o| store::record_for(o, st.settings.observation_expiry_hours))
            .collect()
    };
    if records.is_empty() {
        return;
    }
    let value = crate::js::plain(&records.iter().map(Record::stored).collect::<Vec<_>>());
    state.borrow_mut().found.extend(records);
    let added = state.borrow().host.add(value);
    let state = state.clone();
    spawn_local(async move {
        if !crate::js::resolves(added).await {
            refresh(&state);
        }
    });
}

/// A fetched page read as the banner reads a snapshot (parsed in Rust: nothing of it is
/// created in the popup's document).
fn read_fetched(text: &str, url: &str, settings: &Settings) -> PageReading {
    let doc = crate::core::html::parse(text);
    crate::core::readers::read_page(&doc, url, settings, &crate::js::browser_local_offset)
}

type Found = (SourceLine, Vec<Observation>);

async fn admin_look_up(settings: &Settings, query: &Query, timeout: u32) -> Result<Found, Failure> {
    let url = settings.admin_search_url(&query.shown);
    let answer = get(&url, Auth::Session, timeout).await?;
    if answer.redirect || admin::signed_out(&answer.url, settings) {
        return Err(Failure::SignedOut);
    }
    if answer.status != 200 {
        return Err(Failure::Status(answer.status));
    }
    let reading = read_fetched(&answer.text, &answer.url, settings);
    let seen = now();
    let mut observations = observation::from_reading(&reading, seen);
    let shows = match &reading {
        PageReading::CustomerSearch(search) => admin::show_pages(search, &query.key, settings),
        _ => Vec::new(),
    };
    let mut read = 0;
    for show in &shows {
        let Ok(page) = get(show, Auth::Session, timeout).await else {
            continue;
        };
        if page.redirect || page.status != 200 || admin::signed_out(&page.url, settings) {
            continue;
        }
        let reading = read_fetched(&page.text, &page.url, settings);
        if matches!(reading, PageReading::CustomerShow(_)) {
            read += 1;
        }
        observations.extend(observation::from_reading(&reading, seen));
    }
    Ok((
        source::admin_done(&reading, shows.len(), read),
        observations,
    ))
}

async fn events_look_up(
    settings: &Settings,
    domain: &str,
    query: &Query,
    key: &str,
    timeout: u32,
) -> Result<Found, Failure> {
    let auth = mailgun_api::basic_auth(key);
    let mut url = mailgun_api::events_url(settings, domain, &query.shown, now());
    let mut merged: Option<MailgunPage> = None;
    let mut truncated = false;
    for page_no in 0.. {
        if page_no == MAX_PAGES {
            truncated = true;
            break;
        }
        if !mailgun_api::may_send_key(settings, &url) {
            return Err(Failure::BadAnswer(
                "its next page is not on the API host; stopped there".into(),
            ));
        }
        let answer = get(&url, Auth::Header(&auth), timeout).await?;
        if answer.status != 200 {
            return Err(Failure::Status(answer.status));
        }
        let page = crate::core::readers::mailgun::read_json_text(&answer.text, &url, settings);
        let next = page.next_page.clone();
        match &mut merged {
            None => merged = Some(page),
            Some(all) => {
                all.events.extend(page.events);
                all.problems.extend(page.problems);
            }
        }
        match next {
            Some(next) => url = next,
            None => break,
        }
    }
    let page = merged.ok_or(Failure::BadAnswer("no page".into()))?;
    if page.events.is_empty() && !page.problems.is_empty() {
        return Err(Failure::BadAnswer(page.problems.join(" ")));
    }
    let count = page.events.len();
    let mail_domain = MailDomain::from_host(domain, settings).unwrap_or(MailDomain::Unknown);
    let observations =
        source::events_observations(page, query, mail_domain, truncated, settings, now());
    Ok((
        source::events_done(domain, count, truncated, settings),
        observations,
    ))
}

async fn suppressions_look_up(
    settings: &Settings,
    domain: &str,
    query: &Query,
    key: &str,
    timeout: u32,
) -> Result<Found, Failure> {
    let auth = mailgun_api::basic_auth(key);
    let mail_domain = MailDomain::from_host(domain, settings).unwrap_or(MailDomain::Unknown);
    let mut checks: Vec<(SuppressionCheck, String)> = Vec::new();
    for list in mailgun_api::LISTS {
        let Some(url) = mailgun_api::suppression_url(settings, domain, list, &query.shown) else {
            continue;
        };
        if !mailgun_api::may_send_key(settings, &url) {
            return Err(Failure::BadAnswer("not the API host".into()));
        }
        let answer = get(&url, Auth::Header(&auth), timeout).await?;
        let entry = match answer.status {
            404 if mailgun_api::not_listed(&answer.text) => None,
            200 => {
                let value = crate::core::readers::mailgun::parse_json_text(&answer.text)
                    .map_err(|why| Failure::BadAnswer(format!("not JSON ({why})")))?;
                Some(mailgun_api::parse_suppression(&value).map_err(Failure::BadAnswer)?)
            }
            status => return Err(Failure::Status(status)),
        };
        checks.push((
            SuppressionCheck {
                domain: mail_domain.clone(),
                list,
                entry,
            },
            url,
        ));
    }
    let seen = now();
    let line = source::suppressions_done(
        domain,
        &checks.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
        settings,
    );
    let observations = checks
        .into_iter()
        .map(|(check, url)| source::suppression_observation(check, query, &url, seen))
        .collect();
    Ok((line, observations))
}

/// GitLab.com's users API with the engineer's token: the token's own user first (an
/// administrator's, or the search says nothing), then the search for the address, then the
/// user the account is linked to (its `Uid`) when the search did not show it.
async fn gitlab_look_up(
    state: &Shared,
    query: &Query,
    token: &str,
    timeout: u32,
) -> Result<Found, Failure> {
    let auth = gitlab_api::bearer(token);
    let ask = |url: Option<String>| async {
        let url = url
            .filter(|u| gitlab_api::may_send_token(u))
            .ok_or(Failure::BadAnswer(
                "not GitLab.com's API; nothing sent".into(),
            ))?;
        let answer = get(&url, Auth::Header(&auth), timeout).await?;
        Ok::<_, Failure>((url, answer))
    };
    let json = |text: &str| {
        crate::core::readers::mailgun::parse_json_text(text)
            .map_err(|why| Failure::BadAnswer(format!("not JSON ({why})")))
    };
    let (_, me) = ask(gitlab_api::current_user_url()).await?;
    if me.status != 200 {
        return Err(Failure::Status(me.status));
    }
    if !gitlab_api::is_admin(&json(&me.text)?) {
        return Err(Failure::NotAdmin);
    }
    let (url, answer) = ask(gitlab_api::users_url(&query.shown)).await?;
    if answer.status != 200 {
        return Err(Failure::Status(answer.status));
    }
    let users = gitlab_api::parse_users(&json(&answer.text)?).map_err(Failure::BadAnswer)?;
    let all = state.borrow().host.get_all().ok();
    let uid = match all {
        Some(promise) => {
            let records = stored_records(promise).await;
            gitlab_api::linked_uid(&store::live(records, now()), &query.key)
        }
        None => None,
    };
    let mut extra = Vec::new();
    if let Some(id) = uid.filter(|id| !users.iter().any(|u| u.id == Some(*id))) {
        if let Ok((by_id, answer)) = ask(gitlab_api::user_url(id)).await {
            if answer.status == 200 {
                let found = gitlab_api::parse_users(&json(&answer.text)?).unwrap_or_default();
                extra.extend(found.into_iter().map(|u| (by_id.clone(), u)));
            }
        }
    }
    let line = source::gitlab_done(query, &users);
    Ok((
        line,
        source::gitlab_observations(query, &url, users, extra, now()),
    ))
}

/// The records a `getAll` answered with (`{ id, key, expiresAt, observation }`, as
/// [`store::Stored`]): each one this version can read (one it cannot does not hide the
/// others); none when the store is unreachable.
async fn stored_records(promise: js_sys::Promise) -> Vec<Record> {
    match JsFuture::from(promise).await {
        Ok(value) => js_sys::Array::from(&value)
            .iter()
            .filter_map(|r| crate::js::typed::<store::Stored>(&r))
            .filter_map(Record::from_stored)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Reads the store and renders the current search with everything known.
fn refresh(state: &Shared) {
    if state.borrow().query.is_none() {
        return;
    }
    let Ok(promise) = state.borrow().host.get_all() else {
        return;
    };
    let lost = state.borrow().host.lost();
    let state = state.clone();
    spawn_local(async move {
        let mut records = stored_records(promise).await;
        // A store without the count (an older background) counts nothing as lost.
        let lost = match lost {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        };
        let mut st = state.borrow_mut();
        let Some(query) = st.query.clone() else {
            return;
        };
        records.extend(st.found.iter().cloned());
        let observations = store::live(records, now());
        let mut view = popup_view(&query, &observations, now(), &st.settings);
        let counts = crate::js::get(&lost, &query.key);
        view.not_kept = NotKeptCount::from_counts(|reason| {
            crate::js::get(&counts, reason)
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map_or(0, |n| n as usize)
        });
        let _ = render::result(&st.doc, &view, &st.sources);
        st.view = Some(view);
    });
}

/// The form's submit, the recent searches, copy-reply, the options link, "Show all" and
/// evidence built when opened.
// The handlers hold the state strongly: they live as long as the page, which is how long the
// state must live (a module's top-level `const` in the loader may be collected once the
// module has run, and the wasm-bindgen object with it).
fn install_controls(state: &Shared) -> Result<(), JsValue> {
    let doc = state.borrow().doc.clone();
    let page = state.clone();
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        let state = page.clone();
        let input = state
            .borrow()
            .doc
            .get_element_by_id("email")
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input {
            search_for(&state, &input.value());
        }
    });
    if let Some(form) = doc.get_element_by_id("search") {
        form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    }
    on_submit.forget();

    let page = state.clone();
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let state = page.clone();
        let control = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-action]").ok().flatten());
        let Some(control) = control else { return };
        match control.get_attribute("data-action").as_deref() {
            Some("recent") => {
                let email = control.get_attribute("data-email").unwrap_or_default();
                let input = state
                    .borrow()
                    .doc
                    .get_element_by_id("email")
                    .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
                if let Some(input) = input {
                    input.set_value(&email);
                }
                search_for(&state, &email);
            }
            Some("copy-reply") => copy_reply(&state.borrow(), control),
            Some("copy-note") => {
                let note = state.borrow().view.as_ref().map(|v| {
                    crate::core::diagnosis::note::internal_note(
                        &v.subject.shown,
                        &v.verdict,
                        &v.plan,
                        &v.findings,
                        now(),
                    )
                });
                if let Some(note) = note {
                    crate::frame::copy_text(note, control);
                }
            }
            Some("options") => {
                event.prevent_default();
                state.borrow().host.open_options();
            }
            Some("show-more") => {
                let st = state.borrow();
                if let Some(view) = &st.view {
                    let lists = crate::frame::render::Lists::findings(&view.findings);
                    let _ = crate::frame::render::show_more(&st.doc, &lists, &control);
                }
            }
            _ => {}
        }
    });
    doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();

    // "Evidence (N)" opened for the first time: its lines are built now (`toggle` does not
    // bubble: caught while capturing).
    let page = state.clone();
    let on_toggle = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let st = page.borrow();
        let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
        if let (Some(view), Some(target)) = (&st.view, target) {
            let _ = crate::frame::render::opened(&st.doc, &view.findings, &target);
        }
    });
    doc.add_event_listener_with_callback_and_bool(
        "toggle",
        on_toggle.as_ref().unchecked_ref(),
        true,
    )?;
    on_toggle.forget();
    Ok(())
}

fn copy_reply(st: &State, button: Element) {
    if let Some(view) = &st.view {
        crate::frame::copy_reply_of(&view.findings, button);
    }
}
