/**
 * `npm run lab -- …`: the engine and shell without a browser (DESIGN.md, command-line
 * contract). Exit code 2 for invalid input, with the reason on stderr. Each command's
 * module is loaded only when it runs.
 */
import { BRIDGE_USAGE } from './common';

const USAGE = `usage: lab run [--scenario NAME|FILE] [--seed N] [--trace OUT.jsonl] [SCRIPT]
       ${BRIDGE_USAGE.replace(/^usage: /, '')}
       lessons check [DIR]
       demos check [DIR] | demos run FILE`;

async function main(argv: string[]): Promise<number> {
  // Headless runs type a script line after line: every command must be ready at once.
  await (await import('../shell/commands')).preloadCommands();
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return (await import('./run')).runCommand(rest);
    case 'bridge':
      return (await import('./bridge')).bridgeCommand(rest);
    case 'lessons':
      return (await import('./lessons')).lessonsCommand(rest);
    case 'demos':
      return (await import('./demos')).demosCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    default:
      process.stderr.write(`lab: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
