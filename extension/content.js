// cdot-triage content script (classic script, runs in the isolated world).
//
// Glue only: it inserts the banner frame at the top of the page and sends the frame a snapshot
// of the page, again whenever the page's content changes (rows added by scrolling or
// filtering, Turbo / pjax / single-page navigation). Reading and diagnosing happen in the
// frame's WASM module, because Chrome applies the host page's CSP to WebAssembly compiled here,
// and a blocked attempt is reported to the site.
(() => {
  'use strict';
  performance.mark('cdot-triage:content-start'); // npm run bench: time to banner starts here
  if (globalThis.__cdotTriage) return; // injected twice into the same document
  globalThis.__cdotTriage = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const bannerUrl = api.runtime.getURL('banner.html');
  const extensionOrigin = api.runtime.getURL('').replace(/\/$/, '');
  const SETTLE_MS = 250; // debounce: one snapshot per burst of changes

  let banner = null; // { host, frame, port, lastHtml, lastUrl }
  let timer = 0;

  // A host element reset with `all: initial`, a closed shadow root, and the extension-origin
  // frame inside: the page cannot style it or reach into it.
  function mount() {
    const token = crypto.randomUUID();
    const host = document.createElement('div');
    host.id = 'cdot-triage-host';
    host.style.cssText = 'all: initial; display: block; position: relative; z-index: 2147483647;';
    const shadow = host.attachShadow({ mode: 'closed' });
    const frame = document.createElement('iframe');
    frame.title = 'cdot-triage';
    frame.allow = 'clipboard-write'; // the "Copy reply" button
    frame.src = `${bannerUrl}#${token}`;
    frame.style.cssText = 'display: block; width: 100%; height: 0; border: 0; margin: 0;';
    shadow.append(frame);
    document.body.prepend(host); // at the top: pushes the page down rather than covering it
    // The first snapshot is taken while the frame loads (in its own process), not after: on a
    // large page serialising it takes as long. A change in between is sent after it as usual.
    const early = { html: document.documentElement.outerHTML, url: location.href };
    early.message = snapshot(early.html);

    const channel = new MessageChannel();
    const mounted = { host, frame, port: null, lastHtml: null, lastUrl: null };
    channel.port1.onmessage = ({ data }) => {
      if (data?.type === 'resize' && Number.isFinite(data.height)) {
        frame.style.height = `${Math.max(0, Math.ceil(data.height))}px`;
      } else if (data?.type === 'dismiss') {
        stop(); // dismissed for this page load
      }
    };
    frame.addEventListener('load', () => {
      // The frame accepts this one message (its token, one port); everything after goes over
      // the port, which the page never sees.
      frame.contentWindow.postMessage({ type: 'cdot-triage/hello', token }, extensionOrigin, [channel.port2]);
      mounted.port = channel.port1;
      send(early);
    }, { once: true });
    banner = mounted;
  }

  function unmount() {
    banner?.port?.close();
    banner?.host.remove();
    banner = null;
  }

  // Sends a snapshot when the page's markup or URL changed since the last one (`taken`: one
  // taken before, while the frame loaded).
  function send(taken) {
    if (!banner?.port) return;
    const html = taken?.html ?? document.documentElement.outerHTML;
    const url = taken?.url ?? location.href;
    if (html === banner.lastHtml && url === banner.lastUrl) return;
    banner.lastHtml = html;
    banner.lastUrl = url;
    banner.port.postMessage(taken?.message ?? snapshot(html));
  }

  // outerHTML carries attributes, not live properties: form controls whose value the page's
  // scripts changed are sent alongside, by their position in document order.
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
    return { type: 'snapshot', url: location.href, title: document.title, html, inputs };
  }

  // After a change: if the extension was reloaded or removed, let go of the page; if the page
  // replaced <body> (Turbo Drive, pjax), the old frame went with it: mount a new one.
  function settle() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!api.runtime?.id) return stop();
      if (!banner || !banner.host.isConnected) {
        unmount();
        mount();
      } else {
        send();
      }
    }, SETTLE_MS);
  }

  const observer = new MutationObserver(settle);
  const NAVIGATION_EVENTS = ['turbo:render', 'rails_admin.dom_ready', 'pjax:end', 'popstate', 'hashchange'];

  function stop() {
    clearTimeout(timer);
    observer.disconnect();
    for (const type of NAVIGATION_EVENTS) removeEventListener(type, settle, true);
    unmount();
  }

  mount();
  // The whole document, not <body>: Turbo Drive swaps <body> for a new element.
  observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  for (const type of NAVIGATION_EVENTS) addEventListener(type, settle, true);
})();
