// @paystream/midtrans-sim: a faithful HTTPS Midtrans simulator. It imports no other Paystream package.
export { startSimulator, type RequestLogEntry, type Simulator, type SimulatorCredentials, type SimulatorOptions } from './server.ts';
export { writeDescriptor, type Descriptor } from './descriptor.ts';
export { FAULT_KINDS, type Fault, type FaultKind } from './faults.ts';
export { TEST_CARDS } from './three-ds.ts';
export { crc16, qrisPayload } from './qris.ts';
export { LIMITS, type LedgerEntry, type Tx } from './store.ts';
export { RETRY_MINUTES } from './webhooks.ts';
