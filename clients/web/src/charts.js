// Charts through Chart.js (vendored UMD build), loaded only by the pages that draw one. Each chart has a
// table of the same figures next to it for screen readers and for copying.
import { html, useEffect, useRef } from './lib.js';

let loading = null;

function chartLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/app/vendor/chart.js/chart.umd.js';
      s.onload = () => resolve(window.Chart);
      s.onerror = () => { loading = null; reject(new Error('chart library')); };
      document.head.append(s);
    });
  }
  return loading;
}

const PALETTE = ['#1f5aa6', '#e0a400', '#2e8b57', '#c0392b', '#7d3c98', '#16a085', '#d35400', '#5d6d7e'];

/** A bar or line chart of `rows` ([{ label, value }]) with `title`; the canvas is hidden from screen readers,
 *  which read the table instead. */
export function Chart({ kind = 'bar', title, rows, format = (v) => v }) {
  const canvas = useRef();
  useEffect(() => {
    let chart = null;
    let cancelled = false;
    chartLibrary().then((ChartJs) => {
      if (cancelled || !canvas.current) return;
      chart = new ChartJs(canvas.current, {
        type: kind,
        data: {
          labels: rows.map((r) => r.label),
          datasets: [{ label: title, data: rows.map((r) => r.value), backgroundColor: kind === 'bar' ? PALETTE : '#1f5aa6', borderColor: '#1f5aa6', tension: 0.2 }],
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
      });
    }, () => {});
    return () => { cancelled = true; if (chart) chart.destroy(); };
  }, [JSON.stringify(rows), kind, title]);
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <div class="chart-box"><canvas ref=${canvas} aria-hidden="true"></canvas></div>
    <details><summary>${title}</summary>
      <table><tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${format(r.value)}</td></tr>`)}</tbody></table>
    </details>
  </figure>`;
}
