import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Codes AWS answers when the credentials themselves are the problem, not the permissions. */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
/** What the SDK's credential providers throw when no provider in the chain gives credentials. */
const PROVIDER = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);

interface Named {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first: the inventory and the lock wrap what the SDK threw. */
function chain(error: unknown): Named[] {
  const out: Named[] = [];
  let e: unknown = error;
  while (e !== null && typeof e === 'object' && out.length < 8 && !out.includes(e as Named)) {
    out.push(e as Named);
    e = (e as Named).cause;
  }
  return out;
}

/** Which credentials the SDK used: AWS_PROFILE wins over the environment keys in its default chain. */
function source(env: Env): { label: string; profile?: string } {
  if (env.AWS_PROFILE)
    return { label: `profile '${env.AWS_PROFILE}' (AWS_PROFILE)`, profile: env.AWS_PROFILE };
  if (env.AWS_ACCESS_KEY_ID) return { label: 'the environment (AWS_ACCESS_KEY_ID)' };
  return { label: 'the default profile (AWS_PROFILE is not set)', profile: 'default' };
}

/** The shared files the SDK reads, as it finds them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws). */
function sharedFiles(env: Env): { config: string; credentials: string } {
  const home = env.HOME ?? env.USERPROFILE ?? '~';
  return {
    config: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  };
}

/** Whether a profile has a section in either file: `[profile NAME]` (or `[default]`) in config, `[NAME]` in credentials. */
function profileDefined(env: Env, profile: string): boolean {
  const files = sharedFiles(env);
  const sections = (path: string) => {
    try {
      return [...readFileSync(path, 'utf8').matchAll(/^\s*\[([^\]\r\n]+)\]/gm)].map((m) =>
        (m[1] ?? '').trim(),
      );
    } catch {
      return [];
    }
  };
  const config = sections(files.config).map((s) => s.replace(/^profile\s+/, ''));
  return config.includes(profile) || sections(files.credentials).includes(profile);
}

/**
 * A failure whose cause is the credentials (none found, a profile that does not exist or cannot log in,
 * an expired or rejected token), said as what to fix, naming the profile. Undefined for anything else.
 * The SDK's own text ("Could not load credentials from any providers") says neither.
 */
export function credentialProblem(error: unknown, env: Env): string | undefined {
  const causes = chain(error);
  const names = causes.map((e) => (typeof e.name === 'string' ? e.name : ''));
  const used = source(env);
  const login = used.profile ? ` or log in again (aws sso login --profile ${used.profile})` : '';
  const expired = names.find((n) => EXPIRED.has(n));
  if (expired)
    return `The AWS credentials of ${used.label} have expired (${expired}). Refresh them${login || ' (new temporary credentials: AWS_SESSION_TOKEN)'} and re-run; nothing was changed by this run.`;
  const rejected = names.find((n) => REJECTED.has(n));
  if (rejected)
    return `AWS rejected the credentials of ${used.label} (${rejected}): the key does not exist, was deactivated, or does not match its secret. Check them (aws sts get-caller-identity${used.profile ? ` --profile ${used.profile}` : ''})${login} and re-run.`;
  const provider = causes.find((e) => PROVIDER.has(typeof e.name === 'string' ? e.name : ''));
  if (!provider) return undefined;
  const files = sharedFiles(env);
  if (env.AWS_PROFILE && !profileDefined(env, env.AWS_PROFILE))
    return `AWS_PROFILE is '${env.AWS_PROFILE}', but no such profile is in ${files.config} or ${files.credentials}. Use one that exists (aws configure list-profiles), create it (aws configure --profile ${env.AWS_PROFILE}), or unset AWS_PROFILE.`;
  const detail =
    typeof provider.message === 'string' && !/from any providers/.test(provider.message)
      ? ` (${provider.message})`
      : '';
  if (env.AWS_PROFILE)
    return `No AWS credentials could be loaded for ${used.label}${detail}. Check its settings in ${files.config}${login}.`;
  return `No AWS credentials found${detail}: not in the environment (AWS_ACCESS_KEY_ID), nor the default profile in ${files.config} or ${files.credentials}, nor an instance or container role. Set AWS_PROFILE to a profile (aws configure list-profiles), run aws configure or aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
}
