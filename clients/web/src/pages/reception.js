// Reception locations for displaced people (`#/reception`). A municipality officer reports their municipality's
// locations and keeps places and dates up to date (OFFER_RECEPTION); coordinators (READ_RECEPTION) see every
// location with its contact person, the places week by week nationwide (a chart) and per province (a table), and
// download the list for the ministries as CSV.
import { html, useState } from '../lib.js';
import { t, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Select, TextInput, TextArea, useForm, FormError, Empty, dateRange, errorText, saveSpreadsheet } from '../ui.js';
import { useSession, may } from '../session.js';
import { Chart } from '../charts.js';
import { Contact, dayFromToday } from './network-parts.js';

const WEEKS = [8, 12, 26, 52];

/** What the API takes for a location, from the form's values. */
const inputOf = (v) => ({
  locationName: v.locationName, address: v.address.trim() || null, places: Number(v.places) || 0, availableFrom: v.availableFrom,
  availableUntil: v.availableUntil || null, targetGroup: v.targetGroup.trim() || null, contactName: v.contactName, contactEmail: v.contactEmail.trim(),
  contactPhone: v.contactPhone.trim() || null,
});
/** A location's values as the form holds them. */
const valuesOf = (o) => ({
  locationName: o.locationName, address: o.address || '', places: o.places, availableFrom: o.availableFrom, availableUntil: o.availableUntil || '',
  targetGroup: o.targetGroup || '', contactName: o.contactName || '', contactEmail: o.contactEmail || '', contactPhone: o.contactPhone || '',
});
const REQUIRED = ['locationName', 'places', 'availableFrom', 'contactName', 'contactEmail'];

/** A new location: where, how many places, from when until when, for whom, and the contact person. */
function OfferForm({ onDone }) {
  const empty = { locationName: '', address: '', places: '', availableFrom: dayFromToday(), availableUntil: '', targetGroup: '', contactName: '', contactEmail: '', contactPhone: '' };
  const f = useForm(empty);
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('OfferReception', { input: inputOf(values) });
    f.setValues(empty);
    await onDone(t('reception.offered', { name: values.locationName, places: fmt.number(values.places) }));
  }, REQUIRED);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="offer-form-title">
    <div class="row top">
      <${TextInput} labelText=${t('reception.locationName')} value=${v.locationName} onInput=${f.set('locationName')} error=${f.fieldError('locationName')} />
      <${TextInput} labelText=${t('reception.address')} value=${v.address} onInput=${f.set('address')} error=${f.fieldError('address')} />
    </div>
    <div class="row top">
      <${TextInput} type="number" min="1" labelText=${t('reception.places')} value=${v.places} onInput=${f.set('places')} error=${f.fieldError('places')} />
      <${TextInput} type="date" labelText=${t('reception.from')} value=${v.availableFrom} onInput=${f.set('availableFrom')} error=${f.fieldError('availableFrom')} />
      <${TextInput} type="date" labelText=${t('reception.until')} value=${v.availableUntil} onInput=${f.set('availableUntil')} error=${f.fieldError('availableUntil')}
        hint=${t('reception.untilHint')} />
    </div>
    <${TextArea} labelText=${t('reception.targetGroup')} value=${v.targetGroup} onInput=${f.set('targetGroup')} error=${f.fieldError('targetGroup')}
      hint=${t('reception.targetGroupHint')} rows="2" />
    <fieldset>
      <legend>${t('reception.contactPerson')}</legend>
      <p class="hint">${t('reception.contactHint')}</p>
      <div class="row top">
        <${TextInput} labelText=${t('reception.contactName')} value=${v.contactName} onInput=${f.set('contactName')} error=${f.fieldError('contactName')} autocomplete="off" />
        <${TextInput} type="email" labelText=${t('reception.contactEmail')} value=${v.contactEmail} onInput=${f.set('contactEmail')} error=${f.fieldError('contactEmail')} autocomplete="off" />
        <${TextInput} type="tel" labelText=${t('reception.contactPhone')} value=${v.contactPhone} onInput=${f.set('contactPhone')} error=${f.fieldError('contactPhone')} autocomplete="off" />
      </div>
    </fieldset>
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('reception.offer')}</button>
  </form>`;
}

/** Places and dates of a location change; the rest stays as it is. */
function UpdateForm({ o, onDone, onCancel }) {
  const f = useForm(valuesOf(o));
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('UpdateReceptionOffer', { id: o.id, input: inputOf(values) });
    await onDone(t('reception.updated', { name: values.locationName, places: fmt.number(values.places) }));
  }, REQUIRED);
  return html`<form class="inline" onSubmit=${save} novalidate aria-label=${t('reception.updateOf', { name: o.locationName })}>
    <div class="row top">
      <${TextInput} type="number" min="1" labelText=${t('reception.places')} value=${v.places} onInput=${f.set('places')} error=${f.fieldError('places')} />
      <${TextInput} type="date" labelText=${t('reception.from')} value=${v.availableFrom} onInput=${f.set('availableFrom')} error=${f.fieldError('availableFrom')} />
      <${TextInput} type="date" labelText=${t('reception.until')} value=${v.availableUntil} onInput=${f.set('availableUntil')} error=${f.fieldError('availableUntil')}
        hint=${t('reception.untilHint')} />
    </div>
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('common.save')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

