import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { validatePriorityRules, type PriorityClass, type PriorityRules } from '@phoenix/contracts';
import { InvalidConfigError } from '@phoenix/runtime';

/** The rules file shipped with phoenix-core. */
export const DEFAULT_PRIORITY_RULES_FILE = path.resolve(__dirname, '../../../config/priority_rules.yaml');

interface CompiledRule {
  name: string;
  cls: PriorityClass;
  executable: RegExp | undefined;
  commandLine: RegExp | undefined;
}

/**
 * Classifies processes by ordered regex rules; the first matching rule wins. Callers memoize the
 * class on their series or process; the small cache here serves processes seen again meanwhile.
 */
export class PriorityClassifier {
  private readonly rules: CompiledRule[];
  private readonly cache = new Map<string, PriorityClass>();

  constructor(readonly doc: PriorityRules) {
    this.rules = doc.rules.map((r) => ({
      name: r.name,
      cls: r.class,
      executable: r.executable !== undefined ? new RegExp(r.executable) : undefined,
      commandLine: r.command_line !== undefined ? new RegExp(r.command_line) : undefined,
    }));
  }

  /** A rule matches when every pattern it sets matches. */
  classify(executable: string | undefined, commandLine: string | undefined): PriorityClass {
    const key = `${executable ?? ''}\u0000${commandLine ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let cls = this.doc.default_class;
    for (const r of this.rules) {
      if (r.executable && !r.executable.test(executable ?? '')) continue;
      if (r.commandLine && !r.commandLine.test(commandLine ?? '')) continue;
      cls = r.cls;
      break;
    }
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, cls);
    return cls;
  }
}

/** Parses and validates a rules document; throws an InvalidConfigError listing every problem, each naming its field. */
export function parsePriorityRules(text: string, source: string): PriorityRules {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new InvalidConfigError([`${source}: not valid YAML: ${(err as Error).message}`]);
  }
  const v = validatePriorityRules(doc);
  if (!v.ok) throw new InvalidConfigError([`${source}: invalid priority rules: ${v.errors.join('; ')}`]);
  return v.value;
}

/** The config key and variable of the rules file, in the problems of a file that cannot be used. */
const RULES_KEY = 'priorityRulesFile (PHOENIX_PRIORITY_RULES)';

/**
 * Reads, validates and compiles a rules file. A file that cannot be read or is invalid throws an
 * InvalidConfigError naming PHOENIX_PRIORITY_RULES (the service main then exits 2).
 */
export function loadPriorityRules(file: string = DEFAULT_PRIORITY_RULES_FILE): PriorityClassifier {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidConfigError([`${RULES_KEY}: cannot read ${file}: ${(err as Error).message}`]);
  }
  try {
    return new PriorityClassifier(parsePriorityRules(text, file));
  } catch (err) {
    const problems = err instanceof InvalidConfigError ? err.problems : [`${file}: ${(err as Error).message}`];
    throw new InvalidConfigError(problems.map((p) => `${RULES_KEY}: ${p}`));
  }
}
