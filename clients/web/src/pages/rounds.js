// Matching rounds: choose needs and run, review the proposals with their explanations and the seats left
// open, commit a selection and see what no longer fitted.
import { html, useState } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Empty, Dl, errorText } from '../ui.js';
import { Explanation } from './explanation.js';

function RunRound() {
  const needs = useQuery('NeedList', { filter: { status: 'OPEN' }, first: 100 });
  const [chosen, setChosen] = useState(new Set());
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [priorityFirst, setPriorityFirst] = useState(true);
  const toggle = (id) => { const s = new Set(chosen); s.has(id) ? s.delete(id) : s.add(id); setChosen(s); };
  async function run() {
    setBusy(true);
    setError(null);
    try {
      const d = await gql('RunMatchingRound', { needIds: chosen.size ? [...chosen] : null, params: priorityFirst ? null : { priorityFirst: false } });
      location.hash = `#/round/${d.runMatchingRound.id}`;
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return html`<section class="card wide">
    <h2>${t('rounds.run')}</h2>
    <p class="muted">${t('rounds.runHint')}</p>
    <${Loaded} q=${needs}>${(d) => html`<fieldset class="need-picker"><legend>${t('rounds.chooseNeeds', { count: d.needs.totalCount })}</legend>
      ${d.needs.edges.map(({ node: n }) => html`<label class="choice"><input type="checkbox" checked=${chosen.has(n.id)} onChange=${() => toggle(n.id)} />
        ${n.title} <small class="muted">${placeName(n.municipality)} · ${label('priority', n.priority)} · ${t('rounds.seatsOpen', { count: n.roles.reduce((s, r) => s + r.seatsOpen, 0) })}</small></label>`)}
    </fieldset>`}<//>
    <label class="choice"><input type="checkbox" checked=${priorityFirst} onChange=${(e) => setPriorityFirst(e.target.checked)} /> ${t('rounds.priorityFirst')}</label>
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
    <button type="button" class="primary" disabled=${busy} onClick=${run}>${chosen.size ? t('rounds.runChosen', { count: chosen.size }) : t('rounds.runAll')}</button>
  </section>`;
}

export function RoundList() {
  const q = useQuery('RoundList', { first: 20 });
  return html`<section>
    <h1>${t('rounds.title')}</h1>
    <${RunRound} />
    <h2>${t('rounds.earlier')}</h2>
    <${Loaded} q=${q}>${(d) => (d.matchingRounds.edges.length === 0 ? html`<${Empty}>${t('rounds.none')}<//>` : html`<table class="list">
      <thead><tr><th scope="col">${t('rounds.when')}</th><th scope="col">${t('rounds.status')}</th><th scope="col" class="num">${t('rounds.needs')}</th>
        <th scope="col" class="num">${t('rounds.experts')}</th><th scope="col" class="num">${t('rounds.filled')}</th></tr></thead>
      <tbody>${d.matchingRounds.edges.map(({ node: r }) => html`<tr><td><a href=${`#/round/${r.id}`}>${fmt.dateTime(r.createdAt)}</a></td>
        <td><${Badge} group="roundStatus" value=${r.status} /></td><td class="num">${r.needCount}</td><td class="num">${r.expertCount}</td>
        <td class="num">${r.stats ? `${r.stats.filledSeats} / ${r.stats.openSeats}` : '—'}</td></tr>`)}</tbody></table>`)}<//>
  </section>`;
}

/** Seats by priority, whether priority came first, and the experts drawn per municipality (the five most drawn). */
function Shaped({ s }) {
  const drawn = s.byMunicipality.filter((m) => m.drawn > 0).slice(0, 5);
  return html`<h2>${t('rounds.shaped')}</h2>
    <p class=${s.priorityFirst ? 'muted' : 'alert warn'}>${s.priorityFirst ? t('rounds.priorityCameFirst')
      : t('rounds.priorityRelaxed', { count: s.guarantees.rolesLosingToLowerPriority })}</p>
    <table class="list">
      <thead><tr><th scope="col">${t('rounds.priority')}</th><th scope="col" class="num">${t('rounds.openSeats')}</th><th scope="col" class="num">${t('rounds.filledSeats')}</th>
        <th scope="col" class="num">${t('rounds.seatsLeft')}</th><th scope="col" class="num">${t('rounds.leftBesideEligible')}</th></tr></thead>
      <tbody>${s.byPriority.map((f) => html`<tr><td>${label('priority', f.priority)}</td><td class="num">${f.openSeats}</td><td class="num">${f.filledSeats}</td>
        <td class="num">${f.seatsLeft}</td><td class="num">${f.seatsLeftWithEligibleExperts}</td></tr>`)}</tbody>
    </table>
    ${drawn.length > 0 && html`<h3>${t('rounds.drawnFrom')}</h3>
      <table class="list">
        <thead><tr><th scope="col">${t('rounds.municipality')}</th><th scope="col" class="num">${t('rounds.drawn')}</th><th scope="col" class="num">${t('rounds.eligibleExperts')}</th>
          <th scope="col" class="num">${t('rounds.spreadPenalty')}</th></tr></thead>
        <tbody>${drawn.map((m) => html`<tr><td>${m.municipality.name}</td><td class="num">${m.drawn}</td><td class="num">${m.eligibleExperts}</td><td class="num">${m.penalty}</td></tr>`)}</tbody>
      </table>`}`;
}

export function RoundPage({ id }) {
  const q = useQuery('RoundDetail', { id });
  const [chosen, setChosen] = useState(null);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  return html`<${Loaded} q=${q}>${(d) => {
    const r = d.matchingRound;
    const selected = chosen || new Set(r.proposals.map((p) => p.position));
    const toggle = (pos) => { const s = new Set(selected); s.has(pos) ? s.delete(pos) : s.add(pos); setChosen(s); };
    async function commit() {
      setBusy(true);
      setError(null);
      try {
        const c = await gql('CommitProposals', { roundId: r.id, positions: [...selected] });
        setResult(c.commitProposals);
      } catch (e) { setError(e); } finally { setBusy(false); }
    }
    const s = r.stats;
    return html`<section>
      <p class="crumbs"><a href="#/rounds">${t('rounds.title')}</a></p>
      <h1>${t('rounds.roundOf', { when: fmt.dateTime(r.createdAt) })} <${Badge} group="roundStatus" value=${r.status} /></h1>
      ${r.error && html`<div class="alert error" role="alert">${r.error}</div>`}
      ${s && html`<${Dl} rows=${[
        [t('rounds.needs'), s.needs], [t('rounds.experts'), s.experts], [t('rounds.eligiblePairs'), s.eligiblePairs],
        [t('rounds.filled'), `${s.filledSeats} / ${s.openSeats}`], [t('rounds.leftOpen'), s.openSeats - s.filledSeats],
        [t('rounds.totalScore'), s.totalScore], [t('rounds.priorityReward'), s.totalPriorityReward], [t('rounds.penalty'), s.totalMunicipalityPenalty],
      ]} />`}
      ${s && html`<${Shaped} s=${s} />`}
      ${result ? html`<div class="alert ok" role="status">
          <p>${t('rounds.committed', { count: result.assignments.length })}</p>
          ${result.skipped.length > 0 && html`<p>${t('rounds.skipped', { count: result.skipped.length })}</p>
            <ul>${result.skipped.map((k) => html`<li>#${k.position}: ${k.reason}</li>`)}</ul>`}
          <p><a href="#/assignments?status=PROPOSED">${t('rounds.toBoard')}</a></p>
        </div>` : r.proposals.length === 0 ? html`<${Empty}>${t('rounds.noProposals')}<//>` : html`
        <h2>${t('rounds.proposals', { count: r.proposals.length })}</h2>
        <table class="list">
          <thead><tr><th scope="col">${t('rounds.commit')}</th><th scope="col">${t('needs.need')}</th><th scope="col">${t('assignments.role')}</th>
            <th scope="col">${t('assignments.expert')}</th><th scope="col" class="num">${t('match.score')}</th></tr></thead>
          <tbody>${r.proposals.map((p) => html`<tr>
            <td><input type="checkbox" aria-label=${t('rounds.commitOne', { expert: p.expert.name, need: p.need.title })} checked=${selected.has(p.position)} onChange=${() => toggle(p.position)} /></td>
            <td><a href=${`#/need/${p.need.id}`}>${p.need.title}</a><br /><small class="muted">${placeName(p.need.municipality)} · ${label('priority', p.need.priority)}</small></td>
            <td>${p.role.title}</td>
            <td><a href=${`#/expert/${p.expert.id}`}>${p.expert.name}</a><br /><small class="muted">${p.expert.municipality.name}</small></td>
            <td class="num">${p.score}<${Explanation} e=${p.explanation} /></td></tr>`)}</tbody>
        </table>
        ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
        <button type="button" class="primary" disabled=${busy || selected.size === 0} onClick=${commit}>${t('rounds.commitChosen', { count: selected.size })}</button>`}
      ${s && s.unfilledRoles.length > 0 && html`<h2>${t('rounds.unfilled', { count: s.unfilledRoles.length })}</h2>
        <table class="list">
          <thead><tr><th scope="col">${t('needs.need')}</th><th scope="col">${t('assignments.role')}</th><th scope="col" class="num">${t('rounds.seatsLeft')}</th><th scope="col">${t('rounds.why')}</th></tr></thead>
          <tbody>${s.unfilledRoles.map((u) => html`<tr>
            <td><a href=${`#/need/${u.need.id}`}>${u.need.title}</a><br /><small class="muted">${placeName(u.need.municipality)} · ${label('priority', u.need.priority)}</small></td>
            <td>${u.role.title}</td><td class="num">${u.seatsLeft}</td>
            <td>${u.reason === 'NO_ELIGIBLE_EXPERT' ? t('rounds.noEligible') : t('rounds.placedElsewhere', { count: u.eligibleExperts })}</td></tr>`)}</tbody>
        </table>`}
    </section>`;
  }}<//>`;
}
