import type { Target } from '../targets/target.js';
import { TargetContext } from './target-context.js';

/**
 * The live context of each target being assessed, by target name. Cucumber hands its world only
 * JSON parameters, so the world finds its target's context here; the runner releases and closes
 * it when the target's run ends.
 */
const contexts = new Map<string, TargetContext>();

export function contextFor(target: Target): TargetContext {
  let context = contexts.get(target.name);
  if (!context) {
    context = new TargetContext(target);
    contexts.set(target.name, context);
  }
  return context;
}

/** Forgets the target's context and closes everything it opened; returns it for last questions (the server version). */
export async function releaseContext(targetName: string): Promise<TargetContext | undefined> {
  const context = contexts.get(targetName);
  contexts.delete(targetName);
  await context?.close();
  return context;
}
