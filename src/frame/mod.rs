//! The banner frame: runs in the extension's own page (`banner.html`), out of the host page's
//! reach. It accepts one handshake from the content script, receives snapshots over the
//! transferred `MessagePort` and hands them to its reader (a dedicated worker running
//! [`worker::FrameReader`]: parsing, reading and diagnosing happen off the main thread that
//! every banner frame and the popup share; while the worker starts, small snapshots are read
//! in the frame too, see [`handover`]), keeps what the reader found in the observation
//! store (through the `Store` object `banner.js` passes in), and renders the diagnosis of
//! everything stored, again whenever another tab adds to the store. It holds no decisions of
//! its own.

pub mod error;
pub mod handover;
pub mod jobs;
pub mod marks;
pub mod render;
pub mod snapshot;
pub mod worker;

use crate::core::store::{self, Record};
use crate::core::time::UtcTime;
use crate::core::toolbar::{self, TabState};
use crate::core::view::BannerView;
use crate::js;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, Event, MessageEvent, MessagePort};

/// Where the frame's snapshots are read: its dedicated worker and, while the worker starts
/// (or for good, where none could be started), a reader in the frame itself, with the same
/// messages ([`handover`] decides which gets what, and which answers count).
struct Readers {
    worker: Option<web_sys::Worker>,
    in_frame: Option<worker::FrameReader>,
    handover: handover::Handover,
}

impl Readers {
    /// Sends a message where `route` says; `transfer`: what the worker takes over (after the
    /// frame's reader has copied what it needs: it copies a snapshot as it receives it).
    fn send(&mut self, route: handover::Route, message: &JsValue, transfer: &js_sys::Array) {
        if route.seq != 0 {
            let _ = js_sys::Reflect::set(message, &"seq".into(), &route.seq.into());
        }
        if route.in_frame {
            if let Some(reader) = &self.in_frame {
                reader.message(message.clone());
            }
        }
        if !self.handover.in_frame() {
            // Its jobs in progress still answer (the handover drops what is not needed).
            self.in_frame = None;
        }
        if route.worker {
            if let Some(worker) = &self.worker {
                // A worker that failed has told the frame already (banner.js shows the error).
                let _ = worker.post_message_with_transfer(message, transfer);
            }
        }
    }

    /// A snapshot whose markup is `size` long.
    fn snapshot(&mut self, message: &JsValue, transfer: &js_sys::Array, size: usize) {
        let route = self.handover.route(size <= handover::SMALL_SNAPSHOT);
        self.send(route, message, transfer);
    }

    /// The store's records, `count` of them.
    fn stored(&mut self, message: &JsValue, count: usize) {
        let route = self.handover.route(count <= handover::SMALL_STORE);
        self.send(route, message, &js_sys::Array::new());
    }

    /// A question for the reader that reads from now on: the worker, or the frame's own
    /// reader where there is no worker (a worker still starting answers once it reads).
    fn ask(&self, message: &JsValue) {
        match (&self.worker, &self.in_frame) {
            (Some(worker), _) => {
                let _ = worker.post_message(message);
            }
            (None, Some(reader)) => reader.message(message.clone()),
            (None, None) => {}
        }
    }

    /// The settings.
    fn settings(&mut self, message: &JsValue) {
        let route = self.handover.settings();
        self.send(route, message, &js_sys::Array::new());
    }
}

#[wasm_bindgen]
extern "C" {
    /// The observation store client `banner.js` builds over a port to the background.
    pub type Store;
    /// `url`: the page the records were read from; the background stores them only when the
    /// content script that opened this frame vouched for that URL (see background.js).
    #[wasm_bindgen(method, catch)]
    fn add(this: &Store, records: JsValue, url: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAll)]
    fn get_all(this: &Store) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn forget(this: &Store) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = onChanged)]
    fn on_changed(this: &Store, callback: &js_sys::Function);
    #[wasm_bindgen(method, catch)]
    fn prefs(this: &Store) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setPrefs)]
    fn set_prefs(this: &Store, prefs: JsValue) -> Result<js_sys::Promise, JsValue>;
    /// The options page's settings (never the API key).
    #[wasm_bindgen(method, catch)]
    fn settings(this: &Store) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = onSettings)]
    fn on_settings(this: &Store, callback: &js_sys::Function) -> Result<(), JsValue>;
    /// Tells the background what the toolbar button should say for this tab (see
    /// [`tab_state_to_js`]); no answer.
    #[wasm_bindgen(method, catch, js_name = tabState)]
    fn tab_state(this: &Store, state: JsValue) -> Result<(), JsValue>;
}

