import { execFile } from 'node:child_process';
import { PACKAGE_ROOT } from '../runner/spec-paths.js';

/** The commit the tool was built from, when it runs from a git checkout; undefined for a packaged install. */
export function gitRevision(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, timeout: 3000 }, (error, stdout) => {
      const revision = stdout?.trim();
      resolve(!error && /^[0-9a-f]{40}$/.test(revision) ? revision : undefined);
    });
  });
}
