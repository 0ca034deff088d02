import { useRef, useState } from 'react';
import { useLab } from '../../store/labStore';
import { Menu } from '../components/Menu';

type What = 'lab' | 'lesson';

interface LessonPosition {
  lesson: string;
  /** From 1, as the lesson view numbers its steps. */
  step: number;
}

/** The lesson and step the lesson view shows, if it is open. */
function shownLesson(): LessonPosition | undefined {
  const view = document.querySelector<HTMLElement>('[data-testid=lesson][data-lesson]');
  const step = Number(view?.dataset.currentStep);
  if (!view?.dataset.lesson || !Number.isInteger(step)) return undefined;
  return { lesson: view.dataset.lesson, step: step + 1 };
}

/**
 * The header's Share button: it makes a link to this lab (its world and everything typed,
 * replayed by whoever opens it) or, with a lesson open, to the lesson's current step; copies
 * it, and shows it in a text field for screens without a clipboard.
 */
export function SharePanel() {
  const [what, setWhat] = useState<What>('lab');
  const [lesson, setLesson] = useState<LessonPosition>();
  const [link, setLink] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const field = useRef<HTMLInputElement>(null);
  const latest = useRef(0);

  const make = async (kind: What, position: LessonPosition | undefined) => {
    const attempt = ++latest.current;
    setWhat(kind);
    setLink(undefined);
    setError(undefined);
    setStatus('Making the link…');
    let made: string;
    try {
      const base = location.href;
      const { lessonLink, shareLink } = await import('../../store/share');
      if (kind === 'lesson' && position) {
        const { custom, scenario } = useLab.getState();
        made = lessonLink({ ...position, scenario: custom ? undefined : scenario }, base);
      } else {
        made = await shareLink(useLab.getState().exportDoc(), base);
      }
    } catch (e) {
      if (attempt !== latest.current) return;
      setStatus(undefined);
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    if (attempt !== latest.current) return;
    setLink(made);
    try {
      await navigator.clipboard.writeText(made);
      setStatus(`Link copied to the clipboard (${made.length.toLocaleString('en')} characters).`);
    } catch {
      setStatus('Copy the link from the field below (the clipboard is not available here).');
    }
    requestAnimationFrame(() => field.current?.select());
  };

  const opening = () => {
    const position = shownLesson();
    setLesson(position);
    void make(position ? 'lesson' : 'lab', position);
  };

  return (
    <Menu
      id="share-panel"
      label="Share"
      title="Copy a link that opens this lab (or lesson step) for someone else"
      testId="share"
      onOpen={opening}
    >
      {() => (
        <div id="share-panel" className="menu-list share-panel" role="group" aria-label="Share">
          {lesson && (
            <fieldset>
              <legend>Share</legend>
              <label>
                <input
                  type="radio"
                  name="share-what"
                  checked={what === 'lesson'}
                  onChange={() => void make('lesson', lesson)}
                />{' '}
                Lesson “{lesson.lesson}”, step {lesson.step}
              </label>
              <label>
                <input
                  type="radio"
                  name="share-what"
                  checked={what === 'lab'}
                  onChange={() => void make('lab', lesson)}
                  data-testid="share-what-lab"
                />{' '}
                This lab: its world and everything typed
              </label>
            </fieldset>
          )}
          <label className="share-link">
            <span>Link</span>
            <input
              ref={field}
              type="text"
              readOnly
              value={link ?? ''}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="share-link"
            />
          </label>
          <p role="status" className="muted" data-testid="share-status">
            {status}
          </p>
          {error && (
            <p className="error-text" role="alert" data-testid="share-error">
              {error}
            </p>
          )}
        </div>
      )}
    </Menu>
  );
}
