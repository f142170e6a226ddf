// Shared pieces of the interface: form fields that show the server's error on the right input, status badges,
// pagers, loading and failure boxes, files to save and files to send (a sheet brought in: checked, then imported).
import { html, useState, useEffect, useCallback, useRef } from './lib.js';
import { t, label, fmt, placeName } from './i18n.js';
import { ApiError, gql } from './api.js';

/** The sentence to show for an error: the server's message for bad input and refusals, a fixed one for a lost
 *  connection or a server failure (what was typed stays in the form). */
export function errorText(e) {
  if (!e) return '';
  if (e instanceof ApiError) {
    if (e.kind === 'network') return t('error.network');
    if (e.kind === 'server') return t('error.server');
    if (e.code === 'FORBIDDEN') return t('error.forbidden', { detail: e.message });
    if (e.code === 'NOT_FOUND') return t('error.notFound');
    if (e.code === 'CONFLICT') return t('error.conflict', { detail: e.message });
    return e.message;
  }
  return String(e.message || e);
}

/** The server's sentence for an error on a field that has no input of its own (such as `id` or `status`), without
 *  the field's name in front; any other error as `errorText` says it. */
export function reasonText(e) {
  if (e instanceof ApiError && e.kind === 'graphql' && e.field) return e.message.replace(/^[^:]*:\s*/, '');
  return errorText(e);
}

/** Loads a named query; re-runs when `deps` change. Only the latest run's answer is kept: an earlier, slower one
 *  (say, the list before a search was typed) never overwrites it. */
export function useQuery(name, variables, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const latest = useRef(0);
  const key = JSON.stringify(variables);
  const run = useCallback(() => {
    const mine = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    return gql(name, variables).then(
      (data) => { if (mine === latest.current) setState({ data, error: null, loading: false }); },
      (error) => { if (mine === latest.current) setState({ data: null, error, loading: false }); },
    );
  }, [name, key, ...deps]);
  useEffect(() => { run(); }, [run]);
  return { ...state, reload: run };
}

export function Loading() {
  return html`<p class="muted" role="status" aria-live="polite">${t('common.loading')}</p>`;
}

export function Failure({ error, retry }) {
  return html`<div class="alert error" role="alert">
    <p>${errorText(error)}</p>
    ${retry && html`<button type="button" onClick=${retry}>${t('common.retry')}</button>`}
  </div>`;
}

/** Shows loading, failure, or the content once `q.data` is there. */
export function Loaded({ q, children }) {
  if (q.error) return html`<${Failure} error=${q.error} retry=${q.reload} />`;
  if (!q.data) return html`<${Loading} />`;
  return children(q.data);
}

export function Badge({ group, value }) {
  return html`<span class=${`badge ${group} ${String(value).toLowerCase()}`}>${label(group, value)}</span>`;
}

let fieldIds = 0;

/** A labelled input. `error` is shown under it and tied to it for screen readers. */
export function Field({ name, labelText, error, hint, children }) {
  const [id] = useState(() => `f${++fieldIds}`);
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const control = children({ id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described });
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${labelText}</label>
    ${control}
    ${hint && html`<small id=${`${id}-hint`} class="hint">${hint}</small>`}
    ${error && html`<small id=${`${id}-error`} class="field-error">${error}</small>`}
  </div>`;
}

export function TextInput({ labelText, value, onInput, error, hint, type = 'text', required, ...rest }) {
  return html`<${Field} labelText=${labelText} error=${error} hint=${hint}>
    ${(a) => html`<input ...${a} ...${rest} type=${type} required=${required} value=${value ?? ''}
      onInput=${(e) => onInput(type === 'number' ? (e.target.value === '' ? '' : Number(e.target.value)) : e.target.value)} />`}
  <//>`;
}

export function TextArea({ labelText, value, onInput, error, hint, required, rows = 4 }) {
  return html`<${Field} labelText=${labelText} error=${error} hint=${hint}>
    ${(a) => html`<textarea ...${a} rows=${rows} required=${required} onInput=${(e) => onInput(e.target.value)}>${value ?? ''}</textarea>`}
  <//>`;
}

export function Select({ labelText, value, onChange, options, error, hint, empty }) {
  return html`<${Field} labelText=${labelText} error=${error} hint=${hint}>
    ${(a) => html`<select ...${a} value=${value ?? ''} onChange=${(e) => onChange(e.target.value)}>
      ${empty !== undefined && html`<option value="">${empty}</option>`}
      ${options.map((o) => html`<option value=${o.value} selected=${o.value === value}>${o.label}</option>`)}
    </select>`}
  <//>`;
}

