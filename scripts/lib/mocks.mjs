// Live mocks for the popup's look-ups, served for the real hosts by request interception:
// Mailgun's Events and Suppressions APIs (data: www/api.mailgun.net/mock.json, format in the
// README beside it), GitLab.com's users API (www/gitlab.com/api/v4/mock.json) and the
// CustomersDot admin's session (signed in: the www/ fixtures;
// signed out: every admin page redirects to the sign-in page, as Devise does).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, fixtures, respond } from './fixtures.mjs';
import { launch } from './browser.mjs';

export const MOCK = JSON.parse(readFileSync(join(WWW, 'api.mailgun.net', 'mock.json'), 'utf8'));
export const GITLAB_MOCK = JSON.parse(readFileSync(join(WWW, 'gitlab.com', 'api', 'v4', 'mock.json'), 'utf8'));

const json = (status, body) => ({ status, contentType: 'application/json', headers: {}, body: Buffer.from(JSON.stringify(body)) });

/** RFC 2822 as Mailgun writes `created_at`. */
const rfc2822 = (date) => date.toUTCString().replace('GMT', 'UTC');

/**
 * The mock's answer to one API request: { status, contentType, headers, body }, or
 * { hang: true } / { abort: true } for the failure modes.
 * `mode`: undefined | 'rate-limit' | 'server-error' | 'hang' | 'offline'.
 */
export function mailgunApi(href, headers, { mode, now = Date.now() / 1000 } = {}) {
  if (mode === 'offline') return { abort: true };
  if (mode === 'hang') return { hang: true };
  if (mode === 'rate-limit') return json(429, { message: 'Too Many Requests' });
  if (mode === 'server-error') return json(502, { message: 'Bad Gateway' });
  const expected = `Basic ${Buffer.from(`api:${MOCK.apiKey}`).toString('base64')}`;
  if (headers.authorization !== expected) {
    return { status: 401, contentType: 'text/plain', headers: {}, body: Buffer.from('Forbidden') };
  }
  const url = new URL(href);
  const [, v3, domainName, what, ...rest] = url.pathname.split('/').map(decodeURIComponent);
  const domain = MOCK.domains[domainName];
  if (v3 !== 'v3' || !domain) return json(404, { message: `Domain not found: ${domainName}` });
  if (['bounces', 'unsubscribes', 'complaints'].includes(what) && rest.length === 1) {
    const entry = domain.suppressions[what].find((e) => e.address.toLowerCase() === rest[0].toLowerCase());
    if (!entry) return json(404, { message: `Address not found in ${what} table` });
    const { createdAgo, ...fields } = entry;
    return json(200, { ...fields, created_at: rfc2822(new Date((now - createdAgo) * 1000)) });
  }
  if (what !== 'events') return json(404, { message: 'Not found' });
  // The first page's query, or the one a paging token carries.
  const query = rest.length ? JSON.parse(Buffer.from(rest[0], 'base64url').toString()) : {
    recipient: url.searchParams.get('recipient'),
    begin: Number(url.searchParams.get('begin') ?? 0),
    end: Number(url.searchParams.get('end') ?? now),
    ascending: url.searchParams.get('ascending'),
    offset: 0,
  };
  const [lo, hi] = [Math.min(query.begin, query.end), Math.max(query.begin, query.end)];
  const descending = query.ascending === 'no' || (query.ascending == null && query.begin > query.end);
  const items = domain.events
    .map(({ ago, ...item }) => ({ ...item, timestamp: now - ago }))
    .filter((i) => !query.recipient || i.recipient.toLowerCase() === query.recipient.toLowerCase())
    .filter((i) => i.timestamp >= lo && i.timestamp <= hi)
    .sort((a, b) => (descending ? b.timestamp - a.timestamp : a.timestamp - b.timestamp));
  const page = items.slice(query.offset, query.offset + MOCK.pageSize);
  const token = (q) => Buffer.from(JSON.stringify(q)).toString('base64url');
  const base = `${url.origin}/v3/${domainName}/events/`;
  return json(200, {
    items: page,
    paging: {
      next: base + token({ ...query, offset: query.offset + page.length }),
      previous: base + token({ ...query, offset: Math.max(0, query.offset - MOCK.pageSize) }),
      first: base + token({ ...query, offset: 0 }),
      last: base + token({ ...query, offset: Math.max(0, items.length - MOCK.pageSize) }),
    },
  });
}

/**
 * GitLab.com's users API (www/gitlab.com/api/v4/mock.json): `GET /api/v4/user`, `/users?search=`
 * (an administrator's search: primary or confirmed secondary email exactly, or a name or
 * username loosely), `/users/:id`. The administrator's token sees emails; the other token's
 * answers have none (and no `is_admin`), as GitLab's entities for a non-admin. `mode` as for
 * Mailgun's mock.
 */
