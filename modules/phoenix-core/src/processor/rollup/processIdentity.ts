import type { Series } from '../../store/series';
import { promLabelName } from '../../store/naming';
import type { RollupConfig } from './rollupConfig';

/** Recognises process series and names a process, from the point attributes. */
export class ProcessIdentity {
  private readonly prefixes: string[];
  private readonly exact: Set<string>;
  constructor(cfg: RollupConfig) {
    this.prefixes = cfg.processAttributePrefixes;
    this.exact = new Set(cfg.processAttributes);
  }

  isProcessAttribute(key: string): boolean {
    if (this.exact.has(key)) return true;
    for (const p of this.prefixes) if (key.startsWith(p)) return true;
    return false;
  }

  /** Label names (Prometheus) of the process attributes of a series; empty for non-process series. */
  processLabelNames(s: Series): Set<string> {
    const out = new Set<string>();
    const a = s.pointAttrs;
    for (let i = 0; i < a.length; i += 2) if (this.isProcessAttribute(a[i])) out.add(promLabelName(a[i]));
    return out;
  }

  /**
   * A stable identity of the process a series belongs to ('' when it is not a process series).
   * Not memoized on the series (a string per series would cost ~130 bytes at a million series):
   * the hot path, the ranker, keeps its process in a slot instead.
   */
  processKey(s: Series): string {
    const parts: string[] = [];
    const a = s.pointAttrs;
    for (let i = 0; i < a.length; i += 2) if (this.isProcessAttribute(a[i])) parts.push(`${a[i]}=${a[i + 1]}`);
    if (parts.length === 0) return '';
    parts.sort();
    return parts.join('\u0000');
  }

  /** Whether a series has process attributes (processKey(s) !== ''). */
  isProcessSeries(s: Series): boolean {
    const a = s.pointAttrs;
    for (let i = 0; i < a.length; i += 2) if (this.isProcessAttribute(a[i])) return true;
    return false;
  }
}
