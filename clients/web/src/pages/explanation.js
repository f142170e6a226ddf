// Why a match scores what it scores: every part of the score and every requirement, met or not.
import { html } from '../lib.js';
import { t, label, fmt } from '../i18n.js';

export function Explanation({ e }) {
  const parts = [
    ['essentialMargin', e.essentialMargin],
    ['desiredSkills', e.desiredSkills],
    ['language', e.language],
    ['periodCoverage', e.periodCoverage],
    ['continuity', e.continuity],
  ];
  return html`<details class="explanation">
    <summary>${t('match.why', { score: e.total })}</summary>
    <table class="compact">
      <caption class="visually-hidden">${t('match.parts')}</caption>
      <tbody>${parts.map(([k, v]) => html`<tr><th scope="row">${t(`match.${k}`)}</th><td class="num">${v}</td></tr>`)}
        <tr class="total"><th scope="row">${t('match.total')}</th><td class="num">${e.total}</td></tr></tbody>
    </table>
    <ul class="plain">
      ${e.skills.map((s) => html`<li class=${s.level != null && s.level >= s.minLevel ? 'met' : 'unmet'}>
        ${s.level != null && s.level >= s.minLevel ? '✓' : '✗'} ${s.skill}: ${t('match.levelOf', { level: s.level ?? '—', min: s.minLevel })} ${s.essential ? `(${t('needs.essential')})` : `(${t('needs.desired')})`}</li>`)}
      ${e.languages.map((l) => html`<li>${l.level ? '✓' : '✗'} ${l.language.toUpperCase()}: ${l.level || '—'} / ${l.minLevel}</li>`)}
      ${e.interpreterNeeded && html`<li>${t('match.interpreterNeeded')}</li>`}
      <li>${t('match.coverage', { percent: fmt.percent(e.coveragePermille / 1000), from: fmt.date(e.periodStart), until: fmt.date(e.periodEnd) })}</li>
      <li>${t('match.hours', { hours: e.hoursPerWeek, free: e.freeHoursPerWeek })}</li>
      <li>${t('match.modes')}: ${e.modes.map((m) => label('mode', m)).join(', ')}</li>
      ${e.worksWithHromada && html`<li>${t('match.continuityNote')}</li>`}
    </ul>
  </details>`;
}
