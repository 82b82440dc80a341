// The UI is built into web/dist, which the server serves at / (with an SPA fallback).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React, Mantine and Recharts make one ~1 MB chunk (300 kB gzipped), served once and cached.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, next to `npm run seatwarden serve`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
