// Spreadsheets brought in, the whole file in base64, checked first, then written all at once (the chooser and the
// report are `SheetUpload` in ui.js): a municipality's experts (download them or an empty template, CSV or XLSX,
// and bring the edited file back), and a recovery plan's needs (from the template, one row per role).
import { html } from '../lib.js';
import { t } from '../i18n.js';
import { gql } from '../api.js';
import { SheetDownload, SheetUpload, withCode } from '../ui.js';

export function ExpertSheet({ municipality, onImported }) {
  return html`<details class="card sheet">
    <summary>${t('sheet.title')}</summary>
    <p class="muted">${t('sheet.intro')}</p>
    <div class="actions">
      <${SheetDownload} labelText=${t('sheet.downloadExperts')}
        load=${async (format) => (await gql('ExpertsSheet', { municipalityId: municipality.id, format })).expertsSheet} />
      <${SheetDownload} labelText=${t('sheet.downloadTemplate')}
        load=${async (format) => (await gql('ExpertsTemplate', { format })).expertsTemplate} />
    </div>
    <${SheetUpload} onImported=${onImported}
      send=${async (file, dryRun) => (await gql('ImportExperts', { municipalityId: municipality.id, file, dryRun })).importExperts}
      words=${{
        checked: (c) => t('sheet.checked', c),
        applied: (c) => t('sheet.applied', c),
        nothingToChange: t('sheet.nothingToChange'),
        bringIn: (c) => t('sheet.import', { count: c.rows }),
      }} />
  </details>`;
}

/** The columns of the needs sheet, in short (the server's `importNeeds` reads them). */
function NeedColumns() {
  return html`<ul class="sheet-columns">
    <li>${withCode(t('needSheet.rows'), { reference: 'reference', needColumns: 'need, description, sector, priority, start_date, end_date, modes', roleColumns: 'role, seats, hours_per_week' })}</li>
    <li>${withCode(t('needSheet.reference'), { reference: 'reference' })}</li>
    <li>${withCode(t('needSheet.skills'), { skills: 'skills', format: t('needSheet.skillsFormat'), example: 'DISTRICT_HEATING:4; Public procurement:3:optional' })}</li>
    <li>${withCode(t('needSheet.languages'), { languages: 'languages', format: t('needSheet.languagesFormat'), example: 'en:B2; uk:C1' })}</li>
    <li>${withCode(t('needSheet.values'), { date: '2027-03-01', modes: 'modes', modeValues: 'REMOTE; ON_SITE; HOSTING', interpreter: 'interpreter_available' })}</li>
  </ul>`;
}

/** A plan's needs from a sheet (for those who may add needs to the plan, while it is not closed). */
export function NeedSheet({ plan, onImported }) {
  return html`<details class="card sheet">
    <summary>${t('needSheet.title')}</summary>
    <p class="muted">${t('needSheet.intro')}</p>
    <${NeedColumns} />
    <div class="actions">
      <${SheetDownload} labelText=${t('needSheet.downloadTemplate')}
        load=${async (format) => (await gql('NeedsTemplate', { format })).needsTemplate} />
    </div>
    <${SheetUpload} onImported=${onImported}
      send=${async (file, dryRun) => (await gql('ImportNeeds', { planId: plan.id, file, dryRun })).importNeeds}
      words=${{
        checked: (c) => t('needSheet.checked', c),
        applied: (c) => t('needSheet.applied', c),
        nothingToChange: t('needSheet.nothingToChange'),
        bringIn: (c) => t('needSheet.import', { count: c.created + c.updated }),
      }} />
  </details>`;
}
