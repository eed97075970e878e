import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockName } from '../../src/apply/lock.js';
import { LOCK_ACTIONS, REPLICATION_ACTIONS, UNSCOPED_ACTIONS } from '../../src/iam/actions.js';
import { buildPolicy, policyActions, type Statement } from '../../src/iam/policy.js';
import { loadConfig } from '../../src/lambda/config.js';
import { parseEvent } from '../../src/lambda/events.js';
import { DEFAULT_OWNERSHIP_TAG, parseManifest } from '../../src/manifest/index.js';
import { startEndpoint } from '../endpoint/index.js';
import { refused, requestsOf, stateView } from '../iam/authorize.js';
import { evaluate, parseTemplate } from './cfn.js';
import { FIXTURES, fixture, testHandler, trailEvent } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
const TEMPLATE_PATH = join(ROOT, 'config/lambda/template.yaml');
const template = parseTemplate(readFileSync(TEMPLATE_PATH, 'utf8'));
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation document is untyped JSON, read by path in assertions.
type Doc = any;
const raw = template.Resources as Record<string, { Type: string; Condition?: string; Properties: Doc }>;
/** build.mjs is plain JS without types; its entry list says where the Lambda bundle goes. */
const BUILD = '../../build.mjs';
const { entries } = (await import(BUILD)) as { entries: { outfile: string }[] };

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PARAMETERS = {
  DestinationRegions: 'us-east-1,eu-west-1',
  Paths: '/prod/app,/prod/api',
  KmsKeyArns: KEY,
};
type Resource = { Type: string; Properties: Doc };
const deployed = (parameters: Record<string, string> = PARAMETERS) =>
  evaluate(template, { parameters }) as Record<string, Resource>;

/** The statements the code's calls need: everything but the platform's (logs, the failure queue). */
function replicationStatements(resources: Record<string, Resource>): Statement[] {
  const out: Statement[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of r.Properties.Policies)
        if (p.PolicyName !== 'platform') out.push(...p.PolicyDocument.Statement);
    }
    if (r.Type === 'AWS::IAM::RolePolicy') out.push(...r.Properties.PolicyDocument.Statement);
  }
  return out;
}
const actionsOf = (statements: { Action: string | string[] }[]) =>
  [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();

/** The manifest a deployment with PARAMETERS describes. */
const equivalent = parseManifest(
  `version: 1
source: { region: ap-south-1 }
replications:
  - name: prod
    paths: [/prod/app, /prod/api]
    destinations:
      - { region: us-east-1, kms-key-id: ${KEY} }
      - { region: eu-west-1 }
`,
  'equivalent.yaml',
).manifest;

/**
 * EventBridge matching for the pattern features the template uses: literal lists, nested objects, and
 * `anything-but` a prefix (which, like EventBridge, matches only string values).
 */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  const value = (p: unknown, v: unknown) => {
    const but = (p as { 'anything-but'?: { prefix?: string } } | null)?.['anything-but']?.prefix;
    return but === undefined ? p === v : typeof v === 'string' && !v.startsWith(but);
  };
  return Object.entries(pattern).every(([k, p]) =>
    Array.isArray(p)
      ? p.some((option) => value(option, event[k]))
      : typeof event[k] === 'object' &&
        matches(p as Record<string, unknown>, event[k] as Record<string, unknown>),
  );
}

