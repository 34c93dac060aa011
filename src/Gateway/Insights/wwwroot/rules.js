// Rules page: a project's pattern rules with their firings, an editor that validates as you type
// (the server's own validation, so errors name the field exactly as the API does), and each rule's
// version history with a line diff. Plain JS, no build step; all JSON from /insights/api/rules.
'use strict';

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v) => (v == null ? '–' : Number(v).toLocaleString('en-US'));
const when = (t) => new Date(t).toLocaleString('en-GB');
const pretty = (rule) => (rule == null ? '' : JSON.stringify(rule, null, 2));
const project = () => $('rules-project').value || '1';
const withProject = (path) => `/insights/api/rules${path}${path.includes('?') ? '&' : '?'}project=${encodeURIComponent(project())}`;

// Answers with the body whatever the status: a 400's problem is what the editor shows.
async function call(path, options = {}) {
  const r = await fetch(withProject(path), options);
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { detail: text }; }
  return { ok: r.ok, status: r.status, body };
}
const send = (path, method, body) => call(path, { method, headers: body == null ? {} : { 'content-type': 'application/json' }, body });

const state = { rules: [], selected: null, history: [], version: null };

// ----- the list -----

async function loadRules() {
  const r = await call('/');
  if (!r.ok) throw new Error(problemText(r));
  state.rules = r.body.rules;
  $('rules-version').textContent = `(project ${r.body.project_id}, rule set version ${r.body.version})`;
  $('firings-note').hidden = r.body.firings_known;
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
  renderRules();
}

function renderRules() {
  $('rules').tBodies[0].innerHTML = state.rules.map((r) => {
    const sev = String(r.rule.severity ?? '');
    return `<tr data-code="${esc(r.code)}" data-enabled="${r.enabled}" data-version="${r.version}" class="${r.code === state.selected ? 'selected' : ''}">
      <td title="${esc(r.rule.description)}">${esc(r.code)}</td><td class="sev-${esc(sev.toLowerCase())}">${esc(sev)}</td>
      <td><input type="checkbox" class="toggle" data-toggle="${esc(r.code)}" ${r.enabled ? 'checked' : ''} title="${r.enabled ? 'disable' : 'enable'}"></td>
      <td class="num fired-hour">${num(r.fired_last_hour)}</td><td class="num fired-day">${num(r.fired_last_day)}</td>
      <td class="num">${r.version}</td></tr>`;
  }).join('');
}

$('rules').addEventListener('click', async (e) => {
  const toggle = e.target.dataset.toggle;
  if (toggle) {
    e.target.disabled = true;
    const r = await send(`/${encodeURIComponent(toggle)}/${e.target.checked ? 'enable' : 'disable'}`, 'POST');
    status(r.ok ? `${toggle} ${r.body.change}d (version ${r.body.version})` : problemText(r), !r.ok);
    await loadRules();
    if (state.selected === toggle) await openRule(toggle, { keepEditor: true });
    return;
  }
  const row = e.target.closest('tr[data-code]');
  if (row) await openRule(row.dataset.code);
});

// ----- the editor -----

async function openRule(code, { keepEditor = false } = {}) {
  const r = await call(`/${encodeURIComponent(code)}`);
  if (!r.ok) { status(problemText(r), true); return; }
  state.selected = code;
  state.history = r.body.history;
  if (!keepEditor) {
    $('rule-editor').value = pretty(r.body.current.rule);
    showErrors(null);
  }
  $('editor-title').textContent = `${code} (version ${r.body.current.version}, ${r.body.current.enabled ? 'enabled' : 'disabled'})`;
  $('rule-save').disabled = false;
  $('rule-delete').disabled = false;
  renderRules();
  renderHistory(code);
  showDiff(state.history.length - 1);
}

function newRule() {
  state.selected = null;
  state.history = [];
  $('rule-editor').value = pretty({ code: 'new_rule', description: 'What the chatbot should know', severity: 'LOW',
    filter: { semantic_contains: 'checkout' }, min_count: 1 });
  $('editor-title').textContent = '(new rule: Create adds it)';
  $('rule-save').disabled = true;
  $('rule-delete').disabled = true;
  renderRules();
  renderHistory(null);
  validateSoon();
}

function problemText(r) {
  const b = r.body || {};
  return b.detail || b.title || `HTTP ${r.status}`;
}

