// Every Midtrans identifier of a command derives from its commandId, so a redelivered command
// re-sends the same X-EXTERNAL-ID / Idempotency-Key and Midtrans never charges twice.
import { randomUUID } from 'node:crypto';
import { deterministicUuid as uuidOf } from '@paystream/contracts';
import type { DerivedIds } from '@paystream/plugin-sdk';

export function deriveIds(commandId: string): DerivedIds {
  return {
    externalId: uuidOf(commandId, 'x-external-id'),
    idempotencyKey: uuidOf(commandId, 'idempotency-key'),
    refundNo: `rf-${uuidOf(commandId, 'refund').replace(/-/g, '').slice(0, 30)}`,
    // Inquiries change nothing; a fresh id each time keeps Midtrans from replaying a stale answer.
    inquiryId: randomUUID(),
  };
}
