/** Checking quiz answers: radio questions, check-box questions, and a lesson's score. */
import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from '../../../src/lessons/lesson';
import { emptyLessonProgress } from '../../../src/lessons/progress';
import {
  choiceProblem,
  isRightAnswer,
  normalizeChoices,
  quizScore,
} from '../../../src/lessons/quiz';

const question = (answers: number[], multiple = answers.length > 1): QuizQuestion => ({
  question: 'q',
  choices: ['a', 'b', 'c', 'd'],
  answers,
  multiple,
  explanation: 'e',
});

describe('quiz answers', () => {
  it('are right when exactly the right choices are picked', () => {
    const radio = question([2]);
    expect(isRightAnswer(radio, [2])).toBe(true);
    expect(isRightAnswer(radio, [1])).toBe(false);
    const boxes = question([0, 3]);
    expect(isRightAnswer(boxes, [3, 0])).toBe(true);
    expect(isRightAnswer(boxes, [0, 0, 3])).toBe(true);
    expect(isRightAnswer(boxes, [0])).toBe(false);
    expect(isRightAnswer(boxes, [0, 1, 3])).toBe(false);
    expect(isRightAnswer(boxes, [])).toBe(false);
  });

  it('are kept once each, ascending', () => {
    expect(normalizeChoices([3, 0, 3, 1])).toEqual([0, 1, 3]);
  });

  it('must be choices of the question, one only for radio buttons', () => {
    expect(choiceProblem(question([1]), [1])).toBeUndefined();
    expect(choiceProblem(question([1]), [])).toBe('no choice picked');
    expect(choiceProblem(question([1]), [4])).toBe('no choice 4');
    expect(choiceProblem(question([1]), [-1])).toBe('no choice -1');
    expect(choiceProblem(question([1]), [0.5])).toBe('no choice 0.5');
    expect(choiceProblem(question([1]), [0, 1])).toBe('one choice only');
    expect(choiceProblem(question([1]), [1, 1])).toBeUndefined();
    expect(choiceProblem(question([1], true), [0, 1])).toBeUndefined();
  });

  it('add up to a score', () => {
    const questions = [question([0]), question([1, 2]), question([3])];
    const progress = { ...emptyLessonProgress(), quizAnswers: [[0], [1], null] };
    expect(quizScore(questions, progress)).toEqual({ answered: 2, right: 1, total: 3 });
    expect(quizScore(questions, emptyLessonProgress())).toEqual({
      answered: 0,
      right: 0,
      total: 3,
    });
  });
});
