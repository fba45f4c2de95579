import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Setting } from '../actuator/options';
import { type Clock, iso, type Logger } from '@phoenix/runtime';
import { type ContractValidator, type OptimizationMode, validateOptimizationMode } from '@phoenix/contracts';
import type { ControlFileWriterConfig } from './config';

/** What one write says besides the setting. */
export interface WriteRequest {
  setting: Setting;
  source: 'actuator' | 'override';
  reason: string;
  /** Set while a manual override holds. */
  overrideExpiresAtMs?: number;
}

export type WriteResult =
  | { ok: true; written: boolean; generation: number; document: OptimizationMode }
  | { ok: false; error: string; generation: number };

export type ResumeResult =
  | { ok: true; document: OptimizationMode }
  | { ok: false; reason: 'missing' | 'unreadable' | 'invalid'; errors: string[] };

const HEADER = ' Written by phoenix-control (the actuator); change it through the control API, not by hand.';

/** Fields whose change makes a new file (the reason alone does not). */
function sameDecision(a: OptimizationMode, b: OptimizationMode): boolean {
  return (
    a.mode === b.mode &&
    a.profile === b.profile &&
    a.topk.k === b.topk.k &&
    a.target_series === b.target_series &&
    a.source === b.source &&
    (a.override?.expires_at ?? null) === (b.override?.expires_at ?? null)
  );
}

/**
 * Writes optimization_mode.yaml: validated against the contract schema first (an invalid document is never
 * written), atomically (temp file in the same directory, fsync, rename), generation + 1 per write, and only
 * when the decision changes. Resumes the generation from the existing file. Never throws.
 */
export class ControlFileWriter {
  private gen = 0;
  private last: OptimizationMode | undefined;
  private writes = 0;

  constructor(
    private readonly cfg: ControlFileWriterConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly validate: ContractValidator<OptimizationMode> = validateOptimizationMode,
  ) {}

  get path(): string {
    return this.cfg.path;
  }

  generation(): number {
    return this.gen;
  }

  lastDocument(): OptimizationMode | undefined {
    return this.last;
  }

  writeCount(): number {
    return this.writes;
  }

  /** Reads the existing file: a valid one is resumed from; an invalid one still lends its generation. */
  resume(): ResumeResult {
    let text: string;
    try {
      text = fs.readFileSync(this.cfg.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, reason: 'missing', errors: [] };
      return { ok: false, reason: 'unreadable', errors: [(err as Error).message] };
    }
    let parsed: unknown;
    try {
      parsed = YAML.parse(text);
    } catch (err) {
      return { ok: false, reason: 'invalid', errors: [`YAML: ${(err as Error).message}`] };
    }
    const g = (parsed as { generation?: unknown } | null)?.generation;
    if (typeof g === 'number' && Number.isInteger(g) && g >= 0) this.gen = Math.max(this.gen, g);
    const v = this.validate(parsed);
    if (!v.ok) return { ok: false, reason: 'invalid', errors: v.errors };
    this.last = v.value;
    this.gen = v.value.generation;
    return { ok: true, document: v.value };
  }

  /** Builds the document the request would write (generation + 1), without writing. */
  build(req: WriteRequest): OptimizationMode {
    const reason = req.reason.length > 4096 ? `${req.reason.slice(0, 4093)}...` : req.reason;
    return {
      version: 1,
      generation: this.gen + 1,
      mode: req.setting.mode,
      profile: req.setting.profile,
      topk: { k: req.setting.k },
      target_series: req.setting.targetSeries,
      updated_at: iso(this.clock.now()),
      source: req.source,
      reason,
      override: { expires_at: req.overrideExpiresAtMs === undefined ? null : iso(req.overrideExpiresAtMs) },
    };
  }

  /** True when the request differs from the last written decision, or the file has gone. */
  needsWrite(req: WriteRequest): boolean {
    if (!this.last) return true;
    if (!sameDecision(this.last, this.build(req))) return true;
    return !fs.existsSync(this.cfg.path);
  }

  /** Writes when the decision changed (or `force`). Never throws. */
  write(req: WriteRequest, opts: { force?: boolean } = {}): WriteResult {
    try {
      if (!opts.force && !this.needsWrite(req)) {
        return { ok: true, written: false, generation: this.gen, document: this.last! };
      }
      const doc = this.build(req);
      const v = this.validate(doc);
      if (!v.ok) {
        this.log.error('control file not written: the document fails the schema', { errors: v.errors, path: this.cfg.path });
        return { ok: false, error: `invalid document: ${v.errors.join('; ')}`, generation: this.gen };
      }
      this.writeAtomically(this.render(doc));
      this.gen = doc.generation;
      this.last = doc;
      this.writes += 1;
      this.log.info('control file written', {
        path: this.cfg.path,
        generation: doc.generation,
        mode: doc.mode,
        profile: doc.profile,
        k: doc.topk.k,
        target_series: doc.target_series,
        source: doc.source,
        reason: doc.reason,
      });
      return { ok: true, written: true, generation: doc.generation, document: doc };
    } catch (err) {
      this.log.error('control file write failed', { path: this.cfg.path, err });
      return { ok: false, error: (err as Error).message, generation: this.gen };
    }
  }

  private render(doc: OptimizationMode): string {
    const d = new YAML.Document(doc);
    d.commentBefore = HEADER;
    return d.toString();
  }

  private writeAtomically(text: string): void {
    const dir = path.dirname(path.resolve(this.cfg.path));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${path.basename(this.cfg.path)}.${process.pid}.${this.clock.now()}.${Math.random().toString(36).slice(2)}.tmp`);
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'w', 0o644);
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.cfg.path);
    } catch (err) {
      if (fd !== undefined) {
        try {
          fs.closeSync(fd);
        } catch {
          /* already failing */
        }
      }
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* may not exist */
      }
      throw err;
    }
    try {
      const dfd = fs.openSync(dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      /* directory fsync is best effort (not supported everywhere) */
    }
  }
}
