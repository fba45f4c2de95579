/** phoenix-validation's /metrics shows exactly the families of contracts/metrics/validation.yaml. */
import path from 'node:path';
import { freePorts } from '@phoenix/runtime';
import { serviceMetricsProblems } from '@phoenix/testkit';

it('the /metrics of the benchmark API is exactly its catalog', async () => {
  const [port, nowhere] = await freePorts(2);
  const away = `http://127.0.0.1:${nowhere}`;
  const problems = await serviceMetricsProblems(
    path.resolve(__dirname, '../dist/main.js'),
    { PHOENIX_VALIDATION_PORT: String(port), PHOENIX_CORE_URL: away, PHOENIX_CONTROL_URL: away, PHOENIX_GENERATORS_URL: away, PHOENIX_OBSERVER_URL: away },
    `http://127.0.0.1:${port}/health`,
    [{ catalog: 'validation', url: `http://127.0.0.1:${port}/metrics` }],
  );
  expect(problems).toEqual({ validation: [] });
}, 90_000);
