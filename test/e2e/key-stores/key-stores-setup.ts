// SoftHSM2 and the local KMS emulator installed before any test file starts, so that their install
// (a Debian package, a Go build) never runs beside whole-system tests. The harness' modules are named
// one by one: its index resolves the worker's CLI, which a global setup cannot.
import { ensureLocalKms } from '../../harness/src/local-kms.ts';
import { ensureSoftHsm } from '../../harness/src/softhsm.ts';

export default function setup(): void {
  ensureSoftHsm();
  ensureLocalKms();
}
