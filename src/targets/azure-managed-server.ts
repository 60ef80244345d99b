import type { Target } from './target.js';

/** Where Azure's flexible servers answer, in the public cloud, Azure China and Azure US Government. */
const AZURE_HOST_SUFFIXES: Record<Target['engine'], readonly string[]> = {
  mysql: ['.mysql.database.azure.com', '.mysql.database.chinacloudapi.cn', '.mysql.database.usgovcloudapi.net'],
  postgres: ['.postgres.database.azure.com', '.postgres.database.chinacloudapi.cn', '.postgres.database.usgovcloudapi.net'],
};

const AZURE_PROVIDERS: Record<Target['engine'], string> = { mysql: 'microsoft.dbformysql', postgres: 'microsoft.dbforpostgresql' };

/**
 * How the harness knows the target is an Azure flexible server, whose backups (and, on MySQL, its
 * copies of the binary log) Azure keeps itself: a declared Azure resource of the target's engine,
 * or a host name in Azure's database DNS zones (private-link names included). Undefined when
 * neither says so; a server reached by its IP address must then declare azure.resourceId.
 */
export function azureManagedServer(target: Pick<Target, 'engine' | 'host' | 'azure'>): string | undefined {
  const resourceId = target.azure?.resourceId;
  if (resourceId && resourceId.toLowerCase().includes(`/providers/${AZURE_PROVIDERS[target.engine]}/flexibleservers/`)) {
    return `declared as the Azure resource ${resourceId.split('/').pop()}`;
  }
  const host = target.host.toLowerCase().replace(/\.$/, '');
  const suffix = AZURE_HOST_SUFFIXES[target.engine].find((each) => host.endsWith(each));
  return suffix ? `its host name ends in ${suffix}` : undefined;
}
