/* global document, fetch, FormData, URLSearchParams */
/**
 * The inspector page: one user's long-term memories grouped by strategy, a search over
 * them, the timeline of their sessions, and a correction or deletion of one memory after
 * a confirmation. Everything it shows is built with textContent, never parsed as HTML.
 * The session cookie rides along with every same-origin request; the page never sees it.
 */
'use strict';

const byId = (id) => document.getElementById(id);
const status = byId('status');
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A JSON call to the page's own server; throws with the server's explanation. */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload.error ?? `${response.status} ${response.statusText}`);
  return payload;
}

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'text') node.textContent = value;
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const when = (iso) => (iso ? dateTime.format(new Date(iso)) : 'time unknown');
const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

let strategies = {};

function recordItem(record) {
  const correct = element('button', { type: 'button', text: 'Correct' });
  correct.setAttribute('aria-label', `Correct the memory: ${record.text.slice(0, 60)}`);
  correct.addEventListener('click', () => openEdit(record));
  const remove = element('button', { type: 'button', class: 'danger', text: 'Delete' });
  remove.setAttribute('aria-label', `Delete the memory: ${record.text.slice(0, 60)}`);
  remove.addEventListener('click', () => openDelete(record));
  const score = record.score === undefined ? '' : ` · relevance ${record.score.toFixed(2)}`;
  return element('li', { class: 'record', 'data-record-id': record.memoryRecordId }, [
    element('p', { text: record.text }),
    element('p', { class: 'meta', text: `${when(record.createdAt)} · ${record.namespace}${score}` }),
    element('p', { class: 'meta', text: `id ${record.memoryRecordId}` }),
    element('div', { class: 'actions' }, [correct, remove]),
  ]);
}

function showRecords(records, searchLabel) {
  const container = byId('record-groups');
  const groups = new Map();
  for (const record of records) {
    const list = groups.get(record.strategyId) ?? [];
    list.push(record);
    groups.set(record.strategyId, list);
  }
  const sections = [...groups.entries()].map(([strategyId, list]) => {
    const label = strategies[strategyId] ?? strategyId ?? 'No strategy';
    const headingId = `strategy-${strategyId}`;
    return element('section', { class: 'strategy', 'aria-labelledby': headingId }, [
      element('h3', { id: headingId, text: `${label} (${list.length})` }),
      element('ul', { class: 'records' }, list.map(recordItem)),
    ]);
  });
  container.replaceChildren(...sections);
  byId('records-summary').textContent =
    `${plural(records.length, 'memory', 'memories')}${searchLabel ? ` matching ${searchLabel}` : ''}` +
    ` in ${plural(groups.size, 'strategy', 'strategies')}`;
}

async function loadRecords(query, mode) {
  const search = query ? `?${new URLSearchParams({ query, mode })}` : '';
  const { records } = await api('GET', `/api/records${search}`);
  showRecords(records, query ? `“${query}”` : '');
}

function currentSearch() {
  const form = new FormData(byId('search'));
  return { query: String(form.get('query') ?? '').trim(), mode: String(form.get('mode') ?? 'text') };
}

async function refreshRecords() {
  const { query, mode } = currentSearch();
  await loadRecords(query, mode);
}

function sessionItem(session) {
  const details = element('details', {}, [
    element('summary', {}, [
      element('strong', { text: when(session.createdAt) }),
      document.createTextNode(` · session ${session.sessionId}`),
    ]),
  ]);
  details.addEventListener('toggle', () => {
    if (details.open && !details.dataset.loaded) {
      details.dataset.loaded = 'yes';
      loadHistory(session.sessionId, details).catch((error) => say(error.message, true));
    }
  });
  return element('li', {}, [details]);
}

async function loadHistory(sessionId, details) {
  const { events } = await api('GET', `/api/sessions/${encodeURIComponent(sessionId)}`);
  const items = events.flatMap((event) =>
    event.payload.map((item) =>
      element('li', {}, [
        element('span', { class: 'role', text: `${'text' in item ? item.role : 'stored message'} ` }),
        element('span', { class: 'meta', text: `${when(event.eventTimestamp)}: ` }),
        document.createTextNode('text' in item ? item.text : JSON.stringify(item.blob)),
      ]),
    ),
  );
  details.append(
    items.length === 0
      ? element('p', { class: 'meta', text: 'No events left in this session.' })
      : element('ol', { class: 'history' }, items),
  );
}

async function loadSessions() {
  const { sessions } = await api('GET', '/api/sessions');
  byId('session-timeline').replaceChildren(...sessions.map(sessionItem));
  byId('sessions-summary').textContent = `${plural(sessions.length, 'session', 'sessions')}, newest first`;
}

function openEdit(record) {
  const dialog = byId('edit-dialog');
  byId('edit-record').textContent = `${record.namespace} · id ${record.memoryRecordId}`;
  byId('edit-text').value = record.text;
  dialog.dataset.recordId = record.memoryRecordId;
  dialog.dataset.text = record.text;
  // A cancel may leave the last returnValue in place (browsers differ): clear it so only "Save" saves.
  dialog.returnValue = '';
  dialog.showModal();
}

function openDelete(record) {
  const dialog = byId('delete-dialog');
  byId('delete-text').textContent = record.text;
  dialog.dataset.recordId = record.memoryRecordId;
  dialog.returnValue = '';
  dialog.showModal();
}

async function whenClosed(dialog, confirmValue, change) {
  if (dialog.returnValue !== confirmValue) return;
  try {
    await change(dialog.dataset.recordId);
    await refreshRecords();
  } catch (error) {
    say(error.message, true);
  }
}

byId('edit-dialog').addEventListener('close', (event) =>
  whenClosed(event.target, 'save', async (recordId) => {
    const text = byId('edit-text').value.trim();
    if (text === event.target.dataset.text) {
      say('The text is unchanged; nothing was sent.');
      return;
    }
    await api('PUT', `/api/records/${encodeURIComponent(recordId)}`, { text });
    say('The memory was corrected.');
  }),
);

byId('delete-dialog').addEventListener('close', (event) =>
  whenClosed(event.target, 'delete', async (recordId) => {
    await api('DELETE', `/api/records/${encodeURIComponent(recordId)}`);
    say('The memory was deleted.');
  }),
);

byId('search').addEventListener('submit', (event) => {
  event.preventDefault();
  say('');
  refreshRecords().catch((error) => say(error.message, true));
});

byId('search-clear').addEventListener('click', () => {
  byId('search-query').value = '';
  say('');
  loadRecords('', 'text').catch((error) => say(error.message, true));
});

async function start() {
  const overview = await api('GET', '/api/overview');
  byId('user-id').textContent = overview.userId;
  byId('memory-summary').textContent = `memory ${overview.memoryId} · changes are audited to ${overview.auditLog}`;
  strategies = overview.strategies ?? {};
  document.title = `Memory of ${overview.userId}`;
  await Promise.all([loadRecords('', 'text'), loadSessions()]);
}

start().catch((error) => say(error.message, true));