// The problem's errors name the field; shown beside the editor, field first.
function showErrors(problem) {
  const box = $('rule-errors');
  box.classList.toggle('valid', problem === false);
  $('rule-editor').classList.toggle('invalid', !!problem);
  if (!problem) {
    box.innerHTML = problem === false ? 'valid' : '';
    delete box.dataset.field;
    return;
  }
  const errors = Object.entries(problem.errors || {});
  box.dataset.field = errors.length ? errors[0][0] : '';
  // The detail often repeats the field's message: shown only when it says more.
  const said = errors.flatMap(([, msgs]) => msgs).join(' ');
  box.innerHTML = errors.length
    ? errors.map(([field, msgs]) => `<div><span class="field">${esc(field)}</span>: ${esc(msgs.join('; '))}</div>`).join('')
      + (problem.detail && !said.includes(problem.detail) ? `<div class="muted">${esc(problem.detail)}</div>` : '')
    : esc(problem.detail || problem.title || 'invalid');
}

let validateTimer = null, validateSeq = 0;
function validateSoon() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validate, 300);
}
async function validate() {
  const seq = ++validateSeq;
  const r = await send('/validate', 'POST', $('rule-editor').value);
  if (seq !== validateSeq) return null; // a newer draft is being checked
  showErrors(r.ok ? false : r.body || { detail: `HTTP ${r.status}` });
  return r;
}
$('rule-editor').addEventListener('input', validateSoon);

function status(text, bad = false) {
  $('rule-status').textContent = text;
  $('rule-status').classList.toggle('sev-high', bad);
}

async function write(method, path) {
  const r = await send(path, method, method === 'DELETE' ? null : $('rule-editor').value);
  if (!r.ok) {
    showErrors(r.body || { detail: `HTTP ${r.status}` });
    status(problemText(r), true);
    return null;
  }
  status(r.body.written ? `${r.body.code}: ${r.body.change}, version ${r.body.version}` : `${r.body.code}: unchanged`);
  await loadRules();
  return r.body;
}

$('rule-save').addEventListener('click', async () => {
  if (!state.selected) return;
  const done = await write('PUT', `/${encodeURIComponent(state.selected)}`);
  if (done) await openRule(done.code, { keepEditor: true });
});
$('rule-create').addEventListener('click', async () => {
  const done = await write('POST', '/');
  if (done) await openRule(done.code);
});
$('rule-delete').addEventListener('click', async () => {
  if (!state.selected || !window.confirm(`Delete ${state.selected}? Its history stays.`)) return;
  const done = await write('DELETE', `/${encodeURIComponent(state.selected)}`);
  if (done) newRule();
});
$('rule-new').addEventListener('click', newRule);

// ----- backtest: the draft over stored sessions (POST /rules/backtest's service) -----

$('rule-backtest').addEventListener('click', async () => {
  let rule;
  try { rule = JSON.parse($('rule-editor').value); } catch { status('Backtest: the draft is not valid JSON', true); return; }
  const to = new Date(), from = new Date(to.getTime() - Number($('backtest-days').value) * 86400000);
  const button = $('rule-backtest');
  button.disabled = true;
  $('backtest-panel').hidden = false;
  $('backtest-title').textContent = `(${rule.code}, ${from.toLocaleString('en-GB')} – ${to.toLocaleString('en-GB')}: running…)`;
  $('backtest-result').innerHTML = '';
  try {
    const r = await send('/backtest', 'POST', JSON.stringify({ rule, from: from.toISOString(), to: to.toISOString() }));
    if (!r.ok) {
      showErrors(r.body || { detail: `HTTP ${r.status}` });
      $('backtest-title').textContent = '';
      $('backtest-result').textContent = problemText(r);
      return;
    }
    renderBacktest(r.body);
  } finally {
    button.disabled = false;
  }
});

