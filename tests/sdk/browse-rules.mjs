// Opens the Rules page (/insights/rules) in headless Chromium and does what an operator would:
// sees the rules with their firings, switches one off and on (reading the rules API after each
// click to see the change stored), types an invalid rule and reads the inline error naming the
// field, saves a valid change and finds the new version in the history with its diff, backtests the
// draft and follows an example session to the user inspector. Saves a screenshot.
// usage: node browse-rules.mjs <gateway url> <rule code> <screenshot.png>
// Prints one JSON line with what it saw; exits 1 when a check fails. Every wait has a deadline.
import { chromium } from 'playwright-core';

const [gateway, code, shot] = process.argv.slice(2);
const wait = { timeout: 60000 };
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
// The key-protected rules API (the test gateway lets anonymous callers act as project 1).
const enabledInApi = async () => {
  const r = await fetch(`${gateway}/rules/${encodeURIComponent(code)}`);
  return (await r.json()).current.enabled;
};
const seen = {};
try {
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  tab.setDefaultTimeout(60000);
  tab.on('pageerror', (e) => { console.log('page error:', e.message); process.exitCode = 1; });
  await tab.goto(`${gateway}/insights`);
  await tab.click('#rules-link');
  await tab.waitForURL('**/insights/rules', wait);

  // The list, with the test's rule firing (the page polls every 10 s).
  const row = `#rules tr[data-code="${code}"]`;
  await tab.waitForSelector(row, wait);
  seen.rules = await tab.$$eval('#rules tbody tr', (rows) => rows.length);
  await tab.waitForFunction((sel) => Number(document.querySelector(`${sel} .fired-hour`)?.textContent.replace(/,/g, '')) > 0, row, wait);
  seen.firedHour = Number((await tab.textContent(`${row} .fired-hour`)).replace(/,/g, ''));
  seen.firedDay = Number((await tab.textContent(`${row} .fired-day`)).replace(/,/g, ''));

  // Off, then on again: each click is stored, as the rules API shows.
  const toggle = `input[data-toggle="${code}"]`;
  await tab.click(toggle);
  await tab.waitForSelector(`${row}[data-enabled="false"]`, wait);
  seen.apiEnabledAfterOff = await enabledInApi();
  await tab.click(toggle);
  await tab.waitForSelector(`${row}[data-enabled="true"]`, wait);
  seen.apiEnabledAfterOn = await enabledInApi();

  // Open it in the editor; an invalid severity is reported beside the editor, naming the field.
  await tab.click(`${row} td:first-child`);
  await tab.waitForFunction((c) => document.getElementById('rule-editor').value.includes(`"${c}"`), code, wait);
  const original = await tab.inputValue('#rule-editor');
  await tab.fill('#rule-editor', original.replace(/"severity": "[A-Z]+"/, '"severity": "LOUD"'));
  await tab.waitForSelector('#rule-errors[data-field="severity"]', wait);
  seen.inlineError = await tab.textContent('#rule-errors');

  // A valid change: the error goes, Save makes a new version, its diff shows the new description.
  const versionsBefore = await tab.$$eval('#history tbody tr', (rows) => rows.length);
  await tab.fill('#rule-editor', original.replace(/"description": "[^"]*"/, '"description": "Edited on the Rules page"'));
  await tab.waitForFunction(() => document.getElementById('rule-errors').textContent === 'valid', null, wait);
  await tab.click('#rule-save');
  await tab.waitForFunction((n) => document.querySelectorAll('#history tbody tr').length === n + 1
    && document.querySelector('#history tbody tr:last-child').dataset.change === 'update', versionsBefore, wait);
  seen.newVersion = Number(await tab.getAttribute('#history tbody tr:last-child', 'data-version'));
  await tab.waitForFunction((v) => document.getElementById('diff').dataset.version === String(v), seen.newVersion, wait);
  seen.diffAdded = await tab.$$eval('#diff .add', (s) => s.map((x) => x.textContent));
  seen.diffRemoved = await tab.$$eval('#diff .del', (s) => s.map((x) => x.textContent));

  // Backtest: the draft over stored sessions, example sessions linking to the user inspector.
  seen.backtest = await tab.isVisible('#rule-backtest');
  if (seen.backtest) {
    await tab.click('#rule-backtest');
    await tab.waitForSelector('#backtest-result [data-matched]', wait);
    seen.backtestMatched = Number(await tab.getAttribute('#backtest-result [data-matched]', 'data-matched'));
    seen.backtestLinks = await tab.$$eval('#backtest-result a[data-example]', (links) => links.map((a) => a.getAttribute('href')));
  }

  await tab.screenshot({ path: shot, fullPage: true });

  // An example session's link opens the user inspector on that user, in the right project.
  if (seen.backtest && seen.backtestLinks.length > 0) {
    await tab.click('#backtest-result a[data-example]');
    await tab.waitForSelector('#user-context', wait);
    seen.inspectorProject = await tab.inputValue('#user-project');
    seen.inspectorUser = await tab.inputValue('#user-input');
  }

  seen.ok = seen.rules > 0 && seen.firedHour > 0 && seen.firedDay >= seen.firedHour && seen.apiEnabledAfterOff === false
    && seen.apiEnabledAfterOn === true && /severity/.test(seen.inlineError)
    && seen.diffAdded.some((l) => l.includes('Edited on the Rules page')) && seen.diffRemoved.some((l) => l.includes('"description"'))
    && seen.backtest && seen.backtestMatched > 0 && seen.backtestLinks.length > 0 && seen.inspectorProject === '1' && seen.inspectorUser !== '';
  if (!seen.ok) process.exitCode = 1;
} catch (e) {
  seen.error = e.message;
  process.exitCode = 1;
} finally {
  console.log(JSON.stringify(seen));
  await browser.close();
}
