// The VNG Fund: for fund officers the money in (pledges, and the money received against them) and out (grants, and
// proposing one); for a municipality officer their own municipality's pledges and a pledge of their own; for AUC
// and hromada officers the grants they receive. What a user sees comes from `User.operations`.
import { html, useState, useEffect } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Loading, Badge, Select, TextInput, TextArea, useForm, FormError, Empty, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';

export const PURPOSES = ['EMERGENCY_AID', 'RECONSTRUCTION', 'PEACEBUILDING', 'UNRESTRICTED'];
/** A grant names one purpose; only a pledge may be unrestricted. */
export const GRANT_PURPOSES = ['EMERGENCY_AID', 'RECONSTRUCTION', 'PEACEBUILDING'];
export const EARMARKS = ['NONE', 'AUC_COORDINATION', 'HROMADA', 'PLAN'];
const OTHER_DONORS = ['PARTNER_ASSOCIATION', 'OTHER'];

const pad = (n) => String(n).padStart(2, '0');
/** Today in the user's time zone, as a date input takes it. */
export const today = () => { const d = new Date(); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; };
export const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);
/** An amount as typed (euros, e.g. "2500.50", once the server took it), formatted as money. */
export const typedEuros = (text) => fmt.euros(Math.round(Number(String(text).trim()) * 100));

/** A row of key figures, each a tile. */
export function Figures({ items }) {
  return html`<div class="tiles">${items.map(([value, text]) => html`<div class="tile"><span class="figure">${value}</span><span>${text}</span></div>`)}</div>`;
}

/** What a pledge is earmarked for, in words. */
export function earmarkText(p) {
  if (p.earmark === 'HROMADA' && p.earmarkMunicipality) return html`${label('earmark', p.earmark)}: ${placeName(p.earmarkMunicipality)}`;
  if (p.earmark === 'PLAN' && p.earmarkPlanId) return html`${label('earmark', p.earmark)}: <a href=${`#/plan/${p.earmarkPlanId}`}>${p.earmarkPlanTitle}</a>`;
  return label('earmark', p.earmark);
}

/** A pledge's state, with a second badge when it is overdue. */
export function PledgeState({ p }) {
  return html`<${Badge} group="pledgeState" value=${p.state} />${p.overdue && html` <${Badge} group="pledgeFlag" value="OVERDUE" />`}`;
}

/** The money received against a pledge, one line each. */
export function Receipts({ receipts }) {
  if (receipts.length === 0) return null;
  return html`<ul class="receipts">${receipts.map((r) => html`<li>${fmt.date(r.receivedOn)}: ${fmt.euros(r.amountCents)}${r.overpayment ? html` <${Badge} group="pledgeFlag" value="OVERPAYMENT" />` : ''}
    ${r.bankReference && html`<span class="ref">${r.bankReference}</span>`}</li>`)}</ul>`;
}

/** Money received against one pledge (fund officers). */
function ReceiptForm({ p, onDone, onCancel }) {
  const f = useForm({ amount: '', receivedOn: today(), bankReference: '', overpayment: false });
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('RecordReceipt', { input: { pledgeId: p.id, amount: values.amount.trim(), receivedOn: values.receivedOn, bankReference: values.bankReference, overpayment: values.overpayment } });
    await onDone(t('fund.receiptRecorded', { amount: typedEuros(values.amount), donor: p.donorName }));
  }, ['amount', 'receivedOn', 'bankReference']);
  const open = p.amountCents - p.receivedCents;
  return html`<form class="inline receipt-form" onSubmit=${save} novalidate aria-label=${t('fund.receiptFor', { donor: p.donorName })}>
    <div class="row top">
      <${TextInput} labelText=${t('fund.amountEuros')} inputmode="decimal" value=${v.amount} onInput=${f.set('amount')} error=${f.fieldError('amount')}
        hint=${open > 0 ? t('fund.stillOpen', { amount: fmt.euros(open) }) : t('fund.nothingOpen')} />
      <${TextInput} type="date" labelText=${t('fund.receivedOn')} value=${v.receivedOn} onInput=${f.set('receivedOn')} error=${f.fieldError('receivedOn')} />
      <${TextInput} labelText=${t('fund.bankReference')} value=${v.bankReference} onInput=${f.set('bankReference')} error=${f.fieldError('bankReference')} />
    </div>
    <label class="choice"><input type="checkbox" checked=${v.overpayment} onChange=${(e) => f.set('overpayment')(e.target.checked)} /> ${t('fund.overpayment')}</label>
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('fund.recordReceipt')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

/** The pledges: giver, purpose, earmark, amounts and state; for fund officers a receipt form per pledge and a link
 *  to each giving municipality's account. `highlight` is a pledge to point at (from `#/pledge/<id>`). */
