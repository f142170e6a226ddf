// Accounts by invitation and forgotten passwords: accepting an invitation, asking for and using a reset link,
// and inviting a person to a role.
import { html, useState } from '../lib.js';
import { t, label, currentLanguage, LANGUAGES } from '../i18n.js';
import { gql, token, ApiError } from '../api.js';
import { TextInput, Select, useForm, FormError, MunicipalityPicker } from '../ui.js';
import { useSession, may } from '../session.js';

/** `#/invitation/<token>`: the invitee chooses a password and is signed in. */
export function InvitationPage({ id, onSignedIn }) {
  const f = useForm({ password: '', again: '' });
  const save = f.submit(async (v) => {
    if (v.password !== v.again) throw new ApiError('graphql', t('accounts.mismatch'), 'BAD_USER_INPUT', 'again');
    const d = await gql('AcceptInvitation', { token: id, password: v.password });
    token.set(d.acceptInvitation.token);
    onSignedIn(d.acceptInvitation.user);
  }, ['password', 'again']);
  return html`<section class="narrow">
    <h1>${t('accounts.welcomeTitle')}</h1>
    <p class="lead">${t('accounts.welcomeText')}</p>
    <form class="form" onSubmit=${save} novalidate>
      <${TextInput} type="password" autocomplete="new-password" labelText=${t('account.new')} value=${f.values.password} onInput=${f.set('password')}
        error=${f.fieldError('password') || f.fieldError('token')} hint=${t('accounts.passwordHint')} />
      <${TextInput} type="password" autocomplete="new-password" labelText=${t('accounts.again')} value=${f.values.again} onInput=${f.set('again')} error=${f.fieldError('again')} />
      <${FormError} form=${f} />
      <button type="submit" class="primary" disabled=${f.busy}>${t('accounts.open')}</button>
    </form>
  </section>`;
}

/** `#/forgot`: asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPage() {
  const f = useForm({ email: '', sent: false });
  const send = f.submit(async (v) => {
    await gql('RequestPasswordReset', { email: v.email });
    f.setValues({ ...v, sent: true });
  }, ['email']);
  return html`<section class="narrow">
    <h1>${t('accounts.forgotTitle')}</h1>
    <p class="lead">${t('accounts.forgotText')}</p>
    <form class="form" onSubmit=${send} novalidate>
      <${TextInput} type="email" autocomplete="username" labelText=${t('signin.email')} value=${f.values.email} onInput=${f.set('email')} error=${f.fieldError('email')} />
      <${FormError} form=${f} />
      ${f.values.sent && html`<div class="alert ok" role="status">${t('accounts.sent')}</div>`}
      <button type="submit" class="primary" disabled=${f.busy}>${t('accounts.sendLink')}</button>
    </form>
    <p><a href="#/signin">${t('signin.title')}</a></p>
  </section>`;
}

/** `#/reset/<token>`: a new password from a reset link. */
export function ResetPage({ id }) {
  const f = useForm({ password: '', done: false });
  const save = f.submit(async (v) => {
    await gql('ResetPassword', { token: id, password: v.password });
    token.set(null);
    f.setValues({ password: '', done: true });
  }, ['password']);
  return html`<section class="narrow">
    <h1>${t('accounts.resetTitle')}</h1>
    <form class="form" onSubmit=${save} novalidate>
      <${TextInput} type="password" autocomplete="new-password" labelText=${t('account.new')} value=${f.values.password} onInput=${f.set('password')}
        error=${f.fieldError('password') || f.fieldError('token')} hint=${t('accounts.passwordHint')} />
      <${FormError} form=${f} />
      ${f.values.done && html`<div class="alert ok" role="status">${t('accounts.resetDone')} <a href="#/signin">${t('signin.title')}</a></div>`}
      <button type="submit" class="primary" disabled=${f.busy || f.values.done}>${t('account.change')}</button>
    </form>
  </section>`;
}

