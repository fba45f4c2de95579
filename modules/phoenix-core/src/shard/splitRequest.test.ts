/**
 * Routing of OTLP requests to shards by host: every ResourceMetrics must land, intact and in
 * order, in the shard that owns the host the store will see, and malformed framing is refused.
 */
import { encodeExportRequest, encodeMessage } from '@phoenix/testkit';
import { attr, counter, gauge, nanos, type AnyJson } from '../../test/otlpFixtures';
import { decodeJsonRequest } from '../otlp/decodeJsonRequest';
import { decodeProtobufRequest } from '../otlp/decodeProtobufRequest';
import { ProtobufDecodeError } from '@phoenix/runtime';
import type { DecodedResourceMetrics } from '../otlp/model';
import { shardOfHost } from './shardOfHost';
import { hostOfResource, splitDecodedByShard, splitProtobufByShard } from './splitRequest';
import { fnv1aRef } from '../../test/fnv1a';
import { mulberry32 as prng } from '../../test/workload';

const HOST = 'host.name';
const RESOURCE_METRICS = 'opentelemetry.proto.metrics.v1.ResourceMetrics';
const RESOURCE = 'opentelemetry.proto.resource.v1.Resource';

/** The host the test expects the store to see, computed without the code under test. */
function hostOf(rm: DecodedResourceMetrics, key = HOST): string {
  const hit = rm.resourceAttrs.find(([k]) => k === key);
  return hit === undefined ? '' : hit[1];
}

function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

function scopeMetrics(metrics: AnyJson[]): AnyJson {
  return { scope: { name: 'test', version: '1' }, metrics };
}

function rmJson(attributes: AnyJson[] | undefined, metrics: AnyJson[]): AnyJson {
  const rm: AnyJson = { scopeMetrics: [scopeMetrics(metrics)] };
  if (attributes !== undefined) rm.resource = { attributes };
  return rm;
}

// ---------------------------------------------------------------------------------------------
// random requests

const HOST_POOL = ['web-1', 'web-2', 'db-1', 'cache-7', 'edge-3', '42', 'hôte-ü'];

interface RandomRm {
  json: AnyJson;
  /** the host text the store must see for it */
  host: string;
}

function randomMetric(rand: () => number, i: number): AnyJson {
  const attrs = { path: `/p${Math.floor(rand() * 3)}` };
  switch (Math.floor(rand() * 6)) {
    case 0:
      return gauge(`g_${i}`, [{ value: rand() * 100, attrs }, { value: 1, attrs: { path: '/x' } }]);
    case 1:
      return counter(`c_${i}`, [{ value: Math.floor(rand() * 1000), attrs }], { temporality: rand() < 0.5 ? 1 : 2 });
    case 2:
      return {
        name: `h_${i}`,
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [{ attributes: [attr('path', '/h')], timeUnixNano: nanos(1_700_000_000_000), count: '3', sum: 4.5, bucketCounts: ['1', '2'], explicitBounds: [1] }],
        },
      };
    case 3:
      return {
        name: `s_${i}`,
        summary: { dataPoints: [{ timeUnixNano: nanos(1_700_000_000_000), count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] },
      };
    case 4:
      return {
        name: `e_${i}`,
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [{ count: '3', scale: 2, zeroCount: '1', positive: { offset: -1, bucketCounts: ['1', '1'] } }],
        },
      };
    default:
      return { name: `empty_${i}` };
  }
}

function randomRm(rand: () => number): RandomRm {
  const metrics = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => randomMetric(rand, i));
  const pooled = HOST_POOL[Math.floor(rand() * HOST_POOL.length)];
  const other = attr('service.name', 'svc');
  switch (Math.floor(rand() * 6)) {
    case 0:
      return { json: rmJson(undefined, metrics), host: '' }; // no resource
    case 1:
      return { json: rmJson([other], metrics), host: '' }; // no host attribute
    case 2:
      return { json: rmJson([other, attr(HOST, 42)], metrics), host: '42' }; // int host value
    case 3:
      // the host attribute twice: the first one counts
      return { json: rmJson([attr(HOST, pooled), other, attr(HOST, 'shadowed')], metrics), host: pooled };
    default:
      return { json: rmJson([other, attr(HOST, pooled)], metrics), host: pooled };
  }
}

