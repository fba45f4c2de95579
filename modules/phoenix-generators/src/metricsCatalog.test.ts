/** phoenix-generators' /metrics shows exactly the families of contracts/metrics/generators.yaml. */
import path from 'node:path';
import { freePorts } from '@phoenix/runtime';
import { serviceMetricsProblems } from '@phoenix/testkit';

it('the /metrics of the load-control API is exactly its catalog', async () => {
  const [port, otlp] = await freePorts(2);
  const problems = await serviceMetricsProblems(
    path.resolve(__dirname, '../dist/main.js'),
    { PHOENIX_GENERATORS_PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlp}`, PHOENIX_GENERATORS_SCENARIO: '' },
    `http://127.0.0.1:${port}/health`,
    [{ catalog: 'generators', url: `http://127.0.0.1:${port}/metrics` }],
  );
  expect(problems).toEqual({ generators: [] });
}, 90_000);
