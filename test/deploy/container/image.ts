// The image under test is built from this checkout: the release artifact made by `npm run release`
// (or the one PAYSTREAM_ARTIFACT names, when a pipeline made it in an earlier step), then
// infra/container/build-image.sh over it (the base is made here and reused by its hash).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runProgram } from './podman.ts';

export interface BuiltImage {
  readonly name: string;
  readonly artifact: string;
  readonly artifactSeconds: number;
  readonly imageSeconds: number;
}

async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await step();
  return [value, (Date.now() - started) / 1000];
}

async function releaseArtifact(): Promise<string> {
  const given = process.env['PAYSTREAM_ARTIFACT'];
  if (given) return given;
  const ran = await runProgram('bash', [join(REPO, 'scripts/run.sh'), 'node', join(REPO, 'scripts/release/build.ts')], 600_000);
  if (ran.code !== 0) throw new Error(`npm run release exited ${String(ran.code)}: ${ran.stderr.trim()}`);
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  return join(REPO, 'dist', `paystream-${version}-linux-x64.tar.gz`);
}

export async function buildWorkerImage(): Promise<BuiltImage> {
  const [artifact, artifactSeconds] = await timed(releaseArtifact);
  const [ran, imageSeconds] = await timed(() => runProgram(join(REPO, 'infra/container/build-image.sh'), [artifact], 600_000));
  if (ran.code !== 0) throw new Error(`infra/container/build-image.sh exited ${String(ran.code)}: ${ran.stderr.trim()}`);
  return { name: ran.stdout.trim(), artifact, artifactSeconds, imageSeconds };
}
