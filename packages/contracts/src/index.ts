// @paystream/contracts: the messages Paystream consumes and publishes, and the tools downstream
// services need to trust them.
export * from './command.ts';
export * from './action.ts';
export * from './event.ts';
export * from './dlq.ts';
export * from './audit.ts';
export { canonicalEventBytes, canonicalJson } from './canonical.ts';
export { decryptField, decryptFields, verifyEvent, type DecryptedFields, type EventVerdict, type PublishedKey } from './verify.ts';
export { asyncApiDocument, CONTRACT_VERSION, jsonSchemas } from './schemas.ts';
