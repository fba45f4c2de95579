import { validateTaskCollectDiagnostics, type TaskCollectDiagnostics } from '@phoenix/contracts';
import type { RecentLine } from '../../logs/logShipper';
import { httpRequest } from '../../net/httpRequest';
import { succeeded, type TaskExecutor } from '../types';

export interface CollectDiagnosticsDeps {
  /** the agent's state (its /health report) */
  agentState: () => Record<string, unknown>;
  coreHealthUrl: string;
  timeoutMs: number;
  /** the phoenix_* lines of the last observatory scrape */
  observatory: () => string[];
  recentLogs: (n: number) => RecentLine[];
}

const DEFAULT_LOG_LINES = 200;

/** collect_diagnostics: the agent's state, its core's health and observatory (excerpt), recent log lines. */
export function collectDiagnosticsExecutor(d: CollectDiagnosticsDeps): TaskExecutor<TaskCollectDiagnostics> {
  return {
    type: 'collect_diagnostics',
    validate: validateTaskCollectDiagnostics,
    unsupported: () => undefined,
    async run(c, ctx) {
      let coreHealth: Record<string, unknown>;
      try {
        const res = await httpRequest(d.coreHealthUrl, { timeoutMs: d.timeoutMs, signal: ctx.signal });
        let body: unknown = res.text.slice(0, 2000);
        try {
          body = JSON.parse(res.text) as unknown;
        } catch {
          /* not JSON: the text */
        }
        coreHealth = { url: d.coreHealthUrl, status: res.status, body };
      } catch (err) {
        coreHealth = { url: d.coreHealthUrl, error: (err as Error).message };
      }
      const logs = d.recentLogs(c.log_lines ?? DEFAULT_LOG_LINES);
      return succeeded({
        agent: d.agentState(),
        core_health: coreHealth,
        ...(c.include_observatory === false ? {} : { observatory: d.observatory() }),
        logs,
      });
    },
  };
}
