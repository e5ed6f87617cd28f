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
  officer: string | null;
  purpose: string | null;
  caseRef: string | null;
  operationName: string | null;
  operationHash: string;
  citizenId: string;
  fieldsReturned: string[];
  fieldsDenied: string[];
  outcome: AuditOutcome;
  /** The service an application was pre-filled or submitted for, if the read served one. */
  serviceCode: string | null;
}

export interface ChainedRecord extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

/**
 * A record's hash covers its id, every part of its content, and the previous
 * record's hash, in a fixed order (SPEC §6). Changing, removing or inserting
 * a record breaks the chain at that record.
 */
export function recordHash(id: number, content: AuditContent, prevHash: string): string {
  const canonical = JSON.stringify([
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
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Chains `contents` after the record (lastId, lastHash). */
export function chain(contents: readonly AuditContent[], lastId: number, lastHash: string): ChainedRecord[] {
  let prevHash = lastHash;
  return contents.map((content, i) => {
    const id = lastId + 1 + i;
    const hash = recordHash(id, content, prevHash);
    const record = { ...content, id, prevHash, hash };
    prevHash = hash;
    return record;
  });
}
