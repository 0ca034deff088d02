import { useEffect, useRef, type CSSProperties } from 'react';
import { builtInDemos } from '../../demos/builtin';
import type { Demo } from '../../demos/demo';
import { firstHost, SPEEDS, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Icon } from '../components/Icon';
import { SpeedSelect } from '../components/SpeedSelect';
import { clockTime } from '../model/time';
import { HelpDialog } from './HelpDialog';
import { actionFor, type Action, type FocusPlace } from './keys';
import { createPlayer } from './player';
import { PresenterTerminal } from './PresenterTerminal';
import { PresenterTopology } from './PresenterTopology';
import { useView, zoomFactor } from './view';
import './presenter.css';

/** One player for the page: it outlives a remount (a new demo chosen, say). */
const usePlayer = createPlayer();

interface Props {
  /** The demo to open (from ?present=ID); '' for the list of demos. */
  demoId: string;
  /** Show demo `id` (the URL is updated, so the page can be bookmarked). */
  onChoose(id: string, scenario: string): void;
  onExit(): void;
}

/**
 * Presenter mode: the terminal and the topology in large type, a caption bar, and a demo
 * played caption by caption from the keyboard (keys.ts; `?` lists them).
 */
export default function Presenter({ demoId, onChoose, onExit }: Props) {
  const { demos, errors } = builtInDemos();
  const demo = demos.find((d) => d.id === demoId);
  const player = usePlayer();
  const view = useView();
  const playing = useLab((s) => s.playing);
  const now = useLab((s) => s.now);
  const epoch = useLab((s) => s.runtime.lab.world.epoch);
  const scenario = useLab((s) => s.runtime.scenario);
  const layout = useLayout();
  const hosts = scenario.hosts.map((h) => h.name);
  const host = hosts.includes(layout.active) ? layout.active : firstHost(scenario);
  const nextButton = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // A demo chosen (or a new one): its world, afresh. Leaving stops the typing and forgets
  // the demo, so that coming back starts it again.
  useEffect(() => {
    if (demo && usePlayer.getState().demo !== demo) usePlayer.getState().start(demo);
  }, [demo]);
  useEffect(() => () => usePlayer.getState().stop(), []);

  // Start with the focus on the controls, where the single-key shortcuts work.
  useEffect(() => {
    (
      nextButton.current ?? root.current?.querySelector<HTMLElement>('.presenter-list button')
    )?.focus();
  }, [demo]);

  useEffect(() => {
    const perform = (action: Action, target: EventTarget | null) => {
      const lab = useLab.getState();
      const speedAt = SPEEDS.indexOf(lab.speed as (typeof SPEEDS)[number]);
      switch (action) {
        case 'next':
          return usePlayer.getState().advance();
        case 'previous':
          return usePlayer.getState().back();
        case 'play':
          return lab.playing ? lab.pause() : lab.play();
        case 'stepBack':
          usePlayer.getState().interrupt();
          return lab.stepBack();
        case 'stepForward':
          usePlayer.getState().interrupt();
          return lab.stepForward();
        case 'slower':
          return lab.setSpeed(SPEEDS[Math.max(0, speedAt - 1)]!);
        case 'faster':
          return lab.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, speedAt + 1)]!);
        case 'zoomIn':
          return useView.getState().zoomBy(1);
        case 'zoomOut':
          return useView.getState().zoomBy(-1);
        case 'zoomReset':
          return useView.getState().zoomReset();
        case 'toggleTerminal':
          return useView.getState().toggle('terminal');
        case 'toggleTopology':
          return useView.getState().toggle('topology');
        case 'toggleCaption':
          return useView.getState().toggle('caption');
        case 'help':
          return useView.getState().setHelp(true);
        case 'focus': {
          const inTerminal = placeOf(target) === 'terminal';
          const terminal = root.current?.querySelector<HTMLElement>('.presenter-xterm textarea');
          return inTerminal ? nextButton.current?.focus() : terminal?.focus();
        }
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (useView.getState().help || e.defaultPrevented) return; // the dialog has the keys
      const action = actionFor(
        {
          key: e.key,
          code: e.code,
          ctrlKey: e.ctrlKey,
          altKey: e.altKey,
          metaKey: e.metaKey,
          altGraph: e.getModifierState('AltGraph'),
        },
        placeOf(e.target),
      );
      if (!action) return;
      // Before xterm (capture phase), which would otherwise take the key.
      e.preventDefault();
      e.stopPropagation();
      perform(action, e.target);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const segment = player.segments[player.next];
  const captionText = player.caption >= 0 ? player.demo?.captions[player.caption]?.text : undefined;
  const more =
    player.caption >= 0 && segment?.caption === player.caption ? 'continue' : 'next caption';
  const style = { '--zoom': zoomFactor(view.zoom) } as CSSProperties;
  const lab = useLab.getState();

  return (
    <div
      className="presenter"
      ref={root}
      style={style}
      role="region"
      aria-label="Presenter"
      data-testid="presenter"
      data-demo={demo?.id ?? ''}
      data-caption={player.caption}
      data-next={player.next}
      data-typing={player.typing}
    >
      <header className="presenter-bar">
        <label className="presenter-demo">
          <span className="sr-only">Demo</span>
          <select
            value={demo?.id ?? ''}
            onChange={(e) => {
              const chosen = demos.find((d) => d.id === e.target.value);
              if (chosen) onChoose(chosen.id, chosen.scenario);
            }}
            aria-label="Demo"
            data-testid="presenter-demo"
          >
            {!demo && <option value="">Choose a demo…</option>}
            {demos.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
        {demo && (
          <>
            <div className="presenter-controls" role="group" aria-label="Playback">
              <button
                type="button"
                onClick={() => usePlayer.getState().back()}
                title="Back to the start of this caption (B)"
                data-testid="presenter-back"
              >
                <Icon d="M1 2h2v12H1zM9 2v12L4 8zM15 2v12l-5-6z" />
                <span className="sr-only">Back to the start of this caption</span>
              </button>
              <button
                type="button"
                onClick={() => {
                  usePlayer.getState().interrupt();
                  lab.stepBack();
                }}
                title="Step back (J or ←)"
                aria-label="Step back"
              >
                <Icon d="M3 2h2v12H3zM14 2v12L6 8z" />
              </button>
              <button
                type="button"
                onClick={() => (playing ? lab.pause() : lab.play())}
                aria-pressed={playing}
                aria-label="Play"
                title="Play or pause virtual time and typing (K or Space)"
                data-testid="presenter-play"
              >
                {playing ? <Icon d="M4 2h3v12H4zM9 2h3v12H9z" /> : <Icon d="M4 2l10 6-10 6z" />}
              </button>
              <button
                type="button"
                onClick={() => {
                  usePlayer.getState().interrupt();
                  lab.stepForward();
                }}
                title="Step forward (L or →)"
                aria-label="Step forward"
              >
                <Icon d="M11 2h2v12h-2zM2 2v12l8-6z" />
              </button>
              <button
                type="button"
                ref={nextButton}
                onClick={() => usePlayer.getState().advance()}
                disabled={!demo}
                title="Next caption (N or Page Down)"
                className="presenter-next"
                data-testid="presenter-next"
              >
                Next <Icon d="M1 2v12l5-6zM7 2v12l5-6zM13 2h2v12h-2z" />
              </button>
            </div>
            <SpeedSelect
              className="presenter-speed"
              caption="Speed"
              label="Speed"
              testId="presenter-speed"
            />
            <span className="presenter-clock" aria-label="Virtual time">
              {clockTime(epoch, now, false)}
            </span>
            <div className="presenter-controls" role="group" aria-label="View">
              <button
                type="button"
                onClick={() => view.zoomBy(-1)}
                aria-label="A− smaller text"
                title="Smaller text (−)"
              >
                A−
              </button>
              <button
                type="button"
                onClick={() => view.zoomBy(1)}
                aria-label="A+ larger text"
                title="Larger text (+)"
              >
                A+
              </button>
              {(['terminal', 'topology', 'caption'] as const).map((p, i) => (
                <button
                  key={p}
                  type="button"
                  aria-pressed={view.panels[p]}
                  onClick={() => view.toggle(p)}
                  title={`Show or hide the ${p === 'caption' ? 'caption bar' : p} (${i + 1})`}
                >
                  {p === 'caption' ? 'Captions' : p[0]!.toUpperCase() + p.slice(1)}
                </button>
              ))}
            </div>
          </>
        )}
        <div className="presenter-controls">
          <button
            type="button"
            onClick={() => view.setHelp(true)}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            data-testid="presenter-help"
          >
            ?
          </button>
          <button
            type="button"
            onClick={onExit}
            title="Leave presenter mode"
            data-testid="presenter-exit"
          >
            Exit
          </button>
        </div>
        {view.storageError && (
          <p className="notice" role="status" data-testid="presenter-storage-notice">
            The text size and panels cannot be remembered ({view.storageError}); they hold for this
            visit only.
          </p>
        )}
      </header>

      {demo ? (
        <main
          className="presenter-stage"
          data-panes={Number(view.panels.terminal) + Number(view.panels.topology)}
        >
          {view.panels.terminal && (
            <section className="presenter-pane" aria-label={`Terminal on ${host}`}>
              <h2 className="presenter-pane-title">{host}</h2>
              <PresenterTerminal host={host} />
            </section>
          )}
          {view.panels.topology && (
            <section className="presenter-pane presenter-topology" aria-label="Topology">
              <ErrorBoundary name="topology">
                <PresenterTopology />
              </ErrorBoundary>
            </section>
          )}
        </main>
      ) : (
        <DemoList demos={demos} errors={errors} asked={demoId} onChoose={onChoose} />
      )}

      {demo && view.panels.caption && (
        <footer className="presenter-caption" data-testid="presenter-caption">
          {player.error ? (
            <p className="notice error">{player.error}</p>
          ) : captionText === undefined ? (
            <div aria-live="polite">
              <p className="presenter-caption-text">
                <strong>{demo.title}</strong>
              </p>
              <p className="presenter-summary">{demo.summary}</p>
            </div>
          ) : (
            <p
              className="presenter-caption-text"
              aria-live="polite"
              data-testid="presenter-caption-text"
            >
              {captionText}
            </p>
          )}
          <p className="presenter-progress">
            {player.caption >= 0
              ? `${player.caption + 1} / ${demo.captions.length}`
              : `${demo.captions.length} captions`}
            {' · '}
            {player.typing
              ? 'typing… (N: at once)'
              : segment
                ? `N: ${player.caption < 0 ? 'begin' : more}`
                : 'end of the demo'}
            {' · '}? shortcuts
          </p>
        </footer>
      )}
      <HelpDialog />
    </div>
  );
}

function DemoList({
  demos,
  errors,
  asked,
  onChoose,
}: {
  demos: Demo[];
  errors: string[];
  asked: string;
  onChoose: Props['onChoose'];
}) {
  return (
    <main className="presenter-list">
      <h2>Present a demo</h2>
      {asked && (
        <p className="notice" role="status">
          There is no demo called “{asked.slice(0, 60)}”. Choose one:
        </p>
      )}
      <ul>
        {demos.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              onClick={() => onChoose(d.id, d.scenario)}
              data-testid={`presenter-choose-${d.id}`}
            >
              <strong>{d.title}</strong>
              <span>{d.summary}</span>
            </button>
          </li>
        ))}
      </ul>
      {errors.length > 0 && (
        <div className="notice error" role="alert">
          <p>Some demos could not be read:</p>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </main>
  );
}

/** Where a key press lands: the terminal and text fields keep their keys. */
function placeOf(target: EventTarget | null): FocusPlace {
  if (!(target instanceof Element)) return 'page';
  if (target.closest('.xterm')) return 'terminal';
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) {
    return 'field';
  }
  if (target.closest('button, a[href], summary, [role="button"]')) return 'button';
  return 'page';
}