/// The banner's own preferences (not customer data), kept by the background:
/// `{ collapsed }`.
#[derive(Default)]
struct Prefs {
    collapsed: bool,
}

/// Messages to the content script: `{ type: "resize", height }`, `{ type: "dismiss" }`.
enum Outbound {
    Resize { height: i32 },
    Dismiss,
}

struct State {
    token: String,
    port: Option<MessagePort>,
    store: Store,
    /// The readers (set once the state exists: their answers come back to the state).
    readers: Option<Readers>,
    /// A page was read and shown (before, a refresh has nothing to show).
    has_page: bool,
    /// The page tags of the records of the page shown (for the store's `dropped` counts).
    tags: HashSet<String>,
    /// Which page `store_outcome` is about: a new page (another URL, or the same one read
    /// anew after a navigation) starts again, and a late answer about an earlier page is not
    /// counted for this one.
    page_generation: u32,
    /// Writes sent and not answered yet.
    writes_pending: usize,
    /// Pages shown whose records have not arrived yet: the number of the message each
    /// answered, and its `page_generation`.
    records_due: Vec<(u32, u32)>,
    /// What the store did not keep of this page's writes, and why.
    store_outcome: store::AddOutcome,
    /// What is shown now (for collapsing and copying without reading again): the first part
    /// of a long view ([`BannerView::split_first`]).
    view: Option<BannerView>,
    /// The number of the reader's message that answered with `view`.
    view_seq: u32,
    /// The whole of `view`, once "Show all" needed it and the reader sent it.
    whole: Option<BannerView>,
    /// "Show all" buttons pressed that wait for the whole view, and the message whose whole
    /// view was asked for.
    waiting_more: Vec<Element>,
    asked_whole: Option<u32>,
    /// Paints each view after the first by changing only what differs.
    painter: render::Painter,
    /// What the toolbar button was last told about this tab (sent again only when it changes).
    tab_state: Option<TabState>,
    /// Collapsed to its top line; remembered by the background (see [`Prefs`]).
    collapsed: bool,
    /// "Forget stored data" asks first: its question stays through a re-render (another tab's
    /// evidence arriving meanwhile) until answered.
    confirming_forget: bool,
    /// The polite live region, and what it last said.
    status: Option<Element>,
    said: String,
    doc: Document,
    root: Element,
    /// The settings arrived from the background and went to the reader: snapshots wait for
    /// them (the admin host and zone decide how a page is read).
    settings_loaded: bool,
    /// The latest snapshot that arrived before the settings.
    waiting: Option<JsValue>,
}

