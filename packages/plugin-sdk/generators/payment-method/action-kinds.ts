// The customer-action kinds a generated plugin may answer with are the contracts' own: read from the
// `CustomerAction` schema of @paystream/contracts each time the generator runs, so a kind the
// contracts gain is offered (and a kind they drop is refused) without a second list here.
import { CustomerAction } from '@paystream/contracts';

/** Every `kind` the contracts' CustomerAction union accepts, in the union's order. */
export function contractActionKinds(): readonly string[] {
  return CustomerAction.options.flatMap((option) => {
    const kind = option.shape.kind;
    return 'options' in kind ? [...kind.options] : [...kind.values];
  });
}
