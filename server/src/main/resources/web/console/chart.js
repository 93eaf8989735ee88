// Concurrent viewers over time as a uPlot line chart: the total and one line per host app. uPlot comes from its WebJar
// (web/vendor/uplot, a classic script setting window.uPlot). The chart is rebuilt only when the set of lines changes;
// otherwise new data is swapped in, so a refresh does not flicker.
import { h } from './dom.js';

const COLOURS = ['#f5f5ff', '#ff8a5c', '#5ff2b5', '#9fb4ff', '#ffd65c', '#e58cff', '#5cd6ff'];

export function viewersChart() {
  const element = h('div', { class: 'chart', id: 'viewers-chart', role: 'img', 'aria-label': 'Concurrent viewers over time' });
  let plot = null;
  let labels = '';
  const resize = new ResizeObserver(() => {
    if (plot) plot.setSize(size(element));
  });
  resize.observe(element);

  /** stats: the API's RoomStats; names: Map app id → name. */
  function update(stats, names) {
    const apps = Object.keys(stats.series.length ? stats.series[0].apps : {}).sort();
    const xs = stats.series.map((p) => Date.parse(p.t) / 1000);
    const data = [xs, stats.series.map((p) => p.viewers), ...apps.map((a) => stats.series.map((p) => p.apps[a] ?? 0))];
    const series = ['Total', ...apps.map((a) => names.get(a) || a)];
    // read back by people with devtools and by the browser test: what is drawn, not only that a canvas exists
    element.dataset.series = JSON.stringify(series);
    element.dataset.points = String(xs.length);
    if (plot && labels === JSON.stringify(series)) {
      plot.setData(data);
      return;
    }
    if (plot) plot.destroy();
    labels = JSON.stringify(series);
    plot = new window.uPlot({
      ...size(element),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      // viewers are whole people: integer ticks only
      axes: [axis(), { ...axis(), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6], values: (u, ticks) => ticks.map(String) }],
      series: [{}, ...series.map((label, i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: i === 0 ? 2.5 : 1.5, points: { show: false },
      }))],
      legend: { live: true },
    }, data, element);
    element.uplot = plot; // the instance, for the test and devtools (a property, never a global)
  }

  return { element, update, destroy: () => { resize.disconnect(); if (plot) plot.destroy(); } };
}

function axis() {
  return { stroke: '#c9c9e6', grid: { stroke: '#ffffff14' }, ticks: { stroke: '#ffffff24' } };
}

function size(el) {
  const width = Math.max(240, el.clientWidth || 320);
  return { width, height: width < 600 ? 200 : 260 };
}
