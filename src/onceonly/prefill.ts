import { defaultFieldResolver, getNamedType, type GraphQLObjectType, type GraphQLResolveInfo, type ResponsePath } from 'graphql';
import { BadUserInputError, ForbiddenError, SourceUnavailableError } from '../errors.js';
import { creditCodeArgument, nationalIdArgument } from '../graph/arguments.js';
import type { HubContext } from '../graph/context.js';
import type { DataItemRecord } from '../sources/cases/index.js';
import type { LicenseRecord } from '../sources/licensing/index.js';

export type PrefillStatus = 'PREFILLED' | 'DENIED' | 'MISSING';

export interface PrefillItem {
  key: string;
  label: string;
  labelZh: string;
  required: boolean;
  field: string | null;
  value: string | null;
  source: string | null;
  status: PrefillStatus;
  reason: string | null;
}

export interface Prefill {
  serviceCode: string;
  citizenId: string | null;
  enterpriseId: string | null;
  items: PrefillItem[];
  prefilledCount: number;
  deniedCount: number;
  missingCount: number;
}

/**
 * The text of an object-valued field on a form: an address on one line, a
 * household by its register number. A type not listed here is not held as text.
 */
const TEXT_FIELD: Readonly<Record<string, string>> = { Address: 'formatted', Household: 'id' };

const MISSING_REASON = {
  NOT_HELD: 'NOT_HELD',
  UNKNOWN_CITIZEN: 'UNKNOWN_CITIZEN',
  UNKNOWN_ENTERPRISE: 'UNKNOWN_ENTERPRISE',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
} as const;

type Read = { value: string | null; source: string } | { denied: string } | { missing: keyof typeof MISSING_REASON };

/** Who a form is about: the citizen for a PERSON service, the enterprise for an ENTERPRISE one. */
export interface FormSubject {
  citizenId?: string | null;
  enterpriseId?: string | null;
}

/** The records the items of a form are read from, loaded once per request. */
interface Holders {
  Citizen: { value: unknown } | { error: SourceUnavailableError } | null;
  Enterprise: { value: unknown } | { error: SourceUnavailableError } | null;
}

/**
 * Pre-fills a service's form (issue 6, issue 11 §10, issue 12 §4): for a
 * PERSON service about the citizen, for an ENTERPRISE service about the
 * enterprise (and the citizen, when given). Each item with a graph field is
 * read by running that field's resolvers of the executable schema as the
 * caller, so the access transform is the only gate (decision, mask) and the
 * audit recorder the only record. Loaders batch as for any query: the
 * service, its items, the citizen or enterprise and their licenses each cost
 * at most one statement.
 */
export async function prefill(ctx: HubContext, serviceCode: string, subject: FormSubject, info: GraphQLResolveInfo, argumentPrefix = ''): Promise<Prefill> {
  const [service, items] = await Promise.all([ctx.loaders.cases.service.load(serviceCode), ctx.loaders.cases.dataItemsOfService.load(serviceCode)]);
  if (!service) throw new BadUserInputError(`${argumentPrefix}serviceCode`, `no service "${serviceCode}" in the catalogue; query \`services\` for the codes.`);
  const serviceObject = service.serviceObject;
  const citizenId = subject.citizenId ? nationalIdArgument(`${argumentPrefix}${argumentPrefix ? 'applicantId' : 'citizenId'}`, subject.citizenId) : null;
  const enterpriseId = subject.enterpriseId ? creditCodeArgument(`${argumentPrefix}enterpriseId`, subject.enterpriseId) : null;
  if (serviceObject === 'ENTERPRISE' && !enterpriseId) throw new BadUserInputError(`${argumentPrefix}enterpriseId`, `${service.code} is a service for enterprises: name the enterprise (its unified social credit code).`);
  if (serviceObject === 'PERSON' && !citizenId) throw new BadUserInputError(`${argumentPrefix}citizenId`, `${service.code} is a service for persons: name the citizen (national ID).`);
  if (serviceObject === 'PERSON' && enterpriseId) throw new BadUserInputError(`${argumentPrefix}enterpriseId`, `${service.code} is a service for persons, not enterprises.`);
  ctx.audit.serviceCode = service.code;
  const needs = (type: string) => items.some((i) => i.field?.startsWith(`${type}.`) || (type === (serviceObject === 'ENTERPRISE' ? 'Enterprise' : 'Citizen') && i.field?.startsWith('License.')));
  // Partial: a hub may be built without the enterprise source.
  const enterpriseLoaders = (ctx.loaders as Partial<typeof ctx.loaders>).enterprise;
  const [citizen, enterprise] = await Promise.all([
    citizenId && needs('Citizen') ? settle(ctx.loaders.registry.citizen.load(citizenId)) : null,
    enterpriseId && needs('Enterprise') && enterpriseLoaders ? settle(enterpriseLoaders.enterprise.load(enterpriseId)) : null,
  ]);
  const holders: Holders = { Citizen: citizen, Enterprise: enterprise };

  const result = await Promise.all(
    items.map(async (item, index): Promise<PrefillItem> => {
      const base = { key: item.key, label: item.label, labelZh: item.labelZh, required: item.required, field: item.field, value: null, source: null, reason: null };
      const read: Read = item.field ? await readItem(ctx, info, holders, serviceObject, item, itemPath(info.path, index)) : { missing: 'NOT_HELD' };
      const filled: PrefillItem =
        'missing' in read
          ? { ...base, status: 'MISSING', reason: read.missing }
          : 'denied' in read
            ? { ...base, status: 'DENIED', reason: read.denied }
            : read.value === null
              ? { ...base, status: 'MISSING', reason: MISSING_REASON.NOT_HELD }
              : { ...base, value: read.value, source: read.source, status: 'PREFILLED' };
      // Its value is null unless it came out of the access gate above: the item may be served in this request.
      ctx.access.release(filled);
      return filled;
    }),
  );
  return {
    serviceCode: service.code,
    citizenId,
    enterpriseId,
    items: result,
    prefilledCount: result.filter((i) => i.status === 'PREFILLED').length,
    deniedCount: result.filter((i) => i.status === 'DENIED').length,
    missingCount: result.filter((i) => i.status === 'MISSING').length,
  };
}

