/** The department ids of SPEC §4; a case's department is the one that decides it. */
export const DEPARTMENTS = ['registry', 'licensing', 'civil-affairs', 'service-center', 'housing', 'market-regulation'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export interface DepartmentEntry {
  id: Department;
  /** The name in English. */
  name: string;
  /** The official name in Simplified Chinese, as the department signs its documents. */
  nameZh: string;
}

/** Names a citizen and a steward recognise; a `Record` over the ids, so a department without names fails the build. */
const NAMES: Readonly<Record<Department, Omit<DepartmentEntry, 'id'>>> = {
  registry: { name: 'Civil registry', nameZh: '公安局户政管理部门' },
  licensing: { name: 'Licensing bureau', nameZh: '行政审批局' },
  'civil-affairs': { name: 'Civil affairs bureau', nameZh: '民政局' },
  'service-center': { name: 'Government service center', nameZh: '政务服务中心' },
  housing: { name: 'Housing and urban-rural development bureau', nameZh: '住房和城乡建设局' },
  'market-regulation': { name: 'Market regulation bureau', nameZh: '市场监督管理局' },
};

/** The department catalogue (`query departments`), in SPEC order. */
export const DEPARTMENT_CATALOGUE: readonly DepartmentEntry[] = DEPARTMENTS.map((id) => ({ id, ...NAMES[id] }));

const BY_ID: ReadonlyMap<string, DepartmentEntry> = new Map(DEPARTMENT_CATALOGUE.map((d) => [d.id, d]));

/** The catalogue entry of a department id, or undefined for an id outside SPEC §4. */
export const departmentOf = (id: string): DepartmentEntry | undefined => BY_ID.get(id);
