'use strict';
/** Timed scrapes of a Prometheus endpoint over a keep-alive connection. */
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * @typedef {object} TimedResponse
 * @property {number} ms request start → last byte
 * @property {number} bytes
 * @property {bigint} started process.hrtime.bigint() at the request start
 * @property {bigint} ended ... when the last byte arrived
 * @property {Buffer | undefined} body only with keepBody
 */

/**
 * @overload
 * @param {string} url
 * @param {{ keepBody: true, timeoutMs?: number }} opts
 * @returns {Promise<TimedResponse & { body: Buffer }>}
 */
/**
 * @overload
 * @param {string} url
 * @param {{ keepBody?: false, timeoutMs?: number }} [opts]
 * @returns {Promise<TimedResponse>}
 */
/**
 * GET `url`; resolves once the whole body has arrived with { ms (request start → last byte),
 * bytes, started, ended (hrtime bigint), body (Buffer, only with keepBody) }. Rejects on a non-200.
 * @param {string} url
 * @param {{ keepBody?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<TimedResponse>}
 */
function timedGet(url, { keepBody = false, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      let bytes = 0;
      res.on('data', (c) => {
        bytes += c.length;
        if (keepBody) chunks.push(c);
      });
      res.on('end', () => {
        const ended = process.hrtime.bigint();
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        resolve({ ms: Number(ended - started) / 1e6, bytes, started, ended, body: keepBody ? Buffer.concat(chunks, bytes) : undefined });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Sample lines (non-empty, not comments) of an exposition held in a Buffer.
 * @param {Buffer} buf
 * @returns {number}
 */
function countSamples(buf) {
  let n = 0;
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end === -1) end = buf.length;
    if (end > start && buf[start] !== 35 /* # */) n++;
    start = end + 1;
  }
  return n;
}

/**
 * Streams GET `url` and counts its sample lines without holding the body (large expositions,
 * e.g. 1M series). Resolves with { samples, bytes, ms }.
 * @param {string} url
 * @param {{ timeoutMs?: number }} [opts]
 * @returns {Promise<{ samples: number, bytes: number, ms: number }>}
 */
function countSamplesStreaming(url, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let samples = 0;
      let bytes = 0;
      let atLineStart = true;
      let lineIsComment = false;
      let lineEmpty = true;
      res.on('data', (c) => {
        bytes += c.length;
        let i = 0;
        while (i < c.length) {
          if (atLineStart) {
            lineIsComment = c[i] === 35; // #
            lineEmpty = c[i] === 10;
            atLineStart = false;
          }
          const nl = c.indexOf(10, i);
          if (nl === -1) break;
          if (!lineIsComment && !lineEmpty) samples++;
          atLineStart = true;
          i = nl + 1;
        }
      });
      res.on('end', () => {
        if (!atLineStart && !lineIsComment) samples++;
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        resolve({ samples, bytes, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

module.exports = { timedGet, countSamples, countSamplesStreaming, agent };
