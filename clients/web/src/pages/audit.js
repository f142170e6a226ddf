// The audit log: every change, who made it and what it was before and after.
import { html, useState } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { useQuery, Loaded, TextInput, Pager, usePaging, Empty } from '../ui.js';

export function AuditPage({ params }) {
  const paging = usePaging();
  const [objectId, setObjectId] = useState(params.object || '');
  const [action, setAction] = useState(params.action || '');
  const filter = { objectId: /^[0-9a-f-]{36}$/.test(objectId) ? objectId : undefined, action: action || undefined };
  const q = useQuery('AuditLog', { filter, first: 50, after: paging.after });
  return html`<section>
    <h1>${t('audit.title')}</h1>
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label=${t('common.filters')}>
      <${TextInput} labelText=${t('audit.object')} value=${objectId} onInput=${(v) => { paging.first(); setObjectId(v.trim()); }} />
      <${TextInput} labelText=${t('audit.action')} value=${action} onInput=${(v) => { paging.first(); setAction(v.trim()); }} hint=${t('audit.actionHint')} />
    </form>
    <${Loaded} q=${q}>${(d) => html`
      <p class="muted">${t('audit.count', { count: d.auditEvents.totalCount })}</p>
      ${d.auditEvents.edges.length === 0 ? html`<${Empty}>${t('audit.none')}<//>` : html`<table class="list audit">
        <thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.object')}</th><th scope="col">${t('audit.change')}</th></tr></thead>
        <tbody>${d.auditEvents.edges.map(({ node: e }) => html`<tr>
          <td>${fmt.dateTime(e.at)}</td><td><code>${e.action}</code></td><td>${e.actorRole || '—'}</td>
          <td>${e.objectType}<br /><small class="muted"><a href=${`#/${e.objectType}/${e.objectId}`}>${e.objectId.slice(0, 8)}</a></small></td>
          <td><details><summary>${t('audit.show')}</summary><pre>${e.before || '—'}</pre><pre>${e.after || '—'}</pre></details></td></tr>`)}</tbody></table>`}
      <${Pager} pageInfo=${d.auditEvents.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}
