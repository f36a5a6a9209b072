// The store client (extension/store-client.js) against a fake runtime: one port at a time,
// and a banner frame the background refused stays refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storeClient } from '../../extension/store-client.js';

/** A fake `runtime.connect`: records every port; each can be answered or dropped. */
function fakeApi() {
  const ports = [];
  const api = {
    runtime: {
      connect: () => {
        const port = {
          sent: [], listeners: [], onGone: [],
          postMessage: (m) => port.sent.push(m),
          onMessage: { addListener: (f) => port.listeners.push(f) },
          onDisconnect: { addListener: (f) => port.onGone.push(f) },
          answer: (m) => port.listeners.forEach((f) => f(m)),
          drop: () => port.onGone.forEach((f) => f()),
        };
        ports.push(port);
        return port;
      },
    },
  };
  return { api, ports };
}
const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a request during the reconnect wait opens one port, not two; "changed" arrives once', async () => {
  const { api, ports } = fakeApi();
  const store = storeClient(api);
  const changed = [];
  store.onChanged((keys) => changed.push(keys));
  assert.equal(ports.length, 1);
  ports[0].drop(); // the background stopped while idle: a reconnect is scheduled (100 ms)
  const pending = store.getAll(); // a request in the wait connects at once
  assert.equal(ports.length, 2);
  await tick(150); // the scheduled reconnect must not open a third port
  assert.equal(ports.length, 2, 'one port at a time');
  const [{ id }] = ports[1].sent;
  ports[1].answer({ type: 'records', id, records: [1] });
  assert.deepEqual(await pending, [1]);
  ports[1].answer({ type: 'changed', keys: ['a@b.co'] });
  assert.deepEqual(changed, [['a@b.co']]);
});

test('after "refused" nothing reconnects and every request fails with "refused"', async () => {
  const { api, ports } = fakeApi();
  const store = storeClient(api);
  const pending = store.settings();
  ports[0].answer({ type: 'refused' });
  ports[0].drop();
  await assert.rejects(pending, /refused/);
  await tick(150);
  assert.equal(ports.length, 1, 'no reconnect');
  await assert.rejects(store.getAll(), /refused/);
  assert.equal(ports.length, 1);
});
