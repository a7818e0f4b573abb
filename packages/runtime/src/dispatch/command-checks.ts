// Everything a command is checked for before its order is looked at or a plugin runs, in this
// order: no card data in its key or headers; a value of at most 64 KiB, with no card data either,
// of UTF-8 JSON in the command schema; its order's id as its key; a plugin of this worker for its
// method and topic; a merchant this worker has; 3DS left on; details the plugin accepts. The first
// failed check is the refusal.
import { PaymentCommand } from '@paystream/contracts';
import { codes, containsCardNumber, exponentsHoldCard, numbersHoldCard } from '@paystream/core';
import type { Operation, PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { issueList, quoted } from './bounded-text.ts';
import { refusal, type Refusal } from './outcome.ts';
import { cardRefusal, keyText, named, parseJson, readValue, type Named } from './raw-command.ts';
import { disablesThreeDs, MAX_DETAILS_DEPTH } from './three-ds.ts';

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

/** Checks one consumed command; the refusal of the first check it fails, or the command accepted. */
export function checkCommand(m: ConsumedMessage, rules: CommandRules): Refusal | AcceptedCommand {
  const read = readValue(m);
  if ('code' in read) return read;
  const json = parseJson(read.text);
  const known = named(json);
  if (containsCardNumber(read.text) || exponentsHoldCard(read.text) || (json !== undefined && numbersHoldCard(json)))
    return cardRefusal(known);
  if (json === undefined) return refusal(codes.PS_ERR_COMMAND_MALFORMED, { problem: 'is not JSON' });
  const parsed = PaymentCommand.safeParse(json);
  if (!parsed.success) return refusal(codes.PS_ERR_COMMAND_INVALID, { issues: issueList('', parsed.error.issues) }, known);
  const command = parsed.data;
  if (keyText(m) !== command.orderId) return refusal(codes.PS_ERR_COMMAND_KEY_MISMATCH, { orderId: command.orderId }, known);
  return checkForPlugin(command, m.topic, rules, known);
}

/** The checks that need the plugin: it handles the method on this topic, the merchant exists, 3DS stays on, the details fit. */
function checkForPlugin(command: PaymentCommand, topic: string, rules: CommandRules, known: Named): Refusal | AcceptedCommand {
  const plugin = rules.plugins.get(command.method);
  if (!plugin || (rules.commandTopic?.(plugin) ?? plugin.topic) !== topic)
    return refusal(codes.PS_ERR_COMMAND_UNKNOWN_METHOD, { method: quoted(command.method), topic }, known);
  if (rules.merchantKnown && !rules.merchantKnown(command.merchant))
    return refusal(codes.PS_ERR_COMMAND_UNKNOWN_MERCHANT, { merchant: quoted(command.merchant ?? '(default)') }, known);
  if (disablesThreeDs(command.details)) return refusal(codes.PS_ERR_COMMAND_3DS_DISABLED, { depth: MAX_DETAILS_DEPTH }, known);
  const op = command.type.slice('payment.'.length) as Operation;
  if (!plugin.operations[op]) return refusal(codes.PS_ERR_COMMAND_UNSUPPORTED, { method: plugin.method, type: command.type }, known);
  // A charge must carry valid details. Later commands name the order only: what the charge needed
  // (a card token, a bank) lives in the order state, so empty details take the plugin's defaults.
  const omitted = op !== 'charge' && Object.keys(command.details).length === 0;
  const details = plugin.details.safeParse(command.details);
  if (!details.success && !omitted)
    return refusal(codes.PS_ERR_COMMAND_INVALID_DETAILS, { issues: issueList('details.', details.error.issues) }, known);
  return {
    command: { ...command, details: details.success ? (details.data as Record<string, unknown>) : {} },
    sentDetails: command.details,
    plugin,
    op,
  };
}
