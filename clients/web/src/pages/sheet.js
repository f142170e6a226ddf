// A municipality's experts as a spreadsheet: download them or an empty template (CSV or XLSX), bring an edited
// file back (the whole file in base64, checked first, then written all at once).
import { html, useState } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { errorText, reasonText, SheetDownload, fileBase64 } from '../ui.js';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The largest file one request carries: the service takes bodies up to 256 KiB, and base64 makes 4 bytes of 3. */
const MAX_FILE_BYTES = 192 * 1000;

export function ExpertSheet({ municipality, onImported }) {
  const [sheet, setSheet] = useState(null);
  const [check, setCheck] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function run(file, dryRun) {
    setBusy(true);
    setError(null);
    try {
      const d = await gql('ImportExperts', { municipalityId: municipality.id, file: file.base64, dryRun });
      setCheck({ ...d.importExperts, file: file.name });
      if (d.importExperts.applied) { setSheet(null); onImported(); }
    } catch (e) { setError({ e, file: file.name }); } finally { setBusy(false); }
  }

  async function choose(event) {
    const input = event.target;
    const file = input.files[0];
    if (!file) return;
    setSheet(null);
    setCheck(null);
    setError(null);
    try {
      if (file.size > MAX_FILE_BYTES) {
        setError({ e: new Error(t('sheet.tooLarge', { size: fmt.number(Math.ceil(file.size / 1000)), max: fmt.number(MAX_FILE_BYTES / 1000) })), file: file.name });
        return;
      }
      const chosen = { name: file.name, base64: await fileBase64(file) };
      setSheet(chosen);
      await run(chosen, true);
    } catch (e) {
      setError({ e, file: file.name });
    } finally {
      // Choosing the same file again, once corrected, reads it again.
      input.value = '';
    }
  }

  const changes = check ? check.created + check.updated : 0;
  return html`<details class="card sheet">
    <summary>${t('sheet.title')}</summary>
    <p class="muted">${t('sheet.intro')}</p>
    <div class="actions">
      <${SheetDownload} labelText=${t('sheet.downloadExperts')}
        load=${async (format) => (await gql('ExpertsSheet', { municipalityId: municipality.id, format })).expertsSheet} />
      <${SheetDownload} labelText=${t('sheet.downloadTemplate')}
        load=${async (format) => (await gql('ExpertsTemplate', { format })).expertsTemplate} />
    </div>
    <div class="actions">
      <label class="button">${t('sheet.choose')}<input type="file" accept=${ACCEPT} class="visually-hidden" disabled=${busy} onChange=${choose} /></label>
    </div>
    ${check && html`<div class=${`alert ${check.problems.length ? 'error' : 'ok'}`} role="status">
      <p><strong>${check.file}</strong></p>
      <p>${check.applied ? t('sheet.applied', { created: check.created, updated: check.updated, unchanged: check.unchanged })
        : t('sheet.checked', { rows: check.rows, created: check.created, updated: check.updated, unchanged: check.unchanged })}</p>
      ${!check.applied && check.problems.length === 0 && changes === 0 && html`<p>${t('sheet.nothingToChange')}</p>`}
      ${check.problems.length > 0 && html`<p>${t('sheet.problems', { count: check.problems.length })}</p>
        <table class="compact"><thead><tr><th scope="col">${t('sheet.row')}</th><th scope="col">${t('sheet.column')}</th><th scope="col">${t('sheet.problem')}</th></tr></thead>
          <tbody>${check.problems.map((p) => html`<tr><td class="num">${p.row}</td><td><code>${p.column}</code></td><td>${p.message}</td></tr>`)}</tbody></table>`}
    </div>`}
    ${sheet && check && !check.applied && check.problems.length === 0 && changes > 0 && html`<button type="button" class="primary" disabled=${busy}
      onClick=${() => run(sheet, false)}>${t('sheet.import', { count: check.rows })}</button>`}
    ${error && html`<div class="alert error" role="alert">${error.e.field === 'file'
      ? t('sheet.refused', { file: error.file, reason: reasonText(error.e) }) : errorText(error.e)}</div>`}
  </details>`;
}
