// The network's forum (`#/forum`): initiatives, questions and tips of municipalities on both sides, newest first,
// of one tag when chosen; `#/forum/<id>` is one topic with its answers, pinned ones first. Officers and
// coordinators write topics and answers (POST_IN_FORUM); coordinators pin answers and send announcements to every
// participating municipality in three languages (MODERATE_FORUM).
import { html, useState, useEffect } from '../lib.js';
import { t, label, fmt, placeName } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loaded, Badge, Select, TextInput, TextArea, useForm, FormError, Empty } from '../ui.js';
import { useSession, may } from '../session.js';
import { StepButton } from './network-parts.js';

const TOPIC_KINDS = ['QUESTION', 'INITIATIVE', 'TIP'];
const EXCERPT = 280;

/** Who wrote a post: their municipality, or the coordination (VNG, AUC) when it has none. */
const author = (p) => (p.municipality ? placeName(p.municipality) : t('forum.coordination'));
/** Tags as typed ("water, housing") as a list. */
const tagList = (text) => text.split(',').map((x) => x.trim()).filter(Boolean);

function Tags({ tags }) {
  if (tags.length === 0) return null;
  return html`<ul class="tags" aria-label=${t('forum.tags')}>${tags.map((x) => html`<li><a href=${`#/forum?tag=${encodeURIComponent(x)}`}>${x}</a></li>`)}</ul>`;
}

/** A new topic: an initiative, a question or a tip, with tags. */
function TopicForm({ onDone }) {
  const empty = { kind: 'QUESTION', title: '', body: '', tags: '' };
  const f = useForm(empty);
  const v = f.values;
  const save = f.submit(async (values) => {
    const d = await gql('PostInForum', { input: { kind: values.kind, title: values.title, body: values.body, tags: tagList(values.tags) } });
    f.setValues(empty);
    await onDone(d.postInForum.id);
  }, ['kind', 'title', 'body']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="topic-form-title">
    <div class="row top">
      <${Select} labelText=${t('forum.kind')} value=${v.kind} onChange=${f.set('kind')} error=${f.fieldError('kind')}
        options=${TOPIC_KINDS.map((k) => ({ value: k, label: label('postKind', k) }))} />
      <${TextInput} labelText=${t('forum.tagsField')} value=${v.tags} onInput=${f.set('tags')} error=${f.fieldError('tags')} hint=${t('forum.tagsHint')} />
    </div>
    <${TextInput} labelText=${t('forum.topicTitle')} value=${v.title} onInput=${f.set('title')} error=${f.fieldError('title')} />
    <${TextArea} labelText=${t('forum.body')} value=${v.body} onInput=${f.set('body')} error=${f.fieldError('body')} rows="5" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('forum.postTopic')}</button>
  </form>`;
}

/** A coordinators' announcement: into every participating municipality's officers' inbox, in their language. */
function AnnouncementForm({ onDone }) {
  const empty = { titleEn: '', titleNl: '', titleUk: '', bodyEn: '', bodyNl: '', bodyUk: '' };
  const f = useForm(empty);
  const v = f.values;
  const save = f.submit(async (values) => {
    const opt = (x) => x.trim() || null;
    const d = await gql('Announce', { input: { titleEn: values.titleEn, titleNl: opt(values.titleNl), titleUk: opt(values.titleUk),
      bodyEn: values.bodyEn, bodyNl: opt(values.bodyNl), bodyUk: opt(values.bodyUk) } });
    f.setValues(empty);
    await onDone(t('forum.announced', { count: d.announce.notified }), d.announce.post.id);
  }, ['titleEn', 'bodyEn']);
  const langs = [['En', 'en'], ['Nl', 'nl'], ['Uk', 'uk']];
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="announcement-form-title">
    <p class="hint">${t('forum.announceHint')}</p>
    ${langs.map(([k, code]) => html`<fieldset lang=${code}>
      <legend>${t(`forum.in${k}`)}</legend>
      <${TextInput} labelText=${t('forum.topicTitle')} value=${v[`title${k}`]} onInput=${f.set(`title${k}`)} error=${f.fieldError(`title${k}`)} />
      <${TextArea} labelText=${t('forum.body')} value=${v[`body${k}`]} onInput=${f.set(`body${k}`)} error=${f.fieldError(`body${k}`)} rows="3" />
    </fieldset>`)}
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('forum.announce')}</button>
  </form>`;
}

