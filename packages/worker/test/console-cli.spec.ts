// `paystream console` run as an operator runs it: its own settings are checked before Kafka or core
// is reached, so a missing tokens file, a bad --listen or a missing core configuration is said at once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenLine } from '../src/console/server/tokens-file.ts';
import { cli } from './cli-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'console-cli-'));
const token = randomBytes(32).toString('base64url');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(console: object): string {
  const file = join(dir, `config-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify({ console }));
  return file;
}

describe('paystream console', () => {
  it('refuses to start without a tokens file, and with a malformed --listen', async () => {
    const none = await cli(['console', '--config', writeConfig({})]);
    expect([none.code, none.output]).toEqual([78, expect.stringContaining('console.auth.tokensFile')]);
    const bad = await cli(['console', '--config', writeConfig({}), '--listen', 'nowhere']);
    expect([bad.code, bad.output]).toEqual([2, expect.stringContaining('--listen is HOST:PORT')]);
  });

  it('refuses a tokens file others may read, then a configuration without core, never printing the token', async () => {
    const tokens = join(dir, 'tokens');
    writeFileSync(tokens, `${tokenLine(token, 'viewer', 'Vera')}\n`, { mode: 0o644 });
    const open = await cli(['console', '--config', writeConfig({ auth: { tokensFile: tokens } })]);
    expect([open.code, open.output]).toEqual([78, expect.stringContaining('PS_ERR_KEY_PERMISSIONS')]);
    const noCore = await cli([
      'console',
      '--config',
      writeConfig({ auth: { tokensFile: tokens } }),
      '--allow-insecure-key-file-permissions',
    ]);
    expect([noCore.code, noCore.output]).toEqual([78, expect.stringContaining('core:')]);
    expect(open.output + noCore.output).not.toContain(token);
  });

  it('refuses plain HTTP on an address other than loopback before reaching Kafka', async () => {
    const tokens = join(dir, 'tokens-private');
    writeFileSync(tokens, `${tokenLine(token, 'viewer', 'Vera')}\n`, { mode: 0o600 });
    const exposed = await cli(['console', '--config', writeConfig({ auth: { tokensFile: tokens } }), '--listen', '0.0.0.0:8443']);
    expect([exposed.code, exposed.output]).toEqual([78, expect.stringContaining('PS_ERR_CONSOLE_PLAIN_HTTP')]);
  });
});
