// `npm test`: the whole suite as CI runs it — lint, typecheck, then every project's tests against one
// shared real Kafka broker — closing with a single "tests: N passed, N failed" line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBroker } from '../infra/kafka/src/testing.ts';
import { repoRoot } from '../infra/kafka/src/broker.ts';
import { readProjects } from '../tools/boundaries.ts';
import { auditDependencies } from '../test/security/src/ci/audit.ts';
import { scanRepository } from '../test/security/src/ci/secretlint.ts';

const resultFile = 'test-results/vitest.json';

/**
 * Suites that run whole systems (simulator, worker processes, their own brokers) and wait on them
 * with deadlines sized for two cores: each runs alone, after the rest, so that none of them shares
 * the machine with another system.
 */
const WHOLE_SYSTEM = ['@paystream/e2e-tests', '@paystream/reliability-tests'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.once('error', () => done(1));
  });
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  /** Files whose run failed outside a test (an import or a hook such as beforeAll): their tests are never counted as failed. */
  numFailedTestSuites: number;
}

/** Sums the JSON reports each project's vitest wrote; a project that wrote none counts as failed. */
function tally(dirs: string[]): { passed: number; failed: number; failedFiles: number; skipped: number; missing: string[] } {
  const total = { passed: 0, failed: 0, failedFiles: 0, skipped: 0, missing: [] as string[] };
  for (const dir of dirs) {
    const file = join(repoRoot, dir, resultFile);
    if (!existsSync(file)) {
      total.missing.push(dir);
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests;
    total.failedFiles += r.numFailedTestSuites;
    total.skipped += r.numPendingTests + r.numTodoTests;
  }
  return total;
}

async function main(): Promise<number> {
  const projects = readProjects(repoRoot).filter((p) => p.scripts.includes('test'));
  for (const p of projects) rmSync(join(repoRoot, p.dir, 'test-results'), { recursive: true, force: true });

  console.log('paystream: lint and typecheck');
  const checks = await run('nx', ['run-many', '-t', 'lint', 'typecheck', '--outputStyle=static']);
  const scripts = (await run('tsc', ['-p', 'tsconfig.json', '--noEmit'])) || (await run('eslint', ['scripts', 'tools', 'eslint.config.mjs']));

  console.log('paystream: secret scan (secretlint) and dependency audit (npm audit --omit=dev)');
  const noSecrets = await scanRepository(repoRoot);
  const audited = await auditDependencies(repoRoot);

  console.log('paystream: starting the test Kafka broker');
  const broker = await ensureBroker();
  const env = { ...process.env, KAFKA_BROKERS: broker.brokers.join(',') };
  const vitestArgs = ['--', '--reporter=default', '--reporter=json', `--outputFile.json=${resultFile}`];
  const exits: number[] = [];
  try {
    exits.push(await run('nx', ['run-many', '-t', 'test', '--skip-nx-cache', '--outputStyle=static', `--exclude=${WHOLE_SYSTEM.join(',')}`, ...vitestArgs], env));
    for (const project of WHOLE_SYSTEM) exits.push(await run('nx', ['run', `${project}:test`, '--skip-nx-cache', '--outputStyle=static', ...vitestArgs], env));
  } finally {
    await broker.stop();
  }

  const t = tally(projects.map((p) => p.dir));
  if (t.missing.length > 0) console.log(`paystream: no test report from ${t.missing.join(', ')}`);
  if (checks !== 0 || scripts !== 0) console.log('paystream: lint or typecheck failed (see above)');
  if (!noSecrets || !audited) console.log('paystream: the secret scan or the dependency audit failed (see above)');
  if (t.failedFiles > 0) console.log(`paystream: ${t.failedFiles} test files or suites failed outside their tests (a hook or an import; see above)`);
  if (t.skipped > 0) console.log(`paystream: ${t.skipped} tests skipped or todo — not allowed`);
  console.log(`tests: ${t.passed} passed, ${t.failed + t.missing.length} failed`);
  const ok = checks === 0 && scripts === 0 && noSecrets && audited && exits.every((code) => code === 0) && t.failed === 0 && t.failedFiles === 0 && t.missing.length === 0 && t.skipped === 0 && t.passed > 0;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

