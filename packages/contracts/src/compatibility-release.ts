// The version rule of the contract: a breaking change needs a higher major version, an additive one
// at least a higher minor version (docs/contracts.md, "Evolving the contracts").
import type { Comparison } from './compatibility-types.ts';
import { CONTRACT_VERSION_KEYWORD } from './schemas.ts';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** Orders two versions (negative when `a` comes first); throws on a string that is not one. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  if (!x || !y) throw new Error(`not a contract version (major.minor.patch): ${!x ? a : b}`);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** The contract version a published JSON Schema states, if it states one. */
export function contractVersionOf(schema: unknown): string | undefined {
  const version = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>)[CONTRACT_VERSION_KEYWORD] : undefined;
  return typeof version === 'string' ? version : undefined;
}

/**
 * What is wrong with publishing `result` (the changes since `releasedVersion`) as `currentVersion`:
 * each breaking change without a higher major version, each additive change without at least a
 * higher minor version, and a version lower than the released one. Empty when the release may go.
 */
export function checkRelease(releasedVersion: string, currentVersion: string, result: Comparison): string[] {
  const released = parseVersion(releasedVersion);
  const current = parseVersion(currentVersion);
  if (!released || !current) return [`not a contract version (major.minor.patch): ${!released ? releasedVersion : currentVersion}`];
  const problems: string[] = [];
  if (compareVersions(currentVersion, releasedVersion) < 0)
    problems.push(`version ${currentVersion} is lower than the released version ${releasedVersion}`);
  const major = current.major > released.major;
  const minor = major || (current.major === released.major && current.minor > released.minor);
  if (!major)
    for (const c of result.breaking)
      problems.push(`${c.path}: ${c.message} (breaking: needs version ${released.major + 1}.0.0 or later, not ${currentVersion})`);
  if (!minor)
    for (const c of result.additive)
      problems.push(
        `${c.path}: ${c.message} (additive: needs version ${released.major}.${released.minor + 1}.0 or later, not ${currentVersion})`,
      );
  return problems;
}
