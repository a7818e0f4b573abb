// The audit trail of operator actions: each action an AuditEvent (@paystream/contracts), signed with
// the event-signing key exactly as result events are, so downstream verifies both with the same
// published keys, and written with acks=all to the audit topic, keyed by what it acted on.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Admin, Kafka, Producer } from 'kafkajs';
import {
  AUDIT_DETAIL_MAX,
  AuditEvent,
  canonicalEventBytes,
  type AuditAction,
  type AuditActor,
  type AuditEventData,
  type AuditTarget,
} from '@paystream/contracts';
import { codes, PaystreamError, type EventSigner } from '@paystream/core';
import { capText } from '../dispatch/bounded-text.ts';
import { keyHashPartitioner } from '../kafka/partitioner.ts';

export interface AuditRecord {
  readonly action: AuditAction;
  readonly target: AuditTarget;
  readonly outcome: AuditEventData['outcome'];
  /** What was done or why it was refused; written by Paystream itself, never a record's contents. */
  readonly detail: string;
  readonly count?: number;
}

/** The key and subject of an audit event: the order, the consumer group or the time range acted on. */
export function targetKey(target: AuditTarget): string {
  if (target.orderId !== undefined) return target.orderId;
  if (target.group !== undefined) return target.group;
  if (target.from !== undefined || target.to !== undefined) return `${target.from ?? ''}/${target.to ?? ''}`;
  return target.topic ?? target.at ?? target.method ?? '';
}

/** Who runs the CLI: `--actor NAME` when given, else the operating-system user at this host. */
export function cliActor(name?: string): AuditActor {
  if (name !== undefined) return { id: name, via: 'cli' };
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A container user without a passwd entry has a uid and nothing else.
    user = `uid-${String(process.getuid?.() ?? 'unknown')}`;
  }
  return { id: capText(`${user}@${hostname()}`, 200), via: 'cli' };
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/** The signed audit event of `record`, checked against the contract before anything is written. */
export function auditEvent(record: AuditRecord, actor: AuditActor, signer: EventSigner, now = new Date()): AuditEvent {
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: `paystream/${actor.via}`,
    type: `paystream.audit.${record.action}`,
    subject: targetKey(record.target),
    time: now.toISOString(),
    datacontenttype: 'application/json',
    paystreamkid: signer.keyId,
    data: {
      actor,
      action: record.action,
      target: record.target,
      outcome: record.outcome,
      detail: capText(record.detail.replace(CONTROL, ' '), AUDIT_DETAIL_MAX),
      ...(record.count !== undefined ? { count: record.count } : {}),
    },
  };
  const { signature, keyId } = signer.sign(canonicalEventBytes(event));
  return AuditEvent.parse({ ...event, paystreamkid: keyId, paystreamsig: signature });
}

/** Writes one operator's audit events; opened before the action, so that nothing is done that cannot be audited. */
export class AuditWriter {
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #signer: EventSigner;
  readonly #actor: AuditActor;

  private constructor(producer: Producer, topic: string, signer: EventSigner, actor: AuditActor) {
    this.#producer = producer;
    this.#topic = topic;
    this.#signer = signer;
    this.#actor = actor;
  }

  /** Refuses (codes.PS_ERR_EVENTS_AUDIT_TOPIC_MISSING) when the topic does not exist: it is never created here. */
  static async open(
    kafka: Kafka,
    admin: Pick<Admin, 'listTopics'>,
    topic: string,
    signer: EventSigner,
    actor: AuditActor,
  ): Promise<AuditWriter> {
    if (!(await admin.listTopics()).includes(topic)) throw new PaystreamError(codes.PS_ERR_EVENTS_AUDIT_TOPIC_MISSING, { topic });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: keyHashPartitioner,
    });
    await producer.connect();
    return new AuditWriter(producer, topic, signer, actor);
  }

  get actor(): AuditActor {
    return this.#actor;
  }

  /** Resolves once every in-sync replica holds the event. */
  async write(record: AuditRecord): Promise<AuditEvent> {
    const event = auditEvent(record, this.#actor, this.#signer);
    await this.#producer.send({
      topic: this.#topic,
      acks: -1,
      messages: [{ key: targetKey(record.target), value: JSON.stringify(event) }],
    });
    return event;
  }

  close(): Promise<void> {
    return this.#producer.disconnect();
  }
}