/** The topics, newest first, of one tag when chosen; writing a topic; coordinators' announcements. */
function TopicList({ tag }) {
  const { user } = useSession();
  const q = useQuery('Forum', { tag: tag || null });
  const [search, setSearch] = useState(tag || '');
  useEffect(() => setSearch(tag || ''), [tag]);
  const [open, setOpen] = useState(null);
  const [message, setMessage] = useState(null);
  const toggle = (what) => () => { setMessage(null); setOpen(open === what ? null : what); };
  const filter = (e) => {
    e.preventDefault();
    location.hash = search.trim() ? `#/forum?tag=${encodeURIComponent(search.trim().toLowerCase())}` : '#/forum';
  };
  return html`<section class="forum">
    <h1>${t('forum.title')}</h1>
    <p class="lead">${t('forum.intro')}</p>
    <div class="actions">
      ${may(user, 'POST_IN_FORUM') && html`<button type="button" class="primary" aria-expanded=${open === 'topic'} onClick=${toggle('topic')}>${t('forum.newTopic')}</button>`}
      ${may(user, 'MODERATE_FORUM') && html`<button type="button" aria-expanded=${open === 'announce'} onClick=${toggle('announce')}>${t('forum.newAnnouncement')}</button>`}
    </div>
    ${message && html`<div class="alert ok" role="status">${message}</div>`}
    ${open === 'topic' && html`<section class="card narrow-card" aria-labelledby="topic-form-title">
      <h2 id="topic-form-title">${t('forum.newTopic')}</h2>
      <${TopicForm} onDone=${(id) => { location.hash = `#/forum/${id}`; }} />
    </section>`}
    ${open === 'announce' && html`<section class="card narrow-card" aria-labelledby="announcement-form-title">
      <h2 id="announcement-form-title">${t('forum.newAnnouncement')}</h2>
      <${AnnouncementForm} onDone=${async (text) => { await q.reload(); setOpen(null); setMessage(text); }} />
    </section>`}
    <form class="filters" onSubmit=${filter} role="search" aria-label=${t('forum.byTag')}>
      <${TextInput} type="search" labelText=${t('forum.tag')} value=${search} onInput=${setSearch} />
      <button type="submit">${t('forum.show')}</button>
      ${tag && html`<a href="#/forum">${t('forum.allTopics')}</a>`}
    </form>
    ${tag && html`<p>${t('forum.taggedWith', { tag })}</p>`}
    <${Loaded} q=${q}>${(d) => (d.forum.length === 0 ? html`<${Empty}>${tag ? t('forum.noneTagged', { tag }) : t('forum.none')}<//>` : html`<div class="topics">
      ${d.forum.map(({ topic: p, answers }) => html`<article class=${`card topic ${p.kind.toLowerCase()}`} aria-labelledby=${`topic-${p.id}`}>
        <h2 id=${`topic-${p.id}`}><a href=${`#/forum/${p.id}`}>${p.title}</a> <${Badge} group="postKind" value=${p.kind} />${p.pinned && html` <${Badge} group="pinned" value="PINNED" />`}</h2>
        <p class="muted meta">${author(p)} · ${fmt.dateTime(p.createdAt)} · ${t('forum.answerCount', { count: answers.length })}</p>
        <p class="prose">${p.body.length > EXCERPT ? `${p.body.slice(0, EXCERPT)}…` : p.body}</p>
        <${Tags} tags=${p.tags} />
      </article>`)}</div>`)}<//>
  </section>`;
}

/** One post: who, when, the text; pinned answers say so. */
function Post({ p, children }) {
  return html`<article class=${`card post${p.pinned ? ' pinned' : ''}`} id=${`post-${p.id}`} aria-label=${t('forum.answerBy', { who: author(p) })}>
    <p class="meta"><strong>${author(p)}</strong> <span class="muted">· ${fmt.dateTime(p.createdAt)}</span>${p.pinned && html` <${Badge} group="pinned" value="PINNED" />`}</p>
    <p class="prose">${p.body}</p>
    ${children}
  </article>`;
}

/** An answer to a topic. */
function AnswerForm({ topic, onDone }) {
  const f = useForm({ body: '' });
  const save = f.submit(async (v) => {
    await gql('PostInForum', { input: { parentId: topic.id, body: v.body } });
    f.setValues({ body: '' });
    await onDone(t('forum.answered'));
  }, ['body']);
  return html`<form class="form" onSubmit=${save} novalidate aria-labelledby="answer-form-title">
    <${TextArea} labelText=${t('forum.yourAnswer')} value=${f.values.body} onInput=${f.set('body')} error=${f.fieldError('body')} rows="4" />
    <${FormError} form=${f} />
    <button type="submit" class="primary" disabled=${f.busy}>${t('forum.postAnswer')}</button>
  </form>`;
}

/** `#/forum/<id>`: one topic with its answers, pinned first. */
function TopicView({ id }) {
  const { user } = useSession();
  const q = useQuery('Forum', {});
  const [message, setMessage] = useState(null);
  const done = async (text) => { await q.reload(); setMessage(text); };
  return html`<section class="forum-topic">
    <p class="crumbs"><a href="#/forum">${t('forum.title')}</a></p>
    <${Loaded} q=${q}>${(d) => {
      const found = d.forum.find((x) => x.topic.id === id);
      if (!found) return html`<h1>${t('forum.notFound')}</h1><${Empty}>${t('forum.notFoundText')}<//>`;
      const { topic: p, answers } = found;
      return html`
        <h1>${p.title} <${Badge} group="postKind" value=${p.kind} />${p.pinned && html` <${Badge} group="pinned" value="PINNED" />`}</h1>
        <p class="muted meta">${author(p)} · ${fmt.dateTime(p.createdAt)}</p>
        <p class="prose topic-body">${p.body}</p>
        <${Tags} tags=${p.tags} />
        <h2 id="answers-title">${t('forum.answers')} <span class="count">${answers.length}</span></h2>
        ${message && html`<div class="alert ok" role="status">${message}</div>`}
        ${answers.length === 0 ? html`<${Empty}>${t('forum.noAnswers')}<//>` : html`<div class="answers">
          ${answers.map((a) => html`<${Post} p=${a}>${may(user, 'MODERATE_FORUM') && html`<div class="actions">
            <${StepButton} run=${async () => { await gql('PinPost', { id: a.id, pinned: !a.pinned }); await done(t(a.pinned ? 'forum.unpinned' : 'forum.pinned')); }}>
              ${a.pinned ? t('forum.unpin') : t('forum.pin')}<span class="visually-hidden"> ${t('forum.answerBy', { who: author(a) })}</span><//></div>`}<//>`)}</div>`}
        ${may(user, 'POST_IN_FORUM') && html`<section class="card narrow-card" aria-labelledby="answer-form-title">
          <h2 id="answer-form-title">${t('forum.answer')}</h2>
          <${AnswerForm} topic=${p} onDone=${done} />
        </section>`}`;
    }}<//>
  </section>`;
}

/** `#/forum`, `#/forum?tag=…` and `#/forum/<id>` (the link in a notification). */
export function ForumPage({ id, params }) {
  const { user } = useSession();
  if (!may(user, 'READ_COMMUNITY')) return html`<section><h1>${t('forum.title')}</h1><${Empty}>${t('forum.nothingForYou')}<//></section>`;
  return id ? html`<${TopicView} id=${id} />` : html`<${TopicList} tag=${params.tag} />`;
}