export function PledgeTable({ pledges, officer, reload, highlight }) {
  const [open, setOpen] = useState(null);
  const [message, setMessage] = useState(null);
  useEffect(() => {
    const row = highlight && document.getElementById(`pledge-${highlight}`);
    if (row) row.scrollIntoView({ block: 'center' });
  }, [highlight, pledges.length]);
  const cols = officer ? 8 : 7;
  return html`${message && html`<div class="alert ok" role="status">${message}</div>`}
    ${pledges.length === 0 ? html`<${Empty}>${t('fund.noPledges')}<//>` : html`<table class="list pledges">
    <thead><tr><th scope="col">${t('fund.giver')}</th><th scope="col">${t('fund.purpose')}</th><th scope="col">${t('fund.earmark')}</th>
      <th scope="col">${t('fund.due')}</th><th scope="col" class="num">${t('fund.pledged')}</th><th scope="col" class="num">${t('fund.received')}</th>
      <th scope="col">${t('fund.state')}</th>${officer && html`<th scope="col"><span class="visually-hidden">${t('fund.steps')}</span></th>`}</tr></thead>
    <tbody>${pledges.map((p) => html`<tr id=${`pledge-${p.id}`} class=${p.id === highlight ? 'highlight' : ''}>
        <td data-label=${t('fund.giver')}><strong>${p.donorName}</strong>${p.donorKind !== 'MUNICIPALITY' && html`<br /><small class="muted">${label('donorKind', p.donorKind)}</small>`}
          ${officer && p.municipality && html`<br /><small><a href=${`#/giving/${p.municipality.id}`}>${t('fund.accountLink')}</a></small>`}
          ${p.note && html`<br /><small class="muted">${p.note}</small>`}</td>
        <td data-label=${t('fund.purpose')}>${label('fundPurpose', p.purpose)}</td>
        <td data-label=${t('fund.earmark')}>${earmarkText(p)}</td>
        <td class="date" data-label=${t('fund.due')}>${fmt.date(p.dueDate)}</td>
        <td class="num" data-label=${t('fund.pledged')}>${fmt.euros(p.amountCents)}</td>
        <td class="num" data-label=${t('fund.received')}>${fmt.euros(p.receivedCents)}<${Receipts} receipts=${p.receipts} /></td>
        <td data-label=${t('fund.state')}><${PledgeState} p=${p} /></td>
        ${officer && html`<td><button type="button" class="small" aria-expanded=${open === p.id} onClick=${() => { setMessage(null); setOpen(open === p.id ? null : p.id); }}>${t('fund.recordReceipt')}</button></td>`}
      </tr>
      ${officer && open === p.id && html`<tr class="form-row"><td colspan=${cols}>
        <${ReceiptForm} p=${p} onCancel=${() => setOpen(null)} onDone=${async (text) => { await reload(); setOpen(null); setMessage(text); }} />
      </td></tr>`}`)}</tbody>
    <tfoot><tr><th scope="row" colspan="4">${t('fund.total')}</th><td class="num" data-label=${t('fund.pledged')}>${fmt.euros(sum(pledges, (p) => p.amountCents))}</td>
      <td class="num" data-label=${t('fund.received')}>${fmt.euros(sum(pledges, (p) => p.receivedCents))}</td><td colspan=${cols - 6}></td></tr></tfoot>
  </table>`}`;
}

