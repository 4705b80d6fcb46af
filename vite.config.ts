import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const page = (name: string): string => resolve(import.meta.dirname, `${name}.html`)

export default defineConfig({
  // Relative asset paths: the built pages work from any https folder, not only a host's root.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: { index: page('index'), tab: page('tab'), taskpane: page('taskpane') },
    },
  },
})
