// The contribution ledger: what each municipality gave in hours and in-kind value, as a file too (CSV or XLSX).
import { html, useState } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, TextInput, Empty, Badge, SheetDownload } from '../ui.js';
import { useSession } from '../session.js';

/** A municipality officer's own contribution, expert by expert. */
function OwnExperts({ municipalityId, period }) {
  const q = useQuery('MunicipalityContribution', { municipalityId, ...period });
  return html`<${Loaded} q=${q}>${(d) => {
    const c = d.municipalityContribution;
    return html`<h2>${t('ledger.perExpert', { name: c.name })}</h2>
      ${c.experts.length === 0 ? html`<${Empty}>${t('ledger.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('experts.name')}</th><th scope="col">${t('experts.status')}</th><th scope="col" class="num">${t('ledger.offered')}</th>
          <th scope="col" class="num">${t('ledger.assigned')}</th><th scope="col" class="num">${t('ledger.delivered')}</th><th scope="col" class="num">${t('ledger.value')}</th></tr></thead>
        <tbody>${c.experts.map((x) => html`<tr><td><a href=${`#/expert/${x.expertId}`}>${x.name}</a></td><td><${Badge} group="expertStatus" value=${x.status} /></td>
          <td class="num">${fmt.number(x.hoursOffered)}</td><td class="num">${fmt.number(x.hoursAssigned)}</td><td class="num">${fmt.number(x.hoursDelivered)}</td>
          <td class="num">${fmt.euros(x.inkindValueCents)}</td></tr>`)}</tbody></table>`}`;
  }}<//>`;
}

export function LedgerPage({ params }) {
  const { user } = useSession();
  const [from, setFrom] = useState(params.from || '');
  const [until, setUntil] = useState(params.until || '');
  const period = { from: from || null, until: until || null };
  const q = useQuery('Ledger', period);
  return html`<section>
    <h1>${t('ledger.title')}</h1>
    <p class="lead">${t('ledger.intro')}</p>
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('ledger.period')}>
      <${TextInput} type="date" labelText=${t('ledger.from')} value=${from} onInput=${setFrom} />
      <${TextInput} type="date" labelText=${t('ledger.until')} value=${until} onInput=${setUntil} />
      <${SheetDownload} load=${async (format) => (await gql('LedgerSheet', { ...period, format })).contributionLedgerSheet} />
    </form>
    <${Loaded} q=${q}>${(d) => {
      const l = d.contributionLedger;
      return l.municipalities.length === 0 ? html`<${Empty}>${t('ledger.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('ledger.municipality')}</th><th scope="col" class="num">${t('ledger.experts')}</th><th scope="col" class="num">${t('ledger.offered')}</th>
          <th scope="col" class="num">${t('ledger.assigned')}</th><th scope="col" class="num">${t('ledger.delivered')}</th><th scope="col" class="num">${t('ledger.value')}</th>
          <th scope="col" class="num">${t('ledger.helped')}</th></tr></thead>
        <tbody>${l.municipalities.map((m) => html`<tr><td>${m.name} <small class="muted">${m.code}</small></td><td class="num">${m.expertCount}</td>
          <td class="num">${fmt.number(m.hoursOffered)}</td><td class="num">${fmt.number(m.hoursAssigned)}</td><td class="num">${fmt.number(m.hoursDelivered)}</td>
          <td class="num">${fmt.euros(m.inkindValueCents)}</td><td class="num">${m.municipalitiesHelped}</td></tr>`)}</tbody>
        <tfoot><tr><th scope="row">${t('ledger.total')}</th><td class="num">${l.totals.expertCount}</td><td class="num">${fmt.number(l.totals.hoursOffered)}</td>
          <td class="num">${fmt.number(l.totals.hoursAssigned)}</td><td class="num">${fmt.number(l.totals.hoursDelivered)}</td>
          <td class="num">${fmt.euros(l.totals.inkindValueCents)}</td><td class="num">${l.totals.municipalitiesHelped}</td></tr></tfoot></table>`;
    }}<//>
    ${user.role === 'MUNICIPALITY_OFFICER' && user.municipality && html`<${OwnExperts} municipalityId=${user.municipality.id} period=${period} />`}
  </section>`;
}
