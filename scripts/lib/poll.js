'use strict';
/** Waiting and JSON over HTTP for the scripts (the Docker stack test). */
const { setTimeout: sleep } = require('node:timers/promises');

/**
 * Calls `probe` every `intervalMs` until it returns (or resolves with) something other than undefined or false,
 * and resolves with that; a probe that throws is called again. Throws after `timeoutMs`.
 * @template T
 * @param {string} what
 * @param {number} timeoutMs
 * @param {() => T | undefined | false | Promise<T | undefined | false>} probe
 * @param {number} [intervalMs]
 * @returns {Promise<T>}
 */
async function until(what, timeoutMs, probe, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  /** @type {Error | undefined} */
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = /** @type {Error} */ (err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(intervalMs);
  }
}

/**
 * @param {string} u
 * @returns {Promise<unknown>} the JSON body of a GET (throws on a non-2xx)
 */
async function getJson(u) {
  const res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${u}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * @param {string} method
 * @param {string} u
 * @param {unknown} body sent as JSON (undefined: no body)
 * @param {string | undefined} token the bearer token
 * @returns {Promise<unknown>} the JSON answer, undefined when empty (throws on a non-2xx)
 */
async function sendJson(method, u, body, token) {
  const res = await fetch(u, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${u}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

module.exports = { until, getJson, sendJson };
