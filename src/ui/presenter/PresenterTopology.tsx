import { useCallback, useEffect, useState } from 'react';
import { PRESENTER_STYLE } from '../diagram/stageLayout';
import { TopologyStage, type StageHandle } from '../diagram/TopologyStage';
import type { TokenSpec } from '../diagram/topology';
import { TokenLegend, tokenPlace, useLiveTopology, useNewTokens } from '../panels/liveTopology';

/**
 * The topology for a room: the workspace's model and layout (hosts by domain, the routes
 * mail takes, hosts seen connecting, hosts down now) in a few large boxes that say less,
 * with the same animated tokens (diagram/tokens.ts) for each connection, DNS lookup,
 * relay, delivery and bounce.
 */
export function PresenterTopology() {
  const live = useLiveTopology();
  const { scenario, model, speed } = live;
  const [stage, setStage] = useState<StageHandle>();
  useEffect(() => stage?.animator.setSpeed(speed), [stage, speed]);

  // New events → tokens.
  const send = useCallback(
    (specs: TokenSpec[]) => {
      if (!stage) return;
      for (const spec of specs) {
        const place = tokenPlace(model, stage.drawn, spec.from, spec.to);
        if (place && place !== 'no-edge') {
          stage.animator.add({ ...place, kind: spec.kind, label: spec.label, glyph: spec.glyph });
        }
      }
    },
    [model, stage],
  );
  const rebuilt = useCallback(() => stage?.animator.clear(), [stage]);
  useNewTokens(live, stage !== undefined, 200, send, rebuilt);

  return (
    <div className="ptopo" data-testid="presenter-topology">
      <TopologyStage
        model={model}
        scenario={scenario}
        style={PRESENTER_STYLE}
        label="Topology"
        onReady={setStage}
      />
      <TokenLegend className="ptopo-legend" short />
    </div>
  );
}
