// Needs: the list with filters (and as a file), one need with its team, candidates and assignments, and the
// need's form.
import { html, useState } from '../lib.js';
import { t, label, fmt, skillLabel, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, Choices, useForm, FormError, Pager, usePaging, Empty, Dl, dateRange, errorText, SheetDownload } from '../ui.js';
import { Explanation } from './explanation.js';

export const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
export const NEED_STATUSES = ['DRAFT', 'OPEN', 'FILLED', 'CLOSED', 'CANCELLED'];
export const MODES = ['REMOTE', 'ON_SITE', 'HOSTING'];
export const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE'];

export function useSkills() {
  return useQuery('Skills', {});
}

const setHash = (params) => {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  location.hash = `#/needs${q ? `?${q}` : ''}`;
};

export function NeedList({ params }) {
  const paging = usePaging();
  const skills = useSkills();
  const filter = { status: params.status || undefined, priority: params.priority || undefined, sector: params.sector || undefined, skillId: params.skill || undefined };
  const q = useQuery('NeedList', { filter, first: 25, after: paging.after });
  const change = (key) => (v) => { paging.first(); setHash({ ...params, [key]: v }); };
  const sectors = skills.data ? [...new Set(skills.data.skills.map((s) => s.category))] : [];
  return html`<section>
    <h1>${t('needs.title')}</h1>
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('common.filters')}>
      <${Select} labelText=${t('needs.status')} value=${params.status || ''} onChange=${change('status')} empty=${t('common.any')}
        options=${NEED_STATUSES.map((s) => ({ value: s, label: label('needStatus', s) }))} />
      <${Select} labelText=${t('needs.priority')} value=${params.priority || ''} onChange=${change('priority')} empty=${t('common.any')}
        options=${PRIORITIES.map((p) => ({ value: p, label: label('priority', p) }))} />
      <${Select} labelText=${t('needs.sector')} value=${params.sector || ''} onChange=${change('sector')} empty=${t('common.any')}
        options=${sectors.map((s) => ({ value: s, label: label('sector', s) }))} />
      <${Select} labelText=${t('needs.skill')} value=${params.skill || ''} onChange=${change('skill')} empty=${t('common.any')}
        options=${skills.data ? skills.data.skills.map((s) => ({ value: s.id, label: skillLabel(s) })) : []} />
      <${SheetDownload} load=${async (format) => (await gql('NeedsSheet', { filter, format })).needsSheet} />
    </form>
    <${Loaded} q=${q}>${(d) => html`
      <p class="muted" aria-live="polite">${t('needs.count', { count: d.needs.totalCount })}</p>
      ${d.needs.edges.length === 0 ? html`<${Empty}>${t('needs.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('needs.need')}</th><th scope="col">${t('needs.hromada')}</th><th scope="col">${t('needs.priority')}</th>
          <th scope="col">${t('needs.status')}</th><th scope="col">${t('needs.period')}</th><th scope="col" class="num">${t('needs.seatsOpen')}</th></tr></thead>
        <tbody>${d.needs.edges.map(({ node: n }) => html`<tr>
          <td><a href=${`#/need/${n.id}`}>${n.title}</a><br /><small class="muted">${label('sector', n.sector)} · ${n.plan.title}</small></td>
          <td>${placeName(n.municipality)}<br /><small class="muted">${n.municipality.region}</small></td>
          <td><${Badge} group="priority" value=${n.priority} /></td>
          <td><${Badge} group="needStatus" value=${n.status} /></td>
          <td>${dateRange(n.startDate, n.endDate)}</td>
          <td class="num">${n.roles.reduce((s, r) => s + r.seatsOpen, 0)} / ${n.totalSeats}</td>
        </tr>`)}</tbody></table>`}
      <${Pager} pageInfo=${d.needs.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}

/** The candidates for one role, each with the parts of its score, and a button to propose them. */
function Candidates({ need, role, canPropose, onProposed }) {
  const q = useQuery('Candidates', { needId: need.id, roleId: role.id, first: 10 });
  const [message, setMessage] = useState(null);
  async function propose(expert) {
    setMessage(null);
    try {
      await gql('ProposeAssignment', { roleId: role.id, expertId: expert.id });
      setMessage({ ok: true, text: t('needs.proposed', { name: expert.name }) });
      onProposed();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    }
  }
  return html`<div class="candidates">
    <h4>${t('needs.candidatesFor', { role: role.title })}</h4>
    ${message && html`<div class=${`alert ${message.ok ? 'ok' : 'error'}`} role=${message.ok ? 'status' : 'alert'}>${message.text}</div>`}
    <${Loaded} q=${q}>${(d) => (d.candidates.length === 0 ? html`<${Empty}>${t('needs.noCandidates')}<//>` : html`<ol class="candidate-list">
      ${d.candidates.map((c) => html`<li class="candidate">
        <div class="candidate-head">
          <a href=${`#/expert/${c.expert.id}`}>${c.expert.name}</a>
          <span class="muted">${c.expert.jobTitle} · ${c.expert.municipality.name} · ${t('experts.freeHours', { hours: c.expert.freeHoursPerWeek })}</span>
          <span class="score" aria-label=${t('match.scoreOf', { score: c.score })}>${c.score}</span>
          ${canPropose && role.seatsOpen > 0 && html`<button type="button" onClick=${() => propose(c.expert)}>${t('needs.propose')}</button>`}
        </div>
        <${Explanation} e=${c.explanation} />
      </li>`)}
    </ol>`)}<//>
  </div>`;
}

function RoleCard({ need, role, canSeeCandidates, canPropose, onChanged }) {
  const [open, setOpen] = useState(false);
  return html`<article class="role">
    <h3>${role.title}</h3>
    <p>${t('needs.seatsLine', { seats: role.seats, filled: role.seatsFilled, open: role.seatsOpen })} · ${t('needs.hoursPerWeek', { hours: role.hoursPerWeek })}
      ${role.interpreterAvailable ? ` · ${t('needs.interpreter')}` : ''}</p>
    <ul class="tags">${role.skills.map((s) => html`<li class=${s.essential ? 'essential' : ''}>${skillLabel(s.skill)} ≥ ${s.minLevel}${s.essential ? '' : ` (${t('needs.desired')})`}</li>`)}
      ${role.languages.map((l) => html`<li>${l.language.toUpperCase()} ≥ ${l.level}</li>`)}</ul>
    ${canSeeCandidates && role.seatsOpen > 0 && html`<button type="button" aria-expanded=${open} onClick=${() => setOpen(!open)}>
      ${open ? t('needs.hideCandidates') : t('needs.showCandidates')}</button>`}
    ${open && html`<${Candidates} need=${need} role=${role} canPropose=${canPropose} onProposed=${onChanged} />`}
  </article>`;
}

function NeedActions({ need, reload }) {
  const ops = need.operations;
  const [error, setError] = useState(null);
  const run = (name, vars = {}) => async () => {
    setError(null);
    try { await gql(name, { id: need.id, ...vars }); reload(); } catch (e) { setError(e); }
  };
  return html`<div class="actions">
    ${ops.includes('EDIT_NEED') && html`<a class="button" href=${`#/need/${need.id}/edit`}>${t('common.edit')}</a>`}
    ${ops.includes('OPEN_NEED') && html`<button type="button" onClick=${run('OpenNeed')}>${t('needs.open')}</button>`}
    ${ops.includes('CLOSE_NEED') && html`<button type="button" onClick=${run('CloseNeed')}>${t('needs.close')}</button>`}
    ${ops.includes('CANCEL_NEED') && html`<button type="button" class="danger" onClick=${() => confirm(t('needs.cancelConfirm')) && run('CancelNeed')()}>${t('needs.cancel')}</button>`}
    ${ops.includes('SET_NEED_PRIORITY') && html`<${Select} labelText=${t('needs.priority')} value=${need.priority}
      onChange=${(p) => run('SetNeedPriority', { priority: p })()} options=${PRIORITIES.map((p) => ({ value: p, label: label('priority', p) }))} />`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </div>`;
}

export function NeedPage({ id }) {
  const q = useQuery('NeedDetail', { id });
  return html`<${Loaded} q=${q}>${(d) => {
    const n = d.need;
    const ops = n.operations;
    return html`<section>
      <p class="crumbs"><a href=${`#/plan/${n.plan.id}`}>${n.plan.title}</a></p>
      <h1>${n.title} <${Badge} group="needStatus" value=${n.status} /> <${Badge} group="priority" value=${n.priority} /></h1>
      <${NeedActions} need=${n} reload=${q.reload} />
      <${Dl} rows=${[
        [t('needs.hromada'), `${placeName(n.municipality)} (${n.municipality.region})`],
        [t('needs.sector'), label('sector', n.sector)],
        [t('needs.period'), dateRange(n.startDate, n.endDate)],
        [t('needs.modes'), n.modes.map((m) => label('mode', m)).join(', ')],
        n.municipality.securityStatus && [t('needs.security'), label('security', n.municipality.securityStatus)],
        n.dreamProjectId && [t('needs.dream'), n.dreamProjectId],
      ]} />
      <p class="prose">${n.description}</p>
      <h2>${t('needs.team')}</h2>
      <div class="roles">${n.roles.map((r) => html`<${RoleCard} need=${n} role=${r} canSeeCandidates=${ops.includes('VIEW_CANDIDATES')}
        canPropose=${ops.includes('PROPOSE_ASSIGNMENT')} onChanged=${q.reload} />`)}</div>
      <h2>${t('needs.assignments')}</h2>
      ${n.assignments.length === 0 ? html`<${Empty}>${t('needs.noAssignments')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('assignments.expert')}</th><th scope="col">${t('assignments.role')}</th><th scope="col">${t('assignments.status')}</th><th scope="col" class="num">${t('match.score')}</th></tr></thead>
        <tbody>${n.assignments.map((a) => html`<tr><td><a href=${`#/assignment/${a.id}`}>${a.expert.name}</a> <small class="muted">${a.expert.municipality.name}</small></td>
          <td>${a.role.title}</td><td><${Badge} group="assignmentStatus" value=${a.status} /></td><td class="num">${a.score}</td></tr>`)}</tbody></table>`}
    </section>`;
  }}<//>`;
}

const emptyRole = () => ({ title: '', seats: 1, hoursPerWeek: 8, interpreterAvailable: false, skills: [], languages: [] });

function toInput(v) {
  return {
    title: v.title, description: v.description, sector: v.sector, startDate: v.startDate, endDate: v.endDate,
    modes: v.modes, priority: v.priority, dreamProjectId: v.dreamProjectId || null,
    roles: v.roles.map((r) => ({
      title: r.title, seats: Number(r.seats), hoursPerWeek: Number(r.hoursPerWeek), interpreterAvailable: r.interpreterAvailable,
      skills: r.skills.map((s) => ({ skillId: s.skillId, minLevel: Number(s.minLevel), essential: s.essential })),
      languages: r.languages.map((l) => ({ language: l.language, level: l.level })),
    })),
  };
}

function RoleEditor({ index, role, skills, onChange, onRemove, fieldError }) {
  const set = (k) => (v) => onChange({ ...role, [k]: v });
  const path = `roles[${index}]`;
  const setSkill = (i, k) => (v) => set('skills')(role.skills.map((s, j) => (j === i ? { ...s, [k]: v } : s)));
  const setLang = (i, k) => (v) => set('languages')(role.languages.map((s, j) => (j === i ? { ...s, [k]: v } : s)));
  return html`<fieldset class="role-editor">
    <legend>${t('needs.roleN', { n: index + 1 })}</legend>
    <${TextInput} labelText=${t('needs.roleTitle')} value=${role.title} onInput=${set('title')} error=${fieldError(`${path}.title`)} required />
    <div class="row">
      <${TextInput} type="number" min="1" labelText=${t('needs.seats')} value=${role.seats} onInput=${set('seats')} error=${fieldError(`${path}.seats`)} />
      <${TextInput} type="number" min="1" labelText=${t('needs.roleHours')} value=${role.hoursPerWeek} onInput=${set('hoursPerWeek')} error=${fieldError(`${path}.hoursPerWeek`)} />
      <label class="choice"><input type="checkbox" checked=${role.interpreterAvailable} onChange=${(e) => set('interpreterAvailable')(e.target.checked)} /> ${t('needs.interpreter')}</label>
    </div>
    ${role.skills.map((s, i) => html`<div class="row sub">
      <${Select} labelText=${t('needs.skill')} value=${s.skillId} onChange=${setSkill(i, 'skillId')} empty=${t('common.choose')} error=${fieldError(`${path}.skills[${i}].skillId`)}
        options=${skills.map((k) => ({ value: k.id, label: skillLabel(k) }))} />
      <${TextInput} type="number" min="1" max="5" labelText=${t('needs.minLevel')} value=${s.minLevel} onInput=${setSkill(i, 'minLevel')} error=${fieldError(`${path}.skills[${i}].minLevel`)} />
      <label class="choice"><input type="checkbox" checked=${s.essential} onChange=${(e) => setSkill(i, 'essential')(e.target.checked)} /> ${t('needs.essential')}</label>
      <button type="button" class="link" onClick=${() => set('skills')(role.skills.filter((_, j) => j !== i))}>${t('common.remove')}</button>
    </div>`)}
    ${fieldError(`${path}.skills`) && html`<small class="field-error">${fieldError(`${path}.skills`)}</small>`}
    <button type="button" onClick=${() => set('skills')([...role.skills, { skillId: '', minLevel: 3, essential: true }])}>${t('needs.addSkill')}</button>
    ${role.languages.map((l, i) => html`<div class="row sub">
      <${TextInput} labelText=${t('needs.language')} value=${l.language} onInput=${setLang(i, 'language')} maxlength="2" error=${fieldError(`${path}.languages[${i}].language`)} hint=${t('needs.languageHint')} />
      <${Select} labelText=${t('needs.level')} value=${l.level} onChange=${setLang(i, 'level')} options=${CEFR.map((c) => ({ value: c, label: c }))} />
      <button type="button" class="link" onClick=${() => set('languages')(role.languages.filter((_, j) => j !== i))}>${t('common.remove')}</button>
    </div>`)}
    <button type="button" onClick=${() => set('languages')([...role.languages, { language: 'en', level: 'B2' }])}>${t('needs.addLanguage')}</button>
    <button type="button" class="link danger" onClick=${onRemove}>${t('needs.removeRole')}</button>
  </fieldset>`;
}

function NeedForm({ planId, need, skills }) {
  const initial = need ? {
    title: need.title, description: need.description, sector: need.sector, startDate: need.startDate, endDate: need.endDate,
    modes: need.modes, priority: need.priority, dreamProjectId: need.dreamProjectId || '',
    roles: need.roles.map((r) => ({ title: r.title, seats: r.seats, hoursPerWeek: r.hoursPerWeek, interpreterAvailable: r.interpreterAvailable,
      skills: r.skills.map((s) => ({ skillId: s.skill.id, minLevel: s.minLevel, essential: s.essential })),
      languages: r.languages.map((l) => ({ language: l.language, level: l.level })) })),
  } : { title: '', description: '', sector: '', startDate: '', endDate: '', modes: ['REMOTE'], priority: 'MEDIUM', dreamProjectId: '', roles: [emptyRole()] };
  const f = useForm(initial);
  const v = f.values;
  const sectors = [...new Set(skills.map((s) => s.category))];
  const save = f.submit(async (values) => {
    const input = toInput(values);
    const d = need ? await gql('UpdateNeed', { id: need.id, input }) : await gql('CreateNeed', { planId, input });
    location.hash = `#/need/${need ? need.id : d.createNeed.id}`;
  }, ['title', 'description', 'sector', 'startDate', 'endDate', 'modes']);
  const setRole = (i) => (r) => f.set('roles')(v.roles.map((x, j) => (j === i ? r : x)));
  return html`<form class="form" onSubmit=${save} novalidate>
    <${TextInput} labelText=${t('needs.titleField')} value=${v.title} onInput=${f.set('title')} error=${f.fieldError('title')} required />
    <${TextArea} labelText=${t('needs.description')} value=${v.description} onInput=${f.set('description')} error=${f.fieldError('description')} required />
    <div class="row">
      <${Select} labelText=${t('needs.sector')} value=${v.sector} onChange=${f.set('sector')} empty=${t('common.choose')} error=${f.fieldError('sector')}
        options=${sectors.map((s) => ({ value: s, label: label('sector', s) }))} />
      <${Select} labelText=${t('needs.priority')} value=${v.priority} onChange=${f.set('priority')} error=${f.fieldError('priority')}
        options=${PRIORITIES.map((p) => ({ value: p, label: label('priority', p) }))} />
    </div>
    <div class="row">
      <${TextInput} type="date" labelText=${t('needs.start')} value=${v.startDate} onInput=${f.set('startDate')} error=${f.fieldError('startDate')} />
      <${TextInput} type="date" labelText=${t('needs.end')} value=${v.endDate} onInput=${f.set('endDate')} error=${f.fieldError('endDate')} />
    </div>
    <${Choices} legend=${t('needs.modes')} values=${v.modes} onChange=${f.set('modes')} error=${f.fieldError('modes')}
      options=${MODES.map((m) => ({ value: m, label: label('mode', m) }))} />
    <${TextInput} labelText=${t('needs.dream')} value=${v.dreamProjectId} onInput=${f.set('dreamProjectId')} error=${f.fieldError('dreamProjectId')} />
    <h2>${t('needs.team')}</h2>
    ${f.fieldError('roles') && html`<small class="field-error">${f.fieldError('roles')}</small>`}
    ${v.roles.map((r, i) => html`<${RoleEditor} index=${i} role=${r} skills=${skills} onChange=${setRole(i)}
      onRemove=${() => f.set('roles')(v.roles.filter((_, j) => j !== i))} fieldError=${f.fieldError} />`)}
    <button type="button" onClick=${() => f.set('roles')([...v.roles, emptyRole()])}>${t('needs.addRole')}</button>
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('common.save')}</button>
      <a href=${need ? `#/need/${need.id}` : `#/plan/${planId}`}>${t('common.cancel')}</a></div>
  </form>`;
}

export function NeedFormPage({ id, params }) {
  const skills = useSkills();
  const need = useQuery(id ? 'NeedDetail' : 'Skills', id ? { id } : {});
  return html`<section>
    <h1>${id ? t('needs.editTitle') : t('needs.newTitle')}</h1>
    <${Loaded} q=${skills}>${(s) => html`<${Loaded} q=${need}>${(d) => html`<${NeedForm} planId=${params.plan} need=${id ? d.need : null} skills=${s.skills} />`}<//>`}<//>
  </section>`;
}
