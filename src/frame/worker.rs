//! The frame's reader: everything a snapshot costs, off the frame's main thread.
//!
//! Every banner frame and the popup share one renderer, and so one main thread: a page read
//! there (a 40,000-row Mailgun page takes seconds) holds every other banner and the popup
//! hostage. So the frame hands each snapshot to a dedicated worker (`banner-worker.js`, a
//! loader of this same module) running a [`FrameReader`]: it parses the markup, reads it,
//! merges it with the earlier reading of the same Mailgun page, makes the observations and
//! store records, diagnoses and builds the banner's view; and, when the store answers, the
//! diagnosis of everything stored with this page. The frame's main thread keeps the
//! handshake, the port, the store client, rendering and the controls (src/frame/mod.rs).
//!
//! It works in stages and yields to its event loop between them (parse, read, observations,
//! diagnosis): a newer snapshot (the page changed) supersedes the job in progress, which
//! drops itself at its next stage ([`super::jobs`]). A small snapshot (or a few stored
//! records) is read in one go: a few ms, nothing to cancel.
//!
//! Messages (structured clones; the view as JSON text, of a long view its first part:
//! `BannerView::split_first`):
//!
//! - to the reader: `{ type: "settings", settings }`, the content script's `snapshot` as it
//!   came (its markup as `html` text or as UTF-8 `bytes`, an `ArrayBuffer` transferred on),
//!   `{ type: "stored", records }` (what the store's `getAll` answered); the frame numbers
//!   the last two (`seq`); `{ type: "rest", seq }`;
//! - from it: `{ type: "page", seq, view, newPage, kind, marks }` (this page's own view),
//!   then `{ type: "records", seq, records, url, tags }` (its records not sent before, as the
//!   store takes them, and the page tags of its records), `{ type: "view", seq, view, marks }`
//!   (everything stored with this page), `{ type: "whole", seq, view }` (the whole of a view
//!   whose first part was sent, when the frame asks with `{ type: "rest", seq }`), where `seq`
//!   is the number of the message answered, and `{ type: "failed", report }`
//!   from the panic hook (src/frame/error.rs; the loader sends `{ type: "failed", message }`
//!   for any other failure, and `{ type: "ready" }` once it reads).
//!
//! The frame runs a [`FrameReader`] itself too, with the same messages: while its worker
//! starts (small snapshots only), and for good where no worker can run (src/frame/mod.rs).

use super::handover::{SMALL_SNAPSHOT, SMALL_STORE};
use super::jobs::{Jobs, Ticket};
use super::{error, marks, record_from_js, record_to_js, snapshot};
use crate::core::observation;
use crate::core::page::PageReading;
use crate::core::readers::{read_page, Snapshot};
use crate::core::settings::Settings;
use crate::core::store::{self, Record};
use crate::core::stored;
use crate::core::time::UtcTime;
use crate::core::view::{banner_view, BannerView};
use crate::js;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

struct Reader {
    settings: Settings,
    /// The last page read, so that a later snapshot of the same Mailgun page adds to it.
    last: Option<PageReading>,
    /// A job merged into `last` as a new page and was superseded before it was shown: the
    /// page shown next is a new one to the frame too.
    new_page_pending: bool,
    /// What the page shown yielded, as store records.
    local: Vec<Record>,
    /// Ids of this page's records handed to the frame to store: each is sent once per page.
    sent: HashSet<String>,
    jobs: Jobs,
    /// The last view answered, whole, with the number of the message it answered: the frame
    /// got its first part ([`BannerView::split_first`]) and asks for the rest on "Show all".
    whole: Option<(u32, BannerView)>,
    /// The frame asked for the whole view answering this message before it was ready.
    asked: Option<u32>,
    /// Posts a message (and its transfer list) to the frame.
    post: js_sys::Function,
}

/// The reader, as `banner-worker.js` creates it (or the frame, where no worker runs).
#[wasm_bindgen]
pub struct FrameReader {
    state: Rc<RefCell<Reader>>,
}

#[wasm_bindgen]
impl FrameReader {
    /// `post(message)`: how the reader answers the frame.
    #[wasm_bindgen(constructor)]
    pub fn new(post: js_sys::Function) -> FrameReader {
        error::install_panic_hook();
        FrameReader {
            state: Rc::new(RefCell::new(Reader {
                settings: Settings::default(),
                last: None,
                new_page_pending: false,
                local: Vec::new(),
                sent: HashSet::new(),
                jobs: Jobs::default(),
                whole: None,
                asked: None,
                post,
            })),
        }
    }

