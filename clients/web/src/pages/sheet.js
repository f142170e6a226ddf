// A municipality's experts as a spreadsheet: download the CSV, bring an edited one back (checked first, then
// written all at once).
import { html, useState } from '../lib.js';
import { t } from '../i18n.js';
import { gql } from '../api.js';
import { errorText } from '../ui.js';

export function ExpertSheet({ municipality, onImported }) {
  const [sheet, setSheet] = useState(null);
  const [check, setCheck] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function download() {
    setError(null);
    try {
      const d = await gql('ExpertsCsv', { municipalityId: municipality.id });
      const url = URL.createObjectURL(new Blob([d.expertsCsv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `experts-${municipality.name}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) { setError(e); }
  }

  async function run(csv, dryRun) {
    setBusy(true);
    setError(null);
    try {
      const d = await gql('ImportExperts', { municipalityId: municipality.id, csv, dryRun });
      setCheck(d.importExperts);
      if (d.importExperts.applied) { setSheet(null); onImported(); }
    } catch (e) { setError(e); } finally { setBusy(false); }
  }

  async function choose(event) {
    const file = event.target.files[0];
    if (!file) return;
    const text = await file.text();
    setSheet(text);
    await run(text, true);
  }

  return html`<details class="card sheet">
    <summary>${t('sheet.title')}</summary>
    <p class="muted">${t('sheet.intro')}</p>
    <div class="actions">
      <button type="button" onClick=${download}>${t('sheet.download')}</button>
      <label class="button">${t('sheet.choose')}<input type="file" accept=".csv,text/csv" class="visually-hidden" onChange=${choose} /></label>
    </div>
    ${check && html`<div class=${`alert ${check.problems.length ? 'error' : 'ok'}`} role="status">
      <p>${check.applied ? t('sheet.applied', { created: check.created, updated: check.updated })
        : t('sheet.checked', { rows: check.rows, created: check.created, updated: check.updated })}</p>
      ${check.problems.length > 0 && html`<p>${t('sheet.problems', { count: check.problems.length })}</p>
        <table class="compact"><thead><tr><th scope="col">${t('sheet.row')}</th><th scope="col">${t('sheet.column')}</th><th scope="col">${t('sheet.problem')}</th></tr></thead>
          <tbody>${check.problems.map((p) => html`<tr><td class="num">${p.row}</td><td><code>${p.column}</code></td><td>${p.message}</td></tr>`)}</tbody></table>`}
    </div>`}
    ${sheet && check && !check.applied && check.problems.length === 0 && html`<button type="button" class="primary" disabled=${busy}
      onClick=${() => run(sheet, false)}>${t('sheet.import', { count: check.rows })}</button>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </details>`;
}
