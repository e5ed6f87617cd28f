import { Faker, base, zh_CN } from '@faker-js/faker';
import { nationalIdCheckChar } from '../sources/registry/nationalId.js';
import { SERVICES, type LicenseKind, type ServiceEntry } from './reference.js';

/**
 * The deterministic demo-data generator: a district of Xi'an with households,
 * citizens, licenses and service cases. The same options always yield the same
 * rows, chunk by chunk, so a million citizens never sit in memory at once.
 * Every date is relative to REFERENCE_DATE, never to the clock.
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
  holderId: string;
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
  applicantId: string;
  department: string;
  status: CaseStatus;
  submittedAt: string;
  dueAt: string;
  decidedAt: string | null;
}

export interface CaseEventRow {
  caseNumber: string;
  at: string;
  status: CaseStatus;
  actor: string;
  note: string | null;
}

/** Rows of whole households: every license and case in a chunk belongs to a citizen of the same chunk. */
export interface DemoDataChunk {
  households: HouseholdRow[];
  citizens: CitizenRow[];
  licenses: LicenseRow[];
  cases: CaseRow[];
  events: CaseEventRow[];
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

/** Who applies for each service, how often, and which office decides. */
interface ServiceDemand {
  weight: number;
  minAge: number;
  maxAge: number;
  /** Only holders of a license of this kind (not REVOKED) apply. */
  requires?: LicenseKind;
  office(district: DistrictEntry): string;
}

const SERVICE_DEMAND: Record<string, ServiceDemand> = {
  BUSINESS_LICENSE_APPLICATION: { weight: 8, minAge: 20, maxAge: 60, office: (d) => `${CITY}${d.name}市场监督管理局` },
  FOOD_BUSINESS_PERMIT: { weight: 4, minAge: 20, maxAge: 65, requires: 'BUSINESS', office: (d) => `${CITY}${d.name}市场监督管理局` },
  BUSINESS_START_SUBSIDY: { weight: 3, minAge: 20, maxAge: 45, requires: 'BUSINESS', office: (d) => `${CITY}${d.name}人力资源和社会保障局` },
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

const REJECTION_NOTES = ['申请材料不齐全，请补正后重新申请', '不符合申请条件', '申请人撤回申请', '申请信息与登记信息不一致'];

const LICENSE_PREFIX: Record<LicenseKind, string> = { DRIVING: 'DL', BUSINESS: 'BL', FOOD_BUSINESS: 'JY', CONSTRUCTION: 'SG', TAXI: 'WY' };

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
  private readonly services = new Map(SERVICES.map((s) => [s.code, s]));
  private readonly idSequences = new Map<number, number>();
  private readonly licenseSequences = new Map<string, number>();
  private readonly caseSequences = new Map<number, number>();
  private readonly names: { surnames: readonly string[]; male: readonly string[]; female: readonly string[] };
  private householdSequence = 0;
  citizenCount = 0;

  constructor(seed: number) {
    const faker = new Faker({ locale: [zh_CN, base] });
    faker.seed(seed);
    this.draw = new Draw(faker);
    // faker's own picks mix in unisex names for either sex; its sex-specific lists do not.
    const { first_name: given, last_name: surnames } = faker.definitions.person;
    this.names = { surnames: surnames.generic!, male: given.male!, female: given.female! };
    for (const service of SERVICES) {
      if (!SERVICE_DEMAND[service.code]) throw new Error(`generate.ts: no SERVICE_DEMAND entry for service ${service.code}`);
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
      }
    }
  }

  // ---- licenses

  private licenseNumber(kind: LicenseKind, issuedDay: number): string {
    const sequence = (this.licenseSequences.get(kind) ?? 0) + 1;
    this.licenseSequences.set(kind, sequence);
    return LICENSE_PREFIX[kind] + Math.floor(ymd(issuedDay) / 10_000) + String(sequence).padStart(7, '0');
  }

