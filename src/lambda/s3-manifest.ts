import { type AwsSettings, USER_AGENT } from '../aws/clients.js';
import { clip } from '../render/escape.js';
import { TextFileError } from '../text-file.js';

/** Where a manifest too large for an environment variable lives: `s3://bucket/key`. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** Reads an object's bytes, refusing one over `maxBytes`; throws TextFileError saying what is wrong. */
export type ObjectReader = (location: S3Location, maxBytes: number) => Promise<Uint8Array>;

// Bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/key` → its parts; undefined for anything else (a path or inline YAML). */
export function parseS3Uri(value: string): S3Location | undefined {
  if (!value.startsWith('s3://')) return undefined;
  const rest = value.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || key === '' || key.length > 1024) {
    throw new TextFileError(
      `'${clip(value, 120)}' is not an S3 object URI; expected s3://BUCKET/KEY, e.g. s3://my-config/ssm-replicate/replication.yaml`,
    );
  }
  return { bucket, key };
}

/**
 * A failed GetObject: a TextFileError (a configuration problem, reported as such) when retrying cannot
 * help, a plain Error otherwise (throttling, a network fault), which the handler retries next invocation.
 */
function failure(cause: unknown): Error {
  const name = clip(String((cause as { name?: unknown }).name ?? 'Error'), 60);
  const definite = (message: string) => new TextFileError(message, 1, 1, { cause });
  if (name === 'NoSuchKey') return definite('no such object (NoSuchKey)');
  if (name === 'NoSuchBucket') return definite('no such bucket (NoSuchBucket)');
  if (name === 'AccessDenied' || name === 'Forbidden')
    return definite(
      `access denied (${name}): the execution role needs s3:GetObject on the object (the template's ManifestS3Bucket and ManifestS3Key grant it)`,
    );
  return new Error(`the manifest object could not be read (${name}); the next invocation tries again`, {
    cause,
  });
}

export interface S3ReaderOptions {
  region?: string;
  /** A custom endpoint (tests, VPC endpoints); addressed path-style. */
  endpoint?: string;
  maxAttempts?: number;
  /** The ambient credentials' provider; the SDK's default chain when absent. */
  credentials?: AwsSettings['credentials'];
}

/**
 * GetObject through the SDK, loaded only when a manifest comes from S3 (the Node.js runtime ships the
 * SDK, so the bundle need not carry the S3 client). The size is checked before the body is read, and
 * again while it streams in, so an object that is larger than it said never fills the memory.
 */
export function s3ObjectReader(options: S3ReaderOptions): ObjectReader {
  return async ({ bucket, key }, maxBytes) => {
    const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      followRegionRedirects: true,
      customUserAgent: USER_AGENT,
    });
    try {
      const out = await client
        .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .catch((cause: unknown) => {
          throw failure(cause);
        });
      const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      const tooLarge = (size: number) => {
        body?.destroy?.();
        return new TextFileError(
          `it is ${(size / 2 ** 20).toFixed(2)} MiB or more; objects over ${(maxBytes / 2 ** 20).toFixed(0)} MiB are not read`,
        );
      };
      if (out.ContentLength !== undefined && out.ContentLength > maxBytes) throw tooLarge(out.ContentLength);
      const chunks: Uint8Array[] = [];
      let length = 0;
      for await (const chunk of body ?? []) {
        length += chunk.length;
        if (length > maxBytes) throw tooLarge(length);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } finally {
      client.destroy();
    }
  };
}
