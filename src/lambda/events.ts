/**
 * What an EventBridge event tells us: only that some names in some region may have changed. Nothing else
 * in it is used — `requestParameters.value` is always HIDDEN_DUE_TO_SECURITY_REASONS, and delivery is at
 * least once and unordered, so the handler re-reads the source and converges.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html
 */
export type EventIntent =
  | { kind: 'names'; region: string; names: string[]; trigger: string; change: Change }
  | { kind: 'ignore'; reason: string };

/**
 * write: the call created, updated or tagged the names, so they existed right after it; a source read
 * that finds none of them is incomplete (or the name was deleted since), never a reason to delete.
 * delete: the names were deleted (or expired); one that exists again is simply in line.
 */
export type Change = 'write' | 'delete';

interface Envelope {
  'detail-type'?: unknown;
  region?: unknown;
  detail?: Record<string, unknown> | null;
}

const CLOUDTRAIL = 'AWS API Call via CloudTrail';
const NATIVE = 'Parameter Store Change';
const POLICY = 'Parameter Store Policy Action';

/** A name may arrive as an ARN; the ARN's resource part is `parameter` + name (`parameter/` + name for bare names). */
function nameOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (!raw.startsWith('arn:')) return raw;
  const i = raw.indexOf(':parameter/');
  return i < 0 ? undefined : raw.slice(i + ':parameter'.length);
}

function names(list: unknown[]): string[] {
  return [...new Set(list.map(nameOf).filter((n): n is string => n !== undefined))];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parseEvent(event: unknown): EventIntent {
  const e = (event ?? {}) as Envelope;
  const type = str(e['detail-type']);
  const detail = e.detail ?? {};
  const region = str(detail.awsRegion) ?? str(e.region);
  if (!region) return { kind: 'ignore', reason: 'event has no region' };

  if (type === CLOUDTRAIL) {
    const eventName = str(detail.eventName) ?? '';
    if (str(detail.eventSource) !== 'ssm.amazonaws.com')
      return { kind: 'ignore', reason: `not an SSM event (${eventName})` };
    if (detail.errorCode !== undefined && detail.errorCode !== null) {
      return {
        kind: 'ignore',
        reason: `failed ${eventName} call (${String(detail.errorCode)}) changed nothing`,
      };
    }
    const req = (detail.requestParameters ?? {}) as Record<string, unknown>;
    switch (eventName) {
      case 'PutParameter':
        return found(region, names([req.name]), eventName, 'write');
      case 'DeleteParameter':
        return found(region, names([req.name]), eventName, 'delete');
      case 'DeleteParameters':
        return found(region, names(Array.isArray(req.names) ? req.names : []), eventName, 'delete');
      case 'AddTagsToResource':
      case 'RemoveTagsFromResource':
        if (req.resourceType !== 'Parameter')
          return { kind: 'ignore', reason: `${eventName} on a ${String(req.resourceType)}` };
        return found(region, names([req.resourceId]), eventName, 'write');
      case 'LabelParameterVersion':
        return { kind: 'ignore', reason: 'labels are not replicated' };
      default:
        return { kind: 'ignore', reason: `${eventName} does not change parameters` };
    }
  }
  if (type === NATIVE) {
    const operation = str(detail.operation) ?? '';
    if (operation === 'Create' || operation === 'Update' || operation === 'Delete') {
      const change = operation === 'Delete' ? 'delete' : 'write';
      return found(region, names([detail.name]), `${NATIVE} ${operation}`, change);
    }
    return { kind: 'ignore', reason: `${NATIVE} ${operation || '(no operation)'} is not replicated` };
  }
  if (type === POLICY) {
    if (detail['policy-type'] !== 'Expiration')
      return { kind: 'ignore', reason: `${String(detail['policy-type'])} changes nothing` };
    return found(region, names([detail['parameter-name']]), `${POLICY} Expiration`, 'delete');
  }
  return { kind: 'ignore', reason: `unsupported detail-type ${type ?? '(none)'}` };
}

function found(region: string, list: string[], trigger: string, change: Change): EventIntent {
  if (list.length === 0) return { kind: 'ignore', reason: `${trigger} event names no parameter` };
  return { kind: 'names', region, names: list, trigger, change };
}
