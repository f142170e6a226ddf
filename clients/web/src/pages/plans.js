// Recovery plans: the list, one plan with its needs, its steps and its needs brought in from a sheet, and the
// plan's form.
import { html, useState } from '../lib.js';
import { t, label, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, useForm, FormError, Pager, usePaging, Empty, Dl, dateRange, errorText, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';
import { useSkills } from './needs.js';
import { NeedSheet } from './sheet.js';

const STATUSES = ['DRAFT', 'SUBMITTED', 'ENDORSED', 'CLOSED'];

export function PlanList({ params }) {
  const { user } = useSession();
  const paging = usePaging();
  const q = useQuery('PlanList', { filter: { status: params.status || undefined }, first: 25, after: paging.after });
  return html`<section>
    <h1>${t('plans.title')}</h1>
    ${may(user, 'CREATE_PLAN') && html`<p><a class="button primary" href="#/plan/new">${t('plans.new')}</a></p>`}
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('common.filters')}>
      <${Select} labelText=${t('plans.status')} value=${params.status || ''} empty=${t('common.any')}
        onChange=${(v) => { paging.first(); location.hash = v ? `#/plans?status=${v}` : '#/plans'; }}
        options=${STATUSES.map((s) => ({ value: s, label: label('planStatus', s) }))} />
    </form>
    <${Loaded} q=${q}>${(d) => html`
      ${d.plans.edges.length === 0 ? html`<${Empty}>${t('plans.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('plans.plan')}</th><th scope="col">${t('needs.hromada')}</th><th scope="col">${t('plans.status')}</th>
          <th scope="col">${t('plans.period')}</th><th scope="col" class="num">${t('plans.needs')}</th></tr></thead>
        <tbody>${d.plans.edges.map(({ node: p }) => html`<tr>
          <td><a href=${`#/plan/${p.id}`}>${p.title}</a><br /><small class="muted">${p.sectors.map((s) => label('sector', s)).join(', ')}</small></td>
          <td>${placeName(p.municipality)}</td><td><${Badge} group="planStatus" value=${p.status} /></td>
          <td>${dateRange(p.periodStart, p.periodEnd)}</td><td class="num">${p.needs.totalCount}</td></tr>`)}</tbody></table>`}
      <${Pager} pageInfo=${d.plans.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}

function PlanActions({ plan, reload }) {
  const ops = plan.operations;
  const [error, setError] = useState(null);
  const [reason, setReason] = useState('');
  const [returning, setReturning] = useState(false);
  const run = (name, vars = {}) => async () => {
    setError(null);
    try { await gql(name, { id: plan.id, ...vars }); setReturning(false); reload(); } catch (e) { setError(e); }
  };
  return html`<div class="actions">
    ${ops.includes('EDIT_PLAN') && html`<a class="button" href=${`#/plan/${plan.id}/edit`}>${t('common.edit')}</a>`}
    ${ops.includes('CREATE_NEED') && html`<a class="button" href=${`#/need/new?plan=${plan.id}`}>${t('plans.addNeed')}</a>`}
    ${ops.includes('SUBMIT_PLAN') && html`<button type="button" class="primary" onClick=${run('SubmitPlan')}>${t('plans.submit')}</button>`}
    ${ops.includes('ENDORSE_PLAN') && html`<button type="button" class="primary" onClick=${run('EndorsePlan')}>${t('plans.endorse')}</button>`}
    ${ops.includes('RETURN_PLAN') && html`<button type="button" onClick=${() => setReturning(!returning)} aria-expanded=${returning}>${t('plans.return')}</button>`}
    ${ops.includes('CLOSE_PLAN') && html`<button type="button" onClick=${run('ClosePlan')}>${t('plans.close')}</button>`}
    ${returning && html`<form class="inline" onSubmit=${(e) => { e.preventDefault(); run('ReturnPlan', { reason })(); }}>
      <${TextArea} labelText=${t('plans.returnReason')} value=${reason} onInput=${setReason} error=${error && error.field === 'reason' ? error.message : null} rows="2" />
      <button type="submit">${t('plans.sendBack')}</button></form>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </div>`;
}

export function PlanPage({ id }) {
  const q = useQuery('PlanDetail', { id });
  return html`<${Loaded} q=${q}>${(d) => {
    const p = d.plan;
    return html`<section>
      <h1>${p.title} <${Badge} group="planStatus" value=${p.status} /></h1>
      ${p.returnReason && p.status === 'DRAFT' && html`<div class="alert warn" role="note"><strong>${t('plans.returned')}</strong> ${p.returnReason}</div>`}
      <${PlanActions} plan=${p} reload=${q.reload} />
      <${Dl} rows=${[
        [t('needs.hromada'), `${placeName(p.municipality)} (${p.municipality.region})`],
        [t('plans.period'), dateRange(p.periodStart, p.periodEnd)],
        [t('plans.sectors'), p.sectors.map((s) => label('sector', s)).join(', ')],
        p.programme && [t('plans.programme'), p.programme],
      ]} />
      <p class="prose">${p.summary}</p>
      <h2>${t('plans.needs')} (${p.needs.totalCount})</h2>
      ${p.needs.edges.length === 0 ? html`<${Empty}>${t('plans.noNeeds')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('needs.need')}</th><th scope="col">${t('needs.priority')}</th><th scope="col">${t('needs.status')}</th><th scope="col" class="num">${t('needs.seatsOpen')}</th></tr></thead>
        <tbody>${p.needs.edges.map(({ node: n }) => html`<tr><td><a href=${`#/need/${n.id}`}>${n.title}</a></td>
          <td><${Badge} group="priority" value=${n.priority} /></td><td><${Badge} group="needStatus" value=${n.status} /></td>
          <td class="num">${n.roles.reduce((s, r) => s + r.seatsOpen, 0)} / ${n.totalSeats}</td></tr>`)}</tbody></table>`}
      ${p.operations.includes('CREATE_NEED') && p.status !== 'CLOSED' && html`<${NeedSheet} plan=${p} onImported=${q.reload} />`}
    </section>`;
  }}<//>`;
}

function PlanForm({ plan, sectors }) {
  const { user } = useSession();
  const f = useForm(plan ? {
    title: plan.title, summary: plan.summary, sectors: plan.sectors, periodStart: plan.periodStart, periodEnd: plan.periodEnd, programme: plan.programme || '',
    municipalityId: plan.municipality.id,
  } : { title: '', summary: '', sectors: [], periodStart: '', periodEnd: '', programme: '', municipalityId: user.municipality ? user.municipality.id : '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    const input = { title: values.title, summary: values.summary, sectors: values.sectors, periodStart: values.periodStart, periodEnd: values.periodEnd, programme: values.programme || null };
    const d = plan ? await gql('UpdatePlan', { id: plan.id, input }) : await gql('CreatePlan', { municipalityId: values.municipalityId, input });
    location.hash = `#/plan/${plan ? plan.id : d.createPlan.id}`;
  }, plan ? ['title', 'summary', 'sectors', 'periodStart', 'periodEnd'] : ['municipalityId', 'title', 'summary', 'sectors', 'periodStart', 'periodEnd']);
  return html`<form class="form" onSubmit=${save} novalidate>
    ${!plan && !user.municipality && html`<${MunicipalityPicker} side="RECOVERING" labelText=${t('needs.hromada')} findText=${t('plans.findHromada')}
      value=${v.municipalityId} onChange=${f.set('municipalityId')} error=${f.fieldError('municipalityId')} />`}
    <${TextInput} labelText=${t('plans.titleField')} value=${v.title} onInput=${f.set('title')} error=${f.fieldError('title')} required />
    <${TextArea} labelText=${t('plans.summary')} value=${v.summary} onInput=${f.set('summary')} error=${f.fieldError('summary')} required />
    <fieldset class=${`choices${f.fieldError('sectors') ? ' invalid' : ''}`}><legend>${t('plans.sectors')}</legend>
      ${sectors.map((s) => html`<label class="choice"><input type="checkbox" checked=${v.sectors.includes(s)}
        onChange=${() => f.set('sectors')(v.sectors.includes(s) ? v.sectors.filter((x) => x !== s) : [...v.sectors, s])} /> ${label('sector', s)}</label>`)}
      ${f.fieldError('sectors') && html`<small class="field-error">${f.fieldError('sectors')}</small>`}
    </fieldset>
    <div class="row">
      <${TextInput} type="date" labelText=${t('plans.start')} value=${v.periodStart} onInput=${f.set('periodStart')} error=${f.fieldError('periodStart')} />
      <${TextInput} type="date" labelText=${t('plans.end')} value=${v.periodEnd} onInput=${f.set('periodEnd')} error=${f.fieldError('periodEnd')} />
    </div>
    <${TextInput} labelText=${t('plans.programme')} value=${v.programme} onInput=${f.set('programme')} error=${f.fieldError('programme')} hint=${t('plans.programmeHint')} />
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('common.save')}</button>
      <a href=${plan ? `#/plan/${plan.id}` : '#/plans'}>${t('common.cancel')}</a></div>
  </form>`;
}

export function PlanFormPage({ id }) {
  const skills = useSkills();
  const plan = useQuery(id ? 'PlanDetail' : 'Skills', id ? { id } : {});
  return html`<section>
    <h1>${id ? t('plans.editTitle') : t('plans.newTitle')}</h1>
    <${Loaded} q=${skills}>${(s) => html`<${Loaded} q=${plan}>${(d) => html`<${PlanForm} plan=${id ? d.plan : null}
      sectors=${[...new Set(s.skills.map((k) => k.category))]} />`}<//>`}<//>
  </section>`;
}