/// The banner, as `banner.js` creates it once the module has loaded.
#[wasm_bindgen]
pub struct Banner {
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Banner {
    /// `hash` is `location.hash` of the frame: `#<token>`. `worker`: the frame's reader
    /// (`banner-worker.js`); without one, the frame reads its snapshots itself.
    #[wasm_bindgen(constructor)]
    pub fn new(
        hash: &str,
        store: Store,
        worker: Option<web_sys::Worker>,
    ) -> Result<Banner, JsValue> {
        error::install_panic_hook();
        let token = hash.trim_start_matches('#').to_string();
        if token.len() < crate::core::protocol::MIN_TOKEN_LEN {
            return Err(JsValue::from_str(
                "cdot-triage: frame opened without a token",
            ));
        }
        let doc = crate::js::document()?;
        let root = doc
            .get_element_by_id("banner")
            .ok_or_else(|| JsValue::from_str("cdot-triage: #banner missing"))?;
        let state = Rc::new(RefCell::new(State {
            token,
            port: None,
            store,
            readers: None,
            has_page: false,
            tags: HashSet::new(),
            page_generation: 0,
            writes_pending: 0,
            records_due: Vec::new(),
            store_outcome: store::AddOutcome::default(),
            view: None,
            view_seq: 0,
            whole: None,
            waiting_more: Vec::new(),
            asked_whole: None,
            painter: render::Painter::new(),
            confirming_forget: false,
            tab_state: None,
            collapsed: false,
            status: doc.get_element_by_id("status"),
            said: String::new(),
            doc,
            root: root.clone(),
            settings_loaded: false,
            waiting: None,
        }));
        install_controls(&state, &root)?;
        connect_reader(&state, worker);
        // Another tab (or this one) changed the store: diagnose again with everything known.
        let weak = Rc::downgrade(&state);
        let on_changed =
            Closure::<dyn FnMut(JsValue, JsValue)>::new(move |keys: JsValue, dropped: JsValue| {
                if let Some(state) = weak.upgrade() {
                    // Everything was forgotten (keys null): the background cleared every tab's
                    // toolbar state, so this banner reports its own again after the refresh.
                    if keys.is_null() {
                        state.borrow_mut().tab_state = None;
                    }
                    note_dropped(&state, &dropped);
                    refresh(&state);
                }
            });
        state
            .borrow()
            .store
            .on_changed(on_changed.as_ref().unchecked_ref());
        on_changed.forget();
        let weak = Rc::downgrade(&state);
        let on_settings = Closure::<dyn FnMut()>::new(move || {
            if let Some(state) = weak.upgrade() {
                load_settings(&state);
            }
        });
        // A store without settings (an older background) leaves the defaults.
        let _ = state
            .borrow()
            .store
            .on_settings(on_settings.as_ref().unchecked_ref());
        on_settings.forget();
        load_prefs(&state);
        load_settings(&state);
        Ok(Banner { state })
    }

    /// Offers a window message. Returns whether it was the handshake (accepted once; every
    /// other message, from the page or anyone else, is ignored).
    pub fn handshake(&self, event: MessageEvent) -> bool {
        let mut state = self.state.borrow_mut();
        if state.port.is_some() {
            return false;
        }
        let from_parent = web_sys::window()
            .and_then(|w| w.parent().ok().flatten())
            .zip(event.source())
            .is_some_and(|(parent, source)| js_sys::Object::is(&parent, &source));
        let data = event.data();
        let ports = event.ports();
        let valid = crate::core::protocol::is_hello(
            from_parent,
            js::get_string(&data, "type").as_deref(),
            js::get_string(&data, "token").as_deref(),
            &state.token,
            ports.length(),
        );
        if !valid {
            return false;
        }
        let Ok(port) = ports.get(0).dyn_into::<MessagePort>() else {
            return false;
        };
        let weak = Rc::downgrade(&self.state);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(state) = weak.upgrade() {
                on_port_message(&state, event.data());
            }
        });
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The frame lives exactly as long as this one handler is needed.
        on_message.forget();
        state.port = Some(port);
        true
    }
}

fn now() -> UtcTime {
    UtcTime::from_millis(js_sys::Date::now())
}

fn on_port_message(state: &Rc<RefCell<State>>, data: JsValue) {
    marks::mark("snapshot-received");
    let mut st = state.borrow_mut();
    if !st.settings_loaded {
        st.waiting = Some(data);
        return;
    }
    // Handed on as it came: the reader checks it (src/frame/snapshot.rs). Its markup's bytes,
    // when it brought them as an ArrayBuffer, are transferred to the worker, not copied.
    let transfer = js_sys::Array::new();
    let bytes = js::get(&data, "bytes");
    let size = if let Some(bytes) = bytes.dyn_ref::<js_sys::ArrayBuffer>() {
        transfer.push(bytes);
        bytes.byte_length() as usize
    } else {
        js::get(&data, "html")
            .dyn_ref::<js_sys::JsString>()
            .map_or(0, |html| html.length() as usize)
    };
    if let Some(readers) = &mut st.readers {
        readers.snapshot(&data, &transfer, size);
    }
}

/// Starts the readers: the worker `banner.js` started (if it could), and one in the frame
/// itself, which reads until the worker is ready (or for good, without a worker).
fn connect_reader(state: &Rc<RefCell<State>>, worker: Option<web_sys::Worker>) {
    let weak = Rc::downgrade(state);
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |data: JsValue| {
        let Some(state) = weak.upgrade() else { return };
        // Never inside a call into a reader (the in-frame one answers from its own tasks,
        // but the frame's state may be borrowed by whoever posted to it).
        spawn_local(async move { on_reader_message(&state, data) });
    });
    if let Some(worker) = &worker {
        let on_event = Closure::<dyn FnMut(MessageEvent)>::new({
            let on_message: js_sys::Function = on_message.as_ref().clone().unchecked_into();
            move |event: MessageEvent| {
                let _ = on_message.call1(&JsValue::UNDEFINED, &event.data());
            }
        });
        worker.set_onmessage(Some(on_event.as_ref().unchecked_ref()));
        on_event.forget();
    }
    let readers = Readers {
        in_frame: Some(worker::FrameReader::new(
            on_message.as_ref().clone().unchecked_into(),
        )),
        handover: handover::Handover::new(worker.is_some()),
        worker,
    };
    // The frame lives exactly as long as its readers.
    on_message.forget();
    state.borrow_mut().readers = Some(readers);
}

