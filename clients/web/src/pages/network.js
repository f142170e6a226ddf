// The network around the pool (`#/network`): who takes part, what they offer and whom to call, and the ties
// between Dutch and Ukrainian municipalities. Coordinators (READ_NETWORK) see every member and every tie; a
// municipality officer registers their own municipality's participation and contact persons (MANAGE_MEMBERSHIP);
// officers on either side enter ties (RECORD_TIE) that the other side confirms (CONFIRM_TIE). `#/tie/<id>`, the
// link in a notification, opens the list with that tie pointed at.
import { html, useState } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, Choices, useForm, FormError, Empty, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';
import { Contact, StepButton, sideOf, useScrollTo, redirectTo } from './network-parts.js';

const STATUSES = ['INTERESTED', 'ACTIVE', 'PAUSED'];
const OFFERS = [['offersExpertise', 'EXPERTISE'], ['offersMoney', 'MONEY'], ['offersHosting', 'HOSTING']];
const KINDS = ['PARTNERSHIP', 'EARLIER_PROJECT', 'PERSONAL_CONTACTS'];

const place = (m) => html`${placeName(m)} <small class="muted">${m.region}</small>`;
const offersOf = (m) => OFFERS.filter(([key]) => m[key]).map(([, v]) => v);

/** The members: who, status, what they offer, in which skill areas, whom to call. */
function MemberTable({ members }) {
  if (members.length === 0) return html`<${Empty}>${t('network.noMembers')}<//>`;
  return html`<table class="list members">
    <thead><tr><th scope="col">${t('network.municipality')}</th><th scope="col">${t('network.status')}</th><th scope="col">${t('network.offers')}</th>
      <th scope="col">${t('network.skillAreas')}</th><th scope="col">${t('network.contacts')}</th><th scope="col">${t('network.updated')}</th></tr></thead>
    <tbody>${members.map((m) => html`<tr id=${`member-${m.municipality.id}`}>
      <td data-label=${t('network.municipality')}><strong>${placeName(m.municipality)}</strong><br /><small class="muted">${m.municipality.region}</small>
        ${m.note && html`<br /><small class="muted note">${m.note}</small>`}</td>
      <td data-label=${t('network.status')}><${Badge} group="membershipStatus" value=${m.status} /></td>
      <td data-label=${t('network.offers')}>${offersOf(m).length === 0 ? '—' : html`<ul class="tags">${offersOf(m).map((o) => html`<li>${label('networkOffer', o)}</li>`)}</ul>`}</td>
      <td data-label=${t('network.skillAreas')}>${m.skillAreas.length === 0 ? '—' : m.skillAreas.map((s) => label('sector', s)).join(', ')}</td>
      <td data-label=${t('network.contacts')}>${m.contacts.length === 0 ? '—' : html`<ul class="plain contacts">${m.contacts.map((c) => html`<li>
        <${Contact} name=${c.name} role=${c.roleTitle} email=${c.email} phone=${c.phone} /></li>`)}</ul>`}</td>
      <td class="date" data-label=${t('network.updated')}>${fmt.date(m.updatedAt)}</td>
    </tr>`)}</tbody></table>`;
}

/** Whether the user may confirm a tie: the other side than the one that entered it, not yet confirmed. */
function mayConfirm(user, tie) {
  const side = sideOf(user);
  return may(user, 'CONFIRM_TIE') && !tie.confirmedAt && (side === null || side !== tie.enteredBySide);
}

