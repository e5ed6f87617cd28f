import { responsePathAsArray, type ResponsePath } from 'graphql';
import { printable, type Viewer } from '../access/viewer.js';
import type { AuditContent, AuditOutcome } from './chain.js';
import type { Subject } from '../access/fields.js';

interface SubjectReads {
  subject: Subject;
  returned: Set<string>;
  denied: Set<string>;
}

/** A response path: graphql's linked form (converted only if needed) or an array. */
type Path = ResponsePath | readonly (string | number)[];


/**
 * One request's personal reads (SPEC §6): which classified fields of which
 * data subject (citizen or enterprise) were returned or denied, and where in
 * the response the returned ones are, so that they can be withheld if the
 * records cannot be written.
 */
export class AuditRecorder {
  /** Reads per subject, by subject type and ID (no key text built per field read); `#order` keeps first-read order. */
  readonly #reads = { CITIZEN: new Map<string, SubjectReads>(), ENTERPRISE: new Map<string, SubjectReads>() };
  readonly #order: SubjectReads[] = [];
  readonly #paths: Path[] = [];
  /** Set when the request pre-fills or submits an application (once-only reads are counted per service). */
  serviceCode: string | null = null;

  #of(subject: Subject): SubjectReads {
    const reads = this.#reads[subject.type];
    let read = reads.get(subject.id);
    if (!read) {
      reads.set(subject.id, (read = { subject, returned: new Set(), denied: new Set() }));
      this.#order.push(read);
    }
    return read;
  }

  /**
   * Records one decided read of `field` about `subject` (SPEC §6: personal
   * and sensitive reads, granted or not; other levels are not audited).
   * `path` is where a returned value sits in the response.
   */
  read(field: { name: string; level: string | null }, subject: Subject, allowed: boolean, path: Path): void {
    if (field.level !== 'PERSONAL' && field.level !== 'SENSITIVE') return;
    if (allowed) this.returned(subject, field.name, path);
    else this.denied(subject, field.name);
  }

  returned(subject: Subject, field: string, path: Path): void {
    this.#of(subject).returned.add(field);
    this.#paths.push(path);
  }

  denied(subject: Subject, field: string): void {
    this.#of(subject).denied.add(field);
  }

  get isEmpty(): boolean {
    return this.#order.length === 0;
  }

  /** Response paths that hold personal data. */
  get personalPaths(): readonly (readonly (string | number)[])[] {
    return this.#paths.map((p) => (Array.isArray(p) ? p : responsePathAsArray(p as ResponsePath)));
  }

  /** One record per subject read, in the order first read. */
  contents(request: { requestId: string; viewer: Viewer; operationName: string | null; operationHash: string; at?: string }): AuditContent[] {
    const { viewer } = request;
    const at = request.at ?? new Date().toISOString();
    return this.#order.map((read) => {
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
        subjectType: read.subject.type,
        subjectId: read.subject.id,
        citizenId: read.subject.type === 'CITIZEN' ? read.subject.id : null,
        fieldsReturned,
        fieldsDenied,
        outcome,
        serviceCode: this.serviceCode,
      };
    });
  }
}