    /// A message from the frame.
    pub fn message(&self, data: JsValue) {
        match js::get_string(&data, "type").as_deref() {
            Some("settings") => {
                let settings = js::from_js(&js::get(&data, "settings")).unwrap_or_default();
                self.state.borrow_mut().settings = settings;
            }
            Some("snapshot") => {
                // Copied into the module now: a malformed message supersedes nothing.
                let Some(snap) = snapshot::from_message(&data) else {
                    return;
                };
                let mut marks = marks::Collected::default();
                marks.mark("copied-in");
                let ticket = self.state.borrow_mut().jobs.page();
                let seq = seq_of(&data);
                spawn_local(page_job(self.state.clone(), ticket, seq, snap, marks));
            }
            Some("stored") => {
                let ticket = self.state.borrow_mut().jobs.stored();
                let records = js::get(&data, "records");
                let seq = seq_of(&data);
                spawn_local(stored_job(self.state.clone(), ticket, seq, records));
            }
            Some("rest") => rest(&mut self.state.borrow_mut(), seq_of(&data)),
            _ => {}
        }
    }
}

/// The frame's number for a message (`seq`), which the answer to it carries back; 0 when
/// absent. The frame reads the answer's the same way.
pub(super) fn seq_of(data: &JsValue) -> u32 {
    js::get_u32(data, "seq").unwrap_or(0)
}

fn now() -> UtcTime {
    UtcTime::from_millis(js_sys::Date::now())
}

/// Lets the event loop run (a newer message may arrive), then says whether the job is still
/// current. A small job (`yields` false) does not yield: read in a few ms, it has nothing to
/// cancel, and on the frame's main thread, while the frame starts, each turn of the event loop
/// would wait behind the frame's own tasks.
async fn pause(state: &Rc<RefCell<Reader>>, ticket: Ticket, yields: bool) -> bool {
    if yields {
        yield_now().await;
    }
    state.borrow().jobs.current(ticket)
}

