import { stringify } from 'yaml';
import { githubRolesTemplate, TEMPLATE_HEADER } from '../../iam/github-roles.js';
import { buildPolicy, POLICY_TARGET_ALIASES, POLICY_TARGETS, type PolicyTarget } from '../../iam/policy.js';
import type { Command } from '../command.js';
import { loadOrReport, manifestOption, str } from '../shared.js';

const ACCOUNT = /^\d{12}$/;
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const KEY_ARN = /^arn:[\w-]+:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
const FORMATS = ['json', 'cloudformation'];

export const iamPolicyCommand: Command = {
  name: 'iam-policy',
  summary: 'Print the least-privilege IAM policy for the manifest, or a template with the GitHub roles',
  description:
    'Prints the IAM policy JSON a role needs for this manifest. --for plan or drift (drift also covers status): read-only, names, metadata and tags of the source and destination paths, no kms:Decrypt and no write (GetParameters without decryption only under value-display: non-secret). --for apply: also writes and tags on the destination paths (path rewrites applied), deletes only of replicas carrying the ownership tag, the apply lock, KMS only through Parameter Store. --for lambda: apply plus its log statement. --account is required: a policy with `*` for the account would grant more than it says. --format cloudformation prints instead a CloudFormation template with the GitHub OIDC provider and the plan, drift and apply roles (README: AWS setup), for the account it is deployed in: no --for, no --account. Notes on what the policy leaves to you go to stderr.',
  options: {
    manifest: manifestOption,
    for: {
      type: 'string',
      valueName: 'WHO',
      description:
        'plan, drift (read-only; drift also covers status), apply (writes) or lambda (apply plus logs); action is the old name of apply; default apply',
    },
    format: {
      type: 'string',
      valueName: 'FORMAT',
      description: 'json (one policy) or cloudformation (the GitHub OIDC provider and roles, as a template)',
      default: 'json',
    },
    account: {
      type: 'string',
      valueName: 'ID',
      description: 'The 12-digit AWS account id the role lives in (required)',
    },
    partition: {
      type: 'string',
      valueName: 'NAME',
      description: 'aws, aws-cn or aws-us-gov',
      default: 'aws',
    },
    'kms-key': {
      type: 'string',
      valueName: 'ARNS',
      description: 'Extra KMS key ARNs, comma-separated, e.g. the keys of the source SecureStrings',
    },
  },
  async run(options, ctx) {
    const fail = (message: string) => {
      ctx.reporter.notify({ level: 'error', message });
      return 1;
    };
    const format = str(options, 'format') ?? 'json';
    if (!FORMATS.includes(format))
      return fail(`Invalid --format '${format}'. Expected json or cloudformation.`);
    const cloudformation = format === 'cloudformation';
    if (cloudformation && str(options, 'for') !== undefined)
      return fail(
        '--for has no meaning with --format cloudformation: the template holds the plan, drift and apply roles.',
      );
    if (cloudformation && str(options, 'account') !== undefined)
      return fail(
        '--account has no meaning with --format cloudformation: the roles are created in the account the stack is deployed in.',
      );
    const given = str(options, 'for') ?? 'apply';
    const target = POLICY_TARGET_ALIASES.get(given) ?? POLICY_TARGETS.find((t: PolicyTarget) => t === given);
    if (target === undefined) return fail(`Invalid --for '${given}'. Expected ${POLICY_TARGETS.join(', ')}.`);
    const account = cloudformation ? '' : str(options, 'account');
    if (account === undefined)
      return fail(
        '--account is required, e.g. --account 123456789012 (aws sts get-caller-identity --query Account --output text)',
      );
    if (!cloudformation && !ACCOUNT.test(account))
      return fail(`Invalid --account '${account}'. Expected a 12-digit account id, e.g. 123456789012.`);
    const partition = str(options, 'partition') ?? 'aws';
    if (!PARTITIONS.includes(partition))
      return fail(`Invalid --partition '${partition}'. Expected ${PARTITIONS.join(', ')}.`);
    const kmsKeyArns = (str(options, 'kms-key') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    const bad = kmsKeyArns.find((k) => !KEY_ARN.test(k));
    if (bad)
      return fail(
        `Invalid --kms-key '${bad}'. Expected a key ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.`,
      );

    const manifest = await loadOrReport(options, ctx);
    if (!manifest) return 1;
    if (cloudformation) {
      // YAML 1.1 quotes what CloudFormation's parser would read as a date or a boolean (2012-10-17, yes);
      // no anchors or aliases, which CloudFormation refuses.
      const template = githubRolesTemplate(manifest, { partition, kmsKeyArns });
      ctx.stdout.write(
        TEMPLATE_HEADER + stringify(template, { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false }),
      );
      return 0;
    }
    const { policy, notes } = buildPolicy(manifest, {
      account,
      partition,
      for: target,
      kmsKeyArns,
    });
    ctx.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
    for (const note of notes) ctx.stderr.write(`note: ${note}\n`);
    return 0;
  },
};
