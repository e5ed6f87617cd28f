import type { CaseRecord } from '../sources/cases/index.js';
import { caseReason, ruleFor, type DenyReason, type FieldRule } from './decide.js';
import type { FieldInfo, Mask } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

/** Whether one field of one citizen may be read, and how it is masked. */
export type ReadDecision = { readonly allowed: true; readonly mask: Mask } | { readonly allowed: false; readonly reason: DenyReason };

const UNMASKED: ReadDecision = { allowed: true, mask: 'NONE' };

/**
 * One request's view of access: the policy as it was when the request began
 * (a reload mid-request does not change answers half-way), rules memoized per
 * field, and the declared case loaded at most once.
 */
export class RequestAccess {
  readonly #rules = new Map<string, FieldRule>();
  #declaredCase: Promise<CaseRecord | null> | null = null;

  constructor(
    readonly viewer: Viewer,
    readonly policy: Policy,
    /** Every classified field, by `Type.field`. */
    readonly catalogue: ReadonlyMap<string, FieldInfo>,
    private readonly loadCase: (number: string) => Promise<CaseRecord | null>,
    /** Counts decisions made from the cached policy (a metric). */
    private readonly onDecision: () => void = () => {},
    private readonly now: number = Date.now(),
  ) {}

  rule(field: FieldInfo): FieldRule {
    let rule = this.#rules.get(field.name);
    if (!rule) {
      this.#rules.set(field.name, (rule = ruleFor(this.viewer, this.policy, field, this.now)));
      this.onDecision();
    }
    return rule;
  }

  /**
   * Decides reading `field` of the entity owned by citizen `ownerId`. Answers
   * at once unless a grant's ACTIVE_CASE condition must be checked against
   * the declared case (loaded once per request, whatever the number of citizens).
   */
  decide(field: FieldInfo, ownerId: string): ReadDecision | Promise<ReadDecision> {
    const rule = this.rule(field);
    switch (rule.kind) {
      case 'allow':
        return UNMASKED;
      case 'deny':
        return { allowed: false, reason: rule.reason };
      case 'self':
        return ownerId === this.viewer.citizenId ? UNMASKED : { allowed: false, reason: 'NOT_SELF' };
      case 'grant': {
        const [best] = rule.options;
        if (!best.activeCase) return { allowed: true, mask: best.mask };
        return this.declaredCase().then((declared) => {
          const reason = caseReason(this.viewer, declared, ownerId);
          const option = rule.options.find((o) => !o.activeCase || reason === null);
          return option ? { allowed: true, mask: option.mask } : { allowed: false, reason: reason! };
        });
      }
    }
  }

  /** The case named in X-Case-Ref, or null when none was named or it does not exist. */
  declaredCase(): Promise<CaseRecord | null> {
    if (this.viewer.caseRef === null) return Promise.resolve(null);
    return (this.#declaredCase ??= this.loadCase(this.viewer.caseRef));
  }
}
