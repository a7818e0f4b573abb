// @paystream/security-tests: what other suites reuse — the scan of a run's output for its secrets.
export {
  describeFindings,
  scanForSecrets,
  secretScanner,
  type Finding,
  type FindingKind,
  type RunSecrets,
  type SecretScanner,
} from './secret-scan.ts';
export { normaliseDigits } from './card-patterns.ts';
