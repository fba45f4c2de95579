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
    for (const [k] of s.pointAttrs) if (this.isProcessAttribute(k)) out.add(promLabelName(k));
    return out;
  }

  /** A stable identity of the process a series belongs to ('' when it is not a process series). */
  processKey(s: Series): string {
    if (s.procKey !== undefined) return s.procKey;
    s.procKey = this.computeProcessKey(s);
    return s.procKey;
  }

  private computeProcessKey(s: Series): string {
    let key = '';
    const parts: string[] = [];
    for (const [k, v] of s.pointAttrs) if (this.isProcessAttribute(k)) parts.push(`${k}=${v}`);
    if (parts.length === 0) return key;
    parts.sort();
    key = parts.join('\u0000');
    return key;
  }
}
