// Everything the worker wrote where a downstream service or an operator reads it — the results topic
// and the DLQ — kept byte for byte with keys and headers, for matching DLQ records to the commands
// that caused them and for scanning every byte for card numbers and secrets.
import { randomBytes } from 'node:crypto';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';

export interface TappedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values as UTF-8 text; several values of one name are joined with ",". */
  readonly headers: Readonly<Record<string, string>>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : (v?.toString('utf8') ?? '')]),
  );
}

export class Tap {
  readonly records: TappedRecord[] = [];
  readonly #consumer: Consumer;

  private constructor(consumer: Consumer) {
    this.#consumer = consumer;
  }

  static async start(kafka: Kafka, groupPrefix: string, topics: readonly string[]): Promise<Tap> {
    const consumer = kafka.consumer({
      groupId: `${groupPrefix}hostile.tap.${randomBytes(3).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    const tap = new Tap(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const joined = new Promise<void>((done) => consumer.on(consumer.events.GROUP_JOIN, () => done()));
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        tap.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: headerText(message.headers),
        });
        return Promise.resolve();
      },
    });
    await joined;
    return tap;
  }

  on(topic: string): TappedRecord[] {
    return this.records.filter((r) => r.topic === topic);
  }

  stop(): Promise<void> {
    return this.#consumer.disconnect();
  }
}

/** Every byte of a record as text, for scanning: key, value and each header name and value. */
export function recordText(r: TappedRecord): string {
  return [r.key?.toString('utf8') ?? '', r.value?.toString('utf8') ?? '', JSON.stringify(r.headers)].join('\n');
}
