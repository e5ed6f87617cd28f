import { createHash } from 'node:crypto';
import { Faker, base, zh_CN } from '@faker-js/faker';
import { nationalIdCheckChar } from '../sources/registry/nationalId.js';
import { creditCodeFor, type MarketOrganisationType } from '../sources/enterprise/creditCode.js';
import { SERVICES, type LicenseKind, type ServiceEntry } from './reference.js';
import { DEMO_CONSUMERS } from '../hub/demo.js';
import { departmentOfSource } from '../sources/index.js';

/**
 * The deterministic demo-data generator: a district of Xi'an with households,
 * citizens, the enterprises they represent, licenses, service cases, and the
 * applicants' ratings of them with the departments' follow-ups. The same
 * options always yield the same rows, chunk by chunk, so a million citizens
 * never sit in memory at once. Every date is relative to REFERENCE_DATE,
 * never to the clock.
 */

/** "Now" for the generated world: cases span the two years before it; open cases are the recent ones. */
export const REFERENCE_DATE = '2026-11-01T00:00:00Z';

/** The demo citizen of SPEC §9: born 1988-07-15, male, registered in 雁塔区. */
export const DEMO_CITIZEN_ID = '610113198807150016';

/** Fixed identifiers of the demo citizen's records, for demos and tests. */
export const DEMO = {
  citizenId: DEMO_CITIZEN_ID,
  /** ACTIVE driving license. */
  drivingLicense: 'DL20200000001',
  /** IN_REVIEW application to the licensing department (TAXI_DRIVER_PERMIT). */
  openLicensingCase: 'SC20260000002',
  /** IN_REVIEW application for a civil-affairs benefit (CHILDCARE_SUBSIDY). */
  openBenefitCase: 'SC20260000001',
  /** ACTIVE limited company the demo citizen legally represents, with an ACTIVE business license. */
  enterpriseId: '91610113MA06A5AG5W',
  /** DEREGISTERED individual business the demo citizen ran, with its licenses revoked. */
  closedEnterpriseId: '92610113MA0E9G5A6N',
  /** IN_REVIEW change registration of the demo enterprise, decided by market regulation. */
  openEnterpriseCase: 'SC20260000003',
  /** APPROVED birth registration of his son, never rated (SPEC §9: a decided case not yet rated). */
  unratedCase: 'SC20250000001',
  /** APPROVED outdoor advertising permit of the demo enterprise, rated 2; its follow-up is answered (housing). */
  ratedCaseWithAnswer: 'SC20250000003',
} as const;

export interface HouseholdRow {
  id: string;
  regionCode: string;
  district: string;
  street: string;
  community: string;
  line: string;
  postalCode: string;
  headId: string;
}

export interface CitizenRow {
  id: string;
  name: string;
  birthDate: string;
  sex: 'F' | 'M';
  householdId: string;
  relation: 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';
  phone: string | null;
  email: string | null;
  status: 'ALIVE' | 'DECEASED';
  diedOn: string | null;
}

export type LicenseStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

export interface LicenseRow {
  number: string;
  /** Exactly one of holderId (a citizen) and enterpriseId is set. */
  holderId: string | null;
  enterpriseId: string | null;
  kind: LicenseKind;
  status: LicenseStatus;
  issuedOn: string;
  expiresOn: string | null;
  issuer: string;
}

export type CaseStatus = 'SUBMITTED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'CLOSED';

export interface CaseRow {
  number: string;
  serviceCode: string;
  /** The citizen who applied: for an enterprise service, its legal representative. */
  applicantId: string;
  enterpriseId: string | null;
  department: string;
  status: CaseStatus;
  submittedAt: string;
  dueAt: string;
  decidedAt: string | null;
}

/** A citizen's rating of a decided case (SPEC §6a). */
export interface CaseRatingRow {
  caseNumber: string;
  /** The case's deciding department and service. */
  department: string;
  serviceCode: string;
  /** 1 (very dissatisfied) to 5 (very satisfied), as text. */
  rating: string;
  comment: string | null;
  /** The applicant (for an enterprise's case, its legal representative). */
  ratedBy: string;
  ratedAt: string;
}

/** The deciding department's follow-up of a rating of 1 or 2; the answer's columns are all set or all null. */
export interface FollowUpRow {
  id: string;
  caseNumber: string;
  department: string;
  openedAt: string;
  dueAt: string;
  response: string | null;
  answeredBy: string | null;
  answeredByOfficer: string | null;
  answeredAt: string | null;
}

/** An item of an application submitted through the hub (cases.case_items): pre-filled from a source, or supplied by the citizen. */
export interface CaseItemRow {
  caseNumber: string;
  key: string;
  origin: 'PREFILLED' | 'COLLECTED' | 'RECOLLECTED';
  /** The source a pre-filled value was read from (PrefillItem.source: registry, licensing, enterprise). */
  source: string | null;
  /** What the citizen supplied; a pre-filled value is never kept here. */
  value: string | null;
}

/** The summary of an application submitted through the hub (cases.applications); counts as text, as COPY takes them. */
export interface ApplicationRow {
  caseNumber: string;
  serviceCode: string;
  department: string;
  submittedAt: string;
  items: string;
  prefilled: string;
  recollected: string;
  prefilledFromOthers: string;
}

export interface CaseEventRow {
  caseNumber: string;
  at: string;
  status: CaseStatus;
  actor: string;
  note: string | null;
}

export type EnterpriseKind = 'LIMITED_LIABILITY_COMPANY' | 'JOINT_STOCK_COMPANY' | 'SOLE_PROPRIETORSHIP' | 'PARTNERSHIP' | 'INDIVIDUAL_BUSINESS' | 'FARMERS_COOPERATIVE';
export type EnterpriseStatus = 'ACTIVE' | 'REVOKED' | 'DEREGISTERED';

export interface EnterpriseRow {
  id: string;
  name: string;
  kind: EnterpriseKind;
  status: EnterpriseStatus;
  establishedOn: string;
  /** Whole yuan, as text (every generated value is text or null, as COPY takes it). */
  registeredCapital: string;
  address: string;
  businessScope: string;
  legalRepresentativeId: string;
  legalRepresentativeName: string;
  contactPhone: string | null;
  regionCode: string;
}

/**
 * Rows of whole households: every enterprise, license and case in a chunk
 * belongs to a citizen of the same chunk or to an enterprise they represent.
 */
export interface DemoDataChunk {
  households: HouseholdRow[];
  citizens: CitizenRow[];
  enterprises: EnterpriseRow[];
  licenses: LicenseRow[];
  cases: CaseRow[];
  events: CaseEventRow[];
  ratings: CaseRatingRow[];
  followUps: FollowUpRow[];
  items: CaseItemRow[];
  applications: ApplicationRow[];
}

export interface GenerateOptions {
  /** Exactly this many citizens are generated, the demo citizen's household first. */
  citizens: number;
  seed: number;
  /** A chunk is yielded once it holds at least this many citizens. */
  chunkSize?: number;
}

// ---------------------------------------------------------------- the place

interface StreetEntry {
  name: string;
  communities: readonly string[];
}

interface DistrictEntry {
  /** 雁塔区 */
  name: string;
  /** 雁塔, as in 西安市公安局雁塔分局 */
  short: string;
  /** GB/T 2260 region code, also the first six digits of national IDs issued there. */
  regionCode: string;
  postalCodes: readonly string[];
  /** Share of the generated population. */
  weight: number;
  roads: readonly string[];
  streets: readonly StreetEntry[];
}

const CITY = '西安市';

