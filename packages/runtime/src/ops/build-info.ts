// What is running: the product's version (the root package.json, the one place it is written, which
// the release artifact carries at the same place) and the Node.js that runs it.
import { readFileSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

/** The root manifest, four folders above this file in the repository and in the release artifact alike. */
const ROOT_MANIFEST = new URL('../../../../package.json', import.meta.url);

let version: string | undefined;

/** The product's version, read once from the root package.json. */
export function paystreamVersion(): string {
  if (version === undefined) {
    const manifest = JSON.parse(readFileSync(ROOT_MANIFEST, 'utf8')) as { version?: unknown };
    if (typeof manifest.version !== 'string' || manifest.version === '') throw new Error('the root package.json has no version');
    version = manifest.version;
  }
  return version;
}

/** `paystream_build_info{version,node} 1`: a dashboard joins it to any other series to tell releases apart. */
export function registerBuildInfo(registry: Registry): void {
  const info = new Gauge({
    name: 'paystream_build_info',
    help: 'The Paystream version and the Node.js version running it; always 1',
    labelNames: ['version', 'node'],
    registers: [registry],
  });
  info.set({ version: paystreamVersion(), node: process.versions.node }, 1);
}