/// What a reader found: this page's own view and its records to store (`page`), or the
/// view of everything stored with this page (`view`), each shown if the handover takes it;
/// the whole of the view shown (`whole`), which completes the lists of the "Show all" buttons
/// waiting for it; or that the worker is ready (`ready`: the frame's own reader goes). A
/// failed reader is banner.js's.
fn on_reader_message(state: &Rc<RefCell<State>>, data: JsValue) {
    marks::mark("arrived");
    let kind = js::get_string(&data, "type");
    let page = match kind.as_deref() {
        Some("page") => Some(true),
        Some("view") => Some(false),
        // The whole of the view shown (asked for on "Show all").
        Some("whole") => None,
        Some("records") => {
            on_records(state, &data);
            return;
        }
        Some("ready") => {
            marks::mark("worker-ready");
            if let Some(readers) = &mut state.borrow_mut().readers {
                readers.handover.worker_ready();
                if !readers.handover.in_frame() {
                    readers.in_frame = None;
                }
            }
            return;
        }
        _ => return,
    };
    let seq = worker::seq_of(&data);
    let taken = {
        let mut st = state.borrow_mut();
        match page {
            Some(page) => st
                .readers
                .as_mut()
                .is_some_and(|r| r.handover.take(seq, page)),
            None => seq == st.view_seq && st.whole.is_none(),
        }
    };
    if !taken {
        return;
    }
    marks::replay(&js::get(&data, "marks"));
    let Some(view) = worker::view_from_js(&js::get(&data, "view")) else {
        return;
    };
    match kind.as_deref() {
        Some("page") => {
            let mut st = state.borrow_mut();
            error::set_page_kind(error::kind_named(
                &js::get_string(&data, "kind").unwrap_or_default(),
            ));
            if js::get(&data, "newPage").as_bool().unwrap_or(true) {
                // Another page: what was stored and not kept was the last one's.
                st.store_outcome = store::AddOutcome::default();
                st.page_generation = st.page_generation.wrapping_add(1);
            }
            st.has_page = true;
            // Its records follow (from whichever reader sends them first).
            let generation = st.page_generation;
            st.records_due.push((seq, generation));
            mark_store_state(&st);
            // What this page says, at once; the store's view follows.
            show(&mut st, view, seq);
        }
        Some("view") => show(&mut state.borrow_mut(), view, seq),
        _ => {
            let mut st = state.borrow_mut();
            st.whole = Some(view);
            st.waiting_more.retain(|more| more.is_connected());
            more_when_whole(&mut st);
        }
    }
}

/// The records of a page shown (`{ type: "records", seq, records, url, tags }`, after its
/// `page`): stored, once per page, whichever reader sent them; then, or if there are none,
/// the view of everything stored follows.
fn on_records(state: &Rc<RefCell<State>>, data: &JsValue) {
    let seq = worker::seq_of(data);
    let generation = {
        let mut st = state.borrow_mut();
        let Some(i) = st.records_due.iter().position(|(due, _)| *due == seq) else {
            return;
        };
        let (_, generation) = st.records_due.remove(i);
        if generation == st.page_generation {
            let tags = js::get(data, "tags");
            st.tags = if js_sys::Array::is_array(&tags) {
                js_sys::Array::from(&tags)
                    .iter()
                    .filter_map(|t| t.as_string())
                    .collect()
            } else {
                HashSet::new()
            };
        }
        generation
    };
    let records = js::get(data, "records");
    let count = array_length(&records);
    if count == 0 {
        mark_store_state(&state.borrow());
        refresh(state);
        return;
    }
    let url = js::get_string(data, "url").unwrap_or_default();
    write(state, records, count, url, generation);
}

