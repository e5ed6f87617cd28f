import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from './db/availability.js';

/** Operation names come from clients: only well-formed ones, and a bounded number of them, become labels. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The hub's Prometheus metrics (issue 6), one registry per hub instance.
 * Nothing here carries a field value, a citizen or a token.
 */
export function createHubMetrics(breakers: () => Record<string, BreakerState>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oncegraph_process_' });
  const operations = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (!operations.has(name)) {
      if (operations.size >= MAX_OPERATION_LABELS) return 'other';
      operations.add(name);
    }
    return name;
  };

  const requests = new Counter({ name: 'oncegraph_requests_total', help: 'GraphQL requests by operation and outcome (ok, partial: some fields null with errors, error).', labelNames: ['operation', 'outcome'], registers: [registry] });
  const latency = new Histogram({ name: 'oncegraph_request_duration_seconds', help: 'GraphQL request latency.', labelNames: ['operation'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
  const sourceLatency = new Histogram({ name: 'oncegraph_source_query_duration_seconds', help: 'Department source calls (one batched statement each), by source.', labelNames: ['source'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2], registers: [registry] });
  const sourceErrors = new Counter({ name: 'oncegraph_source_errors_total', help: 'Department source calls that failed as unavailable (down, slow, breaker open).', labelNames: ['source'], registers: [registry] });
  new Gauge({
    name: 'oncegraph_source_breaker_state',
    help: 'Circuit breaker per source: 0 closed, 1 half-open, 2 open.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      for (const [source, state] of Object.entries(breakers())) this.set({ source }, BREAKER_VALUE[state]);
    },
  });
  const auditBatch = new Histogram({ name: 'oncegraph_audit_batch_size', help: 'Audit records per group commit.', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000], registers: [registry] });
  const auditCommit = new Histogram({ name: 'oncegraph_audit_commit_duration_seconds', help: 'Time to commit one audit batch.', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] });
  const auditFailures = new Counter({ name: 'oncegraph_audit_failures_total', help: 'Audit batches that could not be written (their personal data was withheld).', registers: [registry] });
  const decisions = new Counter({ name: 'oncegraph_grants_cache_hits_total', help: 'Field access rules computed from the in-memory policy (no database round trip); each is reused by later requests of the same kind of caller until the policy changes.', registers: [registry] });
  const reloads = new Counter({ name: 'oncegraph_policy_reloads_total', help: 'Policy reloads after a change was announced.', registers: [registry] });

  // Labelled children are looked up once per label set (prom-client hashes the labels on every call otherwise):
  // these run several times per request. Both maps are bounded by the labels above.
  const byOperation = new Map<string, { latency: ReturnType<typeof latency.labels>; outcomes: Map<string, ReturnType<typeof requests.labels>> }>();
  const bySource = new Map<string, ReturnType<typeof sourceLatency.labels>>();

  return {
    registry,
    request(operation: string | null | undefined, outcome: 'ok' | 'partial' | 'error', seconds: number) {
      const label = operationLabel(operation);
      let children = byOperation.get(label);
      if (!children) byOperation.set(label, (children = { latency: latency.labels({ operation: label }), outcomes: new Map() }));
      let counter = children.outcomes.get(outcome);
      if (!counter) children.outcomes.set(outcome, (counter = requests.labels({ operation: label, outcome })));
      counter.inc();
      children.latency.observe(seconds);
    },
    sourceCall(source: string, seconds: number, available: boolean) {
      let child = bySource.get(source);
      if (!child) bySource.set(source, (child = sourceLatency.labels({ source })));
      child.observe(seconds);
      if (!available) sourceErrors.inc({ source });
    },
    auditBatch(size: number, seconds: number, ok: boolean) {
      auditBatch.observe(size);
      auditCommit.observe(seconds);
      if (!ok) auditFailures.inc();
    },
    accessDecision: () => decisions.inc(),
    policyReload: () => reloads.inc(),
  };
}

export type HubMetrics = ReturnType<typeof createHubMetrics>;