function randomRequest(rand: () => number): { json: AnyJson; hosts: string[] } {
  const rms = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => randomRm(rand));
  return { json: { resourceMetrics: rms.map((r) => r.json) }, hosts: rms.map((r) => r.host) };
}

function expectDecodeError(f: () => unknown): void {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtobufDecodeError);
  expect((caught as Error).message).not.toBe('');
}

/** Two hosts of HOST_POOL that go to different shards out of `shards`. */
function hostsOnDifferentShards(shards: number): [string, string] {
  const a = HOST_POOL[0];
  const b = HOST_POOL.find((h) => shardOfHost(h, shards) !== shardOfHost(a, shards));
  if (b === undefined) throw new Error('HOST_POOL does not cover two shards');
  return [a, b];
}

// ---------------------------------------------------------------------------------------------

describe('hostOfResource', () => {
  test('is the value of the first attribute with the key, or empty', () => {
    expect(hostOfResource([['service.name', 's'], [HOST, 'a'], [HOST, 'b']], HOST)).toBe('a');
    expect(hostOfResource([['service.name', 's']], HOST)).toBe('');
    expect(hostOfResource([], HOST)).toBe('');
    expect(hostOfResource([[HOST, 'a'], ['node', 'n1']], 'node')).toBe('n1');
  });
});

