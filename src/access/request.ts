import type { CaseRecord } from '../sources/cases/index.js';
import { ruleFor, type FieldRule } from './decide.js';
import type { FieldInfo } from './fields.js';
import type { Policy } from './policy.js';
import type { Viewer } from './viewer.js';

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
    private readonly loadCase: (number: string) => Promise<CaseRecord | null>,
    private readonly now: number = Date.now(),
  ) {}

  rule(field: FieldInfo): FieldRule {
    let rule = this.#rules.get(field.name);
    if (!rule) this.#rules.set(field.name, (rule = ruleFor(this.viewer, this.policy, field, this.now)));
    return rule;
  }

  /** The case named in X-Case-Ref, or null when none was named or it does not exist. */
  declaredCase(): Promise<CaseRecord | null> {
    if (this.viewer.caseRef === null) return Promise.resolve(null);
    return (this.#declaredCase ??= this.loadCase(this.viewer.caseRef));
  }
}
