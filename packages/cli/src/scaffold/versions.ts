import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** This CLI's version: the @pitaya-ts packages a new project depends on have the same one. */
export const CLI_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Versions a new project pins: the ones this repository is built and tested with (exact, as the
 * repository pins them; a test checks they match the root package.json).
 */
export const DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@swc/core': '1.16.18',
  '@swc/jest': '0.2.39',
  '@types/jest': '30.0.0',
  '@types/node': '20.19.43',
  jest: '30.5.2',
  typescript: '7.0.2',
};

/** Runtime dependencies besides the @pitaya-ts packages. */
export const DEPENDENCIES: Readonly<Record<string, string>> = {
  'reflect-metadata': '0.2.2',
  // The project's choice of schema library (Standard Schema) for route bodies.
  zod: '4.6.7',
};

/**
 * Overrides a new project needs for the same reason the repository has them: newer unrs-resolver
 * releases (pulled in by Jest) lack some platform binaries and break `npm ci`.
 */
export const OVERRIDES: Readonly<Record<string, string>> = { 'unrs-resolver': '1.12.2' };
