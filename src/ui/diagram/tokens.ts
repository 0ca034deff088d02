/**
 * Moves tokens along the edges of the drawn topology (TopologyStage). Each edge's path is
 * sampled once per layout with getTotalLength/getPointAtLength (in the path's coordinates
 * mapped to the SVG's); a token is then a small HTML element over the diagram (a coloured
 * disc with a glyph, and a text label) moved with a CSS transform, interpolating between
 * the samples.
 * Moving it touches neither layout nor the diagram's SVG, so tokens stay cheap while the
 * diagram is large and the rest of the page busy.
 *
 * Tokens start one after another (a message's hops in order); when they come faster than
 * they can be shown (fast playback) the oldest waiting ones are dropped and counted, so
 * the cost per frame stays bounded. Every token carries data attributes (kind, from, to,
 * edge) for tests, and a text label, so colour is never the only signal.
 */
import type { TokenKind } from './topology';

export interface TokenRequest {
  kind: TokenKind;
  label: string;
  glyph: string;
  /** Names shown in data attributes: host names, or user@host for a mailbox. */
  from: string;
  to: string;
  /** The edge path, or undefined for a pulse on a node. */
  path?: SVGPathElement;
  edgeId?: string;
  reverse?: boolean;
  /** For a pulse: the node's group. */
  node?: SVGGElement;
}

/** An edge sampled once: x, y pairs (SVG root units) and the cumulative distance. */
interface Track {
  xy: Float32Array;
  distance: Float32Array;
}

interface Active {
  request: TokenRequest;
  element: HTMLElement;
  start: number;
  track: Track;
}

/** Waiting tokens kept at most; older ones are dropped (and counted) beyond that. */
const MAX_WAITING = 24;
/** Tokens on screen at once. */
const MAX_ACTIVE = 16;
/** Sample spacing along an edge, in diagram units. */
const SAMPLE = 6;

/** The matrix from an element's user space to the SVG root's. */
function toRoot(svg: SVGSVGElement, element: SVGGraphicsElement): DOMMatrix | undefined {
  const root = svg.getScreenCTM();
  const own = element.getScreenCTM();
  if (!root || !own) return undefined;
  return root.inverse().multiply(own);
}

/** Sample a path (or a node's centre) once, in the SVG root's coordinates. */
function sampleTrack(
  svg: SVGSVGElement,
  element: SVGGraphicsElement,
  path?: SVGPathElement,
): Track {
  const matrix = toRoot(svg, element);
  const map = (p: DOMPoint) => (matrix ? p.matrixTransform(matrix) : p);
  if (!path) {
    const box = element.getBBox();
    const c = map(new DOMPoint(box.x + box.width / 2, box.y + box.height / 2));
    return { xy: Float32Array.of(c.x, c.y), distance: Float32Array.of(0) };
  }
  const length = path.getTotalLength();
  const n = Math.max(2, Math.ceil(length / SAMPLE) + 1);
  const xy = new Float32Array(n * 2);
  const distance = new Float32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = map(path.getPointAtLength((length * i) / (n - 1)));
    xy[2 * i] = p.x;
    xy[2 * i + 1] = p.y;
    if (i > 0) total += Math.hypot(p.x - xy[2 * i - 2]!, p.y - xy[2 * i - 1]!);
    distance[i] = total;
  }
  return { xy, distance };
}

/** The point at `fraction` (0–1) of a track's length. */
export function pointAlong(track: Track, fraction: number): [number, number] {
  const { xy, distance } = track;
  const n = distance.length;
  if (n === 1) return [xy[0]!, xy[1]!];
  const want = distance[n - 1]! * Math.min(1, Math.max(0, fraction));
  let lo = 0;
  let hi = n - 1;
  while (lo < hi - 1) {
    const mid = (lo + hi) >> 1;
    if (distance[mid]! < want) lo = mid;
    else hi = mid;
  }
  const span = distance[hi]! - distance[lo]! || 1;
  const k = (want - distance[lo]!) / span;
  return [
    xy[2 * lo]! + (xy[2 * hi]! - xy[2 * lo]!) * k,
    xy[2 * lo + 1]! + (xy[2 * hi + 1]! - xy[2 * lo + 1]!) * k,
  ];
}

export class TokenAnimator {
  private waiting: TokenRequest[] = [];
  private active: Active[] = [];
  private frame = 0;
  private nextStart = 0;
  private tracks = new WeakMap<Element, Track>();
  /** SVG root units → overlay pixels: x' = a·x + e, y' = d·y + f (no rotation). */
  private view = { a: 1, d: 1, e: 0, f: 0 };
  private resize: ResizeObserver;
  dropped = 0;
  started = 0;
  /** Milliseconds a token takes to cross an edge, and the gap between starts. */
  duration = 1100;
  gap = 160;

