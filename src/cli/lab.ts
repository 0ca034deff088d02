/**
 * `npm run lab -- …`: the engine and shell without a browser (DESIGN.md, command-line
 * contract). Exit code 2 for invalid input, with the reason on stderr.
 */
import { runCommand } from './run';

const USAGE = `usage: lab run [--scenario NAME|FILE] [--seed N] [--trace OUT.jsonl] [SCRIPT]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
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
