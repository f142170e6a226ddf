import { html } from '../lib.js';
import { t } from '../i18n.js';

export function NotFound() {
  return html`<section><h1>${t('notFound.title')}</h1><p><a href="#/">${t('notFound.back')}</a></p></section>`;
}
