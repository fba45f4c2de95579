import fs from 'node:fs';
import path from 'node:path';
import { validateLoadProfile, type LoadProfile } from '@phoenix/contracts';
import YAML from 'yaml';

/** The profiles shipped with the module (`modules/phoenix-generators/profiles`; same relative path from src/ and dist/). */
export function defaultProfilesDir(): string {
  return path.resolve(__dirname, '../../profiles');
}

/** Parses and validates one profile; errors name the source and the offending fields. */
export function parseLoadProfile(text: string, source: string): LoadProfile {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const result = validateLoadProfile(doc);
  if (!result.ok) throw new Error(`${source}: invalid load profile:\n  ${result.errors.join('\n  ')}`);
  return result.value;
}

/** Reads one profile file; its `name` must equal the file name without `.yaml`. */
export function loadProfileFile(file: string): LoadProfile {
  const profile = parseLoadProfile(fs.readFileSync(file, 'utf8'), file);
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (profile.name !== expected) {
    throw new Error(`${file}: name: must equal the file name ${JSON.stringify(expected)} (got ${JSON.stringify(profile.name)})`);
  }
  return profile;
}

/** Every `*.yaml` profile in `dir`, by name. Any invalid file fails the whole load. */
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
