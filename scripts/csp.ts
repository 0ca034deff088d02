/**
 * The Content-Security-Policy of the built page, as a <meta> at the top of index.html.
 * Build only: the dev server injects inline scripts (React Refresh) that it would block.
 * A <meta> policy cannot set frame-ancestors or report-uri; a host that can send headers
 * may add those (docs/offline-and-accessibility.md).
 */
import type { Plugin } from 'vite';

export const CSP = [
  // Everything comes from the site itself: no CDN, no remote origin, nothing inline.
  "default-src 'self'",
  "script-src 'self'",
  // The lesson worker and the service worker are files of this build.
  "worker-src 'self'",
  // 'unsafe-inline' for styles only, because every diagram needs it: Mermaid writes a
  // <style> element and style attributes into each SVG it draws, xterm's renderer keeps its
  // theme in a <style> element, and the sandboxed HTML-mail iframe (a srcdoc document,
  // which inherits this policy) has its own <style>. Styles cannot run code, and untrusted
  // text reaches these sinks only through their escapers (docs/ui.md, Safety).
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // The HTML mail is shown in a srcdoc iframe: no URL is ever loaded into a frame.
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'smtp-lab:csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}
