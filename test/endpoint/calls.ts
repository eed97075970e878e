/** Every request the endpoint saw, for assertions and the benchmark. */
export type ServiceName = 'ssm' | 'kms' | 'tagging' | 'sts' | 's3' | 'unknown';

export interface CallRecord {
  seq: number;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  account: string;
  region: string;
  service: ServiceName;
  operation: string;
  /** HTTP status; 0 when the connection was destroyed (region down). */
  status: number;
  errorCode?: string;
  durationMs: number;
  /** The request's WithDecryption, on the SSM reads that take it (GetParameter, GetParameters, ...). */
  withDecryption?: boolean;
  /**
   * SecureString values Parameter Store decrypted for this call: each is a KMS Decrypt it makes on the
   * caller's behalf (CloudTrail logs them as kms:Decrypt invoked by ssm.amazonaws.com, and the caller
   * needs kms:Decrypt on the key; https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html).
   */
  kmsDecrypts?: number;
  /**
   * The decoded request (JSON body or STS form), with `recordInputs` only: for evaluating an IAM policy
   * against the calls' resources (test/iam/authorize.ts). It can hold parameter values, so it is off by default.
   */
  input?: Record<string, unknown>;
}

export interface CallFilter {
  account?: string;
  region?: string;
  service?: ServiceName;
  operation?: string;
  /** Only calls that failed with this code. */
  errorCode?: string;
  /** true: only failed calls (status ≠ 200); false: only successful ones. */
  failed?: boolean;
}

function matches(call: CallRecord, filter: CallFilter): boolean {
  return (
    (filter.account === undefined || call.account === filter.account) &&
    (filter.region === undefined || call.region === filter.region) &&
    (filter.service === undefined || call.service === filter.service) &&
    (filter.operation === undefined || call.operation === filter.operation) &&
    (filter.errorCode === undefined || call.errorCode === filter.errorCode) &&
    (filter.failed === undefined || (call.status !== 200) === filter.failed)
  );
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  add(call: Omit<CallRecord, 'seq'>): void {
    this.seq += 1;
    this.records.push({ seq: this.seq, ...call });
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter((call) => matches(call, filter));
  }

  /** Counts keyed `region:Operation`, e.g. `{ 'eu-west-1:PutParameter': 3 }`. */
  counts(filter: CallFilter = {}): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.list(filter)) {
      const key = `${call.region}:${call.operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  reset(): void {
    this.records = [];
  }
}
