/**
 * The lab as data: which scenario, and what was typed where and when. Everything else the
 * UI shows — the world, the trace, the terminals' screens — is derived by replaying this
 * document (DESIGN.md, Principles 2 and 5): the engine is deterministic, so the same
 * scenario and inputs give the same trace. A document that comes from outside (an imported
 * file, a share link) is only ever read through LabDocSchema.
 */
import * as z from 'zod/mini';

export const DOC_FORMAT = 'smtp-lab/v2';

/** Version 1 named a built-in scenario only; its documents are version 2 documents as they are. */
const V1_FORMAT = 'smtp-lab/v1';

/** Longest single input chunk kept (a large paste); longer ones are refused, not cut. */
export const MAX_INPUT_CHUNK = 1_000_000;

export const InputRecordSchema = z.object({
  /**
   * Virtual time (ms since the world started) at which the keys reached the terminal; live
   * typing lands between whole milliseconds (playback moves time by frame).
   */
  t: z.number().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
  /** The host whose terminal received them. */
  host: z.string().check(z.minLength(1), z.maxLength(253)),
  /** Keys as the terminal delivered them; '' records opening the terminal. */
  data: z.string().check(z.maxLength(MAX_INPUT_CHUNK)),
});

/**
 * The world: a built-in scenario's name (src/store/scenarios.ts), or a whole scenario of
 * its own, checked by the engine's scenario schema when the lab loads it.
 */
export const ScenarioRefSchema = z.union(
  [z.string().check(z.minLength(1), z.maxLength(100)), z.record(z.string(), z.unknown())],
  { error: 'must be a scenario name or a scenario' },
);

export const LabDocSchema = z
  .object({
    format: z.literal(DOC_FORMAT),
    scenario: ScenarioRefSchema,
    inputs: z.array(InputRecordSchema).check(z.maxLength(1_000_000)),
    /**
     * Shell history a terminal started with (a lesson's earlier visit), by host: Up arrow
     * recalls these lines, so a replay needs them to type the same commands.
     */
    history: z.optional(
      z.record(
        z.string().check(z.minLength(1), z.maxLength(253)),
        z.array(z.string().check(z.maxLength(MAX_INPUT_CHUNK))).check(z.maxLength(1_000_000)),
      ),
    ),
  })
  .check(
    z.refine((d) => d.inputs.every((r, i) => i === 0 || d.inputs[i - 1]!.t <= r.t), {
      message: 'inputs must be in time order',
      path: ['inputs'],
    }),
  );

export type InputRecord = z.infer<typeof InputRecordSchema>;
export type ScenarioRef = z.infer<typeof ScenarioRefSchema>;
export type LabDoc = z.infer<typeof LabDocSchema>;

export function emptyDoc(scenario: ScenarioRef): LabDoc {
  return { format: DOC_FORMAT, scenario, inputs: [] };
}

/** Validate a document from outside (either version); the error names the first bad field. */
export function parseDoc(input: unknown): { ok: true; doc: LabDoc } | { ok: false; error: string } {
  const old = typeof input === 'object' && input !== null && 'format' in input;
  const result = LabDocSchema.safeParse(
    old && input.format === V1_FORMAT ? { ...input, format: DOC_FORMAT } : input,
  );
  if (result.success) return { ok: true, doc: result.data };
  const issue = result.error.issues[0];
  return {
    ok: false,
    error: `${issue?.path.join('.') || '(document)'}: ${issue?.message ?? 'invalid'}`,
  };
}

/**
 * Keys that only edit the line being typed (printable text, no Enter, no control keys)
 * touch nothing in the world, so two such chunks typed at the same instant on the same
 * host can be kept as one record without changing what a replay does.
 */
export function isPlainTyping(data: string): boolean {
  return data !== '' && !/[\x00-\x1f\x7f]/.test(data);
}
