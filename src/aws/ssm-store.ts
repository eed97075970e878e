import { DescribeKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AddTagsToResourceCommand,
  DeleteParametersCommand,
  GetParametersCommand,
  ListTagsForResourceCommand,
  type ParameterStringFilter,
  PutParameterCommand,
  paginateDescribeParameters,
  RemoveTagsFromResourceCommand,
  type ParameterMetadata as SdkMetadata,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type Keyed, keyed } from '../keyed.js';
import { SYNC_TAG_KEY } from '../manifest/resolve.js';
import { type ParameterType, stringInterner, type Tier, tagInterner } from '../model.js';
import type { KeyInfo, ParameterMetadata, ParameterStore, PutRequest, TagListing } from '../store/port.js';
import type { RegionClients } from './clients.js';

/** AWS page and batch limits. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html */
export const DESCRIBE_PAGE = 50;
export const GET_BATCH = 10;
export const DELETE_BATCH = 10;
export const NAME_FILTER_VALUES = 50;
export const TAGGING_PAGE = 100;

/** One shared empty list: most parameters have no policies, and 100,000 empty arrays add up. */
const NO_POLICIES: string[] = [];

function toMetadata(p: SdkMetadata, intern: (s: string) => string): ParameterMetadata {
  const m: ParameterMetadata = {
    name: p.Name as string,
    type: intern(p.Type as string) as ParameterType,
    version: p.Version ?? 0,
    tier: intern(p.Tier ?? 'Standard') as Tier,
    policies: p.Policies?.length
      ? p.Policies.map((x) => x.PolicyText ?? '').filter((t) => t !== '')
      : NO_POLICIES,
    dataType: intern(p.DataType ?? 'text'),
  };
  if (p.Description) m.description = p.Description;
  if (p.AllowedPattern) m.allowedPattern = p.AllowedPattern;
  if (p.KeyId) m.keyId = intern(p.KeyId);
  const modified = p.LastModifiedDate instanceof Date ? p.LastModifiedDate.getTime() : Number.NaN;
  if (!Number.isNaN(modified)) m.lastModifiedDate = modified;
  if (p.LastModifiedUser) m.lastModifiedUser = intern(p.LastModifiedUser);
  return m;
}

function tagList(tags: Keyed<string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** A tag list from AWS as a record: any key AWS allows, `constructor` and `__proto__` included, is a key. */
function tagRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Keyed<string> {
  return keyed((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''] as const));
}

function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation';
}

/**
 * The parameter ARN's resource part is `parameter` + the name for names that start with `/` and
 * `parameter/` + the name for the others, so `/a` and `a` share an ARN. Callers resolve that ambiguity.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 */
export function nameFromArn(arn: string): string | undefined {
  const i = arn.indexOf(':parameter/');
  return i < 0 ? undefined : ownCopy(arn.slice(i + ':parameter'.length));
}

/** The account of the clients' credentials (STS GetCallerIdentity); undefined when STS will not say. */
export function callerAccount(clients: Pick<RegionClients, 'sts'>): Promise<string | undefined> {
  return clients.sts
    .send(new GetCallerIdentityCommand({}))
    .then((r) => r.Account)
    .catch(() => undefined);
}

/**
 * The text as a string of its own. V8 makes a long substring a view of its parent, so a name sliced
 * from its ARN would keep the whole ARN alive for as long as the listing (or the inventory, through
 * `internName`) holds the name: about 7 MB per 100,000 tagged parameters of a region.
 */
function ownCopy(s: string): string {
  const copy = Buffer.from(s, 'utf8').toString('utf8');
  // A lone surrogate (not a name AWS allows, but the text is untrusted) does not survive UTF-8.
  return copy === s ? copy : s;
}

export class SdkParameterStore implements ParameterStore {
  #account: Promise<string | undefined> | undefined;
  /**
   * One copy of each repeated string of a listing (type, tier, data type, key id, the writer's ARN): each
   * answer parses into strings of its own, and at 100,000 parameters per region the copies of the same
   * few words outweigh the parameters' names.
   */
  readonly #intern = stringInterner();

  constructor(
    readonly region: string,
    private readonly clients: RegionClients,
    /**
     * Known without asking STS (the Lambda's own ARN, or the role's), or asked once for every store of
     * the same identity (see sdkStoreFactory).
     */
    known?: string | (() => Promise<string | undefined>),
  ) {
    if (typeof known === 'string') this.#account = Promise.resolve(known);
    else if (known) this.#lookup = known;
  }

  #lookup: (() => Promise<string | undefined>) | undefined;

  account(): Promise<string | undefined> {
    this.#account ??= this.#lookup ? this.#lookup() : callerAccount(this.clients);
    return this.#account;
  }

  async describePath(
    path: string,
    onPage: (page: ParameterMetadata[]) => void | Promise<void>,
  ): Promise<void> {
    await this.#describe([{ Key: 'Path', Option: 'Recursive', Values: [path] }], onPage);
  }

