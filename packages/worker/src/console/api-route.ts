// The console's JSON API as its parts declare it: each route names its method, path, the least role
// that may call it, and its handler. The server (server/) authenticates, checks the role and the CSRF
// token before a handler runs, so a handler only ever sees a signed-in user allowed to call it.

/** Console roles, each including the ones before it. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleAtLeast = (role: Role, least: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(least);

export interface ConsoleUser {
  /** Stable identity (the OIDC subject, or the token file's name): what the audit records. */
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface ApiRequest {
  readonly user: ConsoleUser;
  /** The path's `:name` segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST (bounded by the server), else undefined. */
  readonly body: unknown;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** Under `/api/`, with `:name` segments: `/api/orders/:orderId`. */
  readonly path: string;
  readonly role: Role;
  handle(req: ApiRequest): Promise<ApiAnswer>;
}
