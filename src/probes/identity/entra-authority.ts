import { isIP } from 'node:net';
import type { EntraLogin } from '../../targets/target.js';

export interface AuthorityDescription {
  host: string;
  /** Entra ID cloud, or something standing in for it; evidence and reasons carry this label. */
  isEntraId: boolean;
  label: string;
}

/**
 * Who issues the token: one of Entra ID's clouds, or, as reports must say, something that is not
 * Entra ID. The SDK is loaded here, not at start-up, where it would cost every run 0.4 s.
 */
export async function describeAuthority(entra: EntraLogin): Promise<AuthorityDescription> {
  const { AzureAuthorityHosts } = await import('@azure/identity');
  const entraClouds = new Set<string>(Object.values(AzureAuthorityHosts));
  const host = entra.authorityHost ?? AzureAuthorityHosts.AzurePublicCloud;
  if (entraClouds.has(host)) return { host, isEntraId: true, label: `Microsoft Entra ID (${host})` };
  const hostname = new URL(host).hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = hostname === 'localhost' || (isIP(hostname) === 4 && hostname.startsWith('127.')) || hostname === '::1';
  return {
    host,
    isEntraId: false,
    label: loopback ? `the local identity stand-in at ${host} (not Microsoft Entra ID)` : `the identity provider at ${host} (not a Microsoft Entra ID cloud)`,
  };
}
