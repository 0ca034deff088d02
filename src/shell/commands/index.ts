/**
 * The commands a terminal knows, by name. A command may be installed on some hosts only
 * (`availableOn`); elsewhere the shell answers "command not found", as a real host would.
 */
import type { World } from '../../engine/world';
import type { CommandSpec } from '../program';
import type { LazyCommand } from './lazy';
import { base64Command } from './base64';
import { catCommand } from './cat';
import { digCommand } from './dig';
import { echoCommand } from './echo';
import { cdCommand, mkdirCommand, pwdCommand, rmCommand, touchCommand } from './files';
import { helpCommands } from './help';
import { hostCommand } from './host';
import { ipCommand } from './ip';
import { lsCommand } from './ls';
import { mailCommand } from './mail';
import { ncCommand } from './nc';
import { opensslCommand } from './openssl';
import { postconfCommand, postfixCommand } from './postconf';
import { mailqCommand, postqueueCommand, postsuperCommand } from './postfix';
import { sendmailCommand } from './sendmail';
import { sshCommand } from './ssh';
import { swaksCommand } from './swaks';
import { tailCommand } from './tail';
import { nslookupCommand } from './nslookup';
import { pingCommand } from './ping';
import { printfCommand } from './printf';
import {
  clearCommand,
  exitCommand,
  falseCommand,
  historyCommand,
  logoutCommand,
  trueCommand,
} from './session';
import { dateCommand, hostnameCommand, sleepCommand, whoamiCommand } from './system';
import { telnetCommand } from './telnet';

const COMMANDS: CommandSpec[] = [
  base64Command,
  catCommand,
  cdCommand,
  clearCommand,
  dateCommand,
  digCommand,
  echoCommand,
  exitCommand,
  falseCommand,
  historyCommand,
  hostCommand,
  hostnameCommand,
  ipCommand,
  logoutCommand,
  lsCommand,
  mailCommand,
  mailqCommand,
  mkdirCommand,
  ncCommand,
  nslookupCommand,
  opensslCommand,
  pingCommand,
  postconfCommand,
  postfixCommand,
  postqueueCommand,
  postsuperCommand,
  printfCommand,
  pwdCommand,
  rmCommand,
  sendmailCommand,
  sleepCommand,
  sshCommand,
  swaksCommand,
  tailCommand,
  telnetCommand,
  touchCommand,
  trueCommand,
  whoamiCommand,
  ...helpCommands(findCommand, commandsOn),
].sort((a, b) => a.name.localeCompare(b.name, 'en'));

/** Load the programs that load on first use (Node entry points and tests: no waiting). */
export async function preloadCommands(): Promise<void> {
  await Promise.all(COMMANDS.map((c) => (c.run as Partial<LazyCommand>).preload?.()));
}

/** The command `name` as installed on `host`, if it is. */
export function findCommand(name: string, world: World, host: string): CommandSpec | undefined {
  const spec = COMMANDS.find((c) => c.name === name);
  return spec && (spec.availableOn?.(world, host) ?? true) ? spec : undefined;
}

/** Every command installed on `host`, by name. */
export function commandsOn(world: World, host: string): CommandSpec[] {
  return COMMANDS.filter((c) => c.availableOn?.(world, host) ?? true);
}