  private addLicense(chunk: DemoDataChunk, holder: Person, kind: LicenseKind, status: LicenseStatus, issuedDay: number, expiresDay: number | null, issuer: string): void {
    chunk.licenses.push({
      number: this.licenseNumber(kind, issuedDay),
      holderId: holder.row.id,
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

    if (age >= 22 && age <= 65 && draw.chance(0.07)) {
      const firstIssue = draw.int(Math.max(addYears(holder.birthDay, 20), REF_DAY - 15 * 365), REF_DAY - 10);
      const status: LicenseStatus = draw.weighted([['ACTIVE', 88], ['REVOKED', 7], ['SUSPENDED', 5]]);
      this.addLicense(chunk, holder, 'BUSINESS', status, firstIssue, null, `${CITY}${district.name}市场监督管理局`);
      if (status !== 'REVOKED') held.add('BUSINESS');
      if (draw.chance(0.4)) {
        const foodFirst = draw.int(firstIssue, Math.max(firstIssue, REF_DAY - 10));
        const { issued, expires, lapsed } = this.renewals(foodFirst, [5], draw.chance(0.25));
        const foodStatus: LicenseStatus = lapsed ? 'EXPIRED' : status === 'ACTIVE' ? 'ACTIVE' : 'REVOKED';
        this.addLicense(chunk, holder, 'FOOD_BUSINESS', foodStatus, issued, expires, `${CITY}${district.name}市场监督管理局`);
        if (foodStatus !== 'REVOKED') held.add('FOOD_BUSINESS');
      }
    }

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
   * date has not happened yet.
   */
  private addCase(
    chunk: DemoDataChunk,
    service: ServiceEntry,
    applicant: Person,
    district: DistrictEntry,
    steps: { submittedMs: number; online: boolean; reviewMs: number; decidedMs: number; decision: 'APPROVED' | 'REJECTED'; closedMs: number | null },
  ): string {
    const office = SERVICE_DEMAND[service.code].office(district);
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
    chunk.cases.push({
      number,
      serviceCode: service.code,
      applicantId: applicant.row.id,
      department: service.department,
      status,
      submittedAt: isoInstant(steps.submittedMs),
      dueAt: isoInstant(steps.submittedMs + service.timeLimitDays * DAY_MS),
      decidedAt,
    });
    return number;
  }

  private casesOf(chunk: DemoDataChunk, applicant: Person, district: DistrictEntry, held: Set<LicenseKind>): void {
    const draw = this.draw;
    const count = draw.poisson(CASES_PER_ADULT);
    if (count === 0) return;
    const age = ageOn(applicant.birthDay);
    const eligible = SERVICES.filter((s) => {
      const demand = SERVICE_DEMAND[s.code];
      return age >= demand.minAge && age <= demand.maxAge && (!demand.requires || held.has(demand.requires));
    }).map((s) => [s, SERVICE_DEMAND[s.code].weight] as const);
    if (eligible.length === 0) return;

    for (let i = 0; i < count; i++) {
      const service = draw.weighted(eligible);
      const online = draw.chance(0.6);
      const day = Math.floor(REF_DAY - draw.next() * CASE_HISTORY_DAYS);
      // Service centres open 9:00-17:30 local time; the portal takes applications all day.
      const localHour = online ? draw.between(7, 24) : draw.between(9, 17.5);
      const submittedMs = Math.floor(day * DAY_MS - CST_MS + localHour * HOUR_MS);
      const limitMs = service.timeLimitDays * DAY_MS;
      // Most decisions come within the legal time limit; about one in seven is late.
      const handlingMs = draw.chance(0.86) ? limitMs * (0.08 + 0.92 * Math.pow(draw.next(), 1.3)) : limitMs * draw.between(1.0, 1.8);
      const decidedMs = submittedMs + handlingMs;
      this.addCase(chunk, service, applicant, district, {
        submittedMs,
        online,
        reviewMs: submittedMs + handlingMs * draw.between(0.03, 0.3),
        decidedMs,
        decision: draw.chance(0.9) ? 'APPROVED' : 'REJECTED',
        closedMs: draw.chance(0.65) ? decidedMs + draw.between(2, 45) * DAY_MS : null,
      });
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
    this.addCase(chunk, service('BIRTH_REGISTRATION'), head, district, {
      submittedMs: cst('2025-02-20T10:12:00'),
      online: false,
      reviewMs: cst('2025-02-20T14:05:00'),
      decidedMs: cst('2025-02-21T15:30:00'),
      decision: 'APPROVED',
      closedMs: cst('2025-02-26T09:00:00'),
    });
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
  }
}

const emptyChunk = (): DemoDataChunk => ({ households: [], citizens: [], licenses: [], cases: [], events: [] });

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
