/// <reference lib="dom" />
// The console's page: sign-in with a token, the signed-in user's name and role, and the views, each
// showing what its API route answers. Served as JavaScript by stripping the types (static-files.ts),
// so only erasable TypeScript is written here. The DOM is built with textContent, never innerHTML.
export {};

interface SessionInfo {
  readonly user: { readonly id: string; readonly name: string; readonly role: string };
  readonly csrfToken: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Each view and the API path it reads; the Orders view asks what to look for first. */
const VIEWS: Readonly<Record<string, { readonly title: string; readonly path?: string }>> = {
  overview: { title: 'Overview', path: '/api/overview' },
  orders: { title: 'Orders' },
  dlq: { title: 'DLQ', path: '/api/dlq' },
  audit: { title: 'Audit', path: '/api/audit' },
};

let session: SessionInfo | undefined;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found;
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    if (session) headers['x-csrf-token'] = session.csrfToken;
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function errorText(answer: Answer): string {
  const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return `${String(answer.status)}${error?.code ? ` ${error.code}` : ''}: ${error?.message ?? 'no answer'}`;
}

function show(signedIn: boolean): void {
  element('sign-in').hidden = signedIn;
  element('nav').hidden = !signedIn;
  element('who').hidden = !signedIn;
  element('view').hidden = !signedIn;
  if (session) {
    element('user-name').textContent = session.user.name;
    element('user-role').textContent = session.user.role;
  }
}

async function showPath(path: string): Promise<void> {
  const body = element('view-body');
  const error = element('view-error');
  body.textContent = '';
  error.textContent = '';
  const answer = await call('GET', path);
  if (answer.status === 401) {
    signedOut();
    return;
  }
  if (answer.status >= 400) error.textContent = errorText(answer);
  else body.textContent = JSON.stringify(answer.body, null, 2);
}

function button(text: string, type: 'submit' | 'button'): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = type;
  b.textContent = text;
  return b;
}

/** Find an order by any of its identifiers, or show one order's timeline. */
function orderForm(): HTMLFormElement {
  const form = document.createElement('form');
  const input = document.createElement('input');
  input.name = 'order';
  input.placeholder = 'order id, command id or Midtrans reference';
  input.required = true;
  const timeline = button('Timeline', 'button');
  form.append(input, button('Find', 'submit'), timeline);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void showPath(`/api/orders?${new URLSearchParams({ q: input.value.trim() }).toString()}`);
  });
  timeline.addEventListener('click', () => {
    if (input.value.trim() !== '') void showPath(`/api/orders/${encodeURIComponent(input.value.trim())}`);
  });
  return form;
}

function open(name: string): void {
  const view = VIEWS[name];
  if (!view) return;
  for (const b of document.querySelectorAll<HTMLButtonElement>('nav button')) {
    if (b.dataset['view'] === name) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  element('view-title').textContent = view.title;
  element('view-body').textContent = '';
  element('view-error').textContent = '';
  document.getElementById('order-form')?.remove();
  if (view.path) {
    void showPath(view.path);
    return;
  }
  const form = orderForm();
  form.id = 'order-form';
  element('view-title').after(form);
}

function signedOut(): void {
  session = undefined;
  show(false);
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = element('token') as HTMLInputElement;
  const answer = await call('POST', '/auth/token', { token: input.value });
  input.value = '';
  if (answer.status !== 200) {
    element('sign-in-error').textContent = errorText(answer);
    return;
  }
  element('sign-in-error').textContent = '';
  session = answer.body as SessionInfo;
  show(true);
  open('overview');
}

async function start(): Promise<void> {
  element('sign-in').addEventListener('submit', (e) => void signIn(e));
  element('sign-out').addEventListener('click', () => void call('POST', '/auth/logout').then(signedOut));
  for (const b of document.querySelectorAll<HTMLButtonElement>('nav button'))
    b.addEventListener('click', () => {
      open(b.dataset['view'] ?? '');
    });
  const answer = await call('GET', '/api/session');
  if (answer.status !== 200) {
    signedOut();
    return;
  }
  session = answer.body as SessionInfo;
  show(true);
  open('overview');
}

document.addEventListener('DOMContentLoaded', () => void start());
