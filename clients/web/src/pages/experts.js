// The expert pool: search by skill, level, language and municipality; one expert's profile with its consent
// record; volunteering staff and editing a profile.
import { html, useState } from '../lib.js';
import { t, label, skillLabel } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, Choices, useForm, FormError, Pager, usePaging, Empty, Dl, dateRange, reasonText, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';
import { useSkills, MODES, CEFR } from './needs.js';
import { InviteExpert } from './accounts.js';
import { ExpertSheet } from './sheet.js';
import { ExpertPrivacy, isErased } from './privacy.js';

export function ExpertSearch({ params }) {
  const { user } = useSession();
  const paging = usePaging();
  const skills = useSkills();
  const [search, setSearch] = useState(params.q || '');
  const regions = useQuery('Regions', { country: 'NL' });
  const filter = {
    skillId: params.skill || undefined, minLevel: params.level ? Number(params.level) : undefined,
    language: params.language || undefined, status: params.status || undefined, search: params.q || undefined,
    municipalityId: user.role === 'MUNICIPALITY_OFFICER' && user.municipality ? user.municipality.id : (params.municipality || undefined),
    availableFrom: params.from || undefined, availableUntil: params.until || undefined, mode: params.mode || undefined,
    minFreeHours: params.free ? Number(params.free) : undefined, region: params.region || undefined, order: params.order || undefined,
  };
  const q = useQuery('ExpertSearch', { filter, first: 25, after: paging.after });
  const go = (changes) => {
    paging.first();
    const next = new URLSearchParams(Object.entries({ ...params, ...changes }).filter(([, v]) => v)).toString();
    location.hash = `#/experts${next ? `?${next}` : ''}`;
  };
  return html`<section>
    <h1>${t('experts.title')}</h1>
    ${may(user, 'CREATE_EXPERT') && html`<p><a class="button primary" href="#/expert/new">${t('experts.volunteer')}</a></p>`}
    ${may(user, 'CREATE_EXPERT') && user.municipality && html`<${ExpertSheet} municipality=${user.municipality} onImported=${q.reload} />`}
    <form class="filters" onSubmit=${(e) => { e.preventDefault(); go({ q: search }); }} aria-label=${t('common.filters')}>
      <${TextInput} type="search" labelText=${t('experts.search')} value=${search} onInput=${setSearch} />
      <${Select} labelText=${t('needs.skill')} value=${params.skill || ''} onChange=${(v) => go({ skill: v })} empty=${t('common.any')}
        options=${skills.data ? skills.data.skills.map((s) => ({ value: s.id, label: skillLabel(s) })) : []} />
      <${Select} labelText=${t('experts.minLevel')} value=${params.level || ''} onChange=${(v) => go({ level: v })} empty=${t('common.any')}
        options=${[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `≥ ${n}` }))} />
      <${TextInput} labelText=${t('needs.language')} value=${params.language || ''} maxlength="2" onInput=${(v) => (v.length === 0 || v.length === 2) && go({ language: v })} hint=${t('needs.languageHint')} />
      <${Select} labelText=${t('experts.status')} value=${params.status || ''} onChange=${(v) => go({ status: v })} empty=${t('common.any')}
        options=${['ACTIVE', 'PAUSED', 'WITHDRAWN'].map((s) => ({ value: s, label: label('expertStatus', s) }))} />
      <${TextInput} type="date" labelText=${t('experts.availableBy')} value=${params.from || ''} onInput=${(v) => go({ from: v })} />
      <${TextInput} type="date" labelText=${t('experts.availableTill')} value=${params.until || ''} onInput=${(v) => go({ until: v })} />
      <${Select} labelText=${t('needs.modes')} value=${params.mode || ''} onChange=${(v) => go({ mode: v })} empty=${t('common.any')}
        options=${MODES.map((m) => ({ value: m, label: label('mode', m) }))} />
      <${Select} labelText=${t('experts.minFree')} value=${params.free || ''} onChange=${(v) => go({ free: v })} empty=${t('common.any')}
        options=${[4, 8, 16, 24].map((n) => ({ value: String(n), label: `≥ ${n}` }))} />
      ${user.role !== 'MUNICIPALITY_OFFICER' && html`<${Select} labelText=${t('experts.region')} value=${params.region || ''} onChange=${(v) => go({ region: v })} empty=${t('common.any')}
        options=${regions.data ? regions.data.regions.map((r) => ({ value: r, label: r })) : []} />`}
      ${user.role !== 'MUNICIPALITY_OFFICER' && html`<${MunicipalityPicker} side="CONTRIBUTING" labelText=${t('experts.municipality')} findText=${t('experts.findMunicipality')}
        value=${params.municipality || ''} onChange=${(v) => go({ municipality: v })} empty=${t('common.any')} />`}
      <${Select} labelText=${t('experts.order')} value=${params.order || 'OLDEST_FIRST'} onChange=${(v) => go({ order: v })}
        options=${['OLDEST_FIRST', 'NAME', 'MOST_FREE_HOURS'].map((o) => ({ value: o, label: label('expertOrder', o) }))} />
      <button type="submit">${t('experts.find')}</button>
    </form>
    <${Loaded} q=${q}>${(d) => html`
      <p class="muted" aria-live="polite">${t('experts.count', { count: d.experts.totalCount })}</p>
      ${d.experts.edges.length === 0 ? html`<${Empty}>${t('experts.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('experts.name')}</th><th scope="col">${t('experts.skills')}</th><th scope="col">${t('experts.availability')}</th>
          <th scope="col" class="num">${t('experts.hoursFree')}</th><th scope="col">${t('experts.status')}</th></tr></thead>
        <tbody>${d.experts.edges.map(({ node: x }) => html`<tr>
          <td><a href=${`#/expert/${x.id}`}>${x.name}</a><br /><small class="muted">${x.jobTitle} · ${x.municipality.name}</small></td>
          <td><ul class="tags">${x.skills.slice(0, 4).map((s) => html`<li>${skillLabel(s.skill)} · ${s.level}</li>`)}${x.languages.map((l) => html`<li>${l.language.toUpperCase()} ${l.level}</li>`)}</ul></td>
          <td>${dateRange(x.availableFrom, x.availableUntil)}<br /><small class="muted">${x.modes.map((m) => label('mode', m)).join(', ')}</small></td>
          <td class="num">${x.freeHoursPerWeek} / ${x.hoursPerWeek}</td>
          <td><${Badge} group="expertStatus" value=${x.status} /></td></tr>`)}</tbody></table>`}
      <${Pager} pageInfo=${d.experts.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}

function StatusButtons({ x, reload }) {
  const [error, setError] = useState(null);
  if (!x.operations.includes('SET_EXPERT_STATUS')) return null;
  const set = (status) => async () => { setError(null); try { await gql('SetExpertStatus', { id: x.id, status }); reload(); } catch (e) { setError(e); } };
  return html`<div class="actions">
    ${x.status !== 'ACTIVE' && html`<button type="button" onClick=${set('ACTIVE')}>${t('experts.activate')}</button>`}
    ${x.status === 'ACTIVE' && html`<button type="button" onClick=${set('PAUSED')}>${t('experts.pause')}</button>`}
    ${x.status !== 'WITHDRAWN' && html`<button type="button" class="danger" onClick=${set('WITHDRAWN')}>${t('experts.withdraw')}</button>`}
    ${error && html`<div class="alert error" role="alert">${reasonText(error)}</div>`}
  </div>`;
}

export function ExpertPage({ id }) {
  const q = useQuery('ExpertDetail', { id });
  return html`<${Loaded} q=${q}>${(d) => {
    const x = d.expert;
    const erased = isErased(x);
    return html`<section>
      <h1>${x.name} <${Badge} group="expertStatus" value=${x.status} /></h1>
      <p class="lead">${x.jobTitle ? `${x.jobTitle} · ` : ''}${x.municipality.name}</p>
      ${!erased && html`<div class="actions">${x.operations.includes('EDIT_EXPERT') && html`<a class="button" href=${`#/expert/${x.id}/edit`}>${t('common.edit')}</a>`}</div>
      <${StatusButtons} x=${x} reload=${q.reload} />
      <${InviteExpert} x=${x} reload=${q.reload} />`}
      <${Dl} rows=${[
        [t('experts.email'), x.contactVisibleToMe ? ((!erased && x.email) || '—') : t('experts.contactHidden')],
        x.contactVisibleToMe && [t('experts.phone'), x.phone || '—'],
        [t('experts.availability'), dateRange(x.availableFrom, x.availableUntil)],
        [t('experts.hours'), t('experts.hoursLine', { hours: x.hoursPerWeek, booked: x.bookedHoursPerWeek, free: x.freeHoursPerWeek })],
        [t('needs.modes'), x.modes.map((m) => label('mode', m)).join(', ')],
      ]} />
      ${x.bio && html`<p class="prose">${x.bio}</p>`}
      ${!erased && html`<h2>${t('experts.skills')}</h2>
      <table class="compact"><thead><tr><th scope="col">${t('needs.skill')}</th><th scope="col" class="num">${t('needs.level')}</th><th scope="col" class="num">${t('experts.years')}</th></tr></thead>
        <tbody>${x.skills.map((s) => html`<tr><td>${skillLabel(s.skill)}</td><td class="num">${s.level}</td><td class="num">${s.years ?? '—'}</td></tr>`)}</tbody></table>
      <h2>${t('experts.languages')}</h2>
      <ul class="tags">${x.languages.map((l) => html`<li>${l.language.toUpperCase()} ${l.level}</li>`)}</ul>`}
      <p><a href=${`#/assignments?expert=${x.id}`}>${t('experts.assignments')}</a></p>
      <${ExpertPrivacy} x=${x} reload=${q.reload} />
    </section>`;
  }}<//>`;
}

function ExpertForm({ expert, skills }) {
  const { user } = useSession();
  const f = useForm(expert ? {
    name: expert.name, email: expert.email || '', phone: expert.phone || '', jobTitle: expert.jobTitle, bio: expert.bio || '',
    hoursPerWeek: expert.hoursPerWeek, availableFrom: expert.availableFrom, availableUntil: expert.availableUntil || '', modes: expert.modes,
    skills: expert.skills.map((s) => ({ skillId: s.skill.id, level: s.level, years: s.years ?? '' })),
    languages: expert.languages.map((l) => ({ language: l.language, level: l.level })), consentDate: expert.consentDate || '',
  } : { name: '', email: '', phone: '', jobTitle: '', bio: '', hoursPerWeek: 8, availableFrom: '', availableUntil: '', modes: ['REMOTE'],
    skills: [{ skillId: '', level: 3, years: '' }], languages: [{ language: 'en', level: 'B2' }], consentDate: new Date().toISOString().slice(0, 10) });
  const v = f.values;
  const save = f.submit(async (values) => {
    const profile = {
      name: values.name, email: values.email, phone: values.phone || null, jobTitle: values.jobTitle, bio: values.bio || null,
      hoursPerWeek: Number(values.hoursPerWeek), availableFrom: values.availableFrom, availableUntil: values.availableUntil || null,
      modes: values.modes, consentDate: values.consentDate,
      skills: values.skills.map((s) => ({ skillId: s.skillId, level: Number(s.level), years: s.years === '' ? null : Number(s.years) })),
      languages: values.languages.map((l) => ({ language: l.language, level: l.level })),
    };
    const d = expert ? await gql('UpdateExpert', { id: expert.id, profile }) : await gql('CreateExpert', { municipalityId: user.municipality.id, profile });
    location.hash = `#/expert/${expert ? expert.id : d.createExpert.id}`;
  }, ['name', 'jobTitle', 'email', 'hoursPerWeek', 'availableFrom', 'modes', 'consentDate']);
  const setAt = (list, i, k) => (val) => f.set(list)(v[list].map((x, j) => (j === i ? { ...x, [k]: val } : x)));
  return html`<form class="form" onSubmit=${save} novalidate>
    <div class="row">
      <${TextInput} labelText=${t('experts.name')} value=${v.name} onInput=${f.set('name')} error=${f.fieldError('name')} required autocomplete="off" />
      <${TextInput} labelText=${t('experts.jobTitle')} value=${v.jobTitle} onInput=${f.set('jobTitle')} error=${f.fieldError('jobTitle')} required />
    </div>
    <div class="row">
      <${TextInput} type="email" labelText=${t('experts.email')} value=${v.email} onInput=${f.set('email')} error=${f.fieldError('email')} required />
      <${TextInput} type="tel" labelText=${t('experts.phone')} value=${v.phone} onInput=${f.set('phone')} error=${f.fieldError('phone')} />
    </div>
    <${TextArea} labelText=${t('experts.bio')} value=${v.bio} onInput=${f.set('bio')} error=${f.fieldError('bio')} rows="3" />
    <div class="row">
      <${TextInput} type="number" min="1" max="40" labelText=${t('experts.hours')} value=${v.hoursPerWeek} onInput=${f.set('hoursPerWeek')} error=${f.fieldError('hoursPerWeek')} />
      <${TextInput} type="date" labelText=${t('experts.from')} value=${v.availableFrom} onInput=${f.set('availableFrom')} error=${f.fieldError('availableFrom')} />
      <${TextInput} type="date" labelText=${t('experts.until')} value=${v.availableUntil} onInput=${f.set('availableUntil')} error=${f.fieldError('availableUntil')} hint=${t('experts.untilHint')} />
    </div>
    <${Choices} legend=${t('needs.modes')} values=${v.modes} onChange=${f.set('modes')} error=${f.fieldError('modes')} options=${MODES.map((m) => ({ value: m, label: label('mode', m) }))} />
    <fieldset><legend>${t('experts.skills')}</legend>
      ${v.skills.map((s, i) => html`<div class="row sub">
        <${Select} labelText=${t('needs.skill')} value=${s.skillId} onChange=${setAt('skills', i, 'skillId')} empty=${t('common.choose')} error=${f.fieldError(`skills[${i}].skillId`)}
          options=${skills.map((k) => ({ value: k.id, label: skillLabel(k) }))} />
        <${TextInput} type="number" min="1" max="5" labelText=${t('needs.level')} value=${s.level} onInput=${setAt('skills', i, 'level')} error=${f.fieldError(`skills[${i}].level`)} />
        <${TextInput} type="number" min="0" labelText=${t('experts.years')} value=${s.years} onInput=${setAt('skills', i, 'years')} error=${f.fieldError(`skills[${i}].years`)} />
        <button type="button" class="link" onClick=${() => f.set('skills')(v.skills.filter((_, j) => j !== i))}>${t('common.remove')}</button>
      </div>`)}
      ${f.fieldError('skills') && html`<small class="field-error">${f.fieldError('skills')}</small>`}
      <button type="button" onClick=${() => f.set('skills')([...v.skills, { skillId: '', level: 3, years: '' }])}>${t('needs.addSkill')}</button>
    </fieldset>
    <fieldset><legend>${t('experts.languages')}</legend>
      ${v.languages.map((l, i) => html`<div class="row sub">
        <${TextInput} labelText=${t('needs.language')} value=${l.language} maxlength="2" onInput=${setAt('languages', i, 'language')} error=${f.fieldError(`languages[${i}].language`)} hint=${t('needs.languageHint')} />
        <${Select} labelText=${t('needs.level')} value=${l.level} onChange=${setAt('languages', i, 'level')} options=${CEFR.map((c) => ({ value: c, label: c }))} />
        <button type="button" class="link" onClick=${() => f.set('languages')(v.languages.filter((_, j) => j !== i))}>${t('common.remove')}</button>
      </div>`)}
      ${f.fieldError('languages') && html`<small class="field-error">${f.fieldError('languages')}</small>`}
      <button type="button" onClick=${() => f.set('languages')([...v.languages, { language: '', level: 'B2' }])}>${t('needs.addLanguage')}</button>
    </fieldset>
    <${TextInput} type="date" labelText=${t('experts.consent')} value=${v.consentDate} onInput=${f.set('consentDate')} error=${f.fieldError('consentDate')} hint=${t('experts.consentHint')} />
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('common.save')}</button>
      <a href=${expert ? `#/expert/${expert.id}` : '#/experts'}>${t('common.cancel')}</a></div>
  </form>`;
}

export function ExpertFormPage({ id }) {
  const skills = useSkills();
  const expert = useQuery(id ? 'ExpertDetail' : 'Skills', id ? { id } : {});
  return html`<section>
    <h1>${id ? t('experts.editTitle') : t('experts.newTitle')}</h1>
    <${Loaded} q=${skills}>${(s) => html`<${Loaded} q=${expert}>${(d) => html`<${ExpertForm} expert=${id ? d.expert : null} skills=${s.skills} />`}<//>`}<//>
  </section>`;
}
