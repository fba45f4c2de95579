'use strict';
/**
 * The run loop of a figure: `run(r)` for r = 0 … runs−1. A run that throws is recorded as an
 * error ("run N: …") and logged FAILED; problems a completed run reports in its `errors` are
 * recorded the same way; `describe(result)` is the progress line of a completed run.
 */
async function repeatRuns(ctx, { runs, label, run, describe }) {
  const results = [];
  const errors = [];
  for (let r = 0; r < runs; r++) {
    try {
      const res = await run(r);
      results.push(res);
      for (const e of res.errors ?? []) errors.push(`run ${r + 1}: ${e}`);
      ctx.log(`${label} run ${r + 1}/${runs}: ${describe(res)}`);
    } catch (err) {
      errors.push(`run ${r + 1}: ${err.message}`);
      ctx.log(`${label} run ${r + 1}/${runs} FAILED: ${err.message}`);
    }
  }
  return { results, errors };
}

module.exports = { repeatRuns };
