import fs from 'node:fs';
import { validateOptimizationMode, type OptimizationMode, lazyYaml } from '@phoenix/contracts';
import { iso, writeFileAtomic, type Clock } from '@phoenix/runtime';

type Mode = OptimizationMode['mode'];

/** What the agent wants in force (the document is derived from it). */
export interface ControlSetting {
  mode: Mode;
  profile: Mode;
  k: number;
  targetSeries: number;
  source: 'actuator' | 'override';
  reason: string;
  /** set while an explicit (override) setting holds */
  overrideExpiresAtMs: number | undefined;
}

export interface ControlFileRead {
  /** the document in the file, or phoenix-core's defaults when there is none (or it is invalid) */
  document: OptimizationMode;
  from: 'file' | 'defaults';
  /** why the file was not used (missing, YAML, schema) */
  problems: string[];
}

const HEADER = ' Written by phoenix-agent (no phoenix-control runs for this host); the fleet steers it through set_control tasks.';

/** Fields whose change makes a new file (a new reason alone does not). */
function same(a: OptimizationMode, b: OptimizationMode): boolean {
  return (
    a.mode === b.mode &&
    a.profile === b.profile &&
    a.topk.k === b.topk.k &&
    a.target_series === b.target_series &&
    (a.source ?? 'actuator') === (b.source ?? 'actuator') &&
    (a.override?.expires_at ?? null) === (b.override?.expires_at ?? null)
  );
}

/**
 * The core's control file (optimization_mode.yaml) as the agent writes it when no phoenix-control runs:
 * validated against optimization_mode.schema.json before it is written, atomically (temp file + rename),
 * generation + 1 on every write, only when the setting changes.
 */
export class CoreControlFile {
  constructor(
    readonly path: string,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly defaultTargetSeries: number,
  ) {}

  read(): ControlFileRead {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      return { document: this.defaults(0), from: 'defaults', problems: [(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message] };
    }
    let parsed: unknown;
    try {
      parsed = lazyYaml().parse(text);
    } catch (err) {
      return { document: this.defaults(0), from: 'defaults', problems: [`YAML: ${(err as Error).message}`] };
    }
    const v = validateOptimizationMode(parsed);
    if (v.ok) return { document: v.value, from: 'file', problems: [] };
    const g = (parsed as { generation?: unknown } | null)?.generation;
    const gen = typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : 0;
    return { document: this.defaults(gen), from: 'defaults', problems: v.errors };
  }

  /** Writes `s` unless the file already says it; returns the document in force. */
  write(s: ControlSetting): { written: boolean; document: OptimizationMode } {
    const current = this.read();
    const doc: OptimizationMode = {
      version: 1,
      generation: current.document.generation + 1,
      mode: s.mode,
      profile: s.profile,
      topk: { k: s.k },
      target_series: s.targetSeries,
      updated_at: iso(this.clock.now()),
      source: s.source,
      reason: s.reason.length > 4096 ? `${s.reason.slice(0, 4093)}...` : s.reason,
      override: { expires_at: s.overrideExpiresAtMs === undefined ? null : iso(s.overrideExpiresAtMs) },
    };
    if (current.from === 'file' && same(current.document, doc)) return { written: false, document: current.document };
    const v = validateOptimizationMode(doc);
    if (!v.ok) throw new Error(`the control document breaks optimization_mode.schema.json: ${v.errors.join('; ')}`);
    const d = new (lazyYaml().Document)(doc);
    d.commentBefore = HEADER;
    writeFileAtomic(this.path, d.toString());
    return { written: true, document: doc };
  }

  /** phoenix-core's settings while it has no valid control file. */
  private defaults(generation: number): OptimizationMode {
    return {
      version: 1,
      generation,
      mode: 'conservative',
      profile: 'balanced',
      topk: { k: 20 },
      target_series: this.defaultTargetSeries,
      source: 'actuator',
      reason: 'defaults: no control file read yet',
      override: { expires_at: null },
    };
  }
}
