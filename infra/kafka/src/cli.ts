// `npm run kafka:start | kafka:stop | kafka:status` — see docs/kafka.md.
import { BrokerError, optionsFromEnv, start, status, stop } from './broker.ts';

async function main(command: string | undefined): Promise<number> {
  const opts = optionsFromEnv();
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
      console.log('Stop it with: npm run kafka:stop');
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
      console.error('usage: node infra/kafka/src/cli.ts start|stop|status   (env: KAFKA_PORT, KAFKA_HOME)');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof BrokerError ? `kafka: ${err.message}` : err);
    process.exit(1);
  },
);
