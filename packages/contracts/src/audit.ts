// Audit events on `paystream.audit` (key = the target): what an operator did to Paystream's data
// through the CLI or the console, who did it, and how it ended. The same CloudEvents envelope and
// signature as the result events, so one verifier (`verifyEvent`) and one set of published keys serve both.
import { z } from 'zod';
import { OrderId } from './command.ts';
import { RejectedEvent } from './event.ts';

/**
 * Every action an audit event records; the type is `paystream.audit.<action>`. The console's actions
 * are listed from the start, so that it adds records, not a contract version.
 */
export const AUDIT_ACTIONS = [
  'events_republished',
  'group_reset',
  'refund_requested',
  'refund_approved',
  'action_refused',
  'dlq_replayed',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS).meta({ id: 'AuditAction' });
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_EVENT_TYPES = AUDIT_ACTIONS.map((a) => `paystream.audit.${a}` as const);

/** The most text a `detail` holds: it says what was done in a line or two, never a record's contents. */
export const AUDIT_DETAIL_MAX = 1000;

const time = z.iso.datetime({ offset: true });

export const AuditActor = z
  .strictObject({
    id: z.string().min(1).max(200).describe("Who acted: the signed-in user of the console, or the CLI's --actor (by default user@host)."),
    via: z.enum(['cli', 'console']),
  })
  .meta({ id: 'AuditActor' });
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditTarget = z
  .strictObject({
    orderId: OrderId.optional(),
    from: time.optional().describe('The start of the time range acted on (inclusive).'),
    to: time.optional().describe('The end of the time range acted on (exclusive).'),
    at: time.optional().describe('The point in time the action moved to (a consumer group reset to a time).'),
    method: z.string().max(64).optional().describe('The payment method the action was limited to.'),
    group: z.string().max(249).optional().describe('The consumer group acted on.'),
    topic: z.string().max(249).optional().describe('The topic acted on.'),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), { message: 'an audit event names what it acted on' })
  .meta({ id: 'AuditTarget', description: 'What the action acted on: an order, a time range, a consumer group; at least one field.' });
export type AuditTarget = z.infer<typeof AuditTarget>;

export const AuditEventData = z
  .strictObject({
    actor: AuditActor,
    action: AuditAction,
    target: AuditTarget,
    outcome: z.enum(['done', 'refused', 'dry_run']),
    detail: z.string().max(AUDIT_DETAIL_MAX).describe('What was done or why it was refused, in words; no secret and no personal data.'),
    count: z.number().int().min(0).optional().describe('How many records or partitions the action covered.'),
  })
  .meta({ id: 'AuditEventData' });
export type AuditEventData = z.infer<typeof AuditEventData>;

/** The result events' envelope, field for field: only the type and the data differ. */
const envelope = RejectedEvent.omit({ type: true, data: true });

export const AuditEvent = envelope
  .extend({ type: z.enum(AUDIT_EVENT_TYPES), data: AuditEventData })
  .refine((e) => e.type === `paystream.audit.${e.data.action}`, { message: 'the type names the action of the data', path: ['type'] })
  .meta({ id: 'AuditEvent', description: 'A CloudEvents 1.0 audit event on paystream.audit, signed as result events are.' });
export type AuditEvent = z.infer<typeof AuditEvent>;
export type UnsignedAuditEvent = Omit<AuditEvent, 'paystreamsig' | 'paystreamkid'>;