/** Ties, with the confirm button where the user speaks for the side that did not enter it. */
function TieTable({ ties, reload, highlight }) {
  const { user } = useSession();
  const [message, setMessage] = useState(null);
  useScrollTo(highlight && `tie-${highlight}`, ties.length);
  const confirm = (tie) => async () => {
    await gql('ConfirmTie', { id: tie.id });
    await reload();
    setMessage(t('network.tieConfirmed', { a: placeName(tie.contributingMunicipality), b: placeName(tie.recoveringMunicipality) }));
  };
  return html`${message && html`<div class="alert ok" role="status">${message}</div>`}
    ${ties.length === 0 ? html`<${Empty}>${t('network.noTies')}<//>` : html`<table class="list ties" aria-labelledby="ties-title">
    <thead><tr><th scope="col">${t('network.contributing')}</th><th scope="col">${t('network.recovering')}</th><th scope="col">${t('network.kind')}</th>
      <th scope="col">${t('network.since')}</th><th scope="col">${t('network.tieContact')}</th><th scope="col">${t('network.enteredBy')}</th>
      <th scope="col">${t('network.tieState')}</th><th scope="col"><span class="visually-hidden">${t('network.steps')}</span></th></tr></thead>
    <tbody>${ties.map((x) => html`<tr id=${`tie-${x.id}`} class=${x.id === highlight ? 'highlight' : ''}>
      <td data-label=${t('network.contributing')}>${place(x.contributingMunicipality)}</td>
      <td data-label=${t('network.recovering')}>${place(x.recoveringMunicipality)}</td>
      <td data-label=${t('network.kind')}>${label('tieKind', x.kind)}${x.note && html`<br /><small class="muted note">${x.note}</small>`}</td>
      <td class="date" data-label=${t('network.since')}>${x.since ? fmt.date(x.since) : '—'}</td>
      <td data-label=${t('network.tieContact')}>${x.contact || '—'}</td>
      <td data-label=${t('network.enteredBy')}>${label('tieSide', x.enteredBySide)}</td>
      <td data-label=${t('network.tieState')}>${x.confirmedAt
        ? html`<${Badge} group="tieState" value="CONFIRMED" /> <small class="muted">${fmt.date(x.confirmedAt)}</small>`
        : html`<${Badge} group="tieState" value="UNCONFIRMED" />`}</td>
      <td>${mayConfirm(user, x) && html`<${StepButton} kind="primary" run=${confirm(x)}>${t('network.confirm')}<span class="visually-hidden">
        ${t('network.confirmWhich', { a: placeName(x.contributingMunicipality), b: placeName(x.recoveringMunicipality) })}</span><//>`}</td>
    </tr>`)}</tbody></table>`}`;
}

/** A tie entered for the user's own side: an officer picks the other municipality; a coordinator or an admin
 *  picks both. */
function TieForm({ onDone }) {
  const { user } = useSession();
  const own = user.municipality;
  const f = useForm({ contributingMunicipalityId: own && own.side === 'CONTRIBUTING' ? own.id : '',
    recoveringMunicipalityId: own && own.side === 'RECOVERING' ? own.id : '', kind: 'PARTNERSHIP', since: '', contact: '', note: '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('RecordTie', { input: { contributingMunicipalityId: values.contributingMunicipalityId, recoveringMunicipalityId: values.recoveringMunicipalityId,
      kind: values.kind, since: values.since || null, contact: values.contact.trim() || null, note: values.note.trim() || null } });
    f.setValues({ ...values, since: '', contact: '', note: '', ...(own && own.side === 'CONTRIBUTING' ? { recoveringMunicipalityId: '' } : {}),
      ...(own && own.side === 'RECOVERING' ? { contributingMunicipalityId: '' } : {}) });
    await onDone(t('network.tieRecorded'));
  }, ['contributingMunicipalityId', 'recoveringMunicipalityId', 'kind']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="tie-form-title">
    ${!(own && own.side === 'CONTRIBUTING') && html`<${MunicipalityPicker} side="CONTRIBUTING" labelText=${t('network.contributing')} findText=${t('network.findContributing')}
      value=${v.contributingMunicipalityId} onChange=${f.set('contributingMunicipalityId')} error=${f.fieldError('contributingMunicipalityId')} />`}
    ${!(own && own.side === 'RECOVERING') && html`<${MunicipalityPicker} side="RECOVERING" labelText=${t('network.recovering')} findText=${t('network.findRecovering')}
      value=${v.recoveringMunicipalityId} onChange=${f.set('recoveringMunicipalityId')} error=${f.fieldError('recoveringMunicipalityId')} />`}
    <div class="row top">
      <${Select} labelText=${t('network.kind')} value=${v.kind} onChange=${f.set('kind')} error=${f.fieldError('kind')}
        options=${KINDS.map((k) => ({ value: k, label: label('tieKind', k) }))} />
      <${TextInput} type="date" labelText=${t('network.since')} value=${v.since} onInput=${f.set('since')} error=${f.fieldError('since')} />
    </div>
    <${TextInput} labelText=${t('network.tieContact')} value=${v.contact} onInput=${f.set('contact')} error=${f.fieldError('contact')} hint=${t('network.tieContactHint')} />
    <${TextArea} labelText=${t('network.note')} value=${v.note} onInput=${f.set('note')} error=${f.fieldError('note')} rows="2" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('network.recordTie')}</button>
  </form>`;
}

/** The ties the user sees, and the form to enter one. */
function Ties({ highlight }) {
  const { user } = useSession();
  const q = useQuery('Ties', {});
  const [recorded, setRecorded] = useState(null);
  return html`<section aria-labelledby="ties-title">
    <h2 id="ties-title">${t('network.ties')} <${Loaded} q=${q}>${(d) => html`<span class="count">${d.ties.length}</span>`}<//></h2>
    <p class="muted">${t('network.tiesHint')}</p>
    <${Loaded} q=${q}>${(d) => html`<${TieTable} ties=${d.ties} reload=${q.reload} highlight=${highlight} />`}<//>
    ${may(user, 'RECORD_TIE') && html`<section class="card narrow-card" aria-labelledby="tie-form-title">
      <h3 id="tie-form-title">${t('network.newTie')}</h3>
      ${recorded && html`<div class="alert ok" role="status">${recorded}</div>`}
      <${TieForm} onDone=${async (text) => { await q.reload(); setRecorded(text); }} />
    </section>`}
  </section>`;
}

/** Coordinators: every member, of one status when chosen. */
function Members() {
  const [status, setStatus] = useState('');
  const q = useQuery('NetworkMembers', { status: status || null });
  return html`<section aria-labelledby="members-title">
    <h2 id="members-title">${t('network.members')} <${Loaded} q=${q}>${(d) => html`<span class="count">${d.networkMembers.length}</span>`}<//></h2>
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('common.filters')}>
      <${Select} labelText=${t('network.status')} value=${status} onChange=${setStatus} empty=${t('common.any')}
        options=${STATUSES.map((s) => ({ value: s, label: label('membershipStatus', s) }))} />
    </form>
    <${Loaded} q=${q}>${(d) => html`<${MemberTable} members=${d.networkMembers} />`}<//>
  </section>`;
}

/** A municipality's participation: status, what it offers, skill areas and a note. */
function MembershipForm({ municipality, membership, categories, onDone }) {
  const m = membership;
  const f = useForm({ status: m ? m.status : 'INTERESTED', offers: m ? offersOf(m) : [], skillAreas: m ? m.skillAreas : [], note: (m && m.note) || '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    const has = (o) => values.offers.includes(o);
    await gql('SetMembership', { municipalityId: municipality.id, input: { status: values.status, offersExpertise: has('EXPERTISE'), offersMoney: has('MONEY'),
      offersHosting: has('HOSTING'), skillAreas: values.skillAreas, note: values.note.trim() || null } });
    await onDone(t('network.membershipSaved'));
  }, ['status']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="membership-title">
    <${Select} labelText=${t('network.status')} value=${v.status} onChange=${f.set('status')} error=${f.fieldError('status')}
      hint=${t('network.statusHint')} options=${STATUSES.map((s) => ({ value: s, label: label('membershipStatus', s) }))} />
    <${Choices} legend=${t('network.offers')} values=${v.offers} onChange=${f.set('offers')}
      options=${OFFERS.map(([, o]) => ({ value: o, label: label('networkOffer', o) }))} />
    <${Choices} legend=${t('network.skillAreas')} values=${v.skillAreas} onChange=${f.set('skillAreas')} error=${f.fieldError('skillAreas')}
      options=${categories.map((c) => ({ value: c, label: label('sector', c) }))} />
    <${TextArea} labelText=${t('network.note')} value=${v.note} onInput=${f.set('note')} error=${f.fieldError('note')} hint=${t('network.noteHint')} rows="3" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${m ? t('common.save') : t('network.join')}</button>
  </form>`;
}

/** A contact person added to the municipality's participation. */
function ContactForm({ municipality, onDone }) {
  const f = useForm({ name: '', roleTitle: '', email: '', phone: '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('AddNetworkContact', { municipalityId: municipality.id, input: { name: values.name, roleTitle: values.roleTitle, email: values.email.trim(),
      phone: values.phone.trim() || null } });
    f.setValues({ name: '', roleTitle: '', email: '', phone: '' });
    await onDone(t('network.contactAdded', { name: values.name }));
  }, ['name', 'roleTitle', 'email']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="contact-form-title">
    <div class="row top">
      <${TextInput} labelText=${t('network.contactName')} value=${v.name} onInput=${f.set('name')} error=${f.fieldError('name')} autocomplete="off" />
      <${TextInput} labelText=${t('network.roleTitle')} value=${v.roleTitle} onInput=${f.set('roleTitle')} error=${f.fieldError('roleTitle')} />
    </div>
    <div class="row top">
      <${TextInput} type="email" labelText=${t('network.email')} value=${v.email} onInput=${f.set('email')} error=${f.fieldError('email')} autocomplete="off" />
      <${TextInput} type="tel" labelText=${t('network.phone')} value=${v.phone} onInput=${f.set('phone')} error=${f.fieldError('phone')} autocomplete="off" />
    </div>
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('network.addContact')}</button>
  </form>`;
}

/** A municipality officer: their municipality's participation and its contact persons. */
function OwnParticipation({ municipality }) {
  const q = useQuery('OwnMembership', { municipalityId: municipality.id });
  const [message, setMessage] = useState(null);
  const [contactMessage, setContactMessage] = useState(null);
  const done = async (text) => { await q.reload(); setContactMessage(null); setMessage(text); };
  const contactDone = async (text) => { await q.reload(); setMessage(null); setContactMessage(text); };
  return html`<${Loaded} q=${q}>${(d) => {
    const m = d.membership;
    const categories = [...new Set(d.skills.map((s) => s.category))].sort((a, b) => label('sector', a).localeCompare(label('sector', b)));
    return html`<div class="grid network-own">
      <section class="card" aria-labelledby="membership-title">
        <h2 id="membership-title">${t('network.participation', { name: placeName(municipality) })}
          ${m && html`<${Badge} group="membershipStatus" value=${m.status} />`}</h2>
        <p class="muted">${m ? t('network.updatedOn', { when: fmt.dateTime(m.updatedAt) }) : t('network.notYet')}</p>
        ${message && html`<div class="alert ok" role="status">${message}</div>`}
        <${MembershipForm} key=${m ? m.updatedAt : 'new'} municipality=${municipality} membership=${m} categories=${categories} onDone=${done} />
      </section>
      <section class="card" aria-labelledby="contacts-title">
        <h2 id="contacts-title">${t('network.contacts')} <span class="count">${m ? m.contacts.length : 0}</span></h2>
        ${contactMessage && html`<div class="alert ok" role="status">${contactMessage}</div>`}
        ${!m ? html`<${Empty}>${t('network.contactsAfterJoining')}<//>` : html`
          ${m.contacts.length === 0 ? html`<${Empty}>${t('network.noContacts')}<//>` : html`<ul class="plain contacts">
            ${m.contacts.map((c) => html`<li><${Contact} name=${c.name} role=${c.roleTitle} email=${c.email} phone=${c.phone} />
              <${StepButton} kind="danger" run=${async () => { await gql('RemoveNetworkContact', { id: c.id }); await contactDone(t('network.contactRemoved', { name: c.name })); }}>
                ${t('common.remove')}<span class="visually-hidden"> ${c.name}</span><//></li>`)}</ul>`}
          <h3 id="contact-form-title">${t('network.newContact')}</h3>
          <${ContactForm} municipality=${municipality} onDone=${contactDone} />`}
      </section>
    </div>`;
  }}<//>`;
}

/** `#/network`: what the network holds for this user. */
export function NetworkPage({ params }) {
  const { user } = useSession();
  const coordinator = may(user, 'READ_NETWORK');
  const own = user.municipality && user.municipality.side === 'CONTRIBUTING' && may(user, 'MANAGE_MEMBERSHIP') ? user.municipality : null;
  const ties = may(user, 'RECORD_TIE') || may(user, 'CONFIRM_TIE') || coordinator;
  return html`<section class="network">
    <h1>${t('network.title')}</h1>
    <p class="lead">${coordinator ? t('network.introCoordinator') : own ? t('network.introOfficer') : t('network.introHromada')}</p>
    ${own && html`<${OwnParticipation} municipality=${own} />`}
    ${coordinator && html`<${Members} />`}
    ${ties ? html`<${Ties} highlight=${params.tie} />` : html`<${Empty}>${t('network.nothingForYou')}<//>`}
  </section>`;
}

/** `#/tie/<id>` (the link in a notification): the tie in the network's list. */
export const TiePage = redirectTo('#/network?tie=');
