import { createHash, randomBytes } from 'node:crypto';
import type { CallContext } from './context.js';
import { AwsError } from './errors.js';
import { type Input, optString } from './input.js';

/**
 * STS in the query protocol (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
 * form-encoded requests, XML responses. Keys AssumeRole issues map to the role's account, which is how
 * cross-account destinations get their own isolated state.
 */
export type StsHandler = (ctx: CallContext, input: Input) => string;

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function stsError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400);
}

function randomId(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(length);
  return prefix + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function assumeRole(ctx: CallContext, input: Input): string {
  const roleArn = optString(input, 'RoleArn') ?? '';
  const session = optString(input, 'RoleSessionName') ?? '';
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw stsError('ValidationError', `${roleArn} is invalid`);
  if (!SESSION_NAME.test(session)) {
    throw stsError(
      'ValidationError',
      `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = Number(optString(input, 'DurationSeconds') ?? '3600');
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw stsError(
      'ValidationError',
      `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const [, account = '', roleName = ''] = match;
  const roleId = `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
  const accessKeyId = randomId('ASIA', 16);
  const assumedArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`;
  ctx.state.registerAccessKey(accessKeyId, { account, arn: assumedArn, userId: `${roleId}:${session}` });
  const expiration = new Date(ctx.now + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `<AssumedRoleUser><Arn>${escapeXml(assumedArn)}</Arn><AssumedRoleId>${roleId}:${escapeXml(session)}</AssumedRoleId></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>` +
    `<SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>` +
    `<SessionToken>${randomBytes(96).toString('base64')}</SessionToken>` +
    `<Expiration>${expiration}</Expiration></Credentials><PackedPolicySize>0</PackedPolicySize>`
  );
}

function getCallerIdentity(ctx: CallContext): string {
  const { principal } = ctx;
  return `<Arn>${escapeXml(principal.arn)}</Arn><UserId>${escapeXml(principal.userId)}</UserId><Account>${principal.account}</Account>`;
}

export const stsHandlers: Record<string, StsHandler> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};

export function stsResponse(operation: string, result: string, requestId: string): string {
  return (
    `<${operation}Response xmlns="${NS}"><${operation}Result>${result}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

export function stsErrorResponse(code: string, message: string, requestId: string, status: number): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
