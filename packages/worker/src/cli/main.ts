// The `paystream` CLI. Each command lives in its own file and is listed once in `commands`.
import { PaystreamError } from '@paystream/core';
import { paystreamVersion } from '@paystream/runtime';
import { parse, UsageError, type Command } from './args.ts';
import { kafkaDenial } from '../kafka-denial.ts';
import { keysCheck, keysEncrypt, keysFingerprint, keysGenerate } from './commands/keys.ts';
import { signatureExplain, signatureToken, signatureTransaction, signatureVerifyNotification } from './commands/signature.ts';
import { aclsApply, aclsPlan } from './commands/acls.ts';
import { configCheck } from './commands/config.ts';
import { consoleCommand } from './commands/console.ts';
import { dlqInspect, dlqReplay } from './commands/dlq.ts';
import { eventsRepublish, eventsResetGroup } from './commands/events.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { publishCommand, topicsCreate, workerCommand } from './commands/worker.ts';

export const commands: readonly Command[] = [
  workerCommand,
  publishCommand,
  topicsCreate,
  configCheck,
  dlqInspect,
  dlqReplay,
  eventsRepublish,
  eventsResetGroup,
  reconcileCommand,
  consoleCommand,
  aclsPlan,
  aclsApply,
  keysGenerate,
  keysEncrypt,
  keysFingerprint,
  keysCheck,
  signatureToken,
  signatureTransaction,
  signatureExplain,
  signatureVerifyNotification,
];

function help(prefix: readonly string[] = []): string {
  const shown = commands.filter((c) => prefix.every((w, i) => c.words[i] === w));
  return [
    'usage: paystream <command> [options]   (--help on any command; --version)',
    '',
    ...shown.map((c) => `  ${c.words.join(' ').padEnd(30)} ${c.summary}`),
  ].join('\n');
}

/** Repeats back only the leading words some command has: the rest may be a pasted secret. */
function unknownCommand(argv: readonly string[]): string {
  const shown = argv[0] !== undefined && commands.some((c) => c.words[0] === argv[0]) ? `"${argv[0]}" followed by ` : '';
  return `unknown command: ${shown}words no command has (arguments are not repeated back: they may be secrets)`;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    console.log(paystreamVersion());
    return 0;
  }
  const cmd = commands.find((c) => c.words.every((w, i) => argv[i] === w));
  if (!cmd) {
    const known = argv.length > 0 && commands.some((c) => c.words[0] === argv[0]);
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    console[wantsHelp ? 'log' : 'error'](
      `${!wantsHelp ? `paystream: ${unknownCommand(argv)}\n\n` : ''}${help(known ? argv.slice(0, 1) : [])}`,
    );
    return wantsHelp ? 0 : 2;
  }
  try {
    const { values, positionals } = parse(cmd, argv.slice(cmd.words.length));
    if (values['help'] === true) {
      console.log(`${cmd.summary}\n\n${cmd.usage}`);
      return 0;
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`paystream ${cmd.words.join(' ')}: ${err.message}`);
      return 2;
    }
    const known = PaystreamError.is(err) ? err : kafkaDenial(err);
    if (known) {
      console.error(`paystream ${cmd.words.join(' ')}: ${known.code}: ${known.message}`);
      return known.exitStatus;
    }
    throw err;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
