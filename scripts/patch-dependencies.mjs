// Installs the project's fixes to its dependencies over what npm installed (run by npm after every
// install). Each fix names the exact version it was made for: another version fails the install, so
// an upgrade is a deliberate step that looks at the fix again rather than one that silently drops it.
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const FIXES = [
  {
    // A retried send could resolve without writing a partition whose leader moved (docs/adr/0012-kafkajs-send-retry.md).
    pkg: 'kafkajs',
    version: '2.2.4',
    file: 'src/producer/sendMessages.js',
    fixed: join(root, 'scripts', 'patches', 'kafkajs', 'sendMessages.js'),
  },
  {
    // An idle connection re-armed a 1 ms timer forever: thousands of wake-ups a second per worker (docs/adr/0012-kafkajs-send-retry.md).
    pkg: 'kafkajs',
    version: '2.2.4',
    file: 'src/network/requestQueue/index.js',
    fixed: join(root, 'scripts', 'patches', 'kafkajs', 'requestQueue.js'),
  },
];

for (const fix of FIXES) {
  const pkgDir = dirname(require.resolve(`${fix.pkg}/package.json`));
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (version !== fix.version) {
    console.error(`paystream: ${fix.pkg} ${version} is installed; the fix of ${fix.file} was made for ${fix.version}. Look at it again.`);
    process.exit(1);
  }
  const target = join(pkgDir, fix.file);
  if (readFileSync(target, 'utf8') !== readFileSync(fix.fixed, 'utf8')) copyFileSync(fix.fixed, target);
}