/** The roles the signed-in user may invite people to, as the server's operations say. */
export function invitableRoles(user) {
  if (may(user, 'MANAGE_USERS')) return ['ADMIN', 'POOL_COORDINATOR', 'NEEDS_COORDINATOR', 'HROMADA_OFFICER', 'MUNICIPALITY_OFFICER', 'FUND_OFFICER'];
  const roles = [];
  if (may(user, 'INVITE_COLLEAGUE')) roles.push(user.role);
  if (may(user, 'INVITE_HROMADA_OFFICER') && !roles.includes('HROMADA_OFFICER')) roles.push('HROMADA_OFFICER');
  return roles;
}

/** `#/invite`: invite a person to a role (experts are invited from their profile). */
export function InvitePage() {
  const { user } = useSession();
  const roles = invitableRoles(user);
  const f = useForm({ email: '', displayName: '', role: roles[0] || '', municipalityId: '', language: currentLanguage(), sent: null });
  const v = f.values;
  const officer = v.role === 'HROMADA_OFFICER' || v.role === 'MUNICIPALITY_OFFICER';
  const send = f.submit(async (values) => {
    const input = { email: values.email, displayName: values.displayName, role: values.role, language: values.language,
      municipalityId: officer ? values.municipalityId : null };
    const d = await gql('InviteUser', { input });
    f.setValues({ ...values, email: '', displayName: '', sent: d.inviteUser.email });
  }, officer ? ['email', 'displayName', 'role', 'municipalityId'] : ['email', 'displayName', 'role']);
  return html`<section class="narrow">
    <h1>${t('accounts.inviteTitle')}</h1>
    <p class="lead">${t('accounts.inviteText')}</p>
    <form class="form" onSubmit=${send} novalidate>
      <${TextInput} type="email" labelText=${t('signin.email')} value=${v.email} onInput=${f.set('email')} error=${f.fieldError('email')} />
      <${TextInput} labelText=${t('account.name')} value=${v.displayName} onInput=${f.set('displayName')} error=${f.fieldError('displayName')} />
      <${Select} labelText=${t('account.role')} value=${v.role} onChange=${f.set('role')} error=${f.fieldError('role')}
        options=${roles.map((r) => ({ value: r, label: label('role', r) }))} />
      ${officer && html`<${MunicipalityPicker} side=${v.role === 'HROMADA_OFFICER' ? 'RECOVERING' : 'CONTRIBUTING'} labelText=${t('account.municipality')}
        findText=${t('experts.findMunicipality')} value=${v.municipalityId} onChange=${f.set('municipalityId')} error=${f.fieldError('municipalityId')} />`}
      <${Select} labelText=${t('accounts.language')} value=${v.language} onChange=${f.set('language')} error=${f.fieldError('language')}
        options=${LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} />
      <${FormError} form=${f} />
      ${v.sent && html`<div class="alert ok" role="status">${t('accounts.invited', { email: v.sent })}</div>`}
      <button type="submit" class="primary" disabled=${f.busy}>${t('accounts.invite')}</button>
    </form>
  </section>`;
}

/** On an expert's page: give the expert an account of their own. */
export function InviteExpert({ x, reload }) {
  const [state, setState] = useState(null);
  if (!x.operations.includes('INVITE_EXPERT') || x.hasAccount) return null;
  async function invite() {
    setState({ busy: true });
    try {
      await gql('InviteUser', { input: { email: x.email, displayName: x.name, role: 'EXPERT', expertId: x.id, language: currentLanguage() } });
      setState({ ok: t('accounts.invited', { email: x.email }) });
      reload();
    } catch (e) {
      setState({ error: e.message });
    }
  }
  return html`<div class="card invite-expert">
    <p>${x.invitationPending ? t('accounts.pending') : t('accounts.noAccount')}</p>
    <button type="button" disabled=${state && state.busy} onClick=${invite}>${x.invitationPending ? t('accounts.inviteAgain') : t('accounts.inviteExpert')}</button>
    ${state && state.ok && html`<div class="alert ok" role="status">${state.ok}</div>`}
    ${state && state.error && html`<div class="alert error" role="alert">${state.error}</div>`}
  </div>`;
}
