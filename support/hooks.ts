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

/** Transport scenarios share one set of observations; start them all together at the first one. */
Before({ tags: '@area:transport' }, function (this: ComplianceWorld) {
  this.probes.prefetchTransport();
});

/** Account checks open their own sessions; start them all together at the first auth or access scenario. */
Before({ tags: '@area:auth or @area:access' }, function (this: ComplianceWorld) {
  this.probes.prefetchAccountChecks();
});
