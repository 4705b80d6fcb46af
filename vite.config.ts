import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const page = (name: string): string => resolve(import.meta.dirname, `${name}.html`)

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: { index: page('index'), tab: page('tab'), taskpane: page('taskpane') },
    },
  },
})
