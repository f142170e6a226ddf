// The account to one giving municipality (`#/giving/<municipalityId>`; `#/giving` is a municipality officer's own):
// what it pledged and paid, where its money went, what the recipients reported and the hours its staff gave; as a
// CSV file and as a printable page too.
import { html, useState } from '../lib.js';
import { t, label, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Empty, Dl, errorText, saveSpreadsheet, saveBlob } from '../ui.js';
import { useSession, may } from '../session.js';
import { Figures, PledgeState, Receipts, earmarkText, sum } from './fund.js';
import { Report } from './grant.js';

/** Download the account as CSV, or open it as a printable page (saved as a file when no tab may be opened). */
function AccountFiles({ municipalityId }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [said, setSaid] = useState(null);
  const run = (action) => async () => {
    setBusy(true);
    setError(null);
    setSaid(null);
    try { await action(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const csv = run(async () => saveSpreadsheet((await gql('FundAccountSheet', { municipalityId })).fundAccountSheet));
  const printable = run(async () => {
    const r = (await gql('FundAccountReport', { municipalityId })).fundAccountReport;
    const blob = new Blob([r.html], { type: r.mediaType });
    const url = URL.createObjectURL(blob);
    const tab = window.open(url, '_blank');
    if (tab) {
      setSaid(t('giving.reportOpened'));
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } else {
      URL.revokeObjectURL(url);
      saveBlob(blob, r.filename);
      setSaid(t('giving.reportSaved', { file: r.filename }));
    }
  });
  return html`<div class="actions account-files">
    <button type="button" disabled=${busy} onClick=${csv}>${t('giving.csv')}</button>
    <button type="button" disabled=${busy} onClick=${printable}>${t('giving.printable')}</button>
    ${said && html`<span class="muted" role="status">${said}</span>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </div>`;
}

function Account({ municipalityId }) {
  const { user } = useSession();
  const officer = may(user, 'READ_FUND');
  const q = useQuery('FundAccount', { municipalityId });
  return html`<${Loaded} q=${q}>${(d) => {
    const a = d.fundAccount;
    return html`<section class="giving">
      ${officer && html`<p class="crumbs"><a href="#/fund">${t('fund.title')}</a></p>`}
      <h1>${t('giving.title', { name: a.municipalityName })}</h1>
      <p class="lead">${t('giving.intro')}</p>
      <${AccountFiles} municipalityId=${municipalityId} />
      <${Figures} items=${[
        [fmt.euros(a.pledgedCents), t('fund.tilePledged')],
        [fmt.euros(a.receivedCents), t('fund.tileReceived')],
        [fmt.euros(a.spentCents), t('fund.tilePaidOut')],
        [fmt.euros(a.unspentCents), t('giving.tileUnspent')],
      ]} />

      <h2>${t('giving.pledges')}</h2>
      ${a.pledges.length === 0 ? html`<${Empty}>${t('fund.noPledges')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('giving.pledgedOn')}</th><th scope="col">${t('fund.purpose')}</th><th scope="col">${t('fund.earmark')}</th>
          <th scope="col">${t('fund.due')}</th><th scope="col" class="num">${t('fund.pledged')}</th><th scope="col" class="num">${t('fund.received')}</th>
          <th scope="col">${t('fund.state')}</th></tr></thead>
        <tbody>${a.pledges.map((p) => html`<tr>
          <td class="date" data-label=${t('giving.pledgedOn')}>${fmt.date(p.createdAt)}${p.donorKind !== 'MUNICIPALITY' ? ` · ${p.donorName}` : ''}</td>
          <td data-label=${t('fund.purpose')}>${label('fundPurpose', p.purpose)}</td>
          <td data-label=${t('fund.earmark')}>${earmarkText(p)}</td>
          <td class="date" data-label=${t('fund.due')}>${fmt.date(p.dueDate)}</td>
          <td class="num" data-label=${t('fund.pledged')}>${fmt.euros(p.amountCents)}</td>
          <td class="num" data-label=${t('fund.received')}>${fmt.euros(p.receivedCents)}<${Receipts} receipts=${p.receipts} /></td>
          <td data-label=${t('fund.state')}><${PledgeState} p=${p} /></td></tr>`)}</tbody></table>`}

      <h2 id="spending-title">${t('giving.whereTitle')}</h2>
      <p class="muted">${t('giving.whereHint')}</p>
      ${a.spending.length === 0 ? html`<${Empty}>${t('giving.noSpending')}<//>` : html`<table class="list spending" aria-labelledby="spending-title">
        <thead><tr><th scope="col">${t('fund.grant')}</th><th scope="col">${t('fund.recipient')}</th><th scope="col">${t('giving.oblast')}</th>
          <th scope="col">${t('fund.plan')}</th><th scope="col">${t('fund.purpose')}</th><th scope="col" class="num">${t('giving.share')}</th>
          <th scope="col" class="num">${t('giving.ofGrant')}</th></tr></thead>
        <tbody>${a.spending.map((s) => html`<tr>
          <td data-label=${t('fund.grant')}>${officer ? html`<a href=${`#/grant/${s.grantId}`}>${s.title}</a>` : s.title}</td>
          <td data-label=${t('fund.recipient')}>${s.recipient}</td>
          <td data-label=${t('giving.oblast')}>${s.region || '—'}</td>
          <td data-label=${t('fund.plan')}>${s.planTitle || '—'}</td>
          <td data-label=${t('fund.purpose')}>${label('fundPurpose', s.purpose)}</td>
          <td class="num" data-label=${t('giving.share')}>${fmt.euros(s.amountCents)}</td>
          <td class="num" data-label=${t('giving.ofGrant')}>${fmt.euros(s.grantAmountCents)}</td></tr>`)}</tbody>
        <tfoot><tr><th scope="row" colspan="5">${t('fund.total')}</th><td class="num" data-label=${t('giving.share')}>${fmt.euros(sum(a.spending, (s) => s.amountCents))}</td><td></td></tr></tfoot>
      </table>`}

      <h2>${t('giving.reports')}</h2>
      ${a.reports.length === 0 ? html`<${Empty}>${t('giving.noReports')}<//>` : html`<div class="reports">
        ${a.reports.map((r) => html`<${Report} r=${r} title=${r.grantTitle} needTitles=${r.needs} />`)}</div>`}

      <h2>${t('giving.hours')}</h2>
      <${Dl} rows=${[
        [t('ledger.delivered'), fmt.number(a.hours.hoursDelivered)],
        [t('ledger.experts'), fmt.number(a.hours.expertCount)],
        [t('giving.assignments'), fmt.number(a.hours.assignmentCount)],
        [t('ledger.value'), t('giving.inkind', { value: fmt.euros(a.hours.inkindValueCents), rate: fmt.euros(a.inkindHourlyRateCents) })],
      ]} />
      <p class="muted">${t('giving.generatedAt', { when: fmt.dateTime(a.generatedAt) })}</p>
    </section>`;
  }}<//>`;
}

/** `#/giving/<municipalityId>`, or `#/giving` for a municipality officer's own municipality. */
export function GivingPage({ id }) {
  const { user } = useSession();
  const municipalityId = id || (user.municipality && user.municipality.side === 'CONTRIBUTING' ? user.municipality.id : null);
  if (!municipalityId) {
    return html`<section><h1>${t('giving.titleNone')}</h1><${Empty}>${t('giving.chooseGiver')}<//>
      ${may(user, 'READ_FUND') && html`<p><a href="#/fund">${t('fund.title')}</a></p>`}</section>`;
  }
  return html`<${Account} municipalityId=${municipalityId} />`;
}
