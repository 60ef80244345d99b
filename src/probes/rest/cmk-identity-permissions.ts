import { defineCheck } from '../check.js';
import { cmkFacts } from '../plane/cmk-facts.js';
import { cmkRequirementPoints, judgePoints, type CmkRequirementsEvidence } from './cmk-requirement-points.js';

export const cmkIdentityPermissionsCheck = defineCheck<CmkRequirementsEvidence>({
  id: 'rest.cmk-identity-permissions',
  evidenceTitle: "the server identity's key permissions, point by point",
  async read(context) {
    return cmkRequirementPoints(await cmkFacts(context), new Date());
  },
  judge: (evidence) => judgePoints(evidence, 'rest.cmk-identity-permissions', 'identity permission'),
});
