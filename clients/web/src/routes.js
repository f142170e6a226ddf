// Hash routes: `#/need/<id>` and the like, the same links the server writes into notifications and e-mails.
import { PublicFigures } from './pages/public.js';
import { SignInPage } from './pages/signin.js';
import { Home } from './pages/home.js';
import { NeedList, NeedPage, NeedFormPage } from './pages/needs.js';
import { PlanList, PlanPage, PlanFormPage } from './pages/plans.js';
import { RoundList, RoundPage } from './pages/rounds.js';
import { AssignmentBoard, AssignmentPage } from './pages/assignments.js';
import { ExpertSearch, ExpertPage, ExpertFormPage } from './pages/experts.js';
import { LedgerPage } from './pages/ledger.js';
import { AuditPage } from './pages/audit.js';
import { InboxPage } from './pages/inbox.js';
import { AccountPage } from './pages/account.js';
import { NotFound } from './pages/notfound.js';
import { InvitationPage, ForgotPage, ResetPage, InvitePage } from './pages/accounts.js';
import { FundPage, PledgePage } from './pages/fund.js';
import { GrantPage } from './pages/grant.js';
import { GivingPage } from './pages/giving.js';
import { ProgrammesPage } from './pages/programmes.js';

export const routes = {
  public: PublicFigures,
  signin: SignInPage,
  home: Home,
  needs: NeedList,
  need: NeedPage,
  'need-form': NeedFormPage,
  plans: PlanList,
  plan: PlanPage,
  'plan-form': PlanFormPage,
  rounds: RoundList,
  round: RoundPage,
  assignments: AssignmentBoard,
  assignment: AssignmentPage,
  experts: ExpertSearch,
  expert: ExpertPage,
  'expert-form': ExpertFormPage,
  ledger: LedgerPage,
  audit: AuditPage,
  inbox: InboxPage,
  account: AccountPage,
  notFound: NotFound,
  invitation: InvitationPage,
  forgot: ForgotPage,
  reset: ResetPage,
  invite: InvitePage,
  fund: FundPage,
  pledge: PledgePage,
  grant: GrantPage,
  giving: GivingPage,
  programmes: ProgrammesPage,
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
