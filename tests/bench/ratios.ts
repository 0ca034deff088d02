/** Figures derived from other benchmarks' figures in the same run. */
import type { Benchmark, Figure } from './harness';

function need(earlier: ReadonlyMap<string, Figure>, name: string): Figure {
  const figure = earlier.get(name);
  if (!figure) throw new Error(`${name} was not measured in this run`);
  return figure;
}

export const inMemoryVsSmtpServer: Benchmark = {
  name: 'smtp.inmemory-vs-smtp-server',
  description: 'the in-memory engine against smtp-server over loopback',
  requires: ['smtp.inmemory.tps', 'smtp.smtp-server.tps'],
  async run(earlier) {
    const engine = need(earlier, 'smtp.inmemory.tps');
    const yardstick = need(earlier, 'smtp.smtp-server.tps');
    return [
      {
        name: 'smtp.inmemory-vs-smtp-server.ratio',
        value: engine.value / yardstick.value,
        unit: '×',
        goal: { min: 5, text: '≥ 5×' },
        note: 'issue 3: the engine at least 5× smtp-server',
      },
    ];
  },
};
