/**
 * Audit verification from checkpoints (issue 15): with AUDIT_CHECKPOINT_KEY,
 * verifyAudit walks on from the latest signed checkpoint; a chain rewritten
 * across a checkpoint, or a forged checkpoint, is found out; a full walk still
 * finds what a walk from a checkpoint cannot see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { recordHash, type ChainVersion } from '../src/audit/chain.js';
import { createAuditStore } from '../src/audit/store.js';
import { createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const KEY = 'checkpoint-key-for-tests-0123456789abcdef';
let t: TestHub;
let citizens: string[];
let reader: Awaited<ReturnType<typeof createReader>>;

const verify = async (full = false) => {
  const res = await t.graphql(`query($full: Boolean) { verifyAudit(full: $full) { ok checked firstBrokenId problem fromId } }`, { full }, STEWARD);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.verifyAudit as { ok: boolean; checked: number; firstBrokenId: string | null; problem: string | null; fromId: string | null };
};
const read = async (n: number) => {
  for (const id of citizens.slice(0, n)) expect((await t.graphql(`{ citizen(id: "${id}") { name } }`, {}, reader.headers)).body.errors).toBeUndefined();
};
const head = async () => Number((await t.dbs.hub.rows<{ id: string }>(sql`select max(id)::text as id from hub.audit_log`))[0].id);

/** An attacker with the database owner's rights (trigger off) runs `fn`. */
async function asAttacker(fn: () => Promise<void>) {
  await t.dbs.hub.rows(sql`alter table hub.audit_log disable trigger user`);
  try {
    await fn();
  } finally {
    await t.dbs.hub.rows(sql`alter table hub.audit_log enable trigger user`);
  }
}

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000', AUDIT_CHECKPOINT_KEY: KEY });
  citizens = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens order by id limit 6`)).map((r) => r.id);
  reader = await createReader(t, { fields: ['Citizen.name'] });
});
afterAll(() => t?.close());

describe('verifyAudit from checkpoints', () => {
  it('walks the whole chain once, then on from the checkpoint each walk leaves', async () => {
    await read(3);
    const first = await verify();
    expect(first).toMatchObject({ ok: true, fromId: null, checked: await head() });
    const checkpoint = await head();
    await read(2);
    const second = await verify();
    expect(second).toMatchObject({ ok: true, fromId: String(checkpoint), checked: (await head()) - checkpoint });
    const [{ n }] = await t.dbs.hub.rows<{ n: number }>(sql`select count(*)::int as n from hub.audit_checkpoints`);
    expect(n).toBe(2);
    // A full walk is still there for the nightly run.
    expect(await verify(true)).toMatchObject({ ok: true, fromId: null, checked: await head() });
  });

  it('finds a chain rewritten across the checkpoint (every hash recomputed) at the checkpointed record', async () => {
    await read(1);
    expect((await verify()).ok).toBe(true);
    const checkpoint = await head();
    const audit = createAuditStore(t.dbs.hub);
    const victim = checkpoint - 2;
    const saved = await audit.chainPage(victim - 1, 1000);
    try {
      await asAttacker(async () => {
        // Drop a field from the victim and recompute every hash after it, as one who knows the chain's rules would.
        let prev = saved[0].prevHash;
        for (const record of saved) {
          const content = record.id === victim ? { ...record, fieldsReturned: [] } : record;
          const hash = recordHash(record.id, content, prev, record.chainVersion as ChainVersion);
          await t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = ${`{${content.fieldsReturned.join(',')}}`}::text[], prev_hash = ${prev}, hash = ${hash} where id = ${record.id}`);
          prev = hash;
        }
      });
      const found = await verify();
      expect(found).toMatchObject({ ok: false, firstBrokenId: String(checkpoint), fromId: String(checkpoint) });
      expect(found.problem).toMatch(/rewritten/);
    } finally {
      await asAttacker(async () => {
        for (const r of saved) await t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = ${`{${r.fieldsReturned.join(',')}}`}::text[], prev_hash = ${r.prevHash}, hash = ${r.hash} where id = ${r.id}`);
      });
    }
    expect((await verify()).ok).toBe(true);
  });

  it('ignores a checkpoint without the key: a forged one cannot hide a change', async () => {
    expect((await verify()).ok).toBe(true);
    await read(1);
    const victim = await head(); // after the last genuine checkpoint
    await read(1);
    const last = await head();
    const [original] = await t.dbs.hub.rows<{ fields_returned: string[] }>(sql`select fields_returned from hub.audit_log where id = ${victim}`);
    try {
      await asAttacker(() => t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = '{}' where id = ${victim}`).then(() => undefined));
      // A checkpoint past the change, signed with a guessed key.
      const [{ hash }] = await t.dbs.hub.rows<{ hash: string }>(sql`select hash from hub.audit_log where id = ${last}`);
      await t.dbs.hub.rows(sql`insert into hub.audit_checkpoints (record_id, hash, chain_version, mac, checked) values (${last}, ${hash}, 3, ${'ab'.repeat(32)}, 1)`);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(victim) });
    } finally {
      await t.dbs.hub.rows(sql`delete from hub.audit_checkpoints where record_id = ${last}`);
      await asAttacker(() => t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = ${`{${original.fields_returned.join(',')}}`}::text[] where id = ${victim}`).then(() => undefined));
    }
    expect((await verify()).ok).toBe(true);
  });

  it('a record changed before the checkpoint without its hash recomputed is for the full walk to find', async () => {
    await read(1);
    expect((await verify()).ok).toBe(true);
    const victim = (await head()) - 1;
    const [original] = await t.dbs.hub.rows<{ fields_returned: string[] }>(sql`select fields_returned from hub.audit_log where id = ${victim}`);
    try {
      await asAttacker(() => t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = '{}' where id = ${victim}`).then(() => undefined));
      expect((await verify()).ok).toBe(true); // on from the checkpoint: the documented blind spot
      expect(await verify(true)).toMatchObject({ ok: false, firstBrokenId: String(victim), fromId: null });
    } finally {
      await asAttacker(() => t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = ${`{${original.fields_returned.join(',')}}`}::text[] where id = ${victim}`).then(() => undefined));
    }
  });

  it('without a key there are no checkpoints: every walk starts at the first record', async () => {
    const plain = await startTestHub({}, t.db);
    try {
      const res = await plain.graphql(`{ verifyAudit { ok fromId checked } }`, {}, STEWARD);
      expect(res.body.data.verifyAudit).toMatchObject({ ok: true, fromId: null, checked: await head() });
    } finally {
      await plain.hub.close();
    }
  });
});
