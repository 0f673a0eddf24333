import { AppError } from '../../errors.ts';

/**
 * One deployment of a platform's API (production, a sandbox, a region): the
 * origin of each host it uses, by role — `api` always, others such as `auth`
 * when tokens come from another host. Origins carry no path; callers append the
 * documented paths, so a local fake can serve every role under one origin.
 */
export interface Environment {
  api: string;
  [role: string]: string;
}

export interface EnvironmentChoice<E extends Environment> {
  platform: string;
  known: readonly E[];
  /** Used when no override is given (e.g. the seller's region). */
  fallback: E;
  allowLocalUrls: boolean;
}

/**
 * The environment an integration talks to. The `apiBaseUrl` override is user
 * input, so it may only pick one of the platform's known environments (matched
 * by the origin of its `api` host; our constant is used, never the user's
 * string) — unless the server runs with allowLocalUrls (development, tests),
 * where any http(s) URL points every role at it.
 */
export function resolveEnvironment<E extends Environment>(apiBaseUrl: string | undefined, choice: EnvironmentChoice<E>): E {
  if (apiBaseUrl === undefined || apiBaseUrl.trim() === '') return choice.fallback;
  const url = parseHttpUrl(apiBaseUrl);
  const known = url && choice.known.find((environment) => new URL(environment.api).origin === url.origin);
  if (known && url.protocol === 'https:') return known;
  if (url && choice.allowLocalUrls) {
    const base = url.href.replace(/\/+$/, '');
    return Object.fromEntries(Object.keys(choice.fallback).map((role) => [role, base])) as E;
  }
  const allowed = choice.known.map((environment) => environment.api);
  const message = allowed.length
    ? `${choice.platform} API base URL must be one of ${allowed.join(', ')}`
    : `${choice.platform} API base URL cannot be overridden`;
  throw new AppError('BAD_USER_INPUT', message, { fieldErrors: [{ path: ['config', 'apiBaseUrl'], message }] });
}

/** An http(s) URL without user info, query or fragment; undefined for anything else. */
export function parseHttpUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const plain = (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
  return plain ? url : undefined;
}

/** `base` (an origin, possibly with a path prefix) joined with a documented path and query. */
export function endpoint(base: string, path: string, query: Record<string, string | number> = {}): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  return url;
}
