// One grant (`#/grant/<id>`, the link in notifications): its details, the screening checklist, the decision by a
// second person, the tranches paid out and confirmed, and the recipient's reports. Every control comes from
// `Grant.operations`: MANAGE_GRANTS (screen, pay, close), DECIDE_GRANT (never the proposer), REPORT_ON_GRANT.
import { html, useState, useEffect } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql, ApiError } from '../api.js';
import { useQuery, Loaded, Badge, TextInput, TextArea, Choices, useForm, FormError, Empty, Dl, errorText } from '../ui.js';
import { useSession, may } from '../session.js';
import { today, typedEuros } from './fund.js';

export const CHECKS = ['RECIPIENT_ON_REFERENCE_LIST', 'ACCOUNT_HOLDER_CHECKED', 'NO_SANCTIONED_PARTY'];

/** One screening check: its latest record, and while the grant is proposed a form to record it (again). */
function Check({ g, check, canScreen, reload }) {
  const s = g.screening.find((x) => x.check === check);
  const f = useForm({ passed: s ? s.passed : false, note: '' });
  const save = f.submit(async (v) => {
    await gql('ScreenGrant', { grantId: g.id, check, passed: v.passed, note: v.note });
    await reload();
    f.setValues({ passed: v.passed, note: '' });
  }, ['note']);
  const id = `check-${check.toLowerCase()}`;
  return html`<li class="check">
    <h3 id=${id}>${label('screeningCheck', check)} ${s ? html`<${Badge} group="screening" value=${s.passed ? 'PASSED' : 'FAILED'} />`
      : html`<${Badge} group="screening" value="NOT_RECORDED" />`}</h3>
    ${s && html`<p class="muted">${s.note}<br /><small>${t('grant.checkedAt', { when: fmt.dateTime(s.checkedAt) })}</small></p>`}
    ${canScreen && html`<form class="inline check-form" onSubmit=${save} novalidate aria-labelledby=${id}>
      <label class="choice"><input type="checkbox" checked=${f.values.passed} onChange=${(e) => f.set('passed')(e.target.checked)} /> ${t('grant.passed')}</label>
      <${TextInput} labelText=${t('grant.checkNote')} value=${f.values.note} onInput=${f.set('note')} error=${f.fieldError('note')} hint=${t('grant.checkNoteHint')} />
      <${FormError} form=${f} />
      <button type="submit" disabled=${f.busy}>${s ? t('grant.recordAgain') : t('grant.record')}</button>
    </form>`}
  </li>`;
}

/** Approve or reject (a second person), with a note; a reason is needed to reject. */
function Decision({ g, reload, onMessage }) {
  const f = useForm({ note: '' });
  const decide = (a) => f.submit(async (v) => {
    await gql('DecideGrant', { grantId: g.id, action: a, note: v.note.trim() || null });
    await reload();
    onMessage(t(a === 'APPROVE' ? 'grant.approved' : 'grant.rejected'));
  }, a === 'REJECT' ? ['note'] : []);
  const passed = CHECKS.every((c) => g.screening.some((s) => s.check === c && s.passed));
  return html`<section class="card decision" aria-labelledby="decision-title">
    <h2 id="decision-title">${t('grant.decision')}</h2>
    ${!passed && html`<p class="hint">${t('grant.needsChecks')}</p>`}
    <form class="inline" onSubmit=${(e) => e.preventDefault()} novalidate>
      <${TextArea} labelText=${t('grant.decisionNote')} value=${f.values.note} onInput=${f.set('note')} error=${f.fieldError('note')} rows="2"
        hint=${t('grant.decisionHint')} />
      <${FormError} form=${f} />
      <div class="actions">
        <button type="button" class="primary" disabled=${f.busy} onClick=${decide('APPROVE')}>${t('grant.approve')}</button>
        <button type="button" class="danger" disabled=${f.busy} onClick=${decide('REJECT')}>${t('grant.reject')}</button>
      </div>
    </form>
  </section>`;
}

