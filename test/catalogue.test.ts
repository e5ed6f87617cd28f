/**
 * SPEC §2: catalogue entries (services, purposes, departments, data items)
 * carry their official Chinese names beside the English ones, in the graph,
 * for the console, the citizen's page and department apps. The names are
 * reference data: in place after migrations, on an empty deployment too.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { citizenHeaders, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const DESK = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}`, 'x-purpose': 'LICENSE_ISSUANCE' };
const DEMO_CITIZEN = '610113198807150016';
/** At least one CJK ideograph: a Chinese name, not an English one copied over. */
const CHINESE = /[\u4e00-\u9fff]/;

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

describe('Chinese names in the catalogue', () => {
  it('every service and each of its data items has an English and a Chinese name', async () => {
    const res = await t.graphql(`{ services { code name nameZh dataItems { key label labelZh } } }`, {}, DESK);
    expect(res.body.errors).toBeUndefined();
    const services = res.body.data.services as { code: string; name: string; nameZh: string; dataItems: { key: string; label: string; labelZh: string }[] }[];
    expect(services.length).toBeGreaterThan(10);
    for (const s of services) {
      expect(s.name, s.code).not.toMatch(CHINESE);
      expect(s.nameZh, s.code).toMatch(CHINESE);
      for (const item of s.dataItems) expect(item.labelZh, `${s.code}.${item.key}`).toMatch(CHINESE);
    }
    expect(services.find((s) => s.code === 'DRIVING_LICENSE_RENEWAL')).toMatchObject({ name: 'Driving license renewal', nameZh: '机动车驾驶证期满换证' });
  });

  it('every purpose has a Chinese name', async () => {
    const res = await t.graphql(`{ purposes { code name nameZh } }`, {}, DESK);
    expect(res.body.errors).toBeUndefined();
    for (const p of res.body.data.purposes) expect(p.nameZh, p.code).toMatch(CHINESE);
    expect(res.body.data.purposes).toContainEqual({ code: 'LICENSE_ISSUANCE', name: 'Issuing a license', nameZh: '证照核发' });
  });

  it('the department catalogue lists the ids of SPEC §4 with both names, for any authenticated caller', async () => {
    for (const headers of [DESK, STEWARD, await citizenHeaders(DEMO_CITIZEN)]) {
      const res = await t.graphql(`{ departments { id name nameZh } }`, {}, headers);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.departments.map((d: { id: string }) => d.id)).toEqual(['registry', 'licensing', 'civil-affairs', 'service-center', 'housing', 'market-regulation']);
      expect(res.body.data.departments).toContainEqual({ id: 'market-regulation', name: 'Market regulation bureau', nameZh: '市场监督管理局' });
    }
    const anonymous = await t.graphql(`{ departments { id } }`, {}, {});
    expect(anonymous.status).toBe(401);
  });

  it('a pre-filled form labels each item in both languages', async () => {
    const res = await t.graphql(`{ prefill(serviceCode: "DRIVING_LICENSE_RENEWAL", citizenId: "${DEMO_CITIZEN}") { items { key label labelZh status } } }`, {}, DESK);
    expect(res.body.data.prefill.items).toContainEqual(expect.objectContaining({ key: 'applicant_name', label: 'Full name', labelZh: '姓名' }));
  });

  it("a citizen's access history names the department and purpose in both languages", async () => {
    await t.graphql(`{ citizen(id: "${DEMO_CITIZEN}") { name } }`, {}, DESK);
    const res = await t.graphql(`{ myDataAccess(first: 1) { edges { node { department departmentName departmentNameZh purpose purposeName purposeNameZh } } } }`, {}, await citizenHeaders(DEMO_CITIZEN));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.myDataAccess.edges[0].node).toEqual({
      department: 'licensing',
      departmentName: 'Licensing bureau',
      departmentNameZh: '行政审批局',
      purpose: 'LICENSE_ISSUANCE',
      purposeName: 'Issuing a license',
      purposeNameZh: '证照核发',
    });
  });

  it('service metrics name each service in both languages', async () => {
    const res = await t.graphql(`{ serviceMetrics { serviceCode serviceName serviceNameZh } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    for (const m of res.body.data.serviceMetrics) expect(m.serviceNameZh, m.serviceCode).toMatch(CHINESE);
  });
});
