/**
 * The trace's floor under world.e2e: only recording what a delivery leaves in the trace
 * (about a hundred events: connections, every byte as net.data, commands, replies, DNS
 * answers, queue steps, log lines), for 10,000 deliveries kept in one trace as a world
 * keeps them. The events are shallow copies of a real run's, sharing its strings and
 * arrays, so this is a lower bound: nothing is formatted, decoded or simulated. World.e2e
 * pays this on top of the protocol floor (world.floor.dps).
 */
import { World } from '../../src/engine/world';
import { builtInScenario } from '../../src/engine/scenario';
import { Trace, type TraceEventBody } from '../../src/engine/trace';
import { type Benchmark, format, now, seconds } from './harness';
import { submitToBob } from './world';

const SAMPLE = 100;
const DELIVERIES = 10_000;
const ROUNDS = 5;

/** The events SAMPLE deliveries leave in a fresh default world. */
function sampleEvents(): TraceEventBody[] {
  const world = new World(builtInScenario('default'));
  for (let i = 0; i < SAMPLE; i++) submitToBob(world, i, () => {});
  world.settle();
  if (world.mailstore('mx1.beta.example')!.messages('bob').length !== SAMPLE) {
    throw new Error('the sample run did not deliver every message');
  }
  return world.trace.events;
}

/** Deliveries per second when recording is all a delivery costs. */
function record(events: readonly TraceEventBody[]): number {
  const trace = new Trace({ now: 0 });
  const start = now();
  for (let round = 0; round < DELIVERIES / SAMPLE; round++) {
    for (const event of events) trace.emit({ ...event });
  }
  return DELIVERIES / seconds(now() - start);
}

export const traceFloor: Benchmark = {
  name: 'world.trace-floor',
  description: "recording a delivery's trace events, nothing else",
  async run() {
    const events = sampleEvents();
    record(events); // warm-up
    const rates = Array.from({ length: ROUNDS }, () => record(events)).sort((a, b) => a - b);
    return [
      {
        name: 'world.trace-floor.dps',
        value: rates[ROUNDS >> 1]!,
        unit: 'deliveries/s',
        note: `${Math.round(events.length / SAMPLE)} events per delivery, ${DELIVERIES.toLocaleString('en-US')} deliveries kept; median of ${ROUNDS}, range ${format(rates[0]!)}–${format(rates[ROUNDS - 1]!)}`,
      },
    ];
  },
};
