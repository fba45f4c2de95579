import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { LoadProfile, ScenarioCatalog, ScenarioDefinition } from '../contracts';
import { validateLoadProfile, validateScenarioCatalog } from '../contracts';

/** The catalog shipped with the module (`modules/phoenix-validation/scenarios/catalog.yaml`; same relative path from src/ and dist/). */
export function defaultCatalogPath(): string {
  return path.resolve(__dirname, '../../scenarios/catalog.yaml');
}

/** The generators' shipped profiles (`modules/phoenix-generators/profiles`). */
export function defaultProfilesDir(): string {
  return path.resolve(__dirname, '../../../phoenix-generators/profiles');
}

/** Parses and validates a catalog; errors name the source and the offending fields. Names must be unique. */
export function parseCatalog(text: string, source: string): ScenarioCatalog {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const v = validateScenarioCatalog(doc);
  if (!v.ok) throw new Error(`${source}: invalid scenario catalog:\n  ${v.errors.join('\n  ')}`);
  const seen = new Set<string>();
  v.value.scenarios.forEach((s, i) => {
    if (seen.has(s.name)) throw new Error(`${source}: scenarios[${i}].name: duplicate scenario ${JSON.stringify(s.name)}`);
    seen.add(s.name);
  });
  return v.value;
}

export function loadCatalog(file: string): ScenarioCatalog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the scenario catalog ${file}: ${(err as Error).message}`);
  }
  return parseCatalog(text, file);
}

export function findScenario(catalog: ScenarioCatalog, name: string): ScenarioDefinition | undefined {
  return catalog.scenarios.find((s) => s.name === name);
}

/** Reads and validates a generators load profile `<dir>/<name>.yaml`. */
export function loadProfile(dir: string, name: string): LoadProfile {
  const file = path.join(dir, `${name}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`load profile ${JSON.stringify(name)}: cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const v = validateLoadProfile(doc);
  if (!v.ok) throw new Error(`${file}: invalid load profile:\n  ${v.errors.join('\n  ')}`);
  if (v.value.name !== name) throw new Error(`${file}: name: must equal the file name ${JSON.stringify(name)} (got ${JSON.stringify(v.value.name)})`);
  return v.value;
}
