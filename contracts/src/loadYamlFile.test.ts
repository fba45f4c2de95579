import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadYamlFile, parseYamlDocument, YamlDocumentError, type YamlDocumentKind } from './loadYamlFile';
import { validatePriorityRules } from './generated/validators';
import type { PriorityRules } from './generated';

const RULES: YamlDocumentKind<PriorityRules> = { what: 'priority rules', validate: validatePriorityRules };

function caught(fn: () => unknown): YamlDocumentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof YamlDocumentError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('YAML documents with a contract schema', () => {
  test('a valid document is returned as the validator typed it', () => {
    const text = 'version: 1\ndefault_class: low\nrules:\n  - { name: db, class: critical, executable: "^postgres$" }\n';
    expect(parseYamlDocument(text, 'rules.yaml', RULES)).toEqual({ version: 1, default_class: 'low', rules: [{ name: 'db', class: 'critical', executable: '^postgres$' }] });
  });

  test('schema problems: the source, the kind, then one line per field', () => {
    const e = caught(() => parseYamlDocument('version: 1\ndefault_class: urgent\nrules: []\nextra: 1\n', 'rules.yaml', RULES));
    expect(e.source).toBe('rules.yaml');
    expect(e.problems).toEqual(['extra: is not allowed (unknown field)', 'default_class: must be one of "critical", "high", "medium", "low" (got "urgent")']);
    expect(e.message).toBe(
      'rules.yaml: invalid priority rules:\n  extra: is not allowed (unknown field)\n  default_class: must be one of "critical", "high", "medium", "low" (got "urgent")',
    );
  });

  test('YAML that does not parse names the source', () => {
    const e = caught(() => parseYamlDocument('a: [', 'broken.yaml', RULES));
    expect(e.message).toMatch(/^broken\.yaml: not valid YAML: /);
    expect(e.problems).toEqual([e.message.slice('broken.yaml: '.length)]);
  });

  test('files: read, parsed and validated; an unreadable file is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-yaml-'));
    const file = path.join(dir, 'rules.yaml');
    fs.writeFileSync(file, 'version: 1\ndefault_class: medium\nrules: []\n');
    expect(loadYamlFile(file, RULES)).toEqual({ version: 1, default_class: 'medium', rules: [] });
    fs.writeFileSync(file, 'version: 2\ndefault_class: medium\nrules: []\n');
    expect(caught(() => loadYamlFile(file, RULES)).message).toBe(`${file}: invalid priority rules:\n  version: must be 1 (got 2)`);
    const missing = path.join(dir, 'missing.yaml');
    expect(caught(() => loadYamlFile(missing, RULES)).message).toBe(
      `cannot read the priority rules ${missing}: ENOENT: no such file or directory, open '${missing}'`,
    );
  });
});
