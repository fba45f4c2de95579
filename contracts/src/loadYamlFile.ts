import fs from 'node:fs';
import { yaml } from './lazyYaml';
import type { ValidationResult } from './createValidator';

/** A kind of YAML document: its name in messages (`load profile`) and the validator of its schema. */
export interface YamlDocumentKind<T> {
  what: string;
  validate: (doc: unknown) => ValidationResult<T>;
}

/**
 * A YAML document that cannot be used: `message` names the source and every problem; `problems` are
 * the lines alone (each schema problem starts with the offending field, e.g. `phases[0].scale: must be > 0`).
 */
export class YamlDocumentError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
    message: string,
  ) {
    super(message);
    this.name = 'YamlDocumentError';
  }
}

/**
 * Parses YAML `text` and validates it against the kind's contract schema. Errors name `source` and the fields:
 * `<source>: not valid YAML: ...`, or `<source>: invalid <what>:` followed by one indented line per problem.
 */
export function parseYamlDocument<T>(text: string, source: string, kind: YamlDocumentKind<T>): T {
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (err) {
    const problem = `not valid YAML: ${(err as Error).message}`;
    throw new YamlDocumentError(source, [problem], `${source}: ${problem}`);
  }
  const v = kind.validate(doc);
  if (!v.ok) throw new YamlDocumentError(source, v.errors, `${source}: invalid ${kind.what}:\n  ${v.errors.join('\n  ')}`);
  return v.value;
}

/** Reads, parses and validates a YAML file (see {@link parseYamlDocument}); a file that cannot be read says so, naming it. */
export function loadYamlFile<T>(file: string, kind: YamlDocumentKind<T>): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const problem = `cannot read the ${kind.what} ${file}: ${(err as Error).message}`;
    throw new YamlDocumentError(file, [problem], problem);
  }
  return parseYamlDocument(text, file, kind);
}
