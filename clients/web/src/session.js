// Who is signed in, shared with every page, and what each person's navigation holds: built from the
// operations the server says the user may do, never from a second copy of the rules.
import { createContext, useContext } from './lib.js';

export const Session = createContext(null);
export const useSession = () => useContext(Session);

/** Whether the signed-in user may do an operation somewhere (the server's `User.operations`). */
export const may = (user, op) => Boolean(user && user.operations && user.operations.includes(op));

export function navFor(user) {
  const items = [{ href: '#/', key: 'nav.home' }];
  const add = (cond, href, key) => cond && items.push({ href, key });
  add(may(user, 'CREATE_PLAN') || may(user, 'ENDORSE_PLAN'), '#/plans', 'nav.plans');
  add(user.role !== 'EXPERT' && user.role !== 'FUND_OFFICER', '#/needs', 'nav.needs');
  add(may(user, 'RUN_MATCHING'), '#/rounds', 'nav.rounds');
  add(user.role !== 'FUND_OFFICER', '#/assignments', 'nav.assignments');
  add(user.role === 'EXPERT' && user.expertId, `#/expert/${user.expertId}`, 'nav.profile');
  add(user.role !== 'EXPERT' && user.role !== 'FUND_OFFICER', '#/experts', 'nav.experts');
  add(may(user, 'READ_LEDGER'), '#/ledger', 'nav.ledger');
  // The fund: its whole work for fund officers, a municipality's pledges for its officers, the grants received
  // for AUC and hromada officers.
  if (may(user, 'READ_FUND') || may(user, 'PLEDGE')) add(true, '#/fund', 'nav.fund');
  else add(may(user, 'REPORT_ON_GRANT'), '#/fund', 'nav.grants');
  add(may(user, 'READ_PROGRAMMES'), '#/programmes', 'nav.programmes');
  // The network around the pool: participation and ties, information sessions, reception locations, requests for
  // help beyond expertise, the forum.
  add(may(user, 'READ_NETWORK') || may(user, 'MANAGE_MEMBERSHIP') || may(user, 'RECORD_TIE'), '#/network', 'nav.network');
  add(may(user, 'MANAGE_INFO_SESSIONS') || may(user, 'REGISTER_FOR_SESSION') || may(user, 'READ_NETWORK'), '#/sessions', 'nav.sessions');
  add(may(user, 'READ_RECEPTION') || (may(user, 'OFFER_RECEPTION') && user.municipality), '#/reception', 'nav.reception');
  add(may(user, 'READ_COMMUNITY'), '#/help', 'nav.help');
  add(may(user, 'READ_COMMUNITY'), '#/forum', 'nav.forum');
  add(may(user, 'READ_AUDIT_LOG'), '#/audit', 'nav.audit');
  add(may(user, 'MANAGE_USERS') || may(user, 'INVITE_COLLEAGUE') || may(user, 'INVITE_HROMADA_OFFICER'), '#/invite', 'nav.invite');
  add(true, '#/public', 'nav.figures');
  return items;
}
