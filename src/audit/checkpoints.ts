import { createHmac, timingSafeEqual } from 'node:crypto';
import { CHAIN_VERSION, type ChainVersion } from './chain.js';
import type { AuditStore } from './store.js';
import { verifyAuditChain, type AuditVerification, type ChainPoint } from './verify.js';

/**
 * Verification from checkpoints (issue 15): on a log of a million records a
 * full walk takes about half a minute, so `verifyAudit` walks on from the
 * latest checkpoint: a record the verifier found intact, with its hash.
 *
 * How a checkpoint is protected: it carries an HMAC-SHA256 of the record's id,
 * hash and chain version under AUDIT_CHECKPOINT_KEY, a key kept out of every
 * database. Someone with the database's rights who rewrites the chain (every
 * hash from a changed record on) changes the checkpointed record's hash: the
 * walk stops there, naming it. Rewriting the checkpoints too needs the key; a
 * checkpoint whose HMAC does not verify is ignored, and the walk starts from
 * an earlier one or from the first record. What a walk from a checkpoint does
 * not see is a record before it changed without its hash being recomputed:
 * that breaks the chain where it is, and the full walk (`verifyAudit(full:
 * true)`, `npm run audit:verify`, e.g. nightly) names it. Without a key there
 * are no checkpoints and every verification is a full walk.
 */

export interface CheckpointedVerification extends AuditVerification {
  /** The checkpoint the walk started after, or null for a walk from the first record. */
  fromId: number | null;
}

const macOf = (key: string, point: ChainPoint) => createHmac('sha256', key).update(`oncegraph-audit-checkpoint:${point.id}:${point.hash}:${point.chainVersion}`).digest('hex');

function macMatches(key: string, point: ChainPoint, mac: string): boolean {
  const expected = Buffer.from(macOf(key, point), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** How many of the newest checkpoints are tried before falling back to a full walk. */
const CHECKPOINTS_TRIED = 20;

export async function verifyAuditLog(store: AuditStore, options: { key: string | null; full: boolean; pageSize?: number }): Promise<CheckpointedVerification> {
  const { key, full, pageSize = 20_000 } = options;
  let from: ChainPoint | null = null;
  if (key && !full) {
    for (const checkpoint of await store.checkpoints(CHECKPOINTS_TRIED)) {
      const point: ChainPoint = { id: checkpoint.recordId, hash: checkpoint.hash, chainVersion: checkpoint.chainVersion as ChainVersion };
      if (point.chainVersion < 1 || point.chainVersion > CHAIN_VERSION || !macMatches(key, point, checkpoint.mac)) continue; // forged or from another key
      // The checkpointed record must still be there with the hash it had: otherwise the chain was rewritten.
      const [record] = await store.byIds([point.id]);
      if (!record || record.hash !== point.hash) {
        return {
          ok: false,
          checked: 1,
          firstBrokenId: point.id,
          problem: `record ${point.id} ${record ? 'no longer has the hash it had' : 'is gone, yet it was there'} when checkpoint ${point.id} was taken at ${new Date(checkpoint.createdAt).toISOString()}: the chain was rewritten up to it.`,
          fromId: point.id,
        };
      }
      from = point;
      break;
    }
  }
  const result = await verifyAuditChain(store, pageSize, from);
  if (result.ok && key) {
    const last = await store.lastRecord();
    // A record appended during the walk is not checked yet: checkpoint only what the walk reached.
    if (last && result.checked > 0 && last.id === (from?.id ?? 0) + result.checked) {
      const point: ChainPoint = { id: last.id, hash: last.hash, chainVersion: last.chainVersion as ChainVersion };
      await store.insertCheckpoint({ recordId: point.id, hash: point.hash, chainVersion: point.chainVersion, mac: macOf(key, point), checked: result.checked });
    }
  }
  return { ...result, fromId: from?.id ?? null };
}
