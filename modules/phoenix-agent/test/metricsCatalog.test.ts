/** phoenix-agent's /metrics (what it also pushes to the Pushgateway) shows exactly the families of contracts/metrics/agent.yaml. */
import path from 'node:path';
import { freePorts } from '@phoenix/runtime';
import { serviceMetricsProblems } from '@phoenix/testkit';

it('the /metrics of the agent is exactly its catalog', async () => {
  const [port, nowhere] = await freePorts(2);
  const away = `http://127.0.0.1:${nowhere}`;
  const problems = await serviceMetricsProblems(
    path.resolve(__dirname, '../dist/main.js'),
    {
      PHOENIX_AGENT_PORT: String(port),
      PHOENIX_API_URL: away,
      PHOENIX_AGENT_KEY: 'catalog-test-agent-key-0123456789',
      PHOENIX_HOST_ID: 'catalog-host',
      PHOENIX_CORE_URL: away,
      PHOENIX_CONTROL_URL: '',
    },
    `http://127.0.0.1:${port}/health`,
    [{ catalog: 'agent', url: `http://127.0.0.1:${port}/metrics` }],
  );
  expect(problems).toEqual({ agent: [] });
}, 90_000);