/** Real districts, street offices and roads of Xi'an; community names are typical of each street, not a census. */
const DISTRICTS: readonly DistrictEntry[] = [
  {
    name: '雁塔区', short: '雁塔', regionCode: '610113', postalCodes: ['710061', '710065', '710075'], weight: 24,
    roads: ['小寨东路', '小寨西路', '长安南路', '雁塔西路', '雁塔南路', '含光路', '朱雀大街', '电子二路', '电子正街', '太白南路', '科技路', '高新路', '丈八东路', '西影路', '翠华路', '吉祥路'],
    streets: [
      { name: '小寨路街道', communities: ['吉祥村社区', '育才路社区', '小寨东路社区', '长丰园社区'] },
      { name: '大雁塔街道', communities: ['雁塔南路社区', '慈恩西路社区', '西影路社区'] },
      { name: '长延堡街道', communities: ['紫薇田园都市社区', '长延堡社区', '吉祥路社区'] },
      { name: '电子城街道', communities: ['电子二路社区', '电子正街社区', '西斜七路社区'] },
      { name: '丈八沟街道', communities: ['丈八东路社区', '高新路社区', '科技路社区'] },
      { name: '曲江街道', communities: ['曲江池社区', '芙蓉西路社区', '翠华路社区'] },
    ],
  },
  {
    name: '碑林区', short: '碑林', regionCode: '610103', postalCodes: ['710001', '710048'], weight: 12,
    roads: ['东大街', '南大街', '和平路', '文艺北路', '友谊东路', '友谊西路', '太乙路', '咸宁西路', '兴庆路', '南关正街', '长安北路', '建设路'],
    streets: [
      { name: '南院门街道', communities: ['南院门社区', '竹笆市社区', '粉巷社区'] },
      { name: '柏树林街道', communities: ['柏树林社区', '东木头市社区'] },
      { name: '东关南街街道', communities: ['东关正街社区', '兴庆路社区'] },
      { name: '太乙路街道', communities: ['太乙路社区', '建东街社区'] },
      { name: '文艺路街道', communities: ['文艺北路社区', '南稍门社区'] },
      { name: '张家村街道', communities: ['张家村社区', '友谊西路社区'] },
    ],
  },
  {
    name: '新城区', short: '新城', regionCode: '610102', postalCodes: ['710004', '710005', '710043'], weight: 12,
    roads: ['解放路', '东五路', '西一路', '长乐西路', '长乐中路', '韩森路', '幸福北路', '自强东路', '太华南路', '尚德路', '金花北路'],
    streets: [
      { name: '西一路街道', communities: ['西一路社区', '东七路社区'] },
      { name: '长乐中路街道', communities: ['长乐中路社区', '公园北路社区'] },
      { name: '韩森寨街道', communities: ['韩森路社区', '金花北路社区'] },
      { name: '解放门街道', communities: ['解放路社区', '尚德路社区'] },
      { name: '自强路街道', communities: ['自强东路社区', '铁路东村社区'] },
      { name: '胡家庙街道', communities: ['胡家庙社区', '幸福北路社区'] },
    ],
  },
  {
    name: '莲湖区', short: '莲湖', regionCode: '610104', postalCodes: ['710002', '710003', '710082'], weight: 13,
    roads: ['北大街', '西大街', '莲湖路', '青年路', '桃园南路', '丰庆路', '大庆路', '劳动路', '红庙坡路', '枣园东路'],
    streets: [
      { name: '北院门街道', communities: ['北院门社区', '大麦市社区'] },
      { name: '青年路街道', communities: ['青年路社区', '西华门社区'] },
      { name: '桃园路街道', communities: ['桃园南路社区', '丰庆路社区'] },
      { name: '西关街道', communities: ['西关正街社区', '劳动路社区'] },
      { name: '土门街道', communities: ['土门社区', '大庆路社区'] },
      { name: '枣园街道', communities: ['枣园东路社区', '丰禾路社区'] },
    ],
  },
  {
    name: '未央区', short: '未央', regionCode: '610112', postalCodes: ['710016', '710018', '710021'], weight: 18,
    roads: ['凤城二路', '凤城五路', '未央路', '文景路', '明光路', '太华北路', '朱宏路', '汉城北路', '开元路'],
    streets: [
      { name: '张家堡街道', communities: ['凤城二路社区', '文景路社区', '凤城五路社区'] },
      { name: '未央宫街道', communities: ['未央路社区', '明光路社区'] },
      { name: '大明宫街道', communities: ['太华北路社区', '大明宫社区'] },
      { name: '谭家街道', communities: ['谭家社区', '北辰社区'] },
      { name: '汉城街道', communities: ['汉城北路社区', '朱宏路社区'] },
    ],
  },
  {
    name: '灞桥区', short: '灞桥', regionCode: '610111', postalCodes: ['710038', '710025'], weight: 8,
    roads: ['纺织城正街', '纺北路', '纺渭路', '长乐东路', '浐灞大道', '欧亚大道', '半坡路'],
    streets: [
      { name: '纺织城街道', communities: ['纺织城正街社区', '纺北路社区', '纺渭路社区'] },
      { name: '十里铺街道', communities: ['十里铺社区', '长乐东路社区'] },
      { name: '红旗街道', communities: ['红旗社区', '半坡社区'] },
      { name: '席王街道', communities: ['席王社区', '浐河社区'] },
    ],
  },
  {
    name: '长安区', short: '长安', regionCode: '610116', postalCodes: ['710100'], weight: 13,
    roads: ['韦曲南街', '青年街', '文苑路', '府东一路', '学府大街', '子午大道', '神禾二路', '西长安街'],
    streets: [
      { name: '韦曲街道', communities: ['韦曲南街社区', '青年街社区', '府东社区'] },
      { name: '郭杜街道', communities: ['郭杜社区', '学府大街社区'] },
      { name: '滦镇街道', communities: ['滦镇社区', '喂子坪社区'] },
      { name: '兴隆街道', communities: ['兴隆社区', '神禾社区'] },
    ],
  },
];

/** Common surnames with their rough share in Shaanxi; the remainder comes from faker's list. */
const COMMON_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 8.0], ['张', 7.4], ['李', 7.2], ['刘', 5.6], ['杨', 3.9], ['赵', 2.9], ['陈', 2.6], ['马', 1.9], ['高', 1.6],
  ['郭', 1.4], ['吴', 1.2], ['周', 1.2], ['孙', 1.2], ['任', 1.0], ['段', 0.9], ['冯', 0.9], ['薛', 0.9], ['胡', 0.9],
  ['何', 0.8], ['田', 0.8], ['雷', 0.8], ['贺', 0.7], ['董', 0.7], ['韩', 0.7], ['徐', 0.7], ['朱', 0.7],
];
const COMMON_SURNAME_SHARE = 0.58;

const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '173', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

// ------------------------------------------------------------ the offices

const ONLINE_PORTAL = '陕西政务服务网';
const serviceCenterOf = (d: DistrictEntry) => `${CITY}${d.name}政务服务中心`;

/** Who applies for each personal service, how often, and which office decides. */
interface ServiceDemand {
  weight: number;
  minAge: number;
  maxAge: number;
  /** Only holders of a license of this kind (not REVOKED) apply. */
  requires?: LicenseKind;
  office(district: DistrictEntry): string;
}

const marketRegulator = (d: DistrictEntry) => `${CITY}${d.name}市场监督管理局`;

const SERVICE_DEMAND: Record<string, ServiceDemand> = {
  BUSINESS_LICENSE_APPLICATION: { weight: 8, minAge: 20, maxAge: 60, office: marketRegulator },
  BIRTH_REGISTRATION: { weight: 9, minAge: 20, maxAge: 45, office: (d) => `${CITY}公安局${d.short}分局` },
  CHILDCARE_SUBSIDY: { weight: 10, minAge: 20, maxAge: 45, office: (d) => `${CITY}${d.name}民政局` },
  NEWBORN_MEDICAL_INSURANCE: { weight: 8, minAge: 20, maxAge: 45, office: (d) => `${CITY}${d.name}医疗保障局` },
  DRIVING_LICENSE_RENEWAL: { weight: 14, minAge: 24, maxAge: 80, requires: 'DRIVING', office: () => `${CITY}公安局交通警察支队` },
  DRIVING_LICENSE_REPLACEMENT: { weight: 4, minAge: 18, maxAge: 80, requires: 'DRIVING', office: () => `${CITY}公安局交通警察支队` },
  TAXI_DRIVER_PERMIT: { weight: 3, minAge: 21, maxAge: 60, requires: 'DRIVING', office: () => `${CITY}交通运输局` },
  RESIDENTIAL_BUILDING_PERMIT: { weight: 3, minAge: 28, maxAge: 70, office: (d) => `${CITY}${d.name}住房和城乡建设局` },
  HOME_RENOVATION_FILING: { weight: 8, minAge: 25, maxAge: 75, office: (d) => `${CITY}${d.name}住房和城乡建设局` },
  PUBLIC_RENTAL_HOUSING: { weight: 6, minAge: 20, maxAge: 65, office: () => `${CITY}住房和城乡建设局` },
};

/** What an enterprise's applications depend on. */
interface EnterpriseFacts {
  row: EnterpriseRow;
  district: DistrictEntry;
  industry: Industry;
  establishedDay: number;
  /** The day it was revoked or deregistered; null while ACTIVE. */
  endedDay: number | null;
}

/**
 * Which enterprises apply for each enterprise service, how often, when (the
 * days open to an application; the case history's two years by default), and
 * which office decides. The representative applies for the enterprise.
 */
interface EnterpriseDemand {
  weight: number;
  applies(e: EnterpriseFacts): boolean;
  window?(e: EnterpriseFacts): readonly [number, number];
  office(district: DistrictEntry): string;
}

const ENTERPRISE_DEMAND: Record<string, EnterpriseDemand> = {
  BUSINESS_START_SUBSIDY: {
    weight: 3,
    applies: (e) => e.row.kind !== 'FARMERS_COOPERATIVE',
    window: (e) => [e.establishedDay + 30, e.establishedDay + 365],
    office: (d) => `${CITY}${d.name}人力资源和社会保障局`,
  },
  EMPLOYER_INSURANCE_REGISTRATION: {
    weight: 6,
    applies: (e) => e.row.kind !== 'INDIVIDUAL_BUSINESS',
    window: (e) => [e.establishedDay + 1, e.establishedDay + 30],
    office: (d) => `${CITY}${d.name}社会保险经办中心`,
  },
  FOOD_BUSINESS_PERMIT: { weight: 3, applies: (e) => e.industry.food, office: marketRegulator },
  FOOD_BUSINESS_PERMIT_RENEWAL: { weight: 3, applies: (e) => e.industry.food && e.establishedDay < REF_DAY - 4 * 365, office: marketRegulator },
  PUBLIC_PLACE_HEALTH_PERMIT: { weight: 4, applies: (e) => e.industry.publicPlace, office: (d) => `${CITY}${d.name}卫生健康局` },
  OUTDOOR_ADVERTISING_PERMIT: { weight: 1.5, applies: () => true, office: (d) => `${CITY}${d.name}城市管理和综合执法局` },
  ENTERPRISE_CHANGE_REGISTRATION: { weight: 4, applies: () => true, office: marketRegulator },
  // Drawn with the deregistration itself (enterpriseCasesOf), never at random.
  SIMPLIFIED_DEREGISTRATION: { weight: 0, applies: () => false, office: marketRegulator },
};

// ------------------------------------------------------------ enterprises

