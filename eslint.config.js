// Lint doubles as the architecture check: imports may only point down the layers
// (ui → store → lessons → shell → engine; cli → lessons/shell/engine). See DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

/** Forbid imports of the named src/ layers (matched on relative paths) and packages. */
function restrictImports(layers, packages, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: packages.map((name) => ({ name, message: why })),
        patterns: [
          ...(packages.includes('fs') ? [{ group: ['node:*'], message: why }] : []),
          ...packages.map((p) => ({ group: [`${p}/*`], message: why })),
          ...layers.map((layer) => ({ group: [`**/${layer}`, `**/${layer}/**`], message: why })),
        ],
      },
    ],
  };
}

const uiPackages = ['react', 'react-dom', 'zustand', '@xterm/xterm', '@xterm/addon-fit', 'mermaid'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench-results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Protocol and terminal code matches control bytes on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain Node scripts (test set-up); TypeScript files get their globals from the types.
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      ...restrictImports(
        ['shell', 'lessons', 'demos', 'store', 'ui', 'cli'],
        [...uiPackages, ...nodeBuiltins],
        'src/engine is DOM-free, Node-free and knows no upper layer (DESIGN.md, Layers).',
      ),
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'performance',
          'setTimeout',
          'setInterval',
          'clearTimeout',
          'clearInterval',
          'requestAnimationFrame',
          'process',
          'Buffer',
          'require',
          'fetch',
        ].map((name) => ({
          name,
          message: 'The engine runs on virtual time and touches no host environment.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the virtual clock.' },
        { object: 'Math', property: 'random', message: 'Use the seeded Random.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Wall-clock time is not deterministic: use the virtual clock.',
        },
      ],
    },
  },
  {
    files: ['src/shell/**/*.ts'],
    rules: restrictImports(
      ['lessons', 'demos', 'store', 'ui', 'cli'],
      [...uiPackages, ...nodeBuiltins],
      'src/shell sits on the engine only; it feeds xterm and the CLI alike.',
    ),
  },
  {
    files: ['src/lessons/**/*.ts'],
    rules: restrictImports(
      ['demos', 'store', 'ui', 'cli'],
      [...uiPackages, ...nodeBuiltins],
      'src/lessons sits on shell and engine only.',
    ),
  },
  {
    files: ['src/demos/**/*.ts'],
    rules: restrictImports(
      ['store', 'ui', 'cli'],
      [...uiPackages, ...nodeBuiltins],
      'src/demos sits beside lessons, on lessons, shell and engine only.',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrictImports(
      ['ui', 'cli'],
      ['react-dom', '@xterm/xterm', 'mermaid', ...nodeBuiltins],
      'src/store holds state for the UI and never renders.',
    ),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrictImports(['cli'], nodeBuiltins, 'src/ui runs in the browser.'),
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrictImports(['store', 'ui'], uiPackages, 'src/cli runs in Node without the UI.'),
  },
);
