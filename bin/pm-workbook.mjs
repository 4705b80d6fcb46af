#!/usr/bin/env node
// Kept for old scripts: the CLI is the built dist/cli.mjs (package.json "bin").
await import('../dist/cli.mjs')
