// Requests for help beyond expertise (`#/help`): material or financial help a hromada needs. AUC posts them for any
// hromada, a hromada officer for their own (POST_HELP_REQUEST); municipality officers answer with an offer from
// their municipality (OFFER_HELP); the Ukrainian side agrees to offers, declines them, or closes the request
// (DECIDE_HELP_OFFER); coordinators see every request with its offers and what was agreed. `#/help/<id>`, the link
// in a notification, points at one request.
import { html, useState } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, useForm, FormError, Empty, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';
import { StepButton, useScrollTo, dayFromToday } from './network-parts.js';

const KINDS = ['MATERIAL', 'FINANCIAL'];
const STATUSES = ['OPEN', 'AGREED', 'CLOSED'];

/** A request for a hromada: AUC chooses the hromada, a hromada officer asks for their own. */
function RequestForm({ onDone }) {
  const { user } = useSession();
  const own = user.municipality && user.municipality.side === 'RECOVERING' ? user.municipality : null;
  const empty = { municipalityId: own ? own.id : '', kind: 'MATERIAL', title: '', description: '', quantity: '', neededBy: '' };
  const f = useForm(empty);
  const v = f.values;
  const save = f.submit(async (values) => {
    const d = await gql('PostHelpRequest', { input: { municipalityId: values.municipalityId, kind: values.kind, title: values.title, description: values.description,
      quantity: values.quantity.trim() || null, neededBy: values.neededBy || null } });
    f.setValues({ ...empty, municipalityId: values.municipalityId });
    await onDone(t('help.posted', { title: d.postHelpRequest.title }));
  }, ['municipalityId', 'kind', 'title', 'description']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="request-form-title">
    ${!own && html`<${MunicipalityPicker} side="RECOVERING" labelText=${t('help.hromada')} findText=${t('help.findHromada')}
      value=${v.municipalityId} onChange=${f.set('municipalityId')} error=${f.fieldError('municipalityId')} />`}
    <div class="row top">
      <${Select} labelText=${t('help.kind')} value=${v.kind} onChange=${f.set('kind')} error=${f.fieldError('kind')}
        options=${KINDS.map((k) => ({ value: k, label: label('helpKind', k) }))} />
      <${TextInput} labelText=${t('help.quantity')} value=${v.quantity} onInput=${f.set('quantity')} error=${f.fieldError('quantity')} hint=${t('help.quantityHint')} />
      <${TextInput} type="date" min=${dayFromToday()} labelText=${t('help.neededBy')} value=${v.neededBy} onInput=${f.set('neededBy')} error=${f.fieldError('neededBy')} />
    </div>
    <${TextInput} labelText=${t('help.requestTitle')} value=${v.title} onInput=${f.set('title')} error=${f.fieldError('title')} />
    <${TextArea} labelText=${t('help.description')} value=${v.description} onInput=${f.set('description')} error=${f.fieldError('description')} rows="3" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('help.post')}</button>
  </form>`;
}

/** A municipality officer's offer in answer to a request. */
function OfferForm({ r, municipality, onDone, onCancel }) {
  const f = useForm({ description: '' });
  const save = f.submit(async (v) => {
    await gql('OfferHelp', { requestId: r.id, municipalityId: municipality.id, description: v.description });
    await onDone(t('help.offered', { title: r.title }));
  }, ['description']);
  return html`<form class="inline" onSubmit=${save} novalidate aria-label=${t('help.offerFor', { title: r.title })}>
    <${TextArea} labelText=${t('help.offerWhat', { name: placeName(municipality) })} value=${f.values.description} onInput=${f.set('description')}
      error=${f.fieldError('description')} hint=${t('help.offerHint')} rows="3" />
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('help.sendOffer')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

/** One request: what, for whom, by when, its offers and the steps the user may take. */
function RequestCard({ r, reload, highlight }) {
  const { user } = useSession();
  const decide = may(user, 'DECIDE_HELP_OFFER') && (!user.municipality || user.municipality.id === r.municipality.id);
  const offerer = user.municipality && user.municipality.side === 'CONTRIBUTING' && may(user, 'OFFER_HELP') ? user.municipality : null;
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState(null);
  const done = async (text) => { await reload(); setOpen(false); setMessage(text); };
  const agreed = r.offers.filter((o) => o.status === 'AGREED');
  const headId = `help-title-${r.id}`;
  const decideOn = (o, agree) => async () => {
    await gql('DecideHelpOffer', { offerId: o.id, agree });
    await done(t(agree ? 'help.agreedTo' : 'help.declinedOffer', { name: o.municipality ? o.municipality.name : '' }));
  };
  return html`<article id=${`help-${r.id}`} class=${`card help-request${r.id === highlight ? ' highlight' : ''}`} aria-labelledby=${headId}>
    <h2 id=${headId}>${r.title} <${Badge} group="helpKind" value=${r.kind} /> <${Badge} group="helpStatus" value=${r.status} /></h2>
    <dl class="facts">
      <dt>${t('help.hromada')}</dt><dd>${r.municipality ? html`${placeName(r.municipality)} <small class="muted">${r.municipality.region}</small>` : '—'}</dd>
      ${r.quantity && html`<dt>${t('help.quantity')}</dt><dd>${r.quantity}</dd>`}
      <dt>${t('help.neededBy')}</dt><dd>${r.neededBy ? fmt.date(r.neededBy) : '—'}</dd>
      <dt>${t('help.postedOn')}</dt><dd>${fmt.date(r.createdAt)}</dd>
      ${agreed.length > 0 && html`<dt>${t('help.agreedWith')}</dt><dd>${agreed.map((o) => (o.municipality ? o.municipality.name : '')).join(', ')}</dd>`}
    </dl>
    <p class="prose">${r.description}</p>
    ${message && html`<div class="alert ok" role="status">${message}</div>`}
    <h3>${t('help.offers')} <span class="count">${r.offers.length}</span></h3>
    ${r.offers.length === 0 ? html`<${Empty}>${t('help.noOffers')}<//>` : html`<ul class="plain offers">${r.offers.map((o) => html`<li class=${`offer ${o.status.toLowerCase()}`}>
      <div class="offer-head"><strong>${o.municipality ? o.municipality.name : '—'}</strong> <${Badge} group="offerStatus" value=${o.status} />
        <small class="muted">${t('help.offeredOn', { when: fmt.date(o.createdAt) })}${o.decidedAt ? ` · ${t('help.decidedOn', { when: fmt.date(o.decidedAt) })}` : ''}</small></div>
      <p class="prose">${o.description}</p>
      ${decide && o.status === 'OFFERED' && r.status !== 'CLOSED' && html`<div class="actions">
        <${StepButton} kind="primary" run=${decideOn(o, true)}>${t('help.agree')}<span class="visually-hidden"> ${o.municipality ? o.municipality.name : ''}</span><//>
        <${StepButton} kind="danger" run=${decideOn(o, false)}>${t('help.decline')}<span class="visually-hidden"> ${o.municipality ? o.municipality.name : ''}</span><//>
      </div>`}
    </li>`)}</ul>`}
    ${r.status !== 'CLOSED' && (offerer || decide) && html`<div class="actions">
      ${offerer && html`<button type="button" class="primary" aria-expanded=${open} onClick=${() => { setMessage(null); setOpen(!open); }}>${t('help.offer')}</button>`}
      ${decide && html`<${StepButton} run=${async () => { await gql('CloseHelpRequest', { id: r.id }); await done(t('help.closed')); }}>${t('help.close')}<//>`}
    </div>`}
    ${open && offerer && html`<${OfferForm} r=${r} municipality=${offerer} onDone=${done} onCancel=${() => setOpen(false)} />`}
  </article>`;
}

/** `#/help` and `#/help/<id>`: every request with its offers, newest first. */
export function HelpPage({ id }) {
  const { user } = useSession();
  const q = useQuery('HelpRequests', {});
  const [status, setStatus] = useState('');
  const [posted, setPosted] = useState(null);
  const [asking, setAsking] = useState(false);
  useScrollTo(id && `help-${id}`, Boolean(q.data));
  if (!may(user, 'READ_COMMUNITY')) return html`<section><h1>${t('help.title')}</h1><${Empty}>${t('help.nothingForYou')}<//></section>`;
  return html`<section class="help">
    <h1>${t('help.title')}</h1>
    <p class="lead">${t('help.intro')}</p>
    ${may(user, 'POST_HELP_REQUEST') && html`<div class="actions">
      <button type="button" class="primary" aria-expanded=${asking} onClick=${() => { setPosted(null); setAsking(!asking); }}>${t('help.new')}</button>
    </div>
    ${posted && html`<div class="alert ok" role="status">${posted}</div>`}
    ${asking && html`<section class="card narrow-card new-request" id="request-form" aria-labelledby="request-form-title">
      <h2 id="request-form-title">${t('help.new')}</h2>
      <${RequestForm} onDone=${async (text) => { await q.reload(); setAsking(false); setPosted(text); }} />
    </section>`}`}
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('common.filters')}>
      <${Select} labelText=${t('help.status')} value=${status} onChange=${setStatus} empty=${t('common.any')}
        options=${STATUSES.map((s) => ({ value: s, label: label('helpStatus', s) }))} />
    </form>
    <${Loaded} q=${q}>${(d) => {
      const shown = d.helpRequests.filter((r) => !status || r.status === status || r.id === id);
      return shown.length === 0 ? html`<${Empty}>${d.helpRequests.length === 0 ? t('help.none') : t('help.noneOfStatus')}<//>` : html`<div class="help-list">
        ${shown.map((r) => html`<${RequestCard} key=${r.id} r=${r} reload=${q.reload} highlight=${id} />`)}</div>`;
    }}<//>
  </section>`;
}