/** A line of business: how its enterprises are named, their registered scope, which permits they need. */
interface Industry {
  /** Shop words of an individual business's name (面馆, 便利店). */
  shops: readonly string[];
  /** The industry word of a company's name (餐饮管理, 网络科技). */
  trade: string;
  scope: string;
  /** Sells or serves food: needs a food business permit. */
  food: boolean;
  /** A public place under hygiene supervision (salons): needs a hygiene permit. */
  publicPlace: boolean;
  /** Relative frequency among individual businesses, and among the other kinds. */
  individual: number;
  company: number;
}

const INDUSTRIES: readonly Industry[] = [
  { shops: ['面馆', '小吃店', '凉皮店', '肉夹馍店', '火锅店', '饺子馆', '烧烤店'], trade: '餐饮管理', scope: '餐饮服务；食品销售（仅销售预包装食品）；外卖递送服务', food: true, publicPlace: false, individual: 30, company: 8 },
  { shops: ['便利店', '副食店', '超市', '水果店', '粮油店'], trade: '商贸', scope: '食品销售；日用百货销售；烟草制品零售', food: true, publicPlace: false, individual: 18, company: 6 },
  { shops: ['服装店', '鞋店', '服饰店'], trade: '服饰', scope: '服装服饰零售；鞋帽零售；针纺织品销售', food: false, publicPlace: false, individual: 10, company: 3 },
  { shops: ['理发店', '美发店', '美容店', '美甲店'], trade: '美容美发', scope: '理发服务；生活美容服务；化妆品零售', food: false, publicPlace: true, individual: 10, company: 3 },
  { shops: ['五金店', '建材经销部', '装饰材料店'], trade: '建材', scope: '五金产品零售；建筑材料销售；建筑装饰材料销售', food: false, publicPlace: false, individual: 8, company: 6 },
  { shops: ['汽车修理部', '汽车美容店', '轮胎店'], trade: '汽车服务', scope: '机动车修理和维护；汽车装饰用品销售；洗车服务', food: false, publicPlace: false, individual: 5, company: 4 },
  { shops: ['手机店', '通讯器材店'], trade: '通讯', scope: '移动终端设备销售；通讯设备销售；电子产品销售', food: false, publicPlace: false, individual: 6, company: 3 },
  { shops: ['网络工作室'], trade: '网络科技', scope: '软件开发；信息技术咨询服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广', food: false, publicPlace: false, individual: 1, company: 18 },
  { shops: ['装修队'], trade: '建筑工程', scope: '建设工程施工；住宅室内装饰装修；建筑劳务分包', food: false, publicPlace: false, individual: 2, company: 12 },
  { shops: ['货运部', '快递代办点'], trade: '物流', scope: '道路货物运输（不含危险货物）；普通货物仓储服务（不含危险化学品等需许可审批的项目）；国内货物运输代理', food: false, publicPlace: false, individual: 3, company: 8 },
  { shops: ['图文广告部', '摄影工作室'], trade: '文化传媒', scope: '广告设计、代理；广告制作；组织文化艺术交流活动；摄影扩印服务', food: false, publicPlace: false, individual: 3, company: 10 },
  { shops: ['书画培训室'], trade: '教育科技', scope: '教育咨询服务（不含涉许可审批的教育培训活动）；软件开发', food: false, publicPlace: false, individual: 1, company: 7 },
  { shops: ['咨询服务部'], trade: '企业管理咨询', scope: '企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；市场营销策划', food: false, publicPlace: false, individual: 0, company: 10 },
];
const INDIVIDUAL_INDUSTRIES = INDUSTRIES.map((i) => [i, i.individual] as const);
const COMPANY_INDUSTRIES = INDUSTRIES.map((i) => [i, i.company] as const);
const FARMING: Industry = { shops: [], trade: '种植', scope: '蔬菜种植；水果种植；农产品的生产、销售、加工、运输、贮藏及其他相关服务', food: false, publicPlace: false, individual: 0, company: 0 };
const COOPERATIVE_CROPS = ['蔬菜种植', '葡萄种植', '樱桃种植', '猕猴桃种植', '食用菌种植', '草莓种植'];
/** Districts with farmland, where farmers' cooperatives are registered. */
const RURAL_REGIONS = new Set(['610116', '610111']);

/** Characters of trade names (字号), two of them to a name. */
const TRADE_NAME_CHARS = [...'华盛鑫源博远恒达秦韵丰泽汇通瑞祥嘉禾启航锦程宏图德顺福安兴旺信诚泰和金茂隆昌荣腾越晟凯明辉宇海天正新立优佳美创力星云诺悦'];

/** Kinds of market entity with their share of new registrations (individual businesses are about two thirds). */
const ENTERPRISE_KINDS: readonly (readonly [EnterpriseKind, number])[] = [
  ['INDIVIDUAL_BUSINESS', 62], ['LIMITED_LIABILITY_COMPANY', 31], ['SOLE_PROPRIETORSHIP', 3], ['PARTNERSHIP', 2], ['FARMERS_COOPERATIVE', 1.5], ['JOINT_STOCK_COMPANY', 0.5],
];
const ORGANISATION_TYPE: Record<EnterpriseKind, MarketOrganisationType> = {
  LIMITED_LIABILITY_COMPANY: 'ENTERPRISE',
  JOINT_STOCK_COMPANY: 'ENTERPRISE',
  SOLE_PROPRIETORSHIP: 'ENTERPRISE',
  PARTNERSHIP: 'ENTERPRISE',
  INDIVIDUAL_BUSINESS: 'INDIVIDUAL_BUSINESS',
  FARMERS_COOPERATIVE: 'FARMERS_COOPERATIVE',
};
/** Registered capital in units of 10,000 yuan (万元, as registered), by kind; individual businesses register none. */
const CAPITAL_WAN: Record<EnterpriseKind, readonly (readonly [number, number])[]> = {
  INDIVIDUAL_BUSINESS: [[0, 1]],
  LIMITED_LIABILITY_COMPANY: [[10, 12], [30, 10], [50, 16], [100, 22], [200, 12], [300, 8], [500, 10], [1000, 6], [2000, 2], [5000, 1]],
  JOINT_STOCK_COMPANY: [[500, 3], [1000, 4], [2000, 3], [5000, 2], [10000, 1]],
  SOLE_PROPRIETORSHIP: [[1, 3], [3, 3], [5, 4], [10, 4], [20, 2], [50, 1]],
  PARTNERSHIP: [[10, 2], [50, 3], [100, 4], [500, 2], [1000, 1]],
  FARMERS_COOPERATIVE: [[5, 2], [10, 3], [50, 3], [100, 2], [200, 1]],
};
const ENTERPRISE_STATUS: readonly (readonly [EnterpriseStatus, number])[] = [['ACTIVE', 85], ['DEREGISTERED', 11], ['REVOKED', 4]];
/**
 * Chance that a living adult of 20 to 70 legally represents an enterprise,
 * and that one who does represents a second: about one enterprise per five
 * citizens overall.
 */
const REPRESENTATIVE_RATE = 0.255;
const SECOND_ENTERPRISE_RATE = 0.12;
/** Mean applications per enterprise over the case history: trading ones, and revoked or deregistered ones. */
const CASES_PER_ACTIVE_ENTERPRISE = 1.1;
const CASES_PER_ENDED_ENTERPRISE = 0.3;

const REJECTION_NOTES = ['申请材料不齐全，请补正后重新申请', '不符合申请条件', '申请人撤回申请', '申请信息与登记信息不一致'];

const LICENSE_PREFIX: Record<LicenseKind, string> = { DRIVING: 'DL', BUSINESS: 'BL', FOOD_BUSINESS: 'JY', CONSTRUCTION: 'SG', TAXI: 'WY' };

// ------------------------------------------------- applications through the hub

/** Online applications have gone through the hub (with their items recorded) since 15 months before the reference date. */
const HUB_LIVE_DAYS = 456;
/** How a held item of an application through the hub ended up: pre-filled mostly; collected where the hub could not read it; now and then typed in again. */
const HELD_ITEM_ORIGINS: readonly (readonly [CaseItemRow['origin'], number])[] = [['PREFILLED', 86], ['COLLECTED', 9], ['RECOLLECTED', 5]];
/** The source a pre-filled item is read from, by the type of its graph field (as prefill names it). */
const ITEM_SOURCE: Readonly<Record<string, string>> = { Citizen: 'registry', License: 'licensing', Enterprise: 'enterprise' };
/** What the demo keeps of a value the citizen typed: a placeholder, never personal data. */
const SUPPLIED_VALUE = '（申请人填写）';

// ------------------------------------------------- ratings and follow-ups

