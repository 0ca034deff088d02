/**
 * Just enough Markdown structure for lesson files: the YAML front matter, the level-2
 * sections, and the fenced blocks whose info string names a lesson part (```hint …).
 * Everything else stays Markdown text for the panel's renderer. Fences are tracked so a
 * `## ` inside a code block is not taken for a heading (CommonMark §4.5).
 */

export interface FrontMatter {
  yaml: string;
  /** 1-based line where the YAML starts. */
  line: number;
}

export interface Block {
  /** The info string's first word, e.g. `check`. */
  info: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface Section {
  /** The heading's text after `## `, or '' for the text before the first heading. */
  heading: string;
  line: number;
  /** Markdown outside the extracted blocks. */
  text: string;
  /** Fenced blocks whose info string is one of the extracted names, in order. */
  blocks: Block[];
}

export interface SplitLesson {
  frontMatter?: FrontMatter;
  sections: Section[];
  problems: { line: number; message: string }[];
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** Split a lesson file; `extract` lists the info strings taken out as blocks. */
export function splitLesson(text: string, extract: readonly string[]): SplitLesson {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const problems: SplitLesson['problems'] = [];
  let at = 0;
  let frontMatter: FrontMatter | undefined;
  if (lines[0]?.trimEnd() === '---') {
    const end = lines.findIndex(
      (l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'),
    );
    if (end < 0) {
      problems.push({ line: 1, message: 'front matter is not closed by a line "---"' });
      return { sections: [], problems };
    }
    frontMatter = { yaml: lines.slice(1, end).join('\n'), line: 2 };
    at = end + 1;
  }

  const sections: Section[] = [];
  let section: Section & { out: string[] } = {
    heading: '',
    line: at + 1,
    text: '',
    blocks: [],
    out: [],
  };
  const finish = () => {
    sections.push({
      heading: section.heading,
      line: section.line,
      // Blank lines around the text go; indentation of its first line stays (it may matter).
      text: section.out
        .join('\n')
        .replace(/^(?:[ \t]*\n)+/, '')
        .trimEnd(),
      blocks: section.blocks,
    });
  };

  while (at < lines.length) {
    const line = lines[at]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent, marks, info] = fence;
      const end = closingFence(lines, at, marks!);
      if (end < 0) {
        problems.push({ line: at + 1, message: `code block opened here is never closed` });
        break;
      }
      if (indent === '' && extract.includes(info!)) {
        section.blocks.push({
          info: info!,
          body: lines.slice(at + 1, end).join('\n'),
          line: at + 1,
        });
      } else {
        section.out.push(...lines.slice(at, end + 1));
      }
      at = end + 1;
      continue;
    }
    const heading = /^##[ \t]+(.*?)[ \t#]*$/.exec(line);
    if (heading) {
      finish();
      section = { heading: heading[1]!, line: at + 1, text: '', blocks: [], out: [] };
    } else {
      section.out.push(line);
    }
    at++;
  }
  finish();
  return { ...(frontMatter ? { frontMatter } : {}), sections, problems };
}

/** The line that closes the fence `marks` opened on `lines[at]`, or -1 (CommonMark §4.5). */
function closingFence(lines: readonly string[], at: number, marks: string): number {
  const close = new RegExp(`^ {0,3}${marks[0] === '`' ? '`' : '~'}{${marks.length},}\\s*$`);
  return lines.findIndex((l, i) => i > at && close.test(l));
}

/** The fenced code blocks of a piece of Markdown whose info string starts with `info`. */
export function codeBlocks(markdown: string, info: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  for (let at = 0; at < lines.length; at++) {
    const fence = FENCE.exec(lines[at]!);
    if (!fence) continue;
    const end = closingFence(lines, at, fence[2]!);
    const last = end < 0 ? lines.length : end;
    if (fence[3] === info) {
      blocks.push({ info, body: lines.slice(at + 1, last).join('\n'), line: at + 1 });
    }
    at = last;
  }
  return blocks;
}

/** Targets of inline Markdown links and images: `[text](target "title")`. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const m of markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    targets.push(m[1]!);
  }
  return targets;
}
