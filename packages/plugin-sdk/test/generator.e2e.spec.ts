// The generator's real proof. In a scratch copy of the repository, `nx g
// @paystream/plugin-sdk:payment-method` yields plugins whose own tests (the contract kit included),
// lint and typecheck pass, which pass the plugin meta-tests, and which the worker's plugin list
// loads. It runs the commands an engineer types, with this checkout's Node, nx and npm.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'paystream-generator-'));

interface Run {
  readonly code: number;
  readonly stdout: string;
  /** stdout and stderr as they came. */
  readonly output: string;
}

/** This Node and the copy's own tools, and none of the variables of the nx, npm or vitest running this test. */
function scratchEnv(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^(nx_|npm_|vitest|vite_|init_cwd$|node_env$|force_color$)/i.test(key));
  return {
    ...Object.fromEntries(inherited),
    PATH: [dirname(process.execPath), join(scratch, 'node_modules/.bin'), process.env['PATH'] ?? ''].join(delimiter),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    // Plain text, so the assertions below read what a terminal would show.
    NO_COLOR: '1',
    // Everything the generated plugin needs is already installed: npm must link it, not download.
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

function run(command: string, args: readonly string[], cwd = scratch): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: scratchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => done({ code: code ?? 1, stdout, output }));
    child.once('error', (err) => done({ code: 1, stdout, output: String(err) }));
  });
}

async function git(args: readonly string[]): Promise<string> {
  const r = await run('git', args, repo);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.output}`);
  return r.stdout;
}

/**
 * The repository as committed, with the generator under test as it is on disk: in a checkout shared
 * with other work, half-finished edits elsewhere must not decide this test. Dependencies are hard links
 * to this checkout's (a copy where links cannot be made), leaving out npm's and the test runners'
 * bookkeeping files, which the copy's own npm and vitest then write afresh instead of through a link.
 */
async function copyRepository(): Promise<void> {
  const archive = join(scratch, '.head.tar');
  await git(['archive', '--format=tar', `--output=${archive}`, 'HEAD']);
  const untar = await run('tar', ['-x', '-f', archive, '-C', scratch]);
  if (untar.code !== 0) throw new Error(untar.output);
  rmSync(archive);
  const sdkFiles = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', 'packages/plugin-sdk']);
  for (const file of sdkFiles.split('\0').filter(Boolean)) {
    if (!existsSync(join(repo, file))) {
      rmSync(join(scratch, file), { force: true });
      continue;
    }
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    copyFileSync(join(repo, file), join(scratch, file));
  }
  const modules = join(scratch, 'node_modules');
  mkdirSync(modules);
  const entries = readdirSync(join(repo, 'node_modules')).filter((e) => !/^\.(vite|package-lock\.json$|paystream-lock-hash$)/.test(e));
  const links = await run('cp', ['-al', ...entries.map((e) => join(repo, 'node_modules', e)), modules]);
  if (links.code === 0) return;
  for (const e of entries)
    cpSync(join(repo, 'node_modules', e), join(modules, e), { recursive: true, verbatimSymlinks: true, force: true });
}

const generated: Record<string, Run> = {};

beforeAll(async () => {
  await copyRepository();
  // One BI-SNAP plugin with every operation (the defaults), one Core API plugin with a subset.
  generated['ovo'] = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', 'ovo', '--no-interactive']);
  generated['akulaku'] = await run('nx', [
    'g',
    '@paystream/plugin-sdk:payment-method',
    'akulaku',
    '--api=core',
    '--ops=charge,status',
    '--no-interactive',
  ]);
}, 180_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('nx g @paystream/plugin-sdk:payment-method, run in a scratch copy of the repository', () => {
  it.each(['ovo', 'akulaku'])('generates %s with one command, links it into the workspace and prints the checklist', (name) => {
    const r = generated[name];
    expect(r?.code, r?.output).toBe(0);
    expect(r?.output).toContain(`CREATE plugins/${name}/src/${name}.plugin.ts`);
    expect(r?.output).toContain('UPDATE packages/worker/src/plugins.ts');
    expect(r?.output).toContain(`CREATE docs/methods/${name}.md`);
    expect(r?.output).toMatch(new RegExp(`plugins/${name} is written and listed in the worker[^\\n]*\\n  1\\. Endpoints: `));
    // The install the generator ran: npm linked the new workspace package and recorded it in the lockfile.
    const link = join(scratch, 'node_modules/@paystream', `plugin-${name}`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(`../../plugins/${name}`);
    expect(readFileSync(join(scratch, 'package-lock.json'), 'utf8')).toContain(`"plugins/${name}": {`);
  });

  it('refuses a method that already exists, or an id that is not kebab-case, saying why and writing nothing', async () => {
    const again = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', 'ovo', '--no-interactive']);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('payment-method: plugins/ovo already exists; choose another method id');
    const invalid = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', 'Ovo_Pay', '--no-interactive']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.output).toContain('"Ovo_Pay" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja');
    expect(existsSync(join(scratch, 'plugins/Ovo_Pay'))).toBe(false);
  }, 60_000);

  it('yields plugins whose own tests and the contract kit pass', async () => {
    const r = await run('nx', [
      'run-many',
      '-t',
      'test',
      '-p',
      '@paystream/plugin-ovo',
      '@paystream/plugin-akulaku',
      '--outputStyle=static',
      '--',
      '--reporter=verbose',
    ]);
    expect(r.code, r.output).toBe(0);
    for (const name of ['ovo', 'akulaku']) {
      expect(r.output).toContain(`${name}: plugin contract > charges with the command-derived X-EXTERNAL-ID or Idempotency-Key`);
      expect(r.output).toContain(`${name} status mapping > stays pending`);
    }
  }, 240_000);

  it('yields plugins that pass lint and typecheck, and a worker that still type-checks with them', async () => {
    const r = await run('nx', [
      'run-many',
      '-t',
      'lint',
      'typecheck',
      '-p',
      '@paystream/plugin-ovo',
      '@paystream/plugin-akulaku',
      '@paystream/worker',
      '--outputStyle=static',
    ]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Successfully ran targets lint, typecheck for 3 projects');
  }, 240_000);

  it('yields plugins that pass the plugin meta-tests (test/workspace/plugins.spec.ts)', async () => {
    const filter = '^(plugins/(akulaku|ovo) |finds the plugin folders)';
    const r = await run('vitest', ['run', 'plugins.spec.ts', '-t', filter, '--reporter=verbose'], join(scratch, 'test/workspace'));
    expect(r.code, r.output).toBe(0);
    for (const name of ['ovo', 'akulaku'])
      expect(r.output.match(new RegExp(`✓ plugins\\.spec\\.ts > plugins/${name} > `, 'g'))?.length ?? 0).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('yields plugins that the worker loads from its plugin list, as `paystream worker --plugins akulaku,ovo` does', async () => {
    const script = [
      "import { PAYMENT_METHOD_PLUGIN, pluginRegistry } from '@paystream/plugin-sdk';",
      "import { selectPlugins } from './packages/worker/src/worker.ts';",
      "const plugins = pluginRegistry(selectPlugins(['akulaku', 'ovo']).getAll(PAYMENT_METHOD_PLUGIN));",
      'console.log(JSON.stringify([...plugins.values()].map((p) => [p.method, p.topic, p.api, Object.keys(p.operations)])));',
    ].join('\n');
    const r = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      ['akulaku', 'paystream.commands.akulaku', 'core', ['charge', 'status']],
      ['ovo', 'paystream.commands.ovo', 'snap', ['charge', 'status', 'cancel', 'refund']],
    ]);
  }, 60_000);
});
