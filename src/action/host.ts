import type { OutputName } from './constants.js';

/** Where an annotation points: a file and line of the repository. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/**
 * The runner, as the run sees it: inputs, outputs, log, annotations, masking and the job summary. The
 * entry point maps it onto @actions/core; tests record it.
 */
export interface ActionHost {
  getInput(name: string): string;
  setOutput(name: OutputName, value: string): void;
  /** Masks the value in every later log line. */
  setSecret(value: string): void;
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  setFailed(message: string): void;
  /** Appends to the step's summary page. */
  writeSummary(markdown: string): Promise<void>;
  /**
   * Calls `listener` when the runner asks the step to stop: on a cancelled run or a job past its
   * timeout-minutes it sends SIGINT, then SIGTERM 7.5 s later, then kills the process 2.5 s after that
   * (https://docs.github.com/en/actions/reference/workflow-cancellation-reference). Only an apply
   * listens, so a plan or drift check still ends at once on the first signal.
   */
  onCancel(listener: (signal: CancelSignal) => void): void;
}

export type CancelSignal = 'SIGINT' | 'SIGTERM';
