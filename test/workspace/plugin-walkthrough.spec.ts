// docs/plugins.md's walk-through "Adding one: the generator", followed literally on a fresh clone: the
// generator command and the checks are read from the page's sh blocks and run as written, so the page
// and what works cannot drift apart. The generator may change nothing but the new plugin's folder and
// the lists it maintains, and the new method must pass its own checks, the plugin meta-tests, the
// simulator's and the whole system's (a real broker, the simulator, the worker).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBroker, type TestBroker } from '@paystream/kafka-broker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo, scratchRepo, type Run, type ScratchRepo } from './scratch-repo.ts';

interface Walkthrough {
  /** The first sh block: the generator command, continuation lines and all. */
  readonly generate: string;
  /** The method id the command generates. */
  readonly name: string;
  /** The last sh block's commands, one a line, each starting at the repository's root, `<name>` filled in. */
  readonly checks: readonly string[];
}

function walkthrough(markdown: string): Walkthrough {
  const section = markdown.split(/^## Adding one: the generator$/m)[1]?.split(/^## /m)[0] ?? '';
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const generate = blocks[0] ?? '';
  const name = /^npm run plugin:new -- ([a-z][a-z0-9-]*) /.exec(generate)?.[1] ?? '';
  const checks = (blocks.length > 1 ? (blocks.at(-1) ?? '') : '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replaceAll('<name>', name));
  return { generate, name, checks };
}

const doc = walkthrough(readFileSync(join(repo, 'docs/plugins.md'), 'utf8'));
const { name } = doc;

/** What a failed command printed, its end first being what says why. */
const tail = (r: Run | undefined): string => (r ? `exit ${String(r.code)}\n${r.output.slice(-12_000)}` : 'did not run');

let broker: TestBroker | undefined;
let scratch: ScratchRepo | undefined;
let generated: Run | undefined;
let changed: string[] = [];

beforeAll(async () => {
  // The broker of this test run (KAFKA_BROKERS under `npm test`, else the project's test broker), handed
  // to the copy: its whole-system suite must not start a second broker with data of its own.
  broker = await ensureBroker();
  scratch = await scratchRepo('paystream-walkthrough-', { KAFKA_BROKERS: broker.brokers.join(',') });
  generated = await scratch.sh(doc.generate, scratch.dir, 150_000);
  changed = await scratch.changedPaths();
  // The generator's own `npm install` linked the package and updated the lockfile; the stamp says so,
  // as it would after scripts/run.sh's install, instead of the next command reinstalling everything.
  await scratch.stampInstall();
}, 240_000);

afterAll(async () => {
  scratch?.remove();
  await broker?.stop();
});

/** The paths the walk-through may touch: the plugin's folder and the lists the generator maintains. */
const allowed = [
  `plugins/${name}/`,
  `docs/methods/${name}.md`,
  'packages/worker/src/plugins.ts',
  'packages/worker/package.json',
  'package-lock.json',
  `packages/midtrans-sim/src/core-types/${name}.ts`,
  'packages/midtrans-sim/src/core-types/index.ts',
];
const outside = (paths: readonly string[]): string[] =>
  paths.filter((path) => !allowed.some((a) => (a.endsWith('/') ? path.startsWith(a) : path === a)));

describe("docs/plugins.md's walk-through, followed on a fresh clone", () => {
  it('reads one generator command, for a method the repository lacks, and the checks to run', () => {
    expect(doc.generate).toMatch(/^npm run plugin:new -- [a-z][a-z0-9-]* [^\n]*\\\n[^\n]*--no-interactive\n$/);
    expect(name).not.toBe('');
    expect(() => readFileSync(join(repo, 'plugins', name, 'package.json'))).toThrow();
    expect(doc.checks.length).toBeGreaterThanOrEqual(3);
    expect(doc.checks.some((c) => c.includes(`-p @paystream/plugin-${name}`))).toBe(true);
    expect(doc.checks.some((c) => c.includes(`plugins/plugins.spec.ts -t '^${name} '`))).toBe(true);
  });

  it("generates the method with `npm run plugin:new`, with the copy's own scripts and installed dependencies", () => {
    expect(generated?.code, tail(generated)).toBe(0);
    expect(generated?.output).not.toContain('paystream: installing dependencies');
    expect(generated?.output).toContain(`CREATE plugins/${name}/src/${name}.plugin.ts`);
    expect(generated?.output).toContain(`plugins/${name} is written and listed in the worker`);
  });

  it('changes nothing but the plugin folder, its method page and the lists the generator maintains', () => {
    expect(outside(changed)).toEqual([]);
    expect(changed).toEqual(expect.arrayContaining(allowed.filter((a) => !a.endsWith('/'))));
  });

  // The page's example is a Core API type whose simulator row the generator writes too, and the generated
  // declaration charges that row as it is: the declaration left to the author needs no change before
  // these checks, which therefore run on the plugin as generated.
  it.each(doc.checks.map((c) => [c] as const))(
    'passes `%s`',
    async (check) => {
      const r = await scratch?.sh(check, scratch.dir, 200_000);
      expect(r?.code, tail(r)).toBe(0);
      expect(r?.output).not.toContain('paystream: installing dependencies');
      // A check that ran nothing (a filter matching no test, a result from a cache) would prove nothing.
      expect(r?.output).not.toMatch(/existing outputs match the cache|No test files found/);
      if (check.includes('vitest run')) expect(r?.output).toMatch(/Tests\s+[1-9]\d* passed/);
      expect(outside(await (scratch?.changedPaths() ?? Promise.resolve([])))).toEqual([]);
    },
    240_000,
  );
});
