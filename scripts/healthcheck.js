#!/usr/bin/env node
'use strict';
/**
 * Container healthcheck without curl: `node scripts/healthcheck.js URL [URL...]` exits 0 when every URL
 * answers HTTP 200 within the timeout (PHOENIX_HEALTHCHECK_TIMEOUT_MS, default 3000), 1 otherwise.
 */
const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: healthcheck.js URL [URL...]');
  process.exit(2);
}
const timeoutMs = Number(process.env.PHOENIX_HEALTHCHECK_TIMEOUT_MS || 3000);

/** @param {string} url */
async function check(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
}

Promise.all(urls.map(check)).then(
  () => process.exit(0),
  (err) => {
    console.error(`unhealthy: ${err.message}`);
    process.exit(1);
  },
);
