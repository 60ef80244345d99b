#!/usr/bin/env node
import module from 'node:module';
// Node 22.1 and later keep the compiled code of the CLI's modules between runs (under the OS temp
// directory), which saves most of a short run's start-up; Node 20 has no such cache.
module.enableCompileCache?.();
await import('../dist/src/cli/main.js');
