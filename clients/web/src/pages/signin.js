// Signing in: the page for visitors, and the same form inside the dialog when a session has expired.
import { html, useState } from '../lib.js';
import { t } from '../i18n.js';
import { gql, token } from '../api.js';
import { TextInput, errorText } from '../ui.js';

export function SignInForm({ email: knownEmail, onSignedIn }) {
  const [email, setEmail] = useState(knownEmail || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const d = await gql('SignIn', { email, password });
      token.set(d.login.token);
      onSignedIn(d.login.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="signin" onSubmit=${submit} novalidate>
    <${TextInput} labelText=${t('signin.email')} type="email" autocomplete="username" value=${email} onInput=${setEmail} required />
    <${TextInput} labelText=${t('signin.password')} type="password" autocomplete="current-password" value=${password} onInput=${setPassword} required />
    ${error && html`<div class="alert error" role="alert">${error.code === 'UNAUTHENTICATED' || error.code === 'BAD_USER_INPUT' ? t('signin.failed') : errorText(error)}</div>`}
    <button type="submit" class="primary" disabled=${busy}>${t('signin.submit')}</button>
  </form>`;
}

export function SignInPage({ onSignedIn }) {
  return html`<section class="narrow">
    <h1>${t('signin.title')}</h1>
    <p class="lead">${t('signin.intro')}</p>
    <${SignInForm} onSignedIn=${onSignedIn} />
    <p><a href="#/forgot">${t('signin.forgot')}</a></p>
  </section>`;
}
