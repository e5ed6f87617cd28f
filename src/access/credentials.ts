import { createHash, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { DEFAULT_JWT_MAX_TTL, type Config } from '../config.js';
import { ErrorCode, HubError, UnauthenticatedError } from '../errors.js';
import { isValidNationalId } from '../sources/registry/nationalId.js';
import type { HubStore } from '../hub/store.js';
import type { Policy } from './policy.js';
import { printable, type Role, type Viewer } from './viewer.js';

export const API_KEY_PREFIX = 'ogk_';

/** A new API key: `ogk_` and 32 random bytes. Only its hash is stored. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A header's first value, as the hub keeps client text (`printable`). */
function headerValue(value: string | string[] | undefined, max: number): string | null {
  return printable(Array.isArray(value) ? value[0] : value, max);
}

type Headers = Record<string, string | string[] | undefined>;

interface JwtClaims {
  sub: string;
  role: Role;
  consumer: string | null;
}

interface JwtVerifier {
  verify(token: string): Promise<JwtClaims>;
}

type JwtConfig = Pick<Config, 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE' | 'AUTH_JWT_MAX_TTL'>;

/** Clock skew tolerated between the identity provider and the hub, in seconds. */
const CLOCK_TOLERANCE = 30;

/** Why jose refused a token, said so that the caller knows what to fix (never the token itself). */
function refusalOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired; sign in again.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The token has no "${error.claim}" claim; this hub needs it.`;
    if (error.claim === 'iss') return 'The token was issued by an identity provider this hub does not trust ("iss").';
    if (error.claim === 'aud') return 'The token is meant for another service ("aud"); ask for a token for this hub.';
  }
  return 'The token is not valid for this hub.';
}

function createJwtVerifier(config: JwtConfig): JwtVerifier | null {
  let key: Uint8Array | KeyObject;
  let algorithms: string[];
  if (config.AUTH_JWT_SECRET) {
    key = new TextEncoder().encode(config.AUTH_JWT_SECRET);
    algorithms = ['HS256'];
  } else if (config.AUTH_JWT_PUBLIC_KEY) {
    key = createPublicKey(config.AUTH_JWT_PUBLIC_KEY);
    // The algorithm is pinned by the key type: a token cannot choose a weaker one (or none).
    algorithms = key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
  } else {
    return null;
  }
  const maxTtl = config.AUTH_JWT_MAX_TTL ?? DEFAULT_JWT_MAX_TTL;
  const options = {
    algorithms,
    requiredClaims: ['exp', 'iat', 'sub', 'role'],
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
    clockTolerance: CLOCK_TOLERANCE,
  };
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, options));
      } catch (error) {
        throw new UnauthenticatedError(refusalOf(error));
      }
      // jose has checked that exp and iat are numbers and exp is not past; the lifetime is ours to bound (SPEC §1: AUTH_JWT_MAX_TTL).
      const iat = payload.iat!;
      const exp = payload.exp!;
      if (iat > Date.now() / 1000 + CLOCK_TOLERANCE) throw new UnauthenticatedError('The token\'s "iat" is in the future; check the identity provider\'s clock.');
      if (exp - iat > maxTtl) throw new UnauthenticatedError(`The token is valid for ${exp - iat} s; this hub accepts at most ${maxTtl} s (AUTH_JWT_MAX_TTL). Ask for a shorter-lived token.`);
      const role = payload.role;
      if (role !== 'consumer' && role !== 'steward' && role !== 'citizen') throw new UnauthenticatedError('The token\'s "role" must be consumer, steward or citizen.');
      const consumer = typeof payload.consumer === 'string' ? payload.consumer : null;
      return { sub: payload.sub!, role, consumer };
    },
  };
}

export type Authenticator = (headers: Headers, policy: Policy) => Promise<Viewer>;

/**
 * Turns a request's Authorization and declaration headers into a Viewer
 * (SPEC §3), or throws UNAUTHENTICATED (401) / BAD_USER_INPUT (400).
 */
export function createAuthenticator(config: JwtConfig & Pick<Config, 'STEWARD_BOOTSTRAP_KEY'>, store: HubStore): Authenticator {
  const jwt = createJwtVerifier(config);
  const bootstrapHash = config.STEWARD_BOOTSTRAP_KEY ? createHash('sha256').update(config.STEWARD_BOOTSTRAP_KEY).digest() : null;

  return async function authenticate(headers, policy) {
    const authorization = headerValue(headers.authorization, 4096);
    const match = authorization?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new UnauthenticatedError();
    const token = match[1];
    const declared = {
      purpose: headerValue(headers['x-purpose'], 48),
      caseRef: headerValue(headers['x-case-ref'], 64),
    };
    if (declared.purpose !== null && !policy.purposes.has(declared.purpose)) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `X-Purpose "${declared.purpose}" is not in the purpose catalogue; query \`purposes\` for the codes.`, {
        argument: 'X-Purpose',
        http: { status: 400 },
      });
    }
    const onBehalfOf = headerValue(headers['x-on-behalf-of'], 128);

    // One hash of the token serves both checks: the bootstrap key's, and the API key lookup (by hash, like hashApiKey).
    const digest = createHash('sha256').update(token).digest();
    if (bootstrapHash && timingSafeEqual(digest, bootstrapHash)) {
      // The bootstrap key sets up a fresh deployment only: once a steward consumer holds a key, that key is the way in.
      if (policy.stewardHasKey) {
        throw new UnauthenticatedError('STEWARD_BOOTSTRAP_KEY is retired: a steward consumer holds an API key now. Use a steward API key (a steward can issue one with issueApiKey).');
      }
      return { role: 'steward', actor: 'bootstrap', consumer: null, officer: onBehalfOf, citizenId: null, ...declared, credential: 'bootstrap-key', keyId: null };
    }

    if (token.startsWith(API_KEY_PREFIX)) {
      const hash = digest.toString('hex');
      // A key issued on another instance a moment ago may not have reached this cache yet: ask the database.
      const key = policy.keyByHash.get(hash) ?? (await store.activeKeyByHash(hash));
      const consumer = key && policy.consumers.get(key.consumerId);
      if (!key || !consumer) throw new UnauthenticatedError('This API key is unknown or revoked. Ask a data steward for a new one.');
      const role = consumer.role === 'steward' ? 'steward' : 'consumer';
      return { role, actor: consumer.id, consumer, officer: onBehalfOf, citizenId: null, ...declared, credential: 'api-key', keyId: key.id };
    }

    if (!jwt) throw new UnauthenticatedError('Unknown credential. This hub accepts API keys (ogk_…); JWTs are not enabled.');
    const claims = await jwt.verify(token);
    const sub = printable(claims.sub, 128);
    if (sub === null) throw new UnauthenticatedError('The token\'s "sub" must name who signs in.');
    const named = printable(claims.consumer, 64);
    const consumer = claims.consumer ? policy.consumers.get(claims.consumer) ?? null : null;
    if (claims.consumer && !consumer) throw new UnauthenticatedError(`The token names consumer "${named}", which is not registered.`);
    switch (claims.role) {
      case 'citizen':
        // A citizen acts as themself, through the portal that signed them in (SPEC §3).
        if (!consumer) throw new UnauthenticatedError('A citizen token must name the portal that signed the citizen in, in the "consumer" claim.');
        if (!consumer.portal) throw new UnauthenticatedError(`A citizen token must name a portal; consumer "${consumer.id}" is not registered as one (portal: true).`);
        if (!isValidNationalId(claims.sub)) throw new UnauthenticatedError('A citizen token\'s "sub" must be a national ID.');
        break;
      case 'consumer':
        if (!consumer) throw new UnauthenticatedError('A consumer token must name its consumer in the "consumer" claim.');
        if (consumer.role === 'steward') throw new UnauthenticatedError(`Consumer "${consumer.id}" is a steward's application: its tokens carry the steward role.`);
        break;
      case 'steward':
        if (consumer && consumer.role !== 'steward') throw new UnauthenticatedError('The token claims the steward role for a consumer that is not a steward.');
        break;
    }
    return {
      role: claims.role,
      actor: sub,
      consumer,
      officer: sub,
      citizenId: claims.role === 'citizen' ? claims.sub : null,
      ...declared,
      credential: 'jwt',
      keyId: null,
    };
  };
}

