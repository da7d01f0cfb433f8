import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web console: Preact + TypeScript, built into console/dist and served by the API under
 * /console (src/api/plugins/console.ts). Everything is bundled; nothing is fetched from a CDN.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsDir: 'assets',
  },
});
