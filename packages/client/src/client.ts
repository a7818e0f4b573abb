// The upstream side: typed commands, validated, keyed by order id, signed when a key is given,
// published with acks from every in-sync replica by an idempotent producer, and optionally awaited
// until their result arrives.
import type { PaymentCommand, PaymentEvent } from '@paystream/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { codes, PaystreamClientError } from './errors.ts';
import type { TrustedKey } from './events.ts';
import { buildCommand, type ChargeInput, type CommandInput, type Method, type Operation } from './inputs.ts';
import { ResultWaiter, type Wait } from './result-waiter.ts';
import { commandSigner, type CommandSigner, type CommandSigningKey } from './signing.ts';
import { topicNames, type TopicNames } from './topics.ts';

export interface PaystreamClientOptions {
  /** A kafkajs client, configured with the brokers, TLS and SASL of the installation. */
  readonly kafka: Kafka;
  readonly topicPrefix?: string;
  /** Signs every command when the worker requires signed commands. */
  readonly signingKey?: CommandSigningKey;
  /** Paystream's event-signing public keys: needed to wait for results, which are verified first. */
  readonly trustedKeys?: readonly TrustedKey[];
  /** The consumer groups that wait for results are named with this prefix and a UUID (default `paystream-client.`). */
  readonly resultsGroupPrefix?: string;
}

export interface SendOptions {
  /** Wait for the command's first result (`action_required`) or for the order's final status. */
  readonly wait?: Wait;
  /** How long to wait (default 60 s). */
  readonly timeoutMs?: number;
}

export interface Sent {
  readonly command: PaymentCommand;
  /** The awaited result, when `wait` was given. */
  readonly result?: PaymentEvent;
}

export class PaystreamClient {
  readonly #opts: PaystreamClientOptions;
  readonly #producer: Producer;
  readonly #topics: TopicNames;
  readonly #sign: CommandSigner | undefined;
  #waiter: Promise<ResultWaiter> | undefined;
  #closed = false;

  private constructor(opts: PaystreamClientOptions, producer: Producer) {
    this.#opts = opts;
    this.#producer = producer;
    this.#topics = topicNames(opts.topicPrefix);
    this.#sign = opts.signingKey ? commandSigner(opts.signingKey) : undefined;
  }

  static async connect(opts: PaystreamClientOptions): Promise<PaystreamClient> {
    const producer = opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const client = new PaystreamClient(opts, producer);
    await producer.connect();
    return client;
  }

  charge<M extends Method>(input: ChargeInput<M>, opts?: SendOptions): Promise<Sent> {
    return this.#send('charge', input, opts);
  }
  status(input: CommandInput, opts?: SendOptions): Promise<Sent> {
    return this.#send('status', input, opts);
  }
  cancel(input: CommandInput, opts?: SendOptions): Promise<Sent> {
    return this.#send('cancel', input, opts);
  }
  refund(input: CommandInput, opts?: SendOptions): Promise<Sent> {
    return this.#send('refund', input, opts);
  }
  /** Accepts a card charge the fraud system holds for review. */
  approve(input: CommandInput, opts?: SendOptions): Promise<Sent> {
    return this.#send('approve', input, opts);
  }
  deny(input: CommandInput, opts?: SendOptions): Promise<Sent> {
    return this.#send('deny', input, opts);
  }

  async #send(op: Operation, input: CommandInput | ChargeInput, opts: SendOptions = {}): Promise<Sent> {
    if (this.#closed) throw new PaystreamClientError(codes.PS_ERR_CLIENT_CLOSED, {});
    const command = buildCommand(op, input);
    const waiting = opts.wait ? (await this.#resultWaiter()).expect(command, opts.wait, opts.timeoutMs ?? 60_000) : undefined;
    try {
      await this.#publish(command);
    } catch (err) {
      waiting?.cancel();
      throw err;
    }
    return waiting ? { command, result: await waiting.result } : { command };
  }

  async #publish(command: PaymentCommand): Promise<void> {
    const value = Buffer.from(JSON.stringify(command));
    try {
      await this.#producer.send({
        topic: this.#topics.commands(command.method),
        acks: -1,
        messages: [{ key: command.orderId, value, ...(this.#sign ? { headers: this.#sign(value) } : {}) }],
      });
    } catch (err) {
      const cause = err instanceof Error ? err.message : String(err);
      throw new PaystreamClientError(
        codes.PS_ERR_CLIENT_PUBLISH_FAILED,
        { type: command.type, orderId: command.orderId, cause },
        { cause: err },
      );
    }
  }

  #resultWaiter(): Promise<ResultWaiter> {
    const trusted = this.#opts.trustedKeys ?? [];
    if (trusted.length === 0)
      throw new RangeError('waiting for results needs trustedKeys: the results are verified before they are believed');
    this.#waiter ??= ResultWaiter.start(
      this.#opts.kafka,
      this.#topics.results,
      trusted,
      this.#opts.resultsGroupPrefix ?? 'paystream-client.',
    );
    return this.#waiter;
  }

  /** Stops waiting (pending waits fail with `codes.PS_ERR_CLIENT_CLOSED`) and disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#producer.disconnect(), this.#waiter?.then((w) => w.stop())]);
  }
}
