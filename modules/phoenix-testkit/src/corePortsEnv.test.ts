import { CORE_PORT_VARIABLES, corePortsEnv } from './corePortsEnv';

describe('corePortsEnv', () => {
  it('gives every listener variable of phoenix-core its own port', async () => {
    const env = await corePortsEnv();
    expect(Object.keys(env)).toEqual([...CORE_PORT_VARIABLES]);
    const ports = Object.values(env).map(Number);
    expect(new Set(ports).size).toBe(8);
    for (const p of ports) expect(Number.isInteger(p) && p > 0 && p < 65536).toBe(true);
  });
});
