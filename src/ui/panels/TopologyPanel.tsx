import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { describeTopology } from '../a11y/describe';
import { DiagramText } from '../diagram/DiagramText';
import { WORKSPACE_STYLE } from '../diagram/stageLayout';
import type { TokenAnimator } from '../diagram/tokens';
import type { NodeRef, TokenSpec, TopologyNode } from '../diagram/topology';
import { TopologyStage, type StageHandle } from '../diagram/TopologyStage';
import { TokenLegend, tokenPlace, useLiveTopology, useNewTokens } from './liveTopology';

/** Lines the activity list shows (the dropped-token note takes one when there is one). */
const RECENT = 3;

/**
 * The world's hosts grouped by domain, with tokens travelling along the edges as the
 * trace grows: connections, DNS queries and answers, relay hops, deliveries, bounces (red)
 * and deferrals (amber). Click a host to open a terminal on it, a mailbox to read it.
 */
export default function TopologyPanel() {
  // The graph changes only when a host pair first connects beyond the static routes, or a
  // host goes down or comes back.
  const live = useLiveTopology();
  const { scenario, index, model, speed } = live;

  const description = useMemo(() => describeTopology(scenario, model), [scenario, model]);
  const [stage, setStage] = useState<StageHandle>();
  const root = useRef<HTMLDivElement>(null);
  // What the activity list shows is refreshed at most twice a second (cheap during playback).
  const [shown, setShown] = useState<{ recent: string[]; dropped: number }>({
    recent: [],
    dropped: 0,
  });
  const pending = useRef<{
    recent: string[];
    dropped: number;
    timer: ReturnType<typeof setTimeout> | undefined;
  }>({ recent: [], dropped: 0, timer: undefined });
  const refresh = useCallback(() => {
    if (pending.current.timer) return;
    pending.current.timer = setTimeout(() => {
      const { recent, dropped } = pending.current;
      pending.current.timer = undefined;
      setShown({ recent, dropped });
    }, 500);
  }, []);
  useEffect(() => () => clearTimeout(pending.current.timer), []);

  // Counters for tests and tools, without a React render per token.
  const onTokens = useCallback(
    (animator: TokenAnimator) => {
      const el = root.current;
      if (el) {
        el.dataset.tokensStarted = String(animator.started);
        el.dataset.tokensDropped = String(animator.dropped);
      }
      if (animator.dropped !== pending.current.dropped) {
        pending.current.dropped = animator.dropped;
        refresh();
      }
    },
    [refresh],
  );
  useEffect(() => stage?.animator.setSpeed(speed), [stage, speed]);

  // Tokens whose edge appears only once the diagram is redrawn with a new host pair.
  const waitingForEdge = useRef<TokenSpec[]>([]);

  const send = useCallback(
    (specs: readonly TokenSpec[]) => {
      if (!stage) return;
      const labels: string[] = [];
      for (const spec of specs) {
        const request = tokenPlace(model, stage.drawn, spec.from, spec.to);
        if (request === 'no-edge') {
          waitingForEdge.current = [...waitingForEdge.current, spec].slice(-50);
          continue;
        }
        if (!request) continue;
        stage.animator.add({ ...request, kind: spec.kind, label: spec.label, glyph: spec.glyph });
        labels.push(
          `${spec.glyph} ${spec.label} (${shortName(spec.from)} → ${shortName(spec.to)})`,
        );
      }
      if (labels.length) {
        pending.current.recent = [...pending.current.recent, ...labels].slice(-RECENT);
        refresh();
      }
    },
    [model, stage, refresh],
  );

  // A redrawn diagram: send what waited for its edge.
  useEffect(() => {
    const waiting = waitingForEdge.current;
    waitingForEdge.current = [];
    if (waiting.length) send(waiting);
  }, [send]);

  // New events → tokens.
  const rebuilt = useCallback(() => {
    waitingForEdge.current = [];
    stage?.animator.clear();
  }, [stage]);
  useNewTokens(live, stage !== undefined, 400, send, rebuilt);

  const recent = shown.recent.slice(shown.dropped > 0 ? 1 - RECENT : -RECENT);
  return (
    <div className="topology" data-testid="topology" ref={root}>
      <DiagramText lines={description} testId="topology-diagram-text" />
      <TopologyStage
        model={model}
        scenario={scenario}
        style={WORKSPACE_STYLE}
        label="Topology of the mail world"
        testId="topology-diagram"
        closedPorts={index.closedPorts}
        onActivate={activate}
        onReady={setStage}
        onTokens={onTokens}
      />
      <TokenLegend className="legend" short>
        <li className="down-key" title="host down (dashed red border)">
          ⊘ down
        </li>
      </TokenLegend>
      <ol className="activity" aria-label="Latest activity on the diagram">
        {recent.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
        {shown.dropped > 0 && (
          <li className="muted">{shown.dropped} tokens skipped to keep up with playback</li>
        )}
        {recent.length === 0 && shown.dropped === 0 && (
          <li className="muted">Connections, lookups and deliveries show here as they happen.</li>
        )}
      </ol>
    </div>
  );
}

/** A host opens a terminal on it; a mailboxes node, the Mailboxes view at its first user. */
function activate(node: TopologyNode): void {
  if (node.users) {
    useLayout.getState().set({ view: 'mailboxes' });
    window.dispatchEvent(
      new CustomEvent('smtp-lab:open-mailbox', { detail: `${node.users[0]}@${node.host}` }),
    );
  } else {
    const { runtime } = useLab.getState();
    useLab.getState().openTerminal(node.host);
    useLayout.getState().showTerminal(node.host, [firstHost(runtime.scenario)]);
  }
}

function shortName(ref: NodeRef): string {
  return ref.user ? `${ref.user}'s mailbox` : ref.host.split('.')[0]!;
}
