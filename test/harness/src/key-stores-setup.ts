// Installs what the signer tests run against — SoftHSM2 (a Debian package) and the local KMS emulator
// (a Go build) — once, before any test file starts: done inside a test, the install loads both cores
// while timing-sensitive tests (file watches, timeouts) run beside it. The harness' modules are named
// one by one: its index resolves the worker's CLI, which a global setup cannot.
import { ensureLocalKms } from '../../../test/harness/src/local-kms.ts';
import { ensureSoftHsm } from '../../../test/harness/src/softhsm.ts';

export default function setup(): void {
  ensureSoftHsm();
  ensureLocalKms();
}
