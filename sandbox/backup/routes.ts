import type { LoadedModel } from './model.js';

/** One operation's HTTP binding, compiled from the model's `http.method` and `http.requestUri`. */
export interface Route {
  readonly operation: string;
  readonly method: string;
  /** Matches the raw (still percent-encoded) path; one group per label, in `labels` order. */
  readonly path: RegExp;
  /** Label names as the template writes them (`backupVaultName`; greedy `{Name+}` without the `+`). */
  readonly labels: readonly string[];
  /** The literal query part of the requestUri (`/path?delete`): keys that must be present, with values if given. */
  readonly query: ReadonlyMap<string, string>;
  /** Literal characters of the path template: the more, the more specific the route. */
  readonly specificity: number;
}

/** The operation a request is for, with its path labels URL-decoded. */
export interface RouteMatch {
  readonly operation: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Query keys the requestUri itself carries (not input members). */
  readonly literalQuery: ReadonlySet<string>;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles one requestUri template (`/backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}`). */
export const compileRoute = (operation: string, method: string, requestUri: string): Route => {
  const [template = '/', literal = ''] = requestUri.split('?', 2);
  const labels: string[] = [];
  let specificity = 0;
  const pattern = template
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.replace(/\{([^}]+)\}|[^{]+/g, (part, label?: string) => {
        if (label === undefined) {
          specificity += part.length;
          return escapeRegExp(part);
        }
        const greedy = label.endsWith('+');
        labels.push(greedy ? label.slice(0, -1) : label);
        // A greedy label spans segments (the SDK leaves its "/" unencoded); a plain one is one segment.
        return greedy ? '(.+)' : '([^/]+)';
      }),
    )
    .join('/');
  // The SDK sends the path its own model writes, which may differ from botocore's by a trailing slash.
  const path = new RegExp(`^${pattern}/?$`);
  return { operation, method, path, labels, query: new Map(new URLSearchParams(literal)), specificity };
};

/** Every operation's route, most specific first (a literal segment wins over a label in the same place). */
export const compileRoutes = (model: LoadedModel): readonly Route[] =>
  model.operationNames
    .map((name) => {
      const { method, requestUri } = model.operation(name).http;
      return compileRoute(name, method, requestUri);
    })
    .sort((a, b) => b.query.size - a.query.size || b.specificity - a.specificity || a.labels.length - b.labels.length);

const decodeLabel = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
};

/** The route a request matches, or undefined. `pathname` is the raw path of the request URL. */
export const matchRoute = (
  routes: readonly Route[],
  method: string,
  pathname: string,
  search: URLSearchParams,
): RouteMatch | undefined => {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(pathname);
    if (!match) continue;
    const queryMatches = [...route.query].every(([key, value]) =>
      value === '' ? search.has(key) : search.getAll(key).includes(value),
    );
    if (!queryMatches) continue;
    const labels: Record<string, string> = {};
    let decodable = true;
    route.labels.forEach((label, index) => {
      const value = decodeLabel(match[index + 1] ?? '');
      if (value === undefined) decodable = false;
      else labels[label] = value;
    });
    if (!decodable) continue;
    return { operation: route.operation, labels, literalQuery: new Set(route.query.keys()) };
  }
  return undefined;
};
