import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, parseTemplate } from './cfn.js';

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation document is untyped JSON, read by path in assertions.
type Doc = any;
const PARAMETERS = { DestinationRegions: 'us-east-1,eu-west-1', Paths: '/prod/app,/prod/api' };

/** The README's `sed … config/lambda/template.yaml > deploy.yaml` command, as one line, without the redirect. */
function readmeSed(): string {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.startsWith('sed "s|Code: '));
  expect(start).toBeGreaterThan(-1);
  const command = `${lines[start]?.replace(/\\$/, '')} ${lines[start + 1]?.trim()}`;
  expect(command).toMatch(/ config\/lambda\/template\.yaml > deploy\.yaml$/);
  return command.replace(/ > deploy\.yaml$/, '');
}

describe('README: deploying without aws cloudformation package', () => {
  it("turns the template's local Code into the uploaded object and changes nothing else", () => {
    const out = execFileSync('bash', ['-c', `v=1.0.0 && ${readmeSed()}`], { cwd: ROOT, encoding: 'utf8' });
    const original = readFileSync(join(ROOT, 'config/lambda/template.yaml'), 'utf8');
    const changed = out.split('\n').filter((line, i) => line !== original.split('\n')[i]);
    expect(changed).toEqual([
      '      Code: { S3Bucket: my-artifacts-bucket, S3Key: ssm-replicate/function-1.0.0.zip }',
    ]);

    const before = evaluate(parseTemplate(original), { parameters: PARAMETERS }) as Record<string, Doc>;
    const after = evaluate(parseTemplate(out), { parameters: PARAMETERS }) as Record<string, Doc>;
    expect(after.Function.Properties.Code).toEqual({
      S3Bucket: 'my-artifacts-bucket',
      S3Key: 'ssm-replicate/function-1.0.0.zip',
    });
    after.Function.Properties.Code = before.Function.Properties.Code;
    expect(after).toEqual(before);
  });
});
