//! The frame's handshake guard (`Banner::handshake`, src/frame/mod.rs), in headless Chromium:
//! only a message from the parent window carrying the frame's token and transferring exactly
//! one port is accepted, and only once; the accepted port then carries snapshots. The banner is
//! made without a worker: it reads its snapshots with a reader in the frame (the fallback;
//! the worker itself is covered by tests/e2e/reader-worker.test.mjs).
//! `cargo test --target wasm32-unknown-unknown --test handshake_guard`
#![cfg(target_arch = "wasm32")]

use cdot_triage::frame::{Banner, Store};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::MessageEvent;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "0123456789abcdef-test-token";

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).expect("set a property");
}

/// A store client like banner.js's, answering at once: nothing stored, default preferences.
fn store() -> Store {
    let store = Object::new();
    let resolved = |value: JsValue| {
        Closure::<dyn Fn() -> Promise>::new(move || Promise::resolve(&value)).into_js_value()
    };
    set(&store, "add", &resolved(JsValue::NULL));
    set(&store, "getAll", &resolved(Array::new().into()));
    set(&store, "forget", &resolved(JsValue::NULL));
    set(&store, "prefs", &resolved(Object::new().into()));
    set(&store, "setPrefs", &resolved(JsValue::NULL));
    set(
        &store,
        "onChanged",
        &Closure::<dyn Fn(JsValue)>::new(|_listener: JsValue| {}).into_js_value(),
    );
    store.unchecked_into()
}

/// `new <name>(...args)` of a global constructor (MessageChannel, MessageEvent).
fn construct(name: &str, args: &[JsValue]) -> JsValue {
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &name.into())
        .expect("global constructor")
        .unchecked_into();
    Reflect::construct(&ctor, &args.iter().collect::<Array>()).expect("construct")
}

fn channel() -> (JsValue, JsValue) {
    let c = construct("MessageChannel", &[]);
    (
        Reflect::get(&c, &"port1".into()).unwrap(),
        Reflect::get(&c, &"port2".into()).unwrap(),
    )
}

fn hello(token: &str) -> JsValue {
    let data = Object::new();
    set(&data, "type", &"cdot-triage/hello".into());
    set(&data, "token", &token.into());
    data.into()
}

/// A window message event with `data`, from `source`, transferring `ports`.
fn message(data: JsValue, source: Option<JsValue>, ports: &[JsValue]) -> MessageEvent {
    let init = Object::new();
    set(&init, "data", &data);
    if let Some(source) = source {
        set(&init, "source", &source);
    }
    set(&init, "ports", &ports.iter().collect::<Array>());
    construct("MessageEvent", &["message".into(), init.into()]).unchecked_into()
}

/// The parent of this test page's window (itself, at the top): where the content script is.
fn parent() -> JsValue {
    let window = web_sys::window().unwrap();
    window.parent().unwrap().unwrap().into()
}

fn banner() -> Banner {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = match doc.get_element_by_id("banner") {
        Some(root) => root,
        None => {
            let root = doc.create_element("main").unwrap();
            root.set_id("banner");
            doc.body().unwrap().append_child(&root).unwrap();
            root
        }
    };
    root.set_text_content(None);
    Banner::new(&format!("#{TOKEN}"), store(), None).expect("a banner")
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn a_frame_without_a_token_is_refused() {
    assert!(Banner::new("#", store(), None).is_err());
    assert!(Banner::new("#short", store(), None).is_err());
}

#[wasm_bindgen_test]
fn only_the_right_hello_is_accepted_and_only_once() {
    let b = banner();
    let (_, port) = channel();
    let (_, other) = channel();
    let parent = Some(parent());

    let refused = [
        (
            "a wrong token",
            message(
                hello("fedcba9876543210-not-it"),
                parent.clone(),
                std::slice::from_ref(&port),
            ),
        ),
        (
            "an empty token",
            message(hello(""), parent.clone(), std::slice::from_ref(&port)),
        ),
        ("no port", message(hello(TOKEN), parent.clone(), &[])),
        (
            "two ports",
            message(hello(TOKEN), parent.clone(), &[port.clone(), other.clone()]),
        ),
        ("another type", {
            let data = hello(TOKEN);
            set(&data, "type", &"cdot-triage/snapshot".into());
            message(data, parent.clone(), std::slice::from_ref(&port))
        }),
        (
            "data that is not an object",
            message(TOKEN.into(), parent.clone(), std::slice::from_ref(&port)),
        ),
        (
            "no source",
            message(hello(TOKEN), None, std::slice::from_ref(&port)),
        ),
        (
            "another source",
            message(
                hello(TOKEN),
                Some(port.clone()),
                std::slice::from_ref(&port),
            ),
        ),
    ];
    for (what, event) in refused {
        assert!(!b.handshake(event), "accepted a hello with {what}");
    }

    assert!(
        b.handshake(message(
            hello(TOKEN),
            parent.clone(),
            std::slice::from_ref(&port)
        )),
        "the right hello"
    );
    // A second hello, even a right one with a new port, is ignored.
    let (_, again) = channel();
    assert!(!b.handshake(message(hello(TOKEN), parent.clone(), &[again])));
    assert!(!b.handshake(message(hello(TOKEN), parent, &[port])));
}

#[wasm_bindgen_test]
async fn the_accepted_port_carries_snapshots_and_no_other_does() {
    let b = banner();
    let (page_end, frame_end) = channel();
    let (forged_end, forged_frame_end) = channel();
    assert!(!b.handshake(message(
        hello("fedcba9876543210-not-it"),
        Some(parent()),
        &[forged_frame_end]
    )));
    assert!(b.handshake(message(hello(TOKEN), Some(parent()), &[frame_end])));

    let snapshot = |html: &str| {
        let s = Object::new();
        set(&s, "type", &"snapshot".into());
        set(
            &s,
            "url",
            &"https://customers.gitlab.com/admin/customer/4711".into(),
        );
        set(&s, "html", &html.into());
        set(&s, "inputs", &Array::new());
        s
    };
    let post = |port: &JsValue, value: &Object| {
        let f: js_sys::Function = Reflect::get(port, &"postMessage".into())
            .unwrap()
            .unchecked_into();
        f.call1(port, value).unwrap();
    };
    let subject = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .query_selector("#banner .subject")
            .unwrap()
            .and_then(|s| s.text_content())
    };

    // A snapshot over the refused port is never read.
    post(
        &forged_end,
        &snapshot("<html><body><h1>forged</h1></body></html>"),
    );
    sleep(300).await;
    assert_eq!(subject(), None);

    // Over the accepted port, the page is read and shown.
    post(
        &page_end,
        &snapshot(include_str!(
            "../www/customers.gitlab.com/admin/customer/4711.html"
        )),
    );
    for _ in 0..50 {
        if subject().is_some() {
            break;
        }
        sleep(100).await;
    }
    assert_eq!(
        subject().as_deref(),
        Some("Priya.Raman@northwind-analytics.io")
    );
    drop(b);
}