describe('config/lambda/template.yaml', () => {
  it('deploys the bundle the build writes: Node 24 on arm64, index.handler, code from the package step', () => {
    const fn = raw.Function?.Properties;
    // nodejs22.x is deprecated on 2027-04-30: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    const lambda = entries.find((e) => e.outfile.startsWith('dist/lambda/'));
    expect(lambda?.outfile).toBe('dist/lambda/index.mjs');
    expect(join(ROOT, 'config/lambda', fn.Code)).toBe(join(ROOT, 'dist/lambda'));
  });

  it('routes both rules through an SQS queue into the function, in batches with partial batch responses', () => {
    const resources = deployed({ ...PARAMETERS, EnableCloudTrailRule: 'true' });
    expect(resources.EventsQueue?.Type).toBe('AWS::SQS::Queue');
    for (const rule of ['NativeEventsRule', 'CloudTrailEventsRule'])
      expect(resources[rule]?.Properties.Targets, rule).toEqual([
        { Id: 'replicate', Arn: 'EventsQueue.Arn' },
      ]);
    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]?.Properties;
    expect(mapping).toMatchObject({
      EventSourceArn: 'EventsQueue.Arn',
      FunctionName: '{Ref Function}',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: '2' },
    });
    // A batch size above 10 needs a batching window of at least one second.
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
    expect(Number(mapping.BatchSize)).toBeGreaterThan(10);
    expect(Number(mapping.MaximumBatchingWindowInSeconds)).toBeGreaterThanOrEqual(1);
    const params = template.Parameters as Record<string, { MinValue?: number; MaxValue?: number }>;
    expect(params.BatchingWindowInSeconds?.MinValue).toBeGreaterThanOrEqual(1);
    expect(params.BatchingWindowInSeconds?.MaxValue).toBeLessThanOrEqual(300);
    // No asynchronous invocation is left: nothing but the queue invokes the function.
    const kinds = Object.values(resources).map((r) => r.Type);
    expect(kinds).not.toContain('AWS::Lambda::Permission');
    expect(kinds).not.toContain('AWS::Lambda::EventInvokeConfig');
  });

  it('keeps the queue visibility timeout at six times the function timeout at least', () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    const timeout = raw.Function?.Properties.Timeout;
    expect(raw.EventsQueue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('moves an event that failed MaxReceiveCount times to the failure queue', () => {
    const queue = deployed().EventsQueue?.Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: 'FailureQueue.Arn', maxReceiveCount: '5' });
    expect(raw.FailureQueue?.Type).toBe('AWS::SQS::Queue');
    // The failure queue keeps messages longer than the events queue, so a redriven event never expires first.
    expect(raw.FailureQueue?.Properties.MessageRetentionPeriod).toBeGreaterThan(
      raw.EventsQueue?.Properties.MessageRetentionPeriod,
    );
  });

  it('lets only its own rules send to the events queue', () => {
    const policy = (p: Record<string, string>) =>
      Object.values(deployed(p)).find((r) => r.Type === 'AWS::SQS::QueuePolicy')?.Properties;
    const withTrail = policy({ ...PARAMETERS, EnableCloudTrailRule: 'true' });
    expect(withTrail.Queues).toEqual(['{Ref EventsQueue}']);
    expect(withTrail.PolicyDocument.Statement).toEqual([
      {
        Sid: 'EventBridgeRules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: 'EventsQueue.Arn',
        Condition: {
          ArnEquals: { 'aws:SourceArn': ['NativeEventsRule.Arn', 'CloudTrailEventsRule.Arn'] },
        },
      },
    ]);
    const nativeOnly = policy(PARAMETERS);
    expect(nativeOnly.PolicyDocument.Statement[0].Condition.ArnEquals['aws:SourceArn']).toEqual([
      'NativeEventsRule.Arn',
    ]);
  });

  it('grants the function exactly what the event source mapping needs on the events queue, and no other queue action', () => {
    const platform = deployed().Role?.Properties.Policies.find((p: Doc) => p.PolicyName === 'platform');
    const sqs = platform.PolicyDocument.Statement.filter((s: Statement) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('sqs:')),
    );
    expect(sqs).toEqual([
      {
        Sid: 'EventsQueue',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: 'EventsQueue.Arn',
      },
    ]);
    const everyAction = Object.values(deployed())
      .filter((r) => r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::RolePolicy')
      .flatMap((r) =>
        r.Type === 'AWS::IAM::Role'
          ? r.Properties.Policies.flatMap((p: Doc) => p.PolicyDocument.Statement)
          : r.Properties.PolicyDocument.Statement,
      );
    expect(actionsOf(everyAction).filter((a) => a.startsWith('sqs:'))).toEqual([
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
  });

  it('caps concurrency with the event source mapping and reserves none unless asked', () => {
    // A new account's concurrency quota is 10 and Lambda keeps 10 unreserved, so any reservation would fail
    // the deployment ("decreases account's UnreservedConcurrentExecution below its minimum value of [10]").
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    const params = template.Parameters as Record<string, { Default?: unknown; AllowedPattern?: string }>;
    expect(params.ReservedConcurrency?.Default).toBe('');
    const byDefault = deployed();
    expect(byDefault.Function?.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    const mapping = Object.values(byDefault).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: '2' });
    expect(byDefault.Function?.Properties.Environment.Variables.SSM_REPLICATE_INSTANCES).toBe('2');

    const reserved = deployed({ ...PARAMETERS, ReservedConcurrency: '3', MaximumConcurrency: '3' });
    expect(reserved.Function?.Properties.ReservedConcurrentExecutions).toBe('3');
    expect(reserved.Function?.Properties.Environment.Variables.SSM_REPLICATE_INSTANCES).toBe('3');
    const pattern = new RegExp(params.ReservedConcurrency?.AllowedPattern ?? '');
    expect(['', '2', '10'].filter((v) => pattern.test(v))).toEqual(['', '2', '10']);
    expect(['0', '1', '11', 'x'].filter((v) => pattern.test(v))).toEqual([]);
  });

  it('logs to its own log group with a retention', () => {
    expect(raw.LogGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(raw.LogGroup?.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
    expect(raw.Function?.Properties.LoggingConfig.LogGroup).toEqual({ Ref: 'LogGroup' });
  });

  it('routes the native sample events to the always-on rule and the CloudTrail samples to the optional one', () => {
    const native = raw.NativeEventsRule;
    const trail = raw.CloudTrailEventsRule;
    expect(native?.Condition).toBeUndefined();
    expect(trail?.Condition).toBe('CloudTrailRule');
    for (const file of ['native-create.json', 'native-update.json', 'native-delete.json']) {
      expect(matches(native?.Properties.EventPattern, fixture(file)), file).toBe(true);
      expect(matches(trail?.Properties.EventPattern, fixture(file)), file).toBe(false);
    }
    for (const file of [
      'cloudtrail-put-parameter.json',
      'cloudtrail-delete-parameter.json',
      'cloudtrail-delete-parameters.json',
    ]) {
      expect(matches(trail?.Properties.EventPattern, fixture(file)), file).toBe(true);
      expect(matches(native?.Properties.EventPattern, fixture(file)), file).toBe(false);
    }
    expect(FIXTURES).toBeTruthy();
  });

  it('does not invoke the function for changes to the apply lock, which every apply writes in the source', () => {
    const native = raw.NativeEventsRule?.Properties.EventPattern;
    const event = fixture('native-update.json') as { detail: Record<string, unknown> };
    const lock = { ...event, detail: { ...event.detail, name: 'lock.ssm-replicate.default' } };

    expect(matches(native, event)).toBe(true);
    expect(matches(native, lock)).toBe(false);
  });

  it('subscribes the CloudTrail rule only to calls the handler acts on', () => {
    const names: string[] = raw.CloudTrailEventsRule?.Properties.EventPattern.detail.eventName;
    for (const eventName of names) {
      const event = fixture('cloudtrail-put-parameter.json');
      event.detail.eventName = eventName;
      event.detail.requestParameters = {
        name: '/a/b',
        names: ['/a/b'],
        resourceType: 'Parameter',
        resourceId: '/a/b',
      };
      expect(parseEvent(event).kind, eventName).toBe('names');
    }
  });

  it('grants exactly the IAM actions the code calls, the same set the iam-policy command prints', () => {
    const statements = replicationStatements(deployed());
    expect(actionsOf(statements)).toEqual([...REPLICATION_ACTIONS]);
    const { policy } = buildPolicy(equivalent, { account: '123456789012', kmsKeyArns: [KEY] });
    expect(policyActions(policy)).toEqual([...REPLICATION_ACTIONS]);
  });

  it('may assume exactly the role-arn roles of a cross-account manifest, the ones iam-policy names, and none by default', () => {
    const cross = parseManifest(
      `version: 1
source: { region: ap-south-1, role-arn: 'arn:aws:iam::333333333333:role/source-reader' }
replications:
  - name: prod
    paths: [/prod/app]
    destinations:
      - { region: us-east-1, role-arn: 'arn:aws:iam::222222222222:role/replicator' }
      - { region: eu-west-1 }
`,
      'cross.yaml',
    ).manifest;
    const roles = [
      cross.source.roleArn,
      ...cross.replications.flatMap((r) => r.destinations.map((d) => d.roleArn)),
    ]
      .filter((r): r is string => r !== undefined)
      .join(',');
    const statements = replicationStatements(deployed({ ...PARAMETERS, RoleArns: roles }));
    const assume = statements.filter((s) => actionsOf([s]).includes('sts:AssumeRole'));
    expect(assume).toEqual([
      {
        Sid: 'AssumeReplicationRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [
          'arn:aws:iam::333333333333:role/source-reader',
          'arn:aws:iam::222222222222:role/replicator',
        ],
      },
    ]);
    const { policy } = buildPolicy(cross, { account: '123456789012', for: 'lambda' });
    expect([...((assume[0]?.Resource ?? []) as string[])].sort()).toEqual(
      policy.Statement.find((s) => s.Sid === 'AssumeReplicationRoles')?.Resource,
    );
    expect(actionsOf(replicationStatements(deployed()))).not.toContain('sts:AssumeRole');
  });

  it("grants the lock's actions, and only those, on the lock's name in the source region", () => {
    const lock = replicationStatements(deployed()).filter((s) => s.Sid === 'ApplyLock');
    expect(lock).toHaveLength(1);
    expect(lock[0]?.Action).toEqual([...LOCK_ACTIONS]);
    const { policy } = buildPolicy(equivalent, { account: '123456789012', kmsKeyArns: [KEY] });
    const resource = lock[0]?.Resource;
    expect(Array.isArray(resource) ? resource : [resource]).toEqual(
      policy.Statement.find((s) => s.Sid === 'ApplyLock')?.Resource,
    );
    expect(JSON.stringify(resource)).toContain(`:parameter/${lockName('default')}`);
  });

  it('scopes parameter access to the paths: read in the source region, delete only replicas with the ownership tag', () => {
    const statements = replicationStatements(deployed());
    const bySid = (sid: string) => statements.filter((s) => s.Sid === sid);
    const reads = bySid('ReadSource')
      .flatMap((s) => s.Resource as string[])
      .sort();
    const { policy } = buildPolicy(equivalent, { account: '123456789012' });
    expect(reads).toEqual(policy.Statement.find((s) => s.Sid === 'ReadSource')?.Resource);
    for (const s of bySid('WriteDestinations')) {
      expect(s.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } });
    }
    const deletes = bySid('DeleteOwnedReplicas');
    expect(deletes).toHaveLength(2);
    for (const s of deletes) {
      expect(s.Condition?.StringEquals).toMatchObject({
        [`ssm:resourceTag/${DEFAULT_OWNERSHIP_TAG.key}`]: DEFAULT_OWNERSHIP_TAG.value,
      });
    }
    for (const s of statements) {
      expect(s.Sid).toEqual(expect.any(String));
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      for (const a of actions) expect(a).not.toMatch(/\*/);
      if (s.Resource === '*') expect(UNSCOPED_ACTIONS).toEqual(expect.arrayContaining(actions));
    }
  });

  it('uses KMS keys only through Parameter Store, and grants none when no customer key is named', () => {
    const named = replicationStatements(deployed()).find((s) => s.Sid === 'NamedKeysThroughParameterStore');
    expect(named).toMatchObject({
      Resource: [KEY],
      Condition: { StringLike: { 'kms:ViaService': 'ssm.*.amazonaws.com' } },
    });
    const none = replicationStatements(deployed({ ...PARAMETERS, KmsKeyArns: '' }));
    expect(none.find((s) => s.Sid === 'NamedKeysThroughParameterStore')).toBeUndefined();
  });

  it("configures the function like the seed's variables, or from Manifest alone, and both load", async () => {
    const seedEnv = deployed().Function?.Properties.Environment.Variables;
    expect(seedEnv).toMatchObject({
      DEST_REGIONS: 'us-east-1,eu-west-1',
      PARAM_PATHS: '/prod/app,/prod/api',
      DRY_RUN: 'false',
    });
    expect(seedEnv.SSM_REPLICATE_MANIFEST).toBeUndefined();
    const fromParams = await loadConfig({
      env: { ...seedEnv, AWS_REGION: 'ap-south-1' },
      readFile: async () => '',
      bundleDir: '/var/task',
    });
    expect(fromParams.manifest.replications[0]?.destinations.map((d) => d.region)).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);

    const manifest =
      '{version: 1, source: {region: ap-south-1}, replications: [{name: p, paths: [/prod/app], destinations: [{region: us-east-1}]}]}';
    const inlineEnv = deployed({ ...PARAMETERS, Manifest: manifest, DestinationKmsKeyId: 'alias/x' }).Function
      ?.Properties.Environment.Variables;
    expect(Object.keys(inlineEnv).sort()).toEqual([
      'DRY_RUN',
      'SSM_REPLICATE_INSTANCES',
      'SSM_REPLICATE_MANIFEST',
    ]);
    const fromManifest = await loadConfig({
      env: { ...inlineEnv, AWS_REGION: 'ap-south-1' },
      readFile: async () => '',
      bundleDir: '/var/task',
    });
    expect(fromManifest.origin).toBe('SSM_REPLICATE_MANIFEST');
  });

  it('reads the manifest from a file in the package when ManifestFile names one, and refuses paths out of it', async () => {
    const env = deployed({ ...PARAMETERS, ManifestFile: 'config/replication.yaml' }).Function?.Properties
      .Environment.Variables;
    expect(env.SSM_REPLICATE_MANIFEST).toBe('file:config/replication.yaml');
    expect(Object.keys(env).sort()).toEqual(['DRY_RUN', 'SSM_REPLICATE_INSTANCES', 'SSM_REPLICATE_MANIFEST']);
    const reads: [string, string | undefined][] = [];
    const loaded = await loadConfig({
      env: { ...env, AWS_REGION: 'ap-south-1' },
      readFile: async (path, within) => {
        reads.push([path, within]);
        return readFileSync(join(ROOT, 'config/replication.yaml'), 'utf8');
      },
      bundleDir: '/var/task',
    });
    expect(reads).toEqual([['/var/task/config/replication.yaml', '/var/task']]);
    expect(loaded.manifest.replications.map((r) => r.name)).toEqual(['prod-app']);
    // The S3 object wins over the file, as the README says.
    const both = deployed({
      ...PARAMETERS,
      ManifestFile: 'replication.yaml',
      ManifestS3Bucket: 'config-bucket',
      ManifestS3Key: 'ssm/replication.yaml',
    }).Function?.Properties.Environment.Variables;
    expect(both.SSM_REPLICATE_MANIFEST).toBe('s3://config-bucket/ssm/replication.yaml');

    const params = template.Parameters as Record<string, { AllowedPattern?: string }>;
    const pattern = new RegExp(params.ManifestFile?.AllowedPattern ?? '');
    const allowed = ['', 'replication.yaml', 'config/replication.yaml', 'a/..b/c..yaml', './x.yaml'];
    expect(allowed.filter((v) => pattern.test(v))).toEqual(allowed);
    const refusedPaths = ['/etc/passwd', '../x.yaml', 'config/../../x.yaml', 'a/..', '..', 'a b.yaml'];
    expect(refusedPaths.filter((v) => pattern.test(v))).toEqual([]);
  });

  it('reads the manifest from an S3 object when one is named, and grants s3:GetObject on that object alone', async () => {
    const resources = deployed({
      ...PARAMETERS,
      ManifestS3Bucket: 'config-bucket',
      ManifestS3Key: 'ssm/replication.yaml',
    });
    const env = resources.Function?.Properties.Environment.Variables;
    expect(env.SSM_REPLICATE_MANIFEST).toBe('s3://config-bucket/ssm/replication.yaml');
    expect(Object.keys(env).sort()).toEqual(['DRY_RUN', 'SSM_REPLICATE_INSTANCES', 'SSM_REPLICATE_MANIFEST']);
    const s3 = replicationStatements(resources).filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('s3:')),
    );
    expect(s3).toEqual([
      {
        Sid: 'ReadManifestObject',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::config-bucket/ssm/replication.yaml',
      },
    ]);
    for (const p of [PARAMETERS, { ...PARAMETERS, ManifestS3Bucket: 'config-bucket' }]) {
      const none = replicationStatements(deployed(p));
      expect(actionsOf(none).filter((a) => a.startsWith('s3:'))).toEqual([]);
    }
    const loaded = await loadConfig({
      env: { ...env, AWS_REGION: 'ap-south-1' },
      readFile: async () => '',
      readObject: async (location) => {
        expect(location).toEqual({ bucket: 'config-bucket', key: 'ssm/replication.yaml' });
        return new TextEncoder().encode(readFileSync(join(ROOT, 'config/replication.yaml'), 'utf8'));
      },
      bundleDir: '/var/task',
    });
    expect(loaded.manifest.replications.map((r) => r.name)).toEqual(['prod-app']);
  });
});

