import { describe, expect, it } from 'vitest';
import { isLessonFile, parseLesson, type Lesson } from '../../../src/lessons/lesson';
import { diagramKind, diagramTitle } from '../../../src/lessons/diagram';
import { codeBlocks, splitLesson } from '../../../src/lessons/markdown';
import { scenarioNames } from '../../../src/engine/scenario';

const FILE = 'lessons/01-hello-smtp.md';
const fence = '```';

const FRONT = `---
id: hello-smtp
title: "Hello, SMTP"
order: 1
scenario: default
minutes: 10
objectives:
  - Send a message by hand
prerequisites: []
---
`;

const STEP_1 = `## Step: Connect

Open a connection with \`telnet mx1.beta.example 25\`.

${fence}text
## not a heading: inside a code block
${fence}

${fence}hint
Use telnet.
${fence}

${fence}hint
Type \`telnet mx1.beta.example 25\`.
${fence}

${fence}check
event: smtp.reply
match:
  code: 220
${fence}

${fence}solution
telnet mx1.beta.example 25
${fence}

${fence}explain
The server speaks first (RFC 5321 §3.1).
${fence}
`;

const STEP_2 = `## Step: Send the message

Greet and send.

${fence}hint
EHLO first.
${fence}

${fence}check
event: smtp.reply
match:
  command: "."
  code: 250
${fence}

${fence}solution
EHLO laptop.alpha.example
MAIL FROM:<alice@alpha.example>
RCPT TO:<bob@beta.example>
DATA
Subject: hi

.
${fence}

${fence}explain
Queued.
${fence}
`;

const TAIL = `## Recap

- SMTP is a conversation.

## Quiz

Answer these:

${fence}quiz
question: Who speaks first?
choices: [The client, The server]
answer: 2
explanation: The server greets with 220.
${fence}

${fence}quiz
question: Which code means ready?
choices: [220, 250, 354]
answer: 1
explanation: 220 is "service ready".
${fence}
`;

const VALID = `${FRONT}
Welcome to SMTP.

${STEP_1}
${STEP_2}
${TAIL}`;

/** The 1-based line of the first line that starts with `start`. */
const lineOf = (text: string, start: string) =>
  text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