  constructor(
    private readonly svg: SVGSVGElement,
    /** An element positioned over the diagram (position: relative parent, inset 0). */
    private readonly overlay: HTMLElement,
    private readonly onChange: () => void = () => {},
  ) {
    // Reading geometry in a frame where the DOM changed forces a layout; a resize observer
    // runs right after layout, when it is free.
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(svg);
    this.resize.observe(overlay);
  }

  private measure(): void {
    const ctm = this.svg.getScreenCTM();
    const box = this.overlay.getBoundingClientRect();
    if (!ctm) return;
    this.view = { a: ctm.a, d: ctm.d, e: ctm.e - box.left, f: ctm.f - box.top };
  }

  /**
   * The diagram was laid out anew: forget the old tracks and sample every edge and node
   * now (right after drawing, when layout is fresh).
   */
  relayout(targets: Iterable<{ element: SVGGraphicsElement; path?: SVGPathElement }>): void {
    this.tracks = new WeakMap();
    for (const { element, path } of targets) {
      this.tracks.set(element, sampleTrack(this.svg, element, path));
    }
    this.measure();
  }

  /** Faster playback: shorter trips, so tokens keep up (but stay readable). */
  setSpeed(speed: number): void {
    this.duration = Math.max(450, 1100 / Math.sqrt(Math.max(1, speed)));
    this.gap = Math.max(60, 160 / Math.sqrt(Math.max(1, speed)));
  }

  add(request: TokenRequest): void {
    this.waiting.push(request);
    if (this.waiting.length > MAX_WAITING) {
      const extra = this.waiting.length - MAX_WAITING;
      this.waiting.splice(0, extra);
      this.dropped += extra;
      this.onChange();
    }
    this.schedule();
  }

  clear(): void {
    this.waiting = [];
    for (const a of this.active) a.element.remove();
    this.active = [];
  }

  dispose(): void {
    this.resize.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.clear();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  private tick(time: number): void {
    this.frame = 0;
    while (this.waiting.length > 0 && this.active.length < MAX_ACTIVE && time >= this.nextStart) {
      this.begin(this.waiting.shift()!, time);
      this.nextStart = time + this.gap;
    }
    this.active = this.active.filter((a) => {
      const progress = (time - a.start) / this.duration;
      if (progress >= 1) {
        a.element.remove();
        return false;
      }
      this.place(a, progress);
      return true;
    });
    if (this.active.length > 0 || this.waiting.length > 0) this.schedule();
  }

  private begin(request: TokenRequest, time: number): void {
    const target = request.path ?? request.node;
    let track = target && this.tracks.get(target);
    if (target && !track) {
      track = sampleTrack(this.svg, target, request.path);
      this.tracks.set(target, track);
    }
    const token = document.createElement('div');
    token.className = `token kind-${request.kind}${request.path ? '' : ' pulse'}`;
    token.dataset.kind = request.kind;
    token.dataset.from = request.from;
    token.dataset.to = request.to;
    if (request.edgeId) token.dataset.edge = request.edgeId;
    token.dataset.label = request.label;
    const disc = document.createElement('span');
    disc.className = 'disc';
    disc.setAttribute('aria-hidden', 'true');
    disc.textContent = request.glyph;
    const text = document.createElement('span');
    text.className = 'token-label';
    text.textContent = request.label;
    token.append(disc, text);
    this.overlay.appendChild(token);
    this.started++;
    const active: Active = {
      request,
      element: token,
      start: time,
      track: track ?? { xy: Float32Array.of(0, 0), distance: Float32Array.of(0) },
    };
    this.active.push(active);
    this.place(active, 0);
    this.onChange();
  }

  private place(a: Active, progress: number): void {
    const [x, y] = pointAlong(a.track, a.request.reverse ? 1 - progress : progress);
    const { a: sx, d: sy, e, f } = this.view;
    const px = sx * x + e;
    const py = sy * y + f;
    if (a.request.path) {
      a.element.style.transform = `translate(${px.toFixed(1)}px, ${py.toFixed(1)}px)`;
    } else {
      a.element.style.transform = `translate(${px.toFixed(1)}px, ${py.toFixed(1)}px) scale(${(1 + progress).toFixed(2)})`;
      a.element.style.opacity = String(1 - progress * 0.7);
    }
  }
}