/** The plans the user sees, as options. */
function PlanSelect({ labelText, value, onChange, error, hint, empty = t('common.choose') }) {
  const q = useQuery('PlanChoices', {});
  const options = q.data ? q.data.plans.edges.map(({ node: p }) => ({ value: p.id, label: `${p.title} (${placeName(p.municipality)})` })) : [];
  return html`<${Select} labelText=${labelText} value=${value} onChange=${onChange} error=${error} hint=${hint} empty=${empty} options=${options} />`;
}

/** A pledge: a municipality officer for their own municipality (`own`); a fund officer for any municipality of the
 *  pool or another donor. */
export function PledgeForm({ own, onDone }) {
  const f = useForm({ giver: 'MUNICIPALITY', municipalityId: own ? own.id : '', donorKind: OTHER_DONORS[0], donorName: '', amount: '', purpose: 'UNRESTRICTED',
    earmark: 'NONE', earmarkMunicipalityId: '', earmarkPlanId: '', dueDate: '', note: '' });
  const v = f.values;
  const municipality = own || v.giver === 'MUNICIPALITY';
  const save = f.submit(async (values) => {
    const input = { amount: values.amount.trim(), purpose: values.purpose, earmark: values.earmark, dueDate: values.dueDate || null, note: values.note.trim() || null,
      earmarkMunicipalityId: values.earmark === 'HROMADA' ? values.earmarkMunicipalityId || null : null,
      earmarkPlanId: values.earmark === 'PLAN' ? values.earmarkPlanId || null : null };
    if (municipality) input.municipalityId = values.municipalityId;
    else Object.assign(input, { donorKind: values.donorKind, donorName: values.donorName });
    await gql('MakePledge', { input });
    f.setValues({ ...values, amount: '', dueDate: '', note: '' });
    await onDone(t('fund.pledgeRecorded', { amount: typedEuros(values.amount) }));
  }, [...(municipality ? ['municipalityId'] : ['donorName']), 'amount']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="pledge-form-title">
    ${own ? html`<p>${t('fund.pledgeFor', { name: own.name })}</p>` : html`
      <fieldset class="choices"><legend>${t('fund.giver')}</legend>
        ${['MUNICIPALITY', 'OTHER'].map((g) => html`<label class="choice"><input type="radio" name="giver" value=${g} checked=${v.giver === g}
          onChange=${() => f.set('giver')(g)} /> ${t(g === 'MUNICIPALITY' ? 'fund.giverMunicipality' : 'fund.giverOther')}</label>`)}
      </fieldset>
      ${municipality ? html`<${MunicipalityPicker} side="CONTRIBUTING" labelText=${t('fund.givingMunicipality')} findText=${t('experts.findMunicipality')}
        value=${v.municipalityId} onChange=${f.set('municipalityId')} error=${f.fieldError('municipalityId')} />` : html`<div class="row top">
        <${Select} labelText=${t('fund.donorKind')} value=${v.donorKind} onChange=${f.set('donorKind')} error=${f.fieldError('donorKind')}
          options=${OTHER_DONORS.map((k) => ({ value: k, label: label('donorKind', k) }))} />
        <${TextInput} labelText=${t('fund.donorName')} value=${v.donorName} onInput=${f.set('donorName')} error=${f.fieldError('donorName')} />
      </div>`}`}
    <div class="row top">
      <${TextInput} labelText=${t('fund.amountEuros')} inputmode="decimal" value=${v.amount} onInput=${f.set('amount')} error=${f.fieldError('amount')} hint=${t('fund.amountHint')} />
      <${Select} labelText=${t('fund.purpose')} value=${v.purpose} onChange=${f.set('purpose')} error=${f.fieldError('purpose')}
        options=${PURPOSES.map((p) => ({ value: p, label: label('fundPurpose', p) }))} />
      <${TextInput} type="date" labelText=${t('fund.dueDate')} value=${v.dueDate} onInput=${f.set('dueDate')} error=${f.fieldError('dueDate')} />
    </div>
    <${Select} labelText=${t('fund.earmark')} value=${v.earmark} onChange=${f.set('earmark')} error=${f.fieldError('earmark')} hint=${t('fund.earmarkHint')}
      options=${EARMARKS.map((e) => ({ value: e, label: label('earmark', e) }))} />
    ${v.earmark === 'HROMADA' && html`<${MunicipalityPicker} side="RECOVERING" labelText=${t('fund.hromada')} findText=${t('plans.findHromada')}
      value=${v.earmarkMunicipalityId} onChange=${f.set('earmarkMunicipalityId')} error=${f.fieldError('earmarkMunicipalityId')} />`}
    ${v.earmark === 'PLAN' && html`<${PlanSelect} labelText=${t('fund.plan')} value=${v.earmarkPlanId} onChange=${f.set('earmarkPlanId')} error=${f.fieldError('earmarkPlanId')} />`}
    <${TextArea} labelText=${t('fund.note')} value=${v.note} onInput=${f.set('note')} error=${f.fieldError('note')} rows="2" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('fund.pledge')}</button>
  </form>`;
}

/** The grants: title, recipient, purpose, amounts, status. */
export function GrantTable({ grants }) {
  if (grants.length === 0) return html`<${Empty}>${t('fund.noGrants')}<//>`;
  return html`<table class="list grants">
    <thead><tr><th scope="col">${t('fund.grant')}</th><th scope="col">${t('fund.recipient')}</th><th scope="col">${t('fund.purpose')}</th>
      <th scope="col" class="num">${t('fund.amount')}</th><th scope="col" class="num">${t('fund.paidOut')}</th><th scope="col">${t('fund.status')}</th>
      <th scope="col">${t('fund.reportDue')}</th></tr></thead>
    <tbody>${grants.map((g) => html`<tr>
      <td data-label=${t('fund.grant')}><a href=${`#/grant/${g.id}`}>${g.title}</a>${g.planTitle && html`<br /><small class="muted">${g.planTitle}</small>`}</td>
      <td data-label=${t('fund.recipient')}>${g.recipientMunicipality ? placeName(g.recipientMunicipality) : g.recipientName}
        ${g.recipientMunicipality && html`<br /><small class="muted">${g.recipientMunicipality.region}</small>`}</td>
      <td data-label=${t('fund.purpose')}>${label('fundPurpose', g.purpose)}</td>
      <td class="num" data-label=${t('fund.amount')}>${fmt.euros(g.amountCents)}</td>
      <td class="num" data-label=${t('fund.paidOut')}>${fmt.euros(g.disbursedCents)}</td>
      <td data-label=${t('fund.status')}><${Badge} group="grantStatus" value=${g.status} /></td>
      <td class="date" data-label=${t('fund.reportDue')}>${fmt.date(g.reportDue)}</td></tr>`)}</tbody></table>`;
}

