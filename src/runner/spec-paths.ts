import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so the CLI finds its spec wherever it is started from. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const listed = new Map<string, string[]>();

/** The files under `directory` (relative to the package root) whose names end in `ending`, once per process, sorted as a glob gives them. */
function filesUnder(directory: string, ending: string): string[] {
  const root = join(PACKAGE_ROOT, directory);
  let files = listed.get(root);
  if (!files) {
    files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(ending))
      .map((file) => join(root, file))
      .sort();
    listed.set(root, files);
  }
  return files;
}

/**
 * The spec's feature files, as the directory that holds them: Cucumber expands every path it is
 * given for every target's run, and one directory costs it a fifth of what a list of files does.
 */
export const featurePaths = (): string[] => [join(PACKAGE_ROOT, 'features')];

/** The support code (world, hooks, steps), as absolute paths, listed once per process. */
export const supportImports = (): string[] => [...filesUnder(join('dist', 'support'), '.js'), ...filesUnder(join('dist', 'steps'), '.js')];
