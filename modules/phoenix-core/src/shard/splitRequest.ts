import { ProtoReader } from '@phoenix/runtime';
import { decodeAttributeFields } from '../otlp/protobufAttributes';
import type { Attr, DecodedRequest } from '../otlp/model';
import { shardOfHost } from './shardOfHost';

/**
 * Sharded mode: the main thread routes each ResourceMetrics of an OTLP export request to the
 * worker ("shard") that owns its host, so that every (host, metric) group is computed in one
 * shard. Routing looks only at the resource; the shards fully decode (and validate) what they get.
 */

const LEN = 2;
/** The tag of ExportMetricsServiceRequest.resource_metrics: field 1, wire type LEN. */
const RESOURCE_METRICS_TAG = 0x0a;

/**
 * The host of a resource: the value of the first attribute whose key is `hostAttribute`, or ''
 * when there is none. First match, as the store's attribute lookup does for duplicate keys.
 */
export function hostOfResource(attrs: readonly Attr[], hostAttribute: string): string {
  for (let i = 0; i < attrs.length; i++) {
    if (attrs[i][0] === hostAttribute) return attrs[i][1];
  }
  return '';
}

/**
 * Splits a protobuf ExportMetricsServiceRequest into one request per shard, without decoding
 * the metrics: only the top-level fields and, in each ResourceMetrics, its top-level fields and
 * the resource's attributes are read. The resource attributes go through the decoder's own
 * `decodeAttributeFields`, so the host text routed on is exactly the label text the store sees
 * (an int host value is its decimal text, and so on).
 *
 * Entry i of the result (length `shards`) is undefined when no ResourceMetrics goes to shard i,
 * else a valid ExportMetricsServiceRequest holding that shard's ResourceMetrics in their original
 * order. Unknown top-level fields are dropped. When every ResourceMetrics goes to one shard and
 * the body has nothing else, that entry is `body` itself (no copy); with at most one shard the
 * result is `[body]`, unparsed. Malformed framing throws ProtobufDecodeError.
 */
export function splitProtobufByShard(body: Buffer, hostAttribute: string, shards: number): Array<Buffer | undefined> {
  if (shards <= 1) return [body];
  const out = new Array<Buffer | undefined>(shards).fill(undefined);
  // flat [start, end, shard] of each ResourceMetrics' bytes, and the encoded size of each part
  const spans: number[] = [];
  const sizes = new Array<number>(shards).fill(0);
  let onlyResourceMetrics = true;
  const r = new ProtoReader(body);
  while (!r.eof()) {
    if (r.next() === 1) {
      r.expect(LEN);
      const [s, e] = r.delimited();
      const shard = shardOfHost(hostOfResourceMetrics(body, s, e, hostAttribute), shards);
      spans.push(s, e, shard);
      sizes[shard] += 1 + varintSize(e - s) + (e - s);
    } else {
      r.skipField();
      onlyResourceMetrics = false;
    }
  }
  if (spans.length === 0) return out;

  let used = 0;
  for (let i = 0; i < shards; i++) if (sizes[i] > 0) used++;
  if (used === 1 && onlyResourceMetrics) {
    out[spans[2]] = body;
    return out;
  }

  // Each part gets its own ArrayBuffer (not a slice of Node's shared pool), so that posting it
  // to a worker moves or copies just these bytes.
  const pos = new Array<number>(shards).fill(0);
  for (let i = 0; i < shards; i++) if (sizes[i] > 0) out[i] = Buffer.allocUnsafeSlow(sizes[i]);
  for (let k = 0; k < spans.length; k += 3) {
    const s = spans[k];
    const e = spans[k + 1];
    const shard = spans[k + 2];
    const part = out[shard] as Buffer;
    let p = pos[shard];
    part[p++] = RESOURCE_METRICS_TAG;
    p = writeVarint(part, p, e - s);
    body.copy(part, p, s, e);
    pos[shard] = p + (e - s);
  }
  return out;
}

/**
 * The same routing for an already decoded request (the OTLP/JSON path): entry i holds the
 * ResourceMetrics (the same objects, in order) whose host belongs to shard i, undefined when
 * there are none. When all go to one shard that entry is `req` itself; with at most one shard
 * the result is `[req]`.
 */
export function splitDecodedByShard(req: DecodedRequest, hostAttribute: string, shards: number): Array<DecodedRequest | undefined> {
  if (shards <= 1) return [req];
  const out = new Array<DecodedRequest | undefined>(shards).fill(undefined);
  const rms = req.resourceMetrics;
  if (rms.length === 0) return out;
  const where = new Array<number>(rms.length);
  let mixed = false;
  for (let i = 0; i < rms.length; i++) {
    where[i] = shardOfHost(hostOfResource(rms[i].resourceAttrs, hostAttribute), shards);
    if (where[i] !== where[0]) mixed = true;
  }
  if (!mixed) {
    out[where[0]] = req;
    return out;
  }
  for (let i = 0; i < rms.length; i++) {
    (out[where[i]] ??= { resourceMetrics: [] }).resourceMetrics.push(rms[i]);
  }
  return out;
}

/**
 * The host of the ResourceMetrics in buf[start, end). Its resource (field 1) is found by walking
 * only the top-level fields; when the field repeats, the last one counts, as in
 * decodeProtobufRequest (which replaces rather than merges). No resource means no host ('').
 */
function hostOfResourceMetrics(buf: Buffer, start: number, end: number, hostAttribute: string): string {
  const r = new ProtoReader(buf, start, end);
  let resStart = -1;
  let resEnd = -1;
  while (!r.eof()) {
    if (r.next() === 1) {
      r.expect(LEN);
      [resStart, resEnd] = r.delimited();
    } else r.skipField();
  }
  if (resStart < 0) return '';
  // Resource.attributes is field 1
  return hostOfResource(decodeAttributeFields(buf, resStart, resEnd, 1), hostAttribute);
}

/** Bytes of the varint encoding of a length (< 2^32). */
function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return 5;
}

/** Writes a length (< 2^32) as a varint at `pos`; returns the position after it. */
function writeVarint(buf: Buffer, pos: number, n: number): number {
  let v = n;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}
