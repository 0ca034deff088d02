/** printf FORMAT [ARGUMENT]..., as bash's builtin: the format is reused until the arguments run out. */
import { utf8 } from '../../engine/bytes';
import { concatBytes } from '../io';
import type { CommandContext } from '../program';
import { decodeEscapes } from './escapes';

type Piece =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'conv'; flags: string; width: string; precision: string | undefined; conv: string };

const CONVERSION = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([sbcdiouxXeEfFgG%])/;

function parseFormat(format: string): Piece[] | string {
  const pieces: Piece[] = [];
  let literal = '';
  const flush = () => {
    if (literal) pieces.push({ kind: 'bytes', bytes: decodeEscapes(literal, 'printf').bytes });
    literal = '';
  };
  for (let i = 0; i < format.length;) {
    if (format[i] === '\\' && i + 1 < format.length) {
      literal += format.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (format[i] !== '%') {
      literal += format[i++];
      continue;
    }
    const m = CONVERSION.exec(format.slice(i));
    if (!m) {
      const bad = format[i + 1];
      return bad === undefined
        ? "`%': missing format character"
        : `\`${bad}': invalid format character`;
    }
    flush();
    pieces.push({ kind: 'conv', flags: m[1]!, width: m[2] ?? '', precision: m[3], conv: m[4]! });
    i += m[0].length;
  }
  flush();
  return pieces;
}

/** A numeric argument as printf reads it: decimal, 0x hex, 0 octal, or 'c for a character code. */
function number(arg: string): number | undefined {
  if (/^['"]/.test(arg)) return arg.length > 1 ? arg.codePointAt(1)! : 0;
  const t = arg.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[-+]?\d+$/.test(t)) return parseInt(t, 10);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return undefined;
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (numeric && flags.includes('0')) {
    const sign = /^[-+ ]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

function exponential(n: number, precision: number, upper: boolean): string {
  const s = n.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

export function run(ctx: CommandContext): number {
  let args = ctx.args;
  if (args[0] === '--') args = args.slice(1);
  const [format, ...values] = args;
  if (format === undefined) {
    ctx.stderr.write('-bash: printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  const pieces = parseFormat(format);
  if (typeof pieces === 'string') {
    ctx.stderr.write(`-bash: printf: ${pieces}\n`);
    return 1;
  }
  const out: Uint8Array[] = [];
  let status = 0;
  let next = 0;
  const take = () => values[next++];
  const intArg = (arg: string | undefined): number => {
    if (arg === undefined || arg === '') return 0;
    const n = number(arg);
    if (n === undefined) {
      ctx.stderr.write(`-bash: printf: ${arg}: invalid number\n`);
      status = 1;
      return parseInt(arg, 10) || 0;
    }
    return n;
  };
  const hasConversions = pieces.some((p) => p.kind === 'conv' && p.conv !== '%');
  do {
    for (const piece of pieces) {
      if (piece.kind === 'bytes') {
        out.push(piece.bytes);
        continue;
      }
      const { flags, conv } = piece;
      if (conv === '%') {
        out.push(utf8('%'));
        continue;
      }
      const width = piece.width === '*' ? intArg(take()) : Number(piece.width || 0);
      const precision =
        piece.precision === '*'
          ? intArg(take())
          : piece.precision === undefined
            ? undefined
            : Number(piece.precision || 0);
      const arg = take();
      let text: string;
      switch (conv) {
        case 's':
          text = (arg ?? '').slice(0, precision);
          break;
        case 'b': {
          const { bytes, stop } = decodeEscapes(arg ?? '', 'echo');
          out.push(bytes);
          if (stop) {
            ctx.stdout.write(concatBytes(out));
            return status;
          }
          continue;
        }
        case 'c':
          text = [...(arg ?? '')][0] ?? '';
          break;
        case 'd':
        case 'i': {
          const n = Math.trunc(intArg(arg));
          text = String(Math.abs(n)).padStart(precision ?? 0, '0');
          text = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + text;
          break;
        }
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
          let n = Math.trunc(intArg(arg));
          if (n < 0) n = Number(BigInt.asUintN(64, BigInt(n)));
          const base = conv === 'o' ? 8 : conv === 'u' ? 10 : 16;
          text = n.toString(base).padStart(precision ?? 0, '0');
          if (conv === 'X') text = text.toUpperCase();
          if (flags.includes('#') && n !== 0)
            text = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + text;
          break;
        }
        default: {
          const n = arg === undefined || arg === '' ? 0 : (number(arg) ?? (intArg(arg), 0));
          const p = precision ?? 6;
          if (conv === 'f' || conv === 'F') text = n.toFixed(p);
          else if (conv === 'e' || conv === 'E') text = exponential(n, p, conv === 'E');
          else {
            const g = Number(n.toPrecision(Math.max(p, 1)));
            const exp = g === 0 ? 0 : Math.floor(Math.log10(Math.abs(g)));
            text =
              exp < -4 || exp >= Math.max(p, 1)
                ? exponential(g, Math.max(p, 1) - 1, conv === 'G').replace(/\.?0+e/, 'e')
                : String(g);
          }
          if (n >= 0 && flags.includes('+')) text = '+' + text;
        }
      }
      out.push(utf8(pad(text, flags, width, /[diouxXeEfFgG]/.test(conv))));
    }
  } while (hasConversions && next < values.length);
  ctx.stdout.write(concatBytes(out));
  return status;
}
