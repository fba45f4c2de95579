/** phoenix-control's observer and control API show exactly the families of their catalogs (observer.yaml, control.yaml). */
import path from 'node:path';
import { freePorts } from '@phoenix/runtime';
import { serviceMetricsProblems } from '@phoenix/testkit';

it("the observer's and the control API's /metrics are exactly their catalogs", async () => {
  const [api, observer, core] = await freePorts(3);
  const problems = await serviceMetricsProblems(
    path.resolve(__dirname, '../dist/main.js'),
    { PHOENIX_CONTROL_API_PORT: String(api), PHOENIX_OBSERVER_PORT: String(observer), PHOENIX_CORE_URL: `http://127.0.0.1:${core}` },
    `http://127.0.0.1:${api}/health`,
    [
      { catalog: 'observer', url: `http://127.0.0.1:${observer}/metrics` },
      { catalog: 'control', url: `http://127.0.0.1:${api}/metrics` },
    ],
  );
  expect(problems).toEqual({ observer: [], control: [] });
}, 90_000);
