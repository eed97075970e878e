import { excludeReach } from './exclude-reach.js';
import type { Findings } from './findings.js';
import { escapePointer } from './locator.js';
import { listOf, q } from './quote.js';
import { DEFAULT_MANIFEST_ID, DEFAULT_OWNERSHIP_TAG, OWNER_TAG_KEY, SYNC_TAG_KEY } from './resolve.js';
import {
  checkAmi,
  checkGlob,
  checkKmsKeyId,
  checkManifestId,
  checkOwnerName,
  checkPrefix,
  checkRegion,
  checkReplicationName,
  checkRoleArn,
  checkTagKey,
  checkTagValue,
  MAX_TAGS,
} from './rules.js';

/**
 * Checks of single values, run on the data whatever the schema said about its shape (each check looks only
 * at values of the type it expects), so one run reports a misspelt key and a malformed region together.
 */
export function checkFields(data: unknown, out: Findings): void {
  if (!isRecord(data)) return;
  const source = isRecord(data.source) ? data.source : {};
  ifString(data.id, (id) => out.error('/id', checkManifestId(id)));
  region(source.region, '/source/region', out);
  ifString(source['role-arn'], (arn) => out.error('/source/role-arn', checkRoleArn(arn)));

  const ownership = isRecord(data['ownership-tag']) ? data['ownership-tag'] : {};
  ifString(ownership.key, (key) => out.error('/ownership-tag/key', ownershipMessage(checkTagKey(key))));
  ifString(ownership.value, (value) =>
    out.error('/ownership-tag/value', ownershipMessage(checkTagValue('', value))),
  );
  const ownershipKey = typeof ownership.key === 'string' ? ownership.key : DEFAULT_OWNERSHIP_TAG.key;
  ifString(data.id, (id) => out.error('/id', checkManifestId(id)));
  items(data['previous-owners']).forEach((owner, k) => {
    ifString(owner, (o) => out.error(`/previous-owners/${k}`, checkOwnerName(o)));
    if (owner === DEFAULT_MANIFEST_ID) {
      out.error(
        `/previous-owners/${k}`,
        `previous-owners '${DEFAULT_MANIFEST_ID}' would take over the replicas of every manifest without an id; name the replication, e.g. '${DEFAULT_MANIFEST_ID}/prod-app'`,
      );
    }
  });

  if (isRecord(data.defaults)) options(data.defaults, '/defaults', ownershipKey, out);
  const names = new Map<string, string>();
  items(data.replications).forEach((replication, i) => {
    if (!isRecord(replication)) return;
    const at = `/replications/${i}`;
    ifString(replication.name, (name) => {
      out.error(`${at}/name`, checkReplicationName(name));
      const first = names.get(name);
      if (first !== undefined)
        out.error(`${at}/name`, `replication name ${q(name)} is already used at ${out.line(first)}`);
      else names.set(name, `${at}/name`);
    });
    const paths = items(replication.paths).filter((p): p is string => typeof p === 'string');
    items(replication.paths).forEach((path, k) => {
      ifString(path, (p) => out.error(`${at}/paths/${k}`, checkPrefix(p, 'path')));
    });
    const reaches = excludeReach(paths);
    items(replication.exclude).forEach((glob, k) => {
      ifString(glob, (g) => {
        out.error(`${at}/exclude/${k}`, checkGlob(g));
        if (paths.length > 0 && !reaches(g)) {
          out.warning(`${at}/exclude/${k}`, `exclude pattern ${q(g)} matches nothing under ${listOf(paths)}`);
        }
      });
    });
    items(replication.destinations).forEach((destination, j) => {
      if (!isRecord(destination)) return;
      const here = `${at}/destinations/${j}`;
      region(destination.region, `${here}/region`, out);
      options(destination, here, ownershipKey, out);
      const rewrite = isRecord(destination['path-rewrite']) ? destination['path-rewrite'] : {};
      for (const end of ['from', 'to'] as const) {
        ifString(rewrite[end], (value) =>
          out.error(
            `${here}/path-rewrite/${end}`,
            checkPrefix(value, `path-rewrite ${end}`, { trailingSlash: true }),
          ),
        );
      }
    });
  });
}

/** The keys a destination shares with `defaults`. */
function options(block: Record<string, unknown>, at: string, ownershipKey: string, out: Findings): void {
  ifString(block['role-arn'], (arn) => out.error(`${at}/role-arn`, checkRoleArn(arn)));
  ifString(block['kms-key-id'], (key) => out.error(`${at}/kms-key-id`, checkKmsKeyId(key)));
  if (block.type === 'String' || block.type === 'StringList') {
    out.warning(
      `${at}/type`,
      `type ${block.type} stores SecureString sources as plain text; leave type out to keep each source's type`,
    );
  }
  if (isRecord(block.tags)) {
    const entries = Object.entries(block.tags);
    if (entries.length > MAX_TAGS) {
      out.error(
        `${at}/tags`,
        `${entries.length} tags given; at most ${MAX_TAGS} fit beside the ownership tag, ${OWNER_TAG_KEY} and ${SYNC_TAG_KEY}`,
      );
    }
    for (const [key, value] of entries) {
      const pointer = `${at}/tags/${escapePointer(key)}`;
      out.error(pointer, checkTagKey(key), 'key');
      if (key === ownershipKey) {
        out.error(
          pointer,
          `tag ${q(key)} is the ownership tag; set it with 'ownership-tag', not in tags`,
          'key',
        );
      }
      if (key === OWNER_TAG_KEY) {
        out.error(
          pointer,
          `tag '${key}' is set by ssm-replicate to the manifest id and replication that own a replica; set 'id' instead`,
          'key',
        );
      }
      if (key === SYNC_TAG_KEY) {
        out.error(
          pointer,
          `tag '${key}' is the sync record ssm-replicate keeps on each replica; it cannot be set in tags`,
          'key',
        );
      }
      ifString(value, (v) => out.error(pointer, checkTagValue(key, v)));
    }
  }
  const ec2Image = block['ec2-image'];
  if (isRecord(ec2Image) && isRecord(ec2Image.amis)) {
    for (const [from, to] of Object.entries(ec2Image.amis)) {
      const pointer = `${at}/ec2-image/amis/${escapePointer(from)}`;
      out.error(pointer, checkAmi(from), 'key');
      ifString(to, (id) => out.error(pointer, checkAmi(id)));
    }
  }
}

function region(value: unknown, pointer: string, out: Findings): void {
  ifString(value, (name) => {
    const verdict = checkRegion(name);
    out.error(pointer, verdict.error);
    out.warning(pointer, verdict.warning);
  });
}

function ownershipMessage(message: string | undefined): string | undefined {
  return message === undefined ? undefined : `ownership-tag: ${message.replace("tag '' value", 'value')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function ifString(value: unknown, check: (value: string) => void): void {
  if (typeof value === 'string') check(value);
}
