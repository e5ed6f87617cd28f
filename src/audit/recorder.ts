import { responsePathAsArray, type ResponsePath } from 'graphql';
import { printable, type Viewer } from '../access/viewer.js';
import type { AuditContent, AuditOutcome } from './chain.js';

/** A response path: graphql's linked form (converted only if needed) or an array. */
type Path = ResponsePath | readonly (string | number)[];


/**
 * One request's personal reads (SPEC §6): which classified fields of which
 * citizen were returned or denied, and where in the response the returned
 * ones are, so that they can be withheld if the records cannot be written.
 */
export class AuditRecorder {
  readonly #reads = new Map<string, { returned: Set<string>; denied: Set<string> }>();
  readonly #paths: Path[] = [];
  /** Set when the request pre-fills or submits an application (once-only reads are counted per service). */
  serviceCode: string | null = null;

  #of(citizenId: string) {
    let read = this.#reads.get(citizenId);
    if (!read) this.#reads.set(citizenId, (read = { returned: new Set(), denied: new Set() }));
    return read;
  }

  /**
   * Records one decided read of `field` about `citizenId` (SPEC §6: personal
   * and sensitive reads, granted or not; other levels are not audited).
   * `path` is where a returned value sits in the response.
   */
  read(field: { name: string; level: string | null }, citizenId: string, allowed: boolean, path: Path): void {
    if (field.level !== 'PERSONAL' && field.level !== 'SENSITIVE') return;
    if (allowed) this.returned(citizenId, field.name, path);
    else this.denied(citizenId, field.name);
  }

  returned(citizenId: string, field: string, path: Path): void {
    this.#of(citizenId).returned.add(field);
    this.#paths.push(path);
  }

  denied(citizenId: string, field: string): void {
    this.#of(citizenId).denied.add(field);
  }

  get isEmpty(): boolean {
    return this.#reads.size === 0;
  }

  /** Response paths that hold personal data. */
  get personalPaths(): readonly (readonly (string | number)[])[] {
    return this.#paths.map((p) => (Array.isArray(p) ? p : responsePathAsArray(p as ResponsePath)));
  }

  /** One record per citizen read, in the order first read. */
  contents(request: { requestId: string; viewer: Viewer; operationName: string | null; operationHash: string; at?: string }): AuditContent[] {
    const { viewer } = request;
    const at = request.at ?? new Date().toISOString();
    return [...this.#reads].map(([citizenId, read]) => {
      const fieldsReturned = [...read.returned].sort();
      const fieldsDenied = [...read.denied].filter((f) => !read.returned.has(f)).sort();
      const outcome: AuditOutcome = fieldsDenied.length === 0 ? 'GRANTED' : fieldsReturned.length === 0 ? 'DENIED' : 'PARTIAL';
      return {
        at,
        requestId: request.requestId,
        consumerId: viewer.consumer?.id ?? null,
        department: viewer.consumer?.department ?? null,
        // The viewer's text was cleaned where it entered (credentials); the operation name comes from the body.
        // Who read is the credential's actor; a declared officer is recorded beside it, never instead (SPEC §3).
        actor: viewer.actor,
        role: viewer.role,
        officer: viewer.officer,
        purpose: viewer.purpose,
        caseRef: viewer.caseRef,
        operationName: printable(request.operationName, 128),
        operationHash: request.operationHash,
        citizenId,
        fieldsReturned,
        fieldsDenied,
        outcome,
        serviceCode: this.serviceCode,
      };
    });
  }
}
