import type { HubContext } from './context.js';
import type { CitizenRecord } from '../sources/registry/index.js';
import type { LicenseRecord } from '../sources/licensing/index.js';
import type { CaseRecord } from '../sources/cases/index.js';
import type { EnterpriseRecord } from '../sources/enterprise/index.js';
import type { DepartmentSourceName } from '../sources/index.js';

/**
 * Cross-department links (STYLE §1): sources never import each other; the
 * graph joins them here, always through the owning source's per-request
 * loader, so a link costs one statement per level, not one per entity. Each
 * link names the sources it joins: a hub built without one of them has no such link.
 */
export const LINKS: readonly { between: readonly DepartmentSourceName[]; resolvers: Record<string, Record<string, unknown>> }[] = [
  {
    between: ['registry', 'licensing'],
    resolvers: {
      Citizen: { licenses: (c: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.licensing.licensesOfHolder.load(c.id) },
      // An enterprise's license has no holder (SPEC §4: a citizen or an enterprise, exactly one).
      License: { holder: (l: LicenseRecord, _: unknown, ctx: HubContext) => (l.holderId === null ? null : ctx.loaders.registry.citizen.load(l.holderId)) },
    },
  },
  {
    between: ['registry', 'cases'],
    resolvers: {
      Citizen: { cases: (c: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.casesOfApplicant.load(c.id) },
      Case: { applicant: (c: CaseRecord, _: unknown, ctx: HubContext) => ctx.loaders.registry.citizen.load(c.applicantId) },
    },
  },
  {
    between: ['registry', 'enterprise'],
    resolvers: {
      Citizen: { enterprises: (c: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.enterprise.enterprisesOfRepresentative.load(c.id) },
      Enterprise: { legalRepresentative: (e: EnterpriseRecord, _: unknown, ctx: HubContext) => ctx.loaders.registry.citizen.load(e.legalRepresentativeId) },
    },
  },
  {
    between: ['licensing', 'enterprise'],
    resolvers: {
      Enterprise: { licenses: (e: EnterpriseRecord, _: unknown, ctx: HubContext) => ctx.loaders.licensing.licensesOfEnterprise.load(e.id) },
      License: { enterprise: (l: LicenseRecord, _: unknown, ctx: HubContext) => (l.enterpriseId === null ? null : ctx.loaders.enterprise.enterprise.load(l.enterpriseId)) },
    },
  },
  {
    between: ['cases', 'enterprise'],
    resolvers: {
      Enterprise: { cases: (e: EnterpriseRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.casesOfEnterprise.load(e.id) },
      Case: { enterprise: (c: CaseRecord, _: unknown, ctx: HubContext) => (c.enterpriseId === null ? null : ctx.loaders.enterprise.enterprise.load(c.enterpriseId)) },
    },
  },
];
