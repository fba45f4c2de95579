import path from 'node:path';
import { loadYamlFile, validatePriorityRules, type PriorityClass, type PriorityRules } from '@phoenix/contracts';
import { executablesByClass, PROCESS_CATALOG } from './processCatalog';

/** The default priority rules shipped with phoenix-core (the catalog's classes must agree with them). */
const RULES_FILE = path.resolve(__dirname, '../../../phoenix-core/config/priority_rules.yaml');

/** First matching rule wins; a rule matches when every pattern it sets matches (phoenix-core's semantics). */
function classify(rules: PriorityRules, executable: string, commandLine: string): PriorityClass {
  for (const r of rules.rules) {
    if (r.executable !== undefined && !new RegExp(r.executable).test(executable)) continue;
    if (r.command_line !== undefined && !new RegExp(r.command_line).test(commandLine)) continue;
    return r.class;
  }
  return rules.default_class;
}

describe('process catalog', () => {
  test('covers all four priority classes with several executables each', () => {
    const byClass = executablesByClass();
    for (const cls of ['critical', 'high', 'medium', 'low'] as const) expect(byClass[cls].length).toBeGreaterThanOrEqual(4);
  });

  test('executable names are unique and entries are sane', () => {
    const names = PROCESS_CATALOG.map((e) => e.executable);
    expect(new Set(names).size).toBe(names.length);
    for (const e of PROCESS_CATALOG) {
      expect(e.commandLines.length).toBeGreaterThan(0);
      expect(e.frequency).toBeGreaterThan(0);
      expect(e.userFraction).toBeGreaterThan(0);
      expect(e.userFraction).toBeLessThanOrEqual(1);
      expect(e.readFraction).toBeGreaterThanOrEqual(0);
      expect(e.readFraction).toBeLessThanOrEqual(1);
      expect(e.containerized).toBeGreaterThanOrEqual(0);
      expect(e.containerized).toBeLessThanOrEqual(1);
    }
  });

  test("every executable and command line is classified by phoenix-core's default rules as the catalog intends", () => {
    const rules = loadYamlFile(RULES_FILE, { what: 'priority rules', validate: validatePriorityRules });
    const mismatches: string[] = [];
    for (const e of PROCESS_CATALOG) {
      for (const template of e.commandLines) {
        const cmd = template.replace(/\{n\}/g, '7');
        const got = classify(rules, e.executable, cmd);
        if (got !== e.priorityClass) mismatches.push(`${e.executable} (${cmd}): rules say ${got}, catalog intends ${e.priorityClass}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
