// Opens a page using posthog-js (autocapture) in headless Chromium, clicks real buttons, and waits
// until the gateway has answered every capture request.
// usage: node browse-posthog-js.mjs <gateway url> <project token> <distinct id>
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const [gateway, token, user] = process.argv.slice(2);
const page = await readFile(new URL('./page.html', import.meta.url));
const script = await readFile(new URL('./node_modules/posthog-js/dist/array.full.no-external.js', import.meta.url));

// The page is served from its own origin, so the browser really does cross-origin (CORS) requests.
const site = createServer((req, res) => {
  const js = req.url.startsWith('/posthog.js');
  res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
  res.end(js ? script : page);
}).listen(0, '127.0.0.1');
await new Promise((r) => site.once('listening', r));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage();
  tab.setDefaultTimeout(60000); // every wait polls; generous for a loaded machine
  const answered = [];
  tab.on('response', (r) => {
    if (r.url().startsWith(gateway) && r.request().method() === 'POST') answered.push(`${r.status()} ${r.url()}`);
  });
  tab.on('console', (m) => console.log('page:', m.text()));
  const url = `http://127.0.0.1:${site.address().port}/?${new URLSearchParams({ gateway, token, user })}`;
  await tab.goto(url);
  await tab.waitForFunction(() => window.posthog && window.posthog.__loaded);
  await tab.click('text=Upgrade to Pro');
  await tab.click('text=Add to Cart');
  const deadline = Date.now() + 60000;
  while (answered.length < 3 && Date.now() < deadline) await tab.waitForTimeout(100);
  console.log(answered.join('\n'));
  if (answered.some((a) => !a.startsWith('200'))) process.exitCode = 1;
} finally {
  await browser.close();
  site.close();
}
