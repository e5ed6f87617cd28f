/**
 * `npm run seed -- --citizens N [--seed S]`: migrates the configured databases
 * (or the embedded one under DATA_DIR) and replaces their department data
 * with a deterministic demo world of N citizens. Exit codes: 0 done, 1 the
 * seed failed, 2 bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { migrateAll, openDatabases } from '../db/databases.js';
import { DATABASE_URL_VARIABLES, SOURCES } from '../db/sources.js';
import { seedDemo } from '../seed/load.js';

const USAGE = `Usage: npm run seed -- [--citizens N] [--seed S]

  --citizens N   how many citizens to generate, with their households,
                 licenses and cases (default 5000; 1000000 takes minutes)
  --seed S       the random seed: the same seed always gives the same data (default 1)
  --help         show this help

Databases come from ${DATABASE_URL_VARIABLES.join(', ')};
unset ones are embedded under DATA_DIR (default ./.oncegraph).
Every department's data is replaced; the hub's consumers, grants and audit
log are kept.`;

class UsageError extends Error {}

interface Arguments {
  citizens: number;
  seed: number;
}

/** A whole number written in digits, optionally grouped with `_` or `,` (1_000_000). */
function wholeNumber(option: string, text: string, min: number): number {
  const digits = text.replace(/[_,]/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${option} must be a whole number of at least ${min}, not "${text}"`);
  }
  return value;
}

function parseArguments(argv: string[]): Arguments | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { citizens: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  return {
    citizens: values.citizens === undefined ? 5000 : wholeNumber('citizens', values.citizens, 1),
    seed: values.seed === undefined ? 1 : wholeNumber('seed', values.seed, 0),
  };
}

/** Where each database is, without credentials. */
function describeTargets(config: Config): string {
  return SOURCES.map((source) => {
    const url = config[source.urlVariable];
    if (!url) return `  ${source.name.padEnd(9)} embedded (${config.DATA_DIR})`;
    const { host, pathname } = new URL(url);
    return `  ${source.name.padEnd(9)} postgres://${host}${pathname}`;
  }).join('\n');
}

/** A bar on a terminal; elsewhere (CI, pipes) a plain line every tenth of the way. */
function progressReporter(total: number): { update(done: number): void; stop(): void } {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'Seeding |{bar}| {percentage}% | {value}/{total} citizens | {duration_formatted} elapsed, ETA {eta_formatted}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let reportedTenths = 0;
  const started = performance.now();
  return {
    update(done) {
      const tenths = Math.floor((done / total) * 10);
      if (tenths <= reportedTenths) return;
      reportedTenths = tenths;
      console.log(`seeded ${done}/${total} citizens (${tenths * 10}%) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
    stop() {},
  };
}

async function run(args: Arguments, config: Config): Promise<void> {
  console.log(`Seeding ${args.citizens} citizens with seed ${args.seed} into:\n${describeTargets(config)}`);
  const dbs = await openDatabases(config);
  try {
    await migrateAll(dbs);
    const progress = progressReporter(args.citizens);
    let counts;
    try {
      counts = await seedDemo(dbs, { citizens: args.citizens, seed: args.seed, onProgress: (done) => progress.update(done) });
    } finally {
      progress.stop();
    }
    console.log(
      [
        `Seeded in ${(counts.ms / 1000).toFixed(1)} s:`,
        `  households ${counts.households}`,
        `  citizens   ${counts.citizens}`,
        `  enterprises ${counts.enterprises}`,
        `  licenses   ${counts.licenses}`,
        `  cases      ${counts.cases}`,
        `  events     ${counts.events}`,
        `  ratings    ${counts.ratings}`,
        `  follow-ups ${counts.followUps}`,
        `  items      ${counts.items} (of applications through the hub)`,
      ].join('\n'),
    );
  } finally {
    await dbs.closeAll();
  }
}

async function main(argv: string[]): Promise<number> {
  let args: Arguments | 'help';
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  try {
    await run(args, config);
    return 0;
  } catch (error) {
    console.error('Seeding failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