/** The locations: where, places, when, for whom, whom to call; `all` adds the municipality and its province. */
function OfferTable({ offers, all, mayUpdate, reload }) {
  const [open, setOpen] = useState(null);
  const [message, setMessage] = useState(null);
  const cols = all ? 7 : 6;
  return html`${message && html`<div class="alert ok" role="status">${message}</div>`}
    ${offers.length === 0 ? html`<${Empty}>${all ? t('reception.noneAtAll') : t('reception.none')}<//>` : html`<table class="list reception">
    <thead><tr>${all && html`<th scope="col">${t('reception.municipality')}</th>`}<th scope="col">${t('reception.location')}</th>
      <th scope="col" class="num">${t('reception.places')}</th><th scope="col">${t('reception.available')}</th><th scope="col">${t('reception.targetGroup')}</th>
      <th scope="col">${t('reception.contactPerson')}</th><th scope="col"><span class="visually-hidden">${t('reception.steps')}</span></th></tr></thead>
    <tbody>${offers.map((o) => html`<tr id=${`reception-${o.id}`}>
        ${all && html`<td data-label=${t('reception.municipality')}><strong>${placeName(o.municipality)}</strong><br /><small class="muted">${o.municipality.region}</small></td>`}
        <td data-label=${t('reception.location')}><strong>${o.locationName}</strong>${o.address && html`<br /><small>${o.address}</small>`}</td>
        <td class="num" data-label=${t('reception.places')}>${fmt.number(o.places)}</td>
        <td data-label=${t('reception.available')}>${dateRange(o.availableFrom, o.availableUntil)}</td>
        <td data-label=${t('reception.targetGroup')}>${o.targetGroup || '—'}</td>
        <td data-label=${t('reception.contactPerson')}>${o.contactName ? html`<${Contact} name=${o.contactName} email=${o.contactEmail} phone=${o.contactPhone} />` : '—'}</td>
        <td>${mayUpdate(o) && html`<button type="button" class="small" aria-expanded=${open === o.id} onClick=${() => { setMessage(null); setOpen(open === o.id ? null : o.id); }}>
          ${t('reception.update')}<span class="visually-hidden"> ${o.locationName}</span></button>`}</td>
      </tr>
      ${open === o.id && html`<tr class="form-row"><td colspan=${cols}>
        <${UpdateForm} o=${o} onCancel=${() => setOpen(null)} onDone=${async (text) => { await reload(); setOpen(null); setMessage(text); }} />
      </td></tr>`}`)}</tbody>
    <tfoot><tr><th scope="row" colspan=${all ? 2 : 1}>${t('reception.total')}</th><td class="num" data-label=${t('reception.places')}>${fmt.number(offers.reduce((s, o) => s + o.places, 0))}</td>
      <td colspan=${cols - (all ? 3 : 2)}></td></tr></tfoot>
  </table>`}`;
}

/** Places per province, week by week: a table that scrolls sideways on a narrow screen. */
function ProvinceTable({ series }) {
  const provinces = series.filter((s) => s.province !== null);
  if (provinces.length === 0) return html`<${Empty}>${t('reception.noneAtAll')}<//>`;
  const weeks = provinces[0].weeks.map((w) => w.week);
  return html`<div class="table-scroll" role="region" aria-labelledby="per-province-title" tabindex="0">
    <table class="per-province" aria-labelledby="per-province-title">
      <thead><tr><th scope="col">${t('reception.province')}</th>${weeks.map((w) => html`<th scope="col" class="num"><abbr title=${fmt.date(w)}>${fmt.dayMonth(w)}</abbr></th>`)}</tr></thead>
      <tbody>${provinces.map((p) => html`<tr><th scope="row">${p.province}</th>${p.weeks.map((w) => html`<td class="num">${fmt.number(w.places)}</td>`)}</tr>`)}</tbody>
    </table>
  </div>`;
}

