'use strict';
/**
 * The fleet step of the Docker stack test: phoenix-api (on the compose PostgreSQL) lists this host's agent
 * healthy with its core's KPIs, the agent's KPIs are at the Pushgateway (job phoenix-agent, instance its host
 * id), and Prometheus scrapes phoenix-api and the Pushgateway.
 */
const { until, getJson } = require('./poll');

/** the host id docker-compose.yml gives the agent (PHOENIX_HOST_ID unset) */
const HOST_ID = 'compose-host';

/**
 * @param {{ url: (portVar: string, p: string) => string, say: (msg: string) => void }} o
 * @returns {{ name: string, run: () => Promise<void> }}
 */
function fleetStep({ url, say }) {
  return {
    name: "the fleet: phoenix-api on PostgreSQL lists this host's agent healthy with its KPIs; the KPIs are at the Pushgateway; Prometheus scrapes the API and the Pushgateway",
    async run() {
      const agents = /** @type {import('@phoenix/contracts').ApiAgentList} */ (
        await until('the agent registered and healthy', 120_000, async () => {
          const a = /** @type {import('@phoenix/contracts').ApiAgentList} */ (await getJson(url('PHOENIX_API_PORT', '/api/v1/agents')));
          return a.agents.some((x) => x.host_id === HOST_ID && x.status === 'healthy') ? a : undefined;
        }, 2000)
      );
      say(`phoenix-api: agents ${JSON.stringify(agents.counts)}`);
      const series = await until("the agent's KPIs at phoenix-api", 120_000, async () => {
        const f = /** @type {import('@phoenix/contracts').ApiFleet} */ (await getJson(url('PHOENIX_API_PORT', '/api/v1/fleet')));
        const h = f.hosts.find((x) => x.host_id === HOST_ID);
        return h?.series?.full_fidelity !== undefined && h.series.full_fidelity > 0 ? h.series.full_fidelity : undefined;
      }, 2000);
      say(`phoenix-api: ${HOST_ID} reports ${series} full_fidelity series`);
      await until("the agent's KPIs at the Pushgateway", 60_000, async () => {
        const text = await (await fetch(url('PUSHGATEWAY_PORT', '/metrics'), { signal: AbortSignal.timeout(10_000) })).text();
        return text.split('\n').some((l) => l.startsWith('phoenix_host_series{') && l.includes(`instance="${HOST_ID}"`) && l.includes('job="phoenix-agent"'));
      }, 2000);
      const jobs = ['phoenix-api', 'pushgateway'];
      await until('Prometheus scraping phoenix-api and the Pushgateway', 120_000, async () => {
        const t = /** @type {{ data: { activeTargets: Array<{ labels: Record<string, string>, health: string }> } }} */ (await getJson(url('PROMETHEUS_PORT', '/api/v1/targets')));
        const up = jobs.filter((j) => t.data.activeTargets.some((x) => x.labels.job === j && x.health === 'up'));
        if (up.length < jobs.length) throw new Error(`up: ${up.join(', ') || 'none'}`);
        return true;
      }, 2000);
      say(`Prometheus: ${jobs.join(', ')} up`);
    },
  };
}

module.exports = { fleetStep };
