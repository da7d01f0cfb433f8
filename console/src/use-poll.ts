import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api';

/** What a polled resource looks like to a view. */
export interface Polled<T> {
  data: T | null;
  /** The last failure; cleared by the next success. */
  failure: ApiFailure | null;
  loading: boolean;
  /** When the next automatic retry after a failure happens (epoch ms), or null. */
  retryAt: number | null;
  /** Loads now (a "Retry now" or "Refresh" button). */
  refresh(): void;
}

const MAX_BACKOFF_MS = 15_000;

/**
 * Loads `load` now and again every `intervalMs` while `keepPolling(data)` holds. A failure that
 * is worth retrying (no answer, 5xx) retries with back-off up to 15 s and says so; any other
 * failure stops until `refresh()`. Never spins forever: each request times out (api.ts).
 */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], intervalMs: number, keepPolling: (data: T) => boolean = () => true): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(true);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keepRef = useRef(keepPolling);
  keepRef.current = keepPolling;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const run = async () => {
      setLoading(true);
      setRetryAt(null);
      try {
        const next = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        failures = 0;
        setData(next);
        setFailure(null);
        if (keepRef.current(next)) timer = setTimeout(run, intervalMs);
      } catch (err) {
        if (controller.signal.aborted) return;
        const f = err instanceof ApiFailure ? err : new ApiFailure('network', 0, 'network_error', 'The API cannot be reached.');
        setFailure(f);
        if (f.retryable) {
          const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures++);
          setRetryAt(Date.now() + wait);
          timer = setTimeout(run, wait);
        }
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // Callers list what `load` depends on in `deps`; `load` itself is read through a ref.
  }, [...deps, tick, intervalMs]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, failure, loading, retryAt, refresh };
}

/** The current time, updated every `everyMs` (countdowns). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
