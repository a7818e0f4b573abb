// The version is written once, in the root package.json: the repository's `paystream --version`
// prints it and the worker's metrics carry it; the artifact's launcher gives the worker its V8 flags.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paystreamVersion, WorkerMetrics } from '@paystream/runtime';
import { WORKER_NODE_FLAGS } from '@paystream/worker';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, rootVersion } from './release/artifact.ts';

describe('the release version', () => {
  it("is the root package.json version, printed by the repository's paystream --version", () => {
    expect(rootVersion()).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
    expect(paystreamVersion()).toBe(rootVersion());
    const printed = execFileSync('bash', [join(REPO_ROOT, 'packages/worker/bin/paystream'), '--version'], { encoding: 'utf8' });
    expect(printed.trim()).toBe(rootVersion());
  });

  it('is exported by the worker as paystream_build_info, beside the Node.js version', async () => {
    const metrics = await new WorkerMetrics().registry.metrics();
    expect(metrics).toContain(`paystream_build_info{version="${rootVersion()}",node="${process.versions.node}"} 1`);
  });

  it("gives the artifact launcher the worker's V8 flags", () => {
    const launcher = readFileSync(join(REPO_ROOT, 'scripts/release/launchers/paystream'), 'utf8');
    expect(launcher).toContain(`"$root/node/bin/node" ${WORKER_NODE_FLAGS.join(' ')} "$root/packages/worker/src/cli/main.ts" "$@"`);
  });
});
