/** @jest-config-loader esbuild-register */
// Node 20 cannot strip TypeScript types, and ts-node needs the JS API that TypeScript 7 no longer ships,
// so esbuild-register loads this file. Tests themselves go through @swc/jest, which keeps decorator metadata.
import type { Config } from 'jest';

const swc: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps'],
  testMatch: ['**/test/**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // Tests run against sources; spawned server processes run the tsc build (npm test builds first).
  moduleNameMapper: {
    '^@pitaya-ts/([^/]+)$': '<rootDir>/packages/$1/src',
    '^@pitaya-ts/([^/]+)/(.+)$': '<rootDir>/packages/$1/src/$2',
  },
  transform: {
    '^.+\\.ts$': swc,
    // inversify >= 8 and @inversifyjs/* ship ESM only: swc turns them into CommonJS for Jest on Node 20.
    '^.+/node_modules/(inversify|@inversifyjs)/.+\\.js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  testTimeout: 20000,
};

export default config;
