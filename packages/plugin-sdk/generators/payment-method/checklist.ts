// What a generated plugin still needs before it takes real traffic. One list, rendered into the
// plugin's README and printed when the generator finishes, so the two never disagree.

export interface ChecklistItem {
  readonly title: string;
  readonly detail: string;
}

export interface ChecklistFacts {
  /** The method id, e.g. `ovo`. */
  readonly name: string;
  readonly api: 'snap' | 'core';
  /** The customer-action kind the charge answers with. */
  readonly action: string;
  /** Core API only: Midtrans' `payment_type`. */
  readonly paymentType?: string | undefined;
  /** The row of the BI-SNAP authentication table the factors came from; undefined when they were given by hand. */
  readonly authRow?: string | undefined;
  /** What the Midtrans simulator lacks for this method, or what was written into it, one sentence each. */
  readonly simulator: readonly string[];
}

function endpoints({ name, api, paymentType }: ChecklistFacts, plugin: string): string {
  return api === 'snap'
    ? `confirm the BI-SNAP paths and status service code of ${name} in \`endpoints\`, its pay method and notify path in ${plugin}, and the README's endpoint table; the generated ones are the direct-debit family's (a method whose bodies or answers differ declares them with \`snapOperations\`, as \`plugins/qris\` does).`
    : `confirm the charge body of ${name} (\`payment_type\` \`${paymentType ?? name}\`) in ${plugin} and in the README's endpoint table; the generated ones follow \`/v2/charge\` and \`/v2/{order_id}/…\`.`;
}

export function checklist(facts: ChecklistFacts): readonly ChecklistItem[] {
  const { name, api, action } = facts;
  const plugin = `\`plugins/${name}/src/${name}.plugin.ts\``;
  const spec = `\`plugins/${name}/src/${name}.plugin.spec.ts\``;
  const auth: ChecklistItem[] = facts.authRow
    ? []
    : [
        {
          title: 'Customer authentication',
          detail: `the factors in ${plugin} were given by hand: confirm them with Midtrans' BI-SNAP end-customer authentication table and add the row to docs/plugins.md.`,
        },
      ];
  return [
    { title: 'Endpoints', detail: endpoints(facts, plugin) },
    {
      title: 'Customer action',
      detail:
        action === 'deeplink' && api === 'snap'
          ? `the direct-debit family answers the charge with a \`deeplink\` to the answer's \`webRedirectUrl\`; confirm that is where ${name} sends the customer.`
          : `make \`actionOf\` in ${plugin} read the \`${action}\` action from the fields Midtrans' charge answer really has (the generated ones are in \`src/__fixtures__/charge.json\`).`,
    },
    {
      title: 'Status table',
      detail: `list every status the method documents in the README's status table, make sure the operations map each one (the SDK's \`${api === 'snap' ? 'snapStatus' : 'coreStatus'}\` leaves anything unknown pending), and add every row to the mapping test in ${spec}.`,
    },
    ...auth,
    {
      title: 'Details schema',
      detail: `give \`Details\` in ${plugin} exactly the fields the commands of ${name} carry (strict: never card data, never a 3DS switch), map them into the charge body, and the README's details table with them.`,
    },
    {
      title: 'Fixtures',
      detail: `replace the sample answers in \`plugins/${name}/src/__fixtures__/\` (one file per operation: success, pending and a refusal) with the answers Midtrans really gives; ${spec} reads them.`,
    },
    {
      title: 'Method page',
      detail: `rewrite \`docs/methods/${name}.md\` for operators and integrators: what the customer does, the commands, the result events, the notification, expiry and failure modes.`,
    },
    {
      title: 'Whole-system test',
      detail: `\`plugins/${name}/test/whole-system.ts\` is the fixture test/e2e/plugins/plugins.spec.ts runs ${name} with (the worker, Kafka and the simulator): give it the details of a charge the customer can complete and the method's business failures.${facts.simulator.map((s) => ` ${s}`).join('')}`,
    },
  ];
}

/** The checklist as the terminal shows it once the files are written. */
export function checklistText(facts: ChecklistFacts): string {
  const items = checklist(facts).map((item, i) => `  ${String(i + 1)}. ${item.title}: ${item.detail}`);
  return [
    `plugins/${facts.name} is written and listed in the worker. Before it takes real traffic (plugins/${facts.name}/README.md):`,
    ...items,
  ].join('\n');
}
