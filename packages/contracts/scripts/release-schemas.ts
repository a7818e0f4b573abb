// Keeps the JSON Schemas of a released contract version, the snapshot every later version is checked
// against (test/compatibility.spec.ts). Run when a contract version is released:
//   node packages/contracts/scripts/release-schemas.ts
// It copies docs/schemas/*.json, which must be up to date, into packages/contracts/released/<CONTRACT_VERSION>/
// once the version rule holds against the latest earlier snapshot, and never changes a snapshot once written.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { checkRelease, compareDocuments, compareVersions, contractVersionOf, parseVersion } from '../src/compatibility.ts';
import { CONTRACT_VERSION, jsonSchemas } from '../src/schemas.ts';
import { docsDir, renderedDocuments } from './generate.ts';

export const releasedDir = join(import.meta.dirname, '../released');

export type Schemas = Readonly<Record<string, unknown>>;

/** The versions kept under `dir`, oldest first. */
export function releasedVersions(dir = releasedDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && parseVersion(e.name) !== undefined)
    .map((e) => e.name)
    .sort(compareVersions);
}

/** The schemas kept for `version`, by message name. */
export function readRelease(version: string, dir = releasedDir): Schemas {
  const at = join(dir, version);
  return Object.fromEntries(
    readdirSync(at)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(at, file), 'utf8')) as unknown]),
  );
}

export interface ReleaseOutcome {
  /** `written`: a new snapshot; `unchanged`: the same one was already kept; `refused`: see `problems`. */
  readonly status: 'written' | 'unchanged' | 'refused';
  readonly problems: string[];
}

/** Keeps `schemas` as released `version` under `dir`, formatted as the repository formats JSON. */
export async function releaseSchemas(version: string, schemas: Schemas, dir = releasedDir): Promise<ReleaseOutcome> {
  const refused = (...problems: string[]): ReleaseOutcome => ({ status: 'refused', problems });
  const unstated = Object.entries(schemas).filter(([, schema]) => contractVersionOf(schema) !== version);
  if (unstated.length > 0) return refused(...unstated.map(([name]) => `${name} does not state contract version ${version}`));
  const target = join(dir, version);
  if (existsSync(target)) {
    if (isDeepStrictEqual(readRelease(version, dir), schemas)) return { status: 'unchanged', problems: [] };
    return refused(`released/${version} already holds other schemas: a released version never changes, so raise CONTRACT_VERSION`);
  }
  const previous = releasedVersions(dir)
    .filter((v) => compareVersions(v, version) < 0)
    .at(-1);
  if (previous !== undefined) {
    const problems = checkRelease(previous, version, compareDocuments(readRelease(previous, dir), schemas));
    if (problems.length > 0) return refused(...problems);
  }
  mkdirSync(target, { recursive: true });
  for (const [name, schema] of Object.entries(schemas)) {
    const file = join(target, `${name}.json`);
    writeFileSync(file, await format(JSON.stringify(schema, null, 2), { ...(await resolveConfig(file)), filepath: file }));
  }
  return { status: 'written', problems: [] };
}

/** The published schemas as docs/schemas holds them, refused when they are not what the zod schemas generate. */
function publishedSchemas(): Schemas {
  const stale = Object.entries(renderedDocuments()).filter(([file, text]) => {
    const path = join(docsDir, file);
    return file.startsWith('schemas/') && (!existsSync(path) || readFileSync(path, 'utf8') !== text);
  });
  if (stale.length > 0)
    throw new Error(
      `docs/${stale.map(([file]) => file).join(', docs/')} out of date: run node packages/contracts/scripts/generate.ts first`,
    );
  return Object.fromEntries(
    Object.keys(jsonSchemas()).map((name) => [name, JSON.parse(readFileSync(join(docsDir, 'schemas', `${name}.json`), 'utf8')) as unknown]),
  );
}

if (import.meta.main) {
  const outcome = await releaseSchemas(CONTRACT_VERSION, publishedSchemas());
  if (outcome.status === 'refused') {
    console.error(`contracts: not releasing ${CONTRACT_VERSION}:\n${outcome.problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`contracts: released/${CONTRACT_VERSION} ${outcome.status === 'written' ? 'written' : 'already holds these schemas'}`);
}
