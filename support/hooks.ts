import { Before } from '@cucumber/cucumber';
import { controlIdsOfTags } from '../src/controls/catalogue.js';
import { reasonNotApplicable } from '../src/controls/applicability.js';
import { SKIP_NOTE } from '../src/controls/verdict.js';
import type { ComplianceWorld } from './world.js';

/** A scenario whose controls the target's engine or profile does not call for is skipped, with the reason. */
Before(function (this: ComplianceWorld, { pickle }) {
  const controls = controlIdsOfTags(pickle.tags.map((tag) => tag.name));
  const reasons = controls.map((id) => reasonNotApplicable(id, this.target)).filter((reason): reason is string => !!reason);
  if (controls.length > 0 && reasons.length === controls.length) {
    this.attach(JSON.stringify({ reason: reasons.join('; ') }, null, 2), { mediaType: 'application/json', fileName: SKIP_NOTE });
    return 'skipped';
  }
  return undefined;
});

/**
 * Every selected control's probes start at the first scenario, whatever its area: the transport
 * scans and the account checks then overlap instead of queueing behind each other's waits.
 */
Before(function (this: ComplianceWorld) {
  this.probes.prefetch(this.parameters.selectedControls);
});
