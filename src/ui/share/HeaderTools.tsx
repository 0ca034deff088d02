/**
 * The header's lab tools: Save and Load, Share, Export and the scenario Sandbox. This is
 * loaded lazily by the header (the page's first bundle stays small), and the sandbox
 * editor, the largest of them, only when it is opened.
 */
import { lazy, Suspense, useState } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ExportMenu } from '../export/ExportMenu';
import { LabFiles } from '../export/LabFiles';
import { SharePanel } from './SharePanel';
import './share.css';

const SandboxEditor = lazy(() => import('../sandbox/SandboxEditor'));

export default function HeaderTools() {
  const [sandbox, setSandbox] = useState(false);
  return (
    <>
      <LabFiles />
      <SharePanel />
      <ExportMenu />
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setSandbox(true)}
        title="Edit a scenario (hosts, users, DNS, faults) and start a world from it"
        data-testid="sandbox-open"
      >
        Sandbox
      </button>
      {sandbox && (
        <ErrorBoundary name="sandbox editor">
          <Suspense fallback={<span className="muted">Opening the sandbox…</span>}>
            <SandboxEditor onClose={() => setSandbox(false)} />
          </Suspense>
        </ErrorBoundary>
      )}
    </>
  );
}
