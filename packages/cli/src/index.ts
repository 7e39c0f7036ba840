/**
 * `@pitaya-ts/cli`: the `pitaya-ts` command (`new`, `generate`, `repl`, `docs`) and its parts, for
 * programs that want to drive them.
 */
export { buildProgram, runCli, type CliIo } from './cli';
export { CliError } from './errors';
export { DOC_FORMATS, writeDocs, type DocFormat, type DocsOptions } from './docs-command';
export { candidateUrls, PITAYA_ORDER } from './repl/connect';
export { COMMANDS, ReplSession, type ReplOutput, type ReplSessionOptions } from './repl/repl-session';
export { complete, runRepl, type ReplOptions } from './repl/shell';
export { addToModule, type ModuleEdit } from './scaffold/module-editor';
export { ELEMENT_KINDS, generate, type GenerateOptions, type GenerateResult } from './scaffold/generate';
export { newProject, PACKAGE_MANAGERS, type NewOptions } from './scaffold/new-project';
export { projectFiles, type ProjectConfig, type ProjectSpec } from './scaffold/project-templates';
export { CLI_VERSION, DEPENDENCIES, DEV_DEPENDENCIES, OVERRIDES } from './scaffold/versions';
