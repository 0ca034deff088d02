/**
 * Demo files (docs/demos.md): a header naming the demo and its built-in scenario, then
 * captions, each followed by what the presenter types under it, in the `lab run` script
 * form (src/shell/script.ts). `#! pause` stops the presenter inside a caption; `#! expect`
 * states, in the lesson check language, what must have happened by then (checked by
 * `lab demos check`, never by the presenter). Parsing is pure: the app and the CLI hand
 * in (file name, text). Every problem names the file and the line.
 */
import { builtInScenario } from '../engine/scenario';
import {
  directiveOf,
  parseScriptLine,
  ScriptError,
  scriptLines,
  type ScriptStep,
} from '../shell/script';

/** A step of a caption: typing, a host switch, a wait, or an expectation at that point. */
export type DemoStep =
  | Extract<ScriptStep, { kind: 'type' | 'host' | 'wait' }>
  | { kind: 'expect'; check: string; line: number };

export interface DemoCaption {
  text: string;
  line: number;
  /** The caption's steps, cut where it says `#! pause` (at least one part). */
  parts: DemoStep[][];
}

export interface Demo {
  file: string;
  id: string;
  title: string;
  scenario: string;
  summary: string;
  captions: DemoCaption[];
}

export type DemoParse = { ok: true; demo: Demo } | { ok: false; errors: string[] };

const HEADER = ['id', 'title', 'scenario', 'summary'] as const;
type HeaderField = (typeof HEADER)[number];
const BODY = ['caption', 'host', 'wait', 'pause', 'expect'];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isDemoFile(fileName: string): boolean {
  return /\.demo$/.test(fileName);
}

export function parseDemo(file: string, text: string): DemoParse {
  const errors: string[] = [];
  const header: Partial<Record<HeaderField, string>> = {};
  const captions: DemoCaption[] = [];
  let hosts: string[] | undefined;
  let expectations = 0;
  const at = (line: number, why: string) => errors.push(`${file}:${line}: ${why}`);

  scriptLines(text).forEach((content, i) => {
    const line = i + 1;
    const directive = directiveOf(content);
    const name = directive?.name ?? '';
    const caption = captions.at(-1);
    if (directive && (HEADER as readonly string[]).includes(name)) {
      const field = name as HeaderField;
      if (caption) at(line, `"#! ${field}" belongs in the header, before the first caption`);
      else if (header[field] !== undefined) at(line, `a second "#! ${field}"`);
      else if (directive.rest === '') at(line, `"#! ${field}" needs a value`);
      else header[field] = directive.rest;
      return;
    }
    if (directive && !BODY.includes(name)) {
      at(
        line,
        `unknown directive "${content}" (a demo has ${HEADER.map((h) => `#! ${h}`).join(', ')}, then ${BODY.map((b) => `#! ${b}`).join(', ')})`,
      );
      return;
    }
    if (!caption && name !== 'caption') {
      if (content.trim() !== '') at(line, 'everything after the header belongs to a caption');
      return;
    }
    if (name === 'expect') {
      if (directive!.rest === '') at(line, '"#! expect" needs a check');
      else {
        expectations++;
        caption!.parts.at(-1)!.push({ kind: 'expect', check: directive!.rest, line });
      }
      return;
    }
    let step: ScriptStep;
    try {
      step = parseScriptLine(content, line, file);
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      errors.push(error.message);
      return;
    }
    if (step.kind === 'caption') {
      if (caption) endCaption(caption);
      else hosts = scenarioHosts(); // the header is complete
      captions.push({ text: step.text, line, parts: [[]] });
    } else if (step.kind === 'pause') {
      if (caption!.parts.at(-1)!.length === 0) at(line, '"#! pause" with nothing before it');
      else caption!.parts.push([]);
    } else {
      if (step.kind === 'host' && hosts && !hosts.includes(step.host)) {
        at(line, `no host named "${step.host}" in scenario "${header.scenario}"`);
      }
      caption!.parts.at(-1)!.push(step);
    }
  });
  if (captions.length > 0) endCaption(captions.at(-1)!);
  else scenarioHosts();

  /** The hosts of the header's scenario (undefined without one; an unknown one is an error). */
  function scenarioHosts(): string[] | undefined {
    if (header.scenario === undefined) return undefined;
    try {
      return builtInScenario(header.scenario).hosts.map((h) => h.name);
    } catch (error) {
      at(1, error instanceof Error ? error.message : String(error));
      return [];
    }
  }

  function endCaption(caption: DemoCaption) {
    if (caption.parts.length > 1 && caption.parts.at(-1)!.length === 0) {
      at(caption.line, `the caption "${caption.text}" ends with "#! pause": nothing follows it`);
    }
  }

  for (const field of HEADER) {
    if (header[field] === undefined) at(1, `the header needs "#! ${field}"`);
  }
  if (header.id !== undefined && !ID.test(header.id)) {
    at(1, `"#! id ${header.id}": use lower-case letters, digits and dashes`);
  }
  if (captions.length === 0) at(1, 'a demo needs at least one "#! caption"');
  if (captions.length > 0 && expectations === 0) {
    at(1, 'a demo states its outcome with at least one "#! expect"');
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, demo: { file, ...(header as Record<HeaderField, string>), captions } };
}
