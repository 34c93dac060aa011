// Session Insights page: polls /insights/api (one request per panel refresh) and draws sparklines
// by hand on canvas. No framework, no build step. Grain types, methods and silos are on Orleans'
// dashboard at /dashboard.
'use strict';

const api = (path, options) => fetch('/insights/api' + path, options).then((r) => {
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
});
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v, digits = 0) => (v == null ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const bytes = (b) => (b == null ? '–' : b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(2)} GB` : `${(b / (1 << 20)).toFixed(0)} MB`);
const duration = (s) => {
  if (s == null) return '–';
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${Math.floor(s % 60)}s`;
};
const time = (t) => new Date(t).toLocaleTimeString('en-GB');
// Silo addresses read 127.0.0.1:11111@123456789, as on Orleans' dashboard (after @: the silo's generation).
const shortNode = (a) => String(a).replace(/@\d+$/, '');

function every(ms, fn) {
  let busy = false;
  const tick = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try { await fn(); } catch (e) { console.warn(e.message); } finally { busy = false; }
  };
  tick();
  setInterval(tick, ms);
}

function sparkline(canvas, series, colors) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  canvas.width = w * ratio; canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const max = Math.max(1e-9, ...series.flat());
  series.forEach((values, i) => {
    g.strokeStyle = colors[i];
    g.lineWidth = 1.5;
    g.beginPath();
    values.forEach((v, x) => {
      const px = values.length < 2 ? 0 : (x / (100 - 1)) * w;
      const py = h - 2 - (v / max) * (h - 4);
      if (x === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.stroke();
  });
}

function renderOverview(o) {
  const silos = o.nodes.filter((n) => n.roles.includes('silo'));
  const up = o.nodes.filter((n) => n.status === 'up').length;
  const users = o.nodes.reduce((s, n) => s + n.active_users, 0);
  const sessions = o.nodes.reduce((s, n) => s + n.active_sessions, 0);
  $('summary').innerHTML = `${up}/${o.nodes.length} nodes up · ${silos.length} silos · `
    + `<span id="total-grains">${num(users + sessions)}</span> active grains (${num(users)} users, ${num(sessions)} sessions)`;
  $('updated').textContent = 'updated ' + time(o.at);

  $('nodes').tBodies[0].innerHTML = o.nodes.map((n) => `<tr data-status="${esc(n.status)}" data-roles="${esc(n.roles.join(' '))}">
      <td title="${esc(n.address)}">${esc(shortNode(n.address))}</td><td>${esc(n.roles.join(', '))}</td>
      <td><span class="badge ${esc(n.status)}" title="last report ${num(n.seconds_since_report, 1)} s ago">${esc(n.status)}</span></td>
      <td>${duration(n.uptime_seconds)}</td><td class="num">${num(n.cpu_percent, 1)}%</td>
      <td class="num" title="GC heap ${bytes(n.gc_heap_bytes)}">${bytes(n.working_set_bytes)}</td>
      <td class="num grains-users">${num(n.active_users)}</td><td class="num grains-sessions">${num(n.active_sessions)}</td>
      <td class="num">${num(n.unsaved_events)}</td>
      <td class="num">${n.roles.includes('gateway') ? num(n.ingested_per_second, 1) : ''}</td>
      <td class="num">${n.roles.includes('silo') ? num(n.processed_per_second, 1) : ''}</td></tr>`).join('');

  const t = o.traffic, h = o.history;
  $('ingest-rate').textContent = num(t.ingested_per_second, 1);
  $('process-rate').textContent = num(t.processed_per_second, 1);
  $('lag').textContent = num(t.ingestion_lag);
  $('backlog').textContent = num(t.persistence_backlog);
  $('reads-rate').textContent = num(t.context_reads_per_second, 1);
  $('read-latency').textContent = `${num(t.context_p50_ms, 2)} / ${num(t.context_p99_ms, 2)} ms`;
  const col = (k) => h.map((s) => s[k]);
  sparkline($('chart-ingest'), [col('ingested_per_second')], ['#4fb3ff']);
  sparkline($('chart-process'), [col('processed_per_second')], ['#3fcf8e']);
  sparkline($('chart-lag'), [col('ingestion_lag')], ['#f5b942']);
  sparkline($('chart-backlog'), [col('persistence_backlog')], ['#f5b942']);
  sparkline($('chart-reads'), [col('context_reads_per_second')], ['#4fb3ff']);
  sparkline($('chart-latency'), [col('context_p50_ms'), col('context_p99_ms')], ['#3fcf8e', '#ff6b6b']);
}

function renderPatterns(p) {
  $('patterns').tBodies[0].innerHTML = p.rules.map((r) => `<tr data-rule="${esc(r.rule)}" data-count="${r.count}">
    <td title="${esc(r.description)}">${esc(r.rule)}</td><td class="sev-${esc(String(r.severity).toLowerCase())}">${esc(r.severity)}</td>
    <td class="num">${num(r.count)}</td>
    <td class="wrap">${r.users.slice(0, 6).map((u) => `<a href="#" data-user="${esc(u)}">${esc(u)}</a>`).join(', ')}`
    + `${r.users.length > 6 ? ` <span class="muted">+${r.users.length - 6} more</span>` : ''}</td></tr>`).join('');
}

function renderFailed(rows) {
  $('failed').tBodies[0].innerHTML = rows.length === 0
    ? '<tr><td colspan="5" class="muted">none</td></tr>'
    : rows.map((f) => `<tr data-uuid="${esc(f.uuid)}"><td>${time(f.received_at)}</td>
      <td><a href="#" data-user="${esc(f.distinct_id)}" data-project="${esc(f.project_id)}">${esc(f.distinct_id)}</a></td><td>${esc(f.event_name)}</td>
      <td class="wrap">${esc(f.reason)}</td><td><button data-retry="${esc(f.uuid)}">Retry</button></td></tr>`).join('');
}

// One row per warning type with its latest example (GET /ingestion-warnings has the latest few).
function renderWarnings(w) {
  $('warnings').tBodies[0].innerHTML = w.types.map((t) => {
    const e = t.latest[0];
    return `<tr data-type="${esc(t.type)}" data-count="${t.count}"><td title="${esc(t.description)}">${esc(t.type)}</td>
      <td class="num">${num(t.count)}</td><td>${e ? time(e.at) : ''}</td>
      <td>${e ? `<a href="#" data-user="${esc(e.distinct_id)}" data-project="${esc(e.project_id)}">${esc(e.distinct_id)}</a>` : ''}</td>
      <td class="wrap">${esc(e?.sent)}</td><td class="wrap">${esc(e?.used)}</td></tr>`;
  }).join('');
}

// GET /insights/api/webhooks: counts by state and the latest deliveries (docs/webhooks.md).
function renderWebhooks(w) {
  $('webhook-counts').textContent = `${num(w.pending)} pending · ${num(w.delivered)} delivered · ${num(w.failed)} failed`;
  $('webhooks').tBodies[0].innerHTML = w.deliveries.length === 0
    ? '<tr><td colspan="8" class="muted">none (no endpoint configured, or no pattern fired yet)</td></tr>'
    : w.deliveries.map((d) => `<tr data-delivery="${esc(d.id)}" data-state="${esc(d.state)}"><td>${time(d.fired_at)}</td>
      <td>${esc(d.pattern)}</td><td><a href="#" data-user="${esc(d.user_id)}" data-project="${esc(d.project_id)}">${esc(d.user_id)}</a></td>
      <td class="wrap">${esc(d.endpoint)}</td><td class="webhook-${esc(d.state)}">${esc(d.state)}</td><td class="num">${num(d.attempts)}</td>
      <td class="wrap">${esc(d.last_error)}</td><td>${d.next_attempt_at ? time(d.next_attempt_at) : ''}</td></tr>`).join('');
}

function renderRateLimits(refusals) {
  $('ratelimits').tBodies[0].innerHTML = refusals.length === 0
    ? '<tr><td colspan="3" class="muted">none</td></tr>'
    : refusals.map((r) => `<tr data-project="${esc(r.project_id)}" data-kind="${esc(r.kind)}"><td>${esc(r.project_id)}</td>
      <td>${esc(r.kind)}</td><td class="num">${num(r.refused)}</td></tr>`).join('');
}

function renderLogs(l) {
  const box = $('logs');
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  box.innerHTML = l.lines.map((x) => `<span class="lvl-${esc(x.level)}" data-node="${esc(x.node)}">${time(x.at)} ${esc(x.level.slice(0, 4).toUpperCase())} `
    + `[${esc(shortNode(x.node))}] ${esc(x.category.split('.').pop())}: ${esc(x.message)}</span>`).join('\n');
  if (atBottom) box.scrollTop = box.scrollHeight;
}

// Evidence in one line: how many matching events, when first and last, and the latest event ids.
function evidence(e) {
  if (!e) return '';
  const ids = e.event_ids || [];
  return `${num(e.count)} events, ${time(e.first_seen)} – ${time(e.last_seen)}`
    + (ids.length ? `; latest: ${ids.slice(-3).map((id) => esc(id.slice(0, 8))).join(', ')}${ids.length > 3 ? ` (+${ids.length - 3})` : ''}` : '');
}

// A user id means something only within its project: the inspector asks for both.
async function lookUp(user, project) {
  $('user-input').value = user;
  if (project) $('user-project').value = project;
  const out = $('user-result');
  out.innerHTML = '<span class="muted">loading…</span>';
  try {
    const r = await api('/user/' + encodeURIComponent(user) + '?project=' + encodeURIComponent($('user-project').value || '1'));
    const c = r.context, s = r.latest_session && r.latest_session.session;
    const events = (c.recent_events || []).map((e) => `<li>${time(e.timestamp)} ${esc(e.semantic_label)}</li>`).join('');
    const patterns = (c.patterns || []).map((p) => `<li><b class="sev-${esc(String(p.severity).toLowerCase())}">${esc(p.code)}</b> ${esc(p.description)}`
      + `<div class="evidence">${evidence(p.evidence)}</div></li>`).join('');
    const session = s ? Object.entries(s).filter(([k]) => k !== 'patterns')
      .map(([k, v]) => `<tr><td class="muted">${esc(k)}</td><td class="wrap">${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`).join('') : '';
    out.innerHTML = `
      <div id="user-context"><h3>Context: what the chatbot gets</h3>
        <p>${esc(c.last_session_summary ?? 'no session yet')}</p><ol>${events || '<li class="muted">no events</li>'}</ol>
        <details><summary class="muted">raw JSON</summary><pre>${esc(JSON.stringify(c, null, 1))}</pre></details></div>
      <div id="user-session"><h3>Latest session</h3>${session ? `<table>${session}</table>` : '<span class="muted">none</span>'}</div>
      <div id="user-patterns"><h3>Patterns and evidence</h3>${patterns ? `<ol>${patterns}</ol>` : '<span class="muted">none matched</span>'}</div>`;
  } catch (e) {
    out.textContent = e.message;
  }
}

document.addEventListener('click', async (e) => {
  const t = e.target;
  if (t.dataset.user) { e.preventDefault(); lookUp(t.dataset.user, t.dataset.project); }
  if (t.dataset.retry) {
    t.disabled = true;
    try {
      await api(`/failed/${t.dataset.retry}/retry`, { method: 'POST' });
      t.textContent = 'queued';
      t.classList.add('queued');
    } catch (err) {
      t.textContent = err.message;
    }
  }
});
// Dead letters: a badge while any exist, and one button to retry them all after a fix.
function renderDeadLetters(d) {
  $('dead-letter-badge').hidden = d.count === 0;
  $('dead-letter-badge').textContent = `${num(d.count)} dead letter${d.count === 1 ? '' : 's'}`;
  $('retry-dead-letters').hidden = d.count === 0;
}
$('retry-dead-letters').addEventListener('click', async (e) => {
  const b = e.target;
  b.disabled = true;
  try {
    const r = await api('/dead-letters/retry', { method: 'POST' });
    b.title = `${num(r.retried)} events of ${num(r.users)} users queued`;
    renderDeadLetters(await api('/dead-letters'));
  } catch (err) {
    b.title = err.message;
  } finally {
    b.disabled = false;
  }
});
$('user-form').addEventListener('submit', (e) => { e.preventDefault(); const u = $('user-input').value.trim(); if (u) lookUp(u); });

// A link such as /insights?user=<id>&project=<id> (a rule backtest's examples) opens the inspector on that user.
const linked = new URLSearchParams(location.search);
if (linked.get('user')) {
  lookUp(linked.get('user'), linked.get('project'));
  $('user-panel').scrollIntoView();
}

every(1000, async () => renderOverview(await api('/overview')));
every(5000, async () => renderPatterns(await api('/patterns')));
every(5000, async () => renderFailed(await api('/failed?limit=50')));
every(5000, async () => renderDeadLetters(await api('/dead-letters')));
every(2000, async () => renderLogs(await api('/logs')));
every(5000, async () => renderWarnings(await api('/ingestion-warnings')));
every(5000, async () => renderRateLimits(await api('/rate-limits')));
every(5000, async () => renderWebhooks(await api('/webhooks?limit=50')));