/** A tranche paid out against an approved grant (fund officers). */
function PayTranche({ g, reload, onMessage }) {
  const f = useForm({ amount: '', paidOn: today(), bankReference: '' });
  const save = f.submit(async (v) => {
    const d = await gql('Disburse', { input: { grantId: g.id, amount: v.amount.trim(), paidOn: v.paidOn, bankReference: v.bankReference } });
    f.setValues({ amount: '', paidOn: today(), bankReference: '' });
    await reload();
    onMessage(t('grant.paid', { tranche: d.disburse.tranche, amount: typedEuros(v.amount) }));
  }, ['amount', 'paidOn', 'bankReference']);
  return html`<section class="card" aria-labelledby="pay-title">
    <h2 id="pay-title">${t('grant.pay')}</h2>
    <form class="inline" onSubmit=${save} novalidate aria-labelledby="pay-title">
      <div class="row top">
        <${TextInput} labelText=${t('fund.amountEuros')} inputmode="decimal" value=${f.values.amount} onInput=${f.set('amount')} error=${f.fieldError('amount')}
          hint=${t('grant.leftHint', { amount: fmt.euros(g.leftCents) })} />
        <${TextInput} type="date" labelText=${t('grant.paidOn')} value=${f.values.paidOn} onInput=${f.set('paidOn')} error=${f.fieldError('paidOn')} />
        <${TextInput} labelText=${t('fund.bankReference')} value=${f.values.bankReference} onInput=${f.set('bankReference')} error=${f.fieldError('bankReference')} />
      </div>
      <${FormError} form=${f} />
      <button type="submit" class="primary" disabled=${f.busy}>${t('grant.payButton')}</button>
    </form>
    <details class="close-grant">
      <summary>${t('grant.close')}</summary>
      <${CloseGrant} g=${g} reload=${reload} onMessage=${onMessage} />
    </details>
  </section>`;
}

/** Closing an approved grant: no further tranches. */
function CloseGrant({ g, reload, onMessage }) {
  const f = useForm({ note: '' });
  const close = f.submit(async (v) => {
    await gql('DecideGrant', { grantId: g.id, action: 'CLOSE', note: v.note.trim() || null });
    await reload();
    onMessage(t('grant.closed'));
  });
  return html`<form class="inline" onSubmit=${close} novalidate>
    <p class="muted">${t('grant.closeHint')}</p>
    <${TextArea} labelText=${t('grant.decisionNote')} value=${f.values.note} onInput=${f.set('note')} error=${f.fieldError('note')} rows="2" />
    <${FormError} form=${f} />
    <button type="submit" class="danger" disabled=${f.busy}>${t('grant.closeButton')}</button>
  </form>`;
}

