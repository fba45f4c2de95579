/**
 * Node.js (V8) flags phoenix-core is launched with by `npm start`, compose (`NODE_OPTIONS`) and
 * `npm run bench`. Ingest allocates ~1 KB of short-lived objects per data point; V8's default
 * young generation (16 MiB semi-spaces) then promotes request garbage into the old generation,
 * and full collections of a large series heap follow. 32 MiB semi-spaces keep most of that garbage
 * young. Measured with npm run bench (3 ingest runs each, same commit): 64 MiB gives +35% OTLP/HTTP
 * ingest on one core (1.23M vs 0.91M points/s at 100k series) but ~100 bytes more per series at 1M
 * series (1,106 vs 1,007 B), over the 1 KiB target. Throughput-bound deployments can pass
 * `--max-semi-space-size=64`.
 */
export const CORE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