/** The department each entity's data comes from, for the item's `source`. */
const SOURCE_OF: Readonly<Record<string, string>> = { Citizen: 'registry', Enterprise: 'enterprise', License: 'licensing' };

/**
 * Reads one item through the schema: `Citizen.x` / `Enterprise.x` as that
 * field of the form's citizen or enterprise; `License.x` as field x of the
 * form subject's newest license of the item's kind, reached through
 * `Citizen.licenses` or `Enterprise.licenses`. Every resolver on the way is
 * the guarded one, recording its read at the item's path.
 */
async function readItem(ctx: HubContext, info: GraphQLResolveInfo, holders: Holders, serviceObject: string, item: DataItemRecord, path: ResponsePath): Promise<Read> {
  const [typeName, fieldName] = item.field!.split('.');
  const holderType = typeName === 'License' ? (serviceObject === 'ENTERPRISE' ? 'Enterprise' : 'Citizen') : typeName;
  const holder = holders[holderType as keyof Holders];
  if (holder === undefined || holder === null) return { missing: holderType === 'Citizen' ? 'UNKNOWN_CITIZEN' : 'NOT_HELD' };
  if ('error' in holder) return { missing: 'SOURCE_UNAVAILABLE' };
  if (!holder.value) return { missing: holderType === 'Citizen' ? 'UNKNOWN_CITIZEN' : 'UNKNOWN_ENTERPRISE' };
  try {
    if (typeName !== 'License') return { value: await asText(ctx, info, typeName, fieldName, holder.value, path), source: SOURCE_OF[typeName] ?? typeName };
    if (!item.licenseKind) return { missing: 'NOT_HELD' };
    const licenses = (await resolveField(ctx, info, holderType, 'licenses', holder.value, path)) as LicenseRecord[] | null;
    // Loaders return a holder's licenses newest first.
    const license = licenses?.find((l) => l.kind === item.licenseKind);
    return { value: license ? await asText(ctx, info, 'License', fieldName, license, path) : null, source: 'licensing' };
  } catch (error) {
    if (error instanceof ForbiddenError) return { denied: String(error.extensions.reason) };
    if (error instanceof SourceUnavailableError) return { missing: 'SOURCE_UNAVAILABLE' };
    throw error;
  }
}

async function asText(ctx: HubContext, info: GraphQLResolveInfo, typeName: string, fieldName: string, parent: unknown, path: ResponsePath): Promise<string | null> {
  const value = await resolveField(ctx, info, typeName, fieldName, parent, path);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return String(value);
  const type = getNamedType((info.schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName].type).name;
  const textField = TEXT_FIELD[type];
  return textField ? asText(ctx, info, type, textField, value, path) : null;
}

/** Runs the schema's (access-guarded) resolver of `Type.field` as this request's caller. */
function resolveField(ctx: HubContext, info: GraphQLResolveInfo, typeName: string, fieldName: string, parent: unknown, path: ResponsePath): unknown {
  const field = (info.schema.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[fieldName];
  if (!field) return null;
  const resolve = field.resolve ?? defaultFieldResolver;
  return resolve(parent, {}, ctx, { ...info, fieldName, parentType: info.schema.getType(typeName) as GraphQLObjectType, returnType: field.type, path });
}

/** Where item `index`'s value sits in the response: a personal value withheld if the audit cannot be written. */
function itemPath(prefillPath: ResponsePath, index: number): ResponsePath {
  const items = { prev: prefillPath, key: 'items', typename: 'Prefill' };
  return { prev: { prev: items, key: index, typename: undefined }, key: 'value', typename: 'PrefillItem' };
}

/** A department being down makes its items MISSING, not the whole form an error. */
async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: SourceUnavailableError }> {
  try {
    return { value: await promise };
  } catch (error) {
    if (error instanceof SourceUnavailableError) return { error };
    throw error;
  }
}
