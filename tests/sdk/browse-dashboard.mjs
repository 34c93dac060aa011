// Opens the cluster dashboard in headless Chromium, checks what an operator would look at (both
// silos up, grains active, throughput moving), looks up one user and saves a screenshot.
// usage: node browse-dashboard.mjs <gateway url> <user id> <screenshot path>
// Prints one JSON line with what it saw; exits 1 when a check fails.
import { chromium } from 'playwright-core';

const [gateway, user, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const seen = {};
try {
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  tab.on('pageerror', (e) => { console.log('page error:', e.message); process.exitCode = 1; });
  await tab.goto(`${gateway}/dashboard`);

  // Both silos up and answering, with grains on them.
  await tab.waitForFunction(() => [...document.querySelectorAll('#nodes tbody tr')]
    .filter((r) => r.dataset.roles.includes('silo') && r.dataset.status === 'up' && !r.textContent.includes('silent')).length >= 2,
  null, { timeout: 30000 });
  await tab.waitForFunction(() => Number((document.getElementById('total-grains')?.textContent ?? '0').replace(/,/g, '')) > 0,
    null, { timeout: 30000 });
  seen.nodes = await tab.$$eval('#nodes tbody tr', (rows) => rows.map((r) => ({ roles: r.dataset.roles, status: r.dataset.status,
    users: r.querySelector('.grains-users').textContent, sessions: r.querySelector('.grains-sessions').textContent })));
  seen.totalGrains = await tab.textContent('#total-grains');

  // Throughput numbers move: several distinct non-zero readings over a few seconds.
  seen.ingestRates = [];
  seen.processRates = [];
  for (let i = 0; i < 8; i++) {
    await tab.waitForTimeout(1000);
    seen.ingestRates.push(await tab.textContent('#ingest-rate'));
    seen.processRates.push(await tab.textContent('#process-rate'));
  }
  seen.methods = await tab.$$eval('#methods tbody tr', (rows) => rows.length);

  // The user inspector shows what the chatbot gets.
  await tab.fill('#user-input', user);
  await tab.click('#user-go');
  await tab.waitForSelector('#user-context li', { timeout: 15000 });
  seen.userEvents = await tab.$$eval('#user-context li', (items) => items.map((li) => li.textContent));
  seen.userSession = await tab.textContent('#user-session');

  await tab.waitForSelector('#patterns tbody tr', { timeout: 15000 });
  await tab.waitForFunction(() => document.getElementById('logs').textContent.length > 0, null, { timeout: 15000 });
  await tab.screenshot({ path: screenshot, fullPage: true });

  const moving = (xs) => xs.some((x) => Number(x.replace(/,/g, '')) > 0) && new Set(xs).size >= 2;
  seen.ok = seen.nodes.filter((n) => n.roles.includes('silo')).length >= 2 && moving(seen.ingestRates) && moving(seen.processRates)
    && seen.userEvents.length > 0 && seen.methods > 0;
  if (!seen.ok) process.exitCode = 1;
} catch (e) {
  seen.error = e.message;
  process.exitCode = 1;
} finally {
  console.log(JSON.stringify(seen));
  await browser.close();
}
