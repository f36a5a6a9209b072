// A plain-JS peer of the WASM readers, written for the benchmark only (never shipped): it reads
// the same fields from the same pages the same way (DOMParser, then the DOM), so that
// bench/run.mjs can put the two side by side in one browser session.
//
// - CustomersDot admin Show page: every `*_field` block, its name (from the class), label and
//   value; RailsAdmin list: each row's id, Show link and `*_field` cells.
// - Mailgun logs: rows found by content as src/core/readers/mailgun.rs finds them (text nodes with
//   an `@` by XPath, then the nearest tr / [role=row] or a repeated ancestor holding an event
//   word), each read into recipient, outcome, time (parsed to UTC), domain, subject, kind,
//   status message and code.
// It does less checking than the Rust reader (no headers, JSON blocks, search box, problems):
// if anything, it is the faster one.

const fold = (s) => s.replace(/\s+/g, ' ').trim();
const text = (el) => fold(el.textContent ?? '');

/** Parses `html` and reads it. Returns { kind, items: [...] }. */
export function readPage(html, url) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const { host, pathname } = new URL(url);
  if (host === 'customers.gitlab.com' && pathname.startsWith('/admin')) return readAdmin(doc);
  if (host === 'app.mailgun.com') return { kind: 'mailgun', items: readMailgun(doc, url) };
  return { kind: 'unreadable', items: [] };
}

// ---------------------------------------------------------------------------------------
// CustomersDot admin (RailsAdmin)

const fieldName = (el) => [...el.classList].find((c) => c.endsWith('_field') && c !== '_field')?.slice(0, -6);

function readAdmin(doc) {
  const rows = doc.querySelectorAll('tbody tr');
  if (rows.length > 0) {
    const items = [];
    for (const tr of rows) {
      const fields = {};
      for (const td of tr.querySelectorAll('td')) {
        const name = fieldName(td);
        if (name) fields[name] = text(td);
      }
      const show = tr.querySelector('a[href*="/admin/customer/"]')?.getAttribute('href') ?? null;
      const id = tr.querySelector('input[name="bulk_ids[]"]')?.value ?? show?.split('/').pop() ?? null;
      if (fields.email || id) items.push({ id, show, fields });
    }
    return { kind: 'list', items };
  }
  const items = [];
  for (const el of doc.querySelectorAll('[class*="_field"]')) {
    const name = fieldName(el);
    if (!name) continue;
    const label = el.querySelector('.card-header, label, dt, .label');
    const value = el.querySelector('.card-body, .controls, dd, .value');
    items.push({ name, label: label ? text(label) : name, value: value ? text(value) : text(el) });
  }
  return { kind: 'show', items };
}

// ---------------------------------------------------------------------------------------
// Mailgun logs

const EVENT_WORDS = [
  ['temporary fail', 'temporary-failure'], ['permanent fail', 'permanent-failure'],
  ['accepted', 'accepted'], ['delivered', 'delivered'], ['failed', 'failed'],
  ['rejected', 'rejected'], ['opened', 'opened'], ['clicked', 'clicked'],
  ['complained', 'complained'], ['unsubscribed', 'unsubscribed'], ['stored', 'stored'],
];
const EVENT_RE = /accepted|delivered|temporary fail|permanent fail|failed|rejected|opened|clicked|complained|unsubscribed|stored/i;

function outcomeOf(word, message) {
  const w = word.trim().toLowerCase();
  const found = EVENT_WORDS.find(([k]) => w === k);
  if (!found) return null;
  const m = (message ?? '').toLowerCase();
  if (found[1].endsWith('failure') || found[1] === 'failed') {
    if (m.includes('previously bounced') || m.startsWith('605')) return 'suppressed-bounce';
    if (m.includes('unsubscribed address')) return 'suppressed-unsubscribe';
    if (m.includes('marked your messages as spam')) return 'suppressed-complaint';
  }
  return found[1];
}

const KINDS = [
  [/reset password|password reset|passwort zurücksetzen|réinitialisation|recuperación de contraseña|recuperação de senha|パスワード/i, 'password-reset'],
  [/confirm|bestätig|confirmación|confirmação|確認/i, 'confirmation'],
  [/unlock|entsperr|débloquer|desbloqueo|desbloqueio|ロック解除/i, 'unlock'],
  [/password changed|passwort geändert|mot de passe modifié|contraseña cambiada|senha alterada/i, 'password-changed'],
  [/email changed|e-mail geändert|e-mail modifié|correo electrónico cambiado/i, 'email-changed'],
];
const kindOf = (subject) => KINDS.find(([re]) => re.test(subject))?.[1] ?? 'other';

