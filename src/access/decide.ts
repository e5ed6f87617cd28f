import { ForbiddenError } from '../errors.js';
import type { GrantRecord } from '../hub/store.js';
import type { FieldInfo, Mask, Subject } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

/** What access needs to know of the case named in X-Case-Ref; the graph layer hands over a lookup. */
export interface DeclaredCase {
  readonly status: string;
  readonly department: string;
  readonly applicantId: string;
  /** The enterprise the case was opened for, if any. */
  readonly enterpriseId?: string | null;
}

/** Why a field was withheld (SPEC §5), or ROLE for a field an @allow rule or level keeps from the caller's role. */
export type DenyReason = 'NO_GRANT' | 'PURPOSE_REQUIRED' | 'PURPOSE_NOT_GRANTED' | 'CASE_REQUIRED' | 'CASE_MISMATCH' | 'GRANT_EXPIRED' | 'NOT_SELF' | 'ROLE';

/** A field's decision for one viewer, made once per request before any row is seen. */
export type FieldRule =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly reason: DenyReason }
  /** A citizen reading: allowed only on their own entities. */
  | { readonly kind: 'self' }
  /** A field of a @part: allowed only inside a value an access decision released. */
  | { readonly kind: 'released' }
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
const RELEASED: FieldRule = { kind: 'released' };
const deny = (reason: DenyReason): FieldRule => ({ kind: 'deny', reason });

/**
 * Deny by default: what `viewer` may do with `field` under `policy`, at
 * instant `now`. Every field of the schema is decided here, whatever its
 * position (root field, entity, part, the hub's own types).
 */
export function ruleFor(viewer: Viewer, policy: Policy, field: FieldInfo, now: number): FieldRule {
  if (field.roles) return field.roles.includes(viewer.role) ? ALLOW : deny('ROLE');
  if (field.level === 'PUBLIC') return ALLOW;
  if (field.holder.kind === 'part') return RELEASED;
  if (field.holder.kind === 'plain') return viewer.role === 'citizen' ? deny('ROLE') : ALLOW; // INTERNAL: consumers and stewards
  if (viewer.role === 'citizen') return SELF;
  if (field.level === 'INTERNAL') return ALLOW; // consumers and stewards
  // SPEC §3: a steward reads no personal data, whatever grant rows exist.
  if (viewer.role === 'steward') return deny('NO_GRANT');
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
 * Checks an ACTIVE_CASE condition for one subject (SPEC §5): the declared
 * case is open, belongs to the consumer's department, and its applicant is
 * the citizen read (for an enterprise: it was opened for that enterprise).
 * The case itself is loaded once per request, whatever the number of subjects.
 */
export function caseReason(viewer: Viewer, declaredCase: DeclaredCase | null, subject: Subject): DenyReason | null {
  if (viewer.caseRef === null) return 'CASE_REQUIRED';
  if (
    !declaredCase ||
    !OPEN_CASE_STATUSES.has(declaredCase.status) ||
    declaredCase.department !== viewer.consumer?.department ||
    (subject.type === 'CITIZEN' ? declaredCase.applicantId : declaredCase.enterpriseId) !== subject.id
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
  CASE_MISMATCH: 'X-Case-Ref does not name an open case of your department whose applicant is this citizen (or opened for this enterprise).',
  GRANT_EXPIRED: 'the grant for it has expired.',
  NOT_SELF: 'a citizen may read only data about themself and the enterprises they legally represent.',
  ROLE: 'your role may not read it.',
};

/** What to do next about a denial, in words (the FORBIDDEN message without the field). */
export const denyMessage = (reason: DenyReason): string => MESSAGES[reason];

export function forbiddenField(field: string, reason: DenyReason): ForbiddenError {
  return new ForbiddenError(`Not allowed to read ${field}: ${MESSAGES[reason]}`, { field, reason });
}
