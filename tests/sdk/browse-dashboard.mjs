// Opens both operator pages in headless Chromium and checks what an operator would look at:
// Orleans' dashboard (/dashboard/) counts the expected silos; the insights page (/insights) shows
// every silo up with grains, throughput moving, a user's context, pattern firings, every node's
// log lines, and retries one FAILED event. Saves a screenshot of each page.
// usage: node browse-dashboard.mjs <gateway url> <silos> <user id> <uuid to retry> <insights.png> <dashboard.png>
// Prints one JSON line with what it saw; exits 1 when a check fails. Every wait has a deadline.
import { chromium } from 'playwright-core';

const [gateway, silos, user, retryUuid, insightsShot, dashboardShot] = process.argv.slice(2);
const expectedSilos = Number(silos);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const seen = {};
try {
  // Orleans' own dashboard: its overview counts the active silos.
  const orleans = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  orleans.setDefaultTimeout(60000); // navigation and clicks too: generous for a loaded machine
  await orleans.goto(`${gateway}/dashboard/`);
  await orleans.waitForFunction((n) => new RegExp(`ACTIVE SILOS\\s+${n}\\b`, 'i').test(document.body.innerText), expectedSilos, { timeout: 60000 });
  seen.orleansActiveSilos = expectedSilos;

  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  tab.setDefaultTimeout(60000);
  tab.on('pageerror', (e) => { console.log('page error:', e.message); process.exitCode = 1; });
  await tab.goto(`${gateway}/insights`);
  seen.linksToOrleans = await tab.getAttribute('#orleans-link', 'href');

  // Every silo up, with grains on them, and the gateway up.
  await tab.waitForFunction((n) => [...document.querySelectorAll('#nodes tbody tr')]
    .filter((r) => r.dataset.roles.includes('silo') && r.dataset.status === 'up'
      && Number(r.querySelector('.grains-users').textContent.replace(/,/g, '')) > 0).length >= n
    && [...document.querySelectorAll('#nodes tbody tr')].some((r) => r.dataset.roles === 'gateway' && r.dataset.status === 'up'),
  expectedSilos, { timeout: 60000 });
  seen.nodes = await tab.$$eval('#nodes tbody tr', (rows) => rows.map((r) => ({ roles: r.dataset.roles, status: r.dataset.status,
    users: r.querySelector('.grains-users').textContent, sessions: r.querySelector('.grains-sessions').textContent })));
  seen.totalGrains = await tab.textContent('#total-grains');

  // Throughput moves: the page shows at least three different non-zero readings of each rate.
  await tab.evaluate(() => {
    window.readings = { ingest: new Set(), process: new Set(), reads: new Set() };
    const note = () => {
      for (const [k, id] of [['ingest', 'ingest-rate'], ['process', 'process-rate'], ['reads', 'reads-rate']]) {
        const v = document.getElementById(id).textContent;
        if (Number(v.replace(/,/g, '')) > 0) window.readings[k].add(v);
      }
    };
    new MutationObserver(note).observe(document.getElementById('traffic-panel'), { subtree: true, childList: true, characterData: true });
  });
  await tab.waitForFunction(() => Object.values(window.readings).every((s) => s.size >= 3), null, { timeout: 60000 });
  seen.rates = await tab.evaluate(() => Object.fromEntries(Object.entries(window.readings).map(([k, s]) => [k, [...s]])));

  // Pattern firings of the last hour, with the users they fired for.
  await tab.waitForFunction(() => [...document.querySelectorAll('#patterns tbody tr')].some((r) => Number(r.dataset.count) > 0
    && r.querySelector('a[data-user]')), null, { timeout: 60000 });
  seen.patternsFired = await tab.$$eval('#patterns tbody tr', (rows) => rows.filter((r) => Number(r.dataset.count) > 0)
    .map((r) => `${r.dataset.rule}=${r.dataset.count}`));

  // Log lines from every node (both silos and the gateway).
  await tab.waitForFunction((n) => new Set([...document.querySelectorAll('#logs span')].map((s) => s.dataset.node)).size >= n,
    expectedSilos + 1, { timeout: 60000 });
  seen.logNodes = await tab.$$eval('#logs span', (spans) => [...new Set(spans.map((s) => s.dataset.node))]);

  // Two dead letters: the badge counts them and offers to retry them all.
  await tab.waitForFunction(() => !document.querySelector('#dead-letter-badge').hidden
    && document.querySelector('#dead-letter-badge').textContent === '2 dead letters', null, { timeout: 60000 });
  seen.deadLetterBadge = await tab.textContent('#dead-letter-badge');
  seen.retryAllShown = await tab.isVisible('#retry-dead-letters');

  // Retry a dead letter: the button says queued, and the row leaves the list once it is applied again.
  const retry = `button[data-retry="${retryUuid}"]`;
  await tab.waitForSelector(retry, { timeout: 60000 });
  await tab.click(retry);
  await tab.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'queued'
    || !document.querySelector(sel), retry, { timeout: 60000 });
  await tab.waitForFunction((sel) => !document.querySelector(sel), retry, { timeout: 60000 });
  seen.retried = retryUuid;
  seen.failedLeft = await tab.$$eval('#failed tbody tr[data-uuid]', (rows) => rows.length);
  await tab.waitForFunction(() => document.querySelector('#dead-letter-badge').textContent === '1 dead letter', null, { timeout: 60000 });
  seen.deadLetterBadgeAfter = await tab.textContent('#dead-letter-badge');

  // The user inspector shows what the chatbot gets and the latest session.
  await tab.fill('#user-input', user);
  await tab.click('#user-go');
  await tab.waitForSelector('#user-context li:not(.muted)', { timeout: 60000 });
  seen.userEvents = await tab.$$eval('#user-context li', (items) => items.map((li) => li.textContent));
  seen.userSession = (await tab.textContent('#user-session')).slice(0, 200);

  await tab.screenshot({ path: insightsShot, fullPage: true });

  // Orleans' dashboard has been polling all along: by now it lists the user grains' methods.
  await orleans.waitForFunction(() => document.body.innerText.includes('UserGrain'), null, { timeout: 60000 });
  await orleans.screenshot({ path: dashboardShot });

  seen.ok = seen.nodes.filter((n) => n.roles.includes('silo')).length === expectedSilos && seen.linksToOrleans === '/dashboard'
    && seen.userEvents.length > 0 && seen.userSession.includes('event_count') && seen.patternsFired.length > 0
    && seen.logNodes.length >= expectedSilos + 1 && seen.retryAllShown;
  if (!seen.ok) process.exitCode = 1;
} catch (e) {
  seen.error = e.message;
  process.exitCode = 1;
} finally {
  console.log(JSON.stringify(seen));
  await browser.close();
}
