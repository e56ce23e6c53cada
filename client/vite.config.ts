import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

const clientDir = import.meta.dirname;
const apiTarget = process.env.LOTUS_API_URL ?? 'http://127.0.0.1:3000';

/** The web client: built into <repo>/dist/client, which the server serves in production. */
export default defineConfig({
  root: clientDir,
  publicDir: resolve(clientDir, 'public'),
  plugins: [preact()],
  build: {
    outDir: resolve(clientDir, '../dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/socket.io': { target: apiTarget, ws: true },
      '/media': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
      '/media': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
});
