import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest leaves one core free by default: on CI's two cores that is a single worker, while many
    // files spend their time waiting on servers, Chromium and Retry-After sleeps that more workers
    // overlap (measured on two cores: a third worker uses the idle third of the CPU).
    maxWorkers: Math.max(3, availableParallelism()),
    // Files share a worker's module cache instead of importing exceljs, React and Fluent afresh each
    // (about a fifth of the suite's time); no test relies on module state, and stubbed globals are
    // put back after each test.
    isolate: false,
    unstubGlobals: true,
  },
})
