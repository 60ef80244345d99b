import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../runner/spec-paths.js';

/**
 * The official example payloads (Azure/azure-rest-api-specs, MIT), copied verbatim from
 * ../shared/azure-examples into payloads/ (see its README for source paths and commits). They are
 * read, never written: every failing case is derived from a fresh copy in code (stand-in-fleet.ts).
 */
export const PAYLOAD_DIRECTORY = join(PACKAGE_ROOT, 'src', 'lab', 'azure-stand-in', 'payloads');

export type ExampleName =
  | 'pg-server-get' | 'pg-configuration-get' | 'pg-firewall-rules-list' | 'pg-entra-admins-list' | 'pg-servers-list-rg'
  | 'mysql-server-get' | 'mysql-configuration-get' | 'mysql-firewall-rules-list' | 'mysql-server-update-byok' | 'mysql-entra-admins-list'
  | 'keyvault-data-get-key' | 'keyvault-data-get-rotation-policy' | 'keyvault-arm-get-key' | 'keyvault-arm-get-vault' | 'keyvault-arm-list-vaults'
  | 'defender-pricing-get' | 'defender-pricings-list' | 'security-alerts-list';

export interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

/** A deep copy of one example file, so a variant can never alter what another reads. */
export function example(name: ExampleName): Example {
  return JSON.parse(readFileSync(join(PAYLOAD_DIRECTORY, `${name}.json`), 'utf8')) as Example;
}

/** A deep copy of the body of the example's 200 response. */
export function exampleBody<T = Record<string, any>>(name: ExampleName): T {
  const body = example(name).responses['200']?.body;
  if (body === undefined) throw new Error(`example ${name} has no 200 body`);
  return body as T;
}
