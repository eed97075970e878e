import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/lambda/events.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/events');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('parseEvent on the reference AWS event samples', () => {
  it.each([
    ['cloudtrail-put-parameter.json', 'ap-south-1', ['/prod/app/DB_PASSWORD']],
    ['cloudtrail-delete-parameter.json', 'ap-south-1', ['/prod/app/DB_HOST']],
    ['cloudtrail-delete-parameters.json', 'ap-south-1', ['/prod/api/JWT_SECRET', '/prod/api/API_KEY']],
    ['native-create.json', 'us-east-2', ['MyExampleParameter']],
    ['native-update.json', 'us-east-2', ['MyExampleParameter']],
    ['native-delete.json', 'us-east-2', ['MyExampleParameter']],
  ])('reads %s as names that may have changed, keeping names exactly as given', (file, region, names) => {
    expect(parseEvent(fixture(file))).toMatchObject({ kind: 'names', region, names });
  });

  it.each([
    ['cloudtrail-put-parameter.json', 'write'],
    ['cloudtrail-delete-parameter.json', 'delete'],
    ['cloudtrail-delete-parameters.json', 'delete'],
    ['native-create.json', 'write'],
    ['native-update.json', 'write'],
    ['native-delete.json', 'delete'],
  ])('tells from %s whether the names were written (so must exist) or deleted', (file, change) => {
    expect(parseEvent(fixture(file))).toMatchObject({ change });
  });

  it('covers every sample in the fixtures folder', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    for (const f of files) expect(parseEvent(fixture(f)).kind).toBe('names');
  });

  it('ignores a failed CloudTrail call', () => {
    const event = fixture('cloudtrail-put-parameter.json');
    event.detail.errorCode = 'ParameterAlreadyExists';
    expect(parseEvent(event)).toMatchObject({
      kind: 'ignore',
      reason: expect.stringMatching(/failed PutParameter/),
    });
  });

  it('ignores label changes from both event sources', () => {
    const native = fixture('native-update.json');
    native.detail.operation = 'LabelParameterVersion';
    const trail = fixture('cloudtrail-put-parameter.json');
    trail.detail.eventName = 'LabelParameterVersion';
    expect(parseEvent(native).kind).toBe('ignore');
    expect(parseEvent(trail).kind).toBe('ignore');
  });

  it('reads tag changes on parameters and ignores them on other resource types', () => {
    const event = fixture('cloudtrail-put-parameter.json');
    event.detail.eventName = 'AddTagsToResource';
    event.detail.requestParameters = { resourceType: 'Parameter', resourceId: '/prod/app/X', tags: [] };
    expect(parseEvent(event)).toMatchObject({ kind: 'names', names: ['/prod/app/X'] });
    event.detail.requestParameters.resourceType = 'Document';
    expect(parseEvent(event).kind).toBe('ignore');
  });

  it('turns a parameter ARN into its name', () => {
    const event = fixture('cloudtrail-delete-parameter.json');
    event.detail.requestParameters.name = 'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app/DB_HOST';
    expect(parseEvent(event)).toMatchObject({ names: ['/prod/app/DB_HOST'] });
  });

  it('reads a Parameter Store Policy Action Expiration and ignores notifications', () => {
    const expiration = {
      'detail-type': 'Parameter Store Policy Action',
      region: 'ap-south-1',
      detail: {
        'parameter-name': '/prod/app/TEMP',
        'policy-type': 'Expiration',
        'action-status': 'Finished',
      },
    };
    expect(parseEvent(expiration)).toMatchObject({ kind: 'names', names: ['/prod/app/TEMP'] });
    expect(
      parseEvent({ ...expiration, detail: { ...expiration.detail, 'policy-type': 'NoChangeNotification' } })
        .kind,
    ).toBe('ignore');
  });

  it('never reads the value in the event', () => {
    const intent = parseEvent(fixture('cloudtrail-put-parameter.json'));
    expect(JSON.stringify(intent)).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
  });

  it('ignores unknown detail-types and events without names', () => {
    expect(
      parseEvent({ 'detail-type': 'EC2 Instance State-change Notification', region: 'x', detail: {} }).kind,
    ).toBe('ignore');
    const empty = fixture('cloudtrail-delete-parameters.json');
    empty.detail.requestParameters.names = [];
    expect(parseEvent(empty).kind).toBe('ignore');
  });
});
