import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CoreConfig } from '../config/coreConfig';
import type { RenderedExposition } from '../exporter/prometheusExporter';
import { GuardedLifecycle, ProtobufDecodeError, UnavailableError, type Logger } from '@phoenix/runtime';
import type { DecodedRequest } from '../otlp/model';
import type { Profile } from '../processor/optimized/optimizedPipeline';
import type { PipelineName } from '../processor/pipeline';
import type { IngestResult } from '../consumer/metricsConsumer';
import { mergeExpositions } from './mergeExpositions';
import type { ShardInit, ShardRendered, ShardReply, ShardRequest, ShardStats } from './shardProtocol';
import { splitDecodedByShard, splitProtobufByShard } from './splitRequest';

/** Omits `id` from each member of a union (TypeScript's Omit would collapse the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * The compiled worker script. Under ts-jest/SWC this module runs from src/, where there is no
 * JavaScript; the build's copy in dist/ is used then (`npm test` builds first).
 */
export function shardWorkerScript(): string {
  const here = path.join(__dirname, 'shardWorker.js');
  if (fs.existsSync(here)) return here;
  return path.join(__dirname, '..', '..', 'dist', 'shard', 'shardWorker.js');
}

/** Sums the ingest results of the parts of one request. */
export function sumResults(results: readonly IngestResult[]): IngestResult {
  const out: IngestResult = { accepted: 0, rejected: 0, reasons: {}, message: '' };
  const messages: string[] = [];
  for (const r of results) {
    out.accepted += r.accepted;
    out.rejected += r.rejected;
    for (const [reason, n] of Object.entries(r.reasons) as Array<[keyof IngestResult['reasons'], number]>) out.reasons[reason] = (out.reasons[reason] ?? 0) + n;
    if (r.message) messages.push(r.message);
  }
  out.message = messages.join('; ');
  return out;
}

/**
 * The shards of a sharded core: one worker thread per shard, each with its own store and
 * pipelines for the hosts that hash to it (shardOfHost on the resource's host attribute), so
 * every (host, metric) rollup and top-k ranking is computed whole in one shard and the parts
 * combine exactly: expositions by concatenating each family's lines, KPIs by sums.
 *
 * A request whose resources span several shards is ingested in two phases (every shard decodes
 * its part, then all commit, or all drop it when one part is malformed), so a malformed request
 * is rejected whole, as in the single-threaded core. If a worker dies, the pool fails: every
 * pending and later call rejects with UnavailableError and `onFailure` is called once.
 */
export class ShardPool extends GuardedLifecycle {
  private readonly workers: Worker[] = [];
  private readonly waiting: Array<Map<number, Waiter>> = [];
  private nextId = 1;
  private failure: string | undefined;
  private closing = false;
  /** family names whose TYPE differed between shards, by merged scrape (see mergeExpositions) */
  typeConflicts = 0;

  constructor(
    private readonly config: CoreConfig,
    readonly shards: number,
    private readonly log: Logger,
    private readonly opts: { timers: boolean; onFailure?: (reason: string) => void },
  ) {
    super('the shard pool');
  }

  /** The worker threads, by shard. */
  get workerThreads(): readonly Worker[] {
    return this.workers;
  }

