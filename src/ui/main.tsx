import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useLab } from '../store/labStore';
import './styles.css';

// The live protocol transcript for screen readers (its own chunk).
const Transcript = lazy(() => import('./a11y/Transcript'));

// Test and benchmark hook, only when asked for (?hooks): drive the lab without typing.
if (new URLSearchParams(location.search).has('hooks')) {
  Object.assign(window, {
    smtpLab: {
      store: useLab,
      input: (host: string, data: string) => useLab.getState().input(host, data),
      load: (doc: unknown, at?: 'start' | 'end') => useLab.getState().load(doc, at),
      runtime: () => useLab.getState().runtime,
    },
  });
}

// Offline use after the first visit: the service worker that builds write (scripts/offline.ts).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () =>
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('No offline use:', e)),
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
    <Suspense>
      <Transcript />
    </Suspense>
  </StrictMode>,
);
