/** The lesson system's core: lesson files, the check language, progress, the runner. */
export {
  parseLesson,
  isLessonFile,
  markdownOf,
  type Lesson,
  type Step,
  type QuizQuestion,
  type ParseResult,
} from './lesson';
export { loadCourse, type Course, type CourseEntry, type LessonFile } from './course';
export {
  parseCheck,
  evaluateCheck,
  describeCheck,
  type Check,
  type EventSpec,
  type ValueMatcher,
} from './check';
export {
  EVENT_FIELDS,
  EVENT_TYPES,
  DERIVED_FIELDS,
  fieldsOf,
  fieldPaths,
  type EventType,
} from './events';
export { runLesson, type LessonRun, type StepFailure } from './runner';
export * from './progress';
export * from './progress-format';
export * from './quiz';
export * from './diagram';
export { LessonHistory, type HistoryTerminals } from './history';
