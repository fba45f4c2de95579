#!/usr/bin/env -S node --lite-mode --no-expose-wasm
import { runService, systemClock } from '@phoenix/runtime';
import { loadConfig } from './config';
import { LogShipper } from './logs/logShipper';
import { AgentService } from './service';
import { AGENT_VERSION } from './version';

/** phoenix-agent: environment -> config -> AgentService; SIGTERM/SIGINT (or its supervisor going away) stop it cleanly. */
const loaded = loadConfig(process.env);
const shipper = new LogShipper({ clock: systemClock, shipLevel: loaded.config.shipLogLevel, ringSize: 2000, flushMs: 1000 });
void runService({
  name: 'phoenix-agent',
  config: loaded,
  sink: shipper.sink,
  create: (config, log) => new AgentService(config, { log, shipper }),
  describe: (c, s) => ({
    version: AGENT_VERSION,
    host_id: c.api.hostId,
    api: c.api.url,
    http: `http://${c.http.bindAddress}:${s.port}`,
    state_dir: c.stateDir,
    core: c.core.manage ? `managed (${c.core.main})` : `unmanaged (${c.core.url})`,
    control: s.core.managesControl ? `managed (${c.control.url})` : c.control.url ? `${c.control.url} when it answers, else the control file` : 'the control file',
    control_file: c.control.file,
    pushgateway: c.push.url ?? 'none',
    capabilities: s.capabilities(),
    node_flags: process.execArgv,
  }),
  stopTimeoutMs: 30_000,
});
