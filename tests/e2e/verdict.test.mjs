// End-to-end: the banner answers where the engineer starts (issue 14): a search page diagnoses
// (an exact address with no rows, with its one row; a name whose rows look like one person),
// the verdict comes first with one ordered plan, the evidence is one click or key away, and
// "Copy internal note" copies the Markdown note for the ticket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bannerFrame, bannerUntil, fixture, launch, popupUntil, readBanner, serveFixtures, visitFixture } from '../../scripts/lib/browser.mjs';

const OUT = join(ROOT, 'demo-out');
mkdirSync(OUT, { recursive: true });
const SHOW = 'https://customers.gitlab.com/admin/customer/';
const ids = (b) => b.findings.map((f) => f.id);
const planIds = (b) => b.plan.map((p) => p.id);

/** The contract: `[data-verdict]` before the first `[data-finding]`, the plan's items linked. */
async function checkContract(frame) {
  return frame.evaluate(() => {
    const verdict = document.querySelector('[data-verdict]');
    const first = document.querySelector('[data-finding]');
    const plan = document.querySelector('ol[data-plan]');
    return {
      verdictFirst: !!verdict && !!first && !!(verdict.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING),
      planItemsLinked: !plan || [...plan.children].every((li) => li.tagName === 'LI' && li.querySelector('a[data-step][href^="https://"]')),
      note: document.querySelectorAll('[data-copy="internal-note"]').length,
    };
  });
}

