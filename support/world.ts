import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import type { Target } from '../src/targets/target.js';
import type { TargetProbes } from '../src/probes/target-probes.js';
import { probesFor } from '../src/probes/probe-registry.js';
import { redactDeep } from '../src/report/redact.js';
import type { Finding } from '../src/probes/finding.js';

export interface DbcomplyParameters {
  target: Target;
  /** The controls the run's tag expression selects: their probes start together at the first scenario. */
  selectedControls: string[];
}

/** The actor: one target under test, with the abilities (handshake, scan, log in) its probes give. */
export class ComplianceWorld extends World<DbcomplyParameters> {
  readonly target: Target;
  readonly probes: TargetProbes;

  constructor(options: IWorldOptions<DbcomplyParameters>) {
    super(options);
    this.target = options.parameters.target;
    this.probes = probesFor(this.target);
  }

  /** What the scenario's When step observed, for its Then step to judge. */
  finding?: Finding;

  /** Keeps a probe's finding for the Then step and attaches its evidence. */
  async observe(title: string, finding: Promise<Finding>): Promise<void> {
    this.finding = await finding;
    this.evidence(title, this.finding.evidence);
  }

  /** Evidence goes into the report as JSON, through the redaction gate. */
  evidence(title: string, data: unknown): void {
    this.attach(JSON.stringify(redactDeep(data), null, 2), { mediaType: 'application/json', fileName: title });
  }
}

setWorldConstructor(ComplianceWorld);
