/** Jest runs TypeScript sources directly through SWC (type checking is `tsc -b`, run before the tests). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/contracts', '<rootDir>/modules'],
  testMatch: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^@phoenix/contracts$': '<rootDir>/contracts/src/index.ts',
    '^@phoenix/runtime$': '<rootDir>/modules/phoenix-runtime/src/index.ts',
    '^@phoenix/testkit$': '<rootDir>/modules/phoenix-testkit/src/index.ts',
    '^@phoenix/api$': '<rootDir>/modules/phoenix-api/src/index.ts',
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
