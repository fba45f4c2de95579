import path from 'node:path';
import type { LoadProfile, ScenarioCatalog, ScenarioDefinition, YamlDocumentKind } from '@phoenix/contracts';
import { loadProfileFile, loadYamlFile, parseYamlDocument, validateScenarioCatalog, YamlDocumentError } from '@phoenix/contracts';

/** The catalog shipped with the module (`modules/phoenix-validation/scenarios/catalog.yaml`; same relative path from src/ and dist/). */
export function defaultCatalogPath(): string {
  return path.resolve(__dirname, '../../scenarios/catalog.yaml');
}

/** The generators' shipped profiles (`modules/phoenix-generators/profiles`). */
export function defaultProfilesDir(): string {
  return path.resolve(__dirname, '../../../phoenix-generators/profiles');
}

const SCENARIO_CATALOG: YamlDocumentKind<ScenarioCatalog> = { what: 'scenario catalog', validate: validateScenarioCatalog };

/** Names must be unique (beyond what the schema says). */
function checkUniqueNames(catalog: ScenarioCatalog, source: string): ScenarioCatalog {
  const seen = new Set<string>();
  catalog.scenarios.forEach((s, i) => {
    if (seen.has(s.name)) {
      const problem = `scenarios[${i}].name: duplicate scenario ${JSON.stringify(s.name)}`;
      throw new YamlDocumentError(source, [problem], `${source}: ${problem}`);
    }
    seen.add(s.name);
  });
  return catalog;
}

/** Parses and validates a catalog; errors name the source and the offending fields. Names must be unique. */
export function parseCatalog(text: string, source: string): ScenarioCatalog {
  return checkUniqueNames(parseYamlDocument(text, source, SCENARIO_CATALOG), source);
}

/** Reads and validates a catalog file (the contracts' YAML loader: errors name the file and the fields). */
export function loadCatalog(file: string): ScenarioCatalog {
  return checkUniqueNames(loadYamlFile(file, SCENARIO_CATALOG), file);
}

export function findScenario(catalog: ScenarioCatalog, name: string): ScenarioDefinition | undefined {
  return catalog.scenarios.find((s) => s.name === name);
}

/** Reads and validates a generators load profile `<dir>/<name>.yaml` (its `name` must be `name`). */
export function loadProfile(dir: string, name: string): LoadProfile {
  return loadProfileFile(path.join(dir, `${name}.yaml`));
}
