// @paystream/test-harness: the whole system for end-to-end tests, reliability suites and benchmarks.
export { Cleanup } from './cleanup.ts';
export { eventProblems, ResultCollector, type CollectedEvent, type DlqEntry, type Problem } from './collector.ts';
export { Customers, SANDBOX_CARD } from './customers.ts';
export { publishedKeyOf } from './event-keys.ts';
export { NotificationForwarder, type ForwardedRequest } from './forwarder.ts';
export { HttpsClient } from './https-client.ts';
export { checkLedger, type LedgerReport } from './ledger.ts';
export { ensureLocalKms, startLocalKms, type LocalKms } from './local-kms.ts';
export { findInLogs, readLogLines, type LogLine } from './logs.ts';
export { payWhenAsked, type PayOptions } from './payer.ts';
export { startNpmRegistry, type NpmRegistry } from './npm-registry.ts';
export { freePort } from './ports.ts';
export {
  SimAdmin,
  startRunSimulator,
  type FaultRequest,
  type RunningSimulator,
  type TransactionRef,
  type WebhookSettings,
} from './simulator.ts';
export { applyRunAcls, securedAccess, type RunAccess, type SecuredRun, type WorkerAuth } from './secured.ts';
export { defaultDetails, startSystem, type PaystreamSystem, type SystemOptions } from './system.ts';
export { createSoftHsmToken, ensureSoftHsm, type SoftHsmToken, type SoftHsmTokenOptions } from './softhsm.ts';
export { createRunTopics, deleteRunTopics, PARTITIONS } from './topics.ts';
export { until, type UntilOptions } from './until.ts';
export { chargeCommand, Upstream, type ChargeSpec, type RawMessage } from './upstream.ts';
export { PAYSTREAM_CLI, WorkerFleet, type FleetOptions, type WorkerSlot } from './workers.ts';
export { generateMerchantKey, runPaystream, systemCliFlags, type CliRun, type GeneratedKey } from './operator-cli.ts';
