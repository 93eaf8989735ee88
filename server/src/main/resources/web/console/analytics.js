// The room's figures from GET /rooms/{id}/stats: viewers sampled every 10 s per host app (the chart), unique viewers and
// watch time since the room began, and the comments, likes, gifts, orders and sales counted in the chosen range.
import { api, seg } from './api.js';
import { h, show, errorLine } from './dom.js';
import { number, duration, money } from './format.js';
import { appNames } from './apps.js';
import { viewersChart } from './chart.js';

// ranges offered, each with a step that keeps the series near a hundred points (the API allows 1000)
const RANGES = [
  { label: 'Last 15 minutes', minutes: 15, step: 10 },
  { label: 'Last hour', minutes: 60, step: 30 },
  { label: 'Last 6 hours', minutes: 360, step: 180 },
  { label: 'Last 24 hours', minutes: 1440, step: 600 },
];

const TILES = [
  ['peakViewers', 'Peak viewers', number],
  ['uniqueViewers', 'Unique viewers', number],
  ['watchMillis', 'Watch time', duration],
  ['averageWatchMillis', 'Average watch', duration],
  ['comments', 'Comments', number],
  ['likes', 'Likes', number],
  ['gifts', 'Gifts', number],
  ['orders', 'Orders', number],
  ['units', 'Units', number],
];

export function analyticsSection(roomId) {
  const range = h('select', { id: 'range', 'aria-label': 'Range' }, RANGES.map((r, i) => h('option', { value: i, text: r.label })));
  const updated = h('span', { class: 'muted small', id: 'stats-updated' });
  const messages = h('div', {});
  const chart = viewersChart();
  const tiles = h('div', { class: 'tiles', id: 'tiles' });
  const table = h('div', { class: 'table-wrap', id: 'apps-table' });
  const body = h('div', { hidden: true }, h('h3', { text: 'Concurrent viewers' }), chart.element, tiles, h('h3', { text: 'By host app' }), table);
  const loading = h('p', { class: 'muted', text: 'Loading figures…' });
  const element = h('section', { class: 'card', id: 'analytics' },
    h('div', { class: 'section-head' }, h('h2', { text: 'Analytics' }), updated, range), messages, loading, body);
  let inFlight = false;
  let again = false;

  async function refresh() {
    if (inFlight) {
      again = true; // one more pass when this answer is in: asked-for figures are never older than the asking
      return;
    }
    inFlight = true;
    try {
      const r = RANGES[Number(range.value)];
      const to = new Date();
      const from = new Date(to.getTime() - r.minutes * 60_000);
      const q = '?from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString()) + '&step=' + r.step;
      const stats = withoutIdlePlayers(await api('GET', '/rooms/' + seg(roomId) + '/stats' + q));
      const names = await appNames(Object.keys(stats.apps));
      loading.remove();
      body.hidden = false;
      chart.update(stats, names);
      renderTiles(tiles, stats.total);
      renderTable(table, stats.apps, names);
      updated.textContent = 'Updated ' + to.toLocaleTimeString();
      show(messages);
    } catch (err) {
      loading.remove();
      show(messages, errorLine(err));
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }
  range.addEventListener('change', refresh);

  return { element, refresh, destroy: chart.destroy };
}

/**
 * The server samples the room's media players (FLV, RTMP; app "") even when there are none; a line and a row of zeros
 * would only crowd the host apps, so they are shown once a player has watched.
 */
function withoutIdlePlayers(stats) {
  const p = stats.apps[''];
  if (p && !p.peakViewers && !p.uniqueViewers && !p.watchMillis) {
    delete stats.apps[''];
    stats.series.forEach((point) => delete point.apps['']);
  }
  return stats;
}

function renderTiles(tiles, total) {
  const sales = Object.entries(total.sales || {});
  show(tiles,
    TILES.map(([key, label, fmt]) => tile(key, label, fmt(total[key] ?? 0))),
    sales.length ? sales.map(([cur, minor]) => tile('sales-' + cur, 'Sales ' + cur, money(minor, cur))) : tile('sales', 'Sales', '–'));
}

function tile(key, label, value) {
  return h('div', { class: 'tile', dataset: { figure: key } }, h('span', { class: 'label', text: label }), h('b', { class: 'value', text: value }));
}

function renderTable(wrap, apps, names) {
  const ids = Object.keys(apps).sort((a, b) => (apps[b].peakViewers ?? 0) - (apps[a].peakViewers ?? 0));
  if (!ids.length) {
    show(wrap, h('p', { class: 'empty', text: 'No viewers, comments or orders in this range yet.' }));
    return;
  }
  const cols = [['Peak', 'peakViewers', number], ['Unique', 'uniqueViewers', number], ['Watch', 'watchMillis', duration],
    ['Comments', 'comments', number], ['Likes', 'likes', number], ['Gifts', 'gifts', number], ['Orders', 'orders', number],
    ['Units', 'units', number]];
  show(wrap, h('table', {},
    h('thead', {}, h('tr', {}, h('th', { text: 'App' }), cols.map(([label]) => h('th', { text: label })), h('th', { text: 'Sales' }))),
    h('tbody', {}, ids.map((id) => h('tr', { dataset: { app: id } },
      h('th', { scope: 'row', text: names.get(id) || id }),
      cols.map(([, key, fmt]) => h('td', { dataset: { figure: key }, text: fmt(apps[id][key] ?? 0) })),
      h('td', { text: Object.entries(apps[id].sales || {}).map(([c, m]) => money(m, c)).join(', ') || '–' }))))));
}
