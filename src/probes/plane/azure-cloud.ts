import { isIP } from 'node:net';
import type { AzureDeclaration } from '../../targets/target.js';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';
export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const PUBLIC_KEY_VAULT_SUFFIX = 'vault.azure.net';

/** Azure's clouds by ARM endpoint; anything else is not Azure, and reports say so. */
const KNOWN_CLOUDS: Record<string, string> = {
  'https://management.azure.com': 'Azure (public cloud)',
  'https://management.chinacloudapi.cn': 'Azure China',
  'https://management.usgovcloudapi.net': 'Azure US Government',
};

/** The endpoints one target's plane reads go to: one seam for sovereign clouds and the stand-in. */
export interface AzureCloud {
  armEndpoint: string;
  authorityHost: string;
  keyVaultDnsSuffix: string;
  caFile?: string;
  /** "Azure (public cloud)", "Azure China", or "Azure stand-in at https://127.0.0.1:… (not Azure)". */
  label: string;
  isAzure: boolean;
}

export function cloudOf(azure: AzureDeclaration): AzureCloud {
  const armEndpoint = (azure.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/$/, '');
  const known = KNOWN_CLOUDS[armEndpoint];
  const hostname = new URL(armEndpoint).hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = hostname === 'localhost' || (isIP(hostname) === 4 && hostname.startsWith('127.')) || hostname === '::1';
  return {
    armEndpoint,
    authorityHost: azure.authorityHost ?? PUBLIC_AUTHORITY_HOST,
    keyVaultDnsSuffix: azure.keyVaultDnsSuffix ?? PUBLIC_KEY_VAULT_SUFFIX,
    caFile: azure.caFile,
    label: known ?? (loopback ? `Azure stand-in at ${armEndpoint} (not Azure)` : `the ARM endpoint ${armEndpoint} (not a known Azure cloud)`),
    isAzure: known !== undefined,
  };
}
