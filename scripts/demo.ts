// `npm start`: the local demo. It starts a real Kafka broker from Maven Central jars and says what
// is running and how to stop it.
import { optionsFromEnv, start, status } from '../infra/kafka/src/broker.ts';

async function main(): Promise<void> {
  const kafka = optionsFromEnv();
  console.log('paystream demo: starting Kafka (first run resolves the jars from Maven Central)…');
  const began = Date.now();
  const started = await start(kafka);
  const s = await status(kafka);
  const took = ((Date.now() - began) / 1000).toFixed(1);
  console.log(
    started
      ? `  Kafka broker running on ${s.brokers} (pid ${String(s.pid)}), ready in ${took} s; data in ${kafka.home}/data`
      : `  Kafka broker already running on ${s.brokers} (pid ${String(s.pid)})`,
  );
  console.log('\nRunning now:');
  console.log(`  kafka   ${s.brokers}   status: npm run kafka:status   stop: npm run kafka:stop`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `paystream demo: ${err.message}` : err);
  process.exit(1);
});
