import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { FieldInfo } from '../access/fields.js';
import { applyMask } from '../access/fields.js';
import { BadUserInputError, SourceUnavailableError } from '../errors.js';
import { nationalIdArgument } from '../graph/arguments.js';
import type { HubContext } from '../graph/context.js';
import type { DataItemRecord } from '../sources/cases/index.js';
import type { LicenseRecord } from '../sources/licensing/index.js';
import type { CitizenRecord } from '../sources/registry/index.js';

export type PrefillStatus = 'PREFILLED' | 'DENIED' | 'MISSING';

export interface PrefillItem {
  key: string;
  label: string;
  required: boolean;
  field: string | null;
  value: string | null;
  source: string | null;
  status: PrefillStatus;
  reason: string | null;
}

export interface Prefill {
  serviceCode: string;
  citizenId: string;
  items: PrefillItem[];
  prefilledCount: number;
  deniedCount: number;
  missingCount: number;
}

/** Where a form item's value lives: the department, the entity, and how to read it as text. */
interface ItemSource {
  department: 'registry' | 'licensing';
  /** The entity field reached first (Citizen.licenses for a License item), and the field itself. */
  path: string[];
  text(citizen: CitizenRecord, license: LicenseRecord | null, householdId: string): string | null;
}

const CITIZEN_TEXT: Record<string, (c: CitizenRecord, householdId: string) => string | null> = {
  name: (c) => c.name,
  birthDate: (c) => c.birthDate,
  sex: (c) => c.sex,
  status: (c) => c.status,
  phone: (c) => c.phone,
  email: (c) => c.email,
  address: (c) => c.address.formatted,
  household: (_, householdId) => householdId,
};

/** Maps a catalogue item's field (`Citizen.address`, `License.status` of a kind) to where the hub reads it. */
function sourceOf(item: DataItemRecord): ItemSource | null {
  if (!item.field) return null;
  const [typeName, fieldName] = item.field.split('.');
  if (typeName === 'Citizen' && fieldName in CITIZEN_TEXT) {
    return { department: 'registry', path: [item.field], text: (c, _l, h) => CITIZEN_TEXT[fieldName](c, h) };
  }
  if (typeName === 'License' && item.licenseKind) {
    return {
      department: 'licensing',
      path: ['Citizen.licenses', item.field],
      text: (_c, l) => (l ? String((l as unknown as Record<string, unknown>)[fieldName] ?? '') || null : null),
    };
  }
  return null;
}

const MISSING_REASON = {
  NOT_HELD: 'NOT_HELD',
  UNKNOWN_CITIZEN: 'UNKNOWN_CITIZEN',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
} as const;

/**
 * Pre-fills a service's form for one citizen (issue 6): every item with a
 * graph field is read through the same access decisions and audit as a
 * query would be, in one batched round (the service, its items, the citizen,
 * their household and licenses each at most one statement).
 */
export async function prefill(ctx: HubContext, serviceCode: string, citizenIdArgument: string, info: GraphQLResolveInfo | null): Promise<Prefill> {
  const citizenId = nationalIdArgument('citizenId', citizenIdArgument);
  const [service, items] = await Promise.all([ctx.loaders.cases.service.load(serviceCode), ctx.loaders.cases.dataItemsOfService.load(serviceCode)]);
  if (!service) throw new BadUserInputError('serviceCode', `no service "${serviceCode}" in the catalogue; query \`services\` for the codes.`);
  ctx.audit.serviceCode = service.code;
  const sources = items.map(sourceOf);

  const needs = new Set(sources.filter(Boolean).map((s) => s!.department));
  const [citizen, licenses] = await Promise.all([
    needs.size > 0 ? settle(ctx.loaders.registry.citizen.load(citizenId)) : { value: null },
    needs.has('licensing') ? settle(ctx.loaders.licensing.licensesOfHolder.load(citizenId)) : { value: [] as LicenseRecord[] },
  ]);

  const basePath = info ? responsePathAsArray(info.path) : ['prefill'];
  const result = await Promise.all(
    items.map(async (item, index): Promise<PrefillItem> => {
      const base = { key: item.key, label: item.label, required: item.required, field: item.field, value: null, source: null };
      const source = sources[index];
      if (!source) return { ...base, status: 'MISSING', reason: MISSING_REASON.NOT_HELD };
      if ('error' in citizen) return { ...base, status: 'MISSING', reason: MISSING_REASON.SOURCE_UNAVAILABLE };
      if (!citizen.value) return { ...base, status: 'MISSING', reason: MISSING_REASON.UNKNOWN_CITIZEN };
      // Every entity field on the way must be readable; the last decides the mask.
      let mask: FieldInfo['masks'][number] = 'NONE';
      for (const name of source.path) {
        const field = ctx.access.catalogue.get(name);
        if (!field) return { ...base, status: 'MISSING', reason: MISSING_REASON.NOT_HELD };
        if (!field.onEntity || field.level === 'PUBLIC') continue;
        const decision = await ctx.access.decide(field, citizenId);
        ctx.audit.read(field, citizenId, decision.allowed, [...basePath, 'items', index, 'value']);
        if (!decision.allowed) return { ...base, status: 'DENIED', reason: decision.reason };
        mask = decision.mask;
      }
      if (source.department === 'licensing' && 'error' in licenses) return { ...base, status: 'MISSING', reason: MISSING_REASON.SOURCE_UNAVAILABLE };
      const license = source.department === 'licensing' ? newestOfKind((licenses as { value: LicenseRecord[] }).value, item.licenseKind) : null;
      const text = source.text(citizen.value, license, citizen.value.householdId);
      if (text === null) return { ...base, status: 'MISSING', reason: MISSING_REASON.NOT_HELD };
      return { ...base, value: applyMask(mask, text) as string, source: source.department, status: 'PREFILLED', reason: null };
    }),
  );
  return {
    serviceCode: service.code,
    citizenId,
    items: result,
    prefilledCount: result.filter((i) => i.status === 'PREFILLED').length,
    deniedCount: result.filter((i) => i.status === 'DENIED').length,
    missingCount: result.filter((i) => i.status === 'MISSING').length,
  };
}

function newestOfKind(licenses: LicenseRecord[], kind: string | null): LicenseRecord | null {
  // Loaders return a holder's licenses newest first.
  return licenses.find((l) => l.kind === kind) ?? null;
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
