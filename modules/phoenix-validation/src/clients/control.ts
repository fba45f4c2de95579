import { type ControlHistoryEntry, validateControlHistory } from '@phoenix/contracts';
import { fetchJson, joinUrl } from '../sources/http';

/** Reads phoenix-control's history (GET /api/v1/history), for the actuator's reasons of the transitions seen. */
export class ControlClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** History entries between `fromMs` and `toMs` (inclusive), oldest first. */
  async historyBetween(fromMs: number, toMs: number, signal?: AbortSignal): Promise<ControlHistoryEntry[]> {
    const body = await fetchJson(joinUrl(this.baseUrl, '/api/v1/history?limit=1000'), { timeoutMs: this.timeoutMs, signal });
    const v = validateControlHistory(body);
    if (!v.ok) throw new Error(`GET /api/v1/history does not match its contract: ${v.errors.slice(0, 5).join('; ')}`);
    return v.value.entries
      .filter((e) => {
        const at = Date.parse(e.at);
        return at >= fromMs && at <= toMs;
      })
      .sort((a, b) => a.id - b.id);
  }
}
