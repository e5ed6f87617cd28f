/**
 * `npm run token -- --role citizen --sub 610113198807150016 [--consumer citizen-portal] [--minutes 60]`:
 * signs a JWT with AUTH_JWT_SECRET, for trying the hub as a citizen, an
 * officer or a steward. Real deployments get their tokens from their own
 * identity provider; this is for development and demos. The token carries
 * what the hub checks: `iat`, a lifetime within AUTH_JWT_MAX_TTL, and
 * AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE as `iss` / `aud` when they are set.
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { ConfigError, loadConfig } from '../config.js';

try {
  const config = loadConfig();
  if (!config.AUTH_JWT_SECRET) throw new ConfigError('Set AUTH_JWT_SECRET (the same value the hub runs with) to sign a token.');
  const { values } = parseArgs({
    options: { role: { type: 'string' }, sub: { type: 'string' }, consumer: { type: 'string' }, minutes: { type: 'string', default: '60' } },
  });
  const role = values.role;
  if (role !== 'citizen' && role !== 'consumer' && role !== 'steward') throw new ConfigError('--role must be citizen, consumer or steward.');
  if (!values.sub) throw new ConfigError('--sub is required: the national ID for a citizen, the officer otherwise.');
  const minutes = Number(values.minutes);
  const maxMinutes = Math.floor(config.AUTH_JWT_MAX_TTL / 60);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > maxMinutes) throw new ConfigError(`--minutes must be a whole number from 1 to ${maxMinutes} (AUTH_JWT_MAX_TTL).`);
  const consumer = values.consumer ?? (role === 'citizen' ? 'citizen-portal' : undefined);
  const jwt = new SignJWT({ role, ...(consumer ? { consumer } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(values.sub)
    .setIssuedAt()
    .setExpirationTime(`${minutes}m`);
  if (config.AUTH_JWT_ISSUER) jwt.setIssuer(config.AUTH_JWT_ISSUER);
  if (config.AUTH_JWT_AUDIENCE) jwt.setAudience(config.AUTH_JWT_AUDIENCE);
  const token = await jwt.sign(new TextEncoder().encode(config.AUTH_JWT_SECRET));
  console.log(token);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `token: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
