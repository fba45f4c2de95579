/**
 * Node.js flags phoenix-agent is launched with (`npm start`, compose, the bench, its own `npm start` script).
 * `--lite-mode` runs V8 without its optimizing compilers: the agent does little (a scrape, a heartbeat, a
 * push every few seconds), and the compilers' code and metadata are most of what it would add to a bare
 * Node.js. Measured with the agent idle: see the module README. (It also turns WebAssembly off, which is
 * why the agent uses node:http rather than fetch; `--no-expose-wasm` says so, which keeps V8 from warning about it.)
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--lite-mode', '--no-expose-wasm'];
