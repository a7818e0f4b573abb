// The release artifact runs where no Node.js, npm or repository is: built by the release script,
// extracted into an empty folder outside the repository, its `bin/paystream` prints the version and
// runs the worker — with nothing on PATH — that takes one payment of every method it ships from
// charge to a notification-verified success, then drains on SIGTERM and exits 0.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { payWhenAsked, until } from '@paystream/test-harness';
import { pluginModules } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { extractedArtifact, pathWithoutNode, rootVersion, type ExtractedArtifact } from './release/artifact.ts';
import { startArtifactRun, type ArtifactRun } from './release/artifact-run.ts';

const methods = Object.keys(pluginModules).sort();
let artifact: ExtractedArtifact;
let noNode: ReturnType<typeof pathWithoutNode>;

beforeAll(() => {
  artifact = extractedArtifact();
  noNode = pathWithoutNode();
  console.log(
    `release artifact: ${artifact.tarball}, ${(statSync(artifact.tarball).size / 2 ** 20).toFixed(1)} MiB, built in ${String(artifact.buildMs)} ms`,
  );
});
afterAll(() => {
  artifact.remove();
  noNode.remove();
});

describe('the release artifact', () => {
  it('extracts to one folder holding the runtime, the launchers, the sources, the dependencies, VERSION and the SBOM', () => {
    expect(artifact.topLevel).toEqual([`paystream-${rootVersion()}`]);
    const home = artifact.home;
    for (const file of ['node/bin/node', 'bin/paystream', 'bin/paystream-sim'])
      expect(statSync(join(home, file)).mode & 0o111, file).not.toBe(0);
    expect(readFileSync(join(home, 'VERSION'), 'utf8').trim()).toBe(rootVersion());
    expect(execFileSync(join(home, 'node/bin/node'), ['--version'], { env: noNode.env, encoding: 'utf8' }).trim()).toMatch(/^v24\./);
    expect(existsSync(join(home, 'packages/worker/src/cli/main.ts'))).toBe(true);
    expect(existsSync(join(home, 'packages/midtrans-sim/src/cli.ts'))).toBe(true);
    expect(existsSync(join(home, 'packages/worker/src/composition.spec.ts')), 'specs are not shipped').toBe(false);
    // Workspace packages are relative links that resolve inside the extracted folder.
    expect(lstatSync(join(home, 'node_modules/@paystream/runtime')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(home, 'node_modules/@paystream/runtime/src/index.ts'))).toBe(true);
    expect(existsSync(join(home, 'node_modules/vitest')), 'dev dependencies are not shipped').toBe(false);
    const fixed = (file: string): string => readFileSync(join(home, 'node_modules/kafkajs/src', file), 'utf8');
    expect(fixed('producer/sendMessages.js')).toContain('PAYSTREAM_PARTITION_ACKS');
    expect(fixed('network/requestQueue/index.js')).toContain('PAYSTREAM_IDLE_QUIET');
    const sbom = JSON.parse(readFileSync(join(home, 'sbom.cdx.json'), 'utf8')) as { specVersion: string; components: { purl: string }[] };
    expect(sbom.specVersion).toBe('1.5');
    expect(sbom.components.map((c) => c.purl)).toContain('pkg:npm/kafkajs@2.2.4');
  });

  it('prints the root package.json version with no Node.js on PATH, from any folder', () => {
    expect(noNode.nodeFound, '`command -v node` must fail under the test PATH').toBe(false);
    const printed = execFileSync(join(artifact.home, 'bin/paystream'), ['--version'], { cwd: '/', env: noNode.env, encoding: 'utf8' });
    expect(printed.trim()).toBe(rootVersion());
    const simHelp = execFileSync(join(artifact.home, 'bin/paystream-sim'), ['--help'], { cwd: '/', env: noNode.env, encoding: 'utf8' });
    expect(simHelp).toContain('usage: paystream-sim');
  });

  describe('bin/paystream worker', () => {
    let run: ArtifactRun | undefined;
    let smokeStarted = 0;

    beforeAll(async () => {
      smokeStarted = Date.now();
      run = await startArtifactRun({ home: artifact.home, env: noNode.env, brokers: inject('kafkaBrokers'), methods });
    });
    afterAll(async () => {
      await run?.close();
    });

    it('takes one payment of every method it ships to a verified success, then drains on SIGTERM and exits 0', async () => {
      const r = run;
      if (!r) throw new Error('the run did not start');
      const tag = Date.now().toString(36);
      const charges = await Promise.all(methods.map((method) => r.charge(method, `release-${method}-${tag}`)));
      await r.upstream.send(charges);
      const orders = charges.map((c) => c.orderId);
      await payWhenAsked(r.results, r.customers, orders, { timeoutMs: 120_000 });
      const succeeded = (): string[] => orders.filter((o) => r.results.paymentEvent(o, 'paystream.payment.succeeded'));
      await until(
        () => succeeded().length === orders.length,
        () => `succeeded: ${succeeded().join(', ')} of ${orders.join(', ')}; worker stderr: ${r.stderr()}`,
        { timeoutMs: 120_000 },
      );
      for (const c of charges) {
        const events = r.results.forOrder(c.orderId).map(({ event }) => event);
        expect(
          events.map((e) => e.type),
          c.orderId,
        ).toEqual(['paystream.payment.action_required', 'paystream.payment.succeeded']);
        const verified = events.map((e) => (e.type === 'paystream.command.rejected' ? e.data.code : e.data.verification));
        expect(verified, c.orderId).toEqual(['response', 'notification+inquiry']);
      }
      expect(r.results.problems).toEqual([]);
      expect(r.results.dlq).toEqual([]);
      const metrics = await (await fetch(`${r.opsUrl}/metrics`)).text();
      expect(metrics).toContain(`paystream_build_info{version="${rootVersion()}",node="24.`);
      r.worker.kill('SIGTERM');
      expect(await r.exit, r.stderr()).toBe(0);
      console.log(
        `release smoke: ${String(methods.length)} methods paid through the artifact's worker in ${String(Date.now() - smokeStarted)} ms`,
      );
    });
  });
});
