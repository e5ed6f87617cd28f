import type { GraphQLResolveInfo } from 'graphql';
import { InvalidInputError } from '../hub/manager.js';
import { CONTROL_CHARACTERS, nationalIdArgument } from '../graph/arguments.js';
import type { HubContext } from '../graph/context.js';
import type { CaseRecord } from '../sources/cases/index.js';
import { prefill } from './prefill.js';
import { departmentOfSource } from '../sources/index.js';

export interface ApplicationInput {
  serviceCode: string;
  applicantId: string;
  /** For an enterprise service: the enterprise the applicant legally represents (checked by @represents). */
  enterpriseId?: string | null;
  answers: { key: string; value: string }[];
}

const MAX_ANSWER_LENGTH = 2000;

/**
 * Submits an application (issue 6): the hub pre-fills what departments hold
 * (an audited read, as `prefill`), the caller supplies the rest. Every
 * problem is reported at once and nothing is created unless all is well.
 */
export async function submitApplication(ctx: HubContext, input: ApplicationInput, info: GraphQLResolveInfo): Promise<CaseRecord> {
  // Only a citizen calls this (@allow), and input.applicantId was decided as their own Citizen.cases (@reads): NOT_SELF otherwise.
  const applicantId = nationalIdArgument('input.applicantId', input.applicantId);
  const service = await ctx.loaders.cases.service.load(input.serviceCode);
  if (!service) throw new InvalidInputError([{ argument: 'input.serviceCode', message: `no service "${input.serviceCode}" in the catalogue.` }]);
  const applicant = await ctx.loaders.registry.citizen.load(applicantId);
  if (!applicant) throw new InvalidInputError([{ argument: 'input.applicantId', message: 'the civil registry has no such citizen.' }]);

  const form = await prefill(ctx, service.code, { citizenId: applicantId, enterpriseId: input.enterpriseId ?? null }, info, 'input.');
  if (form.enterpriseId !== null) {
    // A case opened for an enterprise is a department's ACTIVE_CASE basis to read it: only a registered,
    // active enterprise is applied for (a deregistered or revoked one has nobody to act for it).
    // Partial: a hub may be built without the enterprise source (then no enterprise service resolves).
    const enterprise = await (ctx.loaders as Partial<typeof ctx.loaders>).enterprise?.enterprise.load(form.enterpriseId);
    if (!enterprise || enterprise.status !== 'ACTIVE') {
      throw new InvalidInputError([{ argument: 'input.enterpriseId', message: `applications are for active enterprises; ${form.enterpriseId} is ${enterprise ? enterprise.status : 'not registered'}.` }]);
    }
  }
  const byKey = new Map(form.items.map((i) => [i.key, i]));
  const problems: { argument: string; message: string }[] = [];
  const answers = new Map<string, string>();
  const seen = new Set<string>();
  input.answers.forEach((answer, i) => {
    const argument = `input.answers[${i}]`;
    const repeated = seen.has(answer.key);
    seen.add(answer.key);
    if (!byKey.has(answer.key)) problems.push({ argument, message: `"${answer.key}" is not an item of ${service.code}; its items are ${[...byKey.keys()].join(', ')}.` });
    else if (repeated) problems.push({ argument, message: `"${answer.key}" is answered twice.` });
    else if (answer.value.trim() === '' || answer.value.length > MAX_ANSWER_LENGTH || CONTROL_CHARACTERS.test(answer.value)) {
      problems.push({ argument, message: `"${answer.key}" needs a value of 1 to ${MAX_ANSWER_LENGTH} printable characters.` });
    } else answers.set(answer.key, answer.value.trim());
  });
  for (const item of form.items) {
    if (item.required && item.status !== 'PREFILLED' && !answers.has(item.key)) {
      const why = item.status === 'DENIED' ? ` (the hub may not read it for you: ${item.reason})` : '';
      problems.push({ argument: 'input.answers', message: `"${item.key}" (${item.label}) is required: supply it${why}.` });
    }
  }
  if (problems.length > 0) throw new InvalidInputError(problems);

  return ctx.stores.cases.createApplication({
    serviceCode: service.code,
    applicantId,
    enterpriseId: form.enterpriseId,
    department: service.department,
    timeLimitDays: service.timeLimitDays,
    actor: ctx.viewer.consumer?.name ?? 'OnceGraph', // the portal the citizen applied through
    // A value read from another department's source is a letter between offices the hub saved (the evaluation's benefit).
    prefilledFromOthers: form.items.filter((item) => item.status === 'PREFILLED' && !answers.has(item.key) && item.source !== null && departmentOfSource(item.source) !== service.department).length,
    items: form.items
      .filter((item) => item.status === 'PREFILLED' || answers.has(item.key))
      .map((item) =>
        answers.has(item.key)
          ? { key: item.key, origin: item.status === 'PREFILLED' ? ('RECOLLECTED' as const) : ('COLLECTED' as const), source: null, value: answers.get(item.key)! }
          : { key: item.key, origin: 'PREFILLED' as const, source: item.source, value: null },
      ),
  });
}
