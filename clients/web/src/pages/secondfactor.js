// The second factor on the account page, for those whose `User.operations` hold USE_SECOND_FACTOR (admins and
// fund officers): whether it is on; setting it up (a QR code of the proposed secret, drawn here in the browser,
// and the secret as text to type, then a code from the app to confirm it); turning it off with a current code.
import { html, useState, useEffect, useRef } from '../lib.js';
import { t } from '../i18n.js';
import { gql } from '../api.js';
import { Loaded, errorText, reasonText, useQuery } from '../ui.js';
import { useSession, may } from '../session.js';
import { QrCode } from '../qr.js';
import { CodeInput, cleanCode } from './signin.js';

/** A base32 secret in groups of four, easier to read and type (authenticator apps ignore the spaces). */
export const grouped = (secret) => (secret.match(/.{1,4}/g) || []).join(' ');

export function SecondFactor() {
  const { user } = useSession();
  if (!may(user, 'USE_SECOND_FACTOR')) return null;
  return html`<${SecondFactorSection} user=${user} />`;
}

function SecondFactorSection({ user }) {
  const q = useQuery('MySecondFactor', {});
  // What is open: null, 'setup' (with the proposed secret in `setup`) or 'off'.
  const [step, setStep] = useState(null);
  const [setup, setSetup] = useState(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const focus = useRef();
  useEffect(() => { if (step && focus.current) focus.current.focus(); }, [step]);

  const close = () => { setStep(null); setSetup(null); setCode(''); setError(null); };
  async function run(action) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const start = () => run(async () => {
    const d = await gql('StartSecondFactor');
    setDone(null);
    setCode('');
    setSetup(d.startSecondFactor);
    setStep('setup');
  });
  const withCode = (action) => (event) => {
    event.preventDefault();
    const typed = cleanCode(code);
    if (!/^[0-9]{6}$/.test(typed)) {
      setError({ field: 'code', message: t('signin.codeDigits'), local: true });
      return undefined;
    }
    return run(async () => {
      await action(typed);
      close();
      await q.reload();
    });
  };
  const confirm = withCode(async (typed) => {
    await gql('ConfirmSecondFactor', { code: typed });
    setDone('on');
  });
  const turnOff = withCode(async (typed) => {
    await gql('RemoveSecondFactor', { userId: user.id, code: typed });
    setDone('off');
  });
  const codeError = error && error.field === 'code' ? (error.local ? error.message : reasonText(error)) : null;
  const otherError = error && !codeError ? html`<div class="alert error" role="alert">${errorText(error)}</div>` : null;

  return html`<section class="second-factor" aria-labelledby="second-factor-title">
    <h2 id="second-factor-title">${t('secondFactor.title')}</h2>
    <p class="muted">${t('secondFactor.intro')}</p>
    <${Loaded} q=${q}>${(d) => {
      const on = Boolean(d.me.secondFactor);
      return html`<p class="second-factor-status"><span class="muted">${t('secondFactor.status')}</span>${' '}
        <strong class=${`badge ${on ? 'active' : 'off'}`}>${on ? t('secondFactor.on') : t('secondFactor.off')}</strong></p>
      ${done && html`<div class="alert ok" role="status">${done === 'on' ? t('secondFactor.turnedOn') : t('secondFactor.turnedOff')}</div>`}
      ${!on && step !== 'setup' && html`<button type="button" class="primary" disabled=${busy} onClick=${start}>${t('secondFactor.setUp')}</button>`}
      ${!on && step === 'setup' && setup && html`<div class="second-factor-setup">
        <h3 tabindex="-1" ref=${focus}>${t('secondFactor.setupTitle')}</h3>
        <ol class="steps">
          <li>
            <p>${t('secondFactor.scan')}</p>
            <${QrCode} text=${setup.uri} label=${t('secondFactor.qrLabel')} failedText=${t('secondFactor.qrFailed')} />
            <p><a href=${setup.uri} class="otpauth">${t('secondFactor.openApp')}</a></p>
          </li>
          <li>
            <p>${t('secondFactor.orType')}</p>
            <p><code class="secret">${grouped(setup.secret)}</code></p>
            <p class="hint">${t('secondFactor.typeHint')}</p>
          </li>
          <li>
            <form class="form" onSubmit=${confirm} novalidate>
              <${CodeInput} labelText=${t('secondFactor.confirmCode')} value=${code} onInput=${setCode} error=${codeError} />
              ${otherError}
              <div class="actions">
                <button type="submit" class="primary" disabled=${busy}>${t('secondFactor.confirm')}</button>
                <button type="button" onClick=${close}>${t('common.cancel')}</button>
              </div>
            </form>
          </li>
        </ol>
      </div>`}
      ${on && step !== 'off' && html`<button type="button" class="danger" onClick=${() => { setDone(null); setStep('off'); }}>${t('secondFactor.turnOff')}</button>`}
      ${on && step === 'off' && html`<form class="form second-factor-off" onSubmit=${turnOff} novalidate>
        <h3 tabindex="-1" ref=${focus}>${t('secondFactor.turnOffTitle')}</h3>
        <p>${t('secondFactor.turnOffText')}</p>
        <${CodeInput} labelText=${t('secondFactor.currentCode')} value=${code} onInput=${setCode} error=${codeError} />
        ${otherError}
        <div class="actions">
          <button type="submit" class="danger" disabled=${busy}>${t('secondFactor.turnOffConfirm')}</button>
          <button type="button" onClick=${close}>${t('common.cancel')}</button>
        </div>
      </form>`}
      ${!step && otherError}`;
    }}<//>
  </section>`;
}
