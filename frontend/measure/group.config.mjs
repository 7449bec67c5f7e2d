// The repeating group's own JavaScript, measured (issue 14: at most 5 KB gzipped): the group's
// pages (src/pages/application/group_pages.tsx), and its member cards and form-model part (copied
// into a scratch entry by the test), each bundled with every module it shares with the rest of
// the app left external, since those ship in the app's chunks anyway.
//   ENTRY=<file> npx vite build --config measure/group.config.mjs   (tests/browser/test_group_size.py)
import { defineConfig } from 'vite';

const entry = process.env.ENTRY;
export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: process.env.OUT_DIR,
    emptyOutDir: true,
    minify: true,
    lib: { entry, formats: ['es'], fileName: 'group' },
    rollupOptions: { external: (id) => id !== entry && !id.startsWith('\0') },
  },
});
