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
  const v1 = [
    id,
    content.at,
    content.requestId,
    content.consumerId,
    content.department,
    content.officer,
    content.purpose,
    content.caseRef,
    content.operationName,
    content.operationHash,
    content.citizenId,
    content.fieldsReturned,
    content.fieldsDenied,
    content.outcome,
    content.serviceCode,
  ];
  const canonical =
    version === 1
      ? JSON.stringify([...v1, prevHash])
      : version === 2
        ? JSON.stringify([version, ...v1, content.actor, content.role, prevHash])
        : JSON.stringify([version, ...v1, content.actor, content.role, content.subjectType, content.subjectId, prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Chains `contents` after the record (lastId, lastHash), in the current chain version. */
export function chain(contents: readonly AuditContent[], lastId: number, lastHash: string): ChainedRecord[] {
  let prevHash = lastHash;
  return contents.map((content, i) => {
    const id = lastId + 1 + i;
    const hash = recordHash(id, content, prevHash, CHAIN_VERSION);
    const record = { ...content, id, chainVersion: CHAIN_VERSION, prevHash, hash };
    prevHash = hash;
    return record;
  });
}
