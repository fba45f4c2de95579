import { parseSampleValue } from '@phoenix/runtime';
import { waitFor } from '../waitFor';

/** One element of an instant-query result (a scalar result is returned as one element with no labels). */
export interface PromSample {
  metric: Record<string, string>;
  /** Sample value; `+Inf`, `-Inf` and `NaN` are mapped to the JavaScript numbers. */
  value: number;
  /** Evaluation timestamp, seconds since the epoch. */
  timestamp: number;
}

/** An active scrape target as reported by `/api/v1/targets`. */
export interface PromTarget {
  job: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
}

/** The queries of a running Prometheus (its HTTP API). */
export interface PrometheusQueries {
  /** PromQL instant query; throws on an API error or a non-instant (matrix/string) result. */
  query(promql: string): Promise<PromSample[]>;
  /** The value of an instant query that yields at most one series: undefined when empty, throws when several. */
  queryValue(promql: string): Promise<number | undefined>;
  /** Polls queryValue until `predicate` holds; resolves with that value, or throws with diagnostics after `timeoutMs`. */
  waitForValue(promql: string, predicate: (value: number | undefined) => boolean, timeoutMs?: number): Promise<number | undefined>;
  /** The active scrape targets with their health. */
  targets(): Promise<PromTarget[]>;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  | { resultType: 'scalar'; result: [number, string] }
  | { resultType: 'matrix' | 'string'; result: unknown };

type ActiveTargetJson = Omit<PromTarget, 'job'> & { scrapePool: string };

async function apiGet<T>(base: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${base}${pathAndQuery}`);
  const body = await res.text();
  let parsed: ApiResponse<T>;
  try {
    parsed = JSON.parse(body) as ApiResponse<T>;
  } catch {
    throw new Error(`Prometheus ${pathAndQuery}: HTTP ${res.status}, not JSON: ${body.slice(0, 500)}`);
  }
  if (parsed.status !== 'success' || parsed.data === undefined) {
    throw new Error(`Prometheus ${pathAndQuery}: HTTP ${res.status} ${parsed.errorType ?? ''}: ${parsed.error ?? body.slice(0, 500)}`);
  }
  return parsed.data;
}

function tail(s: string, n: number): string {
  return s.length > n ? `…${s.slice(-n)}` : s;
}

/** The queries against the Prometheus at `url`; `log()` is its output, shown when a wait fails. */
export function prometheusQueries(url: string, log: () => string): PrometheusQueries {
  const query = async (promql: string): Promise<PromSample[]> => {
    const data = await apiGet<QueryData>(url, `/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (data.resultType === 'vector') {
      return data.result.map((r) => ({ metric: r.metric, value: parseSampleValue(r.value[1]), timestamp: r.value[0] }));
    }
    if (data.resultType === 'scalar') return [{ metric: {}, value: parseSampleValue(data.result[1]), timestamp: data.result[0] }];
    throw new Error(`query ${promql} returned a ${data.resultType}, expected an instant vector or scalar`);
  };

  const queryValue = async (promql: string): Promise<number | undefined> => {
    const result = await query(promql);
    if (result.length === 0) return undefined;
    if (result.length > 1) throw new Error(`query ${promql} returned ${result.length} series, expected at most one: ${JSON.stringify(result)}`);
    return result[0].value;
  };

  const targets = async (): Promise<PromTarget[]> => {
    const data = await apiGet<{ activeTargets: ActiveTargetJson[] }>(url, '/api/v1/targets?state=active');
    return data.activeTargets.map(({ scrapePool, ...t }) => ({ ...t, job: t.labels.job ?? scrapePool }));
  };

  const waitForValue = async (promql: string, predicate: (value: number | undefined) => boolean, timeoutMs = 30_000): Promise<number | undefined> => {
    let last: number | undefined | 'error';
    try {
      const box = await waitFor(
        async () => {
          last = 'error';
          const v = await queryValue(promql);
          last = v;
          return predicate(v) ? { v } : undefined;
        },
        { timeoutMs, intervalMs: 200, what: `PromQL ${promql} to satisfy the predicate` },
      );
      return box.v;
    } catch (err) {
      const ts = await targets().catch((e: Error) => `(targets unavailable: ${e.message})`);
      const summary = typeof ts === 'string' ? ts : ts.map((t) => `${t.job} ${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('\n');
      throw new Error(`${(err as Error).message}; last value: ${String(last)}\n--- targets ---\n${summary}\n--- prometheus log ---\n${tail(log(), 2000)}`);
    }
  };

  return { query, queryValue, waitForValue, targets };
}
