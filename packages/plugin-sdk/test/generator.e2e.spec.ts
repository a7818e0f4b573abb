// The generator's real proof. In a scratch copy of the repository, `nx g
// @paystream/plugin-sdk:payment-method` changes nothing but the new plugins' folders, their method
// pages, the worker's list and dependencies, the lockfile and (for a Core API type the simulator
// lacks) the simulator's row and list; it yields plugins whose own tests (on their fixture answers,
// the contract kit included), lint and typecheck pass, which pass the plugin meta-tests, whose
// whole-system fixtures the end-to-end suite finds, and which the worker's plugin list loads. It runs
// the commands an engineer types, with this checkout's Node, nx and npm.
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
 * Taken as they are on disk: the SDK with the generator under test, and the whole-system suite's
 * fixture types and kit, which a generated plugin's whole-system fixture imports.
 */
const WORKING = ['packages/plugin-sdk', 'test/e2e/plugins'];

/**
 * The repository as committed, with the folders of WORKING as they are on disk: in a checkout shared
 * with other work, half-finished edits elsewhere must not decide this test. Dependencies are hard links
 * to this checkout's (a copy where links cannot be made), leaving out npm's and the test runners'
 * bookkeeping files, which the copy's own npm and vitest then write afresh instead of through a link.
 * The copy is then committed in a repository of its own, so `git status` says what the generator changed.
 */
