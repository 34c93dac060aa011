// Drives posthog-node through a plan of steps, with a faked device clock (fake-clock.mjs).
// usage: node send-with-clock.mjs <gateway url> <project token> <plan file (JSON)>
// Steps: {"clock": ms} sets the clock's offset from real time; {"client": "a", "capture": {...}} captures
// with the named SDK client (one PostHog instance per name, as one per device); {"flush": "a"} sends that
// client's queue now (its sent_at is stamped now, on the clock as set); {"sleep": ms} waits in real time.
import { readFileSync } from 'node:fs';
import { setClockOffset } from './fake-clock.mjs';
import { PostHog } from 'posthog-node';

const [host, token, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const clients = new Map();

function client(name) {
  if (!clients.has(name)) {
    // flushAt is large and there is no timer: a queue is sent only when the plan says so.
    const c = new PostHog(token, { host, flushAt: 1000, flushInterval: 0 });
    c.on('error', (err) => {
      console.error(`posthog-node error (${name}):`, err);
      process.exitCode = 1;
    });
    clients.set(name, c);
  }
  return clients.get(name);
}

let captured = 0;
for (const step of plan) {
  if ('clock' in step) {
    setClockOffset(step.clock);
  } else if ('capture' in step) {
    // The SDK stamps the timestamp when it queues the event, a few promise turns after capture():
    // wait for the queueing (its 'capture' event) so that the clock cannot move in between.
    const c = client(step.client);
    const queued = new Promise((resolve) => {
      const off = c.on('capture', () => {
        off();
        resolve();
      });
    });
    c.capture(step.capture);
    await queued;
    captured++;
  } else if ('flush' in step) {
    await client(step.flush).flush();
  } else if ('sleep' in step) {
    await new Promise((resolve) => setTimeout(resolve, step.sleep));
  } else {
    throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
}
for (const c of clients.values()) {
  await c.shutdown();
}
console.log(`captured ${captured} events`);
