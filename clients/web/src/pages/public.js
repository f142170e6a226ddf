// The pool in figures, for anyone: no personal data, only aggregates the server publishes (the VNG Fund's totals
// among them, and the network around the pool: municipalities taking part, reception places offered today).
import { html } from '../lib.js';
import { t, label, fmt } from '../i18n.js';
import { useQuery, Loaded } from '../ui.js';
import { Chart } from '../charts.js';

/** The fund's sums per purpose or per oblast: pledged, received, paid out. */
function FundLines({ id, title, headText, lines, name }) {
  return html`<figure class="chart fund-lines">
    <figcaption id=${id}>${title}</figcaption>
    <table aria-labelledby=${id}>
      <thead><tr><th scope="col">${headText}</th><th scope="col" class="num">${t('public.fundPledged')}</th>
        <th scope="col" class="num">${t('public.fundReceived')}</th><th scope="col" class="num">${t('public.fundPaidOut')}</th></tr></thead>
      <tbody>${lines.map((l) => html`<tr><th scope="row">${name(l.key)}</th><td class="num" data-label=${t('public.fundPledged')}>${fmt.euros(l.pledgedCents)}</td>
        <td class="num" data-label=${t('public.fundReceived')}>${fmt.euros(l.receivedCents)}</td>
        <td class="num" data-label=${t('public.fundPaidOut')}>${fmt.euros(l.disbursedCents)}</td></tr>`)}</tbody>
    </table>
  </figure>`;
}

/** The VNG Fund: money pledged, received and paid out, the giving municipalities, per purpose and per oblast. */
function FundFigures({ fund }) {
  const euros = (cents) => cents / 100;
  return html`<section class="fund-figures" aria-labelledby="fund-figures-title">
    <h2 id="fund-figures-title">${t('public.fundTitle')}</h2>
    <p class="muted">${t('public.fundIntro')}</p>
    <div class="tiles">
      <div class="tile"><span class="figure">${fmt.euros(fund.pledgedCents)}</span><span>${t('public.fundPledgedTile')}</span></div>
      <div class="tile"><span class="figure">${fmt.euros(fund.receivedCents)}</span><span>${t('public.fundReceivedTile')}</span></div>
      <div class="tile"><span class="figure">${fmt.euros(fund.disbursedCents)}</span><span>${t('public.fundPaidOutTile')}</span></div>
      <div class="tile"><span class="figure">${fmt.number(fund.givingMunicipalities)}</span><span>${t('public.fundGiving')}</span></div>
    </div>
    <div class="fund-grid">
      <${Chart} title=${t('public.fundReceivedPerPurpose')} rows=${fund.perPurpose.map((r) => ({ label: label('fundPurpose', r.key), value: euros(r.receivedCents) }))}
        format=${(v) => fmt.euros(Math.round(v * 100))} />
      <${FundLines} title=${t('public.fundPerPurpose')} id="fund-per-purpose" headText=${t('public.fundPurposeHead')} lines=${fund.perPurpose} name=${(k) => label('fundPurpose', k)} />
      <${FundLines} title=${t('public.fundPerOblast')} id="fund-per-oblast" headText=${t('public.fundOblastHead')} lines=${fund.perRegion} name=${(k) => k || t('public.fundNoOblast')} />
    </div>
  </section>`;
}

export function PublicFigures() {
  const q = useQuery('PublicStatistics', {});
  return html`<section>
    <h1>${t('public.title')}</h1>
    <p class="lead">${t('public.intro')}</p>
    <${Loaded} q=${q}>${(d) => {
      const s = d.publicStatistics;
      return html`
        <div class="tiles">
          <div class="tile"><span class="figure">${fmt.percent(s.fillRate)}</span><span>${t('public.fillRate')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(s.activeExperts)}</span><span>${t('public.activeExperts')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(s.contributingMunicipalities)}</span><span>${t('public.contributing')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(s.participatingMunicipalities)}</span><span>${t('public.participating')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(s.receptionPlaces)}</span><span>${t('public.receptionPlaces')}</span></div>
        </div>
        <div class="charts">
          <${Chart} title=${t('public.openNeedsPerSector')} rows=${s.openNeedsPerSector.map((r) => ({ label: label('sector', r.key), value: r.count }))} />
          <${Chart} title=${t('public.needsPerStatus')} rows=${s.needsPerStatus.map((r) => ({ label: label('needStatus', r.key), value: r.count }))} />
          ${s.hoursPerMonth.length === 0
            ? html`<figure class="chart"><figcaption>${t('public.hoursPerMonth')}</figcaption><p class="empty">${t('public.noHoursYet')}</p></figure>`
            : html`<${Chart} kind="line" title=${t('public.hoursPerMonth')} rows=${s.hoursPerMonth.map((r) => ({ label: fmt.month(r.key), value: r.count }))} format=${fmt.number} />`}
        </div>
        <${FundFigures} fund=${s.fund} />`;
    }}<//>
  </section>`;
}
