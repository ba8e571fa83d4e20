import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Relative ESM imports carry a `.js` suffix that points at the compiled file; map to the source.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The sample app imports the library by its package name, as a user would.
    '^@hydracache/nestjs$': '<rootDir>/lib/index.ts',
    '^@hydracache/nestjs/([a-z-]+)$': '<rootDir>/lib/$1/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30_000,
};

export default config;
