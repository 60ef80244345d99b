#!/usr/bin/env node
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Node 22.8 and later can keep the compiled code of the CLI's modules between runs, which saves
// most of a short run's start-up; Node 20 cannot. The cache lives in the user's own cache
// directory, never in the shared temp directory, where another local user could plant code that
// would run inside a process holding database passwords.
module.enableCompileCache?.(join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dbcomply', 'compile-cache'));
await import('../dist/src/cli/main.js');
