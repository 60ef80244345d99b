import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { cmkFacts, type KeyFacts } from '../plane/cmk-facts.js';

export interface CmkRotationEvidence {
  plane: string;
  server: string;
  key: string;
  rotationPolicy?: KeyFacts['rotationPolicy'];
  serverVersion?: string;
  currentVersion?: string;
  /** With geo-redundant backup: the same facts for the geo-backup key, which must rotate too. */
  geoBackup?: { key: string; rotationPolicy?: KeyFacts['rotationPolicy']; serverVersion?: string; currentVersion?: string };
}

/** Both keys must rotate and be followed: a failing one fails, an unknown one leaves the control undecided. */
export function judgeCmkRotation(evidence: CmkRotationEvidence): Judgement {
  const primary = judgeOneKeyRotation(evidence);
  if (!evidence.geoBackup) return primary;
  const geo = judgeOneKeyRotation({ plane: evidence.plane, server: `${evidence.server}'s geo-redundant backup`, ...evidence.geoBackup });
  const both = [primary, geo];
  const failing = both.filter((judgement) => judgement.verdict === 'failed');
  if (failing.length > 0) return failed(failing.map((judgement) => judgement.reason).join('; and '));
  const unknown = both.filter((judgement) => judgement.verdict !== 'passed');
  if (unknown.length > 0) return undecided(unknown.map((judgement) => judgement.reason).join('; and '));
  return passed(`${primary.reason}; and ${geo.reason}`);
}

function judgeOneKeyRotation(evidence: Omit<CmkRotationEvidence, 'geoBackup'>): Judgement {
  const where = `${evidence.key} (${evidence.plane})`;
  if (!evidence.rotationPolicy) return undecided(`the rotation policy of ${where} was not returned`);
  const rotate = evidence.rotationPolicy.actions.filter((action) => action.action.toLowerCase() === 'rotate');
  const listed = evidence.rotationPolicy.actions.map((action) => `${action.action} ${action.timeAfterCreate ? `after ${action.timeAfterCreate}` : action.timeBeforeExpiry ? `${action.timeBeforeExpiry} before expiry` : '(no trigger)'}`).join(', ') || 'no actions';
  if (rotate.length === 0) return failed(`the rotation policy of ${where} has no automatic Rotate action (${listed}): the key is never rotated by Key Vault`);
  // A Rotate action fires on a trigger: some time after a version is created, or some time before it
  // expires; the latter needs the policy to give new versions an expiry, or it fires at most once.
  const expiresIn = evidence.rotationPolicy.expiresIn;
  const firing = rotate.filter((action) => action.timeAfterCreate || (action.timeBeforeExpiry && expiresIn));
  if (firing.length === 0) {
    return failed(`the rotation policy of ${where} has a Rotate action that never fires on its own (${listed}; new versions expire ${expiresIn ? `after ${expiresIn}` : 'never: the policy sets no expiry time'}): a 'before expiry' trigger needs versions that expire, and an action without a trigger is never taken`);
  }
  if (evidence.serverVersion && evidence.currentVersion && evidence.serverVersion !== evidence.currentVersion) {
    return failed(`${evidence.server} is pinned to version ${evidence.serverVersion} of ${where}, not the current ${evidence.currentVersion}: rotations do not reach the server`);
  }
  if (evidence.serverVersion && !evidence.currentVersion) return undecided(`the current version of ${where} was not returned, so whether ${evidence.server} follows it cannot be told`);
  const follows = evidence.serverVersion ? `uses the current version ${evidence.currentVersion}` : 'names the key without a version, so it follows each new one';
  return passed(`the rotation policy of ${where} rotates automatically (${listed}${expiresIn ? `; new versions expire after ${expiresIn}` : ''}) and ${evidence.server} ${follows}`);
}

export const cmkRotationCheck = defineCheck<CmkRotationEvidence>({
  id: 'rest.cmk-rotation',
  evidenceTitle: "the key's rotation policy and the version the server uses",
  async read(context) {
    const facts = await cmkFacts(context);
    const geo = facts.geoBackup?.key;
    return {
      plane: facts.plane,
      server: facts.server.name,
      key: facts.key.keyUri,
      rotationPolicy: facts.key.rotationPolicy,
      serverVersion: facts.key.serverVersion,
      currentVersion: facts.key.currentVersion,
      ...(geo ? { geoBackup: { key: geo.keyUri, rotationPolicy: geo.rotationPolicy, serverVersion: geo.serverVersion, currentVersion: geo.currentVersion } } : {}),
    };
  },
  judge: judgeCmkRotation,
});
