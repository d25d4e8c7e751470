/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The Strands plugin's tests load the ESM-only Strands SDK: Node's test runner runs them (npm run test:strands).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/lambda/session-manager/strands/'],
  // Type checking runs once in `npm test` (tsc --noEmit); jest only transpiles, to CommonJS.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', verbatimModuleSyntax: false } }],
  },
  // Sources import each other as `./file.js` (what Node's ESM loader needs); jest loads the `.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/setup-environment.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