/** The plans of one hromada, to choose the one a grant is for (optional). */
function HromadaPlanSelect({ municipalityId, value, onChange, error }) {
  const q = useQuery('HromadaPlans', { municipalityId });
  const options = q.data ? q.data.plans.edges.map(({ node: p }) => ({ value: p.id, label: `${p.title} (${label('planStatus', p.status)})` })) : [];
  return html`<${Select} labelText=${t('fund.planOptional')} value=${value} onChange=${onChange} error=${error} empty=${t('fund.noPlan')} options=${options}
    hint=${q.data && options.length === 0 ? t('fund.hromadaHasNoPlan') : null} />`;
}

/** A grant proposed by a fund officer, to AUC or a hromada; a second person screens and decides. */
function GrantForm() {
  const f = useForm({ recipient: 'HROMADA', municipalityId: '', planId: '', purpose: 'RECONSTRUCTION', amount: '', title: '', description: '',
    accountHolder: '', accountIban: '', reportDue: '' });
  const v = f.values;
  const hromada = v.recipient === 'HROMADA';
  const save = f.submit(async (values) => {
    const input = { recipient: values.recipient, municipalityId: hromada ? values.municipalityId : null, planId: hromada && values.planId ? values.planId : null,
      purpose: values.purpose, amount: values.amount.trim(), title: values.title, description: values.description, accountHolder: values.accountHolder,
      accountIban: values.accountIban, reportDue: values.reportDue || null };
    const d = await gql('ProposeGrant', { input });
    location.hash = `#/grant/${d.proposeGrant.id}`;
  }, [...(hromada ? ['municipalityId'] : []), 'amount', 'title', 'description', 'accountHolder', 'accountIban']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="grant-form-title">
    <${Select} labelText=${t('fund.recipient')} value=${v.recipient} onChange=${(r) => f.setValues((o) => ({ ...o, recipient: r, municipalityId: '', planId: '' }))}
      error=${f.fieldError('recipient')} options=${['HROMADA', 'AUC'].map((r) => ({ value: r, label: label('recipient', r) }))} />
    ${hromada && html`<${MunicipalityPicker} side="RECOVERING" labelText=${t('fund.hromada')} findText=${t('plans.findHromada')}
      value=${v.municipalityId} onChange=${(m) => f.setValues((o) => ({ ...o, municipalityId: m, planId: '' }))} error=${f.fieldError('municipalityId')} />`}
    ${hromada && v.municipalityId && html`<${HromadaPlanSelect} key=${v.municipalityId} municipalityId=${v.municipalityId} value=${v.planId}
      onChange=${f.set('planId')} error=${f.fieldError('planId', 'needId')} />`}
    <div class="row top">
      <${Select} labelText=${t('fund.purpose')} value=${v.purpose} onChange=${f.set('purpose')} error=${f.fieldError('purpose')}
        options=${GRANT_PURPOSES.map((p) => ({ value: p, label: label('fundPurpose', p) }))} />
      <${TextInput} labelText=${t('fund.amountEuros')} inputmode="decimal" value=${v.amount} onInput=${f.set('amount')} error=${f.fieldError('amount')} hint=${t('fund.amountHint')} />
      <${TextInput} type="date" labelText=${t('fund.reportDue')} value=${v.reportDue} onInput=${f.set('reportDue')} error=${f.fieldError('reportDue')} />
    </div>
    <${TextInput} labelText=${t('fund.grantTitle')} value=${v.title} onInput=${f.set('title')} error=${f.fieldError('title')} />
    <${TextArea} labelText=${t('fund.description')} value=${v.description} onInput=${f.set('description')} error=${f.fieldError('description')} rows="3" />
    <div class="row top">
      <${TextInput} labelText=${t('fund.accountHolder')} value=${v.accountHolder} onInput=${f.set('accountHolder')} error=${f.fieldError('accountHolder')} autocomplete="off" />
      <${TextInput} labelText=${t('fund.iban')} value=${v.accountIban} onInput=${f.set('accountIban')} error=${f.fieldError('accountIban')} autocomplete="off" spellcheck="false" />
    </div>
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('fund.propose')}</button>
  </form>`;
}

/** Fund officers and admins: the totals, every pledge, every grant, and the forms to add to them. */
function FundOffice({ params }) {
  const q = useQuery('FundOverview', {});
  const [pledged, setPledged] = useState(null);
  return html`<section>
    <h1>${t('fund.title')}</h1>
    <p class="lead">${t('fund.intro')}</p>
    <${Loaded} q=${q}>${(d) => html`
      <${Figures} items=${[
        [fmt.euros(sum(d.pledges, (p) => p.amountCents)), t('fund.tilePledged')],
        [fmt.euros(sum(d.pledges, (p) => p.receivedCents)), t('fund.tileReceived')],
        [fmt.euros(sum(d.pledges, (p) => p.spentCents)), t('fund.tilePaidOut')],
        [fmt.euros(sum(d.pledges, (p) => p.availableCents)), t('fund.tileAvailable')],
      ]} />
      <h2 id="pledges-title">${t('fund.pledges')} <span class="count">${d.pledges.length}</span></h2>
      <${PledgeTable} pledges=${d.pledges} officer=${true} reload=${q.reload} highlight=${params.pledge} />
      <h2 id="grants-title">${t('fund.grants')} <span class="count">${d.grants.length}</span></h2>
      <${GrantTable} grants=${d.grants} />`}<//>
    <div class="grid fund-forms">
      <section class="card" aria-labelledby="pledge-form-title">
        <h2 id="pledge-form-title">${t('fund.newPledge')}</h2>
        ${pledged && html`<div class="alert ok" role="status">${pledged}</div>`}
        <${PledgeForm} onDone=${async (text) => { await q.reload(); setPledged(text); }} />
      </section>
      <section class="card" aria-labelledby="grant-form-title">
        <h2 id="grant-form-title">${t('fund.newGrant')}</h2>
        <p class="muted">${t('fund.newGrantHint')}</p>
        <${GrantForm} />
      </section>
    </div>
  </section>`;
}

/** A municipality officer: their municipality's pledges, a new one, and the way to its account. */
function GiverFund({ municipality, params }) {
  const q = useQuery('OwnPledges', { municipalityId: municipality.id });
  const [pledged, setPledged] = useState(null);
  return html`<section>
    <h1>${t('fund.title')}</h1>
    <p class="lead">${t('fund.giverIntro')}</p>
    <p><a class="button" href="#/giving">${t('fund.ownAccount', { name: municipality.name })}</a></p>
    <h2>${t('fund.ownPledges', { name: municipality.name })}</h2>
    <${Loaded} q=${q}>${(d) => html`<${PledgeTable} pledges=${d.pledges} officer=${false} reload=${q.reload} highlight=${params.pledge} />`}<//>
    <section class="card narrow-card" aria-labelledby="pledge-form-title">
      <h2 id="pledge-form-title">${t('fund.newPledge')}</h2>
      ${pledged && html`<div class="alert ok" role="status">${pledged}</div>`}
      <${PledgeForm} own=${municipality} onDone=${async (text) => { await q.reload(); setPledged(text); }} />
    </section>
  </section>`;
}

/** AUC and hromada officers: the grants they receive. */
function RecipientGrants() {
  const q = useQuery('Grants', {});
  return html`<section>
    <h1>${t('fund.grantsTitle')}</h1>
    <p class="lead">${t('fund.recipientIntro')}</p>
    <${Loaded} q=${q}>${(d) => html`<${GrantTable} grants=${d.grants} />`}<//>
  </section>`;
}

/** `#/fund`: what the fund holds for this user. */
export function FundPage({ params }) {
  const { user } = useSession();
  if (may(user, 'READ_FUND')) return html`<${FundOffice} params=${params} />`;
  if (may(user, 'PLEDGE') && user.municipality) return html`<${GiverFund} municipality=${user.municipality} params=${params} />`;
  if (may(user, 'REPORT_ON_GRANT')) return html`<${RecipientGrants} />`;
  return html`<section><h1>${t('fund.title')}</h1><${Empty}>${t('fund.nothingForYou')}<//></section>`;
}

/** `#/pledge/<id>` (the link in a notification): the pledge in the fund's list. */
export function PledgePage({ id }) {
  useEffect(() => { location.replace(`#/fund?pledge=${encodeURIComponent(id || '')}`); }, [id]);
  return html`<${Loading} />`;
}
