/** phoenix-api's /metrics shows exactly the families of contracts/metrics/api.yaml. */
import path from 'node:path';
import { freePorts } from '@phoenix/runtime';
import { serviceMetricsProblems } from '@phoenix/testkit';

it('the /metrics of the fleet API is exactly its catalog', async () => {
  const [port] = await freePorts(1);
  const problems = await serviceMetricsProblems(
    path.resolve(__dirname, '../dist/main.js'),
    { PHOENIX_API_PORT: String(port), PHOENIX_AGENT_KEY: 'catalog-test-enrollment-key-0123', PHOENIX_DATABASE_URL: '' },
    `http://127.0.0.1:${port}/health`,
    [{ catalog: 'api', url: `http://127.0.0.1:${port}/metrics` }],
  );
  expect(problems).toEqual({ api: [] });
}, 90_000);
