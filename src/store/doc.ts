/**
 * The lab as data: which scenario, and what was typed where and when. Everything else the
 * UI shows — the world, the trace, the terminals' screens — is derived by replaying this
 * document (DESIGN.md, Principles 2 and 5): the engine is deterministic, so the same
 * scenario and inputs give the same trace. A document that comes from outside (an imported
 * file) is only ever read through LabDocSchema.
 */
import * as z from 'zod/mini';

export const DOC_FORMAT = 'smtp-lab/v1';

/** Longest single input chunk kept (a large paste); longer ones are refused, not cut. */
export const MAX_INPUT_CHUNK = 1_000_000;

export const InputRecordSchema = z.object({
  /** Virtual time (ms since the world started) at which the keys reached the terminal. */
  t: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
  /** The host whose terminal received them. */
  host: z.string().check(z.minLength(1), z.maxLength(253)),
  /** Keys as the terminal delivered them; '' records opening the terminal. */
  data: z.string().check(z.maxLength(MAX_INPUT_CHUNK)),
});

export const LabDocSchema = z
  .object({
    format: z.literal(DOC_FORMAT),
    /** A scenario name from the catalogue (src/store/scenarios.ts). */
    scenario: z.string().check(z.minLength(1), z.maxLength(100)),
    inputs: z.array(InputRecordSchema).check(z.maxLength(1_000_000)),
  })
  .check(
    z.refine((d) => d.inputs.every((r, i) => i === 0 || d.inputs[i - 1]!.t <= r.t), {
      message: 'inputs must be in time order',
      path: ['inputs'],
    }),
  );

export type InputRecord = z.infer<typeof InputRecordSchema>;
export type LabDoc = z.infer<typeof LabDocSchema>;

export function emptyDoc(scenario: string): LabDoc {
  return { format: DOC_FORMAT, scenario, inputs: [] };
}

/** Validate a document from outside; the error names the first bad field. */
export function parseDoc(input: unknown): { ok: true; doc: LabDoc } | { ok: false; error: string } {
  const result = LabDocSchema.safeParse(input);
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