describe('search pages diagnose, the verdict first', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    await browser.context.grantPermissions(['clipboard-read'], { origin: 'https://customers.gitlab.com' });
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  const visit = (id) => visitFixture(page, browser.extensionId, id);

  test('a search for an exact address with no rows: no account, and where to look next', async () => {
    const b = await visit('ra3-customer-search-no-account');
    assert.equal(b.subject, 'ravi.k@tallgrass.example');
    assert.equal(b.note, 'Search “ravi.k@tallgrass.example”: no records found');
    assert.deepEqual(ids(b), ['no-account', 'missing-evidence']);
    assert.equal(b.verdict, 'There is no Customers Portal account for this address: ask the customer which address they used');
    assert.deepEqual(planIds(b), ['admin-search-local-part', 'mailgun-logs-customers.gitlab.com', 'mailgun-logs-mg.gitlab.com']);
    assert.equal(b.plan[0].href, 'https://customers.gitlab.com/admin/customer?query=ravi.k');
    const noAccount = b.findings[0];
    assert.match(noAccount.explanation, /ask the customer which address they used/);
    assert.deepEqual(noAccount.evidence, [`Admin Customer search for “ravi.k@tallgrass.example”: no records found (total 0) (seen ${noAccount.evidence[0].match(/seen (.*)\)$/)[1]})`]);
    const frame = await bannerFrame(page, browser.extensionId);
    assert.deepEqual(await checkContract(frame), { verdictFirst: true, planItemsLinked: true, note: 1 });
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'search-no-account.banner.png') });
  });

  test('a search for an exact address with its one row: the columns are evidence, its Show page for the rest', async () => {
    const b = await visit('ra3-customer-search-one-row');
    assert.equal(b.subject, 'Amara.Okoye@baobab-labs.example');
    assert.deepEqual(ids(b), ['account-unconfirmed', 'missing-evidence']);
    assert.equal(b.verdict, 'The account is not confirmed: resend the confirmation email');
    const unconfirmed = b.findings[0];
    assert.equal(unconfirmed.title, 'Account is not confirmed');
    assert.match(unconfirmed.evidence[0], /^“Confirmed at” column of the admin search “Amara\.Okoye@baobab-labs\.example” \(row #6201\): blank/);
    const missing = b.findings[1];
    assert.deepEqual(missing.steps[0], {
      id: 'open-account-show', href: `${SHOW}6201`, label: 'Open the account\'s Show tab (the fields the search does not show)',
    });
    assert.deepEqual(planIds(b), ['resend-confirmation', 'open-account-show', 'mailgun-logs-customers.gitlab.com', 'mailgun-logs-mg.gitlab.com']);
    // The row is still listed, linked to its Show page.
    assert.deepEqual(b.rows.map((r) => [r.id, r.href, r.hints]), [['6201', `${SHOW}6201`, ['not confirmed']]]);
  });

  test('a search by name whose rows look like one person: a similar-accounts warning naming the group', async () => {
    const b = await visit('ra3-customer-search-name');
    assert.equal(b.subject, null);
    assert.equal(b.note, 'Search “dlamini”: 5 customers');
    assert.deepEqual(ids(b), ['similar-accounts']);
    const f = b.findings[0];
    assert.equal(f.severity, 'warning');
    assert.equal(f.title, '4 accounts that look like one person');
    assert.match(f.explanation, /\[lindiwe_dlamini@ubuntu-freight\.example, Lindiwe\.Dlamini@ubuntu-freight\.example, lindiwe\.dlamini\+billing@ubuntu-freight\.example, lindiwe\.dlamini@kgotla-mail\.example\]/);
    assert.doesNotMatch(f.explanation, /sipho/);
    assert.match(f.explanation, /Ask the customer which address they sign in with/);
    assert.deepEqual(f.steps.map((s) => [s.id, s.href]), [
      ['candidate-6301', `${SHOW}6301`], ['candidate-6302', `${SHOW}6302`], ['candidate-6304', `${SHOW}6304`], ['candidate-6305', `${SHOW}6305`],
    ]);
    assert.equal(b.verdict, 'Other accounts look like the same person: ask the customer which address holds the subscription');
    assert.deepEqual(planIds(b), ['candidate-6301', 'candidate-6302', 'candidate-6304', 'candidate-6305']);
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'search-name.banner.png') });
  });

  test('the popup search gives the same answers for the same evidence', async () => {
    for (const [id, email] of [['ra3-customer-search-one-row', 'Amara.Okoye@baobab-labs.example'], ['ra3-customer-search-no-account', 'ravi.k@tallgrass.example']]) {
      const b = await visit(id);
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent(`mailto:${email}`)}`);
      const p = await popupUntil(popup, (x) => x.findings.length > 0 && x.verdict, 'the diagnosis');
      assert.deepEqual(p.findings.map((f) => f.id), ids(b), id);
      assert.deepEqual(p.findings.map((f) => f.title), b.findings.map((f) => f.title), id);
      assert.equal(p.verdict, b.verdict, id);
      assert.deepEqual(p.plan, planIds(b), id);
      assert.equal(await popup.locator('[data-copy="internal-note"]').count(), 1);
      await popup.close();
    }
  });

  test('three problems on one account: one plan ordered by what blocks what', async () => {
    // Two logs pages show t.nakamura's confirmation mail suppressed (bounce list), each in a row
    // (the same line, word for word), one also in its open details (with Mailgun's reason);
    // the 2.x Show page shows the account unconfirmed with a pending email change.
    const logs = await browser.context.newPage();
    for (const id of ['mailgun-new-logs', 'mailgun-new-logs-filtered-nakamura']) {
      await logs.goto(fixture(id).url);
      await bannerUntil(logs, browser.extensionId, (x) => 't.nakamura@kitsune-robotics.jp' in x.recipients, id);
    }
    await page.goto(fixture('ra2-customer-compact-off').url);
    const b = await bannerUntil(page, browser.extensionId, (x) => x.findings.some((f) => f.id === 'address-suppressed'), 'the stored suppression');
    assert.equal(b.subject, 't.nakamura@kitsune-robotics.jp');
    assert.deepEqual(ids(b).filter((id) => b.findings.find((f) => f.id === id).severity === 'problem'),
      ['address-suppressed', 'account-unconfirmed', 'email-unconfirmed']);
    assert.equal(b.summary, '3 problems');
    // Removing the suppression comes before resending the confirmation; what is unchecked last.
    assert.deepEqual(planIds(b).slice(0, 2), ['mailgun-logs-customers.gitlab.com', 'resend-confirmation']);
    assert.match(b.plan[0].label, /^Remove the address from the suppression list of customers\.gitlab\.com in Mailgun/);
    assert.equal(b.plan[0].href, 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs');
    assert.ok(b.plan.slice(2).every((p) => p.finding === 'missing-evidence'), JSON.stringify(b.plan));
    assert.match(b.verdict, /^The address is on a Mailgun suppression list; the account is not confirmed, and the email address is not confirmed: first remove it in Mailgun$/);
    const frame = await bannerFrame(page, browser.extensionId);
    assert.deepEqual(await checkContract(frame), { verdictFirst: true, planItemsLinked: true, note: 1 });
    // Lines that read the same are one line with a count (the same suppressed confirmation read
    // from the row and from its details was listed twice, word for word).
    const suppressed = b.findings.find((f) => f.id === 'address-suppressed');
    // The suppressed confirmation of 2026-11-21 13:37 is one line, however many times the two
    // pages showed it.
    assert.equal(suppressed.evidence.length, 1, suppressed.evidence.join('\n'));
    assert.match(suppressed.evidence[0], /^Mailgun event: confirmation mail to t\.nakamura@kitsune-robotics\.jp \(Permanent Fail.*?\): 2026-11-21 13:37 UTC · customers\.gitlab\.com \(Customers Portal mail\) · confirmation “Confirmation instructions” · suppressed \(bounce list\) · 605 Not delivering to previously bounced address/);
    assert.equal(suppressed.evidenceLabel, 'Evidence (1)');
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'verdict-three-problems.banner.png') });
    await logs.close();
  });

  test('evidence is collapsed, "Evidence (N)" opens it with the keyboard, and it stays open', async () => {
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    const frame = await bannerFrame(page, browser.extensionId);
    const finding = frame.locator('[data-finding="account-unconfirmed"]');
    const toggle = finding.locator('details.evidence > summary');
    assert.match(await toggle.textContent(), /^Evidence \(2\)$/);
    const line = finding.locator('.evidence li').first();
    assert.equal(await line.isVisible(), false, 'collapsed at first');
    assert.equal((await readBanner(frame)).findings[0].evidenceOpen, false);
    // Tab to the toggle (it is reachable), then Enter opens it, Space closes and opens again.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await frame.evaluate(() => document.activeElement?.matches('[data-finding="account-unconfirmed"] details.evidence > summary') ?? false);
    }
    assert.ok(reached, 'Tab reaches "Evidence (2)"');
    await page.keyboard.press('Enter');
    await line.waitFor({ state: 'visible' });
    assert.match(await line.textContent(), /“Confirmed at” on the account page: absent \(blank\)/);
    await page.keyboard.press(' ');
    await line.waitFor({ state: 'hidden' });
    await page.keyboard.press(' ');
    await line.waitFor({ state: 'visible' });
    // A re-render (new evidence from another tab) keeps it open; the reply stays closed.
    const other = await browser.context.newPage();
    await other.goto(fixture('mailgun-old-logs-gitlab-com-priya').url);
    await bannerUntil(page, browser.extensionId, (x) => x.findings.some((f) => f.id === 'reset-requested-on-gitlab-com'), 'the other tab\'s evidence');
    await other.close();
    const again = await readBanner(frame);
    assert.equal(again.findings.find((f) => f.id === 'account-unconfirmed').evidenceOpen, true);
    assert.equal(await frame.locator('[data-finding="account-unconfirmed"] details.reply').getAttribute('open'), null);
    // The GitLab.com reset's accepted → delivered → opened is one line with the chain.
    const reset = again.findings.find((f) => f.id === 'reset-requested-on-gitlab-com');
    const chain = reset.evidence.filter((e) => e.includes('Reset password instructions'));
    assert.equal(chain.length, 1, chain.join('\n'));
    assert.match(chain[0], /\(3 events of one message\): 2026-11-22 09:14 UTC · mg\.gitlab\.com \(GitLab\.com mail\) · password reset “Reset password instructions” · accepted → delivered · (250 )?OK \(09:14\) → opened \(09:20\)/);
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'verdict-evidence-open.banner.png') });
  });

  test('Copy internal note copies the Markdown note: verdict, plan, evidence with links, what is unchecked', async () => {
    await page.goto(fixture('ra3-customer-search-one-row').url);
    const frame = await bannerFrame(page, browser.extensionId);
    const copy = frame.locator('[data-copy="internal-note"]');
    assert.equal(await copy.textContent(), 'Copy internal note');
    await copy.click();
    await frame.getByRole('button', { name: 'Copied' }).waitFor();
    const note = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(note, /^### cdot-triage: Amara\.Okoye@baobab-labs\.example \(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\n\n\*\*Verdict:\*\* The account is not confirmed: resend the confirmation email\n/);
    assert.match(note, /\n1\. \[Resend the confirmation email\]\(<https:\/\/customers\.gitlab\.com\/customers\/confirmation\/new>\)\n/);
    assert.match(note, /\n- \*\*Problem: Account is not confirmed\*\* \(`account-unconfirmed`\): /);
    assert.match(note, /\n {2}- “Confirmed at” column of the admin search “Amara\.Okoye@baobab-labs\.example” \(row #6201\): blank; seen [^\n]+ on \[the CustomersDot admin\]\(<https:\/\/customers\.gitlab\.com\/admin\/customer\?query=Amara\.Okoye%40baobab-labs\.example>\)\n/);
    const unchecked = note.split('**Not checked**')[1];
    assert.match(unchecked, /\[Open the account's Show tab \(the fields the search does not show\)\]\(<https:\/\/customers\.gitlab\.com\/admin\/customer\/6201>\)/);
    assert.match(unchecked, /Mailgun logs: mg\.gitlab\.com/);
    // Nothing secret and no reply text in it.
    assert.doesNotMatch(note, /token|api[_-]?key|Hi,/i);
  });
});
