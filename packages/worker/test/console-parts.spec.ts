// The console's parts outside the server: the tokens file, the `console` configuration section, and
// the front-end script's type check (it has its own DOM-typed project, web/tsconfig.json).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/config/worker-config.ts';
import { SessionStore } from '../src/console/server/sessions.ts';
import { parseTokens, readTokensFile, tokenLine } from '../src/console/server/tokens-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'console-parts-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const token = randomBytes(32).toString('base64url');
const hash = tokenLine(token, 'viewer', 'x').split(' ')[0] ?? '';

describe('the tokens file', () => {
  it('knows a token by its hash and nothing near it', () => {
    const tokens = parseTokens(`# comment\n\n${tokenLine(token, 'approver', 'Ann Approver')}\n`);
    expect(tokens.size).toBe(1);
    expect(tokens.authenticate(token)).toEqual({ id: 'Ann Approver', name: 'Ann Approver', role: 'approver' });
    expect(tokens.authenticate(token.slice(1))).toBeUndefined();
    expect(tokens.authenticate(hash)).toBeUndefined();
  });

  it.each([
    ['a line that is not hash, role, name', 'not a token line'],
    ['an unknown role', `${hash} root Someone`],
    ['a hash given twice', `${hash} viewer A\n${hash} admin B`],
    ['a name given twice', `${hash} viewer A\n${'0'.repeat(64)} admin A`],
  ])('refuses %s, naming the line but not its content', (_what, text) => {
    let error: unknown;
    try {
      parseTokens(text);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'PS_ERR_CONSOLE_TOKENS_FILE' });
    expect((error as Error).message).toMatch(/line [12]:/);
    expect((error as Error).message).not.toContain(hash);
  });

  it('is read only when its owner alone may read it, unless allowed', () => {
    const file = join(dir, 'tokens');
    writeFileSync(file, `${tokenLine(token, 'admin', 'Ada')}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => readTokensFile(file, false)).toThrow(expect.objectContaining({ code: 'PS_ERR_KEY_PERMISSIONS' }));
    expect(readTokensFile(file, true).size).toBe(1);
    chmodSync(file, 0o600);
    expect(readTokensFile(file, false).authenticate(token)?.role).toBe('admin');
  });
});

describe('the session store', () => {
  it('keeps at most its bound of sessions, ending the oldest first, and never by the id it gave', () => {
    const store = new SessionStore({ ttlMs: 60_000, max: 2, now: () => 0 });
    const user = { id: 'u', name: 'u', role: 'viewer' } as const;
    const [a, b, c] = [store.create(user), store.create(user), store.create(user)];
    expect(store.size).toBe(2);
    expect(store.get(a.id)).toBeUndefined();
    expect([store.get(b.id)?.csrfToken, store.get(c.id)?.csrfToken]).toEqual([b.session.csrfToken, c.session.csrfToken]);
    expect(b.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.session.csrfToken).not.toBe(b.id);
  });
});

describe('the console configuration', () => {
  it('listens on loopback port 8443 for 480-minute sessions by default', () => {
    const { config } = loadWorkerConfig({ env: {} });
    expect(config.console).toEqual({ listen: { host: '127.0.0.1', port: 8443 }, auth: {}, sessionTtlMinutes: 480 });
  });

  it('wants both TLS files or neither, and no unknown field', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ console: { tlsCertFile: 'cert.pem' } }));
    expect(() => loadWorkerConfig({ env: {}, file })).toThrow(/tlsCertFile and tlsKeyFile/);
    writeFileSync(file, JSON.stringify({ console: { auth: { oidc: {} } } }));
    expect(() => loadWorkerConfig({ env: {}, file })).toThrow(/console/);
  });
});

describe('the front-end script', () => {
  it('type-checks against the DOM in its own project', () => {
    const path = join(import.meta.dirname, '../src/console/web/tsconfig.json');
    const read = ts.readConfigFile(path, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, join(path, '..'));
    expect(parsed.fileNames.map((f) => f.split('/').pop())).toEqual(['console.mts']);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
