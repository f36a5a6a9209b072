//! The banner frame: runs in the extension's own page (`banner.html`), out of the host page's
//! reach. It accepts one handshake from the content script, receives snapshots over the
//! transferred `MessagePort`, reads them with `crate::readers`, diagnoses with `crate::core`
//! and renders. It holds no decisions of its own.

mod render;
pub mod snapshot;

use crate::core::observation;
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use crate::core::view::banner_view;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, MessageEvent, MessagePort};

/// Messages from the content script.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Inbound {
    Snapshot(snapshot::Snapshot),
}

/// Messages to the content script.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Outbound {
    Resize { height: i32 },
    Dismiss,
}

/// The first message on the frame's window: must carry the token from the frame URL's hash
/// and transfer exactly one port.
#[derive(Deserialize)]
struct Hello {
    #[serde(rename = "type")]
    kind: String,
    token: String,
}

const HELLO: &str = "cdot-triage/hello";

struct State {
    token: String,
    port: Option<MessagePort>,
    /// The last page read, so that a later snapshot of the same Mailgun page adds to it.
    last: Option<PageReading>,
    doc: Document,
    root: Element,
    settings: Settings,
}

/// The banner, as `banner.js` creates it once the module has loaded.
#[wasm_bindgen]
pub struct Banner {
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Banner {
    /// `hash` is `location.hash` of the frame: `#<token>`.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Result<Banner, JsValue> {
        let token = hash.trim_start_matches('#').to_string();
        if token.len() < 16 {
            return Err(JsValue::from_str(
                "cdot-triage: frame opened without a token",
            ));
        }
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("cdot-triage: no document"))?;
        let root = doc
            .get_element_by_id("banner")
            .ok_or_else(|| JsValue::from_str("cdot-triage: #banner missing"))?;
        let state = Rc::new(RefCell::new(State {
            token,
            port: None,
            last: None,
            doc,
            root: root.clone(),
            settings: Settings::default(),
        }));
        install_controls(&state, &root)?;
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
        let hello: Option<Hello> = serde_wasm_bindgen::from_value(event.data()).ok();
        let ports = event.ports();
        let valid = from_parent
            && hello.is_some_and(|h| h.kind == HELLO && h.token == state.token)
            && ports.length() == 1;
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

fn on_port_message(state: &Rc<RefCell<State>>, data: JsValue) {
    let Ok(Inbound::Snapshot(snap)) = serde_wasm_bindgen::from_value::<Inbound>(data) else {
        return;
    };
    let mut st = state.borrow_mut();
    let now = UtcTime::from_millis(js_sys::Date::now());
    let reading = match snapshot::to_document(&snap) {
        Ok(page) => crate::readers::read_page(&page, &snap.url, &st.settings),
        Err(_) => PageReading::Unreadable {
            url: snap.url.clone(),
            reason: "the page snapshot could not be parsed.".into(),
        },
    };
    // Rows that scrolled out of a virtualised list are still events seen.
    let reading = match (st.last.take(), reading) {
        (Some(PageReading::Mailgun(mut earlier)), PageReading::Mailgun(later))
            if earlier.continued_by(&later) =>
        {
            earlier.merge_later(later);
            PageReading::Mailgun(earlier)
        }
        (_, reading) => reading,
    };
    st.last = Some(reading.clone());
    let observations = observation::from_reading(&reading, now);
    let view = banner_view(&reading, &observations, now, &st.settings);
    if render::render(&st.doc, &st.root, &view).is_ok() {
        post_resize(&st);
    }
}

fn post(state: &State, message: &Outbound) {
    if let (Some(port), Ok(value)) = (&state.port, serde_wasm_bindgen::to_value(message)) {
        // A closed port means the page went away; nothing to tell anyone.
        let _ = port.post_message(&value);
    }
}

fn post_resize(state: &State) {
    if let Some(el) = state.doc.document_element() {
        post(
            state,
            &Outbound::Resize {
                height: el.scroll_height(),
            },
        );
    }
}

/// One delegated click listener for the banner's controls, and a resize when a `<details>`
/// opens or closes (the `toggle` event does not bubble, so it is caught while capturing).
fn install_controls(state: &Rc<RefCell<State>>, root: &Element) -> Result<(), JsValue> {
    let weak = Rc::downgrade(state);
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let Some(state) = weak.upgrade() else { return };
        let action = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-action]").ok().flatten())
            .and_then(|el| el.get_attribute("data-action"));
        if action.as_deref() == Some("dismiss") {
            post(&state.borrow(), &Outbound::Dismiss);
        }
    });
    root.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();

    let weak = Rc::downgrade(state);
    let on_toggle = Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
        if let Some(state) = weak.upgrade() {
            post_resize(&state.borrow());
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
