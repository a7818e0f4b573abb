// The card-number module: one reading of card numbers for the runtime's command guard and DLQ
// masking and for core's log redaction, so a card either one finds the other finds too.
export { maskEveryDigit } from './card-numbers.ts';
export { containsCardNumber, exponentsHoldCard, maskCards, maskCardText, maskedPayload, numbersHoldCard } from './guards.ts';
export { luhnValid } from './luhn.ts';