/// How often, and after how long, a write the store did not answer (its port closed: the
/// background was stopped or restarted) is sent again. A write is idempotent: a record
/// replaces one with its id, so one that landed before the answer was lost lands once.
const WRITE_RETRIES_MS: [i32; 5] = [100, 300, 1_000, 2_000, 4_000];

/// Stores this page's new records (as the reader built them: `{ id, key, expiresAt,
/// observation }`, see [`record_to_js`]), after the banner has painted, and says in the
/// banner whatever the store did not keep and why (when `generation`, the page they were read
/// from, is still the page shown). A write the store did not answer is sent again; one that
/// still gets no answer is counted as not kept.
fn write(state: &Rc<RefCell<State>>, value: JsValue, records: usize, url: String, generation: u32) {
    {
        let mut st = state.borrow_mut();
        st.writes_pending += 1;
        mark_store_state(&st);
    }
    let weak = Rc::downgrade(state);
    spawn_local(async move {
        // After the render's paint (a frame in a background tab is seldom idle: 100 ms then).
        js::idle(100).await;
        marks::mark("store-write-start");
        let mut outcome = None;
        for delay in std::iter::once(0).chain(WRITE_RETRIES_MS) {
            if delay > 0 {
                js::sleep(delay).await;
            }
            let Some(state) = weak.upgrade() else { return };
            let added = state.borrow().store.add(value.clone(), &url);
            let Ok(added) = added else { break };
            match JsFuture::from(added).await {
                Ok(answer) => {
                    marks::mark("store-write");
                    let reason = js::get_string(&answer, "reason");
                    outcome = Some(store::AddOutcome::answer(
                        count(&answer, "notKept"),
                        count(&answer, "dropped"),
                        reason.as_deref().and_then(store::NotKept::from_reason),
                    ));
                    break;
                }
                // A frame the background refused shows nothing: nothing to say.
                Err(error) if is_refusal(&error) => return,
                // The port closed under the write (a stopped worker): again, on a new port.
                Err(_) => continue,
            }
        }
        let Some(state) = weak.upgrade() else { return };
        let mut st = state.borrow_mut();
        st.writes_pending = st.writes_pending.saturating_sub(1);
        let outcome = outcome.unwrap_or_else(|| {
            let mut lost = store::AddOutcome::default();
            lost.lose(records, store::NotKept::Unreachable);
            lost
        });
        if st.page_generation == generation && !outcome.is_whole() {
            st.store_outcome.add(outcome);
            let line = store::shortfall_line(&st.store_outcome);
            if let Some(view) = st.view.as_mut() {
                view.storage = line;
            }
            redraw(&mut st);
        }
        mark_store_state(&st);
    });
}

/// The background dropped records of some pages to make room for another's
/// (`{ [page tag]: count }`): if this page is one of them, its banner says so.
fn note_dropped(state: &Rc<RefCell<State>>, dropped: &JsValue) {
    if !dropped.is_object() {
        return;
    }
    let mut st = state.borrow_mut();
    let here: usize = st.tags.iter().map(|tag| count(dropped, tag)).sum();
    if here == 0 {
        return;
    }
    st.store_outcome.dropped_here += here;
    let line = store::shortfall_line(&st.store_outcome);
    if let Some(view) = st.view.as_mut() {
        view.storage = line;
    }
    redraw(&mut st);
    mark_store_state(&st);
}

/// `data-store` on the banner's root: `writing` while this page's records are on their way to
/// the store or a write is unanswered, then `kept` (the store has all of it) or `partial`
/// (the banner says what it lacks).
fn mark_store_state(st: &State) {
    let word = if st.writes_pending > 0 || !st.records_due.is_empty() {
        "writing"
    } else if st.store_outcome.unknown_elsewhere() > 0 {
        "partial"
    } else {
        "kept"
    };
    let _ = st.root.set_attribute("data-store", word);
}

