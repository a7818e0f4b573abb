/** Every failure of the broker scripts that a person can act on (the message says how). */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
}
