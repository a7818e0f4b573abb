// A private npm registry on loopback for tests of the published packages: Verdaccio (installed by
// scripts/install-verdaccio.sh) with its own storage, anyone on loopback may publish @paystream/*,
// and every other package is fetched from the public registry through it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { until } from './until.ts';

const INSTALL_SCRIPT = join(import.meta.dirname, '../../../scripts/install-verdaccio.sh');

export interface NpmRegistry {
  readonly url: string;
  /** An .npmrc naming this registry for every scope, with a token it accepts for publishing. */
  readonly npmrc: string;
  close(): Promise<void>;
}

function config(dir: string, upstream: string): string {
  return [
    `storage: ${join(dir, 'storage')}`,
    'auth: { htpasswd: { file: ' + join(dir, 'htpasswd') + ', max_users: -1 } }',
    `uplinks: { public: { url: ${JSON.stringify(upstream)}, timeout: 60s } }`,
    'packages:',
    "  '@paystream/*': { access: $all, publish: $anonymous }",
    "  '**': { access: $all, proxy: public }",
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
}

/** Starts a registry whose files live under `dir`; `upstream` is where it fetches what it does not hold. */
export async function startNpmRegistry(dir: string, upstream = 'https://registry.npmjs.org/'): Promise<NpmRegistry> {
  const bin = execFileSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 600_000 }).trim().split('\n').at(-1) ?? '';
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config(dir, upstream));
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}/`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', configFile, '--listen', `127.0.0.1:${String(port)}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const ping = async (): Promise<boolean> =>
    fetch(`${url}-/ping`).then(
      (r) => r.ok,
      () => false,
    );
  await until(ping, () => `the npm registry did not answer on ${url}: ${output}`, { timeoutMs: 60_000 });
  const host = url.replace(/^http:/, '');
  const npmrc = join(dir, '.npmrc');
  writeFileSync(npmrc, `registry=${url}\n${host}:_authToken=local-test-registry\n`);
  return {
    url,
    npmrc,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
