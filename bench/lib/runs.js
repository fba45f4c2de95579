'use strict';
/**
 * The run loop of a figure: `run(r)` for r = 0 … runs−1. A run that throws is recorded as an
 * error ("run N: …") and logged FAILED; problems a completed run reports in its `errors` are
 * recorded the same way; `describe(result)` is the progress line of a completed run.
 * @template R the result of a run; its `errors` (optional) are problems it reports
 * @param {import('./config').BenchContext} ctx
 * @param {{ runs: number, label: string, run: (r: number) => Promise<R>, describe: (res: R) => string }} opts
 * @returns {Promise<{ results: R[], errors: string[] }>}
 */
async function repeatRuns(ctx, { runs, label, run, describe }) {
  /** @type {R[]} */
  const results = [];
  /** @type {string[]} */
  const errors = [];
  for (let r = 0; r < runs; r++) {
    try {
      const res = await run(r);
      results.push(res);
      for (const e of /** @type {{ errors?: string[] }} */ (res).errors ?? []) errors.push(`run ${r + 1}: ${e}`);
      ctx.log(`${label} run ${r + 1}/${runs}: ${describe(res)}`);
    } catch (err) {
      const { message } = /** @type {Error} */ (err);
      errors.push(`run ${r + 1}: ${message}`);
      ctx.log(`${label} run ${r + 1}/${runs} FAILED: ${message}`);
    }
  }
  return { results, errors };
}

module.exports = { repeatRuns };
