import fs from 'node:fs';
import path from 'node:path';
import { loadProfileFile, type LoadProfile } from '@phoenix/contracts';

/** The profiles shipped with the module (`modules/phoenix-generators/profiles`; same relative path from src/ and dist/). */
export function defaultProfilesDir(): string {
  return path.resolve(__dirname, '../../profiles');
}

/** Every `*.yaml` profile in `dir`, by name (each read by the contracts' `loadProfileFile`). Any invalid file fails the whole load. */
export function loadProfilesDir(dir: string): Map<string, LoadProfile> {
  const out = new Map<string, LoadProfile>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const f of files) {
    const profile = loadProfileFile(path.join(dir, f));
    out.set(profile.name, profile);
  }
  return out;
}

/** A profile by name (from `dir`) or by path to a YAML file. */
export function resolveProfile(nameOrPath: string, dir: string): LoadProfile {
  if (/\.ya?ml$/.test(nameOrPath) || nameOrPath.includes('/')) return loadProfileFile(path.resolve(nameOrPath));
  const profiles = loadProfilesDir(dir);
  const found = profiles.get(nameOrPath);
  if (!found) throw new Error(`unknown profile ${JSON.stringify(nameOrPath)}; known: ${[...profiles.keys()].join(', ')}`);
  return found;
}
