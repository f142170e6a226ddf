// The web client's shell: session, language, navigation by role, the live notification badge and the router.
import { html, render, useState, useEffect, useRef } from './lib.js';
import { gql, token, onExpired, preloadOperations } from './api.js';
import { t, useLanguage, currentLanguage, LANGUAGES } from './i18n.js';
import { subscribe } from './live.js';
import { Session, navFor } from './session.js';
import { SignInForm } from './pages/signin.js';
import { routes, parseRoute } from './routes.js';

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function LanguageSwitch({ onChange }) {
  return html`<label class="language">
    <span class="visually-hidden">${t('nav.language')}</span>
    <select value=${currentLanguage()} onChange=${(e) => onChange(e.target.value)} aria-label=${t('nav.language')}>
      ${LANGUAGES.map((l) => html`<option value=${l.code} selected=${l.code === currentLanguage()}>${l.name}</option>`)}
    </select>
  </label>`;
}

/** Asked when the token has expired: the page underneath stays as it was, with what was typed. */
function ExpiredDialog({ user, onDone }) {
  const ref = useRef();
  useEffect(() => { ref.current && ref.current.showModal && ref.current.showModal(); }, []);
  return html`<dialog ref=${ref} class="expired" aria-labelledby="expired-title" onCancel=${(e) => e.preventDefault()}>
    <h2 id="expired-title">${t('session.expiredTitle')}</h2>
    <p>${t('session.expiredText')}</p>
    <${SignInForm} email=${user && user.email} onSignedIn=${onDone} />
  </dialog>`;
}

function Header({ user, unread, onLanguage, onSignOut, route }) {
  const items = user ? navFor(user) : [{ href: '#/public', key: 'nav.figures' }, { href: '#/signin', key: 'nav.signIn' }];
  const [open, setOpen] = useState(false);
  return html`<header class="top">
    <a class="brand" href=${user ? '#/' : '#/public'}>recovery-pool</a>
    <button type="button" class="menu-toggle" aria-expanded=${open} aria-controls="main-nav" onClick=${() => setOpen(!open)}>${t('nav.menu')}</button>
    <nav id="main-nav" class=${open ? 'open' : ''} aria-label=${t('nav.main')} onClick=${() => setOpen(false)}>
      <ul>
        ${items.map((i) => html`<li><a href=${i.href} aria-current=${route.page === i.href.slice(2).split('/')[0] ? 'page' : undefined}>${t(i.key)}</a></li>`)}
      </ul>
    </nav>
    <div class="tools">
      ${user && html`<a class="inbox-link" href="#/inbox" aria-label=${t('nav.inboxUnread', { count: unread })}>
        ${t('nav.inbox')} ${unread > 0 && html`<span class="unread-badge" data-testid="unread-badge">${unread}</span>`}
      </a>`}
      <${LanguageSwitch} onChange=${onLanguage} />
      ${user && html`<a href="#/account" class="who">${user.displayName}</a>
        <button type="button" class="link" onClick=${onSignOut}>${t('nav.signOut')}</button>`}
    </div>
  </header>`;
}

function App() {
  const hash = useHash();
  const [, setLang] = useState(currentLanguage());
  const [user, setUser] = useState(undefined);
  const [unread, setUnread] = useState(0);
  const [expired, setExpired] = useState(null);
  const [live, setLive] = useState(null);
  // Stops the live notifications: signing out ends the session, which must not read as one that expired.
  const stopLive = useRef(null);

  useEffect(() => {
    onExpired(() => new Promise((resolve) => setExpired(() => resolve)));
    if (!token.get()) { setUser(null); return; }
    gql('Me').then((d) => { setUser(d.me); setUnread(d.unreadNotificationCount); if (d.me.language && d.me.language !== currentLanguage()) changeLanguage(d.me.language, false); },
      () => { token.set(null); setUser(null); });
  }, []);

  useEffect(() => {
    if (!user) return undefined;
    const stop = subscribe('LiveNotifications', {}, (data) => {
      setUnread((n) => n + 1);
      setLive(data.notifications);
    }, () => setExpired(() => () => location.reload()));
    stopLive.current = stop;
    return stop;
  }, [user && user.id]);

  async function changeLanguage(code, save = true) {
    await useLanguage(code);
    setLang(code);
    if (save && user) gql('SetLanguage', { language: code }).then((d) => setUser(d.setLanguage), () => {});
  }

  async function signOut() {
    if (stopLive.current) stopLive.current();
    try { await gql('SignOut'); } catch (e) { /* the token is dropped either way */ }
    token.set(null);
    setUser(null);
    location.hash = '#/public';
  }

  if (user === undefined) return html`<p class="muted">${t('common.loading')}</p>`;
  const route = parseRoute(hash, user);
  const Page = routes[route.page] || routes.notFound;
  const session = { user, setUser, unread, setUnread, live };
  return html`<${Session.Provider} value=${session}>
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <${Header} user=${user} unread=${unread} route=${route} onLanguage=${changeLanguage} onSignOut=${signOut} />
    <main id="main" tabindex="-1">
      <${Page} key=${`${route.page}/${route.id || ''}`} id=${route.id} params=${route.params}
        onSignedIn=${(u) => { setUser(u); location.hash = '#/'; }} />
    </main>
    ${live && html`<div class="toast" role="status" aria-live="polite">
      <a href=${`#/${live.objectType}/${live.objectId}`} onClick=${() => setLive(null)}>${live.title}</a>
      <button type="button" class="link" onClick=${() => setLive(null)} aria-label=${t('common.close')}>×</button>
    </div>`}
    ${expired && html`<${ExpiredDialog} user=${user} onDone=${(u) => { const done = expired; setExpired(null); if (u) setUser(u); done(); }} />`}
  <//>`;
}

window.addEventListener('error', (e) => console.error(e.error || e.message));
// The texts first; while they load, so do the first page's module and the operations it will send.
const texts = useLanguage();
routes[parseRoute(location.hash, token.get() ? {} : null).page].preload().catch(() => {});
preloadOperations();
texts.then(() => {
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} />`, root);
}, () => {
  document.getElementById('app').textContent = 'The interface could not load its texts. Reload the page.';
});