describe('splitProtobufByShard', () => {
  test('routes every ResourceMetrics of random requests to its host\'s shard, intact and in order', () => {
    const rand = prng(0x5eed);
    let multiPart = 0;
    let sameObject = 0;
    for (let iter = 0; iter < 150; iter++) {
      const { json, hosts } = randomRequest(rand);
      const body = buf(encodeExportRequest(json));
      const original = decodeProtobufRequest(body).resourceMetrics;
      // the decoder sees the host text the generator meant (e.g. int 42 as "42")
      expect(original.map((rm) => hostOf(rm))).toEqual(hosts);
      for (let shards = 1; shards <= 4; shards++) {
        const parts = splitProtobufByShard(body, HOST, shards);
        expect(parts).toHaveLength(shards);
        let total = 0;
        let bytes = 0;
        let defined = 0;
        for (let i = 0; i < shards; i++) {
          const wanted = original.filter((rm) => shardOfHost(hostOf(rm), shards) === i);
          const part = parts[i];
          if (wanted.length === 0) {
            expect(part).toBeUndefined();
            continue;
          }
          expect(part).toBeInstanceOf(Buffer);
          const got = decodeProtobufRequest(part as Buffer).resourceMetrics;
          // (a) everything in part i belongs to shard i
          for (const rm of got) expect(shardOfHost(hostOf(rm), shards)).toBe(i);
          // (b) exactly the original's ResourceMetrics of shard i, in order
          expect(got).toEqual(wanted);
          total += got.length;
          bytes += (part as Buffer).length;
          defined++;
        }
        // (c) nothing lost or duplicated
        expect(total).toBe(original.length);
        // protobufjs frames canonically, so re-framing loses or adds no byte
        expect(bytes).toBe(body.length);
        if (defined === 1) {
          expect(parts.find((p) => p !== undefined)).toBe(body);
          if (shards > 1) sameObject++;
        } else {
          for (const p of parts) expect(p).not.toBe(body);
          multiPart++;
        }
      }
    }
    // the random requests exercised both the split and the no-copy path
    expect(multiPart).toBeGreaterThan(50);
    expect(sameObject).toBeGreaterThan(50);
  });

  test('hands back the body itself when every ResourceMetrics goes to one shard', () => {
    const body = buf(
      encodeExportRequest({
        resourceMetrics: [
          rmJson([attr(HOST, 'web-1')], [gauge('a', [{ value: 1 }])]),
          rmJson([attr('service.name', 'x'), attr(HOST, 'web-1')], [counter('b', [{ value: 2 }])]),
        ],
      }),
    );
    const parts = splitProtobufByShard(body, HOST, 3);
    const home = shardOfHost('web-1', 3);
    expect(parts).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      if (i === home) expect(parts[i]).toBe(body);
      else expect(parts[i]).toBeUndefined();
    }
  });

  test('with one shard returns [body] without parsing it', () => {
    const garbage = Buffer.from([0x0a, 0x7f, 0x01]);
    const parts = splitProtobufByShard(garbage, HOST, 1);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toBe(garbage);
    expect(splitProtobufByShard(garbage, HOST, 0)[0]).toBe(garbage);
  });

  test('a request without ResourceMetrics goes nowhere', () => {
    expect(splitProtobufByShard(Buffer.alloc(0), HOST, 3)).toEqual([undefined, undefined, undefined]);
    expect(splitProtobufByShard(Buffer.from([0x78, 0x01, 0x4a, 0x01, 0x61]), HOST, 2)).toEqual([undefined, undefined]);
  });

  test('skips unknown top-level fields of every wire type and drops them from the parts', () => {
    const [a, b] = hostsOnDifferentShards(2);
    const rmA = rmJson([attr(HOST, a)], [gauge('g', [{ value: 1 }])]);
    const rmB = rmJson([attr(HOST, b)], [counter('c', [{ value: 2 }])]);
    const encA = buf(encodeExportRequest({ resourceMetrics: [rmA] }));
    const encB = buf(encodeExportRequest({ resourceMetrics: [rmB] }));
    const encAA = buf(encodeExportRequest({ resourceMetrics: [rmA, rmA] }));
    const body = Buffer.concat([
      Buffer.from([(15 << 3) | 0, 0x96, 0x01]), // field 15, varint 150
      encA,
      Buffer.from([(9 << 3) | 2, 3, 0x61, 0x62, 0x63]), // field 9, LEN "abc"
      encB,
      Buffer.from([(10 << 3) | 5, 1, 2, 3, 4]), // field 10, fixed32
      encA,
      Buffer.from([(11 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8]), // field 11, fixed64
      Buffer.from([0xf8, 0x07, 0x00]), // field 127 (two-byte tag), varint
    ]);
    const parts = splitProtobufByShard(body, HOST, 2);
    const sa = shardOfHost(a, 2);
    const sb = shardOfHost(b, 2);
    // exactly the ResourceMetrics frames, nothing else
    expect((parts[sa] as Buffer).equals(encAA)).toBe(true);
    expect((parts[sb] as Buffer).equals(encB)).toBe(true);
    expect(decodeProtobufRequest(parts[sa] as Buffer).resourceMetrics).toEqual(decodeProtobufRequest(encAA).resourceMetrics);

    // one host plus unknown fields: a copy without them, not the body
    const single = Buffer.concat([encA, Buffer.from([(15 << 3) | 0, 0x01])]);
    const singleParts = splitProtobufByShard(single, HOST, 2);
    expect(singleParts[sa]).not.toBe(single);
    expect((singleParts[sa] as Buffer).equals(encA)).toBe(true);
    expect(singleParts[1 - sa]).toBeUndefined();
  });

  test('routes by the configured host attribute, whatever its value type', () => {
    const [a, b] = hostsOnDifferentShards(2);
    const body = buf(
      encodeExportRequest({
        resourceMetrics: [
          rmJson([attr(HOST, b), attr('k8s.node.name', a)], [gauge('g', [{ value: 1 }])]),
          rmJson([attr(HOST, a), attr('k8s.node.name', b)], [gauge('g', [{ value: 1 }])]),
        ],
      }),
    );
    const parts = splitProtobufByShard(body, 'k8s.node.name', 2);
    const hostsIn = (p: Buffer | undefined) => decodeProtobufRequest(p as Buffer).resourceMetrics.map((rm) => hostOf(rm, 'k8s.node.name'));
    expect(hostsIn(parts[shardOfHost(a, 2)])).toEqual([a]);
    expect(hostsIn(parts[shardOfHost(b, 2)])).toEqual([b]);

    // an int, a bool and a double host value route as their label text
    for (const [value, text] of [[42, '42'], [true, 'true'], [1.5, '1.5']] as const) {
      const req = buf(encodeExportRequest({ resourceMetrics: [rmJson([attr(HOST, value)], [gauge('g', [{ value: 1 }])])] }));
      const shards = 1009;
      const p = splitProtobufByShard(req, HOST, shards);
      expect(p[fnv1aRef(text) % shards]).toBe(req);
      expect(p.filter((x) => x !== undefined)).toHaveLength(1);
    }
  });

  test('when a ResourceMetrics repeats its resource, the last one counts, as in the decoder', () => {
    const [a, b] = hostsOnDifferentShards(2);
    const rmBytes = buf(encodeMessage(RESOURCE_METRICS, rmJson([attr(HOST, a)], [gauge('g', [{ value: 1 }])])));
    const resB = buf(encodeMessage(RESOURCE, { attributes: [attr(HOST, b)] }));
    const inner = Buffer.concat([rmBytes, Buffer.from([0x0a, resB.length]), resB]);
    expect(inner.length).toBeLessThan(128);
    const body = Buffer.concat([Buffer.from([0x0a, inner.length]), inner]);
    expect(decodeProtobufRequest(body).resourceMetrics.map((rm) => hostOf(rm))).toEqual([b]);
    const parts = splitProtobufByShard(body, HOST, 2);
    expect(parts[shardOfHost(b, 2)]).toBe(body);
    expect(parts[shardOfHost(a, 2)]).toBeUndefined();
  });

  test('frames parts with multi-byte lengths correctly', () => {
    const [a, b] = hostsOnDifferentShards(2);
    const many = (n: number) => Array.from({ length: n }, (_, i) => gauge(`metric_with_a_long_name_${i}`, [{ value: i, attrs: { k: 'v'.repeat(40) } }]));
    // ~200 B, ~20 kB (2- and 3-byte length varints)
    const rmA = rmJson([attr(HOST, a)], many(2));
    const rmB = rmJson([attr(HOST, b)], many(200));
    const body = buf(encodeExportRequest({ resourceMetrics: [rmA, rmB, rmA] }));
    const parts = splitProtobufByShard(body, HOST, 2);
    expect((parts[shardOfHost(a, 2)] as Buffer).equals(buf(encodeExportRequest({ resourceMetrics: [rmA, rmA] })))).toBe(true);
    expect((parts[shardOfHost(b, 2)] as Buffer).equals(buf(encodeExportRequest({ resourceMetrics: [rmB] })))).toBe(true);
  });

  test('refuses malformed framing with ProtobufDecodeError', () => {
    const [a, b] = hostsOnDifferentShards(2);
    const valid = buf(
      encodeExportRequest({ resourceMetrics: [rmJson([attr(HOST, a)], [gauge('g', [{ value: 1 }])]), rmJson([attr(HOST, b)], [gauge('g', [{ value: 2 }])])] }),
    );
    expect(splitProtobufByShard(valid, HOST, 2).filter((p) => p !== undefined)).toHaveLength(2);
    const cases: Array<[string, Buffer]> = [
      ['truncated body', valid.subarray(0, valid.length - 1)],
      ['body cut inside the first ResourceMetrics', valid.subarray(0, 5)],
      ['field 1 with varint wire type', Buffer.from([0x08, 0x01])],
      ['field 1 with fixed64 wire type', Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8])],
      ['length past the end', Buffer.from([0x0a, 0x05, 0x01, 0x02])],
      ['tag without a length', Buffer.from([0x0a])],
      ['unterminated length varint', Buffer.from([0x0a, 0x80, 0x80])],
      ['unknown field with group wire type', Buffer.from([(7 << 3) | 3, 0x00])],
      ['unknown field with invalid wire type 7', Buffer.from([(7 << 3) | 7])],
      ['unknown LEN field past the end', Buffer.from([(9 << 3) | 2, 0x09, 0x61])],
      ['resource with varint wire type', Buffer.from([0x0a, 0x02, 0x08, 0x01])],
      ['ResourceMetrics field past its end', Buffer.from([0x0a, 0x02, 0x12, 0x05])],
      ['resource attribute with varint wire type', Buffer.from([0x0a, 0x04, 0x0a, 0x02, 0x08, 0x01])],
    ];
    for (const [, body] of cases) {
      for (let shards = 2; shards <= 4; shards++) expectDecodeError(() => splitProtobufByShard(body, HOST, shards));
    }
  });
});

