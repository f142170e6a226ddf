// Every string of the interface comes from a catalogue in clients/web/i18n/ (en, nl, uk); dates and numbers go
// through Intl. The chosen language is remembered in localStorage.

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'uk', name: 'Українська' },
];
const KEY = 'rp.lang';

let lang = 'en';
let messages = {};
let fallback = {};

function initial() {
  const saved = localStorage.getItem(KEY);
  const asked = saved || (navigator.language || 'en').slice(0, 2).toLowerCase();
  return LANGUAGES.some((l) => l.code === asked) ? asked : 'en';
}

async function catalogue(code) {
  const r = await fetch(`/app/i18n/${code}.json`);
  if (!r.ok) throw new Error(`i18n/${code}.json: ${r.status}`);
  return r.json();
}

/** Loads a language (the remembered one when none is given) and makes it current. */
export async function useLanguage(code = initial()) {
  const [chosen, english] = await Promise.all([catalogue(code), code === 'en' ? null : catalogue('en')]);
  messages = chosen;
  fallback = english || chosen;
  lang = code;
  localStorage.setItem(KEY, code);
  document.documentElement.lang = code;
  return code;
}

export const currentLanguage = () => lang;

/** The message `key` with `{name}` placeholders filled; plural messages (objects keyed by Intl plural
 *  category) choose by `params.count`. */
export function t(key, params = {}) {
  let m = messages[key] ?? fallback[key];
  if (m === undefined) return key;
  if (typeof m === 'object') {
    const category = new Intl.PluralRules(lang).select(params.count ?? 0);
    m = m[category] ?? m.other;
  }
  return m.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

/** A label for an enum value, e.g. label('needStatus', 'OPEN'), falling back to the value itself. */
export function label(group, value) {
  const key = `${group}.${value}`;
  const m = messages[key] ?? fallback[key];
  return m === undefined ? String(value).toLowerCase().replace(/_/g, ' ') : m;
}

const locale = () => ({ en: 'en-GB', nl: 'nl-NL', uk: 'uk-UA' }[lang] || 'en-GB');

export const fmt = {
  date: (d) => (d ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(d)) : '—'),
  dateTime: (d) => (d ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(d)) : '—'),
  number: (n) => new Intl.NumberFormat(locale()).format(n ?? 0),
  percent: (x) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(x ?? 0),
  euros: (cents) => new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' }).format((cents ?? 0) / 100),
  /** A moment as it reads in the Netherlands (Europe/Amsterdam), whatever the browser's time zone: information
   *  sessions are held in Dutch time. */
  dutch: (d, options = { dateStyle: 'medium', timeStyle: 'short' }) => (d ? new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'Europe/Amsterdam' }).format(new Date(d)) : '—'),
  /** A day without its year, e.g. "7 Dec" (the weeks of a chart). */
  dayMonth: (d) => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short' }).format(new Date(`${d}T00:00:00`)),
  month: (ym) => new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long' }).format(new Date(`${ym}-01T00:00:00`)),
  relative: (d) => {
    const hours = Math.round((Date.now() - new Date(d).getTime()) / 3600000);
    const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
    return Math.abs(hours) < 48 ? rtf.format(-hours, 'hour') : rtf.format(-Math.round(hours / 24), 'day');
  },
};

/** A skill's label in the current language (the data has en, nl and uk). */
export const skillLabel = (s) => (s ? (lang === 'nl' ? s.labelNl : lang === 'uk' ? s.labelUk : s.labelEn) || s.labelEn || s.code : '');

/** A municipality's name: Ukrainian places in Ukrainian script when the interface is Ukrainian. */
export const placeName = (m) => (m ? (lang === 'uk' && m.nameLocal ? m.nameLocal : m.name) : '');
