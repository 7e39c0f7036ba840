// commander: the most used Node argument parser (subcommands, aliases, generated help, typo
// suggestions), no dependencies, CommonJS — kept, and lighter than yargs for four subcommands.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DOC_FORMATS, writeDocs, type DocFormat } from './docs-command';
import { CliError, oneLine } from './errors';
import { runRepl } from './repl/shell';
import { ELEMENT_KINDS, generate } from './scaffold/generate';
import { newProject, PACKAGE_MANAGERS } from './scaffold/new-project';
import { CLI_VERSION } from './scaffold/versions';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin?: NodeJS.ReadableStream;
}

const HELP_HINT = 'see pitaya-ts --help';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number of milliseconds');
  return n;
}

/** Builds the `pitaya-ts` command tree. `exitCode` receives the code an action wants to exit with. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const print = (line: string): void => void io.stdout.write(`${line}\n`);
  const program = new Command('pitaya-ts')
    .description('The pitaya-ts command line: start a project, generate its parts, talk to a server.')
    .version(CLI_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, with where to look next.
      outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')} (${HELP_HINT})\n`),
    })
    .addHelpText('after', `
Examples:
  $ pitaya-ts new my-game                  a standalone server with a handler, a remote, a pipeline and a test
  $ pitaya-ts new my-mmo --cluster         a connector frontend and a room backend (etcd + gRPC)
  $ pitaya-ts g handler inventory          src/inventory/inventory.handler.ts + test, listed in the app module
  $ pitaya-ts repl localhost:3250          connect and type: request game.room.join {"name":"ana"}
  $ pitaya-ts repl --file smoke.txt        run a script of REPL commands; non-zero exit when one fails
  $ pitaya-ts docs localhost:3250 -o routes.json
  $ pitaya-ts docs --module dist/app.module.js --server-type game --format asyncapi
`);

  program
    .command('new')
    .description('create a project that builds and passes its own tests')
    .argument('<dir>', 'directory to create (its name is the package name unless --name)')
    .option('--name <name>', 'npm package name')
    .option('--cluster', 'a connector frontend and a room backend with ClusterModule (etcd + gRPC)')
    .option('--package-manager <pm>', `package manager to install with (${PACKAGE_MANAGERS.join(', ')})`, 'npm')
    .option('--skip-install', 'write the files only')
    .option('--force', 'write into a non-empty directory')
    .addHelpText('after', `
Examples:
  $ pitaya-ts new my-game
  $ pitaya-ts new servers/my-mmo --cluster --name @acme/mmo --package-manager pnpm
  $ pitaya-ts new . --force --skip-install
`)
    .action((dir: string, opts: { name?: string; cluster?: boolean; packageManager?: string; skipInstall?: boolean; force?: boolean }) => {
      newProject(dir, opts, print);
    });

  program
    .command('generate')
    .alias('g')
    .description('add a handler, remote, pipeline or module (and its test) to the project')
    .argument('<element>', ELEMENT_KINDS.join(' | '))
    .argument('<name>', 'e.g. inventory, player-stats')
    .option('--dry-run', 'print the changes without writing them')
    .option('--module <file>', 'the @Module file to list it in (default: pitaya-ts.json "module")')
    .option('--project <dir>', 'project root (default: found from the current directory)')
    .option('--skip-test', 'do not write a test')
    .addHelpText('after', `
Examples:
  $ pitaya-ts generate handler inventory   src/inventory/inventory.handler.ts, test/inventory.handler.test.ts
  $ pitaya-ts g remote matchmaking --dry-run
  $ pitaya-ts g pipeline auth --module src/app.module.ts
  $ pitaya-ts g module shop
`)
    .action((element: string, name: string, opts: { dryRun?: boolean; module?: string; project?: string; skipTest?: boolean }) => {
      generate(element, name, opts, print);
    });

  program
    .command('repl')
    .description("an interactive client, like Pitaya's pitaya-cli")
    .argument('[address]', 'connect to it first (host:port, ws://, wss://, tcp://, tls://)')
    .option('-f, --file <file>', 'run the commands of a file and exit: non-zero at the first failing one')
    .option('-p, --pretty', 'indent JSON replies and pushes')
    .option('-d, --docs <route>', 'docs route to read the route list from', 'docsHandler.docs')
    .option('--history <file>', 'history file (default $PITAYA_TS_HISTORY_PATH or ~/.pitaya-ts_history)')
    .option('--timeout <ms>', 'connect and request timeout', positiveInt, 5000)
    .addHelpText('after', `
Commands in the shell:
  connect <address>         host:port tries wss, ws, tls, tcp in that order (like pitaya-cli)
  request <route> [json]    prints the reply as sv-> {...}
  notify <route> [json]
  sethandshake <json> | sethandshake version|platform|buildNumber <value>
  routes, disconnect, sleep <ms>, help, exit
Pushes print as they arrive: sv-> push <route> {...}. Tab completes commands and the server's routes
(when it imports DocsModule).

Examples:
  $ pitaya-ts repl localhost:3250
  $ pitaya-ts repl --pretty
  $ pitaya-ts repl --file smoke.txt        # e.g. lines: connect localhost:3250 / request chat.room.join
`)
    .action(async (address: string | undefined, opts: { file?: string; pretty?: boolean; docs?: string; history?: string; timeout: number }) => {
      const code = await runRepl({
        file: opts.file,
        pretty: opts.pretty,
        docsRoute: opts.docs,
        historyFile: opts.history,
        timeoutMs: opts.timeout,
        connectTo: address,
        input: io.stdin,
        output: io.stdout,
        errorOutput: io.stderr,
      });
      setExitCode(code);
    });

  program
    .command('docs')
    .description("write a server's protocol document: Pitaya's Documentation JSON or AsyncAPI 3")
    .argument('[address]', 'a running server with DocsModule (host:port, ws://, tcp://, …)')
    .option('-f, --format <format>', `${DOC_FORMATS.join(' | ')}`, 'pitaya')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .option('-m, --module <file>', 'instead of a running server: the compiled root module (e.g. dist/app.module.js)')
    .option('--export <name>', 'with --module: the root module export (default: the only @Module exported)')
    .option('-t, --server-type <type>', 'with --module: the server type (first part of the routes)')
    .option('-r, --route <route>', 'with an address: the docs route (default docsHandler.docs, or docsHandler.asyncapi)')
    .option('--timeout <ms>', 'connect and request timeout', positiveInt, 5000)
    .addHelpText('after', `
Examples:
  $ pitaya-ts docs localhost:3250                                   the route table of a running server
  $ pitaya-ts docs ws://localhost:3250 --format asyncapi -o asyncapi.json
  $ pitaya-ts docs --module dist/app.module.js --server-type game --format asyncapi -o docs/asyncapi.json
`)
    .action(async (address: string | undefined, opts: { format: string; out?: string; module?: string; export?: string; serverType?: string; route?: string; timeout: number }) => {
      await writeDocs(address, {
        format: opts.format as DocFormat,
        out: opts.out,
        module: opts.module,
        exportName: opts.export,
        serverType: opts.serverType,
        route: opts.route,
        timeoutMs: opts.timeout,
      }, io.stdout);
    });

  return program;
}

/** Runs the CLI with `argv` (without `node` and the script); resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`pitaya-ts: ${oneLine(error)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
