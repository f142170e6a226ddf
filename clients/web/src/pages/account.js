// The user's own account: who they are, a new password, the second factor (for those who may use one), and their
// own copy of their data.
import { html } from '../lib.js';
import { t, label } from '../i18n.js';
import { gql } from '../api.js';
import { TextInput, useForm, FormError, Dl } from '../ui.js';
import { useSession } from '../session.js';
import { MyData } from './privacy.js';
import { SecondFactor } from './secondfactor.js';

export function AccountPage() {
  const { user } = useSession();
  const f = useForm({ currentPassword: '', password: '', done: false });
  const save = f.submit(async (v) => {
    await gql('ChangePassword', { userId: user.id, password: v.password, currentPassword: v.currentPassword });
    f.setValues({ currentPassword: '', password: '', done: true });
  });
  return html`<section class="narrow">
    <h1>${t('account.title')}</h1>
    <${Dl} rows=${[[t('account.name'), user.displayName], [t('signin.email'), user.email], [t('account.role'), label('role', user.role)],
      user.municipality && [t('account.municipality'), user.municipality.name]]} />
    <h2>${t('account.password')}</h2>
    <p class="muted">${t('account.passwordHint')}</p>
    <form class="form" onSubmit=${save} novalidate>
      <${TextInput} type="password" autocomplete="current-password" labelText=${t('account.current')} value=${f.values.currentPassword}
        onInput=${f.set('currentPassword')} error=${f.fieldError('currentPassword')} />
      <${TextInput} type="password" autocomplete="new-password" labelText=${t('account.new')} value=${f.values.password}
        onInput=${f.set('password')} error=${f.fieldError('password')} />
      <${FormError} form=${f} />
      ${f.values.done && html`<div class="alert ok" role="status">${t('account.changed')}</div>`}
      <button type="submit" class="primary" disabled=${f.busy}>${t('account.change')}</button>
    </form>
    <${SecondFactor} />
    <${MyData} />
  </section>`;
}
