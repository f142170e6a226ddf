// Programme budgets (`#/programmes`): per programme its budget lines (budget, committed, spent, left) and what each
// recovery plan took, the expenses booked (a committed one is marked spent with its receipt), and booking a new one.
// Reading takes READ_PROGRAMMES, booking MANAGE_PROGRAMMES (`User.operations`).
import { html, useState } from '../lib.js';
import { t, label, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, useForm, FormError, Empty } from '../ui.js';
import { useSession, may } from '../session.js';
import { Figures, today } from './fund.js';

const KINDS = ['TRAVEL', 'STAY', 'OTHER'];
const STATUSES = ['COMMITTED', 'SPENT'];

const share = (part, whole) => (whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0);

/** How much of a line's budget is spent and committed, as a small bar (its figures are in the row beside it). */
function BudgetBar({ line }) {
  const spent = share(line.spentCents, line.budgetCents);
  const committed = Math.min(100 - spent, share(line.committedCents, line.budgetCents));
  const used = fmt.percent((line.spentCents + line.committedCents) / (line.budgetCents || 1));
  return html`<span class="budget-bar" role="img" aria-label=${t('programmes.used', { share: used })}>
    <span class="spent" style=${`width:${spent}%`}></span><span class="committed" style=${`width:${committed}%`}></span>
  </span><small class="muted"> ${used}</small>`;
}

