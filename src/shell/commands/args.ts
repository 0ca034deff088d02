/**
 * getopt_long(3) as GNU tools use it: clustered short flags (-la), values attached or
 * separate (-w0, -w 0, --wrap=0, --wrap 0), `--` ends options, and the same complaints.
 */
export interface OptionSpec {
  /** The key the parsed value is stored under. */
  key: string;
  short?: string;
  long?: string;
  /** Takes a value. */
  value?: boolean;
}

export type Parsed =
  { ok: true; options: Map<string, string[]>; operands: string[] } | { ok: false; message: string };

export function getopt(args: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const options = new Map<string, string[]>();
  const operands: string[] = [];
  const set = (spec: OptionSpec, value: string) =>
    options.set(spec.key, [...(options.get(spec.key) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = splitOnce(arg.slice(2), '=');
      const matches = specs.filter((s) => s.long?.startsWith(name));
      const spec =
        matches.find((s) => s.long === name) ?? (matches.length === 1 ? matches[0] : undefined);
      if (!spec) {
        return {
          ok: false,
          message:
            matches.length > 1 ? `option '${arg}' is ambiguous` : `unrecognized option '${arg}'`,
        };
      }
      if (spec.value) {
        const value = inline ?? args[++i];
        if (value === undefined)
          return { ok: false, message: `option '--${spec.long}' requires an argument` };
        set(spec, value);
      } else if (inline !== undefined) {
        return { ok: false, message: `option '--${spec.long}' doesn't allow an argument` };
      } else set(spec, '');
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      for (let j = 1; j < arg.length; j++) {
        const spec = specs.find((s) => s.short === arg[j]);
        if (!spec) return { ok: false, message: `invalid option -- '${arg[j]}'` };
        if (!spec.value) {
          set(spec, '');
          continue;
        }
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined)
          return { ok: false, message: `option requires an argument -- '${spec.short}'` };
        set(spec, value);
        break;
      }
      continue;
    }
    operands.push(arg);
  }
  return { ok: true, options, operands };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + 1)];
}

/** The GNU tail of a usage error. */
export function tryHelp(name: string): string {
  return `Try '${name} --help' for more information.\n`;
}
