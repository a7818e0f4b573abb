// A vitest global setup, core's and the whole-system tests': SoftHSM2 (a Debian package) and the local
// KMS emulator (a Go build) installed once, before any test file starts — inside a test, the install
// loads both cores while timing-sensitive tests (file watches, timeouts) run beside it. It imports the
// two modules, not the harness' index, which resolves the worker's CLI as a global setup cannot.
import { ensureLocalKms } from './local-kms.ts';
import { ensureSoftHsm } from './softhsm.ts';

export default function setup(): void {
  ensureSoftHsm();
  ensureLocalKms();
}
