/**
 * System `raw-sql`: the floor for this stack. A hand-written node:http handler
 * that recognises each workload by its operation name, sends exactly the
 * statements the hub sends for the same answer (one per department per level,
 * the same SQL, prepared, `= any($1)`), converts values the way the hub does
 * and returns byte-for-byte the JSON the hub returns (the runner checks this).
 * No GraphQL, no access control, no audit: for G4 the denied fields, masks and
 * FORBIDDEN errors of the half-granted consumer are written out by hand.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveUnderBench } from './child.js';
import { openDepartmentPools } from './departments.js';
import { HALF_DENIED, QUERIES } from '../workloads.js';

interface CitizenRow {
  id: string;
  name: string;
  birth_date: string;
  sex: string;
  phone: string | null;
  email: string | null;
  status: string;
}
interface LicenseRow {
  number: string;
  holder_id: string;
  kind: string;
  status: string;
  issued_on: string;
  expires_on: string | null;
}
interface CaseRow {
  number: string;
  applicant_id: string;
  department: string;
  status: string;
  submitted_at: string;
  decided_at: string | null;
}

// The statements the hub's stores send (src/sources/*/store.ts), with the same columns and order.
const CITIZENS_BY_IDS = `select c.id, c.name, c.birth_date, c.sex, c.household_id, c.relation, c.phone, c.email, c.status, c.died_on,
  h.region_code, h.district, h.street, h.community, h.line, h.postal_code
  from registry.citizens c inner join registry.households h on h.id = c.household_id where c.id = any($1)`;
const LICENSES_OF_HOLDERS = `select number, holder_id, kind, status, issued_on, expires_on, issuer
  from licensing.licenses where holder_id = any($1) order by issued_on desc, number`;
const CASES_OF_APPLICANTS = `select number, service_code, applicant_id, department, status, submitted_at, due_at, decided_at
  from cases.cases where applicant_id = any($1) order by submitted_at desc, number desc`;

const pools = openDepartmentPools({ dateAsText: true });

const citizensByIds = (ids: string[]) => pools.sql.registry.unsafe<CitizenRow[]>(CITIZENS_BY_IDS, [ids], { prepare: true });
const licensesOf = (ids: string[]) => pools.sql.licensing.unsafe<LicenseRow[]>(LICENSES_OF_HOLDERS, [ids], { prepare: true });
const casesOf = (ids: string[]) => pools.sql.cases.unsafe<CaseRow[]>(CASES_OF_APPLICANTS, [ids], { prepare: true });

/** As the hub's isoInstant: a timestamptz's text to ISO 8601 in UTC. */
const iso = (text: string | null) => (text === null ? null : new Date(text).toISOString());

const scalars = (c: CitizenRow) => ({
  id: c.id,
  name: c.name,
  birthDate: c.birth_date,
  sex: c.sex === 'F' ? 'FEMALE' : 'MALE',
  phone: c.phone,
  email: c.email,
  status: c.status === 'DECEASED' ? 'DECEASED' : 'ALIVE',
});
const license = (l: LicenseRow) => ({ number: l.number, kind: l.kind, status: l.status, issuedOn: l.issued_on, expiresOn: l.expires_on });
const serviceCase = (c: CaseRow) => ({ number: c.number, status: c.status, department: c.department, submittedAt: iso(c.submitted_at), decidedAt: iso(c.decided_at) });

function groupBy<R>(rows: R[], key: (row: R) => string): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Citizens in the order asked (null where unknown), each with licenses and cases: three statements. */
async function linkedCitizens(ids: string[]) {
  const rows = await citizensByIds(ids);
  const byId = new Map(rows.map((c) => [c.id, c]));
  const found = [...byId.keys()];
  const [licenses, cases] = found.length === 0 ? [[], []] : await Promise.all([licensesOf(found), casesOf(found)]);
  const licensesBy = groupBy(licenses, (l) => l.holder_id);
  const casesBy = groupBy(cases, (c) => c.applicant_id);
  return ids.map((id) => {
    const c = byId.get(id);
    if (!c) return null;
    return {
      id: c.id,
      name: c.name,
      birthDate: c.birth_date,
      phone: c.phone,
      licenses: (licensesBy.get(id) ?? []).map(license),
      cases: (casesBy.get(id) ?? []).map(serviceCase),
    };
  });
}

/** Where each denied field of G4 stands in the operation text (GraphQL error locations are 1-based). */
const HALF_LOCATIONS = Object.fromEntries(HALF_DENIED.map((field) => [field, [{ line: 1, column: QUERIES.G4.indexOf(` ${field} `) + 2 }]]));
const NO_GRANT = 'no grant lets your application read it; ask a data steward (requestAccess).';

/** G4: what the half-granted consumer gets: four fields (two masked), four nulls with FORBIDDEN errors. */
async function halfGranted(id: string) {
  const [c] = await citizensByIds([id]);
  if (!c) return { data: { citizen: null } };
  const licenses = await licensesOf([id]);
  const phone = c.phone === null ? null : c.phone.length <= 4 ? c.phone : '*'.repeat(c.phone.length - 4) + c.phone.slice(-4);
  return {
    errors: HALF_DENIED.map((field) => {
      const name = `Citizen.${field}`;
      return {
        message: `Not allowed to read ${name}: ${NO_GRANT}`,
        locations: HALF_LOCATIONS[field],
        path: ['citizen', field],
        extensions: { code: 'FORBIDDEN', field: name, reason: 'NO_GRANT' },
      };
    }),
    data: {
      citizen: {
        id: c.id,
        name: c.name,
        birthDate: c.birth_date.slice(0, 4),
        sex: null,
        phone,
        email: null,
        status: null,
        licenses: licenses.map(license),
        cases: null,
      },
    },
  };
}

async function answer(body: { operationName?: string; variables?: Record<string, any> }): Promise<unknown> {
  const v = body.variables ?? {};
  switch (body.operationName) {
    case 'G1': {
      const [c] = await citizensByIds([v.id]);
      return { data: { citizen: c ? scalars(c) : null } };
    }
    case 'G2':
      return { data: { citizen: (await linkedCitizens([v.id]))[0] } };
    case 'G3':
      return { data: { citizens: await linkedCitizens(v.ids) } };
    case 'G4':
      return halfGranted(v.id);
    default:
      throw Object.assign(new Error(`raw-sql does not implement operation ${body.operationName}`), { status: 400 });
  }
}

function reply(res: http.ServerResponse, status: number, payload: unknown): void {
  // Apollo Server ends its JSON with a line break: so does this, to give the same bytes.
  const text = JSON.stringify(payload) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

await serveUnderBench(async () => {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return reply(res, 404, { errors: [{ message: 'not found' }] });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve()
        .then(() => answer(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        .then(
          (payload) => reply(res, 200, payload),
          (error: { status?: number; message?: string }) => reply(res, error.status ?? 500, { errors: [{ message: error.message ?? 'failed' }] }),
        );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    statements: () => pools.statements(),
    extra: () => ({ transactionControl: pools.transactionControl() }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pools.end();
    },
  };
});
