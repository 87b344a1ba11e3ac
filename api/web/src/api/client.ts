/**
 * The typed API client (DECISIONS 57): openapi-fetch over the types openapi-typescript generated from the server's
 * OpenAPI document (schema.d.ts, `npm run gen:api`). Adds the session's Bearer token; a problem+json answer becomes
 * a thrown ApiError (code + detail), so a screen's happy path reads `data` and its error path catches one kind.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { useCallback, useEffect, useRef, useState } from "react";
import type { paths } from "./schema";

export type { paths };

/**
 * An API error: the problem's `code` (e.g. AUTH.INVALID_CREDENTIALS), its `detail` (English, for logs), the HTTP
 * status, and the problem's other members (`field`, `expected`, `from` …) as `params` for the translated message.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly requestId?: string,
    readonly params: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = "ApiError";
  }
}

const TOKEN = "partledger.session";

/** The session token lives in sessionStorage: closed with the tab, never in a cookie (no CSRF surface). */
export const session = {
  token(): string | null {
    try {
      return sessionStorage.getItem(TOKEN);
    } catch {
      return null;
    }
  },
  set(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN, token);
    else sessionStorage.removeItem(TOKEN);
  },
};

type Listener = () => void;
const unauthorized = new Set<Listener>();
/** Called when the API answers 401 to a request that carried a token (expired or revoked session). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorized.add(fn);
  return () => unauthorized.delete(fn);
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${token}`);
    if (!request.headers.has("accept-language"))
      request.headers.set("accept-language", document.documentElement.lang || "zh-CN");
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    let code = `HTTP.${response.status}`;
    let detail = response.statusText;
    let requestId: string | undefined;
    let params: Record<string, unknown> = {};
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("json")) {
      const body = (await response.clone().json()) as { code?: string; detail?: string; requestId?: string };
      code = body.code ?? code;
      detail = body.detail ?? detail;
      requestId = body.requestId;
      const {
        type: _t,
        title: _ti,
        status: _s,
        detail: _d,
        instance: _i,
        code: _c,
        requestId: _r,
        ...rest
      } = body as Record<string, unknown>;
      params = rest;
    }
    if (response.status === 401 && request.headers.has("authorization")) {
      session.set(null);
      for (const fn of unauthorized) fn();
    }
    throw new ApiError(response.status, code, detail, requestId, params);
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/** The JSON of an operation's 200 answer as the OpenAPI document declares it (unknown while it declares none). */
type Json<R> = R extends { content: { "application/json": infer T } } ? T : unknown;
export type Answer<P extends keyof paths, M extends "get" | "post" | "put" | "patch" | "delete"> = paths[P] extends {
  [K in M]: { responses: { 200: infer R } };
}
  ? Json<R>
  : unknown;
/**
 * The declared answer type when the document has one, else `Fallback`: a screen names the fields it reads in
 * `Fallback`, and as soon as the server declares the response, the declared type replaces it (a renamed field then
 * breaks `npm run typecheck`).
 */
export type Typed<A, Fallback> = unknown extends A ? Fallback : A;

/** The data of a successful openapi-fetch call (errors were thrown by the middleware). */
export async function answer<T>(call: Promise<{ data?: unknown }>): Promise<T> {
  return (await call).data as T;
}

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * The data hook every screen copies: `const me = useApi(() => answer<Me>(api.GET("/api/v1/auth/me")), [])`.
 * Loads on mount and when `deps` change, ignores answers that arrive after a newer load or after unmount.
 */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): ApiState<T> {
  const [state, setState] = useState<Omit<ApiState<T>, "reload">>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const n = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loader.current().then(
      (data) => n === latest.current && setState({ data, error: undefined, loading: false }),
      (error: Error) => n === latest.current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      latest.current++;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
