/**
 * The workloads of SPEC §8. Every system gets the same HTTP request: a
 * GraphQL POST with the same operation text and variables. The GraphQL
 * servers execute it; raw-sql and static recognise it by operation name.
 * `hub-registered` gets the same request with the text replaced by its hash
 * (Apollo's persisted-query extension), as a client of registered operations
 * sends it (`registeredBody`).
 */
import { createHash } from 'node:crypto';

/** Fields of a license and a case read by G2–G4. */
const LICENSE_FIELDS = 'number kind status issuedOn expiresOn';
const CASE_FIELDS = 'number status department submittedAt decidedAt';

export const SELECTIONS = {
  /** G1: scalars only (one registry statement). */
  scalars: 'id name birthDate sex phone email status',
  /** G2, G3: a citizen with its licenses and cases (one statement per department). */
  linked: `id name birthDate phone licenses { ${LICENSE_FIELDS} } cases { ${CASE_FIELDS} }`,
  /** G4: eight fields of which the half-granted consumer may read four, two of them masked. */
  half: `id name birthDate sex phone email status licenses { ${LICENSE_FIELDS} } cases { ${CASE_FIELDS} }`,
} as const;

export const QUERIES = {
  G1: `query G1($id: ID!) { citizen(id: $id) { ${SELECTIONS.scalars} } }`,
  G2: `query G2($id: ID!) { citizen(id: $id) { ${SELECTIONS.linked} } }`,
  G3: `query G3($ids: [ID!]!) { citizens(ids: $ids) { ${SELECTIONS.linked} } }`,
  G4: `query G4($id: ID!) { citizen(id: $id) { ${SELECTIONS.half} } }`,
  G5: `query G5($serviceCode: String!, $citizenId: ID!) { prefill(serviceCode: $serviceCode, citizenId: $citizenId) { serviceCode citizenId prefilledCount deniedCount missingCount items { key label field value source status reason } } }`,
} as const;

export type WorkloadName = keyof typeof QUERIES;

/** G5's form: registry fields (name, birth date, address, phone) and a licensing one (the driving license). */
export const PREFILL_SERVICE = 'DRIVING_LICENSE_RENEWAL';

/** The purpose both bench consumers declare. */
export const BENCH_PURPOSE = 'LICENSE_ISSUANCE';

/** What the full reader is granted: every field the workloads read. */
export const FULL_GRANTS: { field: string; mask: 'NONE' | 'YEAR_ONLY' | 'PARTIAL' }[] = [
  'Citizen.name',
  'Citizen.birthDate',
  'Citizen.sex',
  'Citizen.phone',
  'Citizen.email',
  'Citizen.status',
  'Citizen.address',
  'Citizen.licenses',
  'Citizen.cases',
].map((field) => ({ field, mask: 'NONE' as const }));

/**
 * G4's consumer: four of the eight fields of SELECTIONS.half granted, two of
 * them masked; sex, email, status and cases denied (NO_GRANT).
 */
export const HALF_GRANTS: { field: string; mask: 'NONE' | 'YEAR_ONLY' | 'PARTIAL' }[] = [
  { field: 'Citizen.name', mask: 'NONE' },
  { field: 'Citizen.birthDate', mask: 'YEAR_ONLY' },
  { field: 'Citizen.phone', mask: 'PARTIAL' },
  { field: 'Citizen.licenses', mask: 'NONE' },
];
export const HALF_DENIED = ['sex', 'email', 'status', 'cases'] as const;

export interface Workload {
  /** Row key: G1, G2, G3, G4, G5. */
  name: WorkloadName;
  /** Citizens per request. */
  n: number;
  /** Which bench consumer's headers to send. */
  consumer: 'full' | 'half';
  /** Builds one request body for the given citizen ids (n of them). */
  body(ids: readonly string[]): string;
  /** Systems that can answer it (a baseline without access control still answers G4, with every field). */
  systems: readonly SystemName[];
}

export const SYSTEMS = ['hub', 'hub-registered', 'hub-no-audit', 'plain-apollo', 'raw-sql', 'static'] as const;
export type SystemName = (typeof SYSTEMS)[number];

const single = (name: 'G1' | 'G2' | 'G4', consumer: Workload['consumer']): Workload => ({
  name,
  n: 1,
  consumer,
  body: (ids) => JSON.stringify({ query: QUERIES[name], operationName: name, variables: { id: ids[0] } }),
  systems: SYSTEMS,
});

const batch = (n: number): Workload => ({
  name: 'G3',
  n,
  consumer: 'full',
  body: (ids) => JSON.stringify({ query: QUERIES.G3, operationName: 'G3', variables: { ids } }),
  systems: SYSTEMS,
});

export const WORKLOADS: readonly Workload[] = [
  single('G1', 'full'),
  single('G2', 'full'),
  batch(1),
  batch(10),
  batch(100),
  single('G4', 'half'),
  {
    name: 'G5',
    n: 1,
    consumer: 'full',
    body: (ids) => JSON.stringify({ query: QUERIES.G5, operationName: 'G5', variables: { serviceCode: PREFILL_SERVICE, citizenId: ids[0] } }),
    // Prefill is the hub's own feature: no baseline implements it; static gives the HTTP ceiling for its size.
    systems: ['hub', 'hub-registered', 'hub-no-audit', 'static'],
  },
];

export function workloadKey(w: Pick<Workload, 'name' | 'n'>): string {
  return w.name === 'G3' ? `G3 n=${w.n}` : w.name;
}

/** SHA-256 (hex) of an operation's text: the manifest's id and the persisted-query extension's sha256Hash. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Every workload operation as Apollo's persisted-query manifest
 * (`@apollo/generate-persisted-query-manifest`'s format, SPEC §8): what the
 * runner registers for hub-registered's consumers.
 */
export function workloadManifest(): { format: 'apollo-persisted-query-manifest'; version: 1; operations: { id: string; name: string; type: 'query'; body: string }[] } {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: Object.entries(QUERIES).map(([name, body]) => ({ id: sha256Hex(body), name, type: 'query' as const, body })),
  };
}

/** The same request sent by hash: no `query`, the operation's SHA-256 in the persisted-query extension. */
export function registeredBody(adHoc: string): string {
  const { query, operationName, variables } = JSON.parse(adHoc) as { query: string; operationName: string; variables: unknown };
  return JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } });
}

/** Systems that are the hub (answer as the hub, need the bench consumers and their grants). */
export const HUB_SYSTEMS: readonly SystemName[] = ['hub', 'hub-registered', 'hub-no-audit'];
