import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoPlaneTargets } from '../../src/lab/azure-stand-in/demo-plane-targets.js';
import { PLANE_CHECKS } from '../../src/probes/plane/plane-checks.js';
import { observeWith } from '../../src/probes/control-observation.js';
import { TargetContext } from '../../src/probes/target-context.js';
import type { AzureStandIn } from '../../src/lab/azure-stand-in/azure-stand-in.js';
import type { Target } from '../../src/targets/target.js';

let demo: { targets: Target[]; standIn: AzureStandIn };
before(async () => {
  demo = await startDemoPlaneTargets('strict');
});
after(async () => {
  await demo?.standIn.stop();
});

test('the demo plane targets: every plane control passes on one of them and fails on another (strict, Azure stand-in)', async () => {
  const outcomes = new Map<string, Set<string>>();
  for (const target of demo.targets) {
    const context = new TargetContext(target);
    for (const check of PLANE_CHECKS) {
      if (!outcomes.has(check.id)) outcomes.set(check.id, new Set());
      const observation = await observeWith(check, context);
      const verdict = observation.kind === 'observed' ? check.judge(observation.evidence, target).verdict : observation.kind;
      outcomes.get(check.id)!.add(`${verdict}`);
    }
  }
  for (const check of PLANE_CHECKS) {
    const seen = outcomes.get(check.id)!;
    assert.ok(seen.has('passed') && seen.has('failed'), `${check.id}: ${[...seen].join(', ')}`);
    assert.ok(!seen.has('unobservable'), `${check.id} was undecided on a demo target`);
  }
  assert.equal(demo.targets.length, 3);
});
