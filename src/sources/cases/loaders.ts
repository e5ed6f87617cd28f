import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../db/batch.js';
import type { CaseEventRecord, CaseRatingRecord, CaseRecord, CasesStore, DataItemRecord, FollowUpRecord, ServiceRecord } from './store.js';

/** Per-request loaders of the service center. */
export function createCasesLoaders(store: CasesStore) {
  const caseByNumber = new DataLoader<string, CaseRecord | null>(async (numbers) =>
    oneByKey(numbers, await store.casesByNumbers(numbers), (c) => c.number),
  );
  return {
    case: caseByNumber,
    casesOfApplicant: new DataLoader<string, CaseRecord[]>(async (ids) => {
      const rows = await store.casesOfApplicants(ids);
      for (const c of rows) caseByNumber.prime(c.number, c);
      return manyByKey(ids, rows, (c) => c.applicantId);
    }),
    casesOfEnterprise: new DataLoader<string, CaseRecord[]>(async (ids) => {
      const rows = await store.casesOfEnterprises(ids);
      for (const c of rows) caseByNumber.prime(c.number, c);
      return manyByKey(ids, rows, (c) => c.enterpriseId);
    }),
    eventsOfCase: new DataLoader<string, CaseEventRecord[]>(async (numbers) => manyByKey(numbers, await store.eventsOfCases(numbers), (e) => e.caseNumber)),
    ratingOfCase: new DataLoader<string, CaseRatingRecord | null>(async (numbers) => oneByKey(numbers, await store.ratingsOfCases(numbers), (r) => r.caseNumber)),
    followUpOfCase: new DataLoader<string, FollowUpRecord | null>(async (numbers) => oneByKey(numbers, await store.followUpsOfCases(numbers), (f) => f.caseNumber)),
    service: new DataLoader<string, ServiceRecord | null>(async (codes) => oneByKey(codes, await store.servicesByCodes(codes), (s) => s.code)),
    dataItemsOfService: new DataLoader<string, DataItemRecord[]>(async (codes) =>
      manyByKey(codes, await store.dataItemsOfServices(codes), (i) => i.serviceCode),
    ),
  };
}

export type CasesLoaders = ReturnType<typeof createCasesLoaders>;
