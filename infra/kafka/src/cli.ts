// `npm run kafka:start | kafka:stop | kafka:status [-- --secure | --brokers 3]` — see docs/kafka.md.
import { join } from 'node:path';
import { BrokerError, optionsFromEnv, start, status, stop, type BrokerOptions } from './broker.ts';
import { clusterMain, brokerCount } from './cluster-cli.ts';

/** Where a secured broker's clients find what they need. */
function describeSecure(opts: BrokerOptions): string {
  return [
    `  SASL_SSL (SCRAM-SHA-512/256): 127.0.0.1:${opts.port}   mTLS: 127.0.0.1:${opts.port + 2}`,
    `  CA: ${join(opts.home, 'tls/ca.pem')}   client certificates: ${join(opts.home, 'tls')}`,
    `  passwords: ${join(opts.home, 'secrets')}/<user>.password (super user: admin)`,
    `  OAUTHBEARER: token endpoint http://127.0.0.1:${opts.port + 3}/token, client secrets ${join(opts.home, 'secrets')}/<client>.client-secret`,
  ].join('\n');
}

async function main(command: string | undefined, flags: string[]): Promise<number> {
  const secure = flags.includes('--secure');
  if (brokerCount(flags, secure) > 1) return clusterMain(command);
  const opts = optionsFromEnv(process.env, secure);
  const again = secure ? ' -- --secure' : '';
  switch (command) {
    case 'start': {
      const began = Date.now();
      const started = await start(opts);
      const s = await status(opts);
      console.log(
        started
          ? `Kafka broker started on ${s.brokers} (pid ${String(s.pid)}) in ${((Date.now() - began) / 1000).toFixed(1)} s; data in ${opts.home}/data.`
          : `Kafka broker already running on ${s.brokers} (pid ${String(s.pid)}).`,
      );
      if (secure) console.log(describeSecure(opts));
      console.log(`Stop it with: npm run kafka:stop${again}`);
      return 0;
    }
    case 'stop': {
      const stopped = await stop(opts);
      console.log(
        stopped
          ? `Kafka broker on 127.0.0.1:${opts.port} stopped; data kept in ${opts.home}/data.`
          : 'No Kafka broker of this project was running.',
      );
      return 0;
    }
    case 'status': {
      const s = await status(opts);
      console.log(
        s.running
          ? `running: pid ${String(s.pid)}, ${s.ready ? 'answering' : 'NOT answering'} on ${s.brokers}, home ${s.home}`
          : `not running (home ${s.home}, port ${opts.port})`,
      );
      return s.running && s.ready ? 0 : 1;
    }
    default:
      console.error('usage: node infra/kafka/src/cli.ts start|stop|status [--secure | --brokers 3]   (env: KAFKA_PORT, KAFKA_HOME)');
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof BrokerError ? `kafka: ${err.message}` : err);
    process.exit(1);
  },
);
