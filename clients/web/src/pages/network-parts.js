// Small pieces the pages of the network around the pool share (`#/network`, `#/sessions`, `#/reception`, `#/help`,
// `#/forum`): a contact person with mail and phone links, a button that runs one step and says why it failed, the
// item a notification points at, and dates as date inputs take them.
import { html, useState, useEffect } from '../lib.js';
import { t } from '../i18n.js';
import { reasonText } from '../ui.js';

const pad = (n) => String(n).padStart(2, '0');
/** A day in the user's time zone as a date input takes it (`YYYY-MM-DD`), `days` from today. */
export const dayFromToday = (days = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The side of the network the user speaks for: their municipality's, VNG's coordinators the contributing side,
 *  AUC the Ukrainian side; null for an admin, who may speak for either. */
export function sideOf(user) {
  if (user.municipality) return user.municipality.side;
  if (user.role === 'NEEDS_COORDINATOR') return 'RECOVERING';
  if (user.role === 'POOL_COORDINATOR') return 'CONTRIBUTING';
  return null;
}

/** A contact person: name, role, e-mail and phone as links. */
export function Contact({ name, role, email, phone }) {
  return html`<span class="contact"><strong>${name}</strong>${role && html` <span class="muted">· ${role}</span>`}
    ${email && html`<br /><a href=${`mailto:${email}`}>${email}</a>`}
    ${phone && html`<br /><a href=${`tel:${phone.replace(/[^\d+]/g, '')}`}>${phone}</a>`}</span>`;
}

/** A button for one step (confirm, cancel, agree, pin …): busy while it runs, the server's reason beside it when
 *  it is refused. `run` resolves once the step is done (and the page reloaded). */
export function StepButton({ run, children, kind = '', label }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function click() {
    setBusy(true);
    setError(null);
    try { await run(); } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return html`<span class="step">
    <button type="button" class=${`small ${kind}`} disabled=${busy} aria-label=${label} onClick=${click}>${children}</button>
    ${error && html`<small class="field-error" role="alert">${reasonText(error)}</small>`}
  </span>`;
}

/** Brings the element with `elementId` into view once it is on the page (the item a notification links to). */
export function useScrollTo(elementId, ready) {
  useEffect(() => {
    const el = elementId && ready && document.getElementById(elementId);
    if (el) el.scrollIntoView({ block: 'center' });
  }, [elementId, ready]);
}

/** `#/session/<id>` and `#/tie/<id>` (the links in notifications): the list page with the item pointed at. */
export function redirectTo(target) {
  return function Redirect({ id }) {
    useEffect(() => { location.replace(`${target}${encodeURIComponent(id || '')}`); }, [id]);
    return html`<p class="muted" role="status">${t('common.loading')}</p>`;
  };
}
