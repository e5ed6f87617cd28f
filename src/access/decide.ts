import { ForbiddenError } from '../errors.js';
import type { GrantRecord } from '../hub/store.js';
import type { CaseRecord } from '../sources/cases/index.js';
import type { FieldInfo, Mask } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

/** Why a field was withheld (SPEC §5). */
export type DenyReason = 'NO_GRANT' | 'PURPOSE_REQUIRED' | 'PURPOSE_NOT_GRANTED' | 'CASE_REQUIRED' | 'CASE_MISMATCH' | 'GRANT_EXPIRED' | 'NOT_SELF';

/** A field's decision for one viewer, made once per request before any row is seen. */
export type FieldRule =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly reason: DenyReason }
  /** A citizen reading: allowed only on their own entities. */
  | { readonly kind: 'self' }
  /** Granted: the first option whose condition holds for the row decides the mask. */
  | { readonly kind: 'grant'; readonly options: readonly GrantOption[] };

export interface GrantOption {
  readonly mask: Mask;
  readonly activeCase: boolean;
}

const OPEN_CASE_STATUSES = new Set(['SUBMITTED', 'IN_REVIEW']);
/** Less reduced masks first: when several grants apply, the caller gets the most the grants allow. */
const MASK_ORDER: Record<Mask, number> = { NONE: 0, YEAR_ONLY: 1, PARTIAL: 2, PRESENCE: 3 };

const ALLOW: FieldRule = { kind: 'allow' };
const SELF: FieldRule = { kind: 'self' };
const deny = (reason: DenyReason): FieldRule => ({ kind: 'deny', reason });

/** Deny by default: what `viewer` may do with `field` under `policy`, at instant `now`. */
export function ruleFor(viewer: Viewer, policy: Policy, field: FieldInfo, now: number): FieldRule {
  if (field.level === 'PUBLIC') return ALLOW;
  if (!field.onEntity) return ALLOW; // a part of an entity: the entity field that reached it decided
  if (viewer.role === 'citizen') return SELF;
  if (field.level === 'INTERNAL') return ALLOW; // consumers and stewards
  const grants = viewer.consumer ? policy.grants.get(viewer.consumer.id)?.get(field.name) : undefined;
  if (!grants || grants.length === 0) return deny('NO_GRANT');
  if (viewer.purpose === null) return deny('PURPOSE_REQUIRED');
  const forPurpose = grants.filter((g) => g.purposes.includes(viewer.purpose!));
  if (forPurpose.length === 0) return deny('PURPOSE_NOT_GRANTED');
  const live = forPurpose.filter((g) => !isExpired(g, now));
  if (live.length === 0) return deny('GRANT_EXPIRED');
  const options = live
    .map((g) => ({ mask: g.mask as Mask, activeCase: g.condition === 'ACTIVE_CASE' }))
    .sort((a, b) => MASK_ORDER[a.mask] - MASK_ORDER[b.mask] || Number(a.activeCase) - Number(b.activeCase));
  return { kind: 'grant', options };
}

function isExpired(grant: GrantRecord, now: number): boolean {
  return grant.expiresAt !== null && Date.parse(grant.expiresAt) <= now;
}

/**
 * Checks an ACTIVE_CASE condition for one citizen (SPEC §5): the declared case
 * is open, belongs to the consumer's department, and its applicant is the
 * citizen. The case itself is loaded once per request, whatever the number of
 * citizens.
 */
export function caseReason(viewer: Viewer, declaredCase: CaseRecord | null, citizenId: string): DenyReason | null {
  if (viewer.caseRef === null) return 'CASE_REQUIRED';
  if (
    !declaredCase ||
    !OPEN_CASE_STATUSES.has(declaredCase.status) ||
    declaredCase.department !== viewer.consumer?.department ||
    declaredCase.applicantId !== citizenId
  ) {
    return 'CASE_MISMATCH';
  }
  return null;
}

const MESSAGES: Record<DenyReason, string> = {
  NO_GRANT: 'no grant lets your application read it; ask a data steward (requestAccess).',
  PURPOSE_REQUIRED: 'declare why you read it in the X-Purpose header.',
  PURPOSE_NOT_GRANTED: 'your grants do not cover the declared purpose.',
  CASE_REQUIRED: 'it is granted only for an open case: name it in the X-Case-Ref header.',
  CASE_MISMATCH: "X-Case-Ref does not name an open case of your department whose applicant is this citizen.",
  GRANT_EXPIRED: 'the grant for it has expired.',
  NOT_SELF: 'a citizen may read only data about themself.',
};

export function forbiddenField(field: string, reason: DenyReason): ForbiddenError {
  return new ForbiddenError(`Not allowed to read ${field}: ${MESSAGES[reason]}`, { field, reason });
}
