import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { Endpoint } from './index.js';

/** Test helpers: real SDK clients pointed at a local endpoint. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };

export interface ClientOptions {
  /** SDK attempts per call; 1 (no retries) unless a test is about retries. */
  maxAttempts?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

function config(endpoint: Endpoint, region: string, options: ClientOptions) {
  return {
    region,
    endpoint: endpoint.url,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  };
}

export const ssmClient = (endpoint: Endpoint, region: string, options: ClientOptions = {}) =>
  new SSMClient(config(endpoint, region, options));

export const kmsClient = (endpoint: Endpoint, region: string, options: ClientOptions = {}) =>
  new KMSClient(config(endpoint, region, options));

export const taggingClient = (endpoint: Endpoint, region: string, options: ClientOptions = {}) =>
  new ResourceGroupsTaggingAPIClient(config(endpoint, region, options));

export const stsClient = (endpoint: Endpoint, region: string, options: ClientOptions = {}) =>
  new STSClient(config(endpoint, region, options));

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { attempts?: number; httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('expected the call to fail, but it succeeded');
}
