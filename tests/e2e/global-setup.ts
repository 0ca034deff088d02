/** Build the app once and serve dist/ under a sub-path for every browser test. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from './static-server';

export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  // A separate process, because Vitest sets NODE_ENV=test and React would build for dev.
  const vite = resolve(root, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const { url, server } = await serveStatic(resolve(root, 'dist'), '/some/sub/path/');
  project.provide('baseURL', url);
  return () => new Promise<void>((done) => server.close(() => done()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}
