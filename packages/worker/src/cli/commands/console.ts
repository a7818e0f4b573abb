// `paystream console`: the operator console's server (docs/console.md). It reads the one worker
// configuration (file, environment, flags): the `console` section for itself, Kafka and core for the
// data its API routes read. It serves until SIGTERM or SIGINT, then closes every connection and
// client. Sign-in is by token (console.auth.tokensFile) for now.
import { ConfigError, inboundTlsOptions, readConfiguredFile } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { topology } from '@paystream/runtime';
import { coreConfigOf, loadWorkerConfig, type ConfigSources, type WorkerConfig } from '../../config/worker-config.ts';
import type { ApiRoute } from '../../console/api-route.ts';
import { OrderDirectory } from '../../console/data/order-directory.ts';
import { consoleRoutes } from '../../console/routes/index.ts';
import { refusePlainHttp, startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '../../console/server/console-server.ts';
import { readTokensFile } from '../../console/server/tokens-file.ts';
import { selectPlugins } from '../../worker.ts';
import { UsageError, type Command } from '../args.ts';
import { openCommandCore } from '../command-core.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { cliKafka } from './worker.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/** `--listen HOST:PORT` as two configuration flags; an IPv6 host is written in brackets. */
function listenFlags(values: Values): NonNullable<ConfigSources['flags']> {
  const listen = values['listen'];
  if (typeof listen !== 'string') return [];
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(listen);
  if (!m?.[1] || !m[2]) throw new UsageError('--listen is HOST:PORT, e.g. 127.0.0.1:8443 or [::1]:8443');
  return [
    { flag: '--listen', path: ['console', 'listen', 'host'], value: m[1].replace(/^\[(.*)\]$/, '$1') },
    { flag: '--listen', path: ['console', 'listen', 'port'], value: Number(m[2]) },
  ];
}

function serverOptions(config: Readonly<WorkerConfig>): Omit<ConsoleServerOptions, 'routes'> {
  const settings = config.console;
  const insecure = config.allowInsecureKeyFilePermissions ?? config.core?.allowInsecureKeyFilePermissions ?? false;
  const tokensFile = settings.auth.tokensFile;
  if (tokensFile === undefined)
    throw new ConfigError(['console.auth.tokensFile: the console needs its tokens file to let anyone sign in (docs/console.md)']);
  const { tlsCertFile, tlsKeyFile } = settings;
  // Read as core reads key files: a failure names the field, never its value; the key is owner-only.
  const tls =
    tlsCertFile === undefined || tlsKeyFile === undefined
      ? undefined
      : inboundTlsOptions({
          certPem: readConfiguredFile(tlsCertFile, 'console.tlsCertFile'),
          keyPem: readConfiguredFile(tlsKeyFile, 'console.tlsKeyFile', { private: true, allowInsecurePermissions: insecure }),
        });
  refusePlainHttp(settings.listen.host, tls);
  return {
    host: settings.listen.host,
    port: settings.listen.port,
    ...(tls ? { tls } : {}),
    tokens: readTokensFile(tokensFile, insecure),
    sessionTtlMs: settings.sessionTtlMinutes * 60_000,
  };
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
}

/** The data routes and what they read through: core's event keys and cipher, Kafka, the order directory. */
async function openData(config: Readonly<WorkerConfig>): Promise<{ routes: ApiRoute[]; close: () => Promise<void> }> {
  const core = await openCommandCore(coreConfigOf(config));
  const closers: (() => Promise<void>)[] = [() => core.close()];
  try {
    const kafka = cliKafka(config);
    const admin = kafka.admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    const names = topology(config.kafka.topicPrefix);
    const directory = await OrderDirectory.start({ kafka, admin, topic: names.orderState });
    closers.push(() => directory.close());
    const methods = selectPlugins(config.plugins)
      .getAll(PAYMENT_METHOD_PLUGIN)
      .map((p) => p.method);
    const eventKeys = core.eventSigner.publicKeys();
    const routes = consoleRoutes({ kafka, admin, topology: names, methods, eventKeys, cipher: core.fieldCipher, directory });
    return { routes, close: () => closeAll(closers) };
  } catch (err) {
    await closeAll(closers);
    throw err;
  }
}

export const consoleCommand: Command = {
  words: ['console'],
  summary: 'serve the operator console over HTTPS (sign-in with a token of console.auth.tokensFile); SIGTERM or SIGINT stops it',
  usage: `usage: paystream console [--listen HOST:PORT] ${configUsage}\n\nThe console's settings are the configuration file's "console" section; see docs/console.md.`,
  options: { ...configOptions, listen: { type: 'string' } },
  async run(values) {
    const sources = configFlags(values);
    const { config } = loadWorkerConfig({ ...sources, flags: [...(sources.flags ?? []), ...listenFlags(values)] });
    // The console's own settings first: a missing tokens file or key is reported before Kafka is reached.
    const options = serverOptions(config);
    const data = await openData(config);
    let server: ConsoleServer;
    try {
      server = await startConsoleServer({ ...options, routes: data.routes });
    } catch (err) {
      await data.close();
      throw err;
    }
    console.log(`paystream console at ${server.url}/`);
    const signal = await new Promise<string>((done) => {
      process.once('SIGTERM', () => done('SIGTERM'));
      process.once('SIGINT', () => done('SIGINT'));
    });
    await server.close();
    await data.close();
    console.log(`paystream console stopped (${signal})`);
    return 0;
  },
};
