/**
 * Same question, same answer: before measuring, a few identical requests go
 * to the hub and to each baseline, and their answers are compared. raw-sql
 * must match the hub byte for byte; plain-apollo must give the same data
 * (it has no access control, so G4 is not compared); hub-registered, sent the
 * same operations by hash (its i-th body is the hub's i-th, by hash), must
 * give the same data as the hub's ad hoc answer.
 */
import type { Workload } from '../workloads.js';
import { ask } from './drive.js';
import { bodyKey, type Instance } from './measure.js';

export interface AnswerCheck {
  workload: string;
  n: number;
  system: string;
  /** The parsed answers are equal (same data, same errors). */
  sameAnswer: boolean;
  /** The answers are the same bytes. */
  sameBytes: boolean;
  note?: string;
}

function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  if (a && typeof a === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    for (const k of new Set([...ka, ...kb])) {
      const d = firstDifference((a as any)[k], (b as any)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

export async function compareAnswers(w: Workload, hub: Instance, others: Instance[], samples: number): Promise<AnswerCheck[]> {
  const checks: AnswerCheck[] = [];
  const bodies = hub.bodies.get(bodyKey(w))!.slice(0, samples);
  for (const other of others) {
    if (!w.systems.includes(other.system) || (w.name === 'G4' && other.system === 'plain-apollo')) continue;
    const otherBodies = other.bodies.get(bodyKey(w))!;
    let sameAnswer = true;
    let sameBytes = true;
    let note: string | undefined;
    for (const [i, body] of bodies.entries()) {
      const expected = await ask(hub.child.url, hub.headers[w.consumer], body);
      const actual = await ask(other.child.url, other.headers[w.consumer], otherBodies[i]);
      sameBytes &&= expected.text === actual.text;
      let difference: string | null;
      try {
        difference = firstDifference(JSON.parse(expected.text), JSON.parse(actual.text));
      } catch {
        difference = `not JSON: ${actual.text.slice(0, 100)}`;
      }
      if (difference) {
        sameAnswer = false;
        note ??= difference;
      }
    }
    checks.push({ workload: w.name, n: w.n, system: other.system, sameAnswer, sameBytes, ...(note ? { note } : {}) });
  }
  return checks;
}
