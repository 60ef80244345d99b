import type { TargetContext } from '../target-context.js';
import { configuredSecurity } from './configured-security.js';
import { compareConfigurationWithBehaviour, observedBehaviour } from './configuration-vs-behaviour.js';
import type { ConfigurationVsBehaviour } from '../../report/results-document.js';


/**
 * Reads the server's parameters from Azure Resource Manager and sets them beside what this run's
 * probes saw (handshakes per TLS version, logins with and without TLS). Undefined when the target
 * has no Azure resource or no endpoint; a plane that could not be read is reported as such.
 */
export async function configurationVsBehaviour(context: TargetContext): Promise<ConfigurationVsBehaviour | undefined> {
  const { target } = context;
  if (!target.azure?.resourceId || target.planeOnly) return undefined;
  try {
    const [configured, observed] = await Promise.all([configuredSecurity(context), observedBehaviour(context)]);
    const rows = compareConfigurationWithBehaviour(configured, observed);
    return { rows, disagreements: rows.filter((row) => row.agrees === false).length };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
