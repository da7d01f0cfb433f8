/** Fault settings of the demo systems, for tests and drills. */
export interface FaultSettings {
  latencyMs?: number;
  /** Share of requests delayed by `latencyMs` (1 when absent and latencyMs is set). */
  latencySpikeRate?: number;
  /** Share of non-admin requests answered with 503. */
  errorRate?: number;
  /**
   * One-shot failures: the next `count` matching requests get `status`. With `afterEffect`
   * the request is handled (its side effect commits) and only the response is replaced: a
   * lost response, as when a worker dies after the call.
   */
  failNext?: { method: string; pathPrefix: string; status: number; count: number; afterEffect?: boolean }[];
}

/** Decides, per request, whether to delay or fail it. */
export interface FaultInjector {
  configure(settings: FaultSettings): void;
  current(): FaultSettings;
  /** Returns a status to fail with, or undefined; waits out any injected latency first. */
  apply(method: string, path: string): Promise<number | undefined>;
  /** Returns a status to replace a handled request's response with (lost responses), or undefined. */
  applyAfter(method: string, path: string): number | undefined;
}

/** Creates a fault injector; `random` is injectable so tests are repeatable. */
export function createFaultInjector(random: () => number = Math.random): FaultInjector {
  let settings: FaultSettings = {};
  const take = (method: string, path: string, afterEffect: boolean) =>
    settings.failNext?.find(
      (f) => f.count > 0 && Boolean(f.afterEffect) === afterEffect && f.method.toUpperCase() === method.toUpperCase() && path.startsWith(f.pathPrefix),
    );
  return {
    configure(next) {
      settings = structuredClone(next);
    },
    current: () => structuredClone(settings),
    async apply(method, path) {
      if (path.startsWith('/_admin') || path.startsWith('/health')) return undefined;
      if (settings.latencyMs && random() < (settings.latencySpikeRate ?? 1)) await new Promise((r) => setTimeout(r, settings.latencyMs));
      const oneShot = take(method, path, false);
      if (oneShot) {
        oneShot.count -= 1;
        return oneShot.status;
      }
      if (settings.errorRate && random() < settings.errorRate) return 503;
      return undefined;
    },
    applyAfter(method, path) {
      const oneShot = take(method, path, true);
      if (!oneShot) return undefined;
      oneShot.count -= 1;
      return oneShot.status;
    },
  };
}
