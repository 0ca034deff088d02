import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/property/**/*.test.ts',
      'tests/interop/**/*.test.ts',
    ],
    environment: 'node',
    // Scripts are typed synchronously: load the commands that the browser loads on demand.
    setupFiles: ['tests/setup.ts'],
  },
});