export function gitlabApi(href, headers, { mode } = {}) {
  if (mode === 'offline') return { abort: true };
  if (mode === 'hang') return { hang: true };
  if (mode === 'rate-limit') return json(429, { message: 'Retry later' });
  if (mode === 'forbidden') return json(403, { error: 'insufficient_scope' });
  const token = (headers.authorization ?? '').replace(/^Bearer /, '');
  const admin = token === GITLAB_MOCK.adminToken;
  if (!admin && token !== GITLAB_MOCK.userToken) return json(401, { message: '401 Unauthorized' });
  const url = new URL(href);
  const shown = (u) => {
    const { _secondary, email, confirmed_at, current_sign_in_at, last_sign_in_at, sign_in_count, identities, note, is_admin, ...basic } = u;
    return admin ? { ...basic, email, confirmed_at, current_sign_in_at, last_sign_in_at, sign_in_count, identities, note, is_admin } : { id: u.id, username: u.username, name: u.name, state: u.state, locked: u.locked, avatar_url: u.avatar_url, web_url: u.web_url };
  };
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/api/v4/user') return json(200, admin ? GITLAB_MOCK.admin : GITLAB_MOCK.user);
  if (path === '/api/v4/users') {
    const q = (url.searchParams.get('search') ?? '').toLowerCase();
    const found = GITLAB_MOCK.users.filter((u) => (admin && [u.email, ...u._secondary].some((e) => e.toLowerCase() === q))
      || (q.length >= 3 && !q.includes('@') && (u.name.toLowerCase().includes(q) || u.username.toLowerCase().includes(q))));
    return json(200, found.map(shown));
  }
  const byId = path.match(/^\/api\/v4\/users\/(\d+)$/);
  if (byId) {
    const user = GITLAB_MOCK.users.find((u) => String(u.id) === byId[1]);
    return user ? json(200, shown(user)) : json(404, { message: '404 User Not Found' });
  }
  return json(404, { message: '404 Not Found' });
}

/**
 * The admin's answer: the www/ fixture for the URL, a search matched case-insensitively on its
 * query (RailsAdmin's search is), or, signed out, a redirect to the sign-in page.
 */
export function admin(href, { signedOut = false } = {}) {
  const url = new URL(href);
  if (signedOut && url.pathname.startsWith('/admin')) {
    return { status: 302, contentType: 'text/html', headers: { location: `${url.origin}/customers/sign_in` }, body: Buffer.from('') };
  }
  const query = url.pathname === '/admin/customer' ? url.searchParams.get('query') : null;
  if (query) {
    const same = fixtures().find((f) => {
      const u = new URL(f.url);
      return u.host === url.host && u.pathname === url.pathname && [...u.searchParams.keys()].join() === 'query'
        && u.searchParams.get('query').toLowerCase() === query.toLowerCase();
    });
    if (same) return respond(same.url);
  }
  return respond(href);
}

/**
 * Routes the API hosts to the Mailgun mock and the admin host to the admin mock. Returns the
 * list of API requests seen ({ url, authorization }) for assertions.
 */
export async function serveMocks(context, { mailgun = {}, adminSession = {}, gitlab = {} } = {}) {
  const seen = [];
  for (const host of ['api.mailgun.net', 'api.eu.mailgun.net']) {
    await context.route(`https://${host}/**`, (route) => {
      const request = route.request();
      seen.push({ url: request.url(), authorization: request.headers().authorization ?? null });
      const answer = mailgunApi(request.url(), request.headers(), typeof mailgun === 'function' ? mailgun(request.url()) : mailgun);
      if (answer.abort) return route.abort('internetdisconnected');
      if (answer.hang) return undefined; // never answered: the popup's timeout fires
      return route.fulfill(answer);
    });
  }
  await context.route('https://customers.gitlab.com/**', (route) => route.fulfill(admin(route.request().url(), adminSession)));
  // GitLab.com's API only (its admin pages stay the www/ fixtures, when served).
  await context.route('https://gitlab.com/api/v4/**', (route) => {
    const request = route.request();
    seen.push({ url: request.url(), authorization: request.headers().authorization ?? null });
    const answer = gitlabApi(request.url(), request.headers(), typeof gitlab === 'function' ? gitlab(request.url()) : gitlab);
    if (answer.abort) return route.abort('internetdisconnected');
    if (answer.hang) return undefined;
    return route.fulfill(answer);
  });
  return seen;
}

/**
 * Chromium with the extension as an engineer leaves it after switching every live look-up on:
 * the look-ups' hosts granted, the mocks serving them, the mock's API key saved as the options
 * page would. Returns what `launch` returns. (The demo's popup and the store screenshots.)
 */
export async function launchWithLookups() {
  const browser = await launch({
    headless: true, grantedOrigins: ['https://customers.gitlab.com/*', 'https://api.mailgun.net/*', 'https://gitlab.com/api/v4/*'],
  });
  await serveMocks(browser.context);
  await browser.worker.evaluate((v) => chrome.storage.local.set(v), {
    settings: { adminLookup: true, mailgunLookup: true, gitlabLookup: true }, mailgunApiKey: MOCK.apiKey,
    gitlabToken: GITLAB_MOCK.adminToken,
  });
  return browser;
}
