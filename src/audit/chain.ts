import { createHash } from 'node:crypto';

/** The hash the first record chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'GRANTED' | 'PARTIAL' | 'DENIED';

/** One audit record's content: names and ids only, never a field value. */
export interface AuditContent {
  at: string;
  requestId: string;
  consumerId: string | null;
  department: string | null;
  /** Who read: the credential's actor (SPEC §3), never the declared officer. */
  actor: string;
  /** The credential's role: consumer, steward or citizen. */
  role: string;
  officer: string | null;
  purpose: string | null;
  caseRef: string | null;
  operationName: string | null;
  operationHash: string;
  /** Whose data was read. */
  subjectType: 'CITIZEN' | 'ENTERPRISE';
  subjectId: string;
  /** `subjectId` when the subject is a citizen, else null. */
  citizenId: string | null;
  fieldsReturned: string[];
  fieldsDenied: string[];
  outcome: AuditOutcome;
  /** The service an application was pre-filled or submitted for, if the read served one. */
  serviceCode: string | null;
}

export interface ChainedRecord extends AuditContent {
  id: number;
  /** Which canonical form `hash` covers; see `recordHash`. */
  chainVersion: ChainVersion;
  prevHash: string;
  hash: string;
}

/**
 * 1: records written before actor and role were recorded (migration
 * 0004_identity filled those in afterwards, outside the hash).
 * 2: the hash covers actor and role as well.
 * 3: the hash covers the data subject's type and ID as well (enterprises are
 * subjects too; migration 0005_subjects set them for older records from
 * their citizen ID, which their own hash covers).
 * New records are always written in the current version, and a chain never
 * goes back to an older one.
 */
export type ChainVersion = 1 | 2 | 3;
export const CHAIN_VERSION: ChainVersion = 3;

/**
 * A record's hash covers its id, every part of its content that its chain
 * version covers, and the previous record's hash, in a fixed order (SPEC §6).
 * Changing, removing or inserting a record breaks the chain at that record;
 * so does relabelling a record with another version, since each version
 * hashes a different canonical form (version 2 and later lead with the
 * version itself).
 */
export function recordHash(id: number, content: AuditContent, prevHash: string, version: ChainVersion): string {
  const c = content;
  // Written out per version rather than built from parts: this runs for every record written (issue 13).
  const canonical =
    version === 3
      ? JSON.stringify([3, id, c.at, c.requestId, c.consumerId, c.department, c.officer, c.purpose, c.caseRef, c.operationName, c.operationHash, c.citizenId, c.fieldsReturned, c.fieldsDenied, c.outcome, c.serviceCode, c.actor, c.role, c.subjectType, c.subjectId, prevHash])
      : version === 2
        ? JSON.stringify([2, id, c.at, c.requestId, c.consumerId, c.department, c.officer, c.purpose, c.caseRef, c.operationName, c.operationHash, c.citizenId, c.fieldsReturned, c.fieldsDenied, c.outcome, c.serviceCode, c.actor, c.role, prevHash])
        : JSON.stringify([id, c.at, c.requestId, c.consumerId, c.department, c.officer, c.purpose, c.caseRef, c.operationName, c.operationHash, c.citizenId, c.fieldsReturned, c.fieldsDenied, c.outcome, c.serviceCode, prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Chains `contents` after the record (lastId, lastHash), in the current chain version. */
export function chain(contents: readonly AuditContent[], lastId: number, lastHash: string): ChainedRecord[] {
  let prevHash = lastHash;
  const records: ChainedRecord[] = new Array(contents.length);
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i];
    const id = lastId + 1 + i;
    const hash = recordHash(id, c, prevHash, CHAIN_VERSION);
    // Every property named (no spread): one object shape for every record, built without copying a dictionary.
    records[i] = {
      id,
      at: c.at,
      requestId: c.requestId,
      consumerId: c.consumerId,
      department: c.department,
      actor: c.actor,
      role: c.role,
      officer: c.officer,
      purpose: c.purpose,
      caseRef: c.caseRef,
      operationName: c.operationName,
      operationHash: c.operationHash,
      subjectType: c.subjectType,
      subjectId: c.subjectId,
      citizenId: c.citizenId,
      fieldsReturned: c.fieldsReturned,
      fieldsDenied: c.fieldsDenied,
      outcome: c.outcome,
      serviceCode: c.serviceCode,
      chainVersion: CHAIN_VERSION,
      prevHash,
      hash,
    };
    prevHash = hash;
  }
  return records;
}
