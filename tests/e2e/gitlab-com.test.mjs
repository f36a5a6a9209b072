// End-to-end: the handbook as it stands today (issue 22). The cause-1 plan offers the one-time
// sign-in link; the link to GitLab.com is read from the admin (Uid, the GitLab Groups tab);
// GitLab.com's admin users pages are a third source, and every new finding shows in the banner
// and in the popup; the content script runs on GitLab.com's admin users paths and nowhere else
// on gitlab.com.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bannerUntil, fixture, launch, popupUntil, serveFixtures, sourcesSettled } from '../../scripts/lib/browser.mjs';
import { GITLAB_MOCK, serveMocks } from '../../scripts/lib/mocks.mjs';

const OUT = join(ROOT, 'demo-out');
mkdirSync(OUT, { recursive: true });
const ids = (b) => b.findings.map((f) => f.id);
const planIds = (b) => b.plan.map((p) => p.id);
const SIGN_IN_DOCS = 'https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal';

async function hasHost(page, ms = 1500) {
  try {
    await page.locator('#cdot-triage-host').waitFor({ state: 'attached', timeout: ms });
    return true;
  } catch {
    return false;
  }
}

describe('GitLab.com as the third source, and the handbook as it stands today', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  const open = async (id) => {
    const page = await browser.context.newPage();
    await page.goto(fixture(id).url);
    return page;
  };
  const until = (page, check, what) => bannerUntil(page, browser.extensionId, check, what);
  const has = (id) => (b) => b.findings.some((f) => f.id === id);
  const popup = async (email) => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent(email)}`);
    return page;
  };

  test('the content script runs on GitLab.com\'s admin users paths only', async () => {
    const page = await browser.context.newPage();
    for (const url of [
      'https://gitlab.com/dashboard',
      'https://gitlab.com/admin/projects',
      'https://gitlab.com/admin/users_statistics',
      'https://gitlab.com/lvogt',
      'https://gitlab.com/users/sign_in',
    ]) {
      await page.goto(url);
      assert.equal(await hasHost(page), false, `${url} got a banner`);
    }
    // Control: the same wait sees it on the admin users paths.
    for (const id of ['gitlab-com-user-lena', 'gitlab-com-search-nobody']) {
      await page.goto(fixture(id).url);
      assert.equal(await hasHost(page), true, `${id} has no banner`);
    }
    await page.close();
  });

  test('a GitLab.com user page: the facts, and gitlab-com-account tied to the linked CustomersDot account', async () => {
    const admin = await open('ra3-customer-confirmed');
    const page = await open('gitlab-com-user-lena');
    // Once the admin tab's account (its Uid) is in the store too: the banner says the link.
    const linked = (x) => x.findings.some((f) => f.id === 'gitlab-com-account' && /linked to/.test(f.explanation ?? ''));
    const b = await until(page, linked, 'gitlab-com-account with the link');
    assert.equal(b.subject, 'lena.vogt@alpenrad-logistik.de');
    assert.equal(b.facts['gitlab-id'], '9136542');
    assert.equal(b.facts['gitlab-username'], 'lvogt');
    assert.equal(b.facts['gitlab-state'], 'active, not locked');
    assert.equal(b.facts['gitlab-email'], 'lena.vogt@alpenrad-logistik.de (primary, verified)');
    assert.equal(b.facts['gitlab-last-sign-in-at'], '2026-11-20 09:58 UTC');
    const info = b.findings.find((f) => f.id === 'gitlab-com-account');
    assert.equal(info.title, 'GitLab.com account @lvogt (#9136542): active');
    assert.match(info.explanation, /It is the account the Customers Portal account is linked to\./);
    assert.match(info.explanation, /bypass Mailgun's suppression lists/);
    assert.deepEqual(info.steps.map((s) => s.href), ['https://gitlab.com/admin/users/lvogt']);
    assert.ok(!has('linked-account-email-differs')(b));
    // The admin tab (Uid 9136542, the same address) shows the GitLab.com account too.
    const a = await until(admin, has('gitlab-com-account'), 'the GitLab.com account on the admin tab');
    assert.ok(!has('account-unlinked')(a));
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'gitlab-com-user.banner.png') });
    await admin.close();
    await page.close();
  });

  test('linked-account-email-differs: the Uid names a GitLab.com user with another address (older markup)', async () => {
    const admin = await open('ra3-customer-reconfirmation');
    const gitlab = await open('gitlab-com-user-daniel-old');
    const b = await until(admin, has('linked-account-email-differs'), 'linked-account-email-differs');
    const f = b.findings.find((x) => x.id === 'linked-account-email-differs');
    assert.equal(f.severity, 'problem');
    assert.match(f.explanation, /daniel\.okafor@brightwave-media\.com is linked \(“Uid” 11873402\) to the GitLab\.com user @dokafor \(#11873402\), whose primary email is daniel@okafor-studio\.example/);
    assert.deepEqual(f.steps.map((s) => s.id), ['change-linked-account', 'edit-account-email', 'gitlab-com-admin-user']);
    assert.equal(f.steps[1].href, 'https://customers.gitlab.com/admin/customer/5021/edit');
    assert.ok(planIds(b).includes('change-linked-account') && planIds(b).includes('edit-account-email'), JSON.stringify(b.plan));
    // The GitLab.com tab is about the Customers Portal account linked to this user (by its Uid).
    const g = await until(gitlab, has('linked-account-email-differs'), 'the same finding on the GitLab.com tab');
    assert.equal(g.subject, 'daniel.okafor@brightwave-media.com');
    assert.equal(g.facts['gitlab-secondary-email'], 'd.okafor@brightwave.studio (secondary)');
    const p = await popup('daniel.okafor@brightwave-media.com');
    const found = await popupUntil(p, (x) => x.findings.some((y) => y.id === 'linked-account-email-differs'), 'the finding in the popup');
    // The popup's observed list is the address's own; the linked user (another address) is in
    // the finding's evidence.
    const differs = found.findings.find((y) => y.id === 'linked-account-email-differs');
    assert.ok(differs.evidence.some((e) => e.includes('@dokafor') && e.includes('daniel@okafor-studio.example')), JSON.stringify(differs.evidence));
    assert.ok(found.links.some((l) => l.id === 'gitlab-com-search'
      && l.href === 'https://gitlab.com/admin/users?search_query=daniel.okafor%40brightwave-media.com'));
    for (const page of [admin, gitlab, p]) await page.close();
  });

  test('gitlab-com-account-locked says which state; GitLab.com sign-in is not offered', async () => {
    const admin = await open('ra3-customer-locked');
    const gitlab = await open('gitlab-com-search-sofia');
    const b = await until(admin, has('gitlab-com-account-locked'), 'gitlab-com-account-locked');
    const f = b.findings.find((x) => x.id === 'gitlab-com-account-locked');
    assert.equal(f.title, 'GitLab.com account is blocked and locked (too many failed sign-ins)');
    assert.deepEqual(f.steps.map((s) => s.id), ['gitlab-com-admin-user', 'one-time-sign-in-link']);
    assert.ok(!planIds(b).includes('sign-in-with-gitlab-com'), JSON.stringify(b.plan));
    const g = await until(gitlab, has('gitlab-com-account-locked'), 'the finding on the search page');
    assert.deepEqual(g.rows.map((r) => [r.id, r.email, r.hints]), [['12650388', 'sofia.lindqvist@fjordline-systems.se', ['blocked', 'locked (too many failed sign-ins)']]]);
    const p = await popup('sofia.lindqvist@fjordline-systems.se');
    await popupUntil(p, (x) => x.findings.some((y) => y.id === 'gitlab-com-account-locked'), 'the finding in the popup');
    for (const page of [admin, gitlab, p]) await page.close();
  });

  test('account-unlinked and no-gitlab-com-account: the one-time link, then link the account', async () => {
    const admin = await open('ra3-customer-unlinked');
    const b = await until(admin, has('account-unlinked'), 'account-unlinked');
    const f = b.findings.find((x) => x.id === 'account-unlinked');
    assert.equal(f.title, 'Account is not linked to a GitLab.com account');
    assert.match(f.evidence[0], /^“Uid” on the account page: absent \(blank\)/);
    assert.deepEqual(f.steps.map((s) => [s.id, s.href]), [
      ['one-time-sign-in-link', SIGN_IN_DOCS],
      ['link-gitlab-com-account', 'https://docs.gitlab.com/subscriptions/customers_portal/#link-a-gitlabcom-account'],
    ]);
    assert.equal(b.facts.uid, 'blank (not shown)');
    assert.match(b.verdict, /^The account is not linked to GitLab\.com: ask the customer to sign in with a one-time sign-in link, then link their GitLab\.com account/);
    // Its GitLab Groups tab: no namespace, evidence too.
    const tab = await open('ra3-customer-gitlab-groups-unlinked');
    const t = await until(tab, has('account-unlinked'), 'the diagnosis on the GitLab Groups tab');
    assert.match(t.note, /^Customer #5023 GitLab Groups tab: no namespace listed/);
    const unlinked = t.findings.find((x) => x.id === 'account-unlinked');
    assert.ok(unlinked.evidence.some((e) => e.startsWith('The account\'s GitLab Groups tab: no namespace listed')), JSON.stringify(unlinked.evidence));
    // GitLab.com's search for the address: no user.
    const search = await open('gitlab-com-search-nobody');
    const s = await until(search, has('no-gitlab-com-account'), 'no-gitlab-com-account');
    assert.equal(s.note, 'GitLab.com user search “ines.moreau@lumen-optique.example”: no users found');
    const none = s.findings.find((x) => x.id === 'no-gitlab-com-account');
    assert.equal(none.severity, 'warning');
    assert.equal(none.title, 'No GitLab.com account with this address');
    const p = await popup('ines.moreau@lumen-optique.example');
    const found = await popupUntil(p, (x) => ['account-unlinked', 'no-gitlab-com-account'].every((id) => x.findings.some((y) => y.id === id)), 'both findings in the popup');
    assert.ok(found.plan.indexOf('one-time-sign-in-link') < found.plan.indexOf('link-gitlab-com-account'), JSON.stringify(found.plan));
    for (const page of [admin, tab, search, p]) await page.close();
  });

  test('no-gitlab-com-account lists the similar users the search showed', async () => {
    const search = await open('gitlab-com-search-nakamura');
    const b = await until(search, has('no-gitlab-com-account'), 'no-gitlab-com-account');
    const f = b.findings.find((x) => x.id === 'no-gitlab-com-account');
    assert.equal(f.title, 'Likely no GitLab.com account with this address');
    assert.ok(f.evidence.some((e) => e.startsWith('Similar GitLab.com user @takeshi.nakamura (#13377021) “Takeshi Nakamura”: takeshi.nakamura@kitsune-robotics.co.jp')), JSON.stringify(f.evidence));
    assert.ok(f.evidence.some((e) => e.includes('tnakamura@mailbox.example (deactivated)')), JSON.stringify(f.evidence));
    assert.deepEqual(f.steps.map((s) => s.href), ['https://gitlab.com/admin/users/takeshi.nakamura', 'https://gitlab.com/admin/users/tnakamura']);
    assert.deepEqual(b.rows.map((r) => r.id), ['13377021', '8802214']);
    await search.close();
  });

  test('handbook cause 1 today: the one-time sign-in link first, and the GitLab.com account that got the reset', async () => {
    const admin = await open('ra3-customer-unconfirmed');
    const gitlabLogs = await open('mailgun-old-logs-gitlab-com-priya');
    const cdotLogs = await open('mailgun-old-logs-customers-priya');
    const users = await open('gitlab-com-search-priya');
    const b = await until(admin, (x) => has('gitlab-com-account')(x) && x.findings.some((f) => f.id === 'reset-requested-on-gitlab-com' && !/likely/i.test(f.title)), 'cause 1 with the GitLab.com account');
    const reset = b.findings.find((f) => f.id === 'reset-requested-on-gitlab-com');
    assert.deepEqual(reset.steps.map((s) => [s.id, s.href]), [['one-time-sign-in-link', SIGN_IN_DOCS]]);
    assert.match(reset.steps[0].label, /^One-time sign-in link/);
    assert.ok(planIds(b).includes('one-time-sign-in-link'), JSON.stringify(b.plan));
    assert.ok(!b.plan.some((p) => /password reset/i.test(p.label)), JSON.stringify(b.plan));
    const info = b.findings.find((f) => f.id === 'gitlab-com-account');
    assert.match(info.explanation, /went to this real GitLab\.com account/);
    const p = await popup('Priya.Raman@northwind-analytics.io');
    const found = await popupUntil(p, (x) => x.findings.some((y) => y.id === 'gitlab-com-account') && x.plan.includes('one-time-sign-in-link'), 'cause 1 in the popup');
    assert.ok(!found.plan.includes('password-reset'));
    for (const page of [admin, gitlabLogs, cdotLogs, users, p]) await page.close();
  });
});

// The popup's optional look-up of GitLab.com's users API with the engineer's own token
// (mocked for https://gitlab.com/api/v4/ by scripts/lib/mocks.mjs).
describe('the GitLab.com users API look-up', () => {
  let browser;
  let seen;
  const requested = [];
  before(async () => {
    browser = await launch({ grantedOrigins: ['https://customers.gitlab.com/*', 'https://gitlab.com/api/v4/*'] });
    browser.context.on('request', (r) => requested.push(r.url()));
    await serveFixtures(browser.context);
    seen = await serveMocks(browser.context);
  });
  after(() => browser?.close());

  const setStorage = (values) => browser.worker.evaluate(async (v) => {
    await chrome.storage.local.clear();
    await chrome.storage.session.clear();
    await chrome.storage.local.set(v);
  }, values);
  const popup = async (email) => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent(email)}`);
    return page;
  };
  const ON = { settings: { gitlabLookup: true, lookupTimeoutSeconds: 3 } };

  test('an administrator\'s token: the search, the linked user by its Uid, the token only to the API', async () => {
    await setStorage({ ...ON, gitlabToken: GITLAB_MOCK.adminToken });
    seen.length = 0;
    const admin = await browser.context.newPage();
    await admin.goto(fixture('ra3-customer-reconfirmation').url); // 5021, Uid 11873402
    await bannerUntil(admin, browser.extensionId, (b) => b.subject === 'daniel.okafor@brightwave-media.com', 'the account page');
    const page = await popup('daniel.okafor@brightwave-media.com');
    const p = await popupUntil(page, (x) => sourcesSettled(x) && x.findings.some((f) => f.id === 'linked-account-email-differs'), 'the look-up\'s findings');
    assert.equal(p.sources['gitlab-com'].state, 'done', JSON.stringify(p.sources));
    assert.equal(p.sources['gitlab-com'].text, 'No GitLab.com user with daniel.okafor@brightwave-media.com.');
    const ids = p.findings.map((f) => f.id);
    assert.ok(ids.includes('no-gitlab-com-account') && ids.includes('gitlab-com-account'), ids.join());
    assert.ok(p.observed.some((o) => o.kind === 'gitlab-com-search'));
    assert.deepEqual(seen.map((r) => new URL(r.url).pathname), ['/api/v4/user', '/api/v4/users', '/api/v4/users/11873402']);
    assert.ok(seen.every((r) => r.authorization === `Bearer ${GITLAB_MOCK.adminToken}`));
    assert.ok(!p.html.includes(GITLAB_MOCK.adminToken), 'the token is never shown');
    // The open admin tab's banner gets what the popup found.
    await bannerUntil(admin, browser.extensionId, (b) => b.findings.some((f) => f.id === 'linked-account-email-differs'), 'the popup\'s evidence in the banner');
    const hosts = new Set(requested.map((u) => new URL(u).host));
    for (const host of hosts) assert.ok([browser.extensionId, 'customers.gitlab.com', 'gitlab.com'].includes(host), `a request to ${host}`);
    const apiPaths = requested.filter((u) => new URL(u).host === 'gitlab.com').map((u) => new URL(u).pathname);
    assert.ok(apiPaths.every((path) => path.startsWith('/api/v4/')), apiPaths.join());
    await Promise.all([page.close(), admin.close()]);
  });

  test('a blocked and locked user through the API: gitlab-com-account-locked', async () => {
    await setStorage({ ...ON, gitlabToken: GITLAB_MOCK.adminToken });
    const page = await popup('sofia.lindqvist@fjordline-systems.se');
    const p = await popupUntil(page, (x) => sourcesSettled(x) && x.findings.some((f) => f.id === 'gitlab-com-account-locked'), 'the locked account');
    assert.equal(p.sources['gitlab-com'].text, '@sofia.lindqvist (#12650388) has the address (blocked, locked (too many failed sign-ins)).');
    await page.close();
  });

  test('a token that is no administrator\'s, a rejected token, a rate limit: each says what it means', async () => {
    await setStorage({ ...ON, gitlabToken: GITLAB_MOCK.userToken });
    let page = await popup('Priya.Raman@northwind-analytics.io');
    let p = await popupUntil(page, sourcesSettled, 'the look-up settled');
    assert.equal(p.sources['gitlab-com'].state, 'failed');
    assert.match(p.sources['gitlab-com'].text, /^The token is not a GitLab\.com administrator's: GitLab\.com shows no email addresses to it/);
    assert.ok(!p.findings.some((f) => f.id === 'no-gitlab-com-account'), 'nothing claimed from a search without emails');
    await page.close();

    await setStorage({ ...ON, gitlabToken: 'glpat-revoked' });
    page = await popup('Priya.Raman@northwind-analytics.io');
    p = await popupUntil(page, sourcesSettled, 'the look-up settled');
    assert.match(p.sources['gitlab-com'].text, /^GitLab\.com rejected the token \(401\)/);
    await page.close();

    const limited = await launch({ grantedOrigins: ['https://gitlab.com/api/v4/*'] });
    try {
      await serveMocks(limited.context, { gitlab: { mode: 'rate-limit' } });
      await limited.worker.evaluate((v) => chrome.storage.local.set(v), { ...ON, gitlabToken: GITLAB_MOCK.adminToken });
      const other = await limited.context.newPage();
      await other.goto(`chrome-extension://${limited.extensionId}/popup.html?email=${encodeURIComponent('Priya.Raman@northwind-analytics.io')}`);
      const q = await popupUntil(other, sourcesSettled, 'the look-up settled');
      assert.match(q.sources['gitlab-com'].text, /^gitlab\.com is rate limiting \(429\)/);
    } finally {
      await limited.close();
    }
  });

  test('off until switched on, and without the host permission it says so', async () => {
    await setStorage({ settings: {}, gitlabToken: GITLAB_MOCK.adminToken });
    seen.length = 0;
    let page = await popup('Priya.Raman@northwind-analytics.io');
    let p = await popupUntil(page, sourcesSettled, 'the sources');
    assert.equal(p.sources['gitlab-com'].state, 'off');
    assert.match(p.sources['gitlab-com'].text, /^Off: turn on the GitLab\.com look-up/);
    await page.close();
    await setStorage({ ...ON });
    page = await popup('Priya.Raman@northwind-analytics.io');
    p = await popupUntil(page, sourcesSettled, 'the sources');
    assert.equal(p.sources['gitlab-com'].text, 'Off: no GitLab.com token saved in the options.');
    await page.close();
    assert.equal(seen.length, 0, 'no request while it is off');
  });
});

