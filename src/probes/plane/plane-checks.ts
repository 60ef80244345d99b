import { CATALOGUE } from '../../controls/catalogue.js';
import type { Check } from '../check.js';
import { CHECKS } from '../checks.js';

/** The checks of every control decided on the Azure control plane (the catalogue's `plane` entries). */
export const PLANE_CHECKS: ReadonlyArray<Check<any>> = CATALOGUE.filter((control) => control.plane).map((control) => CHECKS[control.id]);
