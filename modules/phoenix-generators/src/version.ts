/** Version reported as the instrumentation scope version of the simulated hosts' meters. */
export const MODULE_VERSION = '0.1.0';
