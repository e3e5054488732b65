import type { Document } from 'mongodb';

/** Every stage of a plan tree. */
export function stages(plan: Document): Document[] {
  const inputs = [plan.inputStage, ...((plan.inputStages as Document[] | undefined) ?? [])].filter(Boolean);
  return [plan, ...inputs.flatMap((input: Document) => stages(input))];
}

/** Every stage of the winning plan of an `explain()` answer (classic or slot-based engine). */
export function winningStages(explained: Document): Document[] {
  const winning = (explained.queryPlanner as Document).winningPlan as Document;
  return stages((winning.queryPlan as Document | undefined) ?? winning);
}
