// ESLint flat config: typescript-eslint with type information, so promise mistakes are errors. The TypeScript
// sources are checked against tsconfig.tests.json; the JavaScript files (bench, scripts, the dashboards' source,
// these configs) are checked JavaScript against tsconfig.scripts.json, under the same rules.
const tseslint = require('typescript-eslint');

/** @type {import('eslint').Linter.RulesRecord} the rules of every file, TypeScript or JavaScript */
const RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  '@typescript-eslint/no-explicit-any': 'error',
  // small files named after what they export (CONTRIBUTING.md)
  'max-lines': ['error', { max: 400 }],
};

/** A package's index lists its exports by name: what other modules may import is written down in one place. */
const NO_EXPORT_ALL = { selector: 'ExportAllDeclaration', message: 'export * is banned: name every export (export { a, type B } from ...)' };

// A path into a module's build output (`modules/<module>/dist/...`), and a require() of any dist/ path: the
// scripts load a module through its package entry point and start its programs through its package.json bin.
// (esquery regexes cannot hold a `/`: it is written \x2F.)
const INTO_DIST = '(^|\\x2F)modules\\x2F[^\\x2F]+\\x2Fdist(\\x2F|$)';
const ANY_DIST = '(^|\\x2F)dist(\\x2F|$)';
const NO_BUILD_OUTPUT =
  "a module's build output (dist/) is private: require its package (require('@phoenix/core'), a NAMED export of its index) " +
  "or start a program it declares in its package.json bin (scripts/lib/packageBin.js)";

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'contracts/src/generated/**', '**/*.cjs', '**/*.mjs', '.ci/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.tests.json'], tsconfigRootDir: __dirname },
    },
    rules: { ...RULES, 'no-restricted-syntax': ['error', NO_EXPORT_ALL] },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      // CommonJS: require, module and exports come with the module wrapper, as do these; other names are the type
      // checker's (tsconfig.scripts.json, Node's types)
      sourceType: 'commonjs',
      globals: { __dirname: 'readonly', __filename: 'readonly' },
      parserOptions: { project: ['./tsconfig.scripts.json'], tsconfigRootDir: __dirname },
    },
    rules: {
      ...RULES,
      // CommonJS loads its modules with require()
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        NO_EXPORT_ALL,
        { selector: `Literal[value=/${INTO_DIST}/]`, message: NO_BUILD_OUTPUT },
        { selector: `TemplateElement[value.raw=/${INTO_DIST}/]`, message: NO_BUILD_OUTPUT },
        { selector: `CallExpression[callee.name='require'] > Literal[value=/${ANY_DIST}/]:not([value=/${INTO_DIST}/])`, message: NO_BUILD_OUTPUT },
        {
          selector: `CallExpression[callee.object.name='require'][callee.property.name='resolve'] > Literal[value=/${ANY_DIST}/]:not([value=/${INTO_DIST}/])`,
          message: NO_BUILD_OUTPUT,
        },
      ],
    },
  },
);
