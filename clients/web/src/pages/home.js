// The first page after signing in: what waits for this person, and for coordinators the state of the pool.
import { html } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { useQuery, Loaded, Badge, Empty } from '../ui.js';
import { useSession, may } from '../session.js';

/** Assignments in one status that the user sees, as a short to-do list. */
function Waiting({ status, title, hint }) {
  const { live } = useSession();
  const q = useQuery('AssignmentBoard', { filter: { status }, first: 10 }, [live]);
  return html`<section class="card">
    <h2>${title} <${Loaded} q=${q}>${(d) => html`<span class="count">${d.assignments.totalCount}</span>`}<//></h2>
    ${hint && html`<p class="muted">${hint}</p>`}
    <${Loaded} q=${q}>${(d) => (d.assignments.edges.length === 0 ? html`<${Empty}>${t('home.nothingWaiting')}<//>` : html`<ul class="plain">
      ${d.assignments.edges.map(({ node: a }) => html`<li><a href=${`#/assignment/${a.id}`}>${a.expert.name} → ${a.need.title}</a>
        <span class="muted"> · ${a.role.title} · ${placeName(a.need.municipality)} · ${fmt.relative(a.updatedAt)}</span></li>`)}
    </ul>`)}<//>
    <p><a href=${`#/assignments?status=${status}`}>${t('home.seeAll')}</a></p>
  </section>`;
}

function PoolState() {
  const q = useQuery('NeedCounts', {});
  return html`<${Loaded} q=${q}>${(d) => {
    const seats = d.publicStatistics.openSeats;
    const regions = d.publicStatistics.openNeedsPerRegion.map((r) => [r.key, r.count]);
    return html`<section class="card wide">
      <h2>${t('home.openNeeds')}</h2>
      <div class="tiles">
        ${['critical', 'high', 'medium', 'low'].map((p) => html`<a class=${`tile priority-${p}`} href=${`#/needs?status=OPEN&priority=${p.toUpperCase()}`}>
          <span class="figure">${fmt.number(d[p].totalCount)}</span><span>${label('priority', p.toUpperCase())}</span></a>`)}
        <div class="tile"><span class="figure">${fmt.number(seats)}</span><span>${t('home.seatsOpen')}</span></div>
        <div class="tile"><span class="figure">${fmt.number(d.filled.totalCount)}</span><span>${t('home.needsFilled')}</span></div>
      </div>
      <h3>${t('home.byRegion')}</h3>
      <table class="compact"><thead><tr><th scope="col">${t('common.region')}</th><th scope="col" class="num">${t('home.openNeeds')}</th></tr></thead>
        <tbody>${regions.map(([r, n]) => html`<tr><td>${r}</td><td class="num">${n}</td></tr>`)}</tbody></table>
    </section>`;
  }}<//>`;
}

function Stale() {
  const q = useQuery('StaleProposals', { first: 10 });
  return html`<section class="card">
    <h2>${t('home.stale')} <${Loaded} q=${q}>${(d) => html`<span class="count">${d.staleProposals.totalCount}</span>`}<//></h2>
    <p class="muted">${t('home.staleHint')}</p>
    <${Loaded} q=${q}>${(d) => (d.staleProposals.edges.length === 0 ? html`<${Empty}>${t('home.noStale')}<//>` : html`<ul class="plain">
      ${d.staleProposals.edges.map(({ node: a }) => html`<li><a href=${`#/assignment/${a.id}`}>${a.expert.name} → ${a.need.title}</a>
        <span class="muted"> · <${Badge} group="assignmentStatus" value=${a.status} /> ${t('home.waitingSince', { when: fmt.relative(a.createdAt) })}</span></li>`)}
    </ul>`)}<//>
  </section>`;
}

function SubmittedPlans() {
  const q = useQuery('PlanList', { filter: { status: 'SUBMITTED' }, first: 10 });
  return html`<section class="card">
    <h2>${t('home.plansToEndorse')} <${Loaded} q=${q}>${(d) => html`<span class="count">${d.plans.totalCount}</span>`}<//></h2>
    <${Loaded} q=${q}>${(d) => (d.plans.edges.length === 0 ? html`<${Empty}>${t('home.nothingWaiting')}<//>` : html`<ul class="plain">
      ${d.plans.edges.map(({ node: p }) => html`<li><a href=${`#/plan/${p.id}`}>${p.title}</a> <span class="muted">· ${placeName(p.municipality)}</span></li>`)}
    </ul>`)}<//>
  </section>`;
}

export function Home() {
  const { user } = useSession();
  const role = user.role;
  const coordinator = role === 'POOL_COORDINATOR' || role === 'ADMIN';
  return html`<section>
    <h1>${t('home.title', { name: user.displayName })}</h1>
    <div class="grid">
      ${coordinator && html`<${PoolState} />`}
      ${may(user, 'READ_STALE_PROPOSALS') && html`<${Stale} />`}
      ${may(user, 'ENDORSE_PLAN') && html`<${SubmittedPlans} />`}
      ${(role === 'NEEDS_COORDINATOR' || role === 'HROMADA_OFFICER') && html`<${Waiting} status="PROPOSED" title=${t('home.toDecide')} hint=${t('home.toDecideHint')} />`}
      ${(role === 'MUNICIPALITY_OFFICER' || role === 'EXPERT') && html`<${Waiting} status="ACCEPTED" title=${t('home.toConfirm')} hint=${t(role === 'EXPERT' ? 'home.toConfirmExpert' : 'home.toConfirmOfficer')} />`}
      ${role !== 'FUND_OFFICER' && html`<${Waiting} status="ACTIVE" title=${t('home.active')} />`}
      ${role === 'FUND_OFFICER' && html`<section class="card"><h2>${t('nav.ledger')}</h2><p><a href="#/ledger">${t('home.openLedger')}</a></p></section>`}
      ${may(user, 'READ_FUND') && html`<section class="card"><h2>${t('nav.fund')}</h2><p><a href="#/fund">${t('home.openFund')}</a></p></section>`}
    </div>
  </section>`;
}