/// A macrotask's turn (`setTimeout(0)` of the global: a worker has no window).
async fn yield_now() {
    let global = js_sys::global();
    let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = set_timeout
            .as_ref()
            .is_some_and(|f| f.call2(&global, &resolve, &0.into()).is_ok());
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

async fn page_job(
    state: Rc<RefCell<Reader>>,
    ticket: Ticket,
    seq: u32,
    snap: Snapshot,
    mut marks: marks::Collected,
) {
    let settings = state.borrow().settings.clone();
    error::set_page_kind(error::kind_of_url(&snap.url, &settings));
    let yields = snap.html.len() > SMALL_SNAPSHOT;
    if !pause(&state, ticket, yields).await {
        return;
    }
    let doc = snap.document();
    marks.mark("parsed");
    if !pause(&state, ticket, yields).await {
        return;
    }
    let reading = read_page(&doc, &snap.url, &settings, &js::browser_local_offset);
    drop(doc);
    marks.mark("read");
    if !pause(&state, ticket, yields).await {
        return;
    }
    let url = snap.url;
    // The reading is kept as the page's last one now (rows that scrolled out of a
    // virtualised list are still events seen), even if a newer snapshot supersedes this job
    // before it is shown: the newer one adds to it.
    let (local, new_page) = {
        let mut st = state.borrow_mut();
        let (reading, new_page) = match (st.last.take(), reading) {
            (Some(PageReading::Mailgun(mut earlier)), PageReading::Mailgun(later))
                if earlier.continued_by(&later) =>
            {
                earlier.merge_later(later);
                (PageReading::Mailgun(earlier), false)
            }
            (_, reading) => (reading, true),
        };
        error::set_page_kind(error::kind_of(&reading));
        let expiry = settings.observation_expiry_hours;
        let local: Vec<Record> = observation::from_reading(&reading, now())
            .iter()
            .map(|o| store::record_for(o, expiry))
            .collect();
        st.last = Some(reading);
        st.new_page_pending |= new_page;
        (local, new_page)
    };
    marks.mark("observations");
    if !pause(&state, ticket, yields).await {
        return;
    }
    let view = {
        let st = state.borrow();
        let Some(reading) = &st.last else { return };
        let observations: Vec<_> = local.iter().map(|r| r.observation.clone()).collect();
        banner_view(reading, &observations, now(), &settings)
    };
    marks.mark("view");
    let mut st = state.borrow_mut();
    if !st.jobs.commit(ticket) {
        return;
    }
    let new_page = new_page || st.new_page_pending;
    st.new_page_pending = false;
    if new_page {
        // Another page: what was sent was the last one's.
        st.sent.clear();
    }
    // This page's records not sent before: each once per page.
    let unsent: Vec<usize> = (0..local.len())
        .filter(|i| local.get(*i).is_some_and(|r| !st.sent.contains(&r.id)))
        .collect();
    st.sent.extend(local.iter().map(|r| r.id.clone()));
    let kind = st.last.as_ref().map_or("no page read yet", error::kind_of);
    st.local = local;
    // The view first, for the banner to paint; the records (10,000 rows are 10,000 records:
    // tens of ms to build and to copy over) follow, to be stored after the paint.
    post_view(
        &mut st,
        "page",
        seq,
        view,
        &mut marks,
        &[("newPage", new_page.into()), ("kind", kind.into())],
    );
    let records: js_sys::Array = unsent
        .iter()
        .filter_map(|i| st.local.get(*i))
        .map(record_to_js)
        .collect();
    // Each page tag once (sorted by `core::sort`, as a `BTreeSet` would bring in the
    // standard sort and the tree: 4.3 KB of the module).
    let mut tags: Vec<&str> = st.local.iter().map(|r| r.page.as_str()).collect();
    crate::core::sort::sort(&mut tags);
    tags.dedup();
    let tags: js_sys::Array = tags.into_iter().map(JsValue::from_str).collect();
    let message = js::object(&[
        ("type", "records".into()),
        ("seq", seq.into()),
        ("records", records.into()),
        ("url", url.as_str().into()),
        ("tags", tags.into()),
    ]);
    post(&st, &message);
}

async fn stored_job(state: Rc<RefCell<Reader>>, ticket: Ticket, seq: u32, records: JsValue) {
    // One record this version cannot read does not hide the others.
    let mut records: Vec<Record> = if js_sys::Array::is_array(&records) {
        js_sys::Array::from(&records)
            .iter()
            .filter_map(|r| record_from_js(&r))
            .collect()
    } else {
        Vec::new()
    };
    let mut marks = marks::Collected::default();
    marks.mark("store-decoded");
    if !pause(&state, ticket, records.len() > SMALL_STORE).await {
        return;
    }
    let view = {
        let st = state.borrow();
        let Some(reading) = &st.last else { return };
        // This page's own observations, once each (the stored copies have the same ids).
        records.extend(st.local.iter().cloned());
        let observations = store::live(records, now());
        banner_view(reading, &observations, now(), &st.settings)
    };
    marks.mark("view");
    let mut st = state.borrow_mut();
    if !st.jobs.current(ticket) {
        return;
    }
    post_view(&mut st, "view", seq, view, &mut marks, &[]);
}

/// Sends the view answering message `seq` as `{ type, seq, view, …members, marks }`: the
/// part the banner shows at first ([`BannerView::split_first`]), or the whole when that is
/// all of it; the whole is kept for "Show all" ([`keep_whole`]).
fn post_view(
    st: &mut Reader,
    kind: &str,
    seq: u32,
    mut view: BannerView,
    marks: &mut marks::Collected,
    members: &[(&str, JsValue)],
) {
    let unsent = view.split_first();
    let text = view_to_js(&view);
    if let Some(unsent) = unsent {
        view.join(unsent);
    }
    marks.mark("message");
    let mut all = vec![("type", kind.into()), ("seq", seq.into()), ("view", text)];
    all.extend(members.iter().cloned());
    all.push(("marks", marks.to_js()));
    post(st, &js::object(&all));
    keep_whole(st, seq, view);
}

/// Keeps the view just answered (its first part sent) for "Show all", and sends it whole if
/// the frame asked for it already.
fn keep_whole(st: &mut Reader, seq: u32, view: BannerView) {
    st.whole = Some((seq, view));
    if st.asked == Some(seq) {
        rest(st, seq);
    }
}

/// The frame asks for the whole view answering message `seq` (`{ type: "rest", seq }`): it
/// is sent as `{ type: "whole", seq, view }` now, or once that message is answered. A view
/// older than the last one answered is not sent: the frame shows the newer one (or will) and
/// asks for it.
fn rest(st: &mut Reader, seq: u32) {
    match &st.whole {
        Some((answered, view)) if *answered == seq => {
            st.asked = None;
            let message = js::object(&[
                ("type", "whole".into()),
                ("seq", seq.into()),
                ("view", view_to_js(view)),
            ]);
            post(st, &message);
        }
        Some((answered, _)) if *answered > seq => {}
        _ => st.asked = Some(seq),
    }
}

fn post(st: &Reader, message: &JsValue) {
    // A frame gone away takes its worker with it: nothing to tell anyone.
    let _ = st.post.call1(&JsValue::UNDEFINED, message);
}

/// The view as the frame receives it: JSON text, as serde's derive writes it (written by
/// hand, [`stored::view_text`]).
fn view_to_js(view: &BannerView) -> JsValue {
    JsValue::from_str(&stored::view_text(view))
}

/// The view the reader sent (see [`view_to_js`]); `None` for anything else. Read by hand
/// ([`stored::view`]), as serde's derive would read it, without the derive's code.
pub fn view_from_js(value: &JsValue) -> Option<BannerView> {
    stored::view(&value.as_string()?)
}
