import { useState } from 'react';
import type { Lesson, QuizQuestion } from '../../lessons/lesson';
import type { LessonProgress } from '../../lessons/progress';
import { isRightAnswer, quizScore } from '../../lessons/quiz';
import { InlineMarkdown, Markdown } from './Markdown';

/**
 * The lesson's quiz, after the recap: radio buttons for a question with one right choice,
 * check boxes for one with several. "Check" records the answer in the progress; then the
 * right choices are marked and the explanation shown, right or wrong.
 */
export function Quiz({
  lesson,
  progress,
  onAnswer,
  onClear,
  onLessonLink,
}: {
  lesson: Lesson;
  progress: LessonProgress;
  onAnswer: (question: number, picked: number[]) => void;
  onClear: (question: number) => void;
  onLessonLink: (file: string) => void;
}) {
  const { answered, right, total } = quizScore(lesson.quiz, progress);
  return (
    <section className="lesson-quiz" data-testid="lesson-quiz" aria-label="Quiz">
      <h4>Quiz</h4>
      {lesson.quizIntro && <Markdown source={lesson.quizIntro} onLessonLink={onLessonLink} />}
      {lesson.quiz.map((q, i) => (
        <Question
          key={i}
          name={`quiz-${lesson.id}-${i}`}
          index={i}
          question={q}
          answer={progress.quizAnswers[i] ?? null}
          onAnswer={onAnswer}
          onClear={onClear}
          onLessonLink={onLessonLink}
        />
      ))}
      <p className="quiz-score" data-testid="quiz-score" aria-live="polite">
        {answered === total ? `${right} of ${total} right.` : `${answered} of ${total} answered.`}
      </p>
    </section>
  );
}

function Question({
  name,
  index,
  question,
  answer,
  onAnswer,
  onClear,
  onLessonLink,
}: {
  name: string;
  index: number;
  question: QuizQuestion;
  answer: number[] | null;
  onAnswer: (question: number, picked: number[]) => void;
  onClear: (question: number) => void;
  onLessonLink: (file: string) => void;
}) {
  const [picked, setPicked] = useState<number[]>([]);
  const answered = answer !== null;
  const shown = answer ?? picked;
  const right = answered && isRightAnswer(question, answer);
  const toggle = (choice: number) =>
    setPicked((p) =>
      !question.multiple
        ? [choice]
        : p.includes(choice)
          ? p.filter((c) => c !== choice)
          : [...p, choice],
    );
  return (
    <fieldset
      className="quiz-question"
      data-testid={`quiz-question-${index}`}
      data-quiz-result={answered ? (right ? 'right' : 'wrong') : 'unanswered'}
    >
      <legend>
        {index + 1}. <InlineMarkdown source={question.question} />
        {question.multiple && <span className="muted"> (pick every right answer)</span>}
      </legend>
      <ul className="quiz-choices">
        {question.choices.map((choice, j) => {
          const mark = !answered
            ? undefined
            : question.answers.includes(j)
              ? 'right'
              : shown.includes(j)
                ? 'wrong'
                : undefined;
          return (
            <li key={j} data-choice-mark={mark}>
              <label>
                <input
                  type={question.multiple ? 'checkbox' : 'radio'}
                  name={name}
                  checked={shown.includes(j)}
                  disabled={answered}
                  onChange={() => toggle(j)}
                  data-testid={`quiz-${index}-choice-${j}`}
                />{' '}
                <InlineMarkdown source={choice} />
                {mark === 'right' && <span className="quiz-mark right"> ✓ right answer</span>}
                {mark === 'wrong' && <span className="quiz-mark wrong"> ✗ not this one</span>}
              </label>
            </li>
          );
        })}
      </ul>
      {answered ? (
        <div
          className={`quiz-feedback ${right ? 'right' : 'wrong'}`}
          data-testid={`quiz-feedback-${index}`}
          role="status"
        >
          <p className="quiz-verdict">{right ? '✓ Right.' : '✗ Not quite.'}</p>
          <Markdown source={question.explanation} onLessonLink={onLessonLink} />
          <button
            type="button"
            data-testid={`quiz-again-${index}`}
            onClick={() => {
              setPicked([]);
              onClear(index);
            }}
          >
            Answer again
          </button>
        </div>
      ) : (
        <button
          type="button"
          data-testid={`quiz-check-${index}`}
          disabled={picked.length === 0}
          onClick={() => onAnswer(index, picked)}
        >
          Check
        </button>
      )}
    </fieldset>
  );
}
