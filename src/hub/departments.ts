/** The department ids of SPEC §4; a case's department is the one that decides it. */
export const DEPARTMENTS = ['registry', 'licensing', 'civil-affairs', 'service-center', 'housing', 'market-regulation'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Names a citizen recognises, for their access history. */
export const DEPARTMENT_NAMES: Readonly<Record<string, string>> = {
  registry: 'Civil registry (户籍登记)',
  licensing: 'Licensing bureau (许可审批局)',
  'civil-affairs': 'Civil affairs bureau (民政局)',
  'service-center': 'Government service center (政务服务中心)',
  housing: 'Housing bureau (住房和城乡建设局)',
  'market-regulation': 'Market regulation bureau (市场监督管理局)',
};
