#!/usr/bin/env node
'use strict';
/**
 * Writes contracts/metrics/observatory.md from the core's metrics catalog (contracts/metrics/core.yaml), with the
 * built contracts (`npm run build` runs it after tsc). contracts/src/metricsCatalog.test.ts keeps the committed
 * file equal to what this writes.
 */
const fs = require('node:fs');
const path = require('node:path');
const { loadMetricsCatalog, renderObservatoryDoc } = require('@phoenix/contracts');

const out = path.join(__dirname, '..', 'metrics', 'observatory.md');
const text = renderObservatoryDoc(loadMetricsCatalog('core'));
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) {
  fs.writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
