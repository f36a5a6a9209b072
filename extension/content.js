// cdot-triage content script (classic script, runs in the isolated world).
//
// Glue only: it inserts the banner frame at the top of the page and sends the frame a snapshot
// of the page, again whenever the page's content changes (rows added by scrolling or
// filtering, Turbo / pjax / single-page navigation). Reading and diagnosing happen in the
// frame's WASM module, because Chrome applies the host page's CSP to WebAssembly compiled here,
// and a blocked attempt is reported to the site.
//
// It runs at document_start: the frame is created first thing, so Chrome builds it (in the
// extension's process, ~70 ms) while the page itself still loads and parses. The page is read
// once it is parsed (DOMContentLoaded), when a document_idle script would have started.
(() => {
  'use strict';
  performance.mark('cdot-triage:content-start'); // bench-only (scripts/build.mjs drops it from releases)
  if (globalThis.__cdotTriage) return; // injected twice into the same document
  globalThis.__cdotTriage = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const bannerUrl = api.runtime.getURL('banner.html');
  const extensionOrigin = api.runtime.getURL('').replace(/\/$/, '');
  const SETTLE_MS = 250; // debounce: one snapshot per burst of changes
  const MAX_WAIT_MS = 1000; // and one a second on a page that never stops changing

  let banner = null; // { host, frame, port, lastHtml, lastUrl }
  let timer = 0;
  let height = 0; // the frame's height now

  // The banner is a fixed strip at the top of the viewport, and the page is pushed down by its
  // height rather than covered: the document gets a top margin, and the page's own fixed or
  // sticky elements at the top (RailsAdmin 3's navbar and sidebar, Mailgun's header) are moved
  // down by the same amount. Their inline `top` is restored when the banner goes away.
  const MAX_SHARE = 0.4; // at most this share of the viewport (e.g. at 200% zoom)
  const moved = new Map(); // element -> its inline top before
  const pushedFor = { body: null, url: null }; // the page push() last looked at
  function push() {
    pushedFor.body = document.body;
    pushedFor.url = location.href;
    for (const [el, top] of moved) el.style.top = top;
    moved.clear();
    const root = document.documentElement;
    if (!banner || height === 0) {
      root.style.removeProperty('margin-top');
      return;
    }
    root.style.setProperty('margin-top', `${height}px`, 'important');
    // Fixed headers and sidebars sit near the top of the tree; a log table's rows are deeper.
    for (const el of document.querySelectorAll('body > *, body > * > *, body > * > * > *, body > * > * > * > *')) {
      if (el === banner.host) continue;
      const style = getComputedStyle(el);
      if (style.position !== 'fixed' && style.position !== 'sticky') continue;
      const top = parseFloat(style.top);
      if (!Number.isFinite(top) || top >= height + 200) continue; // bottom-anchored, or far down
      moved.set(el, el.style.top);
      el.style.setProperty('top', `${top + height}px`, 'important');
    }
  }

  // The page can read the pushed height (the root's margin, the host's box), and the banner's
  // height follows what it knows (evidence another tab added). So the height goes up in steps
  // of HEIGHT_STEP: a change of a few pixels shows only when it crosses a step (SECURITY.md).
  // A one-line banner (collapsed, or with nothing to say) is one slim step of its own.
  const HEIGHT_STEP = 64;
  const ONE_LINE = 48;
  let requestedHeight = 0;
  function resize(requested = requestedHeight) {
    requestedHeight = requested;
    const cap = Math.max(40, Math.floor(innerHeight * MAX_SHARE));
    const stepped = requested <= 0 ? 0 : requested <= ONE_LINE ? ONE_LINE : Math.ceil(requested / HEIGHT_STEP) * HEIGHT_STEP;
    const next = Math.max(0, Math.min(stepped, cap));
    if (!banner) return;
    banner.frame.style.height = `${next}px`;
    if (next !== height) {
      height = next;
      push();
    }
  }
  let pendingSince = 0; // when the changes the timer waits out began

  // The host element's own styles, all `!important`: an inline important declaration wins over
  // any page stylesheet (`#cdot-triage-host { opacity: 0 !important }` included), and
  // `all: initial` resets everything else (opacity, filter, transform, clip-path, visibility).
  const HOST_STYLE = 'all: initial !important; display: block !important; position: fixed !important; '
    + 'top: 0 !important; left: 0 !important; right: 0 !important; z-index: 2147483647 !important;';
  // Re-asserted when page script changes the host: its style back, and no other attribute
  // (`hidden`, `inert`, `class`, `popover`) kept.
  function protect(host) {
    if (host.getAttribute('style') !== HOST_STYLE) host.setAttribute('style', HOST_STYLE);
    for (const name of host.getAttributeNames()) if (name !== 'id' && name !== 'style') host.removeAttribute(name);
    if (host.id !== 'cdot-triage-host') host.id = 'cdot-triage-host';
  }

  // Provenance: the background accepts evidence only from a banner frame whose token one of
  // the extension's content scripts registered for this tab, and only for a URL the browser
  // itself reports for this tab (the sender's or its tab's URL: the URL this script says it is
  // on counts only when the browser says so too). Sent when the frame is created and before
  // each snapshot, which does not wait for the answer: the background holds the frame's write
  // until the vouch is in. Resolves to whether the background took it.
  function vouch(token) {
    return api.runtime.sendMessage({ type: 'cdot-triage/vouch', token, url: location.href }).then(
      (reply) => Boolean(reply?.ok),
      // The extension was reloaded or removed: settle() lets go of the page.
      () => false,
    );
  }

  // A host element reset with `all: initial`, a closed shadow root, and the extension-origin
  // frame inside: the page cannot style it or reach into it.
  function mount() {
    const token = crypto.randomUUID();
    vouch(token);
    const host = document.createElement('div');
    host.id = 'cdot-triage-host';
    host.setAttribute('style', HOST_STYLE);
    new MutationObserver(() => protect(host)).observe(host, { attributes: true });
    const shadow = host.attachShadow({ mode: 'closed' });
    const frame = document.createElement('iframe');
    frame.title = 'cdot-triage';
    frame.allow = 'clipboard-write'; // the "Copy reply" button
    frame.src = `${bannerUrl}#${token}`;
    frame.style.cssText = 'display: block; width: 100%; height: 0; border: 0; margin: 0;';
    shadow.append(frame);
    // On <html>, not <body>: there is no <body> yet at document_start, and a page that swaps
    // <body> (Turbo Drive) keeps the frame. Never moved afterwards: a moved iframe reloads.
    document.documentElement.prepend(host);

    const channel = new MessageChannel();
    const mounted = { host, frame, token, port: null, lastHtml: null, lastUrl: null, early: null };
    banner = mounted;
    channel.port1.onmessage = ({ data }) => {
      if (data?.type === 'resize' && Number.isFinite(data.height)) {
        resize(data.height);
      } else if (data?.type === 'dismiss') {
        stop(); // dismissed for this page load
      }
    };
    frame.addEventListener('load', () => {
      // The frame accepts this one message (its token, one port); everything after goes over
      // the port, which the page never sees.
      frame.contentWindow.postMessage({ type: 'cdot-triage/hello', token }, extensionOrigin, [channel.port2]);
      mounted.port = channel.port1;
      if (mounted.early) send(mounted.early);
    }, { once: true });
    if (document.readyState !== 'loading') takeEarly();
  }

  // The first snapshot is taken as soon as the page is parsed, also while the frame may still be
  // loading (in its own process): on a large page serialising it takes as long. It is sent when
  // the frame is ready; a change in between is sent after it as usual.
  function takeEarly() {
    if (!banner || banner.early) return;
    const html = pageHtml();
    banner.early = { html, url: location.href, message: snapshot(html) };
    if (banner.port) send(banner.early);
  }

  // The page's markup without the banner's host element: <html> written child by child,
  // leaving out that very element (not whatever carries its id; it sits first in <html>, where
  // a parser would otherwise open <body> early). The page's open shadow roots are written too
  // (`getHTML`: a `<template shadowrootmode>` first in each host), so the reader knows they
  // are there and says it cannot read them rather than call a field in one blank.
  const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
  const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const startTag = (el) => `<${el.localName}${[...el.attributes].map((a) => ` ${a.name}="${escapeText(a.value).replace(/"/g, '&quot;')}"`).join('')}>`;
  function openShadowRoots(root) {
    const found = [];
    const walk = (from) => {
      const walker = document.createTreeWalker(from, NodeFilter.SHOW_ELEMENT);
      for (let el = walker.nextNode(); el; el = walker.nextNode()) {
        if (el.shadowRoot) {
          found.push(el.shadowRoot);
          walk(el.shadowRoot);
        }
      }
    };
    walk(root);
    return found;
  }
  function pageHtml() {
    const root = document.documentElement;
    const own = banner?.host;
    const shadowRoots = root.getHTML ? openShadowRoots(root) : [];
    const outer = (el) => shadowRoots.length === 0
      ? el.outerHTML
      : startTag(el) + el.getHTML({ serializableShadowRoots: true, shadowRoots }) + (VOID.has(el.localName) ? '' : `</${el.localName}>`);
    let html = startTag(root);
    for (const node of root.childNodes) {
      if (node === own) continue;
      if (node.nodeType === Node.ELEMENT_NODE) html += outer(node);
      else if (node.nodeType === Node.TEXT_NODE) html += escapeText(node.data);
      else if (node.nodeType === Node.COMMENT_NODE) html += `<!--${node.data}-->`;
    }
    return `${html}</html>`;
  }

  function unmount() {
    banner?.port?.close();
    banner?.host.remove();
    banner = null;
    height = 0;
    push();
  }

  // Sends a snapshot when the page's markup or URL changed since the last one (`taken`: one
  // taken before, while the frame loaded). Its URL (a new one after pjax, Turbo, a single-page
  // route, a `replaceState`) is vouched for first, and the snapshot leaves at once, without
  // waiting for the answer: the background holds the frame's write until the vouch for that
  // URL is in (background.js `mayAdd`), and the answer reaches this script only when the
  // page's own main thread is free, which on a big page is after its first layout (1.6 s on
  // 10,000 Mailgun rows). Snapshots leave in the order they were taken.
  function send(taken) {
    if (!banner?.port) return;
    const html = taken?.html ?? pageHtml();
    const url = taken?.url ?? location.href;
    if (html === banner.lastHtml && url === banner.lastUrl) return;
    banner.lastHtml = html;
    banner.lastUrl = url;
    const mounted = banner;
    const message = taken?.message ?? snapshot(html);
    // Whatever the answer: a vouch the background did not take leaves the frame showing the
    // page and saying that its evidence was not kept for other tabs.
    vouch(mounted.token);
    performance.mark('cdot-triage:snapshot-sent'); // bench-only: npm run bench's hostage step reads it
    mounted.port.postMessage(message, message.bytes ? [message.bytes] : []);
  }

  // outerHTML carries attributes, not live properties: form controls whose value the page's
  // scripts changed are sent alongside, by their position in document order. The markup goes
  // as its UTF-8 bytes in an ArrayBuffer, transferred: the frame hands it on to its reader (a
  // worker) without a copy of the page's megabytes on the extension's main thread.
  function snapshot(html) {
    const inputs = [];
    document.querySelectorAll('input, select, textarea').forEach((el, index) => {
      if (el.type === 'password') return;
      const entry = { index, tag: el.tagName, name: el.getAttribute('name') ?? '', value: String(el.value) };
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked !== el.defaultChecked) inputs.push({ ...entry, checked: el.checked });
      } else if (el.tagName === 'SELECT' || el.value !== (el.defaultValue ?? '')) {
        inputs.push(entry);
      }
    });
    return { type: 'snapshot', url: location.href, title: document.title, bytes: utf8(html), inputs };
  }

  // The markup's UTF-8 bytes, written by `encodeInto` into room for mostly-ASCII text, and
  // what does not fit in a second pass with room for its worst case (three bytes a UTF-16
  // unit). On the 8 MB Mailgun page that takes about half of what `encode` takes.
  function utf8(text) {
    const encoder = new TextEncoder();
    let out = new Uint8Array(text.length + (text.length >> 4) + 16);
    let { read, written } = encoder.encodeInto(text, out);
    if (read < text.length) {
      const rest = text.slice(read);
      const more = new Uint8Array(written + rest.length * 3);
      more.set(out.subarray(0, written));
      written += encoder.encodeInto(rest, more.subarray(written)).written;
      out = more;
    }
    return out.buffer.slice(0, written);
  }

  // After a change: if the extension was reloaded or removed, let go of the page; if the page
  // replaced <body> (Turbo Drive, pjax), the old frame went with it: mount a new one.
  function settle() {
    const now = performance.now();
    if (!timer) pendingSince = now;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      if (!api.runtime?.id) return stop();
      if (!banner || !banner.host.isConnected) {
        unmount();
        mount();
      } else {
        send();
        // A new fixed header may have come with a navigation (a swapped <body>, a new URL).
        if (height && (document.body !== pushedFor.body || location.href !== pushedFor.url)) push();
      }
    }, Math.max(0, Math.min(SETTLE_MS, pendingSince + MAX_WAIT_MS - now)));
  }

  const observer = new MutationObserver(settle);
  const NAVIGATION_EVENTS = ['turbo:render', 'rails_admin.dom_ready', 'pjax:end', 'popstate', 'hashchange'];

  // The page's own history calls (pushState, replaceState) change the URL, sometimes with no
  // change to the markup: the Navigation API tells (Chromium, newer Firefox); elsewhere the
  // URL is compared twice a second.
  let lastHref = location.href;
  let urlTimer = 0;
  function urlChanged() {
    if (location.href === lastHref) return;
    lastHref = location.href;
    settle();
  }
  const navigationApi = globalThis.navigation?.addEventListener ? globalThis.navigation : null;

  function stop() {
    clearTimeout(timer);
    timer = 0;
    observer.disconnect();
    for (const type of NAVIGATION_EVENTS) removeEventListener(type, settle, true);
    navigationApi?.removeEventListener('currententrychange', urlChanged);
    clearInterval(urlTimer);
    unmount();
  }

  // Once the page is parsed: the first snapshot, then every change to the whole document (not
  // <body>: Turbo Drive swaps <body> for a new element).
  function parsed() {
    performance.mark('cdot-triage:page-parsed'); // bench-only: the page's own part ends here
    // A document without a root element at document_start, or a page whose scripts replaced
    // the host while it loaded.
    if (!banner?.host.isConnected) {
      unmount();
      mount();
    }
    takeEarly();
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    for (const type of NAVIGATION_EVENTS) addEventListener(type, settle, true);
    if (navigationApi) navigationApi.addEventListener('currententrychange', urlChanged);
    else urlTimer = setInterval(urlChanged, 500);
    addEventListener('resize', () => resize()); // the share of the viewport, e.g. after zooming
  }

  if (document.documentElement) mount();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', parsed, { once: true });
  else parsed();
})();