  /** start(): starts the workers and waits until each has built its pipelines. */
  protected async doStart(): Promise<void> {
    const script = shardWorkerScript();
    // the series limit is per store: split it so the whole core keeps to it
    const config: CoreConfig = { ...this.config, store: { ...this.config.store, maxSeries: Math.ceil(this.config.store.maxSeries / this.shards) } };
    for (let index = 0; index < this.shards; index++) {
      const init: ShardInit = { config, index, shards: this.shards, timers: this.opts.timers };
      const worker = new Worker(script, { workerData: init });
      const waiting = new Map<number, Waiter>();
      worker.on('message', (m: ShardReply) => {
        const w = waiting.get(m.id);
        if (!w) return;
        waiting.delete(m.id);
        if (m.ok) w.resolve(m.value);
        else w.reject(m.decode ? new ProtobufDecodeError(m.message) : new UnavailableError(`shard ${index}: ${m.message}`));
      });
      worker.on('error', (err) => this.fail(`shard ${index} failed: ${err.message}`));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(`shard ${index} exited with code ${code}`);
      });
      this.workers.push(worker);
      this.waiting.push(waiting);
    }
    // a first answer from each worker means it built its pipelines (a sweep of an empty store is free)
    await Promise.all(this.workers.map((_, i) => this.call(i, { op: 'sweep' })));
  }

  private fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    this.log.error('sharded core failed', { reason });
    for (const waiting of this.waiting) {
      for (const w of waiting.values()) w.reject(new UnavailableError(reason));
      waiting.clear();
    }
    this.opts.onFailure?.(reason);
  }

  /** Sends a request to a shard: its id, and the promise of the reply. */
  private post<T>(shard: number, msg: WithoutId<ShardRequest>, transfer?: ArrayBuffer[]): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    if (this.failure !== undefined) return { id, reply: Promise.reject(new UnavailableError(this.failure)) };
    if (this.closing) return { id, reply: Promise.reject(new UnavailableError('the core is shutting down')) };
    const reply = new Promise<T>((resolve, reject) => {
      this.waiting[shard].set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[shard].postMessage({ ...msg, id } as ShardRequest, transfer);
    });
    return { id, reply };
  }

  private call<T>(shard: number, msg: WithoutId<ShardRequest>, transfer?: ArrayBuffer[]): Promise<T> {
    return this.post<T>(shard, msg, transfer).reply;
  }

  private all<T>(msg: WithoutId<ShardRequest>): Promise<T[]> {
    return Promise.all(this.workers.map((_, i) => this.call<T>(i, msg)));
  }

  /**
   * Routes a protobuf request's resources to their shards. Framing errors throw ProtobufDecodeError
   * here, on the calling thread; the shards decode the rest.
   */
  ingestProtobuf(body: Buffer): Promise<IngestResult> {
    const parts = splitProtobufByShard(body, this.config.rollup.hostAttribute, this.shards);
    const used: number[] = [];
    parts.forEach((p, i) => p && used.push(i));
    if (used.length === 0) return Promise.resolve({ accepted: 0, rejected: 0, reasons: {}, message: '' });
    // each part moves to its worker with its ArrayBuffer (no copy); the request body itself may sit in
    // a buffer shared with other data, so it is copied into one of its own first
    const send = <T>(i: number, op: 'ingest' | 'prepare'): { id: number; reply: Promise<T> } => {
      const part = parts[i] as Buffer;
      let own: Uint8Array<ArrayBuffer>;
      if (part !== body && part.byteOffset === 0 && part.byteLength === part.buffer.byteLength && part.buffer instanceof ArrayBuffer) {
        own = new Uint8Array(part.buffer);
      } else {
        own = new Uint8Array(part.length);
        own.set(part);
      }
      return this.post<T>(i, { op, body: own }, [own.buffer]);
    };
    if (used.length === 1) return send<IngestResult>(used[0], 'ingest').reply;
    return this.twoPhase(used.map((i) => ({ shard: i, ...send<number>(i, 'prepare') })));
  }

  /** Commits the prepared parts of a request when every shard decoded its part, else drops them all. */
  private async twoPhase(prepared: Array<{ shard: number; id: number; reply: Promise<number> }>): Promise<IngestResult> {
    const settled = await Promise.allSettled(prepared.map((p) => p.reply));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.allSettled(prepared.map((p, n) => (settled[n].status === 'fulfilled' ? this.call(p.shard, { op: 'abort', ref: p.id }) : undefined)));
      throw failed.reason;
    }
    return sumResults(await Promise.all(prepared.map((p) => this.call<IngestResult>(p.shard, { op: 'commit', ref: p.id }))));
  }

  /** Routes a decoded (OTLP/JSON) request's resources to their shards; it is valid already. */
  async ingestDecoded(req: DecodedRequest): Promise<IngestResult> {
    const parts = splitDecodedByShard(req, this.config.rollup.hostAttribute, this.shards);
    const results: Array<Promise<IngestResult>> = [];
    parts.forEach((p, i) => p && results.push(this.call<IngestResult>(i, { op: 'ingestDecoded', req: p })));
    return sumResults(await Promise.all(results));
  }

  /** Every shard's part of a pipeline's output, merged into one exposition. */
  async render(pipeline: PipelineName): Promise<RenderedExposition> {
    const parts = await this.all<ShardRendered>({ op: 'render', pipeline });
    const merged = mergeExpositions(parts.map((p) => p.exposition));
    if (merged.conflicts.length > 0) {
      this.typeConflicts += merged.conflicts.length;
      this.log.warn('a metric family has different types in different shards; the first shard’s type is exposed', { families: [...new Set(merged.conflicts)] });
    }
    return { chunks: merged.chunks, series: merged.series, seconds: parts.reduce((s, p) => s + p.seconds, 0) };
  }

  stats(): Promise<ShardStats[]> {
    return this.all<ShardStats>({ op: 'stats' });
  }

  async applyControl(profile: Profile, k: number): Promise<void> {
    await this.all({ op: 'control', profile, k });
  }

  async sweep(): Promise<number> {
    return (await this.all<number>({ op: 'sweep' })).reduce((a, b) => a + b, 0);
  }

  async rank(): Promise<number> {
    return (await this.all<number>({ op: 'rank' })).reduce((a, b) => a + b, 0);
  }

  /** stop(): stops the workers; calls still pending reject with UnavailableError. */
  protected async doStop(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const waiting of this.waiting) {
      for (const w of waiting.values()) w.reject(new UnavailableError('the core is shutting down'));
      waiting.clear();
    }
  }
}