/** Share of decided cases whose applicant rates them (SPEC §9: about half). */
const RATED_SHARE = 0.5;
type RatingLevel = 1 | 2 | 3 | 4 | 5;
/** How applicants rate a case decided within its legal time limit, one rejected, and one decided late (worse, centred on 2 to 3). */
const ON_TIME_RATINGS: readonly (readonly [RatingLevel, number])[] = [[5, 58], [4, 27], [3, 8], [2, 4], [1, 3]];
const REJECTED_RATINGS: readonly (readonly [RatingLevel, number])[] = [[5, 28], [4, 26], [3, 22], [2, 14], [1, 10]];
const LATE_RATINGS: readonly (readonly [RatingLevel, number])[] = [[5, 7], [4, 14], [3, 30], [2, 30], [1, 19]];
/** Chance that a rating of each level comes with a comment: the dissatisfied say why more often (about 40 % overall). */
const COMMENT_RATE: Record<RatingLevel, number> = { 1: 0.8, 2: 0.75, 3: 0.5, 4: 0.35, 5: 0.33 };
/** What citizens write, by level: for a case decided in time, and for one decided late. */
const COMMENTS: Record<RatingLevel, readonly [onTime: readonly string[], late: readonly string[]]> = {
  5: [
    ['办理很快，工作人员很耐心', '全程网上办理，一次都不用跑', '材料一次性告知清楚，当天就受理了', '窗口服务热情，指导很细致', '提前办结，效率很高，点赞'],
    ['虽然比承诺时间晚了几天，但工作人员一直主动告知进度', '时间长了点，不过结果满意，服务态度很好'],
  ],
  4: [
    ['整体比较顺利，就是排队时间稍长', '办得挺快，预约不太好约', '工作人员态度好，流程还可以再简化', '网上提交很方便，审核等了几天'],
    ['比承诺时限晚了一些，其他都挺好', '等的时间有点长，但办事人员很负责'],
  ],
  3: [
    ['办成了，但等的时间有点长', '办事指南写得不够清楚，打电话问了好几次', '一般吧，跑了两趟才办完', '前后要求的材料说法不一致'],
    ['超过了承诺时限，也没人说明原因', '进度查询一直显示审核中，只能打电话催'],
  ],
  2: [
    ['材料被要求重复提交', '系统里已有的证照还要我再交复印件', '窗口之间来回推，跑了好几趟', '咨询电话一直打不通'],
    ['超过承诺时限才办结，没人主动告知进度', '催了好几次才办完，等了太久', '说好的时限一拖再拖'],
  ],
  1: [
    ['同样的材料交了三次，体验很差', '工作人员态度很差，问什么都说不知道', '要求开具的证明根本开不出来'],
    ['超期很久才有结果，也没有任何解释', '一个多月没消息，打电话也没人管', '拖了这么久还要重新补材料'],
  ],
};
/**
 * Days a department has to answer a rating of 1 or 2: the default of
 * FOLLOW_UP_DAYS (SPEC §1); the generator never reads the environment.
 */
const FOLLOW_UP_DAYS = 15;
/** How a department answers a bad rating: about the delay when the case was late, about the service otherwise. */
const FOLLOW_UP_ANSWERS: readonly [onTime: readonly string[], late: readonly string[]] = [
  [
    '您好，您反映的重复提交材料问题属实。该事项已接入部门间数据共享，今后办理无需再提交已有证照和证明。感谢您的监督。',
    '您好，我们已对当班窗口工作人员进行批评教育，并组织全员服务规范培训。对给您带来的不便深表歉意。',
    '您好，经核查，办事指南中的材料清单表述不清，现已修订并在网上公布，实行一次性告知。',
    '您好，已增设咨询专线并延长接听时间，工作日8:30至18:00均有专人接听。',
  ],
  [
    '您好，经核查，因当期申请量较大导致办理超时。我们已增加审核人员，并对超期件实行专人督办。对给您带来的不便深表歉意。',
    '您好，您的事项因需外部门核实信息而超出承诺时限，核实过程中未及时告知您进度，是我们的工作失误。现已开通办理进度短信提醒。',
    '您好，已安排专人电话回访，向您说明了超期原因。我们已将该事项纳入超期预警，临近时限系统自动提醒经办人。',
  ],
];
/**
 * Who answers a department's follow-ups in the demo: its demo consumer
 * (SPEC §9), else an office named after the department.
 */
const ANSWERING_CONSUMER: ReadonlyMap<string, string> = new Map(DEMO_CONSUMERS.filter((c) => c.role === 'consumer' && !c.portal).map((c) => [c.department, c.id]));
const answererOf = (department: string) => ANSWERING_CONSUMER.get(department) ?? `${department}-office`;

