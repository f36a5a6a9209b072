// The observation store's mechanics, free of any browser API so that `node --test` runs them
// (tests/js/store-policy.test.mjs): which operations wait for which (`Locks`), and what to keep
// when storage.session is full (`planRoom`). What a record is, and which records are bulk, is
// decided in Rust (src/core/store.rs); here a record is `{ id, key, expiresAt, observation }`,
// its id starting with its page's 8-character tag and then its class (`f`: an account fact or
// a search, `e`: a mail event). See docs/protocol.md, "The write path".

// A record lives until, not at, its expiry: core::store::is_live, on the same vectors
// (tests/vectors/expiry.json). A record without a numeric expiry is not kept.
export const isLive = (record, now) => typeof record?.expiresAt === 'number' && record.expiresAt > now;
export const live = (records, now = Date.now()) => (records ?? []).filter((r) => isLive(r, now));

/** The page tag a record id starts with. */
export const pageOf = (record) => record.id.slice(0, 8);
/** `f` (an account fact or a search) or `e` (a mail event); see core::store::RecordClass. */
export const classOf = (record) => record.id.charAt(8);

/**
 * Which store operations wait for which. An operation on some addresses waits only for the
 * earlier ones on the same addresses, and for the last exclusive one; an exclusive operation
 * (Forget, making room, which touch every address) waits for everything before it, and
 * everything after waits for it. Nothing else is ordered. A failed operation fails alone: the
 * chains hold only settled promises, so nothing queued behind a failure is skipped.
 */
export class Locks {
  constructor() {
    this.tails = new Map(); // key → a promise settling when the last operation on it has
    this.barrier = Promise.resolve(); // settles when the last exclusive operation has
  }

  /** Runs `job()` once the earlier operations on `keys` and the last exclusive one are done. */
  keyed(keys, job) {
    const before = [this.barrier, ...keys.map((k) => this.tails.get(k))];
    const run = Promise.all(before).then(job);
    const done = run.then(() => {}, () => {});
    for (const key of keys) this.tails.set(key, done);
    done.then(() => {
      for (const key of keys) if (this.tails.get(key) === done) this.tails.delete(key);
    });
    return run;
  }

  /** Runs `job()` once every earlier operation is done; later ones wait for it. */
  exclusive(job) {
    const before = [this.barrier, ...this.tails.values()];
    const run = Promise.all(before).then(job);
    this.barrier = run.then(() => {}, () => {});
    return run;
  }

  /** Whether nothing is running or waiting (for tests). */
  async idle() {
    await Promise.all([this.barrier, ...this.tails.values()]);
  }
}

const utf8 = new TextEncoder();
export const bytes = (text) => utf8.encode(text).length;
// Chrome counts a stored value's memory, not its JSON: text at its length, and about 50 bytes
// more per object member (a record's four: measured with getBytesInUse, a 404-byte JSON record
// of five members counts 656).
export const RECORD_OVERHEAD = 224;
export const recordSize = (record) => bytes(JSON.stringify(record)) + RECORD_OVERHEAD;

/**
 * What to keep when everything does not fit in `budget` bytes.
 *
 * `stored`: Map(storage key → its live records), without the records the write replaces;
 * `added`: the write's records; `other`: bytes of what is not observations (kept whole);
 * `keyOf(record)`: a record's storage key.
 *
 * Records fall into three tiers, kept in this order:
 *   0. account facts and searches (class `f`);
 *   1. mail events to an address that has a tier-0 record (stored or in this write): an
 *      address someone looked up;
 *   2. mail events to addresses nobody looked up (the bulk rows of a logs page).
 * Within the first tier that does not fit whole, every page gets a fair share (max-min: a
 * page using less than its share keeps all of it, the rest is split evenly among the others),
 * and a page over its share loses its records seen first (the oldest). The page being written
 * is one page among the others: it may displace another page's bulk rows only down to that
 * page's share, and never another page's account facts for its own bulk rows.
 *
 * Returns { keep: Set(records kept), droppedByPage: Map(page tag → count of stored records
 * dropped), notKept: count of `added` not kept }, or null when everything fits.
 */
export function planRoom({ stored, added, other = 0, budget, keyOf, sizeOf = recordSize }) {
  const all = [];
  for (const [storageKey, records] of stored) for (const r of records) all.push({ r, storageKey, isNew: false });
  for (const r of added) all.push({ r, storageKey: keyOf(r), isNew: true });
  const keySize = new Map();
  for (const { storageKey } of all) keySize.set(storageKey, bytes(storageKey) + 2);
  const lookedUp = new Set(all.filter(({ r }) => classOf(r) !== 'e').map(({ storageKey }) => storageKey));
  const tierOf = ({ r, storageKey }) => (classOf(r) !== 'e' ? 0 : lookedUp.has(storageKey) ? 1 : 2);

  let total = other;
  for (const item of all) total += sizeOf(item.r);
  for (const size of keySize.values()) total += size;
  if (total <= budget) return null;

  const tiers = [[], [], []];
  for (const item of all) tiers[tierOf(item)].push(item);
  let room = budget - other - [...keySize.values()].reduce((a, b) => a + b, 0);
  const keep = new Set();
  for (const tier of tiers) {
    const size = tier.reduce((n, { r }) => n + sizeOf(r), 0);
    if (size <= room) {
      for (const { r } of tier) keep.add(r);
      room -= size;
      continue;
    }
    // This tier does not fit: each page keeps up to its fair share, newest first; the tiers
    // after it are not kept.
    for (const r of fairShare(tier, Math.max(0, room), sizeOf)) keep.add(r);
    break;
  }
  const droppedByPage = new Map();
  let notKept = 0;
  for (const { r, isNew } of all) {
    if (keep.has(r)) continue;
    if (isNew) notKept += 1;
    else droppedByPage.set(pageOf(r), (droppedByPage.get(pageOf(r)) ?? 0) + 1);
  }
  return { keep, droppedByPage, notKept };
}

/** The records of `items` kept within `room` bytes, each page up to its max-min fair share. */
function fairShare(items, room, sizeOf) {
  const pages = new Map(); // page → its records, newest first (a later expiry: seen later)
  for (const { r } of items) {
    const page = pageOf(r);
    if (!pages.has(page)) pages.set(page, []);
    pages.get(page).push(r);
  }
  const usage = [...pages].map(([page, records]) => ({
    page,
    records: records.sort((a, b) => b.expiresAt - a.expiresAt),
    size: records.reduce((n, r) => n + sizeOf(r), 0),
  })).sort((a, b) => a.size - b.size);
  const kept = [];
  let left = room;
  for (const [i, page] of usage.entries()) {
    const share = left / (usage.length - i);
    let used = 0;
    for (const r of page.records) {
      const size = sizeOf(r);
      if (used + size > share) break;
      used += size;
      kept.push(r);
    }
    left -= used;
  }
  return kept;
}
