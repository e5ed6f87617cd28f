import { CHAIN_VERSION, GENESIS_HASH, recordHash, type ChainVersion } from './chain.js';
import type { AuditStore } from './store.js';

/** A record of the chain known intact: a walk may start after it (a checkpoint, see checkpoints.ts). */
export interface ChainPoint {
  id: number;
  hash: string;
  chainVersion: ChainVersion;
}

export interface AuditVerification {
  ok: boolean;
  /** Records checked, up to and including the first broken one. */
  checked: number;
  firstBrokenId: number | null;
  problem: string | null;
}

/**
 * Walks the chain in id order (SPEC §6) and names the first record that was
 * changed (its hash no longer matches its content), removed (a gap in the
 * ids, or a record whose predecessor's hash it does not hold) or inserted.
 * Each record is checked in its own chain version; versions never go down
 * along the chain, so a record cannot be passed off as an older version
 * whose hash covers less.
 */
export async function verifyAuditChain(store: AuditStore, pageSize = 20_000, from: ChainPoint | null = null): Promise<AuditVerification> {
  let expectedId = (from?.id ?? 0) + 1;
  let prevHash = from?.hash ?? GENESIS_HASH;
  let version: ChainVersion = from?.chainVersion ?? 1;
  let checked = 0;
  for (;;) {
    const page = await store.chainPage(expectedId - 1, pageSize);
    for (const record of page) {
      checked++;
      const broken = (problem: string): AuditVerification => ({ ok: false, checked, firstBrokenId: record.id, problem });
      if (record.id !== expectedId) {
        return broken(`records ${expectedId}${record.id - 1 > expectedId ? `–${record.id - 1}` : ''} are missing before record ${record.id}: removed.`);
      }
      if (record.prevHash !== prevHash) {
        return broken(`record ${record.id} does not chain to the record before it: it was inserted, or the one before it was removed or replaced.`);
      }
      if (!Number.isInteger(record.chainVersion) || record.chainVersion < version || record.chainVersion > CHAIN_VERSION) {
        return broken(`record ${record.id} claims chain version ${record.chainVersion} after version ${version}: its content was changed.`);
      }
      // Before version 3 the subject was always the citizen the hash covers: anything else was changed afterwards.
      if (record.chainVersion < 3 && (record.subjectType !== 'CITIZEN' || record.subjectId !== record.citizenId)) {
        return broken(`record ${record.id} names a data subject its hash does not cover: its content was changed.`);
      }
      if (recordHash(record.id, record, record.prevHash, record.chainVersion) !== record.hash) {
        return broken(`record ${record.id} does not match its hash: its content was changed.`);
      }
      version = record.chainVersion;
      prevHash = record.hash;
      expectedId++;
    }
    if (page.length < pageSize) return { ok: true, checked, firstBrokenId: null, problem: null };
  }
}
