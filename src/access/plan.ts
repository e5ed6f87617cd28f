import { ruleFor, type FieldRule } from './decide.js';
import type { FieldInfo } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

/**
 * Decide once (issue 13). A field's rule depends only on the policy, the
 * caller's role, consumer and declared purpose, and the clock (grants
 * expire); never on the request or the rows. So rules are computed once per
 * policy version and class of caller and shared by every request of that
 * class: the access plan of an operation (the rules of the fields it reads)
 * is computed on its first run and reused until the policy changes (a reload
 * makes a new Policy object, which starts with no plans) or the first of the
 * consumer's grants expires. What depends on the rows (self, the declared
 * case, a @part's release) is still decided per request, by RequestAccess.
 */
export class AccessPlan {
  readonly #rules = new Map<string, FieldRule>();

  constructor(
    private readonly viewer: Viewer,
    private readonly policy: Policy,
    private readonly madeAt: number,
    /** When a grant this plan may have used expires: the plan is replaced then. */
    readonly validUntil: number,
    private readonly onRule: () => void,
  ) {}

  rule(field: FieldInfo): FieldRule {
    let rule = this.#rules.get(field.name);
    if (!rule) {
      this.#rules.set(field.name, (rule = ruleFor(this.viewer, this.policy, field, this.madeAt)));
      this.onRule();
    }
    return rule;
  }
}

/** Plans per policy version, by class of caller; released with the policy they were made under. */
const plansByPolicy = new WeakMap<Policy, Map<string, AccessPlan>>();

/**
 * The plan for `viewer`'s class under `policy` at `now`. Classes are bounded:
 * roles × registered consumers × catalogued purposes (the purpose header is
 * checked against the catalogue before a viewer exists).
 */
export function planFor(viewer: Viewer, policy: Policy, now: number, onRule: () => void = () => {}): AccessPlan {
  let plans = plansByPolicy.get(policy);
  if (!plans) plansByPolicy.set(policy, (plans = new Map()));
  const key = `${viewer.role}\u0000${viewer.consumer?.id ?? ''}\u0000${viewer.purpose ?? ''}`;
  let plan = plans.get(key);
  if (!plan || now >= plan.validUntil) {
    plan = new AccessPlan(viewer, policy, now, nextExpiry(policy, viewer.consumer?.id, now), onRule);
    plans.set(key, plan);
  }
  return plan;
}

/** The first instant after `now` at which one of the consumer's grants expires (Infinity when none will). */
function nextExpiry(policy: Policy, consumerId: string | undefined, now: number): number {
  let next = Infinity;
  const byField = consumerId === undefined ? undefined : policy.grants.get(consumerId);
  for (const grants of byField?.values() ?? []) {
    for (const grant of grants) {
      if (grant.expiresAt === null) continue;
      const at = Date.parse(grant.expiresAt);
      if (at > now && at < next) next = at;
    }
  }
  return next;
}
