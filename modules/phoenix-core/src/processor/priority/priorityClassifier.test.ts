import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidConfigError } from '@phoenix/runtime';
import { loadPriorityRules, parsePriorityRules, PriorityClassifier } from './priorityClassifier';

describe('PriorityClassifier', () => {
  test('the shipped rules classify across all four classes', () => {
    const c = loadPriorityRules();
    expect(c.classify('postgres', '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql')).toBe('critical');
    expect(c.classify('kubelet', '')).toBe('critical');
    expect(c.classify('java', 'java -jar /opt/app.jar')).toBe('high');
    expect(c.classify('nginx', 'nginx: worker process')).toBe('high');
    expect(c.classify('otelcol-contrib', '')).toBe('medium');
    expect(c.classify('logrotate', '')).toBe('medium');
    expect(c.classify('bash', '-bash')).toBe('low');
    expect(c.classify('some-unknown-thing', '')).toBe('low');
  });

  test('first match wins, every pattern of a rule must match, default class applies', () => {
    const c = new PriorityClassifier(
      parsePriorityRules(
        `version: 1
default_class: medium
rules:
  - { name: special-java, class: critical, executable: '^java$', command_line: 'billing' }
  - { name: any-java, class: low, executable: '^java$' }
  - { name: by-cmdline, class: high, command_line: '--important' }
`,
        'inline',
      ),
    );
    expect(c.classify('java', 'java -jar billing.jar')).toBe('critical');
    expect(c.classify('java', 'java -jar other.jar')).toBe('low');
    expect(c.classify('python', 'python x.py --important')).toBe('high');
    expect(c.classify('python', 'python x.py')).toBe('medium');
    expect(c.classify(undefined, undefined)).toBe('medium');
  });

  test('an invalid rules file is refused with the offending fields named', () => {
    expect(() => parsePriorityRules('version: 1\ndefault_class: urgent\nrules:\n  - { name: x, class: high }\n', 'bad.yaml')).toThrow(
      /bad\.yaml: invalid priority rules: default_class: must be one of .*; rules\[0\]: must NOT have fewer than 3 properties/,
    );
    expect(() => parsePriorityRules('version: 1\ndefault_class: low\nrules:\n  - { name: x, class: high, executable: "([" }\n', 'r.yaml')).toThrow(
      /rules\[0\]\.executable: must match format "regex"/,
    );
  });

  test('a rules file that is missing or invalid is an InvalidConfigError naming PHOENIX_PRIORITY_RULES (the main exits 2)', () => {
    const problemsOf = (file: string): string[] => {
      try {
        loadPriorityRules(file);
      } catch (err) {
        if (err instanceof InvalidConfigError) return err.problems;
        throw err;
      }
      throw new Error('no error');
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-rules-'));
    const missing = path.join(dir, 'missing.yaml');
    expect(problemsOf(missing)).toEqual([
      `priorityRulesFile (PHOENIX_PRIORITY_RULES): cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`,
    ]);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'version: 1\ndefault_class: urgent\nrules:\n  - { name: x, class: high }\n');
    const [problem, ...more] = problemsOf(bad);
    expect(more).toEqual([]);
    expect(problem.startsWith(`priorityRulesFile (PHOENIX_PRIORITY_RULES): ${bad}: invalid priority rules: default_class: must be one of `)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
