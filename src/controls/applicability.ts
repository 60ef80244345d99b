import type { Target } from '../targets/target.js';
import { controlById, isControlId } from './catalogue.js';

/** Why a control is not judged on this target, or undefined when it must be judged. */
export function reasonNotApplicable(controlId: string, target: Target): string | undefined {
  if (!isControlId(controlId)) return `control ${controlId} is not in the catalogue`;
  const control = controlById(controlId);
  if (!control.engines.includes(target.engine)) return control.notOnEngineBecause?.[target.engine] ?? `${controlId} does not apply to ${target.engine} servers`;
  if (target.planeOnly && !control.plane) {
    return `${target.name} is assessed on the Azure plane only (the config gives its resource id but no url or host): ${controlId} needs to reach the server`;
  }
  if (!control.requiredIn.includes(target.profile) && !control.requiredByTarget?.(target)) {
    return control.notRequiredBecause?.[target.profile] ?? `the ${target.profile} profile does not require ${controlId}`;
  }
  if (control.intrusive && !target.intrusive) {
    return `${controlId} is an intrusive probe (it makes failed logins that can lock accounts or fill logs); enable it with --intrusive or "intrusive: true" on the target`;
  }
  return control.missingDeclaration?.(target);
}