  async describeNames(names: readonly string[]): Promise<ParameterMetadata[]> {
    const out: ParameterMetadata[] = [];
    for (let i = 0; i < names.length; i += NAME_FILTER_VALUES) {
      const values = names.slice(i, i + NAME_FILTER_VALUES);
      out.push(...(await this.#describe([{ Key: 'Name', Option: 'Equals', Values: values }])));
    }
    return out;
  }

  async #describe(
    filters: ParameterStringFilter[],
    onPage?: (page: ParameterMetadata[]) => void | Promise<void>,
  ): Promise<ParameterMetadata[]> {
    const out: ParameterMetadata[] = [];
    const pages = paginateDescribeParameters(
      { client: this.clients.ssm, pageSize: DESCRIBE_PAGE },
      { ParameterFilters: filters },
    );
    for await (const page of pages) {
      const list = (page.Parameters ?? []).map((p) => toMetadata(p, this.#intern));
      if (onPage) await onPage(list);
      else out.push(...list);
    }
    return out;
  }

  async getValues(names: readonly string[], decrypt: boolean) {
    if (names.length > GET_BATCH) throw new RangeError(`GetParameters takes at most ${GET_BATCH} names`);
    const r = await this.clients.ssm.send(
      new GetParametersCommand({ Names: [...names], WithDecryption: decrypt }),
    );
    return (r.Parameters ?? []).map((p) => ({
      name: p.Name as string,
      type: p.Type as ParameterType,
      value: p.Value ?? '',
      version: p.Version ?? 0,
    }));
  }

  async taggedParameters(internName = (name: string) => name): Promise<TagListing | undefined> {
    const byArn = new Map<string, Keyed<string>>();
    const syncRecords = new Map<string, string>();
    const ambiguous = new Set<string>();
    const intern = tagInterner();
    try {
      const pages = paginateGetResources(
        { client: this.clients.tagging },
        { ResourceTypeFilters: ['ssm:parameter'], ResourcesPerPage: TAGGING_PAGE },
      );
      for await (const page of pages) {
        for (const r of page.ResourceTagMappingList ?? []) {
          const listed = r.ResourceARN ? nameFromArn(r.ResourceARN) : undefined;
          if (listed === undefined) continue;
          const name = internName(listed);
          if (byArn.has(name)) ambiguous.add(name);
          const tags = tagRecord(r.Tags);
          const record = tags[SYNC_TAG_KEY];
          if (record !== undefined) {
            syncRecords.set(name, record);
            delete tags[SYNC_TAG_KEY];
          } else syncRecords.delete(name);
          byArn.set(name, intern(tags));
        }
      }
    } catch (error) {
      if (isAccessDenied(error)) return undefined;
      throw error;
    }
    // Two parameters (`/a` and `a`) behind one ARN: their tags cannot be told apart from the listing, so
    // ask by name for the one under a path (the only kind the manifest can replicate).
    for (const name of ambiguous) {
      const tags = await this.listTags(name);
      const record = tags[SYNC_TAG_KEY];
      if (record !== undefined) syncRecords.set(name, record);
      else syncRecords.delete(name);
      delete tags[SYNC_TAG_KEY];
      byArn.set(name, tags);
    }
    return { tags: byArn, syncRecords };
  }

  async listTags(name: string): Promise<Keyed<string>> {
    const r = await this.clients.ssm.send(
      new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
    );
    return tagRecord(r.TagList);
  }

  async put(req: PutRequest): Promise<{ version: number; tier: Tier }> {
    const r = await this.clients.ssm.send(
      new PutParameterCommand({
        Name: req.name,
        Value: req.value,
        Type: req.type,
        Tier: req.tier,
        Overwrite: req.overwrite,
        Description: req.description,
        DataType: req.dataType,
        ...(req.allowedPattern !== undefined ? { AllowedPattern: req.allowedPattern } : {}),
        ...(req.policies !== undefined ? { Policies: req.policies } : {}),
        ...(req.keyId !== undefined ? { KeyId: req.keyId } : {}),
        ...(req.tags ? { Tags: tagList(req.tags) } : {}),
      }),
    );
    return { version: r.Version ?? 0, tier: (r.Tier ?? req.tier) as Tier };
  }

  async addTags(name: string, tags: Keyed<string>): Promise<void> {
    await this.clients.ssm.send(
      new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: tagList(tags) }),
    );
  }

  async removeTags(name: string, keys: readonly string[]): Promise<void> {
    await this.clients.ssm.send(
      new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: [...keys] }),
    );
  }

  async deleteParameters(names: readonly string[]) {
    if (names.length > DELETE_BATCH)
      throw new RangeError(`DeleteParameters takes at most ${DELETE_BATCH} names`);
    const r = await this.clients.ssm.send(new DeleteParametersCommand({ Names: [...names] }));
    return { deleted: r.DeletedParameters ?? [], notFound: r.InvalidParameters ?? [] };
  }

  async describeKey(keyRef: string): Promise<KeyInfo | undefined> {
    try {
      const r = await this.clients.kms.send(new DescribeKeyCommand({ KeyId: keyRef }));
      const k = r.KeyMetadata;
      if (!k?.KeyId) return undefined;
      return {
        keyId: k.KeyId,
        arn: k.Arn ?? '',
        enabled: k.Enabled ?? false,
        state: k.KeyState ?? 'Unknown',
        ...(k.KeySpec ? { keySpec: k.KeySpec } : {}),
        ...(k.KeyUsage ? { keyUsage: k.KeyUsage } : {}),
        ...(k.KeyManager ? { keyManager: k.KeyManager } : {}),
      };
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  }
}
