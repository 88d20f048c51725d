import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// index.html lives in src/ so that console/ itself never looks like a built site to the server,
// which serves the first folder holding an index.html (dist/console once built).
const consoleRoot = fileURLToPath(new URL('./src', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/console', import.meta.url));
// The development server proxies the API to a local Corridor server (see console/README.md).
const apiTarget = process.env.CORRIDOR_API_URL ?? 'http://127.0.0.1:8090';

export default defineConfig({
  root: consoleRoot,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Never inline assets as data: URLs: the Content-Security-Policy only allows data: for images.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // React and Mantine change rarely: a separate chunk stays cached across console releases.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/,
            },
            {
              name: 'mantine',
              test: /node_modules[\\/](@mantine|@floating-ui|react-remove-scroll|react-number-format)/,
            },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 8091,
    strictPort: true,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: { host: '127.0.0.1', port: 8092, strictPort: true },
});