describe('splitDecodedByShard', () => {
  test('routes decoded OTLP/JSON requests as splitProtobufByShard routes their protobuf form', () => {
    const rand = prng(0xfeed);
    for (let iter = 0; iter < 100; iter++) {
      const { json, hosts } = randomRequest(rand);
      const decoded = decodeJsonRequest(json);
      expect(decoded.resourceMetrics.map((rm) => hostOf(rm))).toEqual(hosts);
      const body = buf(encodeExportRequest(json));
      for (let shards = 1; shards <= 4; shards++) {
        const fromJson = splitDecodedByShard(decoded, HOST, shards);
        const fromProto = splitProtobufByShard(body, HOST, shards);
        expect(fromJson).toHaveLength(shards);
        let total = 0;
        for (let i = 0; i < shards; i++) {
          const j = fromJson[i];
          const p = fromProto[i];
          expect(j === undefined).toBe(p === undefined);
          if (j === undefined || p === undefined) continue;
          const protoRms = decodeProtobufRequest(p).resourceMetrics;
          expect(j.resourceMetrics).toHaveLength(protoRms.length);
          expect(j.resourceMetrics.map((rm) => hostOf(rm))).toEqual(protoRms.map((rm) => hostOf(rm)));
          // the same objects, in their original order
          expect(j.resourceMetrics).toEqual(decoded.resourceMetrics.filter((rm) => shardOfHost(hostOf(rm), shards) === i));
          for (const rm of j.resourceMetrics) expect(decoded.resourceMetrics).toContain(rm);
          if (j.resourceMetrics.length === decoded.resourceMetrics.length) expect(j).toBe(decoded);
          total += j.resourceMetrics.length;
        }
        expect(total).toBe(decoded.resourceMetrics.length);
      }
    }
  });

  test('edge cases: one shard, no ResourceMetrics, and identity of the grouped objects', () => {
    const empty = { resourceMetrics: [] };
    expect(splitDecodedByShard(empty, HOST, 3)).toEqual([undefined, undefined, undefined]);
    expect(splitDecodedByShard(empty, HOST, 1)[0]).toBe(empty);
    const [a, b] = hostsOnDifferentShards(2);
    const req = decodeJsonRequest({
      resourceMetrics: [rmJson([attr(HOST, a)], []), rmJson([attr(HOST, b)], []), rmJson([attr(HOST, a)], [])],
    });
    const one = splitDecodedByShard(req, HOST, 1);
    expect(one).toHaveLength(1);
    expect(one[0]).toBe(req);
    const parts = splitDecodedByShard(req, HOST, 2);
    const pa = parts[shardOfHost(a, 2)];
    const pb = parts[shardOfHost(b, 2)];
    expect(pa?.resourceMetrics).toHaveLength(2);
    expect(pa?.resourceMetrics[0]).toBe(req.resourceMetrics[0]);
    expect(pa?.resourceMetrics[1]).toBe(req.resourceMetrics[2]);
    expect(pb?.resourceMetrics).toHaveLength(1);
    expect(pb?.resourceMetrics[0]).toBe(req.resourceMetrics[1]);
  });
});
