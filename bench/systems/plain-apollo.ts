/**
 * System `plain-apollo`: the peer a team would build instead of the hub. The
 * same graph for the workloads, written the straightforward way: Apollo
 * Server 5 with its default plugins on Fastify, graphql-js, a small SDL,
 * resolvers over per-request DataLoaders, postgres.js with default settings.
 * No access control, no audit (so G4 returns every field).
 */
import Fastify from 'fastify';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import DataLoader from 'dataloader';
import { GraphQLScalarType } from 'graphql';
import type { AddressInfo } from 'node:net';
import { serveUnderBench } from './child.js';
import { openDepartmentPools, type DepartmentPools } from './departments.js';

const typeDefs = /* GraphQL */ `
  scalar Date
  scalar DateTime

  type Query {
    citizen(id: ID!): Citizen
    citizens(ids: [ID!]!): [Citizen]!
  }

  enum Sex { FEMALE MALE }
  enum CitizenStatus { ALIVE DECEASED }
  enum LicenseKind { DRIVING BUSINESS FOOD_BUSINESS CONSTRUCTION TAXI }
  enum LicenseStatus { ACTIVE SUSPENDED REVOKED EXPIRED }
  enum CaseStatus { SUBMITTED IN_REVIEW APPROVED REJECTED CLOSED }

  type Citizen {
    id: ID!
    name: String
    birthDate: Date
    sex: Sex
    address: Address
    phone: String
    email: String
    status: CitizenStatus
    licenses: [License!]
    cases: [Case!]
  }

  type Address {
    regionCode: String
    district: String
    street: String
    community: String
    line: String
    postalCode: String
    formatted: String
  }

  type License {
    number: String!
    kind: LicenseKind
    status: LicenseStatus
    issuedOn: Date
    expiresOn: Date
    issuer: String
  }

  type Case {
    number: String!
    status: CaseStatus
    department: String
    submittedAt: DateTime
    dueAt: DateTime
    decidedAt: DateTime
  }
`;

interface Citizen {
  id: string;
  name: string;
  birthDate: Date;
  sex: string;
  phone: string | null;
  email: string | null;
  status: string;
  address: { regionCode: string; district: string; street: string; community: string; line: string; postalCode: string; formatted: string };
}
interface License {
  number: string;
  holderId: string;
  kind: string;
  status: string;
  issuedOn: Date;
  expiresOn: Date | null;
  issuer: string;
}
interface Case {
  number: string;
  applicantId: string;
  department: string;
  status: string;
  submittedAt: Date;
  dueAt: Date;
  decidedAt: Date | null;
}

interface Context {
  citizen: DataLoader<string, Citizen | null>;
  licensesOf: DataLoader<string, License[]>;
  casesOf: DataLoader<string, Case[]>;
}

function createLoaders(db: DepartmentPools): Context {
  return {
    citizen: new DataLoader(async (ids) => {
      const rows = await db.sql.registry<Record<string, any>[]>`
        select c.*, h.region_code, h.district, h.street, h.community, h.line, h.postal_code
        from registry.citizens c join registry.households h on h.id = c.household_id
        where c.id = any(${ids as string[]})`;
      const byId = new Map<string, Citizen>();
      for (const r of rows) {
        byId.set(r.id, {
          id: r.id,
          name: r.name,
          birthDate: r.birth_date,
          sex: r.sex === 'F' ? 'FEMALE' : 'MALE',
          phone: r.phone,
          email: r.email,
          status: r.status,
          address: {
            regionCode: r.region_code,
            district: r.district,
            street: r.street,
            community: r.community,
            line: r.line,
            postalCode: r.postal_code,
            formatted: `${r.district}${r.street}${r.community}${r.line}`,
          },
        });
      }
      return ids.map((id) => byId.get(id) ?? null);
    }),
    licensesOf: new DataLoader(async (ids) => {
      const rows = await db.sql.licensing<Record<string, any>[]>`
        select * from licensing.licenses where holder_id = any(${ids as string[]}) order by issued_on desc, number`;
      const licenses: License[] = rows.map((r) => ({
        number: r.number,
        holderId: r.holder_id,
        kind: r.kind,
        status: r.status,
        issuedOn: r.issued_on,
        expiresOn: r.expires_on,
        issuer: r.issuer,
      }));
      return ids.map((id) => licenses.filter((l) => l.holderId === id));
    }),
    casesOf: new DataLoader(async (ids) => {
      const rows = await db.sql.cases<Record<string, any>[]>`
        select * from cases.cases where applicant_id = any(${ids as string[]}) order by submitted_at desc, number desc`;
      const cases: Case[] = rows.map((r) => ({
        number: r.number,
        applicantId: r.applicant_id,
        department: r.department,
        status: r.status,
        submittedAt: r.submitted_at,
        dueAt: r.due_at,
        decidedAt: r.decided_at,
      }));
      return ids.map((id) => cases.filter((c) => c.applicantId === id));
    }),
  };
}

const resolvers = {
  Date: new GraphQLScalarType({
    name: 'Date',
    serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  }),
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  }),
  Query: {
    citizen: (_: unknown, args: { id: string }, ctx: Context) => ctx.citizen.load(args.id),
    citizens: (_: unknown, args: { ids: string[] }, ctx: Context) => ctx.citizen.loadMany(args.ids),
  },
  Citizen: {
    licenses: (c: Citizen, _: unknown, ctx: Context) => ctx.licensesOf.load(c.id),
    cases: (c: Citizen, _: unknown, ctx: Context) => ctx.casesOf.load(c.id),
  },
};

await serveUnderBench(async () => {
  const db = openDepartmentPools({ dateAsText: false });
  const app = Fastify();
  const apollo = new ApolloServer<Context>({ typeDefs, resolvers, plugins: [fastifyApolloDrainPlugin(app)] });
  await apollo.start();
  await app.register(fastifyApollo(apollo), { context: async () => createLoaders(db) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    server: app.server,
    port: (app.server.address() as AddressInfo).port,
    statements: () => db.statements(),
    extra: () => ({ transactionControl: db.transactionControl() }),
    async close() {
      await app.close();
      await db.end();
    },
  };
});
