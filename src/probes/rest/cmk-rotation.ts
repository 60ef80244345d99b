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

/**
 * One key: its policy must rotate it on its own, and the server must name it without a version.
 * A key URI with a version stays on that version, even when it is the current one today: Key
 * Vault's next rotation makes a new version the server never takes up (Azure's "automatic key
 * version updates" need the versionless URI).
 */
function judgeOneKeyRotation(evidence: Omit<CmkRotationEvidence, 'geoBackup'>): Judgement {
  const where = `${evidence.key} (${evidence.plane})`;
  const pinned = evidence.serverVersion
    ? `${evidence.server} is pinned to version ${evidence.serverVersion} of ${where}${evidence.currentVersion === evidence.serverVersion ? ', the current one today' : evidence.currentVersion ? `, not the current ${evidence.currentVersion}` : ''}: a key URI with a version stays on it, so Key Vault's rotations never reach the server (name the key without a version)`
    : undefined;
  const policy = judgeRotationPolicy(evidence.rotationPolicy, where);
  if (pinned) return failed(policy.verdict === 'failed' ? `${policy.reason}; and ${pinned}` : pinned);
  if (policy.verdict !== 'passed') return policy;
  return passed(`${policy.reason} and ${evidence.server} names the key without a version, so it follows each new one`);
}

/** Whether a rotation policy rotates the key on its own; a pass says what it does. */
function judgeRotationPolicy(policy: KeyFacts['rotationPolicy'], where: string): Judgement {
  if (!policy) return undecided(`the rotation policy of ${where} was not returned`);
  const rotate = policy.actions.filter((action) => action.action.toLowerCase() === 'rotate');
  const listed = policy.actions.map((action) => `${action.action} ${action.timeAfterCreate ? `after ${action.timeAfterCreate}` : action.timeBeforeExpiry ? `${action.timeBeforeExpiry} before expiry` : '(no trigger)'}`).join(', ') || 'no actions';
  if (rotate.length === 0) return failed(`the rotation policy of ${where} has no automatic Rotate action (${listed}): the key is never rotated by Key Vault`);
  // A Rotate action fires on a trigger: some time after a version is created, or some time before it
  // expires; the latter needs the policy to give new versions an expiry, or it fires at most once.
  const expiresIn = policy.expiresIn;
  const firing = rotate.filter((action) => action.timeAfterCreate || (action.timeBeforeExpiry && expiresIn));
  if (firing.length === 0) {
    return failed(`the rotation policy of ${where} has a Rotate action that never fires on its own (${listed}; new versions expire ${expiresIn ? `after ${expiresIn}` : 'never: the policy sets no expiry time'}): a 'before expiry' trigger needs versions that expire, and an action without a trigger is never taken`);
  }
  return passed(`the rotation policy of ${where} rotates automatically (${listed}${expiresIn ? `; new versions expire after ${expiresIn}` : ''})`);
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
