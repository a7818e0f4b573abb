// SoftHSM2 tokens for tests of the HSM signer: the package installed once (scripts/install-softhsm.sh)
// and a throw-away token directory with its own softhsm2.conf, so that no test touches the system's
// tokens. SoftHSM reads SOFTHSM2_CONF at C_Initialize: set it before the process first uses the module.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL_SCRIPT = join(import.meta.dirname, '../../../scripts/install-softhsm.sh');

/** Installs SoftHSM2 when missing and returns the path of its PKCS#11 module. */
export function ensureSoftHsm(): string {
  const printed = execFileSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 900_000 }).trim().split('\n');
  const module = printed[printed.length - 1];
  if (module === undefined || module === '') throw new Error('scripts/install-softhsm.sh printed no module path');
  return module;
}

export interface SoftHsmTokenOptions {
  readonly label: string;
  /** The user PIN (SoftHSM wants 4 to 255 characters). */
  readonly pin: string;
  /** The security officer's PIN. */
  readonly soPin: string;
}

export interface SoftHsmToken {
  /** The PKCS#11 module to load. */
  readonly module: string;
  readonly confFile: string;
  readonly tokenDir: string;
  /** What a process needs in its environment to see these tokens. */
  readonly env: { readonly SOFTHSM2_CONF: string };
  /** Initialises one more token in the same directory (a process sees it after its next C_Initialize). */
  addToken(options: SoftHsmTokenOptions): void;
  /** Deletes the token directory and the configuration. */
  remove(): void;
}

function initToken(confFile: string, { label, pin, soPin }: SoftHsmTokenOptions): void {
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: confFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** A new token directory with one initialised token in it, SoftHSM installed if needed. */
export function createSoftHsmToken(options: SoftHsmTokenOptions): SoftHsmToken {
  const module = ensureSoftHsm();
  const root = mkdtempSync(join(tmpdir(), 'paystream-softhsm-'));
  const tokenDir = join(root, 'tokens');
  const confFile = join(root, 'softhsm2.conf');
  mkdirSync(tokenDir, { mode: 0o700 });
  writeFileSync(confFile, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const token: SoftHsmToken = {
    module,
    confFile,
    tokenDir,
    env: { SOFTHSM2_CONF: confFile },
    addToken: (more) => initToken(confFile, more),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  try {
    initToken(confFile, options);
  } catch (err) {
    token.remove();
    throw err;
  }
  return token;
}
