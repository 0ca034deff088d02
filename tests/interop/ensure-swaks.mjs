// The interop tests drive real SMTP clients through `lab bridge`: swaks (Debian's package,
// with Net::SSLeay for STARTTLS), Python's smtplib and nodemailer (an npm dev dependency).
// Install what is missing when we can (root, apt); otherwise stop with a message that says how.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** True when `command` runs; its output is not wanted. */
function works(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const packages = [];
if (!works('swaks', ['--version'])) packages.push('swaks');
if (!works('perl', ['-MNet::SSLeay', '-MIO::Socket::SSL', '-e', '1'])) {
  packages.push('libnet-ssleay-perl', 'libio-socket-ssl-perl');
}
if (!works('python3', ['-c', 'import smtplib, ssl'])) packages.push('python3');
if (packages.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(
    `The interop tests need Debian packages that are missing: ${packages.join(' ')}\n` +
      `Install them as root:  apt-get update && apt-get install -y ${packages.join(' ')}\n` +
      `then run the tests again.`,
  );
  process.exit(1);
}
console.log(`Installing Debian packages for the interop tests: ${packages.join(' ')}…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
if (!works('swaks', ['--version'])) {
  console.error('apt-get finished but swaks still does not run.');
  process.exit(1);
}
