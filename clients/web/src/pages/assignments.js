// Assignments: the board by status (and as a file), and one assignment with the steps the user may take, its
// hours and the feedback of both sides.
import { html, useState } from '../lib.js';
import { t, label, fmt, skillLabel, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, useForm, FormError, Pager, usePaging, Empty, Dl, Stars, dateRange, errorText, SheetDownload } from '../ui.js';
import { Explanation } from './explanation.js';

export const ASSIGNMENT_STATUSES = ['PROPOSED', 'ACCEPTED', 'CONFIRMED', 'ACTIVE', 'COMPLETED', 'REJECTED', 'DECLINED', 'WITHDRAWN', 'CANCELLED'];

export function AssignmentBoard({ params }) {
  const status = params.status || 'PROPOSED';
  const paging = usePaging();
  const filter = { status, expertId: params.expert || undefined };
  const q = useQuery('AssignmentBoard', { filter, first: 25, after: paging.after });
  return html`<section>
    <h1>${t('assignments.title')}</h1>
    <nav class="tabs" aria-label=${t('assignments.byStatus')}>
      ${ASSIGNMENT_STATUSES.map((s) => html`<a href=${`#/assignments?status=${s}`} aria-current=${s === status ? 'page' : undefined}
        onClick=${() => paging.first()}>${label('assignmentStatus', s)}</a>`)}
    </nav>
    <div class="actions">
      <${SheetDownload} labelText=${t('assignments.download', { status: label('assignmentStatus', status) })}
        load=${async (format) => (await gql('AssignmentsSheet', { filter, format })).assignmentsSheet} />
    </div>
    <${Loaded} q=${q}>${(d) => html`
      <p class="muted" aria-live="polite">${t('assignments.count', { count: d.assignments.totalCount })}</p>
      ${d.assignments.edges.length === 0 ? html`<${Empty}>${t('assignments.none')}<//>` : html`<table class="list">
        <thead><tr><th scope="col">${t('assignments.expert')}</th><th scope="col">${t('needs.need')}</th><th scope="col">${t('assignments.role')}</th>
          <th scope="col">${t('needs.period')}</th><th scope="col">${t('assignments.changed')}</th></tr></thead>
        <tbody>${d.assignments.edges.map(({ node: a }) => html`<tr>
          <td><a href=${`#/assignment/${a.id}`}>${a.expert.name}</a><br /><small class="muted">${a.expert.municipality.name}</small></td>
          <td>${a.need.title}<br /><small class="muted">${placeName(a.need.municipality)} · ${label('priority', a.need.priority)}</small></td>
          <td>${a.role.title} · ${t('needs.hoursPerWeek', { hours: a.hoursPerWeek })}</td>
          <td>${dateRange(a.startDate, a.endDate)}</td><td>${fmt.relative(a.updatedAt)}</td></tr>`)}</tbody></table>`}
      <${Pager} pageInfo=${d.assignments.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}

/** Each workflow step: the action as the server names it in `Assignment.steps`, its mutation, and the text it
 *  asks for. */
const STEPS = [
  { action: 'ACCEPT', mutation: 'AcceptAssignment', key: 'accept', primary: true },
  { action: 'REJECT', mutation: 'RejectAssignment', key: 'reject', text: 'reason' },
  { action: 'AGREE', mutation: 'AgreeToAssignment', key: 'agree', primary: true },
  { action: 'DECLINE', mutation: 'DeclineAssignment', key: 'decline', text: 'reason' },
  { action: 'RELEASE', mutation: 'ReleaseExpert', key: 'release', primary: true },
  { action: 'WITHDRAW', mutation: 'WithdrawRelease', key: 'withdraw', text: 'reason' },
  { action: 'START', mutation: 'StartAssignment', key: 'start', primary: true },
  { action: 'COMPLETE', mutation: 'CompleteAssignment', key: 'complete', text: 'outcomeReport' },
  { action: 'CANCEL', mutation: 'CancelAssignment', key: 'cancel', text: 'reason', danger: true },
];

function Steps({ a, reload }) {
  const [open, setOpen] = useState(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const steps = STEPS.filter((s) => a.steps.includes(s.action));
  async function take(step) {
    setError(null);
    try {
      const vars = { id: a.id };
      if (step.text) vars[step.text] = text;
      const d = await gql(step.mutation, vars);
      const out = Object.values(d)[0];
      setMessage(out.message);
      setOpen(null);
      setText('');
      reload();
    } catch (e) { setError(e); }
  }
  if (steps.length === 0 && !message) return null;
  return html`<div class="steps">
    ${message && html`<div class="alert ok" role="status">${message}</div>`}
    <div class="actions">${steps.map((s) => html`<button type="button" class=${s.primary ? 'primary' : s.danger ? 'danger' : ''}
      aria-expanded=${s.text ? open === s.key : undefined} onClick=${() => (s.text ? setOpen(open === s.key ? null : s.key) : take(s))}>${t(`steps.${s.key}`)}</button>`)}</div>
    ${open && html`<form class="inline" onSubmit=${(e) => { e.preventDefault(); take(STEPS.find((s) => s.key === open)); }}>
      <${TextArea} labelText=${t(`steps.${open}Text`)} value=${text} onInput=${setText} rows="3"
        error=${error && error.field ? error.message.replace(/^[^:]*:\s*/, '') : null} />
      <button type="submit">${t(`steps.${open}`)}</button></form>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </div>`;
}

function Hours({ a, reports, reload }) {
  const f = useForm({ month: new Date().toISOString().slice(0, 7), hours: '' });
  const save = f.submit(async (v) => { await gql('ReportHours', { assignmentId: a.id, month: v.month, hours: Number(v.hours) }); f.setValues({ ...v, hours: '' }); reload(); });
  const total = reports.reduce((s, r) => s + r.hours, 0);
  return html`<section class="card">
    <h2>${t('hours.title')}</h2>
    ${reports.length === 0 ? html`<${Empty}>${t('hours.none')}<//>` : html`<table class="compact">
      <thead><tr><th scope="col">${t('hours.month')}</th><th scope="col" class="num">${t('hours.hours')}</th></tr></thead>
      <tbody>${reports.map((r) => html`<tr><td>${fmt.month(r.month)}</td><td class="num">${fmt.number(r.hours)}</td></tr>`)}
        <tr class="total"><th scope="row">${t('hours.total')}</th><td class="num">${fmt.number(total)}</td></tr></tbody></table>`}
    ${a.operations.includes('REPORT_HOURS') && html`<form class="inline" onSubmit=${save} novalidate>
      <div class="row">
        <${TextInput} type="month" labelText=${t('hours.month')} value=${f.values.month} onInput=${f.set('month')} error=${f.fieldError('month')} />
        <${TextInput} type="number" min="0" max="744" labelText=${t('hours.hours')} value=${f.values.hours} onInput=${f.set('hours')} error=${f.fieldError('hours')} />
      </div>
      <${FormError} form=${f} />
      <button type="submit" disabled=${f.busy}>${t('hours.report')}</button></form>`}
  </section>`;
}

function Feedback({ a, side, reload }) {
  const mine = side === 'expert' ? { text: a.expertFeedback, rating: a.expertRating } : { text: a.recipientFeedback, rating: a.recipientRating };
  const op = side === 'expert' ? 'GIVE_EXPERT_FEEDBACK' : 'GIVE_RECIPIENT_FEEDBACK';
  const f = useForm({ feedback: mine.text || '', rating: String(mine.rating || 5) });
  const save = f.submit(async (v) => {
    await gql(side === 'expert' ? 'GiveExpertFeedback' : 'GiveRecipientFeedback', { id: a.id, feedback: v.feedback, rating: Number(v.rating) });
    reload();
  });
  return html`<section class="card">
    <h2>${t(`feedback.${side}`)}</h2>
    ${mine.text ? html`<p><${Stars} rating=${mine.rating} /></p><p class="prose">${mine.text}</p>` : html`<${Empty}>${t('feedback.none')}<//>`}
    ${a.operations.includes(op) && html`<form class="inline" onSubmit=${save} novalidate>
      <${TextArea} labelText=${t('feedback.text')} value=${f.values.feedback} onInput=${f.set('feedback')} error=${f.fieldError('feedback')} rows="3" />
      <${Select} labelText=${t('feedback.rating')} value=${f.values.rating} onChange=${f.set('rating')} error=${f.fieldError('rating')}
        options=${[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t('feedback.ratingOf', { rating: n }) }))} />
      <${FormError} form=${f} />
      <button type="submit" disabled=${f.busy}>${t('feedback.give')}</button></form>`}
  </section>`;
}

export function AssignmentPage({ id }) {
  const q = useQuery('AssignmentDetail', { id });
  return html`<${Loaded} q=${q}>${(d) => {
    const a = d.assignment;
    const e = a.expert;
    return html`<section>
      <p class="crumbs"><a href=${`#/need/${a.need.id}`}>${a.need.title}</a></p>
      <h1>${e.name} → ${a.role.title} <${Badge} group="assignmentStatus" value=${a.status} /></h1>
      ${a.reason && html`<div class="alert warn" role="note"><strong>${t('assignments.reason')}</strong> ${a.reason}</div>`}
      <${Steps} a=${a} reload=${q.reload} />
      <div class="grid">
        <section class="card">
          <h2>${t('assignments.consents')}</h2>
          <ol class="consents">
            <li class=${a.acceptedAt ? 'done' : ''}>${t('assignments.accepted')}: ${fmt.dateTime(a.acceptedAt)}</li>
            <li class=${a.expertAgreedAt ? 'done' : ''}>${t('assignments.agreed')}: ${fmt.dateTime(a.expertAgreedAt)}</li>
            <li class=${a.releasedAt ? 'done' : ''}>${t('assignments.released')}: ${fmt.dateTime(a.releasedAt)}</li>
            <li class=${a.startedAt ? 'done' : ''}>${t('assignments.started')}: ${fmt.dateTime(a.startedAt)}</li>
            <li class=${a.completedAt ? 'done' : ''}>${t('assignments.completed')}: ${fmt.dateTime(a.completedAt)}</li>
          </ol>
          <${Dl} rows=${[
            [t('needs.hromada'), `${placeName(a.need.municipality)} (${a.need.municipality.region})`],
            [t('needs.period'), dateRange(a.startDate, a.endDate)],
            [t('assignments.hours'), t('needs.hoursPerWeek', { hours: a.hoursPerWeek })],
            [t('match.score'), a.score],
          ]} />
          <${Explanation} e=${a.explanation} />
        </section>
        <section class="card">
          <h2>${t('assignments.expert')}</h2>
          <p><a href=${`#/expert/${e.id}`}>${e.name}</a> · ${e.jobTitle} · ${e.municipality.name}</p>
          ${e.contactVisibleToMe ? html`<${Dl} rows=${[[t('experts.email'), e.email ? html`<a href=${`mailto:${e.email}`}>${e.email}</a>` : '—'], [t('experts.phone'), e.phone || '—']]} />`
            : html`<p class="muted">${t('experts.contactHidden')}</p>`}
          ${e.bio && html`<p class="prose">${e.bio}</p>`}
          <ul class="tags">${e.skills.map((s) => html`<li>${skillLabel(s.skill)} · ${s.level}</li>`)}${e.languages.map((l) => html`<li>${l.language.toUpperCase()} ${l.level}</li>`)}</ul>
        </section>
      </div>
      ${a.outcomeReport && html`<section class="card"><h2>${t('assignments.outcome')}</h2><p class="prose">${a.outcomeReport}</p></section>`}
      ${['ACTIVE', 'COMPLETED'].includes(a.status) && html`<div class="grid">
        <${Hours} a=${a} reports=${d.hoursReports} reload=${q.reload} />
        <${Feedback} a=${a} side="expert" reload=${q.reload} />
        <${Feedback} a=${a} side="recipient" reload=${q.reload} />
      </div>`}
    </section>`;
  }}<//>`;
}
