// Information sessions (`#/sessions`): the sessions not yet over, in Dutch time, held at a place, online or both.
// Officers of a municipality on either side (REGISTER_FOR_SESSION) register people of their own municipality;
// each gets a seat while there is one in their way of attending, else a place on the waiting list, which moves up
// when a seat frees. Pool coordinators (MANAGE_INFO_SESSIONS) create sessions, change the seats, see every
// registration and download the attendee list. `#/session/<id>`, the link in a notification, points at one.
import { html, useState } from '../lib.js';
import { t, label, fmt, placeName, currentLanguage } from '../i18n.js';
import { gql, ApiError } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, useForm, FormError, Empty, errorText, saveBlob, saveSpreadsheet } from '../ui.js';
import { useSession, may } from '../session.js';
import { StepButton, useScrollTo, redirectTo, dayFromToday } from './network-parts.js';

const MODES = ['IN_PERSON', 'ONLINE', 'HYBRID'];
/** The ways of attending a session held in `mode`. */
const attendances = (mode) => (mode === 'IN_PERSON' ? ['IN_PERSON'] : mode === 'ONLINE' ? ['ONLINE'] : ['IN_PERSON', 'ONLINE']);
const atPlace = (mode) => mode !== 'ONLINE';
const online = (mode) => mode !== 'IN_PERSON';

