#!/usr/bin/env node
import { main } from '../dist/cli/index.js';

main(process.argv).catch((error) => {
  process.stderr.write(`flywheel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = process.exitCode || 1;
});
