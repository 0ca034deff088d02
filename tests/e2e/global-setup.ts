/**
 * Build the app once into a private directory and serve it under a sub-path for every
 * browser test. Not dist/: another build (npm run build, a second test run) replacing the
 * chunks while a page still loads them lazily would make tests fail for no reason of
 * their own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from './static-server';

export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  const outDir = mkdtempSync(join(tmpdir(), 'smtp-lab-e2e-'));
  // A separate process, because Vitest sets NODE_ENV=test and React would build for dev.
  const vite = resolve(root, 'node_modules/vite/bin/vite.js');
  execFileSync(
    process.execPath,
    [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  const { url, server } = await serveStatic(outDir, '/some/sub/path/');
  project.provide('baseURL', url);
  return () =>
    new Promise<void>((done) =>
      server.close(() => {
        rmSync(outDir, { recursive: true, force: true });
        done();
      }),
    );
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}
