/**
 * The bench consumers, set up through the hub's GraphQL API as a steward
 * would (with the STEWARD_BOOTSTRAP_KEY the runner gives the hub): one granted
 * every field the workloads read, one granted half of G4's fields, two of them
 * masked; and the same two again for hub-registered, with the workload
 * operations registered for them from a persisted-query manifest (separate
 * consumers, so that nothing is registered for the ad hoc hub's). Idempotent:
 * an existing consumer is reused and its grants brought in line, registering
 * again updates the registrations; each run issues fresh API keys.
 */
import { BENCH_PURPOSE, FULL_GRANTS, HALF_GRANTS, workloadManifest } from '../workloads.js';

export interface ConsumerHeaders {
  full: Record<string, string>;
  half: Record<string, string>;
}

interface GrantRow {
  id: string;
  field: string;
  purposes: string[];
  condition: string;
  mask: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

async function graphql<T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`steward request failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

async function ensureConsumer(url: string, stewardKey: string, id: string, name: string, grants: typeof FULL_GRANTS): Promise<string> {
  const { consumers } = await graphql<{ consumers: { id: string }[] }>(url, stewardKey, `{ consumers { id } }`);
  if (!consumers.some((c) => c.id === id)) {
    await graphql(url, stewardKey, `mutation($input: ConsumerInput!) { createConsumer(input: $input) { id } }`, {
      input: { id, name, department: 'licensing' },
    });
  }
  const existing = (
    await graphql<{ grants: GrantRow[] }>(url, stewardKey, `query($id: ID) { grants(consumerId: $id) { id field purposes condition mask expiresAt revokedAt } }`, { id })
  ).grants.filter((g) => g.revokedAt === null);
  const matches = (g: GrantRow, want: (typeof grants)[number]) =>
    g.field === want.field && g.mask === want.mask && g.condition === 'NONE' && g.expiresAt === null && g.purposes.length === 1 && g.purposes[0] === BENCH_PURPOSE;
  for (const g of existing) {
    if (!grants.some((want) => matches(g, want))) await graphql(url, stewardKey, `mutation($id: ID!) { revokeGrant(id: $id) { id } }`, { id: g.id });
  }
  for (const want of grants) {
    if (existing.some((g) => matches(g, want))) continue;
    await graphql(url, stewardKey, `mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, {
      input: { consumerId: id, field: want.field, purposes: [BENCH_PURPOSE], condition: 'NONE', mask: want.mask },
    });
  }
  const { issueApiKey } = await graphql<{ issueApiKey: { key: string } }>(url, stewardKey, `mutation($id: ID!) { issueApiKey(consumerId: $id) { key } }`, { id });
  return issueApiKey.key;
}

/** Registers every workload operation for a consumer (SPEC §8) and checks that the hub took each under its hash. */
async function registerWorkloadOperations(url: string, stewardKey: string, consumerId: string): Promise<void> {
  const manifest = workloadManifest();
  const { registerOperations } = await graphql<{ registerOperations: { name: string | null; hash: string }[] }>(
    url,
    stewardKey,
    `mutation($id: ID!, $manifest: String!) { registerOperations(consumerId: $id, manifest: $manifest) { name hash } }`,
    { id: consumerId, manifest: JSON.stringify(manifest) },
  );
  for (const op of manifest.operations) {
    if (!registerOperations.some((r) => r.hash === op.id)) throw new Error(`registerOperations for ${consumerId} did not register ${op.name} (${op.id}): ${JSON.stringify(registerOperations)}`);
  }
}

export interface BenchConsumers {
  /** bench-reader and bench-half: the ad hoc systems' consumers (nothing registered). */
  adHoc: ConsumerHeaders;
  /** bench-registered and bench-registered-half: the same grants, every workload operation registered. */
  registered: ConsumerHeaders;
}

export async function setUpBenchConsumers(hubUrl: string, stewardKey: string): Promise<BenchConsumers> {
  const headersFor = (key: string) => ({
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${key}`,
    'x-purpose': BENCH_PURPOSE,
  });
  const full = await ensureConsumer(hubUrl, stewardKey, 'bench-reader', 'Bench reader (every field the workloads read)', FULL_GRANTS);
  const half = await ensureConsumer(hubUrl, stewardKey, 'bench-half', 'Bench reader with half the fields (G4)', HALF_GRANTS);
  const registeredFull = await ensureConsumer(hubUrl, stewardKey, 'bench-registered', 'Bench reader by registered operations (as bench-reader)', FULL_GRANTS);
  const registeredHalf = await ensureConsumer(hubUrl, stewardKey, 'bench-registered-half', 'Bench reader by registered operations with half the fields (as bench-half)', HALF_GRANTS);
  for (const id of ['bench-registered', 'bench-registered-half']) await registerWorkloadOperations(hubUrl, stewardKey, id);
  return {
    adHoc: { full: headersFor(full), half: headersFor(half) },
    registered: { full: headersFor(registeredFull), half: headersFor(registeredHalf) },
  };
}
