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
}

export function checklist({ name, api }: ChecklistFacts): readonly ChecklistItem[] {
  const plugin = `\`plugins/${name}/src/${name}.plugin.ts\``;
  const spec = `\`plugins/${name}/src/${name}.plugin.spec.ts\``;
  return [
    {
      title: 'Endpoints',
      detail:
        api === 'snap'
          ? `confirm the BI-SNAP paths and status service code of ${name} in \`endpoints\`, its pay method and notify path in ${plugin}, and the README's endpoint table; the generated ones are the direct-debit family's (a method whose bodies or answers differ declares them with \`snapOperations\`, as \`plugins/qris\` does).`
          : `confirm the Core API \`payment_type\`, the charge body and the notification \`payment_type\` of ${name} in ${plugin} and in the README's endpoint table; the generated ones follow \`/v2/charge\` and \`/v2/{order_id}/…\`.`,
    },
    {
      title: 'Status table',
      detail: `list every status the method documents in the README's status table, make sure the operations map each one (the SDK's \`${api === 'snap' ? 'snapStatus' : 'coreStatus'}\` leaves anything unknown pending), and add every row to the mapping test in ${spec}.`,
    },
    {
      title: 'Customer authentication',
      detail: `set \`customerAuthentication\` in ${plugin} from the BI-SNAP end-customer authentication table in docs/plugins.md (at least two factors; the generated "PIN + device possession" is the e-wallet row).`,
    },
    {
      title: 'Details schema',
      detail: `give \`Details\` in ${plugin} exactly the fields the commands of ${name} carry (strict: never card data, never a 3DS switch), and the README's details table with it.`,
    },
    {
      title: 'Fixtures',
      detail: `record the Midtrans request, response and notification of every operation in \`plugins/${name}/src/__fixtures__/\` and use them in ${spec}, the contract kit's \`chargeAnswer\` included.`,
    },
    {
      title: 'Method page',
      detail: `rewrite \`docs/methods/${name}.md\` for operators and integrators: what the customer does, the commands, the result events, the notification, expiry and failure modes.`,
    },
    {
      title: 'End-to-end test',
      detail: `add a test in \`test/e2e\` that publishes a charge to \`paystream.commands.${name}\` and follows it through the worker and the Midtrans simulator to a verified result event (teach the simulator the method first if it does not know it).`,
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
