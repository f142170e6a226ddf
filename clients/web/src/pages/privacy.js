// Each person's rights over their data: their own copy (on the account page); on an expert's page, the consent
// record, withdrawing consent and erasing the person. Who sees a button comes from the server's operations:
// `Expert.operations` (SET_EXPERT_STATUS) for withdrawing consent, `User.operations` (ERASE_PERSON) for erasing.
import { html, useState, useEffect, useRef } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { TextInput, Dl, errorText, reasonText, saveBlob } from '../ui.js';
import { useSession, may } from '../session.js';

const pad = (n) => String(n).padStart(2, '0');

/** The name of one's own copy, dated by the day it was made (in the person's time zone):
 *  `recovery-pool-my-data-YYYY-MM-DD.json`. */
export function myDataFileName(generatedAt) {
  const d = new Date(generatedAt);
  const day = Number.isNaN(d.getTime()) ? String(generatedAt).slice(0, 10) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `recovery-pool-my-data-${day}.json`;
}

/** On the account page: the person's rights, and their own copy of everything the service holds about them. */
export function MyData() {
  const { user } = useSession();
  const [copy, setCopy] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!may(user, 'READ_OWN_DATA')) return null;
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const d = await gql('MyData');
      const file = myDataFileName(d.myData.generatedAt);
      saveBlob(new Blob([d.myData.json], { type: 'application/json' }), file);
      setCopy({ ...d.myData, file });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return html`<section class="my-data" aria-labelledby="my-data-title">
    <h2 id="my-data-title">${t('privacy.title')}</h2>
    <ul class="rights">
      <li>${t('privacy.rightCopy')}</li>
      <li>${t('privacy.rightErase')}</li>
      <li>${t('privacy.rightRetention')}</li>
    </ul>
    <button type="button" class="primary" disabled=${busy} onClick=${download}>${t('privacy.download')}</button>
    ${copy && html`<div class="alert ok my-data-summary" role="status">
      <p>${t('privacy.saved', { file: copy.file, date: fmt.dateTime(copy.generatedAt) })}</p>
      <ul>${copy.summary.split('\n').filter((line) => line.trim()).map((line) => html`<li>${line}</li>`)}</ul>
    </div>`}
    ${error && html`<div class="alert error" role="alert">${errorText(error)}</div>`}
  </section>`;
}

/** A modal dialog asking to confirm a step that cannot be taken back; closing it (Escape too) cancels. */
function ConfirmDialog({ id, title, onClose, children }) {
  const ref = useRef();
  useEffect(() => { ref.current && ref.current.showModal && ref.current.showModal(); }, []);
  return html`<dialog ref=${ref} class="confirm" aria-labelledby=${`${id}-title`} onClose=${onClose}>
    <h2 id=${`${id}-title`}>${title}</h2>
    ${children}
  </dialog>`;
}

/** Whether the expert's personal data has been erased (their page stays, as "Erased person"). */
export const isErased = (x) => Boolean(x.privacy && x.privacy.erasedAt);

/** On an expert's page: consent and departure as recorded (only what happened), withdrawing consent and erasing
 *  the person. Nothing when the caller does not see the expert's contact details (`privacy` is null then). */
export function ExpertPrivacy({ x, reload }) {
  const { user } = useSession();
  const p = x.privacy;
  if (!p) return null;
  const own = user.expertId === x.id;
  return html`<section class="privacy" aria-labelledby="privacy-title">
    <h2 id="privacy-title">${t('privacy.record')}</h2>
    <${Dl} rows=${[
      x.consentDate && [t('experts.consent'), fmt.date(x.consentDate)],
      p.consentWithdrawnAt && [t('privacy.withdrawnOn'), fmt.dateTime(p.consentWithdrawnAt)],
      p.leftAt && [t('privacy.leftOn'), fmt.dateTime(p.leftAt)],
      p.contactErasedAt && [t('privacy.contactErasedOn'), fmt.dateTime(p.contactErasedAt)],
      p.erasedAt && [t('privacy.erasedOn'), fmt.dateTime(p.erasedAt)],
    ]} />
    ${p.consentWithdrawnAt && !p.erasedAt && html`<p class="muted">${own ? t('privacy.youMayRejoin') : t('privacy.onlyExpertRejoins')}</p>`}
    <div class="actions">
      <${WithdrawConsent} x=${x} own=${own} reload=${reload} />
      <${ErasePerson} x=${x} reload=${reload} />
    </div>
  </section>`;
}

