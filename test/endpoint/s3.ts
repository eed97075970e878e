import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml } from './sts.js';

/**
 * S3 GetObject only, path-style (`GET /BUCKET/KEY`), enough for the Lambda's manifest object. Objects
 * live here, outside the parameter state, per (account, bucket): a bucket belongs to one account.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export class ObjectStore {
  private objects = new Map<string, Map<string, Buffer>>();

  putObject(bucket: string, key: string, body: string | Uint8Array): void {
    const bucketObjects = this.objects.get(bucket) ?? new Map<string, Buffer>();
    bucketObjects.set(key, Buffer.from(body));
    this.objects.set(bucket, bucketObjects);
  }

  reset(): void {
    this.objects = new Map();
  }

  /** Serves one request; returns the HTTP status and error code for the call log. */
  serve(req: IncomingMessage, res: ServerResponse): { status: number; errorCode?: string } {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const requestId = randomUUID();
    const fail = (status: number, code: string, message: string) => {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
      res.writeHead(status, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
        'x-amz-request-id': requestId,
      });
      res.end(body);
      return { status, errorCode: code };
    };
    if (req.method !== 'GET' || key === '')
      return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const bucketObjects = this.objects.get(decodeURIComponent(bucket));
    if (!bucketObjects) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');
    const object = bucketObjects.get(key);
    if (!object) return fail(404, 'NoSuchKey', `The specified key does not exist. ${escapeXml(key)}`);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': object.length,
      etag: `"${createHash('md5').update(object).digest('hex')}"`,
      'last-modified': new Date(0).toUTCString(),
      'x-amz-request-id': requestId,
    });
    res.end(object);
    return { status: 200 };
  }
}
