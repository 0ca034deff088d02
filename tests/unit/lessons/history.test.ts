/**
 * A lesson's terminal history: what the panel saves (LessonHistory over the lab's
 * terminals) and how the lab takes it back (LabRuntime.restoreHistory): Up arrow recalls
 * the earlier visit's lines, only in a terminal nothing was typed into yet, and a replay
 * of the lab recalls the same lines.
 */
import { describe, expect, it } from 'vitest';
import { LessonHistory, type HistoryTerminals } from '../../../src/lessons/history';
import { emptyDoc, parseDoc } from '../../../src/store/doc';
import { LabRuntime } from '../../../src/store/runtime';
import { loadScenario } from '../../../src/store/scenarios';
import { Screen } from '../../../src/shell/screen';

const LAPTOP = 'laptop.alpha.example';
const MX2 = 'mx2.beta.example';
const UP = '\x1b[A';

/** Terminals as plain arrays; `restore` refuses a host listed in `used`. */
function fakeTerminals(open: Record<string, string[]>, used: string[] = []) {
  const terminals: HistoryTerminals & { open: Record<string, string[]> } = {
    open,
    hosts: () => Object.keys(terminals.open),
    history: (host) => terminals.open[host],
    restore: (host, lines) => {
      if (used.includes(host)) return false;
      terminals.open[host] = [...lines];
      return true;
    },
  };
  return terminals;
}

describe('LessonHistory', () => {
  it('restores into fresh terminals and then reports what is typed', () => {
    const terminals = fakeTerminals({ [LAPTOP]: [] });
    const history = new LessonHistory({ [LAPTOP]: ['ls', 'dig MX beta.example'] }, terminals);
    expect(terminals.open[LAPTOP]).toEqual(['ls', 'dig MX beta.example']);
    expect(history.changes()).toEqual([]);
    terminals.open[LAPTOP]!.push('mailq');
    expect(history.changes()).toEqual([[LAPTOP, ['ls', 'dig MX beta.example', 'mailq']]]);
    expect(history.changes()).toEqual([]);
  });

  it('keeps the saved lines of a terminal that could not take them, then adds new ones', () => {
    // The learner typed in another lesson first: those lines are not this lesson's.
    const terminals = fakeTerminals({ [LAPTOP]: ['other lesson'] }, [LAPTOP]);
    const history = new LessonHistory({ [LAPTOP]: ['ls'] }, terminals);
    expect(terminals.open[LAPTOP]).toEqual(['other lesson']);
    expect(history.changes()).toEqual([]);
    terminals.open[LAPTOP]!.push('date');
    expect(history.changes()).toEqual([[LAPTOP, ['ls', 'date']]]);
  });

  it('follows terminals opened later, and a terminal stepped back in time', () => {
    const terminals = fakeTerminals({ [LAPTOP]: ['before'] }, [LAPTOP]);
    const history = new LessonHistory({}, terminals);
    terminals.open[MX2] = ['mailq'];
    expect(history.changes()).toEqual([[MX2, ['mailq']]]);
    terminals.open[LAPTOP] = ['before', 'one', 'two'];
    expect(history.changes()).toEqual([[LAPTOP, ['one', 'two']]]);
    // Back to before "two" was typed: the history follows what Up arrow offers.
    terminals.open[LAPTOP] = ['before', 'one'];
    expect(history.changes()).toEqual([[LAPTOP, ['one']]]);
    // Back to before the lesson began: nothing of the lesson's to read, nothing changes.
    terminals.open[LAPTOP] = [];
    expect(history.changes()).toEqual([]);
  });
});

describe('LabRuntime.restoreHistory', () => {
  const fresh = () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    rt.open(LAPTOP);
    return rt;
  };
  /** What the laptop's terminal shows, as a person reads it. */
  const shown = (rt: LabRuntime) => {
    const screen = new Screen(80);
    screen.write(rt.screen(LAPTOP));
    return screen.text().trimEnd();
  };
  const lastLine = (rt: LabRuntime) => shown(rt).split('\n').at(-1) ?? '';

  it('lets Up arrow recall the lines of an earlier visit', () => {
    const rt = fresh();
    expect(rt.restoreHistory(LAPTOP, ['hostname -f', 'echo hello'])).toBe(true);
    expect(rt.terminal(LAPTOP)!.history).toEqual(['hostname -f', 'echo hello']);
    rt.input(LAPTOP, UP);
    expect(lastLine(rt)).toMatch(/\$ echo hello$/);
    rt.input(LAPTOP, UP);
    expect(lastLine(rt)).toMatch(/\$ hostname -f$/);
    rt.input(LAPTOP, '\r');
    expect(shown(rt)).toMatch(/\$ hostname -f\nlaptop\.alpha\.example\n.*\$$/);
  });

  it('restores only where nothing was typed, and not on unknown hosts', () => {
    const rt = fresh();
    rt.input(LAPTOP, 'date\r');
    expect(rt.restoreHistory(LAPTOP, ['ls'])).toBe(false);
    expect(rt.terminal(LAPTOP)!.history).toEqual(['date']);
    expect(rt.restoreHistory('nowhere.example', ['ls'])).toBe(false);
  });

  it('starts a terminal opened later with the lines', () => {
    const rt = fresh();
    expect(rt.restoreHistory(MX2, ['mailq'])).toBe(true);
    expect(rt.terminal(MX2)).toBeUndefined();
    rt.open(MX2);
    expect(rt.terminal(MX2)!.history).toEqual(['mailq']);
  });

  it('keeps the lines over a rebuild, so stepping back and replaying recalls the same', () => {
    const rt = fresh();
    rt.restoreHistory(LAPTOP, ['hostname']);
    rt.advanceTo(1000);
    rt.input(LAPTOP, UP + '\r');
    const live = JSON.stringify(rt.events);
    expect(shown(rt)).toMatch(/\$ hostname\nlaptop\n.*\$$/);
    rt.seek(0); // rebuilds the world
    expect(rt.terminal(LAPTOP)!.history).toEqual(['hostname']);
    rt.seek(5000);
    expect(JSON.stringify(rt.events)).toBe(live);
    expect(rt.terminal(LAPTOP)!.history).toEqual(['hostname']);
  });

  it('saves the lines in the lab document, so a saved or shared lab replays the same', () => {
    const rt = fresh();
    rt.restoreHistory(LAPTOP, ['hostname']);
    rt.advanceTo(1000);
    rt.input(LAPTOP, UP + '\r');
    rt.advanceTo(5000);
    const parsed = parseDoc(JSON.parse(JSON.stringify(rt.doc())));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.doc.history).toEqual({ [LAPTOP]: ['hostname'] });
    const replay = new LabRuntime(loadScenario('default'), parsed.doc);
    replay.seek(5000);
    expect(JSON.stringify(replay.events)).toBe(JSON.stringify(rt.events));
    expect(shown(replay)).toBe(shown(rt));
  });
});
