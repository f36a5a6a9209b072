// The store's mechanics (extension/store-policy.js): which operations wait for which, and what is
// kept when storage.session is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Locks, classOf, pageOf, planRoom } from '../../extension/store-policy.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

test('an operation waits only for earlier ones on its addresses; a failure fails alone', async () => {
  const locks = new Locks();
  const order = [];
  let release;
  const slow = locks.keyed(['a'], () => new Promise((resolve) => { release = resolve; }).then(() => order.push('a1')));
  const failing = locks.keyed(['b'], async () => { order.push('b1'); throw new Error('refused'); });
  const afterFailure = locks.keyed(['b'], async () => order.push('b2'));
  const other = locks.keyed(['c'], async () => order.push('c1'));
  const behind = locks.keyed(['a', 'c'], async () => order.push('a2'));
  await assert.rejects(failing, /refused/);
  await afterFailure;
  await other;
  assert.deepEqual([...order].sort(), ['b1', 'b2', 'c1'], 'nothing waits for the slow write on another address; nothing is skipped after a failure');
  assert.ok(order.indexOf('b1') < order.indexOf('b2'), 'one address in order');
  release();
  await slow;
  await behind;
  assert.deepEqual(order.slice(3), ['a1', 'a2']);
  await locks.idle();
  assert.equal(locks.tails.size, 0, 'no address keeps a chain once idle');
});

test('an exclusive operation waits for everything before it, and everything after waits for it', async () => {
  const locks = new Locks();
  const order = [];
  let release;
  const write = locks.keyed(['a'], () => new Promise((resolve) => { release = resolve; }).then(() => order.push('write')));
  const forget = locks.exclusive(async () => order.push('forget'));
  const later = locks.keyed(['b'], async () => order.push('later'));
  await tick(10);
  assert.deepEqual(order, [], 'the forget waits for the write under way, the later write for the forget');
  release();
  await Promise.all([write, forget, later]);
  assert.deepEqual(order, ['write', 'forget', 'later']);
  const failed = locks.exclusive(async () => { throw new Error('storage'); });
  const next = locks.keyed(['a'], async () => 'ran');
  await assert.rejects(failed);
  assert.equal(await next, 'ran', 'a failed exclusive operation does not stop the next');
});

// Records as core::store makes them: 8-character page tag, class letter, 15 hex digits.
let serial = 0;
const record = (page, cls, key, expiresAt = 1000, pad = 0) => ({
  id: `${page}${cls}${(serial++).toString(16).padStart(15, '0')}`, key, expiresAt, observation: 'x'.repeat(pad),
});
const sizeOf = () => 100;
const keyOf = (r) => `obs:${r.key}`;
const byKey = (records) => {
  const map = new Map();
  for (const r of records) map.set(keyOf(r), [...(map.get(keyOf(r)) ?? []), r]);
  return map;
};
const keyBytes = (records) => [...new Set(records.map(keyOf))].reduce((n, k) => n + new TextEncoder().encode(k).length + 2, 0);

test('ids carry the page and the class', () => {
  const r = record('0123abcd', 'e', 'a@b.co');
  assert.equal(pageOf(r), '0123abcd');
  assert.equal(classOf(r), 'e');
});

test('when everything fits nothing is planned', () => {
  const stored = [record('aaaaaaaa', 'f', 'a@x.io')];
  assert.equal(planRoom({ stored: byKey(stored), added: [record('bbbbbbbb', 'e', 'b@x.io')], budget: 10_000, keyOf, sizeOf }), null);
});

test('a heavy page of bulk rows never displaces account facts or events to looked-up addresses', () => {
  // An admin page: facts about a@x.io; a logs page: events to a@x.io (looked up) and bulk.
  const facts = [record('aaaaaaaa', 'f', 'a@x.io'), record('aaaaaaaa', 'f', 'a@x.io')];
  const events = [record('cccccccc', 'e', 'a@x.io')];
  const stored = [...facts, ...events];
  const heavy = Array.from({ length: 50 }, (_, i) => record('bbbbbbbb', 'e', `bulk${i}@y.io`));
  const budget = keyBytes([...stored, ...heavy]) + 100 * 23; // room for 23 records
  const plan = planRoom({ stored: byKey(stored), added: heavy, budget, keyOf, sizeOf });
  for (const r of stored) assert.ok(plan.keep.has(r), `${r.id} kept`);
  assert.equal(plan.droppedByPage.size, 0, 'nothing of other pages dropped');
  assert.equal(plan.notKept, 30, 'the heavy page keeps what is left: 20 of its 50 rows');
  // Its first rows (the page's order) are the ones kept.
  assert.ok(heavy.slice(0, 20).every((r) => plan.keep.has(r)));
});

test('events to an address looked up in the same write count as looked up', () => {
  const bulk = Array.from({ length: 10 }, (_, i) => record('aaaaaaaa', 'e', `bulk${i}@y.io`));
  const added = [record('bbbbbbbb', 'e', 'case@x.io'), record('bbbbbbbb', 'f', 'case@x.io')];
  const budget = keyBytes([...bulk, ...added]) + 100 * 7;
  const plan = planRoom({ stored: byKey(bulk), added, budget, keyOf, sizeOf });
  assert.ok(added.every((r) => plan.keep.has(r)));
  assert.equal(plan.notKept, 0);
  assert.equal(plan.droppedByPage.get('aaaaaaaa'), 5, 'the bulk page gives up what the case needs');
});

test('bulk rows are shared fairly: no page takes more than its share', () => {
  const now = Array.from({ length: 40 }, (_, i) => record('aaaaaaaa', 'e', `a${i}@y.io`, 2000));
  const small = Array.from({ length: 4 }, (_, i) => record('cccccccc', 'e', `c${i}@y.io`, 1500));
  const older = Array.from({ length: 40 }, (_, i) => record('dddddddd', 'e', `d${i}@y.io`, 1000 + i));
  const budget = keyBytes([...now, ...small, ...older]) + 100 * 34;
  const plan = planRoom({ stored: byKey([...small, ...older]), added: now, budget, keyOf, sizeOf });
  // 34 records of room: the small page keeps its 4, the two large ones 15 each.
  assert.ok(small.every((r) => plan.keep.has(r)));
  assert.equal(now.filter((r) => plan.keep.has(r)).length, 15);
  assert.equal(older.filter((r) => plan.keep.has(r)).length, 15);
  assert.equal(plan.notKept, 25);
  assert.equal(plan.droppedByPage.get('dddddddd'), 25);
  // The page over its share loses its oldest records.
  assert.ok(older.slice(25).every((r) => plan.keep.has(r)), 'the newest of the older page stay');
});

test('facts that do not all fit: the oldest go first, never more than needed', () => {
  const old = Array.from({ length: 6 }, (_, i) => record('aaaaaaaa', 'f', `a${i}@y.io`, 1000 + i));
  const added = [record('bbbbbbbb', 'f', 'b@y.io', 5000)];
  const budget = keyBytes([...old, ...added]) + 100 * 6;
  const plan = planRoom({ stored: byKey(old), added, budget, keyOf, sizeOf });
  assert.equal(plan.notKept, 0);
  assert.equal(plan.droppedByPage.get('aaaaaaaa'), 1);
  assert.ok(!plan.keep.has(old[0]), 'the oldest fact went');
});
