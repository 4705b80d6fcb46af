import { rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import pkg from './package.json' with { type: 'json' }

/**
 * The CLI, built for Node: `dist/cli.mjs` (the `bin`) and one chunk per command in `dist/cli/`,
 * each loaded when its command runs. Node built-ins and the package's dependencies stay
 * imports, so `npm install` provides them; only our own TypeScript is bundled.
 *
 * Run after the pages' build (`vite build` empties `dist/`): `npm run build` does both, and
 * `npm install` builds the CLI alone (`prepare`).
 */
const root = import.meta.dirname
const outDir = resolve(root, 'dist')
const chunkDir = 'cli'
const ENTRY = '\0pm-workbook-bin'

const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies ?? {})]
const isExternal = (id: string): boolean => external.some((name) => id === name || id.startsWith(`${name}/`))

/** The bin's entry: run `main` with the process's arguments; its exit code becomes the process's. */
const bin: Plugin = {
  name: 'pm-workbook-bin',
  resolveId: (id) => (id === ENTRY ? ENTRY : null),
  load: (id) =>
    id === ENTRY
      ? `import { main } from ${JSON.stringify(resolve(root, 'src/cli/main.ts'))}\nprocess.exitCode = await main(process.argv.slice(2))\n`
      : null,
  // Chunks of an earlier build would pile up beside the new ones.
  buildStart: () => rmSync(resolve(outDir, chunkDir), { recursive: true, force: true }),
}

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  plugins: [bin],
  build: {
    ssr: true,
    target: 'node20',
    outDir,
    emptyOutDir: false,
    copyPublicDir: false,
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { cli: ENTRY },
      external: isExternal,
      output: {
        format: 'es',
        entryFileNames: 'cli.mjs',
        chunkFileNames: `${chunkDir}/[name]-[hash].mjs`,
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  ssr: { target: 'node', noExternal: [] },
})
