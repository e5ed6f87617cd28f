import { caseReason, type DeclaredCase, type DenyReason, type FieldRule } from './decide.js';
import { planFor, type AccessPlan } from './plan.js';
import type { FieldInfo, Mask, Subject } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

/** Whether one field of one subject may be read, and how it is masked. */
export type ReadDecision = { readonly allowed: true; readonly mask: Mask } | { readonly allowed: false; readonly reason: DenyReason };

export const UNMASKED: ReadDecision = { allowed: true, mask: 'NONE' };
const NOT_SELF: ReadDecision = { allowed: false, reason: 'NOT_SELF' };

/** Where a list of cases is narrowed for the caller (SPEC §4): a consumer's department, a citizen's own. */
export interface CaseListScope {
  readonly department?: string | null;
  readonly applicantId?: string | null;
}

/**
 * One request's view of access: the policy as it was when the request began
 * (a reload mid-request does not change answers half-way), its rules from the
 * access plan of the caller's class (computed once per policy version), the declared case loaded at most once, the keys the caller asked by,
 * and the @part values that decisions released.
 */
export class RequestAccess {
  /** The rules of this caller's class under `policy`, shared with other requests (see AccessPlan). */
  readonly #plan: AccessPlan;
  #declaredCase: Promise<DeclaredCase | null> | null = null;
  /** Keys the caller asked by, per entity type: only these are echoed without a grant (SPEC §4 "a key is data"). */
  #asked: Map<string, Set<string>> | null = null;
  /** @part values an allowed decision returned in this request. */
  #released: WeakSet<object> | null = null;

  constructor(
    readonly viewer: Viewer,
    readonly policy: Policy,
    /** Every field of the schema, by `Type.field`. */
    readonly catalogue: ReadonlyMap<string, FieldInfo>,
    /** The graph layer's lookup of a case by number (access does not import a source). */
    private readonly loadCase: (number: string) => Promise<DeclaredCase | null>,
    /** The graph layer's lookup of an enterprise's legal representative (batched per request). */
    private readonly representativeOf: (enterpriseId: string) => Promise<string | null>,
    /** Counts rules computed from the cached policy (a metric). */
    onDecision: () => void = () => {},
    now: number = Date.now(),
  ) {
    this.#plan = planFor(viewer, policy, now, onDecision);
  }

  rule(field: FieldInfo): FieldRule {
    return this.#plan.rule(field);
  }

  /**
   * Decides reading `field` of the entity whose data subject is `subject`.
   * Answers at once unless a grant's ACTIVE_CASE condition must be checked
   * against the declared case (loaded once per request, whatever the number
   * of subjects), or a citizen reads an enterprise (are they its legal representative?).
   */
  decide(field: FieldInfo, subject: Subject): ReadDecision | Promise<ReadDecision> {
    const rule = this.rule(field);
    switch (rule.kind) {
      case 'allow':
        return UNMASKED;
      case 'deny':
        return { allowed: false, reason: rule.reason };
      case 'self':
        if (subject.type === 'CITIZEN') return subject.id === this.viewer.citizenId ? UNMASKED : NOT_SELF;
        return this.represents(subject.id).then((represents) => (represents ? UNMASKED : NOT_SELF));
      case 'released':
        // A part is decided by the value that holds it (see `isReleased`), never on its own.
        return { allowed: false, reason: 'NO_GRANT' };
      case 'grant': {
        const [best] = rule.options;
        if (!best.activeCase) return { allowed: true, mask: best.mask };
        return this.declaredCase().then((declared) => {
          const reason = caseReason(this.viewer, declared, subject);
          const option = rule.options.find((o) => !o.activeCase || reason === null);
          return option ? { allowed: true, mask: option.mask } : { allowed: false, reason: reason! };
        });
      }
    }
  }

  /** Whether the signed-in citizen is the legal representative of `enterpriseId` (SPEC §3: they read its data as self). */
  represents(enterpriseId: string): Promise<boolean> {
    if (this.viewer.citizenId === null) return Promise.resolve(false);
    return this.representativeOf(enterpriseId).then((representative) => representative === this.viewer.citizenId);
  }

  /** The case named in X-Case-Ref, or null when none was named or it does not exist. */
  declaredCase(): Promise<DeclaredCase | null> {
    if (this.viewer.caseRef === null) return Promise.resolve(null);
    return (this.#declaredCase ??= this.loadCase(this.viewer.caseRef));
  }

  /** Records keys the caller asked by (a root field's @lookup arguments). */
  ask(typeName: string, keys: unknown): void {
    // Made on first use, like #released: most requests never need them (allocation is GC work per request).
    this.#asked ??= new Map();
    let set = this.#asked.get(typeName);
    if (!set) this.#asked.set(typeName, (set = new Set()));
    for (const key of Array.isArray(keys) ? keys : [keys]) if (typeof key === 'string') set.add(key);
  }

  wasAsked(typeName: string, key: unknown): boolean {
    return typeof key === 'string' && (this.#asked?.get(typeName)?.has(key) ?? false);
  }

  /** Marks @part values (or lists of them) that an allowed decision returned. */
  release(value: unknown): void {
    if (Array.isArray(value)) for (const v of value) this.release(v);
    else if (value !== null && typeof value === 'object') (this.#released ??= new WeakSet()).add(value);
  }

  isReleased(value: unknown): boolean {
    return value !== null && typeof value === 'object' && this.#released !== null && this.#released.has(value);
  }

  /**
   * Narrows a case list filter to what this caller may list (SPEC §4):
   * consumers the cases their department decides, citizens their own,
   * stewards every case. Null when the filter asks for nothing the caller may list.
   */
  narrowCaseFilter<F extends CaseListScope>(filter: F): F | null {
    const scope: CaseListScope =
      this.viewer.role === 'citizen' ? { applicantId: this.viewer.citizenId! } : this.viewer.role === 'consumer' ? { department: this.viewer.consumer!.department } : {};
    for (const [key, value] of Object.entries(scope) as [keyof CaseListScope, string][]) {
      if (filter[key] !== undefined && filter[key] !== null && filter[key] !== value) return null;
    }
    return { ...filter, ...scope };
  }
}