const MONTHS = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const hour24 = (h, ampm) => (ampm ? (Number(h) % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0) : Number(h));
/** Seconds since the epoch, UTC (times without a zone in the browser's zone), or null. */
function parseTime(t) {
  let m = t.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)? ?(UTC|Z)$/);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  m = t.match(/^(\d{2})\/(\d{2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/i);
  if (m) return new Date(+m[3], +m[1] - 1, +m[2], hour24(m[4], m[7]), +m[5], +m[6]).getTime() / 1000;
  m = t.match(/^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? (AM|PM)$/i);
  if (m && MONTHS[m[1].toLowerCase()] !== undefined) {
    return new Date(+m[3], MONTHS[m[1].toLowerCase()], +m[2], hour24(m[4], m[7]), +m[5], +(m[6] ?? 0)).getTime() / 1000;
  }
  return null;
}

const ADDRESS = /^[^\s@<>(),;:"'[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const SENDING = ['customers.gitlab.com', 'mg.gitlab.com'];
const addressesIn = (t) => t.split(/[\s<>(),;"'[\]]+/).map((w) => w.replace(/[.:]+$/, '').replace(/^mailto:/, ''))
  .filter((w) => ADDRESS.test(w));
const isSender = (a) => { const [local, host] = a.toLowerCase().split('@'); return SENDING.includes(host) || local.startsWith('bounce+') || local === 'postmaster'; };
const isStatusLike = (t) => /^\d{3}\b/.test(t) || /^(ok|queued|-|—)$/i.test(t) || /not delivering|mailbox|smtp|greylist/i.test(t);

function genericRow(el) {
  let current = el;
  for (let i = 0; i < 8; i++) {
    const parent = current.parentElement;
    if (!parent || parent.tagName === 'BODY') return null;
    const cls = current.getAttribute('class');
    const twin = [current.previousElementSibling, current.nextElementSibling]
      .some((n) => n && n.tagName === current.tagName && n.getAttribute('class') === cls);
    if (twin) {
      const t = current.textContent;
      if (t.length > 2000 || current.querySelector('table, tr, [role=row], [role=grid], pre')) return null;
      if (EVENT_RE.test(t)) return current;
    }
    current = parent;
  }
  return null;
}

function cellsOf(row) {
  if (row.tagName === 'TR') return [...row.children];
  const roles = row.querySelectorAll('[role=cell], [role=gridcell]');
  if (roles.length) return [...roles];
  let base = row;
  while (base.childElementCount === 1) base = base.firstElementChild;
  return [...base.children];
}

function cellText(cell) {
  const shown = text(cell);
  if (shown.endsWith('…') || shown.endsWith('...')) {
    const title = cell.getAttribute('title') ?? cell.querySelector('[title]')?.getAttribute('title');
    if (title) return fold(title);
  }
  return shown;
}

function readMailgun(doc, url) {
  const pageDomain = SENDING.find((d) => url.includes(`/domains/${d}/`)) ?? null;
  const found = doc.evaluate(".//text()[contains(., '@')]", doc.body, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const events = [];
  let last = null;
  for (let i = 0; i < found.snapshotLength; i++) {
    const el = found.snapshotItem(i).parentElement;
    if (!el || el.closest('pre, code, textarea, script, style, template, head')) continue;
    const row = el.closest('tr, [role=row]') ?? genericRow(el);
    if (!row || row === last) continue;
    last = row;
    const texts = cellsOf(row).map(cellText);
    const recipients = texts.flatMap(addressesIn).filter((a) => !isSender(a));
    const eventAt = texts.findIndex((t) => EVENT_WORDS.some(([k]) => t.toLowerCase() === k));
    if (recipients.length !== 1 || eventAt < 0) continue;
    const used = new Set([eventAt, texts.findIndex((t) => t.includes('@'))]);
    const timeAt = texts.findIndex((t, j) => !used.has(j) && parseTime(t) !== null);
    if (timeAt >= 0) used.add(timeAt);
    const domainAt = texts.findIndex((t, j) => !used.has(j) && HOST.test(t));
    if (domainAt >= 0) used.add(domainAt);
    const rest = texts.map((t, j) => j).filter((j) => !used.has(j) && texts[j] !== '');
    const subjectAt = rest.find((j) => kindOf(texts[j]) !== 'other') ?? rest.find((j) => !isStatusLike(texts[j]));
    const messageAt = rest.find((j) => j !== subjectAt && isStatusLike(texts[j])) ?? rest.find((j) => j !== subjectAt);
    const subject = subjectAt === undefined ? null : texts[subjectAt];
    const message = messageAt === undefined || /^(-|—)$/.test(texts[messageAt]) ? null : texts[messageAt];
    events.push({
      recipient: recipients[0],
      recipientKey: recipients[0].trim().toLowerCase(),
      outcome: outcomeOf(texts[eventAt], message),
      eventShown: texts[eventAt],
      timestamp: timeAt >= 0 ? parseTime(texts[timeAt]) : null,
      timeShown: timeAt >= 0 ? texts[timeAt] : null,
      domain: domainAt >= 0 ? texts[domainAt].toLowerCase() : pageDomain,
      subject,
      kind: subject ? kindOf(subject) : 'other',
      message,
      code: message?.match(/^(\d{3})\b/)?.[1] ?? null,
    });
  }
  return events;
}
