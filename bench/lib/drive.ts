/**
 * Driving a system over HTTP: timed load with autocannon (latency of every
 * response recorded, percentiles exact), and a sequential pass of a known
 * number of requests whose answers are checked and whose statements are
 * counted exactly.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  responses: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Transport errors, timeouts and non-2xx answers. */
  errors: number;
  firstError?: string;
  /** With `bucketMs`: responses per bucket of that many ms since the run began (the warm-up curve). */
  buckets?: number[];
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** The next request body (a random draw per request). */
  nextBody: () => Buffer;
  connections: number;
  seconds: number;
  /** Count responses per bucket of this many ms as well. */
  bucketMs?: number;
}

/** Exact percentile of a sorted sample (nearest rank). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One timed run of `connections` keep-alive connections, each sending its next request as soon as the last is answered. */
export function load(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let firstError: string | undefined;
  const buckets: number[] | undefined = options.bucketMs ? [] : undefined;
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        // Stop close to the requested duration (autocannon stops on its sampling tick).
        sampleInt: 100,
        timeout: 10,
        method: 'POST',
        headers: options.headers,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              request.body = options.nextBody() as unknown as string;
              return request;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
        resolve({
          responses: count,
          seconds,
          rps: seconds > 0 ? count / seconds : 0,
          p50: percentile(sorted, 0.5),
          p95: percentile(sorted, 0.95),
          p99: percentile(sorted, 0.99),
          errors: result.errors + result.timeouts + result.non2xx,
          firstError: firstError ?? (result.non2xx > 0 ? `${result.non2xx} non-2xx answers` : undefined),
          ...(buckets ? { buckets: Array.from(buckets, (b) => b ?? 0) } : {}),
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
      if (buckets) {
        const at = Math.floor((performance.now() - began) / options.bucketMs!);
        buckets[at] = (buckets[at] ?? 0) + 1;
      }
      if (statusCode >= 300 && !firstError) firstError = `HTTP ${statusCode}`;
    });
    instance.on('reqError', (error: unknown) => {
      firstError ??= error instanceof Error ? error.message : String(error);
    });
  });
}

export interface Answer {
  status: number;
  bytes: number;
  text: string;
}

/** Sends one request and reads the whole answer. */
export async function ask(url: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const buffer = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes: buffer.length, text: buffer.toString('utf8') };
}