/** A committed expense becomes spent, with its receipt's reference. */
function MarkSpent({ e, onDone, onCancel }) {
  const f = useForm({ receiptReference: '' });
  const save = f.submit(async (v) => {
    await gql('MarkExpenseSpent', { id: e.id, receiptReference: v.receiptReference });
    await onDone(t('programmes.markedSpent', { what: e.description }));
  }, ['receiptReference']);
  return html`<form class="inline" onSubmit=${save} novalidate aria-label=${t('programmes.markSpentOf', { what: e.description })}>
    <${TextInput} labelText=${t('programmes.receiptReference')} value=${f.values.receiptReference} onInput=${f.set('receiptReference')}
      error=${f.fieldError('receiptReference')} />
    <${FormError} form=${f} />
    <div class="actions"><button type="submit" class="primary" disabled=${f.busy}>${t('programmes.markSpent')}</button>
      <button type="button" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

/** One programme: its totals, lines, plans and expenses. */
function Programme({ p, manage, reload }) {
  const [open, setOpen] = useState(null);
  const [message, setMessage] = useState(null);
  const lineOf = (id) => p.lines.find((l) => l.id === id);
  const planOf = (id) => (p.perPlan.find((x) => x.planId === id) || { planTitle: t('programmes.aPlan') }).planTitle;
  const headId = `programme-${p.code}`;
  return html`<section class="programme" aria-labelledby=${headId}>
    <h2 id=${headId}>${p.code} · ${p.name}</h2>
    <p class="muted">${t('programmes.funder', { funder: p.funder })}</p>
    <${Figures} items=${[
      [fmt.euros(p.budgetCents), t('programmes.tileBudget')],
      [fmt.euros(p.committedCents), t('programmes.tileCommitted')],
      [fmt.euros(p.spentCents), t('programmes.tileSpent')],
      [fmt.euros(p.budgetCents - p.committedCents - p.spentCents), t('programmes.tileLeft')],
    ]} />
    <h3>${t('programmes.lines')}</h3>
    ${p.lines.length === 0 ? html`<${Empty}>${t('programmes.noLines')}<//>` : html`<table class="list lines">
      <thead><tr><th scope="col">${t('programmes.line')}</th><th scope="col" class="num">${t('programmes.budget')}</th>
        <th scope="col" class="num">${t('programmes.committed')}</th><th scope="col" class="num">${t('programmes.spent')}</th>
        <th scope="col" class="num">${t('programmes.left')}</th><th scope="col">${t('programmes.usedHead')}</th></tr></thead>
      <tbody>${p.lines.map((l) => html`<tr>
        <td data-label=${t('programmes.line')}><strong>${l.code}</strong> ${l.name}</td>
        <td class="num" data-label=${t('programmes.budget')}>${fmt.euros(l.budgetCents)}</td>
        <td class="num" data-label=${t('programmes.committed')}>${fmt.euros(l.committedCents)}</td>
        <td class="num" data-label=${t('programmes.spent')}>${fmt.euros(l.spentCents)}</td>
        <td class="num" data-label=${t('programmes.left')}>${fmt.euros(l.leftCents)}</td>
        <td data-label=${t('programmes.usedHead')}><${BudgetBar} line=${l} /></td></tr>`)}</tbody></table>`}
    <p class="legend muted" aria-hidden="true"><span class="swatch spent"></span> ${t('programmes.spent')} <span class="swatch committed"></span> ${t('programmes.committed')}</p>

    <h3>${t('programmes.perPlan')}</h3>
    ${p.perPlan.length === 0 ? html`<${Empty}>${t('programmes.noPlans')}<//>` : html`<table class="list per-plan">
      <thead><tr><th scope="col">${t('fund.plan')}</th><th scope="col" class="num">${t('programmes.committed')}</th><th scope="col" class="num">${t('programmes.spent')}</th></tr></thead>
      <tbody>${p.perPlan.map((x) => html`<tr><td data-label=${t('fund.plan')}><a href=${`#/plan/${x.planId}`}>${x.planTitle}</a></td>
        <td class="num" data-label=${t('programmes.committed')}>${fmt.euros(x.committedCents)}</td>
        <td class="num" data-label=${t('programmes.spent')}>${fmt.euros(x.spentCents)}</td></tr>`)}</tbody></table>`}

    <h3>${t('programmes.expenses')}</h3>
    ${message && html`<div class="alert ok" role="status">${message}</div>`}
    ${p.expenses.length === 0 ? html`<${Empty}>${t('programmes.noExpenses')}<//>` : html`<table class="list expenses">
      <thead><tr><th scope="col">${t('programmes.bookedOn')}</th><th scope="col">${t('programmes.description')}</th><th scope="col">${t('programmes.line')}</th>
        <th scope="col">${t('programmes.kind')}</th><th scope="col">${t('programmes.status')}</th><th scope="col" class="num">${t('fund.amount')}</th>
        <th scope="col">${t('programmes.for')}</th><th scope="col">${t('programmes.receiptReference')}</th>${manage && html`<th scope="col"><span class="visually-hidden">${t('fund.steps')}</span></th>`}</tr></thead>
      <tbody>${p.expenses.map((e) => html`<tr>
          <td class="date" data-label=${t('programmes.bookedOn')}>${fmt.date(e.bookedOn)}</td>
          <td data-label=${t('programmes.description')}>${e.description}</td>
          <td data-label=${t('programmes.line')}>${lineOf(e.budgetLineId) ? lineOf(e.budgetLineId).code : '—'}</td>
          <td data-label=${t('programmes.kind')}>${label('expenseKind', e.kind)}</td>
          <td data-label=${t('programmes.status')}><${Badge} group="expenseStatus" value=${e.status} /></td>
          <td class="num" data-label=${t('fund.amount')}>${fmt.euros(e.amountCents)}</td>
          <td data-label=${t('programmes.for')}>${e.assignmentId ? html`<a href=${`#/assignment/${e.assignmentId}`}>${t('programmes.anAssignment')}</a>`
            : e.planId ? html`<a href=${`#/plan/${e.planId}`}>${planOf(e.planId)}</a>` : '—'}</td>
          <td data-label=${t('programmes.receiptReference')}>${e.receiptReference || '—'}</td>
          ${manage && html`<td>${e.status === 'COMMITTED' && html`<button type="button" class="small" aria-expanded=${open === e.id}
            onClick=${() => { setMessage(null); setOpen(open === e.id ? null : e.id); }}>${t('programmes.markSpent')}</button>`}</td>`}
        </tr>
        ${open === e.id && html`<tr class="form-row"><td colspan="9">
          <${MarkSpent} e=${e} onCancel=${() => setOpen(null)} onDone=${async (text) => { await reload(); setOpen(null); setMessage(text); }} />
        </td></tr>`}`)}</tbody></table>`}
  </section>`;
}

/** The plans the user sees, as options. */
function usePlanOptions() {
  const q = useQuery('PlanChoices', {});
  return q.data ? q.data.plans.edges.map(({ node: p }) => ({ value: p.id, label: p.title })) : [];
}

/** An expense booked against a budget line, never past its budget. */
function ExpenseForm({ programmes, onDone }) {
  const plans = usePlanOptions();
  const f = useForm({ budgetLineId: '', kind: 'OTHER', status: 'COMMITTED', amount: '', description: '', bookedOn: today(), planId: '', assignmentId: '', receiptReference: '' });
  const v = f.values;
  const save = f.submit(async (values) => {
    await gql('BookExpense', { input: { budgetLineId: values.budgetLineId, kind: values.kind, status: values.status, amount: values.amount.trim(),
      description: values.description, bookedOn: values.bookedOn, planId: values.planId || null, assignmentId: values.assignmentId.trim() || null,
      receiptReference: values.receiptReference.trim() || null } });
    f.setValues({ ...values, amount: '', description: '', receiptReference: '', assignmentId: '' });
    await onDone(t('programmes.booked', { what: values.description }));
  }, ['budgetLineId', 'amount', 'description', 'bookedOn']);
  const lines = programmes.flatMap((p) => p.lines.map((l) => ({ value: l.id, label: `${p.code} ${l.code} · ${l.name} (${t('programmes.leftOn', { amount: fmt.euros(l.leftCents) })})` })));
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="expense-form-title">
    <${Select} labelText=${t('programmes.line')} value=${v.budgetLineId} onChange=${f.set('budgetLineId')} error=${f.fieldError('budgetLineId')}
      empty=${t('common.choose')} options=${lines} />
    <div class="row top">
      <${Select} labelText=${t('programmes.kind')} value=${v.kind} onChange=${f.set('kind')} error=${f.fieldError('kind')}
        options=${KINDS.map((k) => ({ value: k, label: label('expenseKind', k) }))} />
      <${Select} labelText=${t('programmes.status')} value=${v.status} onChange=${f.set('status')} error=${f.fieldError('status')}
        options=${STATUSES.map((s) => ({ value: s, label: label('expenseStatus', s) }))} />
      <${TextInput} labelText=${t('fund.amountEuros')} inputmode="decimal" value=${v.amount} onInput=${f.set('amount')} error=${f.fieldError('amount')} hint=${t('fund.amountHint')} />
      <${TextInput} type="date" labelText=${t('programmes.bookedOn')} value=${v.bookedOn} onInput=${f.set('bookedOn')} error=${f.fieldError('bookedOn')} />
    </div>
    <${TextInput} labelText=${t('programmes.description')} value=${v.description} onInput=${f.set('description')} error=${f.fieldError('description')} />
    <div class="row top">
      <${Select} labelText=${t('fund.plan')} value=${v.planId} onChange=${f.set('planId')} error=${f.fieldError('planId')} empty=${t('fund.noPlan')} options=${plans} />
      <${TextInput} labelText=${t('programmes.assignment')} value=${v.assignmentId} onInput=${f.set('assignmentId')} error=${f.fieldError('assignmentId')}
        hint=${t('programmes.assignmentHint')} autocomplete="off" spellcheck="false" />
    </div>
    <${TextInput} labelText=${t('programmes.receiptReference')} value=${v.receiptReference} onInput=${f.set('receiptReference')} error=${f.fieldError('receiptReference')}
      hint=${t('programmes.receiptHint')} />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('programmes.book')}</button>
  </form>`;
}

export function ProgrammesPage() {
  const { user } = useSession();
  const manage = may(user, 'MANAGE_PROGRAMMES');
  const q = useQuery('Programmes', {});
  const [booked, setBooked] = useState(null);
  return html`<section>
    <h1>${t('programmes.title')}</h1>
    <p class="lead">${t('programmes.intro')}</p>
    <${Loaded} q=${q}>${(d) => html`
      ${d.programmes.length === 0 ? html`<${Empty}>${t('programmes.none')}<//>`
        : d.programmes.map((p) => html`<${Programme} key=${p.id} p=${p} manage=${manage} reload=${q.reload} />`)}
      ${manage && d.programmes.length > 0 && html`<section class="card expense-form" aria-labelledby="expense-form-title">
        <h2 id="expense-form-title">${t('programmes.bookTitle')}</h2>
        ${booked && html`<div class="alert ok" role="status">${booked}</div>`}
        <${ExpenseForm} programmes=${d.programmes} onDone=${async (text) => { await q.reload(); setBooked(text); }} />
      </section>`}`}<//>
  </section>`;
}
