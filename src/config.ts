import { z } from 'zod';
import { DATABASE_URL_VARIABLES, type DatabaseUrlVariable } from './db/sources.js';
import { DEFAULT_TARGETS, DEFAULT_WEIGHTS, DIMENSIONS, INDICATOR_NAMES, parseSettingList } from './evaluation/indicators.js';

/**
 * The hub's configuration, parsed once from the environment (SPEC §1).
 * No other module reads process.env: everything flows from `loadConfig()`.
 */

const pgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
  .optional();

/** Twelve hours: one working day's sign-in. */
export const DEFAULT_JWT_MAX_TTL = 43_200;

const databaseUrls = Object.fromEntries(DATABASE_URL_VARIABLES.map((variable) => [variable, pgUrl])) as Record<DatabaseUrlVariable, typeof pgUrl>;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A `name=value,…` list over `names` (evaluation/indicators.ts), every problem its own issue; unnamed entries keep their defaults. */
function settingList<N extends string>(names: readonly N[], defaults: Readonly<Record<N, number>>, options: { allowZero: boolean; atLeastOne?: string }) {
  return z
    .string()
    .default('')
    .transform((text, ctx) => {
      const { value, problems } = parseSettingList(text, names, defaults, options.allowZero);
      for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
      if (options.atLeastOne && problems.length === 0 && Object.values<number>(value).every((v) => v === 0)) ctx.addIssue({ code: 'custom', message: options.atLeastOne });
      return value;
    });
}

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    // One URL per database, from the source declarations (HUB_DATABASE_URL, REGISTRY_DATABASE_URL, …).
    ...databaseUrls,
    DATA_DIR: z.string().min(1).default('./.oncegraph'),
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWT_PUBLIC_KEY: z
      .string()
      .refine((v) => v.includes('-----BEGIN PUBLIC KEY-----'), 'must be a PEM public key')
      .optional(),
    /** When set, a JWT's `iss` must be this. */
    AUTH_JWT_ISSUER: z.string().min(1).optional(),
    /** When set, a JWT's `aud` must be (or contain) this. */
    AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
    /** The longest JWT lifetime accepted, `exp` − `iat`, in seconds; `iat` is required. */
    AUTH_JWT_MAX_TTL: positiveInt(DEFAULT_JWT_MAX_TTL),
    STEWARD_BOOTSTRAP_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
    /** `npm run policy`: the hub it talks to, and the steward key it sends (in development, the demo steward's from DATA_DIR when unset). */
    ONCEGRAPH_URL: z.string().url('must be the hub\'s base URL, such as http://localhost:4000').default('http://localhost:4000'),
    ONCEGRAPH_KEY: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SOURCE_TIMEOUT_MS: positiveInt(2000),
    SOURCE_POOL_SIZE: positiveInt(10),
    LIMIT_DEPTH: positiveInt(8),
    LIMIT_ALIASES: positiveInt(15),
    LIMIT_TOKENS: positiveInt(2000),
    LIMIT_DIRECTIVES: positiveInt(8),
    LIMIT_COST: positiveInt(20000),
    /** The same field selected more often than this in one selection set is an attack, not a query. */
    LIMIT_REPEATED_FIELDS: positiveInt(10),
    RATE_LIMIT_PER_MINUTE: positiveInt(6000),
    CORS_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.string().url('each origin must be a URL such as https://portal.example.gov')))
      .default([]),
    LIMIT_PAGE_SIZE: positiveInt(100),
    LIMIT_BATCH_IDS: positiveInt(100),
    /** Grant review (issue 15 §5): a consumer that reads more distinct citizens than this in a UTC day without naming a case is flagged. */
    REVIEW_CASELESS_CITIZENS_PER_DAY: positiveInt(200),
    /** How often each instance rolls the audit log up for grant review in the background. */
    REVIEW_ROLLUP_SECONDS: positiveInt(300),
    /** Signs audit checkpoints (audit/checkpoints.ts); keep it out of every database. Unset: verifyAudit always walks the whole chain. */
    AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    LIMIT_BODY_BYTES: positiveInt(100_000),
    /** SPEC §6a: days a department has to answer a rating of 1 or 2. */
    FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(365).default(15),
    /** How often each instance records its sources' availability (a readiness check, and the calls since the last record). */
    AVAILABILITY_SAMPLE_SECONDS: positiveInt(60),
    /** Targets of the evaluation's indicators, `name=value,…` (evaluation/indicators.ts lists them); unnamed ones keep their defaults. */
    EVALUATION_TARGETS: settingList(INDICATOR_NAMES, DEFAULT_TARGETS, { allowZero: false }),
    /** Weights of the evaluation's dimensions in the combined score, `dimension=weight,…`; 0 leaves a dimension out. */
    EVALUATION_WEIGHTS: settingList(DIMENSIONS, DEFAULT_WEIGHTS, { allowZero: true, atLeastOne: 'at least one dimension needs a weight above 0' }),
    SEED_CITIZENS: positiveInt(5000),
    /**
     * OpenTelemetry traces go to this OTLP/HTTP collector (`<url>/v1/traces`); unset: no tracing at all.
     * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, when set, is the full traces URL and wins (the OTel spec's names).
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().regex(/^https?:\/\/[^/]/i, 'must be an http(s) URL such as http://collector:4318').optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().regex(/^https?:\/\/[^/]/i, 'must be an http(s) URL such as http://collector:4318/v1/traces').optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('oncegraph'),
  })
  .refine((c) => !(c.AUTH_JWT_SECRET && c.AUTH_JWT_PUBLIC_KEY), {
    message: 'set only one of AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY',
    path: ['AUTH_JWT_SECRET'],
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker-compose and shells often pass VAR=).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration; fix these environment variables:\n${problems.join('\n')}`);
}
