import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './scripts/csp.js';
import { offline } from './scripts/offline.js';

// base './' makes every asset URL relative, so dist/ works from any sub-path; the service
// worker (offline use) and the Content-Security-Policy are added to builds only.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), offline()],
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4000 },
});
