// Vite build of the dashboard: a static single-page app under the control plane's /dashboard/ path.
// JSX is compiled for Preact by Vite's own transform (automatic runtime), so no framework plugin is needed.
import { defineConfig } from 'vite';
import { DASHBOARD_BASE_PATH } from './src/index.ts';

export default defineConfig({
  root: import.meta.dirname,
  base: DASHBOARD_BASE_PATH,
  logLevel: 'warn',
  clearScreen: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The control plane serves from loopback; one chunk of app code plus hashed assets is plenty.
    chunkSizeWarningLimit: 1500,
    // Vite names every asset and chunk with a content hash (assets/index-<hash>.js), so they may be cached.
    assetsDir: 'assets',
  },
});
