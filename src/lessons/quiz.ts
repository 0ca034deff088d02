/**
 * Quiz answers: a question with one right choice is answered with radio buttons, one
 * with a list of right choices (`answer: [1, 3]`) with check boxes; an answer is right
 * when the learner picked exactly the right choices. Pure and small: the panel uses it
 * directly.
 */
import type { QuizQuestion } from './lesson';
import type { LessonProgress } from './progress';

/** Picked choices as they are kept: each index once, ascending. */
export function normalizeChoices(picked: readonly number[]): number[] {
  return [...new Set(picked)].sort((a, b) => a - b);
}

/** Why `picked` is not a possible answer to `question`, or undefined when it is. */
export function choiceProblem(
  question: QuizQuestion,
  picked: readonly number[],
): string | undefined {
  if (picked.length === 0) return 'no choice picked';
  const bad = picked.find((c) => !Number.isInteger(c) || c < 0 || c >= question.choices.length);
  if (bad !== undefined) return `no choice ${bad}`;
  if (!question.multiple && normalizeChoices(picked).length > 1) return 'one choice only';
  return undefined;
}

export function isRightAnswer(question: QuizQuestion, picked: readonly number[]): boolean {
  const mine = normalizeChoices(picked);
  return mine.length === question.answers.length && mine.every((c, i) => c === question.answers[i]);
}

/** How many questions of a lesson are answered, and how many of those rightly. */
export function quizScore(
  questions: readonly QuizQuestion[],
  progress: LessonProgress,
): { answered: number; right: number; total: number } {
  let answered = 0;
  let right = 0;
  questions.forEach((q, i) => {
    const picked = progress.quizAnswers[i];
    if (!picked) return;
    answered++;
    if (isRightAnswer(q, picked)) right++;
  });
  return { answered, right, total: questions.length };
}
