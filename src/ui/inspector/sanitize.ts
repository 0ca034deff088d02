/**
 * HTML mail, made safe to look at, in three layers:
 * 1. DOMPurify removes scripts, event handlers and anything active, and (a hook below)
 *    every reference to a remote resource (img src, srcset, background, CSS url()…), so
 *    the markup names nothing outside the message;
 * 2. the result goes into an iframe with sandbox="" (no scripts, no forms, no navigation,
 *    an opaque origin);
 * 3. whose Content-Security-Policy blocks every remote load anyway.
 * DOMPurify is fetched only when someone asks to see HTML.
 */
import type { DOMPurify as Purifier } from 'dompurify';

export const HTML_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'";

/** Attributes that make a browser fetch something. */
const FETCHING = [
  'src',
  'srcset',
  'background',
  'poster',
  'lowsrc',
  'dynsrc',
  'data',
  'xlink:href',
];
const LOCAL = /^\s*(data|cid):/i;

let purifier: Promise<Purifier> | undefined;
let blocked = 0;

function load(): Promise<Purifier> {
  purifier ??= import('dompurify').then(({ default: DOMPurify }) => {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (!(node instanceof Element)) return;
      for (const name of FETCHING) {
        const value = node.getAttribute(name);
        if (value !== null && !LOCAL.test(value)) {
          node.removeAttribute(name);
          blocked++;
        }
      }
      if (
        node.tagName !== 'A' &&
        node.hasAttribute('href') &&
        !LOCAL.test(node.getAttribute('href')!)
      ) {
        node.removeAttribute('href');
        blocked++;
      }
      const style = node.getAttribute('style');
      if (style && /url\s*\(|@import|expression\s*\(/i.test(style)) {
        node.setAttribute(
          'style',
          style.replace(/url\s*\([^)]*\)|@import[^;]*;?|expression\s*\([^)]*\)/gi, 'none'),
        );
        blocked++;
      }
    });
    return DOMPurify;
  });
  return purifier;
}

export interface SafeHtml {
  srcdoc: string;
  /** Remote references removed (images, backgrounds…). */
  blocked: number;
}

export async function sanitizedSrcdoc(html: string): Promise<SafeHtml> {
  const DOMPurify = await load();
  blocked = 0;
  const clean = DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'base', 'meta', 'link'],
    FORBID_ATTR: ['action', 'formaction', 'ping'],
  });
  const srcdoc =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">` +
    '<style>body{font-family:system-ui,sans-serif;margin:0.5rem;color:#111;background:#fff}img{max-width:100%}</style>' +
    `</head><body>${clean}</body></html>`;
  return { srcdoc, blocked };
}
