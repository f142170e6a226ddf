// The pool in figures, for anyone: no personal data, only aggregates the server publishes.
import { html } from '../lib.js';
import { t, label, fmt } from '../i18n.js';
import { useQuery, Loaded } from '../ui.js';
import { Chart } from '../charts.js';

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
        </div>
        <div class="charts">
          <${Chart} title=${t('public.openNeedsPerSector')} rows=${s.openNeedsPerSector.map((r) => ({ label: label('sector', r.key), value: r.count }))} />
          <${Chart} title=${t('public.needsPerStatus')} rows=${s.needsPerStatus.map((r) => ({ label: label('needStatus', r.key), value: r.count }))} />
          ${s.hoursPerMonth.length === 0
            ? html`<figure class="chart"><figcaption>${t('public.hoursPerMonth')}</figcaption><p class="empty">${t('public.noHoursYet')}</p></figure>`
            : html`<${Chart} kind="line" title=${t('public.hoursPerMonth')} rows=${s.hoursPerMonth.map((r) => ({ label: fmt.month(r.key), value: r.count }))} format=${fmt.number} />`}
        </div>`;
    }}<//>
  </section>`;
}
