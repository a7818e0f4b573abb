// `npm test`: the whole suite as CI runs it — lint, typecheck, formatting, then every project's tests against one
// shared real Kafka broker — closing with a single "tests: N passed, N failed" line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
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
const WHOLE_SYSTEM = ['@paystream/e2e-tests', '@paystream/security-tests', '@paystream/deploy-tests', '@paystream/reliability-tests'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.once('error', () => done(1));
  });
}

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

/** The first line of a failure message, so the digest stays one line per failure. */
function headline(message: string | undefined): string {
  const line = (message ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/**
 * A file whose run failed outside its tests — an import, or a hook such as beforeAll — whose tests are
 * then never counted as failed. (vitest's numFailedTestSuites also counts every suite merely holding a
 * failed test, so it cannot tell the two apart.)
 */
function failedOutsideTests(file: VitestJson['testResults'][number]): boolean {
  return file.status === 'failed' && (file.message !== '' || !file.assertionResults.some((t) => t.status === 'failed'));
}

/**
 * One line per failed file and failed test of a report. The summary at the end of `npm test` repeats
 * them because a long run's own output scrolls them far out of sight: the last lines must say what failed.
 */
function failuresOf(r: VitestJson): string[] {
  const lines: string[] = [];
  for (const file of r.testResults) {
    const where = relative(repoRoot, file.name);
    if (failedOutsideTests(file)) lines.push(`${where}: ${headline(file.message) || 'failed outside its tests'}`);
    for (const t of file.assertionResults) {
      if (t.status === 'failed') lines.push(`${where} › ${t.fullName}: ${headline(t.failureMessages[0])}`);
    }
  }
  return lines;
}

/** Sums the JSON reports each project's vitest wrote; a project that wrote none counts as failed. */
function tally(dirs: string[]): {
  passed: number;
  failed: number;
  failedFiles: number;
  skipped: number;
  missing: string[];
  failures: string[];
} {
  const total = { passed: 0, failed: 0, failedFiles: 0, skipped: 0, missing: [] as string[], failures: [] as string[] };
  for (const dir of dirs) {
    const file = join(repoRoot, dir, resultFile);
    if (!existsSync(file)) {
      total.missing.push(dir);
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests;
    total.failedFiles += r.testResults.filter(failedOutsideTests).length;
    total.skipped += r.numPendingTests + r.numTodoTests;
    total.failures.push(...failuresOf(r));
  }
  return total;
}

async function main(): Promise<number> {
  const projects = readProjects(repoRoot).filter((p) => p.scripts.includes('test'));
  for (const p of projects) rmSync(join(repoRoot, p.dir, 'test-results'), { recursive: true, force: true });

  console.log('paystream: lint and typecheck');
  const checks = await run('nx', ['run-many', '-t', 'lint', 'typecheck', '--outputStyle=static']);
  const scripts =
    (await run('tsc', ['-p', 'tsconfig.json', '--noEmit'])) || (await run('eslint', ['scripts', 'tools', 'eslint.config.mjs']));
  console.log('paystream: formatting (prettier --check)');
  const formatted = await run('prettier', ['--check', '--log-level=warn', '.']);

  console.log('paystream: secret scan (secretlint) and dependency audit (npm audit --omit=dev)');
  const noSecrets = await scanRepository(repoRoot);
  const audited = await auditDependencies(repoRoot);

  console.log('paystream: starting the test Kafka broker');
  const broker = await ensureBroker();
  const env = { ...process.env, KAFKA_BROKERS: broker.brokers.join(',') };
  const vitestArgs = ['--', '--reporter=default', '--reporter=json', `--outputFile.json=${resultFile}`];
  const exits: number[] = [];
  try {
    exits.push(
      await run(
        'nx',
        ['run-many', '-t', 'test', '--skip-nx-cache', '--outputStyle=static', `--exclude=${WHOLE_SYSTEM.join(',')}`, ...vitestArgs],
        env,
      ),
    );
    for (const project of WHOLE_SYSTEM)
      exits.push(await run('nx', ['run', `${project}:test`, '--skip-nx-cache', '--outputStyle=static', ...vitestArgs], env));
  } finally {
    await broker.stop();
  }

  const t = tally(projects.map((p) => p.dir));
  if (t.missing.length > 0) console.log(`paystream: no test report from ${t.missing.join(', ')}`);
  if (checks !== 0 || scripts !== 0) console.log('paystream: lint or typecheck failed (see above)');
  if (formatted !== 0) console.log('paystream: files not formatted by Prettier (listed above; `npm run format` fixes them)');
  if (!noSecrets || !audited) console.log('paystream: the secret scan or the dependency audit failed (see above)');
  if (t.failedFiles > 0) console.log(`paystream: ${t.failedFiles} test files failed outside their tests (a hook or an import)`);
  for (const line of t.failures) console.log(`paystream: FAILED ${line}`);
  if (t.skipped > 0) console.log(`paystream: ${t.skipped} tests skipped or todo — not allowed`);
  console.log(`tests: ${t.passed} passed, ${t.failed + t.missing.length} failed`);
  const ok =
    checks === 0 &&
    scripts === 0 &&
    formatted === 0 &&
    noSecrets &&
    audited &&
    exits.every((code) => code === 0) &&
    t.failed === 0 &&
    t.failedFiles === 0 &&
    t.missing.length === 0 &&
    t.skipped === 0 &&
    t.passed > 0;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