/// Reads every live record from the store and has the reader diagnose all of them with this
/// page's own observations (it answers with the view).
fn refresh(state: &Rc<RefCell<State>>) {
    // Before this page's first snapshot is read there is nothing to show (the view needs the
    // page): no reading and decoding every stored record for nothing. The frame now loads
    // while the page still parses, so its settings (and other tabs' changes) come first.
    if !state.borrow().has_page {
        return;
    }
    marks::mark("store-read-start");
    let Ok(promise) = state.borrow().store.get_all() else {
        return;
    };
    let state = state.clone();
    spawn_local(async move {
        // The store being unreachable leaves this page's own observations, which still make
        // a banner.
        let records = JsFuture::from(promise)
            .await
            .unwrap_or_else(|_| js_sys::Array::new().into());
        marks::mark("store-read");
        let count = array_length(&records);
        let message = js::object(&[("type", "stored".into()), ("records", records)]);
        if let Some(readers) = &mut state.borrow_mut().readers {
            readers.stored(&message, count);
        }
    });
}

/// Shows the view that answered message `seq`.
fn show(st: &mut State, mut view: BannerView, seq: u32) {
    view.storage = store::shortfall_line(&st.store_outcome);
    let tab = toolbar::tab_state(&view);
    let before = st.view.replace(view);
    st.view_seq = seq;
    st.whole = None;
    repaint(st, before.as_ref());
    // A "Show all" still waiting, whose list this view kept (the same nodes), asks again
    // for this view's whole; one whose list was replaced is gone.
    st.waiting_more.retain(|more| more.is_connected());
    if !st.waiting_more.is_empty() {
        more_when_whole(st);
    }
    if st.tab_state.as_ref() != Some(&tab) {
        // A store without `tabState` (an older background) leaves the toolbar as it is.
        let _ = st.store.tab_state(tab_state_to_js(&tab));
        st.tab_state = Some(tab);
    }
}

/// Completes the lists of the "Show all" buttons waiting: now, from the view shown when it
/// holds them (or its whole, once the reader sent it), else once the reader sends the whole
/// view (asked for once per view).
fn more_when_whole(st: &mut State) {
    let Some(view) = &st.view else { return };
    let mut waiting = Vec::new();
    for more in std::mem::take(&mut st.waiting_more) {
        let lists = match &st.whole {
            Some(whole) => whole,
            None if !render::left_out(view, &more) => view,
            None => {
                waiting.push(more);
                continue;
            }
        };
        let _ = render::show_more(&st.doc, &render::Lists::of(lists), &more);
        post_resize(st);
    }
    if !waiting.is_empty() && st.asked_whole != Some(st.view_seq) {
        st.asked_whole = Some(st.view_seq);
        let message = js::object(&[("type", "rest".into()), ("seq", st.view_seq.into())]);
        if let Some(readers) = &st.readers {
            readers.ask(&message);
        }
    }
    st.waiting_more = waiting;
}

/// The toolbar state as the background receives it over the store port:
/// `{ type: "tab-state", subject, shown, problems, warnings, worst, badge, colour, textColour,
/// title }` (`subject` and `shown` null when the banner is about no one, `title` null for the
/// manifest's default title, `worst` "problem" / "warning" / "info" / "").
pub fn tab_state_to_js(tab: &TabState) -> JsValue {
    let text = |s: Option<&str>| s.map_or(JsValue::NULL, JsValue::from_str);
    js::object(&[
        ("type", "tab-state".into()),
        (
            "subject",
            text(tab.subject.as_ref().map(|s| s.key.as_str())),
        ),
        (
            "shown",
            text(tab.subject.as_ref().map(|s| s.shown.as_str())),
        ),
        ("problems", (tab.problems as u32).into()),
        ("warnings", (tab.warnings as u32).into()),
        ("worst", tab.worst_word().into()),
        ("badge", tab.badge.as_str().into()),
        ("colour", tab.colour.into()),
        ("textColour", tab.text_colour.into()),
        ("title", text(tab.title.as_deref())),
    ])
}

/// How many items an array has; 0 for anything else.
fn array_length(value: &JsValue) -> usize {
    if js_sys::Array::is_array(value) {
        js_sys::Array::from(value).length() as usize
    } else {
        0
    }
}

/// A non-negative count in an answer object; 0 when absent.
fn count(answer: &JsValue, name: &str) -> usize {
    js::get(answer, name)
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map_or(0, |n| n as usize)
}

/// Paints the view shown again (collapsed, or its storage line, changed).
fn redraw(st: &mut State) {
    repaint(st, None);
}

