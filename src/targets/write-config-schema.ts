/**
 * `npm run schema`: writes schemas/dbcomply.config.schema.json from the zod definition in
 * config-schema.ts. A test fails while the committed file differs from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configJsonSchemaText } from './config-schema.js';
import { PACKAGE_ROOT } from '../runner/spec-paths.js';

const CONFIG_SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'dbcomply.config.schema.json');

await writeFile(CONFIG_SCHEMA_FILE, configJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