/** Checkboxes for a set of values (e.g. work modes). */
export function Choices({ legend, values, options, onChange, error }) {
  const toggle = (v) => onChange(values.includes(v) ? values.filter((x) => x !== v) : [...values, v]);
  return html`<fieldset class=${`choices${error ? ' invalid' : ''}`}>
    <legend>${legend}</legend>
    ${options.map((o) => html`<label class="choice"><input type="checkbox" checked=${values.includes(o.value)}
      onChange=${() => toggle(o.value)} /> ${o.label}</label>`)}
    ${error && html`<small class="field-error" role="alert">${error}</small>`}
  </fieldset>`;
}

/** Form state with the server's field errors: `fieldError(path)` finds the error for an input whose server
 *  field is `path` (e.g. `input.title`, `profile.skills[0].level`). */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key) => (v) => setValues((old) => ({ ...old, [key]: v }));
  const fieldError = (...paths) => {
    if (!error || !error.field) return null;
    return paths.some((p) => error.field === p || error.field.endsWith(`.${p}`) || error.field.startsWith(`${p}[`) || error.field.startsWith(`${p}.`))
      ? error.message.replace(/^[^:]*:\s*/, '') : null;
  };
  /** `required` names the fields that must not be empty: checked here first, so the person hears about them
   *  all at once and in words, before the server's check of everything else. */
  const submit = (action, required = []) => async (event) => {
    if (event) event.preventDefault();
    const missing = required.filter((k) => values[k] === '' || values[k] == null || (Array.isArray(values[k]) && values[k].length === 0));
    if (missing.length) {
      setError(new ApiError('graphql', t('form.required'), 'BAD_USER_INPUT', missing[0]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, error, setError, fieldError, submit, busy };
}

/** The error summary under a form: every error once, also those shown at their field. */
export function FormError({ form }) {
  if (!form.error) return null;
  return html`<div class="alert error" role="alert">${errorText(form.error)}</div>`;
}

export function Pager({ pageInfo, onNext, onFirst, hasPrevious }) {
  if (!pageInfo) return null;
  return html`<nav class="pager" aria-label=${t('common.pages')}>
    <button type="button" disabled=${!hasPrevious} onClick=${onFirst}>${t('common.firstPage')}</button>
    <button type="button" disabled=${!pageInfo.hasNextPage} onClick=${() => onNext(pageInfo.endCursor)}>${t('common.nextPage')}</button>
  </nav>`;
}

/** Keyset paging: the cursor stack behind "next" and "first". */
export function usePaging() {
  const [after, setAfter] = useState(null);
  return { after, next: setAfter, first: () => setAfter(null), hasPrevious: after !== null };
}

export function Stars({ rating }) {
  if (!rating) return '—';
  return html`<span aria-label=${t('feedback.ratingOf', { rating })}>${'★'.repeat(rating)}${'☆'.repeat(5 - rating)}</span>`;
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}

export function Dl({ rows }) {
  return html`<dl class="facts">${rows.filter(Boolean).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export const dateRange = (a, b) => `${fmt.date(a)} – ${b ? fmt.date(b) : t('common.openEnded')}`;

/** Finds a municipality of one side by name (there are 342 Dutch ones and 1,470 Ukrainian ones). */
export function MunicipalityPicker({ side, labelText, findText, value, onChange, error, empty = t('common.choose') }) {
  const [search, setSearch] = useState('');
  const q = useQuery('Municipalities', { filter: { side, search: search || undefined }, first: 50 });
  const options = q.data ? q.data.municipalities.edges.map(({ node: m }) => ({ value: m.id, label: `${placeName(m)} (${m.region})` })) : [];
  return html`<div class="row picker">
    <${TextInput} labelText=${findText} value=${search} onInput=${setSearch} type="search" />
    <${Select} labelText=${labelText} value=${value} onChange=${onChange} empty=${empty} error=${error} options=${options} />
  </div>`;
}

/** Hands a Blob to the browser as a file download: behind a temporary link, released afterwards. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a file the server made (`SpreadsheetFile`) under the name it gives: its base64 decoded to the bytes, in
 *  a Blob of its media type. */
export function saveSpreadsheet(file) {
  const raw = atob(file.base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  saveBlob(new Blob([bytes], { type: file.mediaType }), file.filename);
}

/** A chosen file's bytes in base64, as a `FileBase64` argument takes them (in chunks: a spread of the whole file
 *  would overflow the call stack). */
export async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The formats a sheet comes in (the server's `SheetFormat`). */
export const SHEET_FORMATS = ['CSV', 'XLSX'];

/** A download control: a file of what the page shows, as CSV or as XLSX. `load(format)` resolves to the server's
 *  `SpreadsheetFile`, which is saved under the name the server gives. */
export function SheetDownload({ labelText = t('sheet.download'), load }) {
  const [id] = useState(() => `f${++fieldIds}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function get(format) {
    setBusy(true);
    setError(null);
    try {
      saveSpreadsheet(await load(format));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return html`<div class="download" role="group" aria-labelledby=${id}>
    <span id=${id} class="download-label">${labelText}</span>
    <span class="download-buttons">${SHEET_FORMATS.map((f) => html`<button type="button" disabled=${busy}
      aria-describedby=${error ? `${id}-error` : undefined} onClick=${() => get(f)}>${label('sheetFormat', f)}</button>`)}</span>
    ${error && html`<small id=${`${id}-error`} class="field-error" role="alert">${errorText(error)}</small>`}
  </div>`;
}

/** What the file chooser of a sheet takes. */
const SHEET_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The largest file one request carries: the service takes bodies up to 256 KiB, and base64 makes 4 bytes of 3. */
export const MAX_SHEET_BYTES = 192 * 1000;

/** A message whose `{name}` placeholders are shown as code: column names, the form of a cell, an example. */
export function withCode(message, values) {
  return message.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? html`<code>${values[part] ?? part}</code>` : part));
}

/** Every problem of a sheet, by row (1 is the header) and column, as the server's `SheetImport` lists them. */
export function SheetProblems({ problems }) {
  return html`<p>${t('sheet.problems', { count: problems.length })}</p>
    <table class="compact"><thead><tr><th scope="col">${t('sheet.row')}</th><th scope="col">${t('sheet.column')}</th><th scope="col">${t('sheet.problem')}</th></tr></thead>
      <tbody>${problems.map((p) => html`<tr><td class="num">${p.row}</td><td><code>${p.column}</code></td><td>${p.message}</td></tr>`)}</tbody></table>`;
}

/** A sheet brought in (experts, needs): a CSV or XLSX file is chosen, read whole and checked first (`dryRun`); the
 *  report says what is new, updated and unchanged, and every problem by row and column; then one button brings it
 *  all in at once. `send(base64, dryRun)` resolves to the server's `SheetImport`; `words` says the report in
 *  terms of what the sheet holds: `checked(report)`, `applied(report)`, `nothingToChange`, `bringIn(report)`. */
export function SheetUpload({ send, onImported, words }) {
  const [sheet, setSheet] = useState(null);
  const [check, setCheck] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function run(file, dryRun) {
    setBusy(true);
    setError(null);
    try {
      const report = await send(file.base64, dryRun);
      setCheck({ ...report, file: file.name });
      if (report.applied) { setSheet(null); onImported(); }
    } catch (e) { setError({ e, file: file.name }); } finally { setBusy(false); }
  }

  async function choose(event) {
    const input = event.target;
    const file = input.files[0];
    if (!file) return;
    setSheet(null);
    setCheck(null);
    setError(null);
    try {
      if (file.size > MAX_SHEET_BYTES) {
        setError({ e: new Error(t('sheet.tooLarge', { size: fmt.number(Math.ceil(file.size / 1000)), max: fmt.number(MAX_SHEET_BYTES / 1000) })), file: file.name });
        return;
      }
      const chosen = { name: file.name, base64: await fileBase64(file) };
      setSheet(chosen);
      await run(chosen, true);
    } catch (e) {
      setError({ e, file: file.name });
    } finally {
      // Choosing the same file again, once corrected, reads it again.
      input.value = '';
    }
  }

  const changes = check ? check.created + check.updated : 0;
  return html`<div class="sheet-upload">
    <div class="actions">
      <label class="button">${t('sheet.choose')}<input type="file" accept=${SHEET_ACCEPT} class="visually-hidden" disabled=${busy} onChange=${choose} /></label>
    </div>
    ${check && html`<div class=${`alert ${check.problems.length ? 'error' : 'ok'}`} role="status">
      <p><strong>${check.file}</strong></p>
      <p>${check.applied ? words.applied(check) : words.checked(check)}</p>
      ${!check.applied && check.problems.length === 0 && changes === 0 && html`<p>${words.nothingToChange}</p>`}
      ${check.problems.length > 0 && html`<${SheetProblems} problems=${check.problems} />`}
    </div>`}
    ${sheet && check && !check.applied && check.problems.length === 0 && changes > 0 && html`<button type="button" class="primary" disabled=${busy}
      onClick=${() => run(sheet, false)}>${words.bringIn(check)}</button>`}
    ${error && html`<div class="alert error" role="alert">${error.e.field === 'file'
      ? t('sheet.refused', { file: error.file, reason: reasonText(error.e) }) : reasonText(error.e)}</div>`}
  </div>`;
}
