// Everything a command is checked for before its order is looked at or a plugin runs, in this
// order: no card data in its key or headers; a value of at most 64 KiB, with no card data either,
// of UTF-8 JSON in the command schema; its order's id as its key; a plugin of this worker for its
// method and topic; a merchant this worker has; 3DS left on; details the plugin accepts. The first
// failed check is the refusal.
import { DLQ_MAX_PAYLOAD_BYTES, OrderId, PaymentCommand } from '@paystream/contracts';
import type { Operation, PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { issueList, quoted } from './bounded-text.ts';
import { containsCardNumber, disablesThreeDs, exponentsHoldCard, MAX_DETAILS_DEPTH, numbersHoldCard } from './guards.ts';
import { headersHoldCard } from './headers.ts';
import type { Refusal } from './outcome.ts';

export interface CommandRules {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  /** The topic a plugin's commands arrive on; the plugin's own topic when absent. */
  readonly commandTopic?: (plugin: PaymentMethodPlugin) => string;
  /** Whether a merchant (credential set) is configured; `undefined` names the default one. */
  readonly merchantKnown?: (merchant: string | undefined) => boolean;
}

export interface AcceptedCommand {
  /** With the details as the plugin parsed them. */
  readonly command: PaymentCommand;
  /** The details as sent: what the command's identity is made of. */
  readonly sentDetails: Readonly<Record<string, unknown>>;
  readonly plugin: PaymentMethodPlugin;
  readonly op: Operation;
}

type Named = Omit<Refusal, 'code' | 'message'>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_NAMED_METHOD = 64;

const CARD_MESSAGE = 'the command carries a card number (in its key, a header or its value); send a Midtrans card token instead';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const field = (v: unknown, k: string): string | undefined => {
  const x = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof x === 'string' ? x : undefined;
};

/** The identifiers of a command that may be repeated: only in their valid form, and none holding a card. */
export function named(json: unknown): Named {
  const orderId = field(json, 'orderId');
  const commandId = field(json, 'commandId');
  const method = field(json, 'method');
  const safe = (v: string | undefined, valid: (v: string) => boolean): v is string => v !== undefined && valid(v) && !containsCardNumber(v);
  return {
    ...(safe(orderId, (v) => OrderId.safeParse(v).success) ? { orderId } : {}),
    ...(safe(commandId, (v) => UUID.test(v)) ? { commandId } : {}),
    ...(safe(method, (v) => v.length <= MAX_NAMED_METHOD && KEBAB.test(v)) ? { method } : {}),
  };
}

/** The identifiers a readable value names, so that a refusal for its key or headers still reaches its order. */
function namedIn(value: Buffer | null): Named {
  if (!value || value.length > DLQ_MAX_PAYLOAD_BYTES) return {};
  try {
    return named(parseJson(strictUtf8.decode(value)));
  } catch {
    return {};
  }
}

/** The command's text, or why there is none to read. Card data in the key or headers is found first. */
function readValue(m: ConsumedMessage): Refusal | { text: string } {
  const { key, value, headers } = m.message;
  if ((key && containsCardNumber(lenientUtf8.decode(key))) || headersHoldCard(headers))
    return { ...namedIn(value), code: 'PS_ERR_COMMAND_CARD_DATA', message: CARD_MESSAGE };
  if (!value) return { code: 'PS_ERR_COMMAND_MALFORMED', message: 'the command has no value' };
  if (value.length > DLQ_MAX_PAYLOAD_BYTES)
    return {
      code: 'PS_ERR_COMMAND_TOO_LARGE',
      message: `the command is ${String(value.length)} bytes; at most ${String(DLQ_MAX_PAYLOAD_BYTES)} are accepted`,
    };
  try {
    return { text: strictUtf8.decode(value) };
  } catch {
    const malformed: Refusal = { code: 'PS_ERR_COMMAND_MALFORMED', message: 'the command is not UTF-8' };
    return containsCardNumber(lenientUtf8.decode(value)) ? { code: 'PS_ERR_COMMAND_CARD_DATA', message: CARD_MESSAGE } : malformed;
  }
}

/** The key the command arrived under, when it is UTF-8. */
function keyText(m: ConsumedMessage): string | undefined {
  try {
    return m.message.key ? strictUtf8.decode(m.message.key) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one consumed command; the refusal of the first check it fails, or the command accepted. */
export function checkCommand(m: ConsumedMessage, rules: CommandRules): Refusal | AcceptedCommand {
  const read = readValue(m);
  if ('code' in read) return read;
  const json = parseJson(read.text);
  const known = named(json);
  if (containsCardNumber(read.text) || exponentsHoldCard(read.text) || (json !== undefined && numbersHoldCard(json)))
    return { ...known, code: 'PS_ERR_COMMAND_CARD_DATA', message: CARD_MESSAGE };
  if (json === undefined) return { code: 'PS_ERR_COMMAND_MALFORMED', message: 'the command is not JSON' };
  const parsed = PaymentCommand.safeParse(json);
  if (!parsed.success) return { ...known, code: 'PS_ERR_COMMAND_INVALID', message: issueList('', parsed.error.issues) };
  const command = parsed.data;
  if (keyText(m) !== command.orderId)
    return {
      ...known,
      code: 'PS_ERR_COMMAND_KEY_MISMATCH',
      message: `the command's Kafka key is not its orderId ${command.orderId}: commands of one order must use the order id as their key`,
    };
  return checkForPlugin(command, m.topic, rules, known);
}

/** The checks that need the plugin: it handles the method on this topic, the merchant exists, 3DS stays on, the details fit. */
function checkForPlugin(command: PaymentCommand, topic: string, rules: CommandRules, known: Named): Refusal | AcceptedCommand {
  const plugin = rules.plugins.get(command.method);
  if (!plugin || (rules.commandTopic?.(plugin) ?? plugin.topic) !== topic)
    return { ...known, code: 'PS_ERR_COMMAND_UNKNOWN_METHOD', message: `no plugin handles method ${quoted(command.method)} on ${topic}` };
  if (rules.merchantKnown && !rules.merchantKnown(command.merchant))
    return {
      ...known,
      code: 'PS_ERR_COMMAND_UNKNOWN_MERCHANT',
      message: `no merchant (credential set) named ${quoted(command.merchant ?? '(default)')} is configured`,
    };
  if (disablesThreeDs(command.details))
    return {
      ...known,
      code: 'PS_ERR_COMMAND_3DS_DISABLED',
      message: `3-D Secure is decided by the backend and cannot be switched off by a command (details nested deeper than ${String(MAX_DETAILS_DEPTH)} levels count as switching it off)`,
    };
  const op = command.type.slice('payment.'.length) as Operation;
  if (!plugin.operations[op])
    return { ...known, code: 'PS_ERR_COMMAND_UNSUPPORTED', message: `${plugin.method} does not support ${command.type}` };
  // A charge must carry valid details. Later commands name the order only: what the charge needed
  // (a card token, a bank) lives in the order state, so empty details take the plugin's defaults.
  const omitted = op !== 'charge' && Object.keys(command.details).length === 0;
  const details = plugin.details.safeParse(command.details);
  if (!details.success && !omitted)
    return { ...known, code: 'PS_ERR_COMMAND_INVALID_DETAILS', message: issueList('details.', details.error.issues) };
  return {
    command: { ...command, details: details.success ? (details.data as Record<string, unknown>) : {} },
    sentDetails: command.details,
    plugin,
    op,
  };
}