/** For those who may set the expert's status, while consent stands: record that it is withdrawn. */
function WithdrawConsent({ x, own, reload }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const p = x.privacy;
  const offered = x.operations.includes('SET_EXPERT_STATUS') && !p.consentWithdrawnAt && !p.erasedAt;
  if (!offered) return done && !p.erasedAt ? html`<div class="alert ok" role="status">${t('privacy.withdrawn')}</div>` : null;
  async function withdraw() {
    setBusy(true);
    setError(null);
    try {
      await gql('WithdrawConsent', { expertId: x.id });
      setOpen(false);
      setDone(true);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const close = () => { setOpen(false); setError(null); };
  return html`<button type="button" class="danger" onClick=${() => setOpen(true)}>${t('privacy.withdraw')}</button>
    ${open && html`<${ConfirmDialog} id="withdraw" title=${own ? t('privacy.withdrawOwnTitle') : t('privacy.withdrawTitle', { name: x.name })} onClose=${close}>
      <p>${own ? t('privacy.withdrawOwnText') : t('privacy.withdrawText', { name: x.name })}</p>
      ${error && html`<div class="alert error" role="alert">${reasonText(error)}</div>`}
      <div class="actions">
        <button type="button" class="danger" disabled=${busy} onClick=${withdraw}>${t('privacy.withdrawConfirm')}</button>
        <button type="button" onClick=${close}>${t('common.cancel')}</button>
      </div>
    <//>`}`;
}

/** For admins and the officer of the expert's municipality (ERASE_PERSON in `User.operations`, which an officer
 *  holds for their own municipality only): erase the person, after typing their name. The server refuses while
 *  one of the expert's assignments is open, and says so. */
function ErasePerson({ x, reload }) {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const offered = may(user, 'ERASE_PERSON') && (!user.municipality || user.municipality.id === x.municipality.id) && !isErased(x);
  if (!offered) return done ? html`<div class="alert ok" role="status">${t('privacy.erased')}</div>` : null;
  const same = (a, b) => a.trim().replace(/\s+/g, ' ').toLocaleLowerCase() === b.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  async function erase(event) {
    event.preventDefault();
    setError(null);
    if (!same(typed, x.name)) { setMismatch(true); return; }
    setMismatch(false);
    setBusy(true);
    try {
      await gql('EraseExpert', { id: x.id });
      setOpen(false);
      setDone(true);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const close = () => { setOpen(false); setTyped(''); setMismatch(false); setError(null); };
  return html`<button type="button" class="danger" onClick=${() => setOpen(true)}>${t('privacy.erase')}</button>
    ${open && html`<${ConfirmDialog} id="erase" title=${t('privacy.eraseTitle', { name: x.name })} onClose=${close}>
      <p>${t('privacy.eraseGoes')}</p>
      <p>${t('privacy.eraseStays')}</p>
      <p><strong>${t('privacy.eraseFinal')}</strong></p>
      <form class="form" onSubmit=${erase} novalidate>
        <${TextInput} labelText=${t('privacy.typeName', { name: x.name })} value=${typed} onInput=${(v) => { setTyped(v); setMismatch(false); }}
          autocomplete="off" spellcheck="false" error=${mismatch ? t('privacy.nameMismatch') : null} />
        ${error && html`<div class="alert error" role="alert">${reasonText(error)}</div>`}
        <div class="actions">
          <button type="submit" class="danger" disabled=${busy}>${t('privacy.eraseConfirm')}</button>
          <button type="button" onClick=${close}>${t('common.cancel')}</button>
        </div>
      </form>
    <//>`}`;
}