describe('the GitLab.com token in the options', () => {
  let browser;
  before(async () => {
    // The API's origin allowed beforehand: the browser answers the request without a prompt.
    browser = await launch({ grantedOrigins: ['https://gitlab.com/api/v4/*'] });
  });
  after(() => browser?.close());
  const local = () => browser.worker.evaluate(() => chrome.storage.local.get(null));

  test('switched on, saved in storage.local only, never shown back, removed; its host given back', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.waitForFunction(() => document.querySelector('#adminHost').value !== '');
    assert.equal(await page.textContent('#tokenState'), 'No token saved');
    await page.check('#gitlabLookup');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Allowed'));
    assert.equal(await page.textContent('#status'), 'Allowed to reach https://gitlab.com/api/v4/*. Save to keep the look-up on.');
    await page.fill('#gitlabToken', 'glpat has spaces');
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Not saved'));
    assert.equal(await page.textContent('#status'), 'Not saved: that does not look like a GitLab.com personal access token.');
    await page.fill('#gitlabToken', GITLAB_MOCK.adminToken);
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Saved.');
    const saved = await local();
    assert.equal(saved.gitlabToken, GITLAB_MOCK.adminToken);
    assert.equal(saved.settings.gitlabLookup, true);
    assert.equal(JSON.stringify(saved.settings).includes(GITLAB_MOCK.adminToken), false, 'not in the settings the banners get');
    assert.equal(await browser.worker.evaluate(() => chrome.storage.sync.get(null)).then((s) => Object.keys(s).length), 0);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#tokenState').textContent !== '');
    assert.equal(await page.textContent('#tokenState'), `A token is saved (${GITLAB_MOCK.adminToken.length} characters, hidden)`);
    assert.equal(await page.inputValue('#gitlabToken'), '');
    assert.ok(!(await page.content()).includes(GITLAB_MOCK.adminToken));
    await page.click('[data-action=remove-token]');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'The GitLab.com token was removed.');
    assert.equal((await local()).gitlabToken, undefined);
    await page.uncheck('#gitlabLookup');
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Saved.');
    assert.equal(await browser.worker.evaluate(() => chrome.permissions.contains({ origins: ['https://gitlab.com/api/v4/*'] })), false);
    await page.close();
  });
});
