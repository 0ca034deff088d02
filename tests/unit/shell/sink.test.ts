import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hostFileSystem } from '../../../src/shell/fs';
import { terminal } from './support';

describe('command output reaches the terminal only through the escaping sink', () => {
  it('no byte a command writes can put ESC, a C1 control or a lone CR on screen (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('cat f', 'cat f | cat', 'base64 -d g', 'cat g f'),
        (bytes, command) => {
          const t = terminal();
          const fs = hostFileSystem(t.lab.world, 'laptop.alpha.example');
          fs.write('/home/alice/f', 'alice', bytes, false);
          const b64 = btoa(String.fromCharCode(...bytes));
          fs.write('/home/alice/g', 'alice', new TextEncoder().encode(b64), false);
          t.session.type(command);
          // After the prompt and the typed line, the first CRLF is Enter; then comes the
          // command's output, up to the next prompt.
          const written = t.raw.join('');
          const output = written.slice(
            written.indexOf('\r\n') + 2,
            written.lastIndexOf('alice@laptop:~$ '),
          );
          expect(output.replace(/\r\n/g, '')).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
        },
      ),
      { seed: 20261122, numRuns: 200 },
    );
  });
});