/** A date-time input's value (`2026-12-04T14:00`) as the API's local time (`2026-12-04T14:00:00`). */
const localTime = (v) => (v && v.length === 16 ? `${v}:00` : v);
/** A file name from a title. */
const fileName = (title) => (title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').toLowerCase() || 'session').slice(0, 60);

/** When a session is held, in Dutch time: the day, the hours and the zone (CET or CEST, from `startsLocal`). */
function When({ s }) {
  const zone = s.startsLocal.split(' ').pop();
  const sameDay = fmt.dutch(s.startsAt, { dateStyle: 'short' }) === fmt.dutch(s.endsAt, { dateStyle: 'short' });
  const end = sameDay ? fmt.dutch(s.endsAt, { timeStyle: 'short' }) : fmt.dutch(s.endsAt);
  return html`<time datetime=${s.startsAt}>${fmt.dutch(s.startsAt, { dateStyle: 'full' })}, ${fmt.dutch(s.startsAt, { timeStyle: 'short' })}–${end}</time>
    <span class="muted"> (${t('sessions.dutchTime', { zone })})</span>`;
}

/** The people an officer registers: a row each of name, e-mail and way of attending. */
function RegisterForm({ s, municipality, onDone, onCancel }) {
  const ways = attendances(s.mode);
  const blank = () => ({ name: '', email: '', attendance: ways[0] });
  const f = useForm({ people: [blank()] });
  const people = f.values.people;
  const setPerson = (i, key) => (value) => f.setValues((old) => ({ people: old.people.map((p, j) => (j === i ? { ...p, [key]: value } : p)) }));
  const save = f.submit(async (values) => {
    values.people.forEach((p, i) => {
      for (const key of ['name', 'email']) if (!p[key].trim()) throw new ApiError('graphql', t('form.required'), 'BAD_USER_INPUT', `people[${i}].${key}`);
    });
    const d = await gql('RegisterForSession', { sessionId: s.id, municipalityId: municipality.id,
      people: values.people.map((p) => ({ name: p.name.trim(), email: p.email.trim(), attendance: p.attendance })) });
    await onDone(d.registerForSession.map((r) => t('sessions.registeredAs', { name: r.personName, status: label('registrationStatus', r.status) })).join(' '));
  });
  const titleId = `register-${s.id}`;
  return html`<form class="inline register-form" onSubmit=${save} novalidate aria-labelledby=${titleId}>
    <h3 id=${titleId}>${t('sessions.registerFor', { title: s.title })}</h3>
    <p class="muted">${t('sessions.registerHint', { name: placeName(municipality) })}</p>
    ${people.map((p, i) => html`<fieldset class="person">
      <legend>${t('sessions.person', { n: i + 1 })}</legend>
      <div class="row top">
        <${TextInput} labelText=${t('sessions.personName')} value=${p.name} onInput=${setPerson(i, 'name')} error=${f.fieldError(`people[${i}].name`)} autocomplete="off" />
        <${TextInput} type="email" labelText=${t('sessions.email')} value=${p.email} onInput=${setPerson(i, 'email')} error=${f.fieldError(`people[${i}].email`)} autocomplete="off" />
        <${Select} labelText=${t('sessions.attendance')} value=${p.attendance} onChange=${setPerson(i, 'attendance')} error=${f.fieldError(`people[${i}].attendance`)}
          options=${ways.map((a) => ({ value: a, label: label('attendance', a) }))} />
      </div>
      ${people.length > 1 && html`<button type="button" class="small" onClick=${() => f.setValues((old) => ({ people: old.people.filter((_, j) => j !== i) }))}>
        ${t('sessions.removePerson', { n: i + 1 })}</button>`}
    </fieldset>`)}
    <${FormError} form=${f} />
    <div class="actions">
      <button type="button" onClick=${() => f.setValues((old) => ({ people: [...old.people, blank()] }))}>${t('sessions.addPerson')}</button>
      <button type="submit" class="primary" disabled=${f.busy}>${t('sessions.register')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/** A coordinator changes a session's seats (never below those given; more seats move the waiting list up). */
function CapacityForm({ s, onDone, onCancel }) {
  const f = useForm({ capacityInPerson: s.capacityInPerson, capacityOnline: s.capacityOnline });
  const save = f.submit(async (v) => {
    await gql('SetSessionCapacity', { sessionId: s.id, capacityInPerson: Number(v.capacityInPerson) || 0, capacityOnline: Number(v.capacityOnline) || 0 });
    await onDone(t('sessions.capacitySaved'));
  });
  return html`<form class="inline" onSubmit=${save} novalidate aria-label=${t('sessions.capacityOf', { title: s.title })}>
    <div class="row top">
      ${atPlace(s.mode) && html`<${TextInput} type="number" min="1" labelText=${t('sessions.capacityInPerson')} value=${f.values.capacityInPerson}
        onInput=${f.set('capacityInPerson')} error=${f.fieldError('capacityInPerson')} />`}
      ${online(s.mode) && html`<${TextInput} type="number" min="1" labelText=${t('sessions.capacityOnline')} value=${f.values.capacityOnline}
        onInput=${f.set('capacityOnline')} error=${f.fieldError('capacityOnline')} />`}
    </div>
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('sessions.saveCapacity')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

/** The registrations the user sees (their municipality's; all for coordinators), with a cancel button each. */
function Registrations({ s, coordinator, mayCancel, onDone }) {
  const regs = s.registrations;
  const headId = `registrations-${s.id}`;
  return html`<h3 id=${headId}>${coordinator ? t('sessions.registrations') : t('sessions.yourRegistrations')} <span class="count">${regs.length}</span></h3>
    ${regs.length === 0 ? html`<${Empty}>${t('sessions.noRegistrations')}<//>` : html`<table class="list registrations" aria-labelledby=${headId}>
      <thead><tr><th scope="col">${t('sessions.personName')}</th>${coordinator && html`<th scope="col">${t('sessions.municipality')}</th>`}
        <th scope="col">${t('sessions.attendance')}</th><th scope="col">${t('sessions.status')}</th><th scope="col">${t('sessions.registeredOn')}</th>
        <th scope="col"><span class="visually-hidden">${t('sessions.steps')}</span></th></tr></thead>
      <tbody>${regs.map((r) => html`<tr class=${r.status === 'CANCELLED' ? 'cancelled' : ''}>
        <td data-label=${t('sessions.personName')}><strong>${r.personName}</strong><br /><a href=${`mailto:${r.email}`}>${r.email}</a></td>
        ${coordinator && html`<td data-label=${t('sessions.municipality')}>${placeName(r.municipality)}</td>`}
        <td data-label=${t('sessions.attendance')}>${label('attendance', r.attendance)}</td>
        <td data-label=${t('sessions.status')}><${Badge} group="registrationStatus" value=${r.status} /></td>
        <td class="date" data-label=${t('sessions.registeredOn')}>${fmt.dateTime(r.createdAt)}</td>
        <td>${r.status !== 'CANCELLED' && mayCancel(r) && html`<${StepButton} kind="danger" run=${async () => {
          await gql('CancelRegistration', { id: r.id });
          await onDone(t('sessions.cancelled', { name: r.personName }));
        }}>${t('sessions.cancelRegistration')}<span class="visually-hidden"> ${r.personName}</span><//>`}</td>
      </tr>`)}</tbody></table>`}`;
}

/** One session: when, how, where, seats, and what the user may do with it. */
function SessionCard({ s, reload, highlight }) {
  const { user } = useSession();
  const coordinator = may(user, 'MANAGE_INFO_SESSIONS');
  const officer = user.municipality && may(user, 'REGISTER_FOR_SESSION') ? user.municipality : null;
  const [open, setOpen] = useState(null);
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const done = async (text) => { await reload(); setOpen(null); setMessage(text); };
  const toggle = (what) => () => { setMessage(null); setOpen(open === what ? null : what); };
  const headId = `session-title-${s.id}`;
  const csv = async () => {
    setError(null);
    try { saveSpreadsheet((await gql('AttendeeSheet', { sessionId: s.id })).attendeeSheet); } catch (e) { setError(e); }
  };
  const seats = s.seatsTaken;
  return html`<article id=${`session-${s.id}`} class=${`card session${s.id === highlight ? ' highlight' : ''}`} aria-labelledby=${headId}>
    <h2 id=${headId}>${s.title} <${Badge} group="sessionMode" value=${s.mode} />${!s.open && html` <${Badge} group="sessionOpen" value="CLOSED" />`}</h2>
    <dl class="facts">
      <dt>${t('sessions.when')}</dt><dd><${When} s=${s} /></dd>
      ${s.place && html`<dt>${t('sessions.place')}</dt><dd>${s.place}</dd>`}
      ${online(s.mode) && html`<dt>${t('sessions.onlineLink')}</dt><dd>${s.onlineLink
        ? html`<a href=${s.onlineLink} rel="noopener noreferrer" target="_blank">${s.onlineLink}</a>` : html`<span class="muted">${t('sessions.linkAfterRegistering')}</span>`}</dd>`}
      <dt>${t('sessions.seats')}</dt><dd>${coordinator ? html`
        ${atPlace(s.mode) && html`<span class="seat">${t('sessions.takenInPerson', { taken: fmt.number(seats.inPerson), capacity: fmt.number(s.capacityInPerson) })}</span>`}
        ${online(s.mode) && html`<span class="seat">${t('sessions.takenOnline', { taken: fmt.number(seats.online), capacity: fmt.number(s.capacityOnline) })}</span>`}
        <span class="seat">${t('sessions.waiting', { count: seats.waiting })}</span>` : html`
        ${atPlace(s.mode) && html`<span class="seat">${t('sessions.seatsInPerson', { count: s.capacityInPerson })}</span>`}
        ${online(s.mode) && html`<span class="seat">${t('sessions.seatsOnline', { count: s.capacityOnline })}</span>`}`}</dd>
      <dt>${t('sessions.deadline')}</dt><dd>${fmt.dutch(s.registrationDeadline)}</dd>
    </dl>
    <p class="prose">${s.description}</p>
    ${message && html`<div class="alert ok" role="status">${message}</div>`}
    <div class="actions">
      ${officer && s.open && html`<button type="button" class="primary" aria-expanded=${open === 'register'} onClick=${toggle('register')}>${t('sessions.registerPeople')}</button>`}
      <button type="button" onClick=${() => saveBlob(new Blob([s.calendar], { type: 'text/calendar;charset=utf-8' }), `${fileName(s.title)}.ics`)}>${t('sessions.addToCalendar')}</button>
      ${coordinator && html`<button type="button" aria-expanded=${open === 'capacity'} onClick=${toggle('capacity')}>${t('sessions.changeCapacity')}</button>
        <button type="button" onClick=${csv}>${t('sessions.attendeeSheet')}</button>`}
    </div>
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
    ${open === 'register' && html`<${RegisterForm} s=${s} municipality=${officer} onDone=${done} onCancel=${() => setOpen(null)} />`}
    ${open === 'capacity' && html`<${CapacityForm} s=${s} onDone=${done} onCancel=${() => setOpen(null)} />`}
    ${(coordinator || officer) && html`<${Registrations} s=${s} coordinator=${coordinator} onDone=${async (text) => { await reload(); setMessage(text); }}
      mayCancel=${(r) => coordinator || (officer && r.municipality.id === officer.id)} />`}
  </article>`;
}

/** A coordinator's new session: titles and descriptions in three languages, Dutch times, how it is held, seats. */
function SessionForm({ onDone }) {
  const f = useForm({ titleEn: '', titleNl: '', titleUk: '', descriptionEn: '', descriptionNl: '', descriptionUk: '', startsAt: `${dayFromToday(28)}T14:00`,
    endsAt: `${dayFromToday(28)}T16:00`, registrationDeadline: `${dayFromToday(26)}T12:00`, mode: 'HYBRID', place: '', onlineLink: '', capacityInPerson: '', capacityOnline: '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    const opt = (x) => x.trim() || null;
    await gql('CreateInfoSession', { input: {
      titleEn: values.titleEn, titleNl: opt(values.titleNl), titleUk: opt(values.titleUk),
      descriptionEn: values.descriptionEn, descriptionNl: opt(values.descriptionNl), descriptionUk: opt(values.descriptionUk),
      startsAt: localTime(values.startsAt), endsAt: localTime(values.endsAt), registrationDeadline: localTime(values.registrationDeadline), mode: values.mode,
      place: atPlace(values.mode) ? opt(values.place) : null, onlineLink: online(values.mode) ? opt(values.onlineLink) : null,
      capacityInPerson: atPlace(values.mode) ? Number(values.capacityInPerson) || 0 : 0, capacityOnline: online(values.mode) ? Number(values.capacityOnline) || 0 : 0,
    } });
    f.setValues({ ...values, titleEn: '', titleNl: '', titleUk: '', descriptionEn: '', descriptionNl: '', descriptionUk: '' });
    await onDone(t('sessions.created', { title: values.titleEn }));
  }, ['titleEn', 'descriptionEn', 'startsAt', 'endsAt', 'registrationDeadline', 'mode']);
  const lang = [['En', 'en'], ['Nl', 'nl'], ['Uk', 'uk']];
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="session-form-title">
    <div class="row top">${lang.map(([k, code]) => html`<${TextInput} labelText=${t(`sessions.title${k}`)} lang=${code} value=${v[`title${k}`]}
      onInput=${f.set(`title${k}`)} error=${f.fieldError(`title${k}`)} />`)}</div>
    ${lang.map(([k, code]) => html`<${TextArea} labelText=${t(`sessions.description${k}`)} lang=${code} value=${v[`description${k}`]}
      onInput=${f.set(`description${k}`)} error=${f.fieldError(`description${k}`)} rows="2" />`)}
    <p class="hint">${t('sessions.languagesHint')}</p>
    <div class="row top">
      <${TextInput} type="datetime-local" labelText=${t('sessions.startsAt')} value=${v.startsAt} onInput=${f.set('startsAt')} error=${f.fieldError('startsAt')} />
      <${TextInput} type="datetime-local" labelText=${t('sessions.endsAt')} value=${v.endsAt} onInput=${f.set('endsAt')} error=${f.fieldError('endsAt')} />
      <${TextInput} type="datetime-local" labelText=${t('sessions.deadline')} value=${v.registrationDeadline} onInput=${f.set('registrationDeadline')}
        error=${f.fieldError('registrationDeadline')} />
    </div>
    <p class="hint">${t('sessions.timesHint')}</p>
    <${Select} labelText=${t('sessions.mode')} value=${v.mode} onChange=${f.set('mode')} error=${f.fieldError('mode')}
      options=${MODES.map((m) => ({ value: m, label: label('sessionMode', m) }))} />
    <div class="row top">
      ${atPlace(v.mode) && html`<${TextInput} labelText=${t('sessions.place')} value=${v.place} onInput=${f.set('place')} error=${f.fieldError('place')} />`}
      ${atPlace(v.mode) && html`<${TextInput} type="number" min="1" labelText=${t('sessions.capacityInPerson')} value=${v.capacityInPerson} onInput=${f.set('capacityInPerson')}
        error=${f.fieldError('capacityInPerson')} />`}
    </div>
    <div class="row top">
      ${online(v.mode) && html`<${TextInput} type="url" labelText=${t('sessions.onlineLink')} value=${v.onlineLink} onInput=${f.set('onlineLink')} error=${f.fieldError('onlineLink')}
        hint=${t('sessions.onlineLinkHint')} spellcheck="false" />`}
      ${online(v.mode) && html`<${TextInput} type="number" min="1" labelText=${t('sessions.capacityOnline')} value=${v.capacityOnline} onInput=${f.set('capacityOnline')}
        error=${f.fieldError('capacityOnline')} />`}
    </div>
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('sessions.create')}</button>
  </form>`;
}

/** `#/sessions`: the sessions not yet over, soonest first. */
export function SessionsPage({ params }) {
  const { user } = useSession();
  const q = useQuery('InfoSessions', { language: currentLanguage() });
  const [created, setCreated] = useState(null);
  useScrollTo(params.session && `session-${params.session}`, Boolean(q.data));
  return html`<section class="sessions">
    <h1>${t('sessions.title')}</h1>
    <p class="lead">${t('sessions.intro')}</p>
    <${Loaded} q=${q}>${(d) => (d.infoSessions.length === 0 ? html`<${Empty}>${t('sessions.none')}<//>` : html`<div class="session-list">
      ${d.infoSessions.map((s) => html`<${SessionCard} key=${s.id} s=${s} reload=${q.reload} highlight=${params.session} />`)}</div>`)}<//>
    ${may(user, 'MANAGE_INFO_SESSIONS') && html`<section class="card narrow-card" aria-labelledby="session-form-title">
      <h2 id="session-form-title">${t('sessions.new')}</h2>
      ${created && html`<div class="alert ok" role="status">${created}</div>`}
      <${SessionForm} onDone=${async (text) => { await q.reload(); setCreated(text); }} />
    </section>`}
  </section>`;
}

/** `#/session/<id>` (the link in a notification): the session in the list. */
export const SessionPage = redirectTo('#/sessions?session=');
