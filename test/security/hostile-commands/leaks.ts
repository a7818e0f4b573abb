// What the run must never show: the card numbers the attack carried and the secrets the run held.
// The fixed cards and the secrets are found in any spelling by the security suite's scanner; the
// thousands of random cards by their digits, however separated. The project's own card detector
// (`containsCardNumber`) looks for any card-like number only where attacker text is kept masked (DLQ
// keys and payloads): elsewhere the worker's own trace ids and durations hold Luhn-valid digit runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containsCardNumber } from '@paystream/runtime';
import type { PaystreamSystem } from '@paystream/test-harness';
import { normaliseDigits } from '../src/card-patterns.ts';
import { describeFindings, secretScanner, type RunSecrets } from '../src/secret-scan.ts';

/** Every access token the simulator issues from now on, for the scan. */
export function recordAccessTokens(system: PaystreamSystem): ReadonlySet<string> {
  const tokens = new Set<string>();
  const store = system.simulator.sim.store.tokens;
  for (const token of store.keys()) tokens.add(token);
  const issue = store.set.bind(store);
  store.set = (token, entry) => (tokens.add(token), issue(token, entry));
  return tokens;
}

/** The secret files the worker's configuration names, read back, and the access tokens of the run. */
export function runSecrets(system: PaystreamSystem, accessTokens: ReadonlySet<string>): RunSecrets {
  const keys = join(system.dir, 'worker-keys');
  const read = (file: string): string => readFileSync(file, 'utf8').trim();
  const descriptor = JSON.parse(read(system.simulator.descriptorPath)) as { credentials: { merchantPrivateKeyPath: string } };
  const values: Record<string, string> = {
    clientSecret: read(join(keys, 'client-secret')),
    serverKey: read(join(keys, 'server-key')),
    'event encryption key': read(join(keys, 'event-encryption.key')),
  };
  [...accessTokens].forEach((t, i) => (values[`access token ${String(i + 1)}`] = t));
  return { privateKeys: [read(descriptor.credentials.merchantPrivateKeyPath), read(join(keys, 'event-signing.pem'))], values };
}

export interface Source {
  readonly where: string;
  readonly text: string;
  /** Attacker text kept masked: no card-like number at all may be left in it. */
  readonly masked?: boolean;
}

const SEPARATOR = /[\s\p{P}\p{S}\p{Z}\p{Cf}]/u;

/** Digit runs as a reader joins them: up to three separators (no letters) between two digits, any Unicode digits. */
function digitRuns(text: string): string[] {
  const runs: string[] = [];
  let run = '';
  let gap = 0;
  for (const ch of normaliseDigits(text)) {
    if (ch >= '0' && ch <= '9') {
      run += ch;
      gap = 0;
    } else if (run !== '' && gap < 3 && SEPARATOR.test(ch)) gap++;
    else {
      if (run.length >= 12) runs.push(run);
      run = '';
      gap = 0;
    }
  }
  if (run.length >= 12) runs.push(run);
  return runs;
}

/** Whether one of the cards is spelled in the text, whole, separators allowed. */
function holdsCard(text: string, cards: ReadonlySet<string>): boolean {
  for (const run of digitRuns(text))
    for (let length = 12; length <= 19; length++)
      for (let at = 0; at + length <= run.length; at++) if (cards.has(run.slice(at, at + length))) return true;
  return false;
}

/** One line per leak: where, and which secret or card in which form (never the value). */
export function leaks(
  sources: readonly Source[],
  secrets: RunSecrets,
  fixedCards: readonly string[],
  randomCards: readonly string[],
): string[] {
  const scanner = secretScanner({ ...secrets, cardNumbers: fixedCards });
  const random = new Set(randomCards);
  return sources.flatMap(({ where, text, masked }) => [
    ...describeFindings(scanner.scan(text), where),
    ...(holdsCard(text, random) ? [`${where}: one of the random cards`] : []),
    ...(masked && containsCardNumber(text) ? [`${where}: a card-like number (containsCardNumber)`] : []),
  ]);
}
