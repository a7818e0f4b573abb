// The release's software bill of materials: a CycloneDX 1.5 JSON document listing every third-party
// package the artifact ships, read from package-lock.json — the dependencies a production install
// puts on a linux-x64 machine, without the dev-only ones and without the workspace's own packages.
import { createHash } from 'node:crypto';

/** The fields of a package-lock.json (lockfileVersion 3) entry this reads. */
export interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly license?: string;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
  readonly libc?: readonly string[];
}

export interface Lockfile {
  readonly packages: Readonly<Record<string, LockEntry>>;
}

export interface SbomComponent {
  readonly type: 'library';
  readonly 'bom-ref': string;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly licenses?: readonly (
    { readonly license: { readonly id: string } | { readonly name: string } } | { readonly expression: string }
  )[];
  readonly hashes?: readonly { readonly alg: 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1'; readonly content: string }[];
  readonly externalReferences?: readonly { readonly type: 'distribution'; readonly url: string }[];
}

export interface Sbom {
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: '1.5';
  readonly serialNumber: string;
  readonly version: 1;
  readonly metadata: {
    readonly timestamp: string;
    readonly tools: { readonly components: readonly { readonly type: 'application'; readonly name: string; readonly version: string }[] };
    readonly component: { readonly type: 'application'; readonly 'bom-ref': string; readonly name: string; readonly version: string };
  };
  readonly components: readonly SbomComponent[];
}

export interface Product {
  readonly name: string;
  readonly version: string;
  /** ISO 8601; the commit's time, so that the same commit gives the same document. */
  readonly timestamp: string;
}

const LOCK_HASH_ALGS: Readonly<Record<string, 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1'>> = {
  sha512: 'SHA-512',
  sha384: 'SHA-384',
  sha256: 'SHA-256',
  sha1: 'SHA-1',
};

/** npm's os/cpu/libc lists: allowed values, or `!value` exclusions. */
function allows(list: readonly string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  return list.includes(value) || list.every((v) => v.startsWith('!'));
}

/** Whether `npm ci --omit=dev` on linux-x64 (glibc) installs the entry at this lockfile path. */
export function shipped(path: string, entry: LockEntry): boolean {
  if (!path.includes('node_modules/') || entry.link === true || entry.dev === true) return false;
  return allows(entry.os, 'linux') && allows(entry.cpu, 'x64') && allows(entry.libc, 'glibc');
}

/** The package URL of an npm package: the scope's `@` is percent-encoded. */
export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;
}

function licensesOf(license: string | undefined): SbomComponent['licenses'] {
  if (license === undefined || license.trim() === '') return undefined;
  const text = license.trim();
  if (/^[A-Za-z0-9.+-]+$/.test(text)) return [{ license: { id: text } }];
  if (/\b(?:OR|AND|WITH)\b/.test(text)) return [{ expression: text }];
  return [{ license: { name: text } }];
}

function hashesOf(integrity: string | undefined): SbomComponent['hashes'] {
  const [alg, digest] = integrity?.split(' ')[0]?.split('-', 2) ?? [];
  const cdxAlg = alg === undefined ? undefined : LOCK_HASH_ALGS[alg];
  if (!cdxAlg || !digest) return undefined;
  return [{ alg: cdxAlg, content: Buffer.from(digest, 'base64').toString('hex') }];
}

function componentOf(path: string, entry: LockEntry): SbomComponent | undefined {
  const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  if (!entry.version) return undefined;
  const purl = npmPurl(name, entry.version);
  const licenses = licensesOf(entry.license);
  const hashes = hashesOf(entry.integrity);
  return {
    type: 'library',
    'bom-ref': purl,
    name,
    version: entry.version,
    purl,
    ...(licenses ? { licenses } : {}),
    ...(hashes ? { hashes } : {}),
    ...(entry.resolved ? { externalReferences: [{ type: 'distribution' as const, url: entry.resolved }] } : {}),
  };
}

/** The third-party components a production install ships, one per package URL, sorted. */
export function shippedComponents(lock: Lockfile): SbomComponent[] {
  const byPurl = new Map<string, SbomComponent>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!shipped(path, entry)) continue;
    const component = componentOf(path, entry);
    if (component && !byPurl.has(component.purl)) byPurl.set(component.purl, component);
  }
  return [...byPurl.values()].sort((a, b) => a.purl.localeCompare(b.purl));
}

/** A UUID made from the document's content: the same lockfile and product give the same serial number. */
function contentUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function cyclonedxSbom(lock: Lockfile, product: Product): Sbom {
  const components = shippedComponents(lock);
  const ref = `${product.name}@${product.version}`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${contentUuid(JSON.stringify({ ref, components }))}`,
    version: 1,
    metadata: {
      timestamp: product.timestamp,
      tools: { components: [{ type: 'application', name: `${product.name}-release`, version: product.version }] },
      component: { type: 'application', 'bom-ref': ref, name: product.name, version: product.version },
    },
    components,
  };
}
