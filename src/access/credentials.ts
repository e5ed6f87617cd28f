import { createHash, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from '../config.js';
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

interface JwtVerifier {
  verify(token: string): Promise<{ sub: string; role: Role; consumer: string | null }>;
}

function createJwtVerifier(config: Pick<Config, 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY'>): JwtVerifier | null {
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
  return {
    async verify(token) {
      const { payload } = await jwtVerify(token, key, { algorithms, requiredClaims: ['exp', 'sub', 'role'] });
      const role = payload.role;
      if (role !== 'consumer' && role !== 'steward' && role !== 'citizen') throw new Error('bad role claim');
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
export function createAuthenticator(config: Pick<Config, 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'STEWARD_BOOTSTRAP_KEY'>, store: HubStore): Authenticator {
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

    if (bootstrapHash && timingSafeEqual(createHash('sha256').update(token).digest(), bootstrapHash)) {
      return { role: 'steward', consumer: null, officer: onBehalfOf, citizenId: null, ...declared, credential: 'bootstrap-key', keyId: null };
    }

    if (token.startsWith(API_KEY_PREFIX)) {
      const hash = hashApiKey(token);
      // A key issued on another instance a moment ago may not have reached this cache yet: ask the database.
      const key = policy.keyByHash.get(hash) ?? (await store.activeKeyByHash(hash));
      const consumer = key && policy.consumers.get(key.consumerId);
      if (!key || !consumer) throw new UnauthenticatedError('This API key is unknown or revoked. Ask a data steward for a new one.');
      return { role: consumer.role === 'steward' ? 'steward' : 'consumer', consumer, officer: onBehalfOf, citizenId: null, ...declared, credential: 'api-key', keyId: key.id };
    }

    if (!jwt) throw new UnauthenticatedError('Unknown credential. This hub accepts API keys (ogk_…); JWTs are not enabled.');
    let claims: Awaited<ReturnType<JwtVerifier['verify']>>;
    try {
      claims = await jwt.verify(token);
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw new UnauthenticatedError(expired ? 'The token has expired; sign in again.' : 'The token is not valid for this hub.');
    }
    const consumer = claims.consumer ? policy.consumers.get(claims.consumer) ?? null : null;
    if (claims.consumer && !consumer) throw new UnauthenticatedError(`The token names consumer "${claims.consumer}", which is not registered.`);
    if (claims.role === 'consumer' && !consumer) throw new UnauthenticatedError('A consumer token must name its consumer in the "consumer" claim.');
    if (claims.role === 'citizen' && !isValidNationalId(claims.sub)) throw new UnauthenticatedError('A citizen token\'s "sub" must be a national ID.');
    if (claims.role === 'steward' && consumer && consumer.role !== 'steward') throw new UnauthenticatedError('The token claims the steward role for a consumer that is not a steward.');
    return {
      role: claims.role,
      consumer,
      officer: printable(claims.sub, 128),
      citizenId: claims.role === 'citizen' ? claims.sub : null,
      ...declared,
      credential: 'jwt',
      keyId: null,
    };
  };
}

