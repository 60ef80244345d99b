/**
 * `npm run schema`: writes schemas/dbcomply.config.schema.json from the zod definition in
 * config-schema.ts. A test fails while the committed file differs from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { configJsonSchemaText } from './config-schema.js';
import { CONFIG_SCHEMA_FILE } from './config-schema-file.js';

await writeFile(CONFIG_SCHEMA_FILE, configJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