/// Paints the view shown; `before`: the one painted last, when it was another.
fn repaint(st: &mut State, before: Option<&BannerView>) {
    let Some(view) = &st.view else { return };
    // Only what changed is changed: a reply or evidence list the engineer opened stays open.
    let before = before.unwrap_or(view);
    let rendered = st
        .painter
        .paint(&st.doc, &st.root, before, view, st.collapsed);
    marks::mark("dom-built");
    if rendered.is_ok() {
        // The question of "Forget stored data" stays until it is answered.
        if st.confirming_forget {
            let _ = render::confirm_forget(&st.doc, &st.root);
        } else {
            render::drop_confirm(&st.root);
        }
        post_resize(st);
    }
    let line = render::status_line(view);
    if line != st.said {
        if let Some(status) = &st.status {
            status.set_text_content(Some(&line));
        }
        st.said = line;
    }
}

fn post(state: &State, message: &Outbound) {
    let value = match message {
        Outbound::Resize { height } => {
            js::object(&[("type", "resize".into()), ("height", (*height).into())])
        }
        Outbound::Dismiss => js::object(&[("type", "dismiss".into())]),
    };
    if let Some(port) = &state.port {
        // A closed port means the page went away; nothing to tell anyone.
        let _ = port.post_message(&value);
    }
}

/// A record as the background keeps it: `{ id, key, expiresAt, observation }`, the
/// observation as compact JSON text (see [`store::encode_observation`]), the id starting
/// with the page's tag.
pub fn record_to_js(record: &Record) -> JsValue {
    js::object(&[
        ("id", record.id.as_str().into()),
        ("key", record.key.as_str().into()),
        ("expiresAt", record.expires_at.into()),
        ("observation", record.json.as_str().into()),
    ])
}

/// A record the background returned; `None` for one this version cannot read.
pub fn record_from_js(value: &JsValue) -> Option<Record> {
    Record::from_stored(store::Stored {
        id: js::get_string(value, "id")?.into(),
        key: js::get_string(value, "key")?.into(),
        expires_at: js::get(value, "expiresAt").as_f64()?,
        observation: js::get_string(value, "observation")?.into(),
    })
}

/// The banner's own height (the document's would never shrink below the frame's current one).
fn post_resize(state: &State) {
    post(
        state,
        &Outbound::Resize {
            height: state.root.scroll_height(),
        },
    );
}

/// Applies the saved settings (defaults when none or unreadable), then reads a snapshot that
/// waited for them, or shows the page again under the new settings.
fn load_settings(state: &Rc<RefCell<State>>) {
    let promise = state.borrow().store.settings();
    let state = state.clone();
    spawn_local(async move {
        let value = match promise {
            Ok(p) => match JsFuture::from(p).await {
                Ok(value) => value,
                // A frame the extension did not open (a page embedded its own copy of
                // banner.html): the background refuses it, and it shows and reads nothing.
                Err(error) if is_refusal(&error) => return,
                Err(_) => JsValue::NULL,
            },
            Err(_) => JsValue::NULL,
        };
        let waiting = {
            let mut st = state.borrow_mut();
            st.settings_loaded = true;
            // The reader reads with the same settings (the admin host and zone decide how a
            // page is read); it gets them before any snapshot.
            let message = js::object(&[("type", "settings".into()), ("settings", value)]);
            if let Some(readers) = &mut st.readers {
                readers.settings(&message);
            }
            st.waiting.take()
        };
        match waiting {
            Some(data) => on_port_message(&state, data),
            None => refresh(&state),
        }
    });
}

/// The store's answer to a banner frame no content script of the extension vouched for.
fn is_refusal(error: &JsValue) -> bool {
    error
        .dyn_ref::<js_sys::Error>()
        .is_some_and(|e| e.message() == "refused")
}

/// Applies the remembered preferences once the background answers.
fn load_prefs(state: &Rc<RefCell<State>>) {
    let Ok(promise) = state.borrow().store.prefs() else {
        return;
    };
    let state = state.clone();
    spawn_local(async move {
        let prefs: Prefs = match JsFuture::from(promise).await {
            Ok(value) => Prefs {
                collapsed: js::get(&value, "collapsed").as_bool().unwrap_or_default(),
            },
            Err(_) => Prefs::default(),
        };
        let mut st = state.borrow_mut();
        if prefs.collapsed != st.collapsed {
            st.collapsed = prefs.collapsed;
            redraw(&mut st);
        }
    });
}

