import { validateOptimizationMode, validatePriorityRules } from './generated/validators';

const good = {
  version: 1,
  generation: 42,
  mode: 'balanced',
  profile: 'balanced',
  topk: { k: 20 },
  target_series: 20000,
  updated_at: '2026-01-01T00:00:00Z',
  source: 'actuator',
  reason: 'active series 31250 > budget 20000 (pid output 0.42)',
  override: { expires_at: null },
};

describe('contract validators', () => {
  test('the control file example of DESIGN.md is valid', () => {
    expect(validateOptimizationMode(good)).toEqual({ ok: true, value: good });
  });

  test('every error names the offending field', () => {
    const r = validateOptimizationMode({ ...good, mode: 'turbo', topk: { k: 0 }, target_series: 'many', updated_at: 'yesterday', extra: 1, override: { expires_at: 5 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'mode: must be one of "conservative", "balanced", "aggressive" (got "turbo")',
        'topk.k: must be >= 1',
        'target_series: must be integer',
        'updated_at: must match format "date-time"',
        'extra: is not allowed (unknown field)',
      ]),
    );
    expect(r.errors.some((e) => e.startsWith('override.expires_at:'))).toBe(true);
  });

  test('missing fields are named', () => {
    const r = validateOptimizationMode({ version: 1 });
    expect(r.ok ? [] : r.errors).toEqual(['generation: is required', 'mode: is required', 'profile: is required', 'topk: is required', 'target_series: is required']);
  });

  test('priority rules: class enum, regex format, and the executable/command_line requirement', () => {
    const r = validatePriorityRules({ version: 1, default_class: 'low', rules: [{ name: 'a', class: 'urgent', executable: 'x' }, { name: 'b', class: 'low' }, { name: 'c', class: 'high', command_line: '(' }] });
    expect(r.ok ? [] : r.errors).toEqual([
      'rules[0].class: must be one of "critical", "high", "medium", "low" (got "urgent")',
      'rules[1]: must NOT have fewer than 3 properties (a rule needs `executable` or `command_line` (or both) besides `name` and `class`)',
      'rules[2].command_line: must match format "regex"',
    ]);
  });
});
