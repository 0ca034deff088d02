import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useLab } from '../store/labStore';
import './styles.css';

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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