/** A follow-up's id: a version-4-shaped UUID hashed from the case number, so one seed gives one set of ids. */
function followUpId(caseNumber: string): string {
  const h = createHash('sha256').update(`rating-follow-up:${caseNumber}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A rating fixed in advance (the demo citizen's), with the answer to its follow-up when it is 1 or 2. */
interface FixedRating {
  rating: RatingLevel;
  comment: string | null;
  ratedMs: number;
  answer?: { response: string; answeredMs: number };
}

// ---------------------------------------------------------------- time

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** China Standard Time, for office hours. */
const CST_MS = 8 * HOUR_MS;
const REF_MS = Date.parse(REFERENCE_DATE);
const REF_DAY = REF_MS / DAY_MS;
/** Cases are submitted within this many days before the reference date. */
const CASE_HISTORY_DAYS = 730;

/**
 * The calendar date of an epoch day as the number YYYYMMDD (H. Hinnant's
 * civil-from-days): much cheaper than Date#toISOString, which would dominate
 * the generator's time at a million citizens.
 */
function ymd(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const m = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10_000 + m * 100 + d;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

function isoDate(day: number): string {
  const v = ymd(day);
  return `${Math.floor(v / 10_000)}-${pad2(Math.floor(v / 100) % 100)}-${pad2(v % 100)}`;
}

/** An instant in UTC, kept to whole seconds as the departments' systems record them. */
function isoInstant(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  const time = seconds - day * 86_400;
  return `${isoDate(day)}T${pad2(Math.floor(time / 3600))}:${pad2(Math.floor(time / 60) % 60)}:${pad2(time % 60)}Z`;
}

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const cst = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);

function addYears(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime() / DAY_MS;
}

const REF_YMD = ymd(REF_DAY);

/** When a case reached each step; a step at or after the reference date has not happened yet. */
interface CaseSteps {
  submittedMs: number;
  online: boolean;
  reviewMs: number;
  decidedMs: number;
  decision: 'APPROVED' | 'REJECTED';
  closedMs: number | null;
}

/** Age in completed years on the reference date. */
const ageOn = (birthDay: number) => Math.floor((REF_YMD - ymd(birthDay)) / 10_000);

// ------------------------------------------------------------ randomness

/** Random draws from one seeded faker instance: the only source of randomness, so one seed gives one world. */
class Draw {
  constructor(private readonly faker: Faker) {}

  /** Uniform in [0, 1). */
  next(): number {
    return this.faker.number.float();
  }
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }
  /** Knuth's method; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += Math.floor(this.next() * 10);
    return s;
  }
}

// ------------------------------------------------------------ the world

/** A person before they are a row: what later steps (licenses, cases) need to know. */
interface Person {
  row: CitizenRow;
  birthDay: number;
  surname: string;
}

const DISTRICT_WEIGHTS = DISTRICTS.map((d) => [d, d.weight] as const);
const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [[1, 17], [2, 27], [3, 27], [4, 16], [5, 8], [6, 5]];
const HEAD_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[22, 30], 14], [[30, 40], 22], [[40, 50], 20], [[50, 60], 18], [[60, 70], 14], [[70, 92], 12],
];
const DRIVING_STATUS: readonly (readonly [LicenseStatus, number])[] = [['ACTIVE', 84], ['EXPIRED', 10], ['SUSPENDED', 4], ['REVOKED', 2]];
/** Mean cases per living adult, tuned so that cases average about 1.5 per citizen. */
const CASES_PER_ADULT = 2.1;

class DemoWorld {
  private readonly draw: Draw;
  /**
   * Ratings and follow-ups draw from a stream of their own, so that adding
   * them left every other row of a seed's world as it was.
   */
  private readonly opinions: Draw;
  /** A stream of its own for application items (added later), so that the rest of each seed's world stays as it was. */
  private readonly forms: Draw;
  private readonly services = new Map(SERVICES.map((s) => [s.code, s]));
  private readonly idSequences = new Map<number, number>();
  private readonly licenseSequences = new Map<string, number>();
  private readonly caseSequences = new Map<number, number>();
  /** Organisation codes issued so far: unique nationwide (GB 11714), whichever region registers the organisation. */
  private organisationSequence = 0;
  private readonly names: { surnames: readonly string[]; male: readonly string[]; female: readonly string[] };
  private householdSequence = 0;
  citizenCount = 0;

  constructor(seed: number) {
    const faker = new Faker({ locale: [zh_CN, base] });
    faker.seed(seed);
    this.draw = new Draw(faker);
    const opinions = new Faker({ locale: [base] });
    opinions.seed([seed, 16]);
    this.opinions = new Draw(opinions);
    const forms = new Faker({ locale: [base] });
    forms.seed([seed, 17]);
    this.forms = new Draw(forms);
    // faker's own picks mix in unisex names for either sex; its sex-specific lists do not.
    const { first_name: given, last_name: surnames } = faker.definitions.person;
    this.names = { surnames: surnames.generic!, male: given.male!, female: given.female! };
    for (const service of SERVICES) {
      const demand = service.serviceObject === 'PERSON' ? SERVICE_DEMAND[service.code] : ENTERPRISE_DEMAND[service.code];
      if (!demand) throw new Error(`generate.ts: no ${service.serviceObject === 'PERSON' ? 'SERVICE_DEMAND' : 'ENTERPRISE_DEMAND'} entry for service ${service.code}`);
    }
  }

  // ---- identities

  private nationalId(district: DistrictEntry, birthDay: number, sex: 'F' | 'M'): string {
    // Sequence numbers count per region, birth date and sex: odd for men, even for women.
    const key = (Number(district.regionCode) * 100_000 + birthDay) * 2 + (sex === 'M' ? 1 : 0);
    const index = this.idSequences.get(key) ?? 0;
    this.idSequences.set(key, index + 1);
    const sequence = sex === 'M' ? 2 * index + 1 : 2 * index + 2;
    if (sequence > 999) throw new Error(`more than 499 citizens of one sex born on one day in ${district.name}`);
    const first17 = district.regionCode + ymd(birthDay) + String(sequence).padStart(3, '0');
    return first17 + nationalIdCheckChar(first17);
  }

  private surname(): string {
    return this.draw.chance(COMMON_SURNAME_SHARE) ? this.draw.weighted(COMMON_SURNAMES) : this.draw.pick(this.names.surnames);
  }

  private givenName(sex: 'F' | 'M'): string {
    return this.draw.pick(sex === 'M' ? this.names.male : this.names.female);
  }

  private phone(): string {
    return this.draw.pick(PHONE_PREFIXES) + this.draw.digits(8);
  }

  private email(): string {
    if (this.draw.chance(0.55)) return `${this.draw.int(10_000_000, 3_999_999_999)}@qq.com`;
    let local = '';
    for (let i = this.draw.int(4, 8); i > 0; i--) local += LETTERS[this.draw.int(0, LETTERS.length - 1)];
    return `${local}${this.draw.digits(this.draw.int(2, 4))}@${this.draw.pick(['163.com', '126.com', 'sina.com', 'foxmail.com'])}`;
  }

  private person(
    household: HouseholdRow,
    district: DistrictEntry,
    relation: CitizenRow['relation'],
    sex: 'F' | 'M',
    birthDay: number,
    surname: string,
  ): Person {
    const age = ageOn(birthDay);
    const deathRisk = age < 40 ? 0.003 : age < 60 ? 0.012 : age < 70 ? 0.05 : age < 80 ? 0.13 : age < 90 ? 0.3 : 0.5;
    const deceased = this.draw.chance(deathRisk);
    const earliestDeath = Math.max(birthDay + 1, REF_DAY - 6 * 365);
    const diedOn = deceased ? this.draw.int(earliestDeath, Math.max(earliestDeath, REF_DAY - 1)) : null;
    const hasPhone = age >= 15 && this.draw.chance(deceased ? 0.5 : 0.96);
    const hasEmail = !deceased && age >= 16 && age <= 70 && this.draw.chance(age < 45 ? 0.45 : 0.2);
    const row: CitizenRow = {
      id: this.nationalId(district, birthDay, sex),
      name: surname + this.givenName(sex),
      birthDate: isoDate(birthDay),
      sex,
      householdId: household.id,
      relation,
      phone: hasPhone ? this.phone() : null,
      email: hasEmail ? this.email() : null,
      status: deceased ? 'DECEASED' : 'ALIVE',
      diedOn: diedOn === null ? null : isoDate(diedOn),
    };
    return { row, birthDay, surname };
  }

  private address(district: DistrictEntry): Omit<HouseholdRow, 'id' | 'headId'> {
    const street = this.draw.pick(district.streets);
    const road = this.draw.pick(district.roads);
    const number = this.draw.int(1, 320);
    const line = this.draw.chance(0.75)
      ? `${road}${number}号${this.draw.int(1, 24)}号楼${this.draw.int(1, 4)}单元${this.draw.int(1, 32)}0${this.draw.int(1, 4)}室`
      : `${road}${number}号院${this.draw.int(1, 12)}栋${this.draw.int(1, 6)}0${this.draw.int(1, 3)}室`;
    return {
      regionCode: district.regionCode,
      district: CITY + district.name,
      street: street.name,
      community: this.draw.pick(street.communities),
      line,
      postalCode: this.draw.pick(district.postalCodes),
    };
  }

  private newHousehold(district: DistrictEntry, address: Omit<HouseholdRow, 'id' | 'headId'>): HouseholdRow {
    this.householdSequence++;
    return { id: district.regionCode + String(this.householdSequence).padStart(9, '0'), ...address, headId: '' };
  }

  // ---- households

  /** One household of up to `room` citizens, with their licenses and cases. */
  household(chunk: DemoDataChunk, room: number): void {
    const draw = this.draw;
    const district = draw.weighted(DISTRICT_WEIGHTS);
    const household = this.newHousehold(district, this.address(district));
    const size = Math.min(room, draw.weighted(HOUSEHOLD_SIZES));

    const [minAge, maxAge] = draw.weighted(HEAD_AGES);
    const headBirth = Math.floor(REF_DAY - draw.between(minAge, maxAge) * 365.25);
    const headSex = draw.chance(0.7) ? 'M' : 'F';
    const headSurname = this.surname();
    const members: Person[] = [this.person(household, district, 'HEAD', headSex, headBirth, headSurname)];

    let mother: number | null = headSex === 'F' ? headBirth : null;
    let fatherSurname = headSex === 'M' ? headSurname : null;
    if (size >= 2 && draw.chance(size === 2 ? 0.8 : 0.92)) {
      const spouseSex = headSex === 'M' ? 'F' : 'M';
      // Husbands are, on average, a little older than their wives.
      const gapYears = headSex === 'M' ? draw.between(-2, 6) : draw.between(-6, 2);
      // Spouses are at least 20 to 23 years old; the bound is drawn so that they do not all share one birthday.
      const spouseBirth = Math.min(Math.floor(headBirth + gapYears * 365.25), REF_DAY - 20 * 365 - draw.int(0, 3 * 365));
      const spouse = this.person(household, district, 'SPOUSE', spouseSex, spouseBirth, this.surname());
      members.push(spouse);
      if (spouseSex === 'F') mother = spouseBirth;
      else fatherSurname = spouse.surname;
    }
    // A single father's children had a mother of about his age.
    mother ??= headBirth + draw.int(-3, 3) * 365;
    const childSurname = fatherSurname ?? headSurname;

    const headAge = ageOn(headBirth);
    if (headAge < 50 && members.length < size && draw.chance(0.2)) {
      // The head's parents: the father carries the head's surname.
      const fatherBirth = Math.floor(headBirth - draw.between(23, 34) * 365.25);
      if (ageOn(fatherBirth) <= 96) members.push(this.person(household, district, 'PARENT', 'M', fatherBirth, headSurname));
      const motherBirth = Math.floor(fatherBirth + draw.between(-1, 5) * 365.25);
      if (members.length < size && ageOn(motherBirth) <= 96) members.push(this.person(household, district, 'PARENT', 'F', motherBirth, this.surname()));
    }
    if (headAge >= 55 && members.length < size && draw.chance(0.3)) {
      const grandchildBirth = draw.int(REF_DAY - 15 * 365, REF_DAY - 30);
      members.push(this.person(household, district, 'OTHER', draw.chance(0.5) ? 'M' : 'F', grandchildBirth, childSurname));
    }
    // Children are born to a mother aged 21 to 40; one that could not have been born yet is left out.
    const earliestChild = Math.floor(mother + 21 * 365.25);
    const latestChild = Math.min(Math.floor(mother + 40 * 365.25), REF_DAY - 1);
    while (members.length < size && earliestChild <= latestChild) {
      const sex = draw.chance(0.51) ? 'M' : 'F';
      members.push(this.person(household, district, 'CHILD', sex, draw.int(earliestChild, latestChild), childSurname));
    }

    household.headId = members[0].row.id;
    chunk.households.push(household);
    for (const member of members) {
      chunk.citizens.push(member.row);
      this.citizenCount++;
      if (member.row.status === 'ALIVE' && ageOn(member.birthDay) >= 18) {
        const held = this.licensesOf(chunk, member, district);
        this.casesOf(chunk, member, district, held);
        this.enterprisesOf(chunk, member, district);
      }
    }
  }

  // ---- licenses

  private licenseNumber(kind: LicenseKind, issuedDay: number): string {
    const sequence = (this.licenseSequences.get(kind) ?? 0) + 1;
    this.licenseSequences.set(kind, sequence);
    return LICENSE_PREFIX[kind] + Math.floor(ymd(issuedDay) / 10_000) + String(sequence).padStart(7, '0');
  }

  /** A license held by a citizen (`Person`) or by an enterprise. */
  private addLicense(chunk: DemoDataChunk, holder: Person | EnterpriseRow, kind: LicenseKind, status: LicenseStatus, issuedDay: number, expiresDay: number | null, issuer: string): void {
    const citizen = 'row' in holder;
    chunk.licenses.push({
      number: this.licenseNumber(kind, issuedDay),
      holderId: citizen ? holder.row.id : null,
      enterpriseId: citizen ? null : holder.id,
      kind,
      status,
      issuedOn: isoDate(issuedDay),
      expiresOn: expiresDay === null ? null : isoDate(expiresDay),
      issuer,
    });
  }

  /**
   * A license whose current document follows the renewal periods (years; null
   * for "long-term"), renewed up to 90 days before each expiry. A license that
   * `lapses` stops at the first expiry before the reference date.
   */
  private renewals(firstIssueDay: number, periods: readonly (number | null)[], lapses: boolean): { issued: number; expires: number | null; lapsed: boolean } {
    let issued = firstIssueDay;
    let period = 0;
    let expires: number | null = periods[0] === null ? null : addYears(issued, periods[0]);
    while (expires !== null && expires < REF_DAY) {
      if (lapses) return { issued, expires, lapsed: true };
      issued = expires - this.draw.int(0, 90);
      period = Math.min(period + 1, periods.length - 1);
      const years = periods[period];
      expires = years === null ? null : addYears(issued, years);
    }
    return { issued, expires, lapsed: false };
  }

  /** Draws the licenses of a living adult; returns the kinds held (not REVOKED). */
  private licensesOf(chunk: DemoDataChunk, holder: Person, district: DistrictEntry): Set<LicenseKind> {
    const draw = this.draw;
    const held = new Set<LicenseKind>();
    const age = ageOn(holder.birthDay);
    const adultDay = addYears(holder.birthDay, 18);

    const drivingRate = (age < 25 ? 0.24 : age < 60 ? 0.37 : age < 70 ? 0.24 : 0.09) * (holder.row.sex === 'M' ? 1.15 : 0.85);
    let drivingActive = false;
    if (draw.chance(drivingRate)) {
      const firstIssue = Math.floor(adultDay + Math.pow(draw.next(), 2) * Math.min(REF_DAY - 30 - adultDay, 25 * 365));
      let status = draw.weighted(DRIVING_STATUS);
      const { issued, expires, lapsed } = this.renewals(firstIssue, [6, 10, null], status === 'EXPIRED');
      if (status === 'EXPIRED' && !lapsed) status = 'ACTIVE';
      this.addLicense(chunk, holder, 'DRIVING', status, issued, expires, `${CITY}公安局交通警察支队`);
      if (status !== 'REVOKED') held.add('DRIVING');
      drivingActive = status === 'ACTIVE';
    }

    // Business licenses and food permits are held by enterprises (enterprisesOf), not by people.

    if (age >= 28 && age <= 70 && draw.chance(0.012)) {
      const issued = draw.int(REF_DAY - 4 * 365, REF_DAY - 10);
      const expires = addYears(issued, 2);
      const status: LicenseStatus = draw.chance(0.03) ? 'REVOKED' : expires < REF_DAY ? 'EXPIRED' : 'ACTIVE';
      this.addLicense(chunk, holder, 'CONSTRUCTION', status, issued, expires, `${CITY}${district.name}住房和城乡建设局`);
      if (status !== 'REVOKED') held.add('CONSTRUCTION');
    }

    if (drivingActive && age >= 24 && age <= 60 && draw.chance(holder.row.sex === 'M' ? 0.05 : 0.01)) {
      const firstIssue = draw.int(Math.max(addYears(holder.birthDay, 24), REF_DAY - 10 * 365), REF_DAY - 10);
      const { issued, expires, lapsed } = this.renewals(firstIssue, [6], draw.chance(0.15));
      const status: LicenseStatus = lapsed ? 'EXPIRED' : draw.chance(0.04) ? 'SUSPENDED' : 'ACTIVE';
      this.addLicense(chunk, holder, 'TAXI', status, issued, expires, `${CITY}交通运输局`);
      held.add('TAXI');
    }
    return held;
  }

  // ---- cases

  private caseNumber(submittedMs: number): string {
    const year = Math.floor(ymd(Math.floor((submittedMs + CST_MS) / DAY_MS)) / 10_000);
    const sequence = (this.caseSequences.get(year) ?? 0) + 1;
    this.caseSequences.set(year, sequence);
    return `SC${year}${String(sequence).padStart(7, '0')}`;
  }

  /**
   * Writes one case and its events. `reviewMs`, `decidedMs` and `closedMs`
   * are when the case reached each step; a step at or after the reference
   * date has not happened yet. A decided case is rated as `rating` says:
   * drawn, never, or as fixed.
   */
  private addCase(
    chunk: DemoDataChunk,
    service: ServiceEntry,
    applicant: Person,
    district: DistrictEntry,
    steps: CaseSteps,
    enterprise: EnterpriseRow | null = null,
    rating: 'drawn' | 'unrated' | FixedRating = 'drawn',
  ): string {
    const office = (enterprise ? ENTERPRISE_DEMAND : SERVICE_DEMAND)[service.code].office(district);
    const number = this.caseNumber(steps.submittedMs);
    const events = chunk.events;
    events.push({ caseNumber: number, at: isoInstant(steps.submittedMs), status: 'SUBMITTED', actor: steps.online ? ONLINE_PORTAL : serviceCenterOf(district), note: null });
    let status: CaseStatus = 'SUBMITTED';
    let decidedAt: string | null = null;
    if (steps.reviewMs < REF_MS) {
      status = 'IN_REVIEW';
      events.push({ caseNumber: number, at: isoInstant(steps.reviewMs), status, actor: office, note: null });
    }
    if (steps.decidedMs < REF_MS) {
      status = steps.decision;
      decidedAt = isoInstant(steps.decidedMs);
      const note = status === 'REJECTED' ? this.draw.pick(REJECTION_NOTES) : null;
      events.push({ caseNumber: number, at: decidedAt, status, actor: office, note });
      if (steps.closedMs !== null && steps.closedMs < REF_MS) {
        status = 'CLOSED';
        events.push({ caseNumber: number, at: isoInstant(steps.closedMs), status, actor: office, note: null });
      }
    }
    const row: CaseRow = {
      number,
      serviceCode: service.code,
      applicantId: applicant.row.id,
      enterpriseId: enterprise?.id ?? null,
      department: service.department,
      status,
      submittedAt: isoInstant(steps.submittedMs),
      dueAt: isoInstant(steps.submittedMs + service.timeLimitDays * DAY_MS),
      decidedAt,
    };
    chunk.cases.push(row);
    if (steps.online && steps.submittedMs >= REF_MS - HUB_LIVE_DAYS * DAY_MS) this.addItems(chunk, service, row);
    if (decidedAt !== null && rating !== 'unrated') {
      if (rating === 'drawn') this.rateDrawn(chunk, row, steps.decidedMs, steps.decision === 'REJECTED');
      else this.addRating(chunk, row, rating);
    }
    return number;
  }

  /** The items of an application submitted through the hub (those a department holds mostly pre-filled, the rest supplied) and its summary. */
  private addItems(chunk: DemoDataChunk, service: ServiceEntry, c: CaseRow): void {
    let prefilled = 0;
    let recollected = 0;
    let fromOthers = 0;
    for (const item of service.dataItems) {
      const origin = item.field === null ? 'COLLECTED' : this.forms.weighted(HELD_ITEM_ORIGINS);
      const source = origin === 'PREFILLED' ? ITEM_SOURCE[item.field!.split('.')[0]] : null;
      if (origin === 'RECOLLECTED') recollected++;
      if (source !== null) {
        prefilled++;
        if (departmentOfSource(source) !== c.department) fromOthers++;
      }
      chunk.items.push({ caseNumber: c.number, key: item.key, origin, source, value: origin === 'PREFILLED' ? null : SUPPLIED_VALUE });
    }
    chunk.applications.push({
      caseNumber: c.number,
      serviceCode: c.serviceCode,
      department: c.department,
      submittedAt: c.submittedAt,
      items: String(service.dataItems.length),
      prefilled: String(prefilled),
      recollected: String(recollected),
      prefilledFromOthers: String(fromOthers),
    });
  }

  /**
   * About half of the applicants rate a decided case, hours to a few days
   * after the decision (the text message asking for it); a case decided late
   * is rated worse. One whose rating would fall on or after the reference
   * date is not rated yet.
   */
  private rateDrawn(chunk: DemoDataChunk, c: CaseRow, decidedMs: number, rejected: boolean): void {
    const draw = this.opinions;
    if (!draw.chance(RATED_SHARE)) return;
    const ratedMs = decidedMs + (draw.chance(0.7) ? draw.between(0.5, 24) : draw.between(24, 5 * 24)) * HOUR_MS;
    if (ratedMs >= REF_MS) return;
    // The same comparison the database makes of the two columns.
    const late = c.decidedAt! > c.dueAt;
    const rating = draw.weighted(late ? LATE_RATINGS : rejected ? REJECTED_RATINGS : ON_TIME_RATINGS);
    const comment = draw.chance(COMMENT_RATE[rating]) ? draw.pick(COMMENTS[rating][late ? 1 : 0]) : null;
    let answer: FixedRating['answer'];
    if (rating <= 2) {
      // Most departments answer within the period, some after it, a few never (OVERDUE once past due).
      const openedMs = ratedMs;
      const dueMs = openedMs + FOLLOW_UP_DAYS * DAY_MS;
      const r = draw.next();
      const answeredMs = r < 0.78 ? openedMs + (2 + Math.pow(draw.next(), 1.5) * (FOLLOW_UP_DAYS * 24 - 2)) * HOUR_MS : r < 0.92 ? dueMs + draw.between(0.1, 12) * DAY_MS : null;
      if (answeredMs !== null) answer = { response: draw.pick(FOLLOW_UP_ANSWERS[late ? 1 : 0]), answeredMs };
    }
    this.addRating(chunk, c, { rating, comment, ratedMs, answer });
  }

  /** The rating row, and for a rating of 1 or 2 its follow-up, answered only if the answer came before the reference date. */
  private addRating(chunk: DemoDataChunk, c: CaseRow, { rating, comment, ratedMs, answer }: FixedRating): void {
    const ratedAt = isoInstant(ratedMs);
    chunk.ratings.push({ caseNumber: c.number, department: c.department, serviceCode: c.serviceCode, rating: String(rating), comment, ratedBy: c.applicantId, ratedAt });
    if (rating > 2) return;
    const answered = answer !== undefined && answer.answeredMs < REF_MS;
    chunk.followUps.push({
      id: followUpId(c.number),
      caseNumber: c.number,
      department: c.department,
      openedAt: ratedAt,
      // From the whole second the rating was recorded at, as the hub computes it.
      dueAt: isoInstant(Math.floor(ratedMs / 1000) * 1000 + FOLLOW_UP_DAYS * DAY_MS),
      response: answered ? answer.response : null,
      answeredBy: answered ? answererOf(c.department) : null,
      answeredByOfficer: null,
      answeredAt: answered ? isoInstant(answer.answeredMs) : null,
    });
  }

  private casesOf(chunk: DemoDataChunk, applicant: Person, district: DistrictEntry, held: Set<LicenseKind>): void {
    const draw = this.draw;
    const count = draw.poisson(CASES_PER_ADULT);
    if (count === 0) return;
    const age = ageOn(applicant.birthDay);
    const eligible = SERVICES.filter((s) => {
      if (s.serviceObject !== 'PERSON') return false;
      const demand = SERVICE_DEMAND[s.code];
      return age >= demand.minAge && age <= demand.maxAge && (!demand.requires || held.has(demand.requires));
    }).map((s) => [s, SERVICE_DEMAND[s.code].weight] as const);
    if (eligible.length === 0) return;

    for (let i = 0; i < count; i++) {
      const service = draw.weighted(eligible);
      const day = Math.floor(REF_DAY - draw.next() * CASE_HISTORY_DAYS);
      this.addCase(chunk, service, applicant, district, this.stepsOf(service, day));
    }
  }

  /** When a case submitted on `day` reaches each step: most within the legal time limit, about one in seven late. */
  private stepsOf(service: ServiceEntry, day: number): CaseSteps {
    const draw = this.draw;
    const online = draw.chance(0.6);
    // Service centres open 9:00-17:30 local time; the portal takes applications all day.
    const localHour = online ? draw.between(7, 24) : draw.between(9, 17.5);
    const submittedMs = Math.floor(day * DAY_MS - CST_MS + localHour * HOUR_MS);
    const limitMs = service.timeLimitDays * DAY_MS;
    const handlingMs = draw.chance(0.86) ? limitMs * (0.08 + 0.92 * Math.pow(draw.next(), 1.3)) : limitMs * draw.between(1.0, 1.8);
    const decidedMs = submittedMs + handlingMs;
    return {
      submittedMs,
      online,
      reviewMs: submittedMs + handlingMs * draw.between(0.03, 0.3),
      decidedMs,
      decision: draw.chance(0.9) ? 'APPROVED' : 'REJECTED',
      closedMs: draw.chance(0.65) ? decidedMs + draw.between(2, 45) * DAY_MS : null,
    };
  }

  // ---- enterprises

  /** The credit code the market regulator of `regionCode` issues to the next organisation, of `kind`. */
  private creditCode(kind: EnterpriseKind, regionCode: string): string {
    return creditCodeFor(ORGANISATION_TYPE[kind], regionCode, this.organisationSequence++);
  }

  private tradeName(): string {
    const first = this.draw.int(0, TRADE_NAME_CHARS.length - 1);
    const second = (first + this.draw.int(1, TRADE_NAME_CHARS.length - 1)) % TRADE_NAME_CHARS.length;
    return TRADE_NAME_CHARS[first] + TRADE_NAME_CHARS[second];
  }

  private enterpriseName(kind: EnterpriseKind, industry: Industry, district: DistrictEntry, representative: Person): string {
    const draw = this.draw;
    switch (kind) {
      case 'INDIVIDUAL_BUSINESS': {
        // Often named after the owner (王记, 老王家), as many small shops are.
        const trade = draw.chance(0.35) ? `${representative.surname}${draw.pick(['记', '家', '氏'])}` : draw.chance(0.2) ? `老${representative.surname}家` : this.tradeName();
        return `${CITY}${district.name}${trade}${draw.pick(industry.shops)}`;
      }
      case 'LIMITED_LIABILITY_COMPANY':
        return `西安${this.tradeName()}${industry.trade}有限公司`;
      case 'JOINT_STOCK_COMPANY':
        return `西安${this.tradeName()}${industry.trade}股份有限公司`;
      case 'SOLE_PROPRIETORSHIP':
        return `${CITY}${district.name}${this.tradeName()}${industry.trade}经营部`;
      case 'PARTNERSHIP':
        return `西安${this.tradeName()}${industry.trade}合伙企业（有限合伙）`;
      case 'FARMERS_COOPERATIVE':
        return `${CITY}${district.name}${this.tradeName()}${draw.pick(COOPERATIVE_CROPS)}专业合作社`;
    }
  }

  /** Registered address: a shop front for individual businesses, an office for the others. */
  private enterpriseAddress(kind: EnterpriseKind, district: DistrictEntry): string {
    const draw = this.draw;
    const street = `${CITY}${district.name}${draw.pick(district.roads)}${draw.int(1, 320)}号`;
    if (kind === 'INDIVIDUAL_BUSINESS') return street + draw.pick(['', `${draw.int(1, 30)}号商铺`, `一层${draw.int(1, 12)}号门面房`]);
    if (kind === 'FARMERS_COOPERATIVE') return `${CITY}${district.name}${draw.pick(district.streets).name}${draw.pick(['东村', '西村', '南村', '北村', '新村'])}${draw.int(1, 12)}组`;
    const floor = draw.int(1, 28);
    return `${street}${draw.int(1, 6)}幢${floor}层${floor}${String(draw.int(1, 20)).padStart(2, '0')}室`;
  }

  /** The enterprises a living adult represents (none for most), with their licenses and cases. */
  private enterprisesOf(chunk: DemoDataChunk, representative: Person, home: DistrictEntry): void {
    const draw = this.draw;
    const age = ageOn(representative.birthDay);
    if (age < 20 || age > 70 || !draw.chance(REPRESENTATIVE_RATE)) return;
    const count = draw.chance(SECOND_ENTERPRISE_RATE) ? 2 : 1;
    for (let i = 0; i < count; i++) {
      // Most register where they live; the rest anywhere in the city.
      const district = draw.chance(0.75) ? home : draw.weighted(DISTRICT_WEIGHTS);
      let kind = draw.weighted(ENTERPRISE_KINDS);
      if (kind === 'FARMERS_COOPERATIVE' && !RURAL_REGIONS.has(district.regionCode)) kind = 'INDIVIDUAL_BUSINESS';
      const industry = kind === 'FARMERS_COOPERATIVE' ? FARMING : draw.weighted(kind === 'INDIVIDUAL_BUSINESS' ? INDIVIDUAL_INDUSTRIES : COMPANY_INDUSTRIES);
      // Established after the representative turned 20, within 25 years, more of them recently.
      const earliest = Math.max(addYears(representative.birthDay, 20), REF_DAY - 25 * 365);
      const establishedDay = Math.floor(REF_DAY - 1 - Math.pow(draw.next(), 1.6) * (REF_DAY - 1 - earliest));
      const status: EnterpriseStatus = establishedDay > REF_DAY - 365 ? 'ACTIVE' : draw.weighted(ENTERPRISE_STATUS);
      const endedDay = status === 'ACTIVE' ? null : draw.int(Math.min(establishedDay + 365, REF_DAY - 1), REF_DAY - 1);
      const phone = representative.row.phone;
      const contactPhone = phone && draw.chance(0.75) ? phone : draw.chance(0.8) ? `029-8${draw.digits(7)}` : null;
      const row: EnterpriseRow = {
        id: this.creditCode(kind, district.regionCode),
        name: this.enterpriseName(kind, industry, district, representative),
        kind,
        status,
        establishedOn: isoDate(establishedDay),
        registeredCapital: String(draw.weighted(CAPITAL_WAN[kind]) * 10_000),
        address: this.enterpriseAddress(kind, district),
        businessScope: industry.scope,
        legalRepresentativeId: representative.row.id,
        legalRepresentativeName: representative.row.name,
        contactPhone,
        regionCode: district.regionCode,
      };
      chunk.enterprises.push(row);
      const facts: EnterpriseFacts = { row, district, industry, establishedDay, endedDay };
      this.enterpriseLicensesOf(chunk, facts);
      this.enterpriseCasesOf(chunk, facts, representative);
    }
  }

  /** A business license from the day of establishment; a food business permit for those selling food. */
  private enterpriseLicensesOf(chunk: DemoDataChunk, e: EnterpriseFacts): void {
    const draw = this.draw;
    const issuer = marketRegulator(e.district);
    // A revoked or deregistered enterprise's license is withdrawn with it.
    this.addLicense(chunk, e.row, 'BUSINESS', e.row.status === 'ACTIVE' ? 'ACTIVE' : 'REVOKED', e.establishedDay, null, issuer);
    if (e.industry.food && draw.chance(0.92)) {
      const first = Math.min(e.establishedDay + draw.int(5, 60), REF_DAY - 1);
      const { issued, expires, lapsed } = this.renewals(first, [5], draw.chance(0.15));
      const status: LicenseStatus = e.endedDay !== null && (expires === null || expires > e.endedDay) ? 'REVOKED' : lapsed ? 'EXPIRED' : 'ACTIVE';
      this.addLicense(chunk, e.row, 'FOOD_BUSINESS', status, issued, expires, issuer);
    }
  }

  /** Applications the representative made for the enterprise over the case history. */
  private enterpriseCasesOf(chunk: DemoDataChunk, e: EnterpriseFacts, representative: Person): void {
    const draw = this.draw;
    const historyStart = REF_DAY - CASE_HISTORY_DAYS;
    const end = e.endedDay ?? REF_DAY - 1;
    if (e.row.status === 'DEREGISTERED' && e.endedDay! >= historyStart + 30 && draw.chance(0.6)) {
      // Simplified deregistration: applied for after the 20-day public notice, decided on the day it took effect.
      const service = this.services.get('SIMPLIFIED_DEREGISTRATION')!;
      const submittedMs = Math.floor((e.endedDay! - draw.int(1, 3)) * DAY_MS - CST_MS + draw.between(9, 17) * HOUR_MS);
      const decidedMs = e.endedDay! * DAY_MS - CST_MS + draw.between(9, 17) * HOUR_MS;
      const steps: CaseSteps = { submittedMs, online: draw.chance(0.7), reviewMs: submittedMs + HOUR_MS, decidedMs, decision: 'APPROVED', closedMs: decidedMs + DAY_MS };
      this.addCase(chunk, service, representative, e.district, steps, e.row);
    }
    const count = draw.poisson(e.endedDay === null ? CASES_PER_ACTIVE_ENTERPRISE : CASES_PER_ENDED_ENTERPRISE);
    for (let i = 0; i < count; i++) {
      const eligible: (readonly [ServiceEntry, number, number, number])[] = [];
      for (const service of SERVICES) {
        const demand = ENTERPRISE_DEMAND[service.code];
        if (!demand || demand.weight === 0 || !demand.applies(e)) continue;
        const [from, to] = demand.window?.(e) ?? [e.establishedDay + 1, end];
        const first = Math.max(from, historyStart);
        const last = Math.min(to, end);
        if (first <= last) eligible.push([service, demand.weight, first, last]);
      }
      if (eligible.length === 0) return;
      const [service, , first, last] = draw.weighted(eligible.map((entry) => [entry, entry[1]] as const));
      this.addCase(chunk, service, representative, e.district, this.stepsOf(service, draw.int(first, last)), e.row);
    }
  }

  // ---- the demo citizen

  /** The demo citizen's household (SPEC §9), always first and always the same. */
  demoHousehold(chunk: DemoDataChunk, room: number): void {
    const district = DISTRICTS.find((d) => d.regionCode === DEMO_CITIZEN_ID.slice(0, 6))!;
    const household = this.newHousehold(district, {
      regionCode: district.regionCode,
      district: CITY + district.name,
      street: '小寨路街道',
      community: '吉祥村社区',
      line: '吉祥路66号3号楼2单元1502室',
      postalCode: '710061',
    });
    const fixed = (relation: CitizenRow['relation'], surname: string, given: string, sex: 'F' | 'M', birth: string, phone: string | null, email: string | null): Person => {
      const birthDay = dayOf(birth);
      const row: CitizenRow = {
        id: this.nationalId(district, birthDay, sex),
        name: surname + given,
        birthDate: birth,
        sex,
        householdId: household.id,
        relation,
        phone,
        email,
        status: 'ALIVE',
        diedOn: null,
      };
      return { row, birthDay, surname };
    };
    const head = fixed('HEAD', '王', '磊', 'M', '1988-07-15', '13891234567', 'wanglei0715@163.com');
    if (head.row.id !== DEMO_CITIZEN_ID) throw new Error(`demo citizen got ${head.row.id}, not ${DEMO_CITIZEN_ID}`);
    const members = [
      head,
      fixed('SPOUSE', '李', '娜', 'F', '1990-03-22', '15929876543', null),
      fixed('CHILD', '王', '子涵', 'M', '2025-02-14', null, null),
    ].slice(0, room);
    household.headId = head.row.id;
    chunk.households.push(household);
    for (const member of members) chunk.citizens.push(member.row);
    this.citizenCount += members.length;

    this.addLicense(chunk, head, 'DRIVING', 'ACTIVE', dayOf('2020-06-18'), dayOf('2030-06-18'), `${CITY}公安局交通警察支队`);
    const service = (code: string) => this.services.get(code)!;
    // Decided and never rated (SPEC §9): he can still rate it.
    const unrated = this.addCase(chunk, service('BIRTH_REGISTRATION'), head, district, {
      submittedMs: cst('2025-02-20T10:12:00'),
      online: false,
      reviewMs: cst('2025-02-20T14:05:00'),
      decidedMs: cst('2025-02-21T15:30:00'),
      decision: 'APPROVED',
      closedMs: cst('2025-02-26T09:00:00'),
    }, null, 'unrated');
    const openBenefit = this.addCase(chunk, service('CHILDCARE_SUBSIDY'), head, district, {
      submittedMs: cst('2026-10-20T09:40:00'),
      online: true,
      reviewMs: cst('2026-10-21T10:05:00'),
      decidedMs: Infinity,
      decision: 'APPROVED',
      closedMs: null,
    });
    const openLicensing = this.addCase(chunk, service('TAXI_DRIVER_PERMIT'), head, district, {
      submittedMs: cst('2026-10-27T14:20:00'),
      online: false,
      reviewMs: cst('2026-10-28T09:10:00'),
      decidedMs: Infinity,
      decision: 'APPROVED',
      closedMs: null,
    });
    const drivingLicense = chunk.licenses[chunk.licenses.length - 1].number;
    if (drivingLicense !== DEMO.drivingLicense || openBenefit !== DEMO.openBenefitCase || openLicensing !== DEMO.openLicensingCase) {
      throw new Error('demo records did not get their fixed numbers');
    }

    // The enterprises he represents (SPEC §9): a company that trades, and a noodle shop he closed.
    const company: EnterpriseRow = {
      id: this.creditCode('LIMITED_LIABILITY_COMPANY', district.regionCode),
      name: '西安秦磊网络科技有限公司',
      kind: 'LIMITED_LIABILITY_COMPANY',
      status: 'ACTIVE',
      establishedOn: '2019-04-16',
      registeredCapital: '1000000',
      address: '西安市雁塔区科技路48号创业广场B座11层1106室',
      businessScope: '软件开发；信息技术咨询服务；网络技术服务；计算机系统服务',
      legalRepresentativeId: head.row.id,
      legalRepresentativeName: head.row.name,
      contactPhone: '029-88231567',
      regionCode: district.regionCode,
    };
    const shop: EnterpriseRow = {
      id: this.creditCode('INDIVIDUAL_BUSINESS', district.regionCode),
      name: '西安市雁塔区王记凉皮店',
      kind: 'INDIVIDUAL_BUSINESS',
      status: 'DEREGISTERED',
      establishedOn: '2012-09-03',
      registeredCapital: '0',
      address: '西安市雁塔区吉祥路88号一层3号门面房',
      businessScope: '餐饮服务；食品销售（仅销售预包装食品）',
      legalRepresentativeId: head.row.id,
      legalRepresentativeName: head.row.name,
      contactPhone: head.row.phone,
      regionCode: district.regionCode,
    };
    chunk.enterprises.push(company, shop);
    const regulator = marketRegulator(district);
    this.addLicense(chunk, company, 'BUSINESS', 'ACTIVE', dayOf('2019-04-16'), null, regulator);
    this.addLicense(chunk, shop, 'BUSINESS', 'REVOKED', dayOf('2012-09-03'), null, regulator);
    this.addLicense(chunk, shop, 'FOOD_BUSINESS', 'REVOKED', dayOf('2022-09-15'), dayOf('2027-09-14'), regulator);
    this.addCase(chunk, service('SIMPLIFIED_DEREGISTRATION'), head, district, {
      submittedMs: cst('2025-03-10T10:20:00'),
      online: true,
      reviewMs: cst('2025-03-10T15:00:00'),
      decidedMs: cst('2025-03-12T11:00:00'),
      decision: 'APPROVED',
      closedMs: cst('2025-03-13T09:00:00'),
    }, shop, { rating: 5, comment: '全程网上办理，公告期满两天就办结了', ratedMs: cst('2025-03-12T19:42:10') });
    // Rated 2 for being asked again for what the registry already held; housing answered within the period.
    const rated = this.addCase(chunk, service('OUTDOOR_ADVERTISING_PERMIT'), head, district, {
      submittedMs: cst('2025-05-12T14:00:00'),
      online: false,
      reviewMs: cst('2025-05-13T09:30:00'),
      decidedMs: cst('2025-05-26T16:00:00'),
      decision: 'APPROVED',
      closedMs: cst('2025-06-02T10:00:00'),
    }, company, {
      rating: 2,
      comment: '营业执照系统里已经有了，还被要求重复提交复印件',
      ratedMs: cst('2025-05-27T08:15:32'),
      answer: { response: FOLLOW_UP_ANSWERS[0][0], answeredMs: cst('2025-06-05T10:20:00') },
    });
    const openEnterprise = this.addCase(chunk, service('ENTERPRISE_CHANGE_REGISTRATION'), head, district, {
      submittedMs: cst('2026-10-29T09:30:00'),
      online: true,
      reviewMs: cst('2026-10-30T10:00:00'),
      decidedMs: Infinity,
      decision: 'APPROVED',
      closedMs: null,
    }, company);
    if (company.id !== DEMO.enterpriseId || shop.id !== DEMO.closedEnterpriseId || openEnterprise !== DEMO.openEnterpriseCase || unrated !== DEMO.unratedCase || rated !== DEMO.ratedCaseWithAnswer) {
      throw new Error('demo enterprises did not get their fixed codes and numbers');
    }
  }
}

const emptyChunk = (): DemoDataChunk => ({ households: [], citizens: [], enterprises: [], licenses: [], cases: [], events: [], ratings: [], followUps: [], items: [], applications: [] });

/** Yields the demo world in chunks of whole households; deterministic in `seed` and `citizens`. */
export function* generateDemoData({ citizens, seed, chunkSize = 10_000 }: GenerateOptions): Generator<DemoDataChunk, void, undefined> {
  if (!Number.isInteger(citizens) || citizens < 1) throw new Error('citizens must be a positive integer');
  const world = new DemoWorld(seed);
  let chunk = emptyChunk();
  world.demoHousehold(chunk, citizens);
  while (world.citizenCount < citizens) {
    world.household(chunk, citizens - world.citizenCount);
    if (chunk.citizens.length >= chunkSize) {
      yield chunk;
      chunk = emptyChunk();
    }
  }
  if (chunk.citizens.length > 0) yield chunk;
}
