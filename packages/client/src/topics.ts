// Paystream's topic names, under the prefix an installation may put before them.
import { topics } from '@paystream/contracts';

export interface TopicNames {
  commands(method: string): string;
  readonly results: string;
}

export function topicNames(prefix = ''): TopicNames {
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) throw new RangeError('a topic prefix may hold only letters, digits, ".", "_" and "-"');
  return { commands: (method) => prefix + topics.commands(method), results: prefix + topics.results };
}
