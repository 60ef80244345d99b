import type { TargetContext } from '../target-context.js';
import { serverSettings } from '../audit/server-settings.js';
import { configuredSecurity } from './configured-security.js';
import { compareConfigurationWithBehaviour, observedBehaviour } from './configuration-vs-behaviour.js';
import { behaviourFromCatalog, type CatalogRead } from './catalog-behaviour.js';
import type { ConfigurationVsBehaviour } from '../../report/results-document.js';


/**
 * Reads the server's parameters from Azure Resource Manager and sets them beside what this run's
 * probes saw (handshakes per TLS version, logins with and without TLS, and the logging and audit
 * settings the catalog checks read). Undefined when the target has no Azure resource or no
 * endpoint; a plane that could not be read is reported as such.
 */
export async function configurationVsBehaviour(context: TargetContext): Promise<ConfigurationVsBehaviour | undefined> {
  const { target } = context;
  if (!target.azure?.resourceId || target.planeOnly) return undefined;
  try {
    const [configured, observed] = await Promise.all([
      configuredSecurity(context),
      catalogRead(context).then((read) => observedBehaviour(context, behaviourFromCatalog(target.engine, read))),
    ]);
    const rows = compareConfigurationWithBehaviour(configured, observed);
    return { rows, disagreements: rows.filter((row) => row.agrees === false).length };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The settings audit.connections-logged and audit.audit-extension read, through the same once-per-run
 * read: no second round trip when either check ran. When neither ran (a run of other tags), it is
 * read now; the runner asks after closing the context, and a read then logs the catalog session in
 * again, so it is closed again here.
 */
async function catalogRead(context: TargetContext): Promise<CatalogRead> {
  try {
    return { evidence: await serverSettings(context) };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  } finally {
    if (context.closed.aborted) await context.catalog.close();
  }
}
