/**
 * The phoenix-api the agent's integration tests talk to, behind one interface: the in-test fake (default),
 * or — once modules/phoenix-api is merged — the real service (PHOENIX_AGENT_TEST_API=real; wire
 * `startRealApi` below to ApiService with PGlite in a temp dir and PHOENIX_AGENT_KEY). The tests only use
 * this interface, so they run unchanged against both.
 */
import type { AgentHeartbeat, AgentTask, KpiSample, LogLine } from '@phoenix/contracts';
import { FakeApi } from './fakeApi';

export interface EnqueueOptions {
  priority?: number;
  maxAttempts?: number;
  deadlineSeconds?: number;
}

export interface TestApi {
  /** base URL for PHOENIX_API_URL */
  readonly url: string;
  /** a key any host may use (PHOENIX_AGENT_KEY) */
  readonly key: string;
  enqueue(hostId: string, type: AgentTask['type'], config: Record<string, unknown>, opts?: EnqueueOptions): Promise<string>;
  task(id: string): Promise<AgentTask | undefined>;
  /** a claimed or running task back to the queue, as when its lease runs out */
  expireLease(id: string): Promise<void>;
  /** the stored KPI samples of a host, by seq */
  samples(hostId: string): Promise<KpiSample[]>;
  /** the stored log lines of a host, by seq */
  logs(hostId: string): Promise<LogLine[]>;
  /** the heartbeats a host sent (the real API keeps the last; the fake keeps all) */
  heartbeats(hostId: string): Promise<AgentHeartbeat[]>;
  /** unreachable (connections refused) until up() */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

/** The API of this test run. */
export async function startTestApi(o: { heartbeatIntervalSeconds?: number; pollTimeoutSeconds?: number; metricsIntervalSeconds?: number; leaseSeconds?: number } = {}): Promise<TestApi> {
  if (process.env.PHOENIX_AGENT_TEST_API === 'real') return startRealApi();
  const api = new FakeApi(o);
  await api.start();
  return api;
}

function startRealApi(): Promise<TestApi> {
  return Promise.reject(new Error('PHOENIX_AGENT_TEST_API=real: wire startRealApi() in modules/phoenix-agent/test/testApi.ts to modules/phoenix-api'));
}
