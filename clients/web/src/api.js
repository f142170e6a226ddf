// The client's only way to the server: named operations from clients/web/operations/*.graphql, sent to the
// public GraphQL endpoint. The token lives in sessionStorage (never in a URL); when it has expired the caller
// is asked to sign in again and the request is retried, so nothing typed is lost.

const FILES = ['session', 'public', 'needs', 'plans', 'assignments', 'experts', 'matching', 'notifications',
  'ledger', 'audit', 'reference', 'privacy', 'sheets', 'fund', 'network', 'community'];
const TOKEN = 'rp.token';

/** An error the interface can show: `kind` is 'network', 'server' or 'graphql'; `code` and `field` come from
 *  the server's `extensions`. */
export class ApiError extends Error {
  constructor(kind, message, code = null, field = null) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.field = field;
  }
}

let operations = null;
let reauthenticate = null;

export const token = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (t) => (t ? sessionStorage.setItem(TOKEN, t) : sessionStorage.removeItem(TOKEN)),
};

/** Called when a request finds the token expired; must resolve once the user has signed in again. */
export function onExpired(handler) {
  reauthenticate = handler;
}

/** Splits a document into its top-level definitions: operations and fragments, each by name. */
export function definitions(source) {
  const text = source.replace(/"(?:[^"\\]|\\.)*"|#[^\n]*/g, (m) => (m.startsWith('#') ? '' : m));
  const ops = {};
  const fragments = {};
  const head = /(query|mutation|subscription|fragment)\s+([A-Za-z_]\w*)/y;
  let depth = 0;
  let current = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? text.length : end;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && current) {
        (current.kind === 'fragment' ? fragments : ops)[current.name] = text.slice(current.start, i + 1);
        current = null;
      }
    } else if (depth === 0 && !current) {
      head.lastIndex = i;
      const m = head.exec(text);
      if (m) {
        current = { kind: m[1], name: m[2], start: i };
        i += m[0].length - 1;
      }
    }
  }
  return { ops, fragments };
}

/** The document to send for one operation: its text and every fragment it reaches. */
export function documentFor(name, { ops, fragments }) {
  const op = ops[name];
  if (!op) throw new Error(`no operation named ${name} in clients/web/operations`);
  const needed = new Set();
  const visit = (body) => {
    for (const m of body.matchAll(/\.\.\.\s*([A-Za-z_]\w*)/g)) {
      if (m[1] !== 'on' && !needed.has(m[1])) {
        needed.add(m[1]);
        visit(fragments[m[1]] || '');
      }
    }
  };
  visit(op);
  return [op, ...[...needed].map((f) => fragments[f])].join('\n');
}

async function loadOperations() {
  if (!operations) {
    operations = Promise.all(FILES.map(async (f) => {
      const r = await fetch(`/app/operations/${f}.graphql`);
      if (!r.ok) throw new ApiError('server', `operations/${f}.graphql: ${r.status}`);
      return r.text();
    })).then((texts) => {
      const all = { ops: {}, fragments: {} };
      for (const t of texts) {
        const d = definitions(t);
        Object.assign(all.ops, d.ops);
        Object.assign(all.fragments, d.fragments);
      }
      return all;
    });
    operations.catch(() => { operations = null; });
  }
  return operations;
}

/** Starts loading the operations before the first request needs them (at start-up, beside the texts). */
export function preloadOperations() {
  loadOperations().catch(() => {});
}

export async function documentOf(name) {
  return documentFor(name, await loadOperations());
}

/** Runs a named operation; its `data`, or an ApiError. */
export async function gql(name, variables = {}, { retried = false } = {}) {
  const query = await documentOf(name);
  const headers = { 'content-type': 'application/json' };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST', headers, body: JSON.stringify({ query, variables, operationName: name }),
    });
  } catch (e) {
    throw new ApiError('network', e.message);
  }
  if (response.status >= 500) throw new ApiError('server', `HTTP ${response.status}`);
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError('server', `HTTP ${response.status}`);
  }
  const error = body.errors && body.errors[0];
  if (error) {
    const code = error.extensions && error.extensions.code;
    if (code === 'UNAUTHENTICATED' && t && !retried && reauthenticate) {
      token.set(null);
      await reauthenticate();
      return gql(name, variables, { retried: true });
    }
    throw new ApiError('graphql', error.message, code, error.extensions && error.extensions.field);
  }
  return body.data;
}
