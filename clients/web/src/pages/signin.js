// Signing in: the page for visitors, and the same form inside the dialog when a session has expired. An account
// with a second factor is asked for a one-time code after its password (the server answers with an error on
// `totpCode`): the code field appears, the e-mail and password stay, and the form signs in again with the code.
import { html, useState, useEffect, useRef } from '../lib.js';
import { t } from '../i18n.js';
import { gql, token } from '../api.js';
import { TextInput, errorText, reasonText } from '../ui.js';

/** A one-time code as typed, without the spaces some apps show in the middle. */
export const cleanCode = (code) => code.replace(/\s+/g, '');

/** The input of a six-digit one-time code from an authenticator app. */
export function CodeInput({ labelText, value, onInput, error, hint }) {
  return html`<${TextInput} labelText=${labelText} value=${value} onInput=${onInput} error=${error} hint=${hint}
    inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" spellcheck="false" class="code" />`;
}

export function SignInForm({ email: knownEmail, onSignedIn }) {
  const [email, setEmail] = useState(knownEmail || '');
  const [password, setPassword] = useState('');
  // Once the server asks for a one-time code: what is typed, and why the last one was refused.
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const form = useRef();
  useEffect(() => {
    if (askCode && form.current) form.current.querySelector('input[autocomplete="one-time-code"]').focus();
  }, [askCode, codeError]);
  async function submit(e) {
    e.preventDefault();
    setError(null);
    setCodeError(null);
    const totpCode = askCode ? cleanCode(code) : null;
    if (askCode && !/^[0-9]{6}$/.test(totpCode)) {
      setCodeError(t('signin.codeDigits'));
      return;
    }
    setBusy(true);
    try {
      const d = await gql('SignIn', { email, password, totpCode });
      token.set(d.login.token);
      onSignedIn(d.login.user);
    } catch (err) {
      if (err.code === 'BAD_USER_INPUT' && err.field === 'totpCode') {
        // The first time, the hint under the field says what to do; after a code, the server's reason.
        if (askCode) setCodeError(reasonText(err));
        setAskCode(true);
        setCode('');
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="signin" ref=${form} onSubmit=${submit} novalidate>
    <${TextInput} labelText=${t('signin.email')} type="email" autocomplete="username" value=${email} onInput=${setEmail} required />
    <${TextInput} labelText=${t('signin.password')} type="password" autocomplete="current-password" value=${password} onInput=${setPassword} required />
    ${askCode && html`<div class="code-step">
      <p class="alert warn" role="status">${t('signin.codeAsked')}</p>
      <${CodeInput} labelText=${t('signin.code')} value=${code} onInput=${setCode} error=${codeError} hint=${t('signin.codeHint')} />
    </div>`}
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
