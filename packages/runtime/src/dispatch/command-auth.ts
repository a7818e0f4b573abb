// Which upstream sent a command, checked before anything of it is read: its signature over the
// value's exact bytes (core's command key ring), then, once it is parsed, whether that upstream may
// send its method, type and merchant. A refusal for the signature names no order, since nothing of
// an unauthenticated command is trusted: no rejected event is written for an order it claims.
import { codes, verifyCommand, type CommandSigner, type CommandVerdict, type SignedCommand } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { COMMAND_KEY_ID, COMMAND_SIGNATURE } from './headers.ts';
import { refusal, type Refusal } from './outcome.ts';

/** What verifies commands (core's CommandKeyRing). */
export interface CommandAuth {
  verify(command: SignedCommand): CommandVerdict;
  denies(
    signer: CommandSigner,
    command: { readonly method: string; readonly type: string; readonly merchant?: string | undefined },
  ): string | undefined;
}

/** Without a key ring no key is known: unsigned commands pass, a signed one is refused as core refuses an unknown key. */
const NO_KEYS: CommandAuth = {
  verify: (c) => verifyCommand({ keys: new Map() }, c, false),
  denies: () => undefined,
};

export interface AuthRules {
  readonly commandAuth?: CommandAuth | undefined;
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly commandTopic?: (plugin: PaymentMethodPlugin) => string;
}

/** The method whose topic the command arrived on: a closed set, safe to name in metrics and logs. */
function methodOfTopic(topic: string, rules: AuthRules): { method?: string } {
  for (const plugin of rules.plugins.values())
    if ((rules.commandTopic?.(plugin) ?? plugin.topic) === topic) return { method: plugin.method };
  return {};
}

function refusalOf(verdict: Exclude<CommandVerdict, { ok: true }>, known: { method?: string }): Refusal {
  switch (verdict.reason) {
    case 'unsigned':
      return refusal(codes.PS_ERR_COMMAND_UNSIGNED, {}, known);
    case 'malformed':
      return refusal(codes.PS_ERR_COMMAND_BAD_SIGNATURE, { problem: verdict.problem }, known);
    case 'unknown-key':
      return refusal(codes.PS_ERR_COMMAND_UNKNOWN_SIGNING_KEY, { keyId: verdict.keyId }, known);
    case 'revoked':
      return refusal(codes.PS_ERR_COMMAND_SIGNING_KEY_REVOKED, { keyId: verdict.keyId, upstream: verdict.upstream }, known);
    case 'bad-signature':
      return refusal(
        codes.PS_ERR_COMMAND_BAD_SIGNATURE,
        { problem: `does not verify over its value with key ${verdict.keyId} of upstream ${verdict.upstream}` },
        known,
      );
  }
}

/** The command's signer (none for an unsigned command where that is allowed), or the refusal of its signature. */
export function authenticate(m: ConsumedMessage, rules: AuthRules): Refusal | { signer: CommandSigner | undefined } {
  const { value, headers } = m.message;
  const verdict = (rules.commandAuth ?? NO_KEYS).verify({
    value: value ?? Buffer.alloc(0),
    keyId: headers?.[COMMAND_KEY_ID],
    signature: headers?.[COMMAND_SIGNATURE],
  });
  return verdict.ok ? { signer: verdict.signer } : refusalOf(verdict, methodOfTopic(m.topic, rules));
}

/** The refusal of a parsed command its signer may not send; undefined when it may (or it is unsigned and allowed to be). */
export function authorize(
  signer: CommandSigner | undefined,
  command: {
    readonly method: string;
    readonly type: string;
    readonly merchant?: string | undefined;
    readonly orderId: string;
    readonly commandId: string;
  },
  rules: AuthRules,
): Refusal | undefined {
  if (!signer || !rules.commandAuth) return undefined;
  const what = rules.commandAuth.denies(signer, command);
  if (what === undefined) return undefined;
  // The signer is authenticated: the refusal may name the order, so its upstream hears of it.
  const { orderId, commandId, method } = command;
  return refusal(
    codes.PS_ERR_COMMAND_SIGNER_NOT_ALLOWED,
    { upstream: signer.grant.name, keyId: signer.keyId, what },
    { orderId, commandId, method },
  );
}
