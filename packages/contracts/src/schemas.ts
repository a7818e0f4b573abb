// JSON Schema and AsyncAPI 3 generated from the zod schemas, so the documents can never drift from
// the code (docs/schemas/, docs/asyncapi.yaml; a test fails when they are stale).
import { z } from 'zod';
import { AuditEvent } from './audit.ts';
import { PaymentCommand } from './command.ts';
import { DlqRecord } from './dlq.ts';
import { ResultEvent } from './event.ts';

/**
 * The contract's version, published as the AsyncAPI info.version and in every JSON Schema: minor for
 * additive changes, major for anything a consumer could break on (docs/contracts.md, "Evolving the
 * contracts"; src/compatibility.ts tells them apart).
 */
export const CONTRACT_VERSION = '1.2.0';

/**
 * Where each published JSON Schema states the contract version it belongs to. Its `$id` stays the
 * same from version to version (`https://paystream.dev/schemas/<name>.json`): a message keeps its
 * identity while its contract evolves compatibly, and a snapshot of a released version
 * (packages/contracts/released/) differs from the current schema only where the message did.
 */
export const CONTRACT_VERSION_KEYWORD = 'x-paystream-contract-version';
export const SCHEMA_ID_BASE = 'https://paystream.dev/schemas/';

const roots = { PaymentCommand, ResultEvent, DlqRecord, AuditEvent } as const;

/**
 * Leaves out the fields an action kind declares absent (`{ not: {} }`): its object refuses unknown
 * fields anyway, so the schema says the same without listing every other kind's fields.
 */
function withoutAbsentFields(ctx: {
  zodSchema: { _zod: { def: { type: string } } };
  jsonSchema: { properties?: Record<string, unknown> };
}): void {
  const props = ctx.jsonSchema.properties;
  if (ctx.zodSchema._zod.def.type !== 'object' || !props) return;
  ctx.jsonSchema.properties = Object.fromEntries(Object.entries(props).filter(([, value]) => JSON.stringify(value) !== '{"not":{}}'));
}

export function jsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(roots).map(([name, schema]) => {
      const { $schema, ...rest } = z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'any',
        override: withoutAbsentFields,
      });
      return [name, { $schema, $id: `${SCHEMA_ID_BASE}${name}.json`, [CONTRACT_VERSION_KEYWORD]: CONTRACT_VERSION, ...rest }];
    }),
  );
}

export function asyncApiDocument(): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/messages/${name}` });
  return {
    asyncapi: '3.0.0',
    info: { title: 'Paystream', version: CONTRACT_VERSION, description: 'Payment commands in, verified Midtrans result events out.' },
    channels: {
      commands: {
        address: 'paystream.commands.{method}',
        parameters: { method: { description: 'The payment-method plugin id, e.g. gopay.' } },
        messages: { PaymentCommand: ref('PaymentCommand') },
      },
      results: { address: 'paystream.results', messages: { ResultEvent: ref('ResultEvent') } },
      deadLetters: {
        address: 'paystream.commands.{method}.dlq',
        parameters: { method: { description: 'The payment-method plugin id.' } },
        messages: { DlqRecord: ref('DlqRecord') },
      },
      audit: { address: 'paystream.audit', messages: { AuditEvent: ref('AuditEvent') } },
    },
    operations: {
      consumeCommands: {
        action: 'receive',
        channel: { $ref: '#/channels/commands' },
        summary: 'Upstream services publish commands keyed by orderId.',
      },
      publishResults: {
        action: 'send',
        channel: { $ref: '#/channels/results' },
        summary: 'Signed CloudEvents keyed by orderId; ids are deterministic for deduplication.',
      },
      publishDeadLetters: {
        action: 'send',
        channel: { $ref: '#/channels/deadLetters' },
        summary: 'Commands refused as invalid or forbidden, with the reason in headers.',
      },
      publishAudit: {
        action: 'send',
        channel: { $ref: '#/channels/audit' },
        summary:
          "Signed CloudEvents keyed by their target: each operator action (re-delivery, a consumer group's reset), who took it and how it ended.",
      },
    },
    components: {
      messages: {
        PaymentCommand: { contentType: 'application/json', payload: { $ref: './schemas/PaymentCommand.json' } },
        ResultEvent: { contentType: 'application/cloudevents+json', payload: { $ref: './schemas/ResultEvent.json' } },
        DlqRecord: { contentType: 'application/json', payload: { $ref: './schemas/DlqRecord.json' } },
        AuditEvent: { contentType: 'application/cloudevents+json', payload: { $ref: './schemas/AuditEvent.json' } },
      },
    },
  };
}