/// Copies a finding's reply to the clipboard and says so on the button.
fn copy_reply(st: &State, button: Element) {
    if let Some(view) = &st.view {
        copy_reply_of(&view.findings, button);
    }
}

/// Copies the reply of the finding a "Copy reply" button belongs to (`data-reply-of`), and
/// says on the button whether it worked. The banner and the popup share it.
pub(crate) fn copy_reply_of(findings: &[crate::core::diagnosis::Finding], button: Element) {
    let id = button.get_attribute("data-reply-of").unwrap_or_default();
    let reply = findings
        .iter()
        .find(|f| f.id == id)
        .and_then(|f| f.reply.clone());
    if let Some(reply) = reply {
        copy_text(reply, button);
    }
}

/// Copies a text to the clipboard and says on the button whether it worked. The banner and
/// the popup share it.
pub(crate) fn copy_text(text: String, button: Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    spawn_local(async move {
        let said = match JsFuture::from(promise).await {
            Ok(_) => "Copied",
            Err(_) => "Copy failed: select the text above",
        };
        button.set_text_content(Some(said));
    });
}

/// One delegated click listener for the banner's controls, and a resize when a `<details>`
/// opens or closes (the `toggle` event does not bubble, so it is caught while capturing).
fn install_controls(state: &Rc<RefCell<State>>, root: &Element) -> Result<(), JsValue> {
    let weak = Rc::downgrade(state);
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let Some(state) = weak.upgrade() else { return };
        let control = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-action]").ok().flatten());
        let action = control
            .as_ref()
            .and_then(|el| el.get_attribute("data-action"));
        match action.as_deref() {
            Some("dismiss") => post(&state.borrow(), &Outbound::Dismiss),
            Some("collapse") => {
                let mut st = state.borrow_mut();
                st.collapsed = !st.collapsed;
                let prefs = Prefs {
                    collapsed: st.collapsed,
                };
                let value = js::object(&[("collapsed", prefs.collapsed.into())]);
                crate::js::settle(st.store.set_prefs(value));
                redraw(&mut st);
                // Keep the keyboard where it was: on the (re-created) toggle.
                if let Ok(Some(toggle)) = st.root.query_selector("[data-action=collapse]") {
                    if let Ok(toggle) = toggle.dyn_into::<web_sys::HtmlElement>() {
                        let _ = toggle.focus();
                    }
                }
            }
            Some("copy-reply") => {
                if let Some(button) = control {
                    copy_reply(&state.borrow(), button);
                }
            }
            Some("copy-note") => {
                let note = state
                    .borrow()
                    .view
                    .as_ref()
                    .and_then(|v| v.internal_note(now()));
                if let (Some(button), Some(note)) = (control, note) {
                    copy_text(note, button);
                }
            }
            Some("show-more") => {
                if let Some(more) = control {
                    let mut st = state.borrow_mut();
                    if !st.waiting_more.iter().any(|m| m.is_same_node(Some(&more))) {
                        // The reader answers when the rest is not in the view shown.
                        let _ = more.set_attribute("aria-busy", "true");
                        st.waiting_more.push(more);
                        more_when_whole(&mut st);
                    }
                }
            }
            Some("forget") => {
                let mut st = state.borrow_mut();
                st.confirming_forget = true;
                if render::confirm_forget(&st.doc, &st.root).is_ok() {
                    post_resize(&st);
                }
            }
            Some("forget-cancel") => {
                let mut st = state.borrow_mut();
                st.confirming_forget = false;
                redraw(&mut st);
            }
            Some("forget-confirmed") => {
                // Every banner is told (the background broadcasts) and shows only its page.
                let mut st = state.borrow_mut();
                st.confirming_forget = false;
                crate::js::settle(st.store.forget());
                redraw(&mut st);
            }
            _ => {}
        }
    });
    root.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();

    let weak = Rc::downgrade(state);
    let on_toggle = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        if let Some(state) = weak.upgrade() {
            let st = state.borrow();
            // "Evidence (N)" opened for the first time: its lines are built now.
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            if let (Some(view), Some(target)) = (&st.view, target) {
                let _ = render::opened(&st.doc, &view.findings, &target);
            }
            post_resize(&st);
        }
    });
    root.add_event_listener_with_callback_and_bool(
        "toggle",
        on_toggle.as_ref().unchecked_ref(),
        true,
    )?;
    on_toggle.forget();
    Ok(())
}
