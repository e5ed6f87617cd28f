/**
 * The citizen's page names every field a read can return in words
 * ("phone number", "电话号码"): the locale files hold a name for each
 * grantable field of the schema, and none for a field that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { buildHubSchema } from '../src/graph/schema.js';
import { en } from '../console/src/locales/en.js';
import { zhCN } from '../console/src/locales/zh-CN.js';

const grantable = [...buildHubSchema().catalogue.values()].filter((f) => f.grantable).map((f) => f.name);
const named = (words: Record<string, Record<string, string>>) => Object.entries(words).flatMap(([type, fields]) => Object.keys(fields).map((field) => `${type}.${field}`));

describe('personal fields in words', () => {
  it('every grantable field has a name in English and in Chinese, and every name is of a grantable field', () => {
    expect(named(en.common.field).sort()).toEqual([...grantable].sort());
    expect(named(zhCN.common.field).sort()).toEqual([...grantable].sort());
  });
});
