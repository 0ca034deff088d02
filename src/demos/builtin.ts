/**
 * The demos that ship with the app: every src/demos/*.demo, bundled as text (Vite) into
 * the chunk that imports this module, in file-name order. A file that does not parse is
 * listed with its errors (`lab demos check` keeps that from shipping).
 */
import { parseDemo, type Demo } from './demo';

const FILES = import.meta.glob<string>('./*.demo', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface DemoCatalogue {
  demos: Demo[];
  errors: string[];
}

let catalogue: DemoCatalogue | undefined;

export function builtInDemos(): DemoCatalogue {
  if (catalogue) return catalogue;
  const demos: Demo[] = [];
  const errors: string[] = [];
  for (const path of Object.keys(FILES).sort()) {
    const parsed = parseDemo(`src/demos/${path.slice(2)}`, FILES[path]!);
    if (parsed.ok) demos.push(parsed.demo);
    else errors.push(...parsed.errors);
  }
  return (catalogue = { demos, errors });
}