function parsed(text: string): Lesson {
  const result = parseLesson(FILE, text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.lesson;
}

function errors(text: string): string[] {
  const result = parseLesson(FILE, text);
  if (result.ok) throw new Error('expected the lesson to be refused');
  return result.errors;
}

describe('parseLesson: a valid file', () => {
  it('reads the front matter', () => {
    const lesson = parsed(VALID);
    expect(lesson).toMatchObject({
      file: FILE,
      id: 'hello-smtp',
      title: 'Hello, SMTP',
      order: 1,
      scenario: 'default',
      minutes: 10,
      objectives: ['Send a message by hand'],
      prerequisites: [],
      intro: 'Welcome to SMTP.',
      recap: '- SMTP is a conversation.',
      quizIntro: 'Answer these:',
    });
  });

  it('reads steps with their blocks, leaving other code blocks in the instructions', () => {
    const [one, two] = parsed(VALID).steps;
    expect(one).toMatchObject({
      title: 'Connect',
      line: 14,
      hints: ['Use telnet.', 'Type `telnet mx1.beta.example 25`.'],
      solution: 'telnet mx1.beta.example 25\n',
      explain: 'The server speaks first (RFC 5321 §3.1).',
    });
    expect(one!.instructions).toBe(
      'Open a connection with `telnet mx1.beta.example 25`.\n\n```text\n## not a heading: inside a code block\n```',
    );
    expect(one!.check).toEqual({
      kind: 'event',
      spec: {
        events: ['smtp.reply'],
        match: [{ path: 'code', matcher: { op: 'equals', value: 220 } }],
      },
    });
    expect(two!.title).toBe('Send the message');
    expect(two!.solution).toBe(
      'EHLO laptop.alpha.example\nMAIL FROM:<alice@alpha.example>\nRCPT TO:<bob@beta.example>\nDATA\nSubject: hi\n\n.\n',
    );
  });

  it('reads the quiz, with answers counted from 0 and choices as text', () => {
    expect(parsed(VALID).quiz).toEqual([
      {
        question: 'Who speaks first?',
        choices: ['The client', 'The server'],
        answers: [1],
        multiple: false,
        explanation: 'The server greets with 220.',
      },
      {
        question: 'Which code means ready?',
        choices: ['220', '250', '354'],
        answers: [0],
        multiple: false,
        explanation: '220 is "service ready".',
      },
    ]);
  });

  it('reads a list of answers as a check-box question, even a list of one', () => {
    const several = parsed(VALID.replace('answer: 1\n', 'answer: [3, 1]\n')).quiz[1]!;
    expect(several).toMatchObject({ answers: [0, 2], multiple: true });
    const one = parsed(VALID.replace('answer: 1\n', 'answer: [2]\n')).quiz[1]!;
    expect(one).toMatchObject({ answers: [1], multiple: true });
  });

  it('keeps each solution parsed, for "show me", and the virtual time it lets pass', () => {
    const [one, two] = parsed(VALID).steps;
    expect(one!.script).toEqual([{ kind: 'type', text: 'telnet mx1.beta.example 25', line: 1 }]);
    expect(two!.script).toHaveLength(7);
    expect([one!.waitMs, two!.waitMs]).toEqual([0, 0]);
    const waiting = parsed(
      VALID.replace(
        'telnet mx1.beta.example 25\n```\n\n```explain',
        'telnet mx1.beta.example 25\n#! wait 90s\nsleep 5m 30\n#! host mx1.beta.example\n```\n\n```explain',
      ),
    ).steps[0]!;
    expect(waiting.waitMs).toBe(90_000 + 300_000 + 30_000);
    expect(waiting.script.map((s) => s.kind)).toEqual(['type', 'wait', 'type', 'host']);
  });

  it('accepts CRLF line ends and a missing prerequisites field', () => {
    const lesson = parsed(VALID.replace('prerequisites: []\n', '').replace(/\n/g, '\r\n'));
    expect(lesson.prerequisites).toEqual([]);
    expect(lesson.steps).toHaveLength(2);
  });

  it('tells lesson files from the guide', () => {
    expect(isLessonFile('lessons/01-hello-smtp.md')).toBe(true);
    expect(isLessonFile('lessons/README.md')).toBe(false);
    expect(isLessonFile('lessons/notes.txt')).toBe(false);
  });
});

describe('parseLesson: broken files', () => {
  it('names the file, the step and the field of a bad check value', () => {
    const text = VALID.replace('  command: "."\n  code: 250', '  command: "."\n  code: "250"');
    expect(errors(text)).toEqual([
      `${FILE}: step 2 (Send the message) check.match.code: expected number`,
    ]);
  });

  it('names unknown event types and fields in checks', () => {
    const text = VALID.replace(
      'event: smtp.reply\nmatch:\n  code: 220',
      'event: smtp.replies\nmatch:\n  code: 220',
    ).replace('  command: "."', '  verb: DATA');
    const [first, second] = errors(text);
    expect(first).toMatch(
      /^lessons\/01-hello-smtp\.md: step 1 \(Connect\) check\.event: unknown event type "smtp\.replies" \(known: net\.connect, /,
    );
    expect(second).toBe(
      `${FILE}: step 2 (Send the message) check.match.verb: smtp.reply has no field "verb" (fields: conn, server, code, lines, client, port, command)`,
    );
  });

  it('reports front matter problems by field', () => {
    const text = VALID.replace('minutes: 10', 'minutes: 30')
      .replace('id: hello-smtp', 'id: Hello SMTP')
      .replace('scenario: default', 'scenario: moon')
      .replace('objectives:\n  - Send a message by hand', 'objectives: []\nauthor: me');
    expect(errors(text)).toEqual([
      `${FILE}: front matter id: use lower-case letters, digits and hyphens`,
      `${FILE}: front matter minutes: must be at most 20`,
      `${FILE}: front matter objectives: expected at least 1 item(s)`,
      `${FILE}: front matter: unknown field "author"`,
    ]);
    expect(errors(VALID.replace('minutes: 10', 'minutes: 3'))).toEqual([
      `${FILE}: front matter minutes: must be at least 5`,
    ]);
    expect(errors(VALID.replace('title: "Hello, SMTP"\n', ''))).toEqual([
      `${FILE}: front matter title: required`,
    ]);
    expect(errors(VALID.replace('order: 1', 'order: first'))).toEqual([
      `${FILE}: front matter order: expected number`,
    ]);
    expect(errors(VALID.replace('scenario: default', 'scenario: moon'))).toEqual([
      `${FILE}: front matter scenario: unknown scenario "moon" (built in: ${scenarioNames().join(', ')})`,
    ]);
    expect(errors(VALID.replace('prerequisites: []', 'prerequisites: [Lesson One]'))).toEqual([
      `${FILE}: front matter prerequisites[0]: not a lesson id`,
    ]);
  });

  it('reports YAML syntax errors with the line in the file', () => {
    // YAML notices the open bracket on the line after it.
    expect(errors(VALID.replace('order: 1', 'order: [1'))).toEqual([
      `${FILE}: front matter: invalid YAML at line 5: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
    // The duplicate key is on the fourth line of step 1's check block.
    const text = VALID.replace(
      'event: smtp.reply\nmatch:\n  code: 220',
      'event: smtp.reply\nmatch:\n  code: 220\n  code: 221',
    );
    const line = lineOf(text, '```check') + 4;
    expect(errors(text)).toEqual([
      `${FILE}: step 1 (Connect) check: invalid YAML at line ${line}: Map keys must be unique`,
    ]);
  });

  it('requires front matter', () => {
    expect(errors(VALID.slice(FRONT.length))[0]).toBe(
      `${FILE}:1: no front matter: start the file with a line "---", the fields, and another "---"`,
    );
    expect(errors('---\nid: x\n')).toEqual([
      `${FILE}:1: front matter is not closed by a line "---"`,
    ]);
  });

  it('requires each step’s blocks', () => {
    const noCheck = VALID.replace('```check\nevent: smtp.reply\nmatch:\n  code: 220\n```\n', '');
    expect(errors(noCheck)).toEqual([`${FILE}: step 1 (Connect): no \`\`\`check block`]);
    const twoSolutions = VALID.replace(
      '```solution\ntelnet',
      '```solution\nQUIT\n```\n\n```solution\ntelnet',
    );
    expect(errors(twoSolutions)).toEqual([
      `${FILE}: step 1 (Connect): more than one \`\`\`solution block`,
    ]);
    const noHints = VALID.replace('```hint\nEHLO first.\n```\n', '');
    expect(errors(noHints)).toEqual([
      `${FILE}: step 2 (Send the message): no \`\`\`hint block (give at least one)`,
    ]);
    const noExplain = VALID.replace('```explain\nQueued.\n```\n', '');
    expect(errors(noExplain)).toEqual([
      `${FILE}: step 2 (Send the message): no \`\`\`explain block`,
    ]);
    const noText = VALID.replace('Greet and send.\n', '');
    expect(errors(noText)).toEqual([
      `${FILE}: step 2 (Send the message): no instructions (Markdown text before the blocks)`,
    ]);
    const noTitle = VALID.replace('## Step: Connect', '## Step:');
    expect(errors(noTitle)).toEqual([
      `${FILE}: step 1 (untitled): the heading needs a title: "## Step: TITLE"`,
    ]);
  });

  it('validates the solution as a script, with the scenario’s hosts', () => {
    const badDirective = VALID.replace(
      'telnet mx1.beta.example 25\n```\n\n```explain',
      '#! sleep 5\n```\n\n```explain',
    );
    expect(errors(badDirective)).toEqual([
      `${FILE}: step 1 (Connect) solution:1: unknown directive "#! sleep 5" (use "#! host NAME", "#! wait DURATION", "#! caption TEXT" or "#! pause")`,
    ]);
    const badHost = VALID.replace(
      'telnet mx1.beta.example 25\n```\n\n```explain',
      '#! host mx9.beta.example\n```\n\n```explain',
    );
    expect(errors(badHost)).toEqual([
      `${FILE}: step 1 (Connect): solution line 1: no host named "mx9.beta.example" in scenario "default"`,
    ]);
    const empty = VALID.replace(
      'telnet mx1.beta.example 25\n```\n\n```explain',
      '\n```\n\n```explain',
    );
    expect(errors(empty)).toEqual([`${FILE}: step 1 (Connect): the \`\`\`solution block is empty`]);
  });

  it('checks the sections and their order', () => {
    const summary = VALID.replace('## Recap', '## Summary');
    expect(errors(summary)).toEqual([
      `${FILE}:${lineOf(summary, '## Summary')}: unknown section "## Summary" (use "## Step: TITLE", "## Recap" or "## Quiz"; "###" for headings inside them)`,
      `${FILE}: no "## Recap" section`,
    ]);
    const recapFirst = `${FRONT}\n${TAIL.replace('## Quiz', '## Step: Late\n\nText.\n\n## Quiz')}`;
    expect(errors(recapFirst)).toContain(
      `${FILE}:${lineOf(recapFirst, '## Step: Late')}: steps come before "## Recap" and "## Quiz"`,
    );
    expect(errors(`${FRONT}\nIntro.\n\n${TAIL}`)).toEqual([
      `${FILE}: no steps (a step starts with "## Step: TITLE")`,
    ]);
    expect(errors(`${FRONT}\n${STEP_1}`)).toEqual([
      `${FILE}: no "## Recap" section`,
      `${FILE}: no "## Quiz" section`,
    ]);
    const hintInIntro = VALID.replace('Welcome to SMTP.', 'Welcome.\n\n```hint\nNo.\n```');
    expect(errors(hintInIntro)).toEqual([
      `${FILE}:${lineOf(hintInIntro, '```hint')}: a \`\`\`hint block belongs in a step`,
    ]);
    const quizInStep = VALID.replace('```hint\nEHLO first.\n```', '```quiz\nquestion: x\n```');
    expect(errors(quizInStep)).toEqual([
      `${FILE}:${lineOf(quizInStep, '```quiz')}: a \`\`\`quiz block belongs in "## Quiz"`,
      `${FILE}: step 2 (Send the message): no \`\`\`hint block (give at least one)`,
    ]);
    const unclosed = `${VALID}\n\`\`\`text\nno end\n`;
    const opened = unclosed.split('\n').length - 2; // the line before "no end"
    expect(errors(unclosed)).toEqual([`${FILE}:${opened}: code block opened here is never closed`]);
  });

  it('validates quiz questions', () => {
    expect(errors(VALID.replace('answer: 2', 'answer: 3'))).toEqual([
      `${FILE}: quiz 1 answer: must be at most 2 (choices count from 1)`,
    ]);
    expect(errors(VALID.replace('answer: 2', 'answer: 0'))).toEqual([
      `${FILE}: quiz 1 answer: must be at least 1`,
    ]);
    expect(
      errors(VALID.replace('choices: [The client, The server]', 'choices: [Only one]')),
    ).toEqual([`${FILE}: quiz 1 choices: expected at least 2 item(s)`]);
    expect(errors(VALID.replace('explanation: The server greets with 220.\n', ''))).toEqual([
      `${FILE}: quiz 1 explanation: required`,
    ]);
    expect(errors(VALID.replace(/```quiz[\s\S]*```\n$/, ''))).toEqual([
      `${FILE}: "## Quiz" has no \`\`\`quiz block`,
    ]);
  });

  it('validates a list of answers choice by choice', () => {
    expect(errors(VALID.replace('answer: 1\n', 'answer: [1, 4, 0, x, 1]\n'))).toEqual([
      `${FILE}: quiz 2 answer[1]: must be at most 3 (choices count from 1)`,
      `${FILE}: quiz 2 answer[2]: must be at least 1`,
      `${FILE}: quiz 2 answer[3]: expected a choice number (choices count from 1)`,
      `${FILE}: quiz 2 answer[4]: lists choice 1 twice`,
    ]);
    expect(errors(VALID.replace('answer: 1\n', 'answer: []\n'))).toEqual([
      `${FILE}: quiz 2 answer: lists no choice`,
    ]);
    expect(errors(VALID.replace('answer: 1\n', ''))).toEqual([`${FILE}: quiz 2 answer: required`]);
    expect(errors(VALID.replace('answer: 1\n', 'answer: "1"\n'))).toEqual([
      `${FILE}: quiz 2 answer: expected a choice number (choices count from 1)`,
    ]);
  });

  it('collects every problem in one pass', () => {
    const text = VALID.replace('minutes: 10', 'minutes: 30')
      .replace('code: 220', 'code: x')
      .replace('answer: 2', 'answer: 9');
    expect(errors(text)).toEqual([
      `${FILE}: front matter minutes: must be at most 20`,
      `${FILE}: step 1 (Connect) check.match.code: expected number`,
      `${FILE}: quiz 1 answer: must be at most 2 (choices count from 1)`,
    ]);
  });
});

describe('splitLesson', () => {
  it('keeps fences of other kinds, longer fences and tildes in the Markdown', () => {
    const text =
      '## Step: A\n\n````md\n```check\nnot a block\n```\n````\n\n~~~check\nevent: net.close\n~~~\n';
    const { sections } = splitLesson(text, ['check']);
    expect(sections[1]!.text).toBe('````md\n```check\nnot a block\n```\n````');
    expect(sections[1]!.blocks).toEqual([{ info: 'check', body: 'event: net.close', line: 9 }]);
  });

  it('does not take indented fences for lesson blocks', () => {
    const { sections } = splitLesson('## Step: A\n\n   ```hint\n   text\n   ```\n', ['hint']);
    expect(sections[1]!.blocks).toEqual([]);
    expect(sections[1]!.text).toBe('   ```hint\n   text\n   ```');
  });
});

describe('mermaid diagrams in lessons', () => {
  const diagram = (body: string) => `${fence}mermaid\n${body}\n${fence}`;
  const SEQUENCE =
    'sequenceDiagram\n  accTitle: A greeting\n  Client->>Server: EHLO\n  Server-->>Client: 250';
  const withDiagram = (body: string, where = 'Greet and send.') =>
    VALID.replace(where, `${where}\n\n${diagram(body)}`);

  it('leaves a good diagram in the Markdown, where the panel draws it', () => {
    const lesson = parsed(withDiagram(SEQUENCE));
    expect(lesson.steps[1]!.instructions).toBe(`Greet and send.\n\n${diagram(SEQUENCE)}`);
    expect(codeBlocks(lesson.steps[1]!.instructions, 'mermaid')).toEqual([
      { info: 'mermaid', body: SEQUENCE, line: 3 },
    ]);
    expect(parseLesson(FILE, withDiagram('flowchart LR\n  accTitle: Hops\n  a --> b')).ok).toBe(
      true,
    );
    expect(
      parseLesson(FILE, withDiagram('%% a comment\ngraph TD\n  accTitle: Hops\n  a --> b')).ok,
    ).toBe(true);
  });

  it('refuses diagrams the lab should not draw, naming where they are', () => {
    const where = `${FILE}: step 2 (Send the message): mermaid diagram`;
    expect(errors(withDiagram(''))).toEqual([`${where} is empty`]);
    expect(errors(withDiagram('pie\n  accTitle: x\n  "a": 1'))).toEqual([
      `${where} starts with "pie": lessons draw a sequenceDiagram or a flowchart (graph)`,
    ]);
    expect(errors(withDiagram(`%%{init: {"securityLevel": "loose"}}%%\n${SEQUENCE}`))).toEqual([
      `${where} has a %%{…}%% directive: the lab configures Mermaid itself (securityLevel strict)`,
    ]);
    expect(
      errors(withDiagram('flowchart LR\n  accTitle: x\n  a --> b\n  click a "https://x.example"')),
    ).toEqual([
      `${where} has a "click" line: diagrams in lessons are pictures, not links or buttons`,
    ]);
    expect(errors(withDiagram('sequenceDiagram\n  A->>B: hi'))).toEqual([
      `${where} needs an "accTitle: …" line, the title screen readers read in place of the picture`,
    ]);
  });

  it('tells the panel how to draw a diagram and what to call it', () => {
    expect(diagramKind(SEQUENCE)).toBe('sequence');
    expect(diagramKind('%% hops\nflowchart TD\n  a --> b')).toBe('flowchart');
    expect(diagramKind('graph\n  a --> b')).toBe('flowchart');
    expect(diagramKind('gantt')).toBeUndefined();
    expect(diagramTitle(SEQUENCE)).toBe('A greeting');
    expect(diagramTitle('flowchart LR\n  a --> b')).toBeUndefined();
  });

  it('looks in every piece of Markdown and numbers several diagrams', () => {
    const text = VALID.replace(
      'Welcome to SMTP.',
      `Welcome.\n\n${diagram(SEQUENCE)}\n\n${diagram('')}`,
    ).replace('- SMTP is a conversation.', `- SMTP.\n\n${diagram('classDiagram')}`);
    expect(errors(text)).toEqual([
      `${FILE}: introduction: mermaid diagram 2 is empty`,
      `${FILE}: recap: mermaid diagram starts with "classDiagram": lessons draw a sequenceDiagram or a flowchart (graph)`,
    ]);
  });
});
