import type { HubContext } from './context.js';
import type { CitizenRecord } from '../sources/registry/index.js';
import type { LicenseRecord } from '../sources/licensing/index.js';
import type { CaseRecord } from '../sources/cases/index.js';

/**
 * Cross-department links (STYLE §1): sources never import each other; the
 * graph joins them here, always through the owning source's per-request
 * loader, so a link costs one statement per level, not one per entity.
 */
export const linkResolvers = {
  Citizen: {
    licenses: (c: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.licensing.licensesOfHolder.load(c.id),
    cases: (c: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.casesOfApplicant.load(c.id),
  },
  License: {
    holder: (l: LicenseRecord, _: unknown, ctx: HubContext) => ctx.loaders.registry.citizen.load(l.holderId),
  },
  Case: {
    applicant: (c: CaseRecord, _: unknown, ctx: HubContext) => ctx.loaders.registry.citizen.load(c.applicantId),
  },
};
