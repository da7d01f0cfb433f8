/** Fault settings of the demo systems, for tests and drills. */
export interface FaultSettings {
  latencyMs?: number;
  /** Share of requests delayed by `latencyMs` (1 when absent and latencyMs is set). */
  latencySpikeRate?: number;
  /** Share of non-admin requests answered with 503. */
  errorRate?: number;
  /** One-shot failures: the next `count` matching requests get `status`. */
  failNext?: { method: string; pathPrefix: string; status: number; count: number }[];
}

/** Decides, per request, whether to delay or fail it. */
export interface FaultInjector {
  configure(settings: FaultSettings): void;
  current(): FaultSettings;
  /** Returns a status to fail with, or undefined; waits out any injected latency first. */
  apply(method: string, path: string): Promise<number | undefined>;
}

/** Creates a fault injector; `random` is injectable so tests are repeatable. */
export function createFaultInjector(random: () => number = Math.random): FaultInjector {
  let settings: FaultSettings = {};
  return {
    configure(next) {
      settings = structuredClone(next);
    },
    current: () => structuredClone(settings),
    async apply(method, path) {
      if (path.startsWith('/_admin') || path.startsWith('/health')) return undefined;
      if (settings.latencyMs && random() < (settings.latencySpikeRate ?? 1)) await new Promise((r) => setTimeout(r, settings.latencyMs));
      const oneShot = settings.failNext?.find((f) => f.count > 0 && f.method.toUpperCase() === method.toUpperCase() && path.startsWith(f.pathPrefix));
      if (oneShot) {
        oneShot.count -= 1;
        return oneShot.status;
      }
      if (settings.errorRate && random() < settings.errorRate) return 503;
      return undefined;
    },
  };
}
