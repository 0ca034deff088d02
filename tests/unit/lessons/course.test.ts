import { describe, expect, it } from 'vitest';
import { loadCourse, type LessonFile } from '../../../src/lessons/course';

const fence = '```';

/** A small valid lesson; `extra` is added to the front matter, `intro` is its introduction. */
function lessonText(id: string, order: number, extra = '', intro = 'Intro.'): string {
  return `---
id: ${id}
title: Lesson ${id}
order: ${order}
scenario: default
minutes: 5
objectives: [Learn]
${extra}---

${intro}

## Step: Quit

Type QUIT.

${fence}hint
QUIT
${fence}

${fence}check
event: smtp.reply
match: { code: 221 }
${fence}

${fence}solution
telnet mx1.beta.example 25
QUIT
${fence}

${fence}explain
Bye.
${fence}

## Recap

Done.

## Quiz

${fence}quiz
question: Bye?
choices: [yes, no]
answer: 1
explanation: Yes.
${fence}
`;
}

const file = (name: string, text: string): LessonFile => ({ name: `lessons/${name}`, text });
const errorsOf = (files: LessonFile[]) =>
  Object.fromEntries(loadCourse(files).entries.map((e) => [e.file, e.errors]));

describe('loadCourse', () => {
  it('orders lessons by their order field and skips the guide', () => {
    const course = loadCourse([
      file('b.md', lessonText('second', 2, 'prerequisites: [first]\n')),
      file('README.md', '# Writing lessons'),
      file('a.md', lessonText('first', 1)),
    ]);
    expect(course.lessons.map((l) => l.id)).toEqual(['first', 'second']);
    expect(course.entries.map((e) => e.errors)).toEqual([[], []]);
  });

  it('wants unique ids and orders', () => {
    expect(
      errorsOf([
        file('a.md', lessonText('same', 1)),
        file('b.md', lessonText('same', 1)),
        file('c.md', lessonText('other', 3)),
      ]),
    ).toEqual({
      'lessons/a.md': [
        'lessons/a.md: front matter id: "same" is also the id of lessons/b.md',
        'lessons/a.md: front matter order: 1 is also the order of lessons/b.md',
      ],
      'lessons/b.md': [
        'lessons/b.md: front matter id: "same" is also the id of lessons/a.md',
        'lessons/b.md: front matter order: 1 is also the order of lessons/a.md',
      ],
      'lessons/c.md': [],
    });
  });

  it('wants prerequisites that exist and come earlier', () => {
    expect(
      errorsOf([
        file('a.md', lessonText('first', 1, 'prerequisites: [second]\n')),
        file('b.md', lessonText('second', 2, 'prerequisites: [third, second]\n')),
      ]),
    ).toEqual({
      'lessons/a.md': [
        'lessons/a.md: front matter prerequisites[0]: "second" (order 2) does not come before this lesson (order 1)',
      ],
      'lessons/b.md': [
        'lessons/b.md: front matter prerequisites[0]: no lesson with id "third"',
        'lessons/b.md: front matter prerequisites[1]: "second" (order 2) does not come before this lesson (order 2)',
      ],
    });
  });

  it('knows a lesson with errors by its front matter', () => {
    const broken = lessonText('first', 1).replace('code: 221', 'code: x');
    const course = loadCourse([
      file('a.md', broken),
      file('b.md', lessonText('second', 2, 'prerequisites: [first]\n')),
    ]);
    expect(course.entries.map((e) => [e.file, e.errors])).toEqual([
      ['lessons/a.md', ['lessons/a.md: step 1 (Quit) check.match.code: expected number']],
      ['lessons/b.md', []],
    ]);
    expect(course.lessons.map((l) => l.id)).toEqual(['second']);
  });

  it('checks links to other lessons', () => {
    const intro = [
      'See [the first](a.md), [its step](a.md#step-1), [the RFC](https://www.rfc-editor.org/rfc/rfc5321),',
      '[mail](mailto:postmaster@example.org), [above](#top), [gone](z.md), [docs](../docs/trace.md),',
      '[a picture](diagram.png "A diagram").',
    ].join('\n');
    expect(
      errorsOf([
        file('a.md', lessonText('first', 1)),
        file('b.md', lessonText('second', 2, '', intro)),
      ])['lessons/b.md'],
    ).toEqual([
      'lessons/b.md: introduction: link "z.md" goes to no lesson file in the course',
      'lessons/b.md: introduction: link "../docs/trace.md" should name a lesson file without a directory, e.g. 01-hello-smtp.md',
      'lessons/b.md: introduction: link "diagram.png" goes to a file the lesson panel cannot show (link to a lesson file or a full https:// address)',
    ]);
  });
});
