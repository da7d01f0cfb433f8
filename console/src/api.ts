import type { Audit, ConsoleConfig, CurrentPolicy, Me, Page, PendingApproval, Problem, ProblemSummary, Simulation, SimulationRequest, Submitted } from './types';

/** How long one request may take before the console says the API is slow. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Why a request failed: `network` (no answer or too slow), `unauthorized` (401) or an API error. */
export type FailureKind = 'network' | 'unauthorized' | 'api';

/** A failed request, with the API's stable error code and message when there was an answer. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly kind: FailureKind,
    /** HTTP status; 0 when there was no answer. */
    readonly status: number,
    /** The API's `error.code`, or `network_error` / `timeout`. */
    readonly code: string,
    message: string,
    /** The API's `error.details`, e.g. the failing paths of an invalid policy. */
    readonly details: { path?: string; message?: string }[] = [],
  ) {
    super(message);
  }

  /** Worth retrying as is: no answer, a timeout, rate limiting or a 5xx. */
  get retryable(): boolean {
    return this.kind === 'network' || this.status === 429 || this.status >= 500;
  }
}

interface RequestOptions {
  body?: unknown;
  /** Longer than {@link REQUEST_TIMEOUT_MS} for a request known to take long (a policy simulation). */
  timeoutMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends one request with the bearer key; throws {@link ApiFailure} for anything but 2xx. */
export async function request<T>(key: string | null, method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const timeout = new AbortController();
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal, cache: 'no-store' });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    if (timeout.signal.aborted) throw new ApiFailure('network', 0, 'timeout', `The API did not answer within ${timeoutMs / 1000} seconds.`);
    throw new ApiFailure('network', 0, 'network_error', 'The API cannot be reached.');
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text().catch(() => '');
  const json = parseJson(text);
  if (res.ok) return json as T;
  const error = errorOf(json);
  const kind: FailureKind = res.status === 401 ? 'unauthorized' : 'api';
  throw new ApiFailure(kind, res.status, error?.code ?? `http_${res.status}`, error?.message ?? `The API answered ${res.status} ${res.statusText}.`, error?.details ?? []);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(json: unknown): { code: string; message: string; details: { path?: string; message?: string }[] } | null {
  if (typeof json !== 'object' || json === null || !('error' in json)) return null;
  const error = (json as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return { code, message, details: Array.isArray(details) ? (details.filter((d) => typeof d === 'object' && d !== null) as { path?: string; message?: string }[]) : [] };
}

/** A submitted problem's fields. */
export interface NewProblem {
  text: string;
  customerId?: string;
  channel?: 'web' | 'email' | 'chat' | 'api';
}

/** The API's routes, bound to one key. `onUnauthorized` runs when the key stops working. */
export function createApi(key: string, onUnauthorized: (failure: ApiFailure) => void) {
  const call = async <T>(method: string, path: string, options?: RequestOptions): Promise<T> => {
    try {
      return await request<T>(key, method, path, options);
    } catch (err) {
      if (err instanceof ApiFailure && err.kind === 'unauthorized') onUnauthorized(err);
      throw err;
    }
  };
  const query = (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  const id = (problemId: string) => encodeURIComponent(problemId);
  return {
    me: (signal?: AbortSignal) => call<Me>('GET', '/v1/me', { signal }),
    submit: (body: NewProblem, idempotencyKey: string) => call<Submitted>('POST', '/v1/problems', { body, headers: { 'idempotency-key': idempotencyKey } }),
    problem: (problemId: string, signal?: AbortSignal) => call<Problem>('GET', `/v1/problems/${id(problemId)}`, { signal }),
    problems: (filter: { status?: string; cursor?: string; limit?: string }, signal?: AbortSignal) =>
      call<Page<ProblemSummary>>('GET', `/v1/problems${query(filter)}`, { signal }),
    clarify: (problemId: string, text: string) => call<Problem>('POST', `/v1/problems/${id(problemId)}/clarifications`, { body: { text } }),
    decide: (problemId: string, body: { decision: 'approve' | 'reject'; actionDigest: string; comment?: string }) =>
      call<Problem>('POST', `/v1/problems/${id(problemId)}/approvals`, { body }),
    approvals: (signal?: AbortSignal) => call<Page<PendingApproval>>('GET', '/v1/approvals?status=pending&limit=50', { signal }),
    audit: (problemId: string, cursor?: string, signal?: AbortSignal) =>
      call<Audit>('GET', `/v1/problems/${id(problemId)}/audit${query({ cursor, limit: '200' })}`, { signal }),
    policy: (signal?: AbortSignal) => call<CurrentPolicy>('GET', '/v1/policy', { signal }),
    simulate: (body: SimulationRequest) => call<Simulation>('POST', '/v1/policy/simulations', { body, timeoutMs: 300_000 }),
  };
}

/** The API bound to the signed-in key. */
export type Api = ReturnType<typeof createApi>;

/** Signs in: checks a key with `GET /v1/me` without touching the session. */
export function whoAmI(key: string): Promise<Me> {
  return request<Me>(key, 'GET', '/v1/me');
}

/** Deployment settings served next to the console; defaults when they cannot be read. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    return await request<ConsoleConfig>(null, 'GET', `${import.meta.env.BASE_URL}config.json`);
  } catch {
    return { temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default' };
  }
}
