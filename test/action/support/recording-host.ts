import type { ActionHost, AnnotationProperties, CancelSignal } from '../../../src/action/host.js';

export interface Recorded {
  kind: string;
  message: string;
  properties?: AnnotationProperties;
}

/** The runner as run() sees it, recording every call in order. */
export class RecordingHost implements ActionHost {
  readonly log: Recorded[] = [];
  readonly outputs: Record<string, string> = {};
  readonly summaries: string[] = [];
  failed: string | undefined;
  constructor(private readonly inputs: Record<string, string>) {}
  getInput = (name: string) => this.inputs[name] ?? '';
  setOutput = (name: string, value: string) => {
    this.outputs[name] = value;
  };
  setSecret = (value: string) => this.log.push({ kind: 'secret', message: value });
  info = (message: string) => this.log.push({ kind: 'info', message });
  notice = (message: string, properties?: AnnotationProperties) =>
    this.log.push({ kind: 'notice', message, ...(properties ? { properties } : {}) });
  warning = (message: string, properties?: AnnotationProperties) =>
    this.log.push({ kind: 'warning', message, ...(properties ? { properties } : {}) });
  error = (message: string, properties?: AnnotationProperties) =>
    this.log.push({ kind: 'error', message, ...(properties ? { properties } : {}) });
  setFailed = (message: string) => {
    this.failed = message;
  };
  writeSummary = async (markdown: string) => {
    this.summaries.push(markdown);
  };
  /** What the run registered for the runner's stop signals; `cancel` plays the runner sending one. */
  readonly cancelListeners: ((signal: CancelSignal) => void)[] = [];
  onCancel = (listener: (signal: CancelSignal) => void) => {
    this.cancelListeners.push(listener);
  };
  cancel(signal: CancelSignal): void {
    for (const listener of this.cancelListeners) listener(signal);
  }
  of(kind: string): Recorded[] {
    return this.log.filter((r) => r.kind === kind);
  }
}