async function copyRepository(): Promise<void> {
  const archive = join(scratch, '.head.tar');
  await git(['archive', '--format=tar', `--output=${archive}`, 'HEAD']);
  const untar = await run('tar', ['-x', '-f', archive, '-C', scratch]);
  if (untar.code !== 0) throw new Error(untar.output);
  rmSync(archive);
  const working = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', ...WORKING]);
  for (const file of working.split('\0').filter(Boolean)) {
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
  if (links.code !== 0)
    for (const e of entries)
      cpSync(join(repo, 'node_modules', e), join(modules, e), { recursive: true, verbatimSymlinks: true, force: true });
  const identity = ['-c', 'user.name=scratch', '-c', 'user.email=scratch@example.com', '-c', 'commit.gpgsign=false'];
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    [...identity, 'commit', '-q', '-m', 'before the generator'],
  ]) {
    const r = await run('git', args);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.output}`);
  }
}

/** Paths the scratch repository changed or gained since the copy was committed. */
async function changedPaths(): Promise<string[]> {
  const r = await run('git', ['status', '--porcelain', '--untracked-files=all']);
  if (r.code !== 0) throw new Error(r.output);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

/**
 * One BI-SNAP e-wallet with every operation; a convenience-store method beside the shipped cstore
 * plugin, whose Core API type the simulator knows; and a Core API type it does not know, for which the
 * generator writes its row.
 */
const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  ovo: ['--api=snap', '--ops=charge,status,cancel,refund', '--action=deeplink', '--factors=PIN,device possession', '--pending-timeout=15m'],
  indomaret: [
    '--api=core',
    '--payment-type=cstore',
    '--ops=charge,status,cancel',
    '--action=payment_code',
    '--factors=payment code possession,cashier verification',
    '--pending-timeout=24h',
  ],
  'uob-ezpay': [
    '--api=core',
    '--payment-type=uob_ezpay',
    '--ops=charge,status,refund',
    '--action=redirect',
    '--auth=va',
    '--pending-timeout=2h',
  ],
};
const NAMES = Object.keys(COMMANDS);
const PROJECTS = NAMES.map((name) => `@paystream/plugin-${name}`);

const generated: Record<string, Run> = {};
let changed: string[] = [];

beforeAll(async () => {
  await copyRepository();
  for (const name of NAMES)
    generated[name] = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', name, ...(COMMANDS[name] ?? []), '--no-interactive']);
  changed = await changedPaths();
}, 240_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('nx g @paystream/plugin-sdk:payment-method, run in a scratch copy of the repository', () => {
  it.each(NAMES)('generates %s with one command, links it into the workspace and prints the checklist', (name) => {
    const r = generated[name];
    expect(r?.code, r?.output).toBe(0);
    expect(r?.output).toContain(`CREATE plugins/${name}/src/${name}.plugin.ts`);
    expect(r?.output).toContain(`CREATE plugins/${name}/test/whole-system.ts`);
    expect(r?.output).toContain('UPDATE packages/worker/src/plugins.ts');
    expect(r?.output).toContain(`CREATE docs/methods/${name}.md`);
    expect(r?.output).toMatch(new RegExp(`plugins/${name} is written and listed in the worker[^\\n]*\\n  1\\. Endpoints: `));
    // The install the generator ran: npm linked the new workspace package and recorded it in the lockfile.
    const link = join(scratch, 'node_modules/@paystream', `plugin-${name}`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(`../../plugins/${name}`);
    expect(readFileSync(join(scratch, 'package-lock.json'), 'utf8')).toContain(`"plugins/${name}": {`);
  });

  it('changes nothing but the plugins, their method pages, the worker, the lockfile and the simulator lists', () => {
    const expected = [
      ...NAMES.flatMap((name) => [`plugins/${name}/`, `docs/methods/${name}.md`]),
      'packages/worker/src/plugins.ts',
      'packages/worker/package.json',
      'package-lock.json',
      'packages/midtrans-sim/src/core-types/uob-ezpay.ts',
      'packages/midtrans-sim/src/core-types/index.ts',
      'packages/midtrans-sim/src/snap/debit-methods.ts',
    ];
    const outside = changed.filter((path) => !expected.some((e) => (e.endsWith('/') ? path.startsWith(e) : path === e)));
    expect(outside).toEqual([]);
    expect(changed).toEqual(expect.arrayContaining(expected.filter((e) => !e.endsWith('/'))));
    expect(changed).toEqual(
      expect.arrayContaining(['plugins/indomaret/src/__fixtures__/charge.json', 'plugins/indomaret/test/whole-system.ts']),
    );
  });

  it('prints what the simulator lacks, and what it wrote into it', () => {
    expect(generated['ovo']?.output).toContain("added the pay method OVO to the simulator's direct-debit routes");
    expect(generated['indomaret']?.output).toContain('The simulator knows `payment_type` cstore');
    expect(generated['uob-ezpay']?.output).toContain("The generator wrote the simulator's row for `payment_type` uob_ezpay");
  });

  it('refuses a method that already exists, an id that is not kebab-case, or a missing fact, saying why and writing nothing', async () => {
    const again = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', 'ovo', ...(COMMANDS['ovo'] ?? []), '--no-interactive']);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('payment-method: plugins/ovo already exists; choose another method id');
    const invalid = await run('nx', [
      'g',
      '@paystream/plugin-sdk:payment-method',
      'Ovo_Pay',
      ...(COMMANDS['ovo'] ?? []),
      '--no-interactive',
    ]);
    expect(invalid.code).not.toBe(0);
    expect(invalid.output).toContain('"Ovo_Pay" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja');
    const bare = await run('nx', ['g', '@paystream/plugin-sdk:payment-method', 'pos', '--api=core', '--no-interactive']);
    expect(bare.code).not.toBe(0);
    expect(bare.output).toContain('payment-method: --ops is missing');
    for (const name of ['Ovo_Pay', 'pos']) expect(existsSync(join(scratch, 'plugins', name))).toBe(false);
  }, 90_000);

  it('yields plugins whose own tests, on their fixture answers, and the contract kit pass', async () => {
    const r = await run('nx', ['run-many', '-t', 'test', '-p', ...PROJECTS, '--outputStyle=static', '--', '--reporter=verbose']);
    expect(r.code, r.output).toBe(0);
    for (const name of NAMES) {
      expect(r.output).toContain(`${name}: plugin contract > charges with the command-derived X-EXTERNAL-ID or Idempotency-Key`);
      expect(r.output).toContain(`${name} charge > asks the customer for the`);
      expect(r.output).toContain(`${name} status > reads the refused answer as pending`);
    }
  }, 240_000);

  it('yields plugins that pass lint and typecheck, whole-system fixture included, with a worker, simulator and suite that still do', async () => {
    const projects = [...PROJECTS, '@paystream/worker', '@paystream/midtrans-sim', '@paystream/e2e-tests'];
    const r = await run('nx', ['run-many', '-t', 'lint', 'typecheck', '-p', ...projects, '--outputStyle=static']);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`Successfully ran targets lint, typecheck for ${String(projects.length)} projects`);
  }, 480_000);

  it('yields plugins that pass the plugin meta-tests (test/workspace/plugins.spec.ts)', async () => {
    const filter = `^(plugins/(${NAMES.join('|')}) |finds the plugin folders)`;
    const r = await run('vitest', ['run', 'plugins.spec.ts', '-t', filter, '--reporter=verbose'], join(scratch, 'test/workspace'));
    expect(r.code, r.output).toBe(0);
    for (const name of NAMES)
      expect(r.output.match(new RegExp(`✓ plugins\\.spec\\.ts > plugins/${name} > `, 'g'))?.length ?? 0).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('yields whole-system fixtures the end-to-end suite finds in the plugin folders, and a simulator row it charges with', async () => {
    const script = [
      "const { fixtures } = await import('./test/e2e/plugins/fixtures.ts');",
      "const { corePaymentType } = await import('./packages/midtrans-sim/src/core-types/lookup.ts');",
      `const shipped = ${JSON.stringify(NAMES)}.map((m) => [m, fixtures[m]?.action, fixtures[m]?.refunds]);`,
      "console.log(JSON.stringify({ shipped, row: corePaymentType('uob_ezpay')?.completion }));",
    ].join('\n');
    const r = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      shipped: [
        ['ovo', 'deeplink', true],
        ['indomaret', 'payment_code', false],
        ['uob-ezpay', 'redirect', true],
      ],
      row: 'provider-redirect',
    });
  }, 60_000);

  it('yields plugins that the worker loads from its plugin list, as `paystream worker --plugins indomaret,ovo,uob-ezpay` does', async () => {
    const script = [
      "import { PAYMENT_METHOD_PLUGIN, pluginRegistry } from '@paystream/plugin-sdk';",
      "import { selectPlugins } from './packages/worker/src/worker.ts';",
      "const plugins = pluginRegistry(selectPlugins(['indomaret', 'ovo', 'uob-ezpay']).getAll(PAYMENT_METHOD_PLUGIN));",
      'console.log(JSON.stringify([...plugins.values()].map((p) => [p.method, p.api, Object.keys(p.operations), p.customerAuthentication.factors, p.pendingTimeoutMs])));',
    ].join('\n');
    const r = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      ['indomaret', 'core', ['charge', 'status', 'cancel'], ['payment code possession', 'cashier verification'], 24 * 3_600_000],
      ['ovo', 'snap', ['charge', 'status', 'cancel', 'refund'], ['PIN', 'device possession'], 15 * 60_000],
      ['uob-ezpay', 'core', ['charge', 'status', 'refund'], ['PIN/OTP/biometrics', 'card/device possession'], 2 * 3_600_000],
    ]);
  }, 60_000);
});