/** The tranches paid out, with the recipient's confirmation (or the button to confirm). */
function Tranches({ g, canConfirm, reload, onMessage }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  async function confirm(d) {
    setBusy(d.id);
    setError(null);
    try {
      await gql('ConfirmDisbursement', { id: d.id });
      await reload();
      onMessage(t('grant.confirmed', { tranche: d.tranche }));
    } catch (e) { setError(e); } finally { setBusy(null); }
  }
  const bank = g.disbursements.some((d) => d.bankReference);
  return html`<section aria-labelledby="tranches-title">
    <h2 id="tranches-title">${t('grant.tranches')}</h2>
    ${g.disbursements.length === 0 ? html`<${Empty}>${t('grant.noTranches')}<//>` : html`<table class="list tranches">
      <thead><tr><th scope="col">${t('grant.tranche')}</th><th scope="col">${t('grant.paidOn')}</th><th scope="col" class="num">${t('fund.amount')}</th>
        ${bank && html`<th scope="col">${t('fund.bankReference')}</th>`}<th scope="col">${t('grant.receipt')}</th></tr></thead>
      <tbody>${g.disbursements.map((d) => html`<tr>
        <td data-label=${t('grant.tranche')}>${d.tranche}</td><td class="date" data-label=${t('grant.paidOn')}>${fmt.date(d.paidOn)}</td>
        <td class="num" data-label=${t('fund.amount')}>${fmt.euros(d.amountCents)}</td>
        ${bank && html`<td data-label=${t('fund.bankReference')}>${d.bankReference || '—'}</td>`}
        <td data-label=${t('grant.receipt')}>${d.confirmedAt ? t('grant.confirmedAt', { when: fmt.dateTime(d.confirmedAt) })
          : canConfirm ? html`<button type="button" class="primary" disabled=${busy === d.id} onClick=${() => confirm(d)}
              aria-label=${t('grant.confirmTranche', { tranche: d.tranche })}>${t('grant.confirm')}</button>`
          : html`<span class="muted">${t('grant.notConfirmed')}</span>`}</td></tr>`)}</tbody></table>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </section>`;
}

/** Figures as a small table: what, how many, in what unit. */
export function FigureTable({ figures }) {
  if (figures.length === 0) return null;
  return html`<table class="compact figures"><thead><tr><th scope="col">${t('grant.figureLabel')}</th><th scope="col" class="num">${t('grant.figureValue')}</th></tr></thead>
    <tbody>${figures.map((x) => html`<tr><td>${x.label}</td><td class="num">${fmt.number(x.value)}${x.unit ? ` ${x.unit}` : ''}</td></tr>`)}</tbody></table>`;
}

/** One report: when, what was done, figures, attachments and the needs it served. */
export function Report({ r, title, needTitles }) {
  return html`<article class="card report">
    <h3>${title || t('grant.reportOf', { when: fmt.date(r.reportedAt) })}</h3>
    ${title && html`<p class="muted">${t('grant.reportOf', { when: fmt.date(r.reportedAt) })}</p>`}
    <p class="prose">${r.text}</p>
    <${FigureTable} figures=${r.figures} />
    ${r.attachments.length > 0 && html`<h4>${t('grant.attachments')}</h4><ul class="attachments">${r.attachments.map((a) => html`<li>${a}</li>`)}</ul>`}
    ${needTitles.length > 0 && html`<h4>${t('grant.needsServed')}</h4><ul>${needTitles.map((n) => html`<li>${n}</li>`)}</ul>`}
  </article>`;
}

const emptyFigure = () => ({ label: '', value: '', unit: '' });

/** The recipient's report: what was done, figures (rows to add), attachments (one per line), the plan's needs. */
function ReportForm({ g, needs, reload, onMessage }) {
  const f = useForm({ text: '', figures: [emptyFigure()], attachments: '', needIds: [] });
  const v = f.values;
  const setFigure = (i, key) => (x) => f.setValues((o) => ({ ...o, figures: o.figures.map((r, j) => (j === i ? { ...r, [key]: x } : r)) }));
  const save = f.submit(async (values) => {
    const rows = values.figures.filter((r) => r.label.trim() || r.value !== '' || r.unit.trim());
    rows.forEach((r, i) => {
      if (r.value === '' || !Number.isInteger(Number(r.value))) throw new ApiError('graphql', `figures[${i}].value: ${t('grant.wholeNumber')}`, 'BAD_USER_INPUT', `figures[${i}].value`);
    });
    await gql('ReportOnGrant', { input: { grantId: g.id, text: values.text,
      figures: rows.map((r) => ({ label: r.label, value: Number(r.value), unit: r.unit.trim() || null })),
      attachments: values.attachments.split('\n').map((a) => a.trim()).filter(Boolean), needIds: values.needIds } });
    f.setValues({ text: '', figures: [emptyFigure()], attachments: '', needIds: [] });
    await reload();
    onMessage(t('grant.reported'));
  }, ['text']);
  return html`<section class="card" aria-labelledby="report-form-title">
    <h2 id="report-form-title">${t('grant.reportTitle')}</h2>
    <form class="form" onSubmit=${save} novalidate aria-labelledby="report-form-title">
      <${TextArea} labelText=${t('grant.reportText')} value=${v.text} onInput=${f.set('text')} error=${f.fieldError('text')} rows="4" />
      <fieldset class="figures-editor"><legend>${t('grant.figures')}</legend>
        ${v.figures.map((r, i) => html`<div class="row sub">
          <${TextInput} labelText=${t('grant.figureLabel')} value=${r.label} onInput=${setFigure(i, 'label')} error=${f.fieldError(`figures[${i}].label`)} />
          <${TextInput} type="number" step="1" labelText=${t('grant.figureValue')} value=${r.value} onInput=${setFigure(i, 'value')} error=${f.fieldError(`figures[${i}].value`)} />
          <${TextInput} labelText=${t('grant.figureUnit')} value=${r.unit} onInput=${setFigure(i, 'unit')} error=${f.fieldError(`figures[${i}].unit`)} />
          <button type="button" class="small" onClick=${() => f.setValues((o) => ({ ...o, figures: o.figures.filter((_, j) => j !== i) }))}
            aria-label=${t('grant.removeFigure', { n: i + 1 })}>${t('common.remove')}</button>
        </div>`)}
        <button type="button" onClick=${() => f.setValues((o) => ({ ...o, figures: [...o.figures, emptyFigure()] }))}>${t('grant.addFigure')}</button>
      </fieldset>
      <${TextArea} labelText=${t('grant.attachmentsField')} value=${v.attachments} onInput=${f.set('attachments')} error=${f.fieldError('attachments')}
        hint=${t('grant.attachmentsHint')} rows="3" />
      ${needs.length > 0 && html`<${Choices} legend=${t('grant.needsServed')} values=${v.needIds} onChange=${f.set('needIds')} error=${f.fieldError('needIds')}
        options=${needs.map((n) => ({ value: n.id, label: n.title }))} />`}
      <${FormError} form=${f} />
      <button type="submit" class="primary" disabled=${f.busy}>${t('grant.submitReport')}</button>
    </form>
  </section>`;
}

/** The needs of a plan (none without one, or when the plan is not visible to the user). */
function usePlanNeeds(planId) {
  const [needs, setNeeds] = useState([]);
  useEffect(() => {
    if (!planId) return undefined;
    let live = true;
    gql('PlanNeeds', { id: planId }).then((d) => { if (live) setNeeds(d.plan.needs.edges.map(({ node }) => node)); }, () => {});
    return () => { live = false; };
  }, [planId]);
  return needs;
}

/** The reports and the report form, with the needs of the grant's plan (when it names one). */
function Reports({ g, canReport, reload, onMessage }) {
  const needs = usePlanNeeds(g.planId);
  const titleOf = (id) => (needs.find((n) => n.id === id) || { title: id }).title;
  return html`<section aria-labelledby="reports-title">
    <h2 id="reports-title">${t('grant.reports')}</h2>
    ${g.reports.length === 0 ? html`<${Empty}>${t('grant.noReports')}<//>` : html`<div class="reports">
      ${g.reports.map((r) => html`<${Report} r=${r} needTitles=${r.needIds.map(titleOf)} />`)}</div>`}
    ${canReport && (g.disbursements.length > 0 ? html`<${ReportForm} g=${g} needs=${needs} reload=${reload} onMessage=${onMessage} />`
      : html`<p class="hint">${t('grant.reportAfterPayment')}</p>`)}
  </section>`;
}

export function GrantPage({ id }) {
  const { user } = useSession();
  const q = useQuery('GrantDetail', { id });
  const [message, setMessage] = useState(null);
  return html`<${Loaded} q=${q}>${(d) => {
    const g = d.grant;
    const ops = g.operations;
    const manage = ops.includes('MANAGE_GRANTS');
    const proposed = g.status === 'PROPOSED';
    const own = g.proposedBy === user.id;
    return html`<section class="grant">
      <p class="crumbs"><a href="#/fund">${may(user, 'READ_FUND') ? t('fund.title') : t('fund.grantsTitle')}</a></p>
      <h1>${g.title} <${Badge} group="grantStatus" value=${g.status} /></h1>
      ${g.decisionNote && html`<div class=${`alert ${{ REJECTED: 'error', APPROVED: 'ok' }[g.status] || 'warn'}`} role="note"><strong>${t('grant.decisionNote')}:</strong> ${g.decisionNote}</div>`}
      ${message && html`<div class="alert ok" role="status">${message}</div>`}
      <div class="grid">
        <section class="card" aria-labelledby="grant-facts">
          <h2 id="grant-facts">${t('grant.details')}</h2>
          <${Dl} rows=${[
            [t('fund.recipient'), g.recipientMunicipality ? `${placeName(g.recipientMunicipality)} (${g.recipientMunicipality.region})` : g.recipientName],
            g.planId && [t('fund.plan'), html`<a href=${`#/plan/${g.planId}`}>${g.planTitle}</a>`],
            g.needId && [t('grant.need'), html`<a href=${`#/need/${g.needId}`}>${g.needTitle}</a>`],
            [t('fund.purpose'), label('fundPurpose', g.purpose)],
            [t('fund.amount'), fmt.euros(g.amountCents)],
            [t('fund.paidOut'), fmt.euros(g.disbursedCents)],
            [t('grant.left'), fmt.euros(g.leftCents)],
            [t('fund.reportDue'), fmt.date(g.reportDue)],
            [t('grant.proposedAt'), fmt.dateTime(g.proposedAt)],
            g.decidedAt && [t('grant.decidedAt'), fmt.dateTime(g.decidedAt)],
            g.accountHolder !== null && [t('fund.accountHolder'), g.accountHolder],
            g.accountIban !== null && [t('fund.iban'), html`<code>${g.accountIban}</code>`],
          ]} />
          <p class="prose">${g.description}</p>
        </section>
        <section class="card" aria-labelledby="screening-title">
          <h2 id="screening-title">${t('grant.screening')}</h2>
          ${proposed && manage && html`<p class="muted">${t('grant.screeningHint')}</p>`}
          <ul class="checks">${CHECKS.map((c) => html`<${Check} key=${c} g=${g} check=${c} canScreen=${proposed && manage} reload=${q.reload} />`)}</ul>
        </section>
      </div>
      ${proposed && ops.includes('DECIDE_GRANT') && html`<${Decision} g=${g} reload=${q.reload} onMessage=${setMessage} />`}
      ${proposed && !ops.includes('DECIDE_GRANT') && may(user, 'DECIDE_GRANT') && html`<div class="alert warn" role="note">
        ${own ? t('grant.secondPerson') : t('grant.mayNotDecide')}</div>`}
      ${g.status === 'APPROVED' && manage && html`<${PayTranche} g=${g} reload=${q.reload} onMessage=${setMessage} />`}
      <${Tranches} g=${g} canConfirm=${ops.includes('REPORT_ON_GRANT')} reload=${q.reload} onMessage=${setMessage} />
      <${Reports} g=${g} canReport=${ops.includes('REPORT_ON_GRANT')} reload=${q.reload} onMessage=${setMessage} />
    </section>`;
  }}<//>`;
}
