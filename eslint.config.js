// Lint rules for the whole workspace: type-aware TypeScript checks, and purity for the pure packages.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pureRestrictedImports = [
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:http',
  'node:http2',
  'node:https',
  'node:tls',
  'node:dgram',
  'node:child_process',
  'node:os',
  'node:process',
  'node:timers',
  'node:timers/promises',
  'fs',
  'net',
  'http',
  'child_process',
  'os',
  'process',
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'packages/xds/src/gen/**', '**/dist/**', 'bench/**/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          selector: 'TSEnumDeclaration',
          message: 'Enums are not erasable syntax; use a union of string literals.',
        },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'Namespaces are not erasable syntax.' },
        { selector: 'TSParameterProperty', message: 'Parameter properties are not erasable syntax.' },
      ],
    },
  },
  {
    files: ['packages/api/src/**/*.ts', 'packages/xds/src/**/*.ts', 'packages/translate/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: pureRestrictedImports.map((name) => ({ name, message: 'Pure packages do no I/O.' })) },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Pure packages take configuration as parameters.' },
        { name: 'setTimeout', message: 'Pure packages take their clock as a parameter.' },
        { name: 'setInterval', message: 'Pure packages take their clock as a parameter.' },
        { name: 'setImmediate', message: 'Pure packages take their clock as a parameter.' },
        { name: 'fetch', message: 'Pure packages do no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pure packages take their clock as a parameter.' },
        { object: 'Math', property: 'random', message: 'Pure packages take randomness as a parameter.' },
      ],
    },
  },
  {
    // The dashboard's browser code (type-checked through packages/dashboard/tsconfig.json).
    files: ['packages/dashboard/src/app/**/*.{ts,tsx}', 'packages/dashboard/src/client/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Vite requires its config to be a default export.
    files: ['packages/dashboard/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // ESLint requires its config to be a default export.
    files: ['eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
