// Hash routes: `#/need/<id>` and the like, the same links the server writes into notifications and e-mails. Each
// route names its page module, loaded with `import()` on the first visit (a short "Loading…" meanwhile), so the
// first page loads only what it needs; a page seen once shows at once after that.
import { html, useState, useEffect } from './lib.js';
import { Loading, Failure } from './ui.js';

/** A page component that loads `name` from its module on first use. `preload()` starts loading it early. */
function page(load, name) {
  let Component = null;
  let loading = null;
  const preload = () => {
    if (!loading) {
      loading = load().then((m) => { Component = m[name]; return Component; });
      loading.catch(() => { loading = null; });
    }
    return loading;
  };
  function LazyPage(props) {
    const [, setLoaded] = useState(Boolean(Component));
    const [error, setError] = useState(null);
    const [attempt, setAttempt] = useState(0);
    // Also when the module arrived between the render and this effect: the state change shows the page.
    useEffect(() => {
      let live = true;
      preload().then(() => live && setLoaded(true), (e) => live && setError(e));
      return () => { live = false; };
    }, [attempt]);
    if (Component) return html`<${Component} ...${props} />`;
    if (error) return html`<${Failure} error=${error} retry=${() => { setError(null); setAttempt(attempt + 1); }} />`;
    return html`<${Loading} />`;
  }
  LazyPage.preload = preload;
  return LazyPage;
}

export const routes = {
  public: page(() => import('./pages/public.js'), 'PublicFigures'),
  signin: page(() => import('./pages/signin.js'), 'SignInPage'),
  home: page(() => import('./pages/home.js'), 'Home'),
  needs: page(() => import('./pages/needs.js'), 'NeedList'),
  need: page(() => import('./pages/needs.js'), 'NeedPage'),
  'need-form': page(() => import('./pages/needs.js'), 'NeedFormPage'),
  plans: page(() => import('./pages/plans.js'), 'PlanList'),
  plan: page(() => import('./pages/plans.js'), 'PlanPage'),
  'plan-form': page(() => import('./pages/plans.js'), 'PlanFormPage'),
  rounds: page(() => import('./pages/rounds.js'), 'RoundList'),
  round: page(() => import('./pages/rounds.js'), 'RoundPage'),
  assignments: page(() => import('./pages/assignments.js'), 'AssignmentBoard'),
  assignment: page(() => import('./pages/assignments.js'), 'AssignmentPage'),
  experts: page(() => import('./pages/experts.js'), 'ExpertSearch'),
  expert: page(() => import('./pages/experts.js'), 'ExpertPage'),
  'expert-form': page(() => import('./pages/experts.js'), 'ExpertFormPage'),
  ledger: page(() => import('./pages/ledger.js'), 'LedgerPage'),
  audit: page(() => import('./pages/audit.js'), 'AuditPage'),
  inbox: page(() => import('./pages/inbox.js'), 'InboxPage'),
  account: page(() => import('./pages/account.js'), 'AccountPage'),
  notFound: page(() => import('./pages/notfound.js'), 'NotFound'),
  invitation: page(() => import('./pages/accounts.js'), 'InvitationPage'),
  forgot: page(() => import('./pages/accounts.js'), 'ForgotPage'),
  reset: page(() => import('./pages/accounts.js'), 'ResetPage'),
  invite: page(() => import('./pages/accounts.js'), 'InvitePage'),
  fund: page(() => import('./pages/fund.js'), 'FundPage'),
  pledge: page(() => import('./pages/fund.js'), 'PledgePage'),
  grant: page(() => import('./pages/grant.js'), 'GrantPage'),
  giving: page(() => import('./pages/giving.js'), 'GivingPage'),
  programmes: page(() => import('./pages/programmes.js'), 'ProgrammesPage'),
  network: page(() => import('./pages/network.js'), 'NetworkPage'),
  tie: page(() => import('./pages/network.js'), 'TiePage'),
  sessions: page(() => import('./pages/sessions.js'), 'SessionsPage'),
  session: page(() => import('./pages/sessions.js'), 'SessionPage'),
  reception: page(() => import('./pages/reception.js'), 'ReceptionPage'),
  help: page(() => import('./pages/help.js'), 'HelpPage'),
  forum: page(() => import('./pages/forum.js'), 'ForumPage'),
};

/** `#/page/id?key=value` → { page, id, params }. Signed-out visitors see the figures or the sign-in form. */
export function parseRoute(hash, user) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = Object.fromEntries(new URLSearchParams(query));
  let page = parts[0] || (user ? 'home' : 'public');
  let id = parts[1];
  if (parts[2] === 'edit') page = `${page}-form`;
  if (id === 'new') { page = `${page}-form`; id = undefined; }
  if (!user && !['public', 'invitation', 'forgot', 'reset'].includes(page)) page = 'signin';
  if (user && page === 'signin') page = 'home';
  return { page: routes[page] ? page : 'notFound', id, params };
}
