/** base64 [-d] [-i] [-w COLS] [FILE], as GNU coreutils: binary safe, wrapped at 76 columns. */
import { base64Encode } from '../../engine/base64';
import type { CommandSpec } from '../program';
import { getopt, tryHelp } from './args';
import { readAll, readFile } from './input';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

/** Decode as GNU base64 -d: newlines ignored, output up to the first invalid input. */
export function decodeBase64(
  input: Uint8Array,
  ignoreGarbage: boolean,
): { bytes: Uint8Array; valid: boolean } {
  const out: number[] = [];
  let quantum: number[] = [];
  let padding = 0;
  const flush = (): boolean => {
    const [a, b, c, d] = quantum;
    if (quantum.length < 2) return quantum.length === 0;
    out.push((a! << 2) | (b! >> 4));
    if (quantum.length > 2) out.push(((b! & 15) << 4) | (c! >> 2));
    if (quantum.length > 3) out.push(((c! & 3) << 6) | d!);
    return quantum.length + padding === 4;
  };
  for (const byte of input) {
    if (byte === 10) continue;
    if (byte === 61 /* = */) {
      if (quantum.length < 2 || quantum.length + padding >= 4) {
        if (ignoreGarbage) continue;
        return { bytes: Uint8Array.from(out), valid: false };
      }
      padding++;
      if (quantum.length + padding === 4) {
        flush();
        quantum = [];
        padding = 0;
      }
      continue;
    }
    const value = VALUE.get(byte);
    if (value === undefined || padding > 0) {
      if (ignoreGarbage) continue;
      return { bytes: Uint8Array.from(out), valid: false };
    }
    quantum.push(value);
    if (quantum.length === 4) {
      flush();
      quantum = [];
    }
  }
  const complete = flush();
  return { bytes: Uint8Array.from(out), valid: complete };
}

export const base64Command: CommandSpec = {
  name: 'base64',
  summary: 'base64 encode/decode data and print to standard output',
  man: {
    synopsis: ['base64 [OPTION]... [FILE]'],
    description: [
      'Base64 encode or decode FILE, or standard input, to standard output. With no FILE, or when FILE is -, read standard input.',
      'The data are encoded as described for the base64 alphabet in RFC 4648. When decoding, the input may contain newlines in addition to the bytes of the formal base64 alphabet. SMTP AUTH (RFC 4954) carries its SASL exchanges in this encoding.',
    ],
    options: [
      ['-d, --decode', 'decode data'],
      ['-i, --ignore-garbage', 'when decoding, ignore non-alphabet characters'],
      [
        '-w, --wrap=COLS',
        'wrap encoded lines after COLS character (default 76). Use 0 to disable line wrapping',
      ],
    ],
    examples: [
      [
        "echo -ne '\\0alice\\0wonderland' | base64",
        'AGFsaWNlAHdvbmRlcmxhbmQ= — the argument of AUTH PLAIN.',
      ],
      ['echo -n alice | base64', 'YWxpY2U= — the user name for AUTH LOGIN.'],
      ['echo VXNlcm5hbWU6 | base64 -d', 'Username: — what a server sends during AUTH LOGIN.'],
    ],
    seeAlso: ['echo(1)', 'printf(1)'],
  },
  run(ctx) {
    const parsed = getopt(ctx.args, [
      { key: 'd', short: 'd', long: 'decode' },
      { key: 'i', short: 'i', long: 'ignore-garbage' },
      { key: 'w', short: 'w', long: 'wrap', value: true },
    ]);
    if (!parsed.ok) {
      ctx.stderr.write(`base64: ${parsed.message}\n${tryHelp('base64')}`);
      return 1;
    }
    const { options, operands } = parsed;
    if (operands.length > 1) {
      ctx.stderr.write(`base64: extra operand ‘${operands[1]}’\n${tryHelp('base64')}`);
      return 1;
    }
    const wrapArg = options.get('w')?.at(-1);
    const wrap = wrapArg === undefined ? 76 : /^\d+$/.test(wrapArg) ? Number(wrapArg) : NaN;
    if (Number.isNaN(wrap)) {
      ctx.stderr.write(`base64: invalid wrap size: ‘${wrapArg}’\n`);
      return 1;
    }
    const convert = (data: Uint8Array): number => {
      if (options.has('d')) {
        const { bytes, valid } = decodeBase64(data, options.has('i'));
        ctx.stdout.write(bytes);
        if (valid) return 0;
        ctx.stderr.write('base64: invalid input\n');
        return 1;
      }
      const text = base64Encode(data);
      if (text === '') return 0;
      const lines = wrap === 0 ? [text] : (text.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []);
      ctx.stdout.write(lines.join('\n') + '\n');
      return 0;
    };
    const file = operands[0];
    if (file !== undefined && file !== '-') {
      const data = readFile(ctx, file);
      return data ? convert(data) : 1;
    }
    return readAll(ctx, convert);
  },
};
