import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, InvalidInputError, systemClock } from '@phoenix/runtime';
import { decodeProtobufRequest } from '../otlp/decodeProtobufRequest';
import { countPoints, type DecodedRequest } from '../otlp/model';
import { CorePipelines } from '../service/corePipelines';
import { startMaintenance } from '../service/maintenance';
import type { Series, SeriesListener } from '../store/series';
import { FamilyIndexWriter } from './familyIndexWriter';
import type { ShardInit, ShardReply, ShardRequest, ShardStats } from './shardProtocol';
import { shardOfHost } from './shardOfHost';

/**
 * A shard of a sharded core, in a worker thread: the store and the three pipelines for the hosts
 * that hash to it (see ShardPool). Answers every request in order; never throws into the port.
 */
function runShard(port: NonNullable<typeof parentPort>, init: ShardInit): void {
  const { config, index, shards } = init;
  const log = createLogger({ level: config.logLevel, fields: { service: 'phoenix-core', shard: index } });
  const core = new CorePipelines(config, systemClock, log);
  const hostAttribute = config.rollup.hostAttribute;
  let misrouted = 0;
  // a series whose host (a point attribute wins over the resource's) hashes to another shard:
  // its rollups would be split between shards, so count and log it
  const check: SeriesListener = {
    onUpdate(s: Series): void {
      if (s.updates !== 1) return;
      const host = (s.hostKey ??= s.attr(hostAttribute) ?? '');
      if (shardOfHost(host, shards) === index) return;
      if (misrouted++ === 0) log.warn('series host differs from its resource host; rollups of that host may be split between shards', { host, hostAttribute });
    },
    onExpire(): void {
      /* nothing kept */
    },
  };
  core.store.addListener(check, { pipeline: 'shard', stage: 'host_check' });
  const prepared = new Map<number, DecodedRequest>();
  const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

  const handle = (m: ShardRequest): { value: NonNullable<ShardReply & { ok: true }>['value']; transfer?: ArrayBuffer[] } => {
    switch (m.op) {
      case 'ingest':
        return { value: core.store.consume(decodeProtobufRequest(bytes(m.body), { lazyAttributes: true })) };
      case 'prepare': {
        const req = decodeProtobufRequest(bytes(m.body), { lazyAttributes: true });
        prepared.set(m.id, req);
        return { value: countPoints(req) };
      }
      case 'commit': {
        const req = prepared.get(m.ref);
        prepared.delete(m.ref);
        if (!req) throw new Error(`no prepared request #${m.ref}`);
        return { value: core.store.consume(req) };
      }
      case 'abort':
        prepared.delete(m.ref);
        return { value: null };
      case 'ingestDecoded':
        return { value: core.store.consume(m.req) };
      case 'render': {
        const t = process.cpuUsage();
        const w = new FamilyIndexWriter();
        core.pipeline(m.pipeline).render(w);
        const exposition = w.finish();
        const used = process.cpuUsage(t);
        return { value: { exposition, seconds: (used.user + used.system) / 1e6 }, transfer: [exposition.bytes.buffer as ArrayBuffer] };
      }
      case 'stats': {
        const families: string[] = [];
        for (const [name, fam] of core.store.families) if (fam.series.size > 0) families.push(name);
        const stats: ShardStats = { store: core.store.stats, families, kpis: core.kpis.partial(), misrouted, pipelineErrors: core.store.pipelineErrors() };
        return { value: stats };
      }
      case 'control':
        core.applyControl(m.profile, m.k);
        return { value: null };
      case 'sweep':
        return { value: core.sweep() };
      case 'rank':
        return { value: core.rank() };
    }
  };

  port.on('message', (m: ShardRequest) => {
    let reply: ShardReply;
    let transfer: ArrayBuffer[] | undefined;
    try {
      const r = handle(m);
      reply = { id: m.id, ok: true, value: r.value };
      transfer = r.transfer;
    } catch (err) {
      const decode = err instanceof InvalidInputError;
      if (!decode) log.error('shard request failed', { op: m.op, err });
      reply = { id: m.id, ok: false, decode, message: (err as Error).message };
    }
    port.postMessage(reply, transfer);
  });

  if (init.timers) startMaintenance(core, { sweepIntervalMs: config.sweepIntervalMs, rankIntervalMs: config.topk.rankIntervalMs }, systemClock, log);
}

if (parentPort) runShard(parentPort, workerData as ShardInit);
