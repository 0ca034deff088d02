/**
 * What the Export menu and the message inspector hand out as files: the terminal's
 * transcript as plain text, the trace as JSON lines (as `lab run --trace` writes it), a
 * diagram as a standalone SVG, a stored message as `.eml`. Pure functions but `download`
 * and `standaloneSvg` (which need a DOM).
 */
import type { TraceEvent } from '../../engine/trace';
import { Screen } from '../../shell/screen';

/** What a terminal showed, as plain text: its output with the control sequences applied. */
export function transcriptText(screen: string): string {
  const view = new Screen();
  view.write(screen);
  return view.text() + '\n';
}

/** One JSON object per event, one per line (the format of `lab run --trace OUT.jsonl`). */
export function traceJsonl(events: readonly TraceEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** What the page's style sheets say about a drawing's look, carried into the file. */
const LOOK = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linejoin',
  'stroke-opacity',
  'opacity',
  'paint-order',
  'font-family',
  'font-size',
  'font-weight',
];

/**
 * A rendered diagram as an SVG file that opens on its own: namespaces declared, the look
 * the page's style sheets gave each element written on it (the topology is styled by
 * styles.css), and the background it was drawn on (diagrams draw light text on
 * transparent).
 */
export function standaloneSvg(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const copies = [copy, ...copy.querySelectorAll('*')];
  [svg, ...svg.querySelectorAll('*')].forEach((element, i) => {
    const target = copies[i];
    if (!(element instanceof SVGElement) || !(target instanceof SVGElement)) return;
    const computed = getComputedStyle(element);
    for (const property of LOOK) {
      target.style.setProperty(property, computed.getPropertyValue(property));
    }
  });
  copy.setAttributeNS(XMLNS, 'xmlns', SVG_NS);
  copy.setAttributeNS(XMLNS, 'xmlns:xlink', 'http://www.w3.org/1999/xlink');
  copy.style.backgroundColor = background;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** A file name made of safe characters only. */
export function fileName(...parts: string[]): string {
  return parts
    .join('-')
    .replace(/[^\w.@-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, 120);
}

/** Offer `content` as a file called `name`. */
export function download(name: string, content: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([content], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
