// @paystream/client: Paystream for the services on either side of it. Upstream services publish
// typed, validated and signed commands and may wait for their results; downstream services verify,
// decrypt and consume result events.
export { PaystreamClient, type PaystreamClientOptions, type SendOptions, type Sent } from './client.ts';
export { consumeResults, type ConsumeResultsOptions, type EventContext, type ResultsConsumer } from './consume.ts';
export { codes, PaystreamClientError, type ClientErrorClass, type ClientErrorCode, type InputProblem } from './errors.ts';
export { decryptFields, encryptionKeyId, verifyEvent, type EncryptionKey, type EventVerdict, type TrustedKey } from './events.ts';
export { detailsSchemas, methodOperations } from './generated/details.ts';
export { buildCommand, METHODS, type ChargeDetails, type ChargeInput, type CommandInput, type Method, type Operation } from './inputs.ts';
export type { Wait } from './result-waiter.ts';
export { commandKeyId, commandSigner, type CommandSigningKey } from './signing.ts';
export { topicNames, type TopicNames } from './topics.ts';
export type { Customer, PaymentCommand, PaymentEvent, RejectedEvent, ResultEvent } from '@paystream/contracts';
