// cdot-triage content script (classic script, runs in the isolated world).
//
// Glue only: it inserts the banner frame at the top of the page and sends the frame a snapshot
// of the page. Reading and diagnosing happen in the frame's WASM module, because Chrome applies
// the host page's CSP to WebAssembly compiled here, and a blocked attempt is reported to the site.
(() => {
  'use strict';
  if (document.getElementById('cdot-triage-host')) return; // already injected in this document

  const api = globalThis.browser ?? globalThis.chrome;
  const token = crypto.randomUUID();
  const bannerUrl = api.runtime.getURL('banner.html');
  const extensionOrigin = api.runtime.getURL('').replace(/\/$/, '');

  // A host element reset with `all: initial`, a closed shadow root, and the extension-origin
  // frame inside: the page cannot style it or reach into it.
  const host = document.createElement('div');
  host.id = 'cdot-triage-host';
  host.style.cssText = 'all: initial; display: block; position: relative; z-index: 2147483647;';
  const shadow = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.title = 'cdot-triage';
  frame.src = `${bannerUrl}#${token}`;
  frame.style.cssText = 'display: block; width: 100%; height: 0; border: 0; margin: 0;';
  shadow.append(frame);
  document.body.prepend(host); // at the top: pushes the page down rather than covering it

  const channel = new MessageChannel();
  channel.port1.onmessage = ({ data }) => {
    if (data?.type === 'resize' && Number.isFinite(data.height)) {
      frame.style.height = `${Math.max(0, Math.ceil(data.height))}px`;
    } else if (data?.type === 'dismiss') {
      channel.port1.close();
      host.remove();
    }
  };

  frame.addEventListener('load', () => {
    // The frame accepts this one message (its token, one port); everything after goes over
    // the port, which the page never sees.
    frame.contentWindow.postMessage({ type: 'cdot-triage/hello', token }, extensionOrigin, [channel.port2]);
    channel.port1.postMessage(snapshot());
  }, { once: true });

  // outerHTML carries attributes, not live properties: form controls whose value the page's
  // scripts changed are sent alongside, by their position in document order.
  function snapshot() {
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
    return {
      type: 'snapshot',
      url: location.href,
      title: document.title,
      html: document.documentElement.outerHTML,
      inputs,
    };
  }
})();
