// The operator commands, run as a person runs them: `node packages/worker/src/cli/main.ts …`.
import { execFile } from 'node:child_process';
import { createHash, createHmac, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = join(import.meta.dirname, '../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'paystream-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('paystream keys', () => {
  it('generates an RSA-2048 PKCS#8 pair that keys check accepts, with the private key readable by its owner only', async () => {
    const out = join(dir, 'gen');
    const gen = await cli('keys', 'generate', '--out', out, '--json');
    expect(gen.code).toBe(0);
    const info = JSON.parse(gen.stdout) as { privateKey: string; publicKey: string; fingerprint: string };
    const pkcs8 = ['PRIVATE', 'KEY'].join(' ');
    expect(readFileSync(info.privateKey, 'utf8')).toContain(`BEGIN ${pkcs8}`);
    expect(statSync(info.privateKey).mode & 0o077).toBe(0);
    expect(gen.stdout).not.toContain(`BEGIN ${pkcs8}`);
    const check = await cli('keys', 'check', info.privateKey, info.publicKey);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(info.fingerprint);
    expect((await cli('keys', 'generate', '--out', out)).code).toBe(73);
  });

  it('keys check exits 1 and says why for PKCS#1, short and EC keys', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const pkcs1 = file('pkcs1.pem', rsa.export({ type: 'pkcs1', format: 'pem' }));
    const short = file(
      'short.pem',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const ec = file('ec.pem', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const r = await cli('keys', 'check', pkcs1, short, ec);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BAD .*pkcs1\.pem: .*PKCS#1.*openssl pkcs8 -topk8/);
    expect(r.stdout).toMatch(/BAD .*short\.pem: .*1024 bits/);
    expect(r.stdout).toMatch(/BAD .*ec\.pem: .*ec key/);
  });
});

describe('paystream signature', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = file('merchant.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const secretFile = file('secret', 'the-client-secret\n');
  const body = '{"partnerReferenceNo":"o-1","amount":{"value":"10000.00","currency":"IDR"}}';
  const bodyFile = file('body.json', body);
  const ts = '2026-11-24T10:00:00+07:00';
  const path = '/v1.0/debit/payment-host-to-host';
  const expected = createHmac('sha512', 'the-client-secret')
    .update(`POST:${path}:tok:${createHash('sha256').update(body).digest('hex')}:${ts}`)
    .digest('base64');

  it('token prints the StringToSign and the RSA signature', async () => {
    const r = await cli('signature', 'token', '--client-id', 'c-1', '--timestamp', ts, '--private-key', privatePem, '--json');
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out['stringToSign']).toBe(`c-1|${ts}`);
    expect(out['X-SIGNATURE']).toBe(
      sign('RSA-SHA256', Buffer.from(`c-1|${ts}`), createPrivateKey(readFileSync(privatePem))).toString('base64'),
    );
  });

  it('transaction prints the body hash, StringToSign and X-SIGNATURE over the file bytes', async () => {
    const r = await cli(
      'signature',
      'transaction',
      '--method',
      'POST',
      '--path',
      path,
      '--token',
      'tok',
      '--timestamp',
      ts,
      '--client-secret-file',
      secretFile,
      '--body-file',
      bodyFile,
      '--json',
    );
    expect(JSON.parse(r.stdout)).toEqual({
      bodySha256: createHash('sha256').update(body).digest('hex'),
      stringToSign: `POST:${path}:tok:${createHash('sha256').update(body).digest('hex')}:${ts}`,
      'X-SIGNATURE': expected,
    });
    expect(r.stdout).not.toContain('the-client-secret');
  });

  it('explain names the mistake: re-serialised body, wrong path, wrong token, bad timestamp, wrong secret', async () => {
    const sent = (over: Partial<{ path: string; body: string; ts: string; auth: string }> = {}) =>
      file(
        'req.json',
        JSON.stringify({
          method: 'POST',
          path: over.path ?? path,
          headers: { Authorization: over.auth ?? 'Bearer tok', 'X-TIMESTAMP': over.ts ?? ts, 'X-SIGNATURE': expected },
          body: over.body ?? body,
        }),
      );
    const explain = (req: string, ...extra: string[]) =>
      cli('signature', 'explain', '--request-file', req, '--client-secret-file', secretFile, '--now', '2026-11-24T03:01:00Z', ...extra);
    expect((await explain(sent())).code).toBe(0);
    expect((await explain(sent({ body: JSON.stringify(JSON.parse(body), null, 2) }))).stdout).toContain('re-serialised after signing');
    expect((await explain(sent({ path: `/snap${path}` }))).stdout).toContain(
      `wrong path in StringToSign: the signature was made over "${path}"`,
    );
    expect((await explain(sent({ auth: 'Bearer other' }), '--token', 'tok')).stdout).toContain('wrong token');
    const stale = await explain(sent(), '--now', '2026-11-25T03:00:00Z');
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/BAD +clock skew/);
    const wrongSecret = await cli(
      'signature',
      'explain',
      '--request-file',
      sent(),
      '--client-secret-file',
      file('s2', 'other'),
      '--now',
      '2026-11-24T03:01:00Z',
    );
    expect(wrongSecret.stdout).toContain('wrong client secret');
  });

  it('verify-notification exits 0 for a valid signature and 1 when any byte changes', async () => {
    const notification = '{ "latestTransactionStatus": "00" }';
    const sts = `POST:/v1.0/debit/notify:${createHash('sha256').update('{"latestTransactionStatus":"00"}').digest('hex')}:${ts}`;
    const sig = sign('RSA-SHA256', Buffer.from(sts), privateKey).toString('base64');
    const pub = file('pub.pem', publicKey.export({ type: 'spki', format: 'pem' }));
    const args = (b: string) => [
      'signature',
      'verify-notification',
      '--path',
      '/v1.0/debit/notify',
      '--timestamp',
      ts,
      '--signature',
      sig,
      '--body-file',
      file('n.json', b),
      '--public-key',
      pub,
    ];
    expect((await cli(...args(notification))).code).toBe(0);
    expect((await cli(...args(notification.replace('00', '06')))).code).toBe(1);
  });

  it('every command answers --help, and bad usage exits 2 with the usage', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const words of [
      ['worker'],
      ['publish'],
      ['topics', 'create'],
      ['keys', 'generate'],
      ['keys', 'check'],
      ['signature', 'token'],
      ['signature', 'transaction'],
      ['signature', 'explain'],
      ['signature', 'verify-notification'],
    ]) {
      expect(top.stdout).toContain(words.join(' '));
      const h = await cli(...words, '--help');
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('usage: paystream');
    }
    const bad = await cli('signature', 'token', '--nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: paystream signature token');
    expect((await cli('signature', 'token')).stderr).toContain('--client-id is required');
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
