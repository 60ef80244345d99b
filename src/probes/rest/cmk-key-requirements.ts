import { defineCheck } from '../check.js';
import { cmkFacts } from '../plane/cmk-facts.js';
import { cmkRequirementPoints, judgePoints, type CmkRequirementsEvidence } from './cmk-requirement-points.js';

export const cmkKeyRequirementsCheck = defineCheck<CmkRequirementsEvidence>({
  id: 'rest.cmk-key-requirements',
  evidenceTitle: "seed 001's customer-managed key requirements, point by point",
  async read(context) {
    return cmkRequirementPoints(await cmkFacts(context), new Date());
  },
  judge: (evidence) => judgePoints(evidence, 'rest.cmk-key-requirements', 'key'),
});
