// A value that must never be printed. Only core unwraps it; every printing path shows a mask.
import { inspect } from 'node:util';

const MASK = '[secret]';
const values = new WeakMap<Secret<unknown>, unknown>();

export class Secret<T = string> {
  readonly label: string;

  constructor(value: T, label = 'secret') {
    values.set(this, value);
    this.label = label;
  }

  /** Core-internal: the raw value. Never pass it to a logger or an error. */
  reveal(): T {
    return values.get(this) as T;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret<${this.label}>`;
  }
}
