import { defineCheck } from '../check.js';
import { cmkFacts } from '../plane/cmk-facts.js';
import { cmkRequirementPoints, judgePoints, type CmkRequirementsEvidence } from './cmk-requirement-points.js';

export const cmkVaultProtectionCheck = defineCheck<CmkRequirementsEvidence>({
  id: 'rest.cmk-vault-protection',
  evidenceTitle: "seed 001's key vault requirements, point by point",
  async read(context) {
    return cmkRequirementPoints(await cmkFacts(context), new Date());
  },
  judge: (evidence) => judgePoints(evidence, 'rest.cmk-vault-protection', 'vault'),
});
