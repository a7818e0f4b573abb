// The release's SBOM generator: a CycloneDX 1.5 document of the third-party packages a production
// install ships, read from the real package-lock.json and from small lockfiles that pin each rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyclonedxSbom, npmPurl, type Lockfile } from '../../scripts/release/sbom.ts';
import { REPO_ROOT } from './release/artifact.ts';

const product = { name: 'paystream', version: '9.8.7', timestamp: '2026-01-02T03:04:05.000Z' };
const repoLock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;

describe('the release SBOM', () => {
  it('is a CycloneDX 1.5 document naming the product and every component by name, version and purl', () => {
    const sbom = cyclonedxSbom(repoLock, product);
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1 });
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sbom.metadata.component).toEqual({ type: 'application', 'bom-ref': 'paystream@9.8.7', name: 'paystream', version: '9.8.7' });
    expect(sbom.metadata.timestamp).toBe(product.timestamp);
    expect(sbom.components.length).toBeGreaterThan(10);
    for (const c of sbom.components) {
      expect(c.type).toBe('library');
      expect(c.purl).toBe(npmPurl(c.name, c.version));
      expect(c['bom-ref']).toBe(c.purl);
    }
    expect(new Set(sbom.components.map((c) => c.purl)).size).toBe(sbom.components.length);
  });

  it('lists kafkajs 2.2.4 with its purl and license, and no dev-only package nor workspace package', () => {
    const sbom = cyclonedxSbom(repoLock, product);
    expect(sbom.components.find((c) => c.name === 'kafkajs')).toMatchObject({
      version: '2.2.4',
      purl: 'pkg:npm/kafkajs@2.2.4',
      licenses: [{ license: { id: 'MIT' } }],
    });
    const names = new Set(sbom.components.map((c) => c.name));
    for (const devOnly of ['vitest', 'typescript', 'eslint', 'nx', 'prettier', 'midtrans-client'])
      expect(names.has(devOnly), devOnly).toBe(false);
    expect([...names].filter((n) => n.startsWith('@paystream/'))).toEqual([]);
  });

  it('applies each lockfile rule: dev, links, platforms, scopes, nesting, licenses and hashes', () => {
    const lock: Lockfile = {
      packages: {
        '': { name: 'paystream' },
        'packages/core': { name: '@paystream/core', version: '0.0.0' },
        'node_modules/@paystream/core': { link: true },
        'node_modules/@scope/lib': { version: '1.2.3', license: 'Apache-2.0', integrity: 'sha512-AAEC' },
        'node_modules/tool': { version: '4.0.0', dev: true },
        'node_modules/a/node_modules/b': { version: '2.0.0', license: '(MIT OR Apache-2.0)' },
        'node_modules/b': { version: '3.0.0', license: 'SEE LICENSE IN LICENSE.md' },
        'node_modules/native-darwin': { version: '1.0.0', os: ['darwin'] },
        'node_modules/native-musl': { version: '1.0.0', os: ['linux'], cpu: ['x64'], libc: ['musl'] },
        'node_modules/native-linux': { version: '1.0.0', os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
      },
    };
    const { components } = cyclonedxSbom(lock, product);
    expect(components.map((c) => c.purl)).toEqual([
      'pkg:npm/%40scope/lib@1.2.3',
      'pkg:npm/b@2.0.0',
      'pkg:npm/b@3.0.0',
      'pkg:npm/native-linux@1.0.0',
    ]);
    expect(components[0]).toMatchObject({
      name: '@scope/lib',
      licenses: [{ license: { id: 'Apache-2.0' } }],
      hashes: [{ alg: 'SHA-512', content: '000102' }],
    });
    expect(components[1]?.licenses).toEqual([{ expression: '(MIT OR Apache-2.0)' }]);
    expect(components[2]?.licenses).toEqual([{ license: { name: 'SEE LICENSE IN LICENSE.md' } }]);
    expect(components[3]?.licenses).toBeUndefined();
    expect(cyclonedxSbom(lock, product).serialNumber).toBe(cyclonedxSbom(lock, product).serialNumber);
  });
});
