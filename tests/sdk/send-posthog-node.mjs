// Sends a small journey through posthog-node to the gateway, then flushes.
// usage: node send-posthog-node.mjs <gateway url> <project token> <distinct id>
import { PostHog } from 'posthog-node';

const [host, token, user] = process.argv.slice(2);
const client = new PostHog(token, { host, flushAt: 20, flushInterval: 0 });
client.on('error', (err) => {
  console.error('posthog-node error:', err);
  process.exitCode = 1;
});

const session = `node-session-${user}`;
client.capture({ distinctId: user, event: '$pageview', properties: { $session_id: session, $pathname: '/pricing' } });
client.capture({ distinctId: user, event: '$pageview', properties: { $session_id: session, $pathname: '/billing' } });
client.capture({ distinctId: user, event: 'form_submitted', properties: { $session_id: session, $pathname: '/billing', form_name: 'upgrade' } });
await client.flush();
await client.shutdown();
console.log('sent 3 events');
