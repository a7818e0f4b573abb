// What the type declarations promise, checked by the compiler (`tsc --strict --noEmit`): each
// method's details are typed, and a wrong one does not compile.
import { PaystreamClient, verifyEvent, type ChargeInput, type PaymentEvent, type TrustedKey } from '@paystream/client';
import { Kafka } from 'kafkajs';

export async function charge(kafka: Kafka, trustedKeys: readonly TrustedKey[]): Promise<PaymentEvent | undefined> {
  const client = await PaystreamClient.connect({ kafka, trustedKeys });
  const va: ChargeInput<'va'> = { method: 'va', orderId: 'order-1', amount: 150_000, details: { bank: 'bca' } };
  // @ts-expect-error a virtual account needs a bank
  await client.charge({ method: 'va', orderId: 'order-2', amount: 150_000, details: {} });
  // @ts-expect-error GoPay has no `bank`
  await client.charge({ method: 'gopay', orderId: 'order-3', amount: 10_000, details: { bank: 'bca' } });
  const { result } = await client.charge(va, { wait: 'action_required', timeoutMs: 30_000 });
  await client.close();
  return result;
}

export function read(value: string, trusted: readonly TrustedKey[]): string {
  const verdict = verifyEvent(value, trusted);
  if (!verdict.valid) return verdict.reason;
  return verdict.known ? verdict.event.type : `skipped: ${verdict.problem}`;
}
