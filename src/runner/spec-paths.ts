import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so the CLI finds its spec wherever it is started from. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const FEATURE_PATHS = [join(PACKAGE_ROOT, 'features', '**', '*.feature')];
export const SUPPORT_IMPORTS = [join(PACKAGE_ROOT, 'dist', 'support', '**', '*.js'), join(PACKAGE_ROOT, 'dist', 'steps', '**', '*.js')];
