import fs from 'node:fs';
import path from 'node:path';

/** The agent's version: its package.json (read from src/ under jest, from dist/ when built). */
export const AGENT_VERSION: string = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