/** Coordinators: places over time, every location with its contact person, the list for the ministries. */
function Overview() {
  const { user } = useSession();
  const [from, setFrom] = useState(dayFromToday());
  const [weeks, setWeeks] = useState('12');
  const q = useQuery('ReceptionOverview', { from: from || dayFromToday(), weeks: Number(weeks) });
  const [error, setError] = useState(null);
  const csv = async () => {
    setError(null);
    try { saveSpreadsheet((await gql('ReceptionSheet')).receptionSheet); } catch (e) { setError(e); }
  };
  return html`<form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('reception.period')}>
      <${TextInput} type="date" labelText=${t('reception.weeksFrom')} value=${from} onInput=${setFrom} />
      <${Select} labelText=${t('reception.weeks')} value=${weeks} onChange=${setWeeks} options=${WEEKS.map((w) => ({ value: String(w), label: t('reception.weekCount', { count: w }) }))} />
      <button type="button" onClick=${csv}>${t('reception.csv')}</button>
    </form>
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
    <${Loaded} q=${q}>${(d) => {
      const nationwide = d.receptionPlaces.find((s) => s.province === null) || { weeks: [] };
      const day = dayFromToday();
      const today = d.receptionOffers.filter((o) => o.availableFrom <= day && (!o.availableUntil || o.availableUntil >= day)).reduce((n, o) => n + o.places, 0);
      return html`
        <div class="tiles">
          <div class="tile"><span class="figure">${fmt.number(today)}</span><span>${t('reception.placesToday')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(d.receptionOffers.length)}</span><span>${t('reception.locations')}</span></div>
          <div class="tile"><span class="figure">${fmt.number(new Set(d.receptionOffers.map((o) => o.municipality.id)).size)}</span><span>${t('reception.municipalities')}</span></div>
        </div>
        <div class="reception-grid">
          <${Chart} kind="line" title=${t('reception.perWeek')} rows=${nationwide.weeks.map((w) => ({ label: fmt.dayMonth(w.week), value: w.places }))} format=${fmt.number} />
          <figure class="chart per-province-figure">
            <figcaption id="per-province-title">${t('reception.perProvince')}</figcaption>
            <${ProvinceTable} series=${d.receptionPlaces} />
          </figure>
        </div>
        <h2>${t('reception.allLocations')} <span class="count">${d.receptionOffers.length}</span></h2>
        <${OfferTable} offers=${d.receptionOffers} all=${true} reload=${q.reload} mayUpdate=${() => may(user, 'OFFER_RECEPTION')} />`;
    }}<//>`;
}

/** A municipality officer: their municipality's locations, and a new one. */
function OwnLocations({ municipality }) {
  const q = useQuery('ReceptionOffers', {});
  const [offered, setOffered] = useState(null);
  return html`<h2>${t('reception.own', { name: placeName(municipality) })}</h2>
    <${Loaded} q=${q}>${(d) => html`<${OfferTable} offers=${d.receptionOffers} all=${false} reload=${q.reload} mayUpdate=${() => true} />`}<//>
    <section class="card narrow-card" aria-labelledby="offer-form-title">
      <h2 id="offer-form-title">${t('reception.new')}</h2>
      ${offered && html`<div class="alert ok" role="status">${offered}</div>`}
      <${OfferForm} onDone=${async (text) => { await q.reload(); setOffered(text); }} />
    </section>`;
}

/** `#/reception`: what the user may see and do with reception locations. */
export function ReceptionPage() {
  const { user } = useSession();
  const overview = may(user, 'READ_RECEPTION');
  const own = !overview && user.municipality && user.municipality.side === 'CONTRIBUTING' && may(user, 'OFFER_RECEPTION') ? user.municipality : null;
  return html`<section class="reception-page">
    <h1>${t('reception.title')}</h1>
    <p class="lead">${overview ? t('reception.introCoordinator') : t('reception.introOfficer')}</p>
    ${overview && html`<${Overview} />`}
    ${own && html`<${OwnLocations} municipality=${own} />`}
    ${!overview && !own && html`<${Empty}>${t('reception.nothingForYou')}<//>`}
  </section>`;
}
