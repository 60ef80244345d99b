import { Before } from '@cucumber/cucumber';
import { controlIdsOfTags, isControlId } from '../src/controls/catalogue.js';
import { needsTheServer, unreachableCause } from '../src/probes/reachability.js';
import { reasonNotApplicable } from '../src/controls/applicability.js';
import { checkFor } from '../src/probes/checks.js';
import { prefetchControls } from '../src/probes/control-observation.js';
import type { ComplianceWorld } from './world.js';

/**
 * Each scenario decides exactly one catalogue control. One that the target's engine, profile,
 * opt-ins or declarations do not call for is skipped, with the reason, through the decision channel.
 */
Before(async function (this: ComplianceWorld, { pickle }) {
  const ids = controlIdsOfTags(pickle.tags.map((tag) => tag.name));
  if (ids.length !== 1 || !isControlId(ids[0])) {
    return this.record({ verdict: 'undecided', reason: `a scenario must name exactly one catalogue control; "${pickle.name}" names ${ids.join(', ') || 'none'}` });
  }
  this.control = ids[0];
  const notApplicable = reasonNotApplicable(this.control, this.target);
  if (notApplicable) return this.record({ verdict: 'skipped', reason: notApplicable });
  // A server the harness cannot reach is undecided for one stated cause, not for twenty probe errors.
  if (needsTheServer(this.control)) {
    const cause = await unreachableCause(this.context);
    if (cause) return this.record({ verdict: 'undecided', reason: `the target cannot be assessed: ${cause}` });
  }
  return undefined;
});

/**
 * Every selected control's observation starts at the first scenario, whatever its area: the
 * transport scans and the account checks then overlap instead of queueing behind each other's waits.
 */
Before(function (this: ComplianceWorld) {
  prefetchControls(this.context, this.parameters.selectedControls.filter((id) => reasonNotApplicable(id, this.target) === undefined).map(checkFor));
});