function renderBacktest(b) {
  $('backtest-title').textContent = `(${b.rule_code}, ${when(b.from)} – ${when(b.to)}; ${num(b.events_scanned)} events read in ${num(b.elapsed_ms)} ms; not saved)`;
  const max = Math.max(1, ...b.matches_per_day.map((d) => d.sessions));
  const days = b.matches_per_day.map((d) => `<tr data-day="${esc(d.day)}"><td>${esc(d.day)}</td><td class="num">${num(d.sessions)}</td>
    <td class="bar"><span style="width:${(100 * d.sessions / max).toFixed(1)}%"></span></td></tr>`).join('');
  // Each example opens the user inspector on its user, in this project (the answer's inspector_url).
  const examples = b.examples.map((e) => `<tr><td title="${esc(e.session_id)}">${esc(e.session_id)}</td>
    <td><a data-example href="${esc(e.inspector_url)}">${esc(e.user_id)}</a></td><td>${when(e.matched_at)}</td>
    <td class="num">${num(e.session_events)}</td><td class="num" title="first ${when(e.first_seen)}, last ${when(e.last_seen)}">${num(e.evidence_event_ids.length)}</td></tr>`).join('');
  $('backtest-result').innerHTML = `
    <div class="tiles backtest" data-matched="${b.sessions_matched}">
      <div class="tile"><div class="label">Sessions matched</div><div class="value">${num(b.sessions_matched)} <span class="muted">/ ${num(b.sessions_total)}</span></div></div>
      <div class="tile"><div class="label">Users matched</div><div class="value">${num(b.users_matched)} <span class="muted">/ ${num(b.users_total)}</span></div></div>
      <div class="tile"><div class="label">Share of sessions</div><div class="value">${(100 * b.share).toFixed(1)}%</div></div>
      <div class="tile"><div class="label">Events scanned</div><div class="value">${num(b.events_scanned)}</div></div>
    </div>
    <div class="history">
      <div><h3 class="muted">Matches per day <span>(UTC day of the first match)</span></h3>
        <table id="backtest-days-table"><thead><tr><th>Day</th><th class="num">Sessions</th><th></th></tr></thead>
        <tbody>${days || '<tr><td colspan="3" class="muted">no match</td></tr>'}</tbody></table></div>
      <div><h3 class="muted">Example sessions <span>(click a user for the inspector)</span></h3>
        <table id="backtest-examples"><thead><tr><th>Session</th><th>User</th><th>Matched</th><th class="num">Events</th><th class="num">Evidence</th></tr></thead>
        <tbody>${examples || '<tr><td colspan="5" class="muted">none</td></tr>'}</tbody></table></div>
    </div>`;
}

// ----- history and diff -----

function renderHistory(code) {
  $('history-title').textContent = code ? `(${code}: every version, newest last; pick one for its diff)` : '';
  $('history').tBodies[0].innerHTML = state.history.map((v, i) => `<tr data-index="${i}" data-version="${v.version}" data-change="${esc(v.change)}">
    <td class="num">${v.version}</td><td>${esc(v.change)}</td><td>${v.enabled ? 'yes' : 'no'}</td>
    <td>${esc(v.changed_by)}</td><td>${when(v.changed_at)}</td></tr>`).join('');
  if (!code) { $('diff').innerHTML = ''; $('diff-title').textContent = 'Diff with the previous version'; }
}

$('history').addEventListener('click', (e) => {
  const row = e.target.closest('tr[data-index]');
  if (row) showDiff(Number(row.dataset.index));
});

function showDiff(index) {
  const v = state.history[index];
  if (!v) return;
  const before = index > 0 ? state.history[index - 1] : null;
  [...$('history').tBodies[0].rows].forEach((r) => r.classList.toggle('selected', Number(r.dataset.index) === index));
  $('diff-title').textContent = before ? `Version ${v.version} (${v.change}) against version ${before.version}` : `Version ${v.version} (${v.change}): the first`;
  const lines = lineDiff(pretty(before?.rule).split('\n').filter((l, i, a) => a.length > 1 || l), pretty(v.rule).split('\n').filter((l, i, a) => a.length > 1 || l));
  const changed = lines.some((l) => l.op !== ' ');
  const enabledNote = before && before.enabled !== v.enabled ? `enabled: ${before.enabled ? 'yes' : 'no'} → ${v.enabled ? 'yes' : 'no'}\n` : '';
  $('diff').dataset.version = v.version;
  $('diff').innerHTML = esc(enabledNote) + (changed || !before
    ? lines.map((l) => `<span class="${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}">${l.op} ${esc(l.text)}</span>`).join('\n')
    : '<span class="muted">definition unchanged</span>');
}

// A line diff by longest common subsequence: rules are a few dozen lines, so O(n·m) is nothing.
function lineDiff(a, b) {
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push({ op: ' ', text: a[i] }); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push({ op: '-', text: a[i] }); i++; }
    else { out.push({ op: '+', text: b[j] }); j++; }
  }
  return out;
}

// ----- start -----

$('project-form').addEventListener('submit', (e) => e.preventDefault());
$('rules-project').addEventListener('change', () => {
  $('backtest-panel').hidden = true; // another project's sessions
  newRule();
  loadRules().catch((e) => status(e.message, true));
});
const params = new URLSearchParams(location.search);
if (params.get('project')) $('rules-project').value = params.get('project');
newRule();
loadRules().then(() => (params.get('rule') ? openRule(params.get('rule')) : null)).catch((e) => status(e.message, true));
// The counts move with traffic; the editor is left alone.
setInterval(() => { if (!document.hidden) loadRules().catch((e) => console.warn(e.message)); }, 10000);
