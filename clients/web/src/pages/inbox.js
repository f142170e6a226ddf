// The notifications inbox and how notifications reach the user by e-mail.
import { html, useEffect } from '../lib.js';
import { t, label, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Select, Pager, usePaging, Empty } from '../ui.js';
import { useSession } from '../session.js';

export function InboxPage({ params }) {
  const { setUnread, live } = useSession();
  const paging = usePaging();
  const unreadOnly = params.unread === '1';
  const q = useQuery('Inbox', { unreadOnly, first: 25, after: paging.after });
  useEffect(() => { if (live) q.reload(); }, [live]);
  useEffect(() => { if (q.data) setUnread(q.data.unreadNotificationCount); }, [q.data]);
  const open = async (n) => {
    if (!n.read) await gql('MarkRead', { id: n.id }).catch(() => {});
    location.hash = `#/${n.objectType}/${n.objectId}`;
  };
  return html`<section>
    <h1>${t('inbox.title')}</h1>
    <${Loaded} q=${q}>${(d) => html`
      <div class="actions">
        <a class="button" href=${unreadOnly ? '#/inbox' : '#/inbox?unread=1'}>${unreadOnly ? t('inbox.showAll') : t('inbox.showUnread')}</a>
        ${d.unreadNotificationCount > 0 && html`<button type="button" onClick=${async () => { await gql('MarkAllRead'); q.reload(); }}>${t('inbox.markAll')}</button>`}
        <${Select} labelText=${t('inbox.email')} value=${d.notificationPreference}
          onChange=${async (mode) => { await gql('SetNotificationPreference', { mode }); q.reload(); }}
          options=${['IMMEDIATE', 'DIGEST', 'OFF'].map((m) => ({ value: m, label: label('emailMode', m) }))} />
      </div>
      ${d.notifications.edges.length === 0 ? html`<${Empty}>${t('inbox.none')}<//>` : html`<ul class="inbox">
        ${d.notifications.edges.map(({ node: n }) => html`<li class=${n.read ? 'read' : 'unread'}>
          <button type="button" class="link" onClick=${() => open(n)}>${n.title}</button>
          <span class="muted">${fmt.relative(n.createdAt)}${n.read ? '' : ` · ${t('inbox.new')}`}</span>
          <p>${n.body}</p></li>`)}
      </ul>`}
      <${Pager} pageInfo=${d.notifications.pageInfo} onNext=${paging.next} onFirst=${paging.first} hasPrevious=${paging.hasPrevious} />`}<//>
  </section>`;
}