describe('config/lambda/template.yaml with a cross-account manifest, against the call log', () => {
  const ROLE = 'arn:aws:iam::222222222222:role/ssm-replicate-destination';
  const crossManifest = `version: 1
source: { region: ap-south-1 }
replications:
  - name: prod
    paths: [/prod/app]
    destinations:
      - { region: us-east-1 }
      - { region: eu-west-1, role-arn: '${ROLE}' }
`;
  const parameters = {
    DestinationRegions: 'us-east-1',
    Paths: '/prod/app',
    RoleArns: ROLE,
  };

  it('lets the function make every call a cross-account replication makes in its own account', async () => {
    const ep = await startEndpoint({ recordInputs: true });
    try {
      ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/A', value: 'a', type: 'String' });
      ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/S', value: 's', type: 'SecureString' });
      const before = ep.state.snapshot();
      const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: crossManifest });
      await expect(handler(trailEvent('PutParameter', ['/prod/app/S']))).resolves.toMatchObject({
        decision: 'replicated',
      });
      expect(ep.state.getParameter('222222222222', 'eu-west-1', '/prod/app/S')).toBeDefined();
      const view = stateView(ep.state, before);
      const own = ep.calls({ account: '123456789012' });
      const requests = own.flatMap((c) => requestsOf(c, view));
      expect(requests.map((r) => r.action)).toContain('sts:AssumeRole');
      const statements = replicationStatements(deployed(parameters));
      expect(refused(statements, requests)).toEqual([]);
      // Without the role in RoleArns the same calls are refused.
      const without = replicationStatements(deployed({ ...parameters, RoleArns: '' }));
      expect(refused(without, requests)).toEqual([
        `implicit-deny sts:AssumeRole ${ROLE} (eu-west-1 AssumeRole)`,
      ]);
    } finally {
      await ep.stop();
    }
  });
});
