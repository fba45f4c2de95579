/** phoenix-core's observatory shows exactly the families of contracts/metrics/core.yaml (type, help, labels). */
import path from 'node:path';
import { corePortsEnv, serviceMetricsProblems } from '@phoenix/testkit';

it("the observatory's /metrics is exactly its catalog", async () => {
  const env = await corePortsEnv();
  const url = (v: keyof typeof env, p: string): string => `http://127.0.0.1:${env[v]}${p}`;
  const problems = await serviceMetricsProblems(path.resolve(__dirname, '../dist/main.js'), { ...env }, url('PHOENIX_HEALTH_PORT', '/health'), [
    { catalog: 'core', url: url('PHOENIX_OBSERVATORY_PORT', '/metrics') },
  ]);
  expect(problems).toEqual({ core: [] });
}, 90_000);
