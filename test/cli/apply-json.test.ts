import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { OUTCOME_KEYS, RESULT_KEYS, TOTAL_KEYS } from '../../src/cli/apply-result.js';
import { runCliCaptured, useCliFixture } from '../support/cli.js';
import { SOURCE, seedFleet } from '../support/seed.js';

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8'));
const resultSchema = read('apply-result.schema.json');
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(read('plan.schema.json'));
const validate = ajv.compile(resultSchema);

const { ep, env, manifestPath, dir } = useCliFixture();
const SECRET = 'CANARY-JSON-51d0';
const cli = (command: string, ...argv: string[]) =>
  runCliCaptured([command, '--manifest', manifestPath(), ...argv], env());
const apply = (...argv: string[]) => cli('apply', ...argv);

beforeEach(() => {
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_HOST',
    value: 'db.internal',
    type: 'String',
  });
});

function parsed(stdout: string) {
  const doc = JSON.parse(stdout);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
}

describe('apply --format json', () => {
  it('prints one JSON document with the plan, every result and the totals, valid against its schema', async () => {
    const r = await apply('--format', 'json');
    expect(r.code, r.err).toBe(0);
    const doc = parsed(r.stdout);
    expect(doc.status).toBe('applied');
    expect(doc.plan.summary.creates).toBe(2);
    expect(doc.results.map((o: { name: string }) => o.name).sort()).toEqual([
      '/prod/app/DB_HOST',
      '/prod/app/DB_PASSWORD',
    ]);
    expect(
      doc.results.every(
        (o: { status: string; version: number }) => o.status === 'applied' && o.version === 1,
      ),
    ).toBe(true);
    expect(doc.summary).toEqual({ applied: 2, failed: 0, skipped: 0, drifted: 0 });
    expect(r.stdout + r.stderr + r.err).not.toContain(SECRET);
  });

  it('is still one valid document when the run is refused, the reasons also on stderr', async () => {
    const planFile = join(dir(), 'reviewed.json');
    expect((await cli('plan', '--out', planFile)).code).toBe(0);
    ep().state.putParameter({ region: SOURCE, name: '/prod/app/NEW', value: 'n', type: 'String' });
    const r = await apply('--format', 'json', '--plan', planFile);
    expect(r.code).toBe(1);
    const doc = parsed(r.stdout);
    expect(doc.status).toBe('refused');
    expect(doc.refused.reason).toBe('plan-changed');
    expect(doc.refused.differences).toContain('+ us-east-1 create /prod/app/NEW (not in the reviewed plan)');
    expect(doc.results).toEqual([]);
    expect(r.err).toMatch(/plan changed since review/);
  });

  it('reports failures per item and status failed, exit 1', async () => {
    ep().faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      count: 1,
      error: 'AccessDeniedException',
    });
    const r = await apply('--format', 'json');
    expect(r.code).toBe(1);
    const doc = parsed(r.stdout);
    expect(doc.status).toBe('failed');
    expect(doc.summary).toMatchObject({ applied: 1, failed: 1 });
    expect(doc.results.find((o: { status: string }) => o.status === 'failed').message).toMatch(
      /^AccessDeniedException: /,
    );
  });

  it('has a schema that lists exactly the keys the document is written with, in the same order', () => {
    const props = (s: { properties: object }) => Object.keys(s.properties);
    expect(props(resultSchema)).toEqual(Object.keys(RESULT_KEYS));
    expect(props(resultSchema.properties.results.items)).toEqual(Object.keys(OUTCOME_KEYS));
    expect(props(resultSchema.properties.summary)).toEqual(Object.keys(TOTAL_KEYS));
  });
});

describe('the apply report in text', () => {
  it('groups 60 identical failures into one line with a count and two examples', async () => {
    ep().state.reset();
    seedFleet(ep(), 60);
    ep().faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      count: 60,
      error: 'AccessDeniedException',
      message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:PutParameter',
    });
    const r = await apply();
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.includes('AccessDeniedException'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ {2}failed {2}us-east-1 60 × AccessDeniedException: User: arn:aws:iam::123456789012:user\/ci is not authorized to perform: ssm:PutParameter \(e\.g\. \/prod\/app\/p\d{5}, \/prod\/app\/p\d{5}, and 58 more\)$/,
    );
    expect(r.stdout).toContain('Applied 0, failed 60, drifted 0, skipped 0.');
  });
});
