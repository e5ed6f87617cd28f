import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { ForbiddenError } from '../errors.js';
import type { HubContext } from '../graph/context.js';
import { forbiddenField } from './decide.js';
import type { ReadDecision } from './request.js';
import { ENTITY_KEY, ENTITY_OWNER, applyMask, type FieldInfo } from './fields.js';

type Resolver = GraphQLFieldResolver<unknown, HubContext>;

/**
 * The one place access is enforced (STYLE §3). Every classified field of an
 * entity is wrapped so that its resolver runs only when the request's rule
 * for the field allows it; hub operations marked @allow check the role.
 * Fields are decided per operation (the rule is computed once per request and
 * field), so rows never cost extra statements and DataLoader batches stay whole.
 */
export function applyAccessControl(schema: GraphQLSchema, catalogue: ReadonlyMap<string, FieldInfo>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const resolve = (fieldConfig.resolve ?? defaultFieldResolver) as Resolver;
      const roles = getDirective(schema, fieldConfig, 'allow')?.[0]?.roles as string[] | undefined;
      if (roles) return { ...fieldConfig, resolve: requireRole(`${typeName}.${fieldName}`, roles, resolve) };
      const field = catalogue.get(`${typeName}.${fieldName}`);
      if (!field || field.level === 'PUBLIC' || !field.onEntity || ENTITY_KEY[typeName] === fieldName) return fieldConfig;
      return { ...fieldConfig, resolve: guarded(field, resolve) };
    },
  });
}

function requireRole(name: string, roles: string[], resolve: Resolver): Resolver {
  const allowed = new Set(roles.map((r) => r.toLowerCase()));
  return (parent, args, ctx, info) => {
    if (!allowed.has(ctx.viewer.role)) {
      throw new ForbiddenError(`${name} is for ${roles.join(' or ').toLowerCase()} callers only; you are signed in as ${ctx.viewer.role}.`, { field: name, reason: 'ROLE' });
    }
    return resolve(parent, args, ctx, info);
  };
}

function guarded(field: FieldInfo, resolve: Resolver): Resolver {
  const ownerOf = ENTITY_OWNER[field.typeName];
  const serve = (decision: ReadDecision, owner: string, parent: unknown, args: Record<string, unknown>, ctx: HubContext, info: GraphQLResolveInfo) => {
    ctx.audit.read(field, owner, decision.allowed, info.path);
    if (!decision.allowed) throw forbiddenField(field.name, decision.reason);
    return masked(decision.mask, resolve(parent, args, ctx, info));
  };
  return (parent, args, ctx, info) => {
    const owner = ownerOf(parent);
    const decision = ctx.access.decide(field, owner);
    return decision instanceof Promise ? decision.then((d) => serve(d, owner, parent, args, ctx, info)) : serve(decision, owner, parent, args, ctx, info);
  };
}

function masked(mask: FieldInfo['masks'][number], value: unknown): unknown {
  if (mask === 'NONE') return value;
  return value instanceof Promise ? value.then((v) => applyMask(mask, v)) : applyMask(mask, value);
}
