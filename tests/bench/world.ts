/**
 * End-to-end deliveries: N messages from alice's mail client through the MSA (587, STARTTLS,
 * AUTH), the MTA's queue, DNS MX lookups and mx1 to bob's mailbox — a fresh connection per
 * hop, in virtual time, as fast as the CPU allows. Run for two N to show the cost per
 * message does not grow with N.
 */
import { World } from '../../src/engine/world';
import { builtInScenario } from '../../src/engine/scenario';
import { submit } from '../../src/engine/agents/mua';
import { type Benchmark, type Figure, now, seconds } from './harness';

const GOAL = { min: 20_000, text: '≥ 20,000/s' };

/** Messages in flight at once: enough to overlap hops, few enough to keep queues short. */
const WINDOW = 50;

/** alice's mail client submits message `i` for bob; `done` hears whether it was taken. */
export function submitToBob(world: World, i: number, done: (ok: boolean) => void): void {
  submit(
    world,
    {
      host: 'laptop.alpha.example',
      server: { host: 'mail.alpha.example', port: 587 },
      account: { username: 'alice', password: 'wonderland' },
      from: 'alice@alpha.example',
      to: ['bob@beta.example'],
      subject: `message ${i}`,
      body: 'Hello Bob,\n\nthis is one of many.\n',
    },
    (r) => done(r.ok),
  );
}

function deliver(n: number): number {
  const world = new World(builtInScenario('default'));
  let submitted = 0;
  let failures = 0;
  const send = () =>
    submitToBob(world, submitted++, (ok) => {
      if (!ok) failures++;
      if (submitted < n) send();
    });
  const start = now();
  for (let i = 0; i < Math.min(WINDOW, n); i++) send();
  world.settle();
  const elapsed = seconds(now() - start);
  const delivered = world.mailstore('mx1.beta.example')!.messages('bob').length;
  if (failures > 0 || delivered !== n) {
    throw new Error(`expected ${n} deliveries, got ${delivered} (${failures} submissions failed)`);
  }
  return n / elapsed;
}

export const worldE2e: Benchmark = {
  name: 'world.e2e',
  description: 'MUA → MSA → MTA → DNS → MX → mailbox, fresh connection per hop',
  async run(): Promise<Figure[]> {
    deliver(200); // warm-up
    const small = deliver(1_000);
    const large = deliver(10_000);
    return [
      { name: 'world.e2e.dps.1000', value: small, unit: 'deliveries/s', goal: GOAL },
      { name: 'world.e2e.dps.10000', value: large, unit: 'deliveries/s', goal: GOAL },
      {
        name: 'world.e2e.scaling.ratio',
        value: large / small,
        unit: '×',
        note: 'dps at 10,000 ÷ dps at 1,000: near 1 means the cost per message does not grow',
      },
    ];
  },
};
