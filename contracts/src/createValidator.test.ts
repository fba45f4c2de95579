import * as contracts from './index';
import { createAjv, createValidator } from './createValidator';

const schema = {
  $id: 'https://phoenix.dev/contracts/test_lazy.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['n'],
  properties: { n: { type: 'integer', minimum: 1 } },
};

describe('createValidator', () => {
  test('compiles on the first validation, once, not when created', () => {
    const ajv = createAjv();
    const compile = jest.spyOn(ajv, 'compile');
    const validate = createValidator<{ n: number }>(schema, ajv);
    expect(compile).toHaveBeenCalledTimes(0);
    expect(validate.schemaId).toBe('https://phoenix.dev/contracts/test_lazy.schema.json');
    expect(validate({ n: 0 })).toEqual({ ok: false, errors: ['n: must be >= 1'] });
    expect(validate({ n: 2 })).toEqual({ ok: true, value: { n: 2 } });
    expect(compile).toHaveBeenCalledTimes(1);
  });

  test('every validator the contracts export compiles (strict mode) and answers', () => {
    const validators = Object.entries(contracts).filter(([name, v]) => name.startsWith('validate') && typeof v === 'function' && 'schemaId' in v);
    expect(validators.length).toBeGreaterThan(40);
    for (const [name, v] of validators) {
      const result = (v as (d: unknown) => { ok: boolean })(Symbol('not a document'));
      expect([name, result.ok]).toEqual([name, false]);
    }
  });
});
