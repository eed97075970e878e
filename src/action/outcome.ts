import type { RunStatusValue } from './constants.js';

/** How a route ended: the `status` output, and the failure message when the step must go red. */
export interface Outcome {
  status: RunStatusValue;
  failure?: string;
}

export function isOutcome(value: object): value is Outcome {
  return 'status' in value;
}
