import { DEFAULT_MANIFEST_PATH } from '../manifest/index.js';

/** Every input name of action.yml, in one place. */
export const Inputs = {
  Manifest: 'manifest',
} as const;

export interface ActionInputs {
  manifestPath: string;
}

/** `getInput` is passed in so this parses without the Actions runtime in tests. */
export function parseActionInputs(getInput: (name: string) => string): ActionInputs {
  return { manifestPath: getInput(Inputs.Manifest).trim() || DEFAULT_MANIFEST_PATH };
}
