import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Databases } from '../db/databases.js';
import { purposes } from '../hub/tables.js';
import { serviceDataItems, services } from '../sources/cases/tables.js';

/**
 * Reference data: the purpose catalogue (hub) and the service catalogue
 * (cases). Every deployment has it, demo data or not (SPEC §1), so the hub
 * upserts it on every start; codes are stable and never reused.
 */

export type DepartmentId = 'registry' | 'licensing' | 'civil-affairs' | 'service-center' | 'housing' | 'market-regulation';
export type LicenseKind = 'DRIVING' | 'BUSINESS' | 'FOOD_BUSINESS' | 'CONSTRUCTION' | 'TAXI';
export type ServiceTheme =
  | 'starting-a-business'
  | 'having-a-child'
  | 'driving'
  | 'building'
  | 'housing'
  | 'operating-permits'
  | 'food-safety'
  | 'running-a-business'
  | 'closing-a-business';
/** Who applies (SPEC §4): a citizen for themself, or a citizen for an enterprise they legally represent. */
export type ServiceObject = 'PERSON' | 'ENTERPRISE';

export interface PurposeEntry {
  code: string;
  name: string;
  /** The official name in Simplified Chinese (SPEC §2: catalogue entries carry both). */
  nameZh: string;
  description: string;
  legalBasis: string;
}

export interface DataItemEntry {
  key: string;
  label: string;
  /** The form label in Simplified Chinese. */
  labelZh: string;
  required: boolean;
  /**
   * The graph field that already holds the item (`Citizen.address` for a
   * personal service, `Enterprise.address` for an enterprise's), or null when
   * the applicant must supply it.
   */
  field: string | null;
  /** For `License.*` fields: the kind of license meant (the applicant's, or the enterprise's for an enterprise service). */
  licenseKind?: LicenseKind;
}

export interface ServiceEntry {
  code: string;
  name: string;
  /** The official name in Simplified Chinese, as the service guide (办事指南) lists it. */
  nameZh: string;
  theme: ServiceTheme;
  serviceObject: ServiceObject;
  /** The department that decides applications. */
  department: DepartmentId;
  /** Legal time limit for a decision, in calendar days. */
  timeLimitDays: number;
  description: string;
  /** The application form, in form order. */
  dataItems: DataItemEntry[];
}

/** Processing by a state organ within its statutory duties (PIPL Art. 13(1)(3), Art. 34) underlies every purpose. */
const PIPL = 'Personal Information Protection Law of the PRC (2021), Art. 13(1)(3) and Art. 34';

export const PURPOSES: readonly PurposeEntry[] = [
  {
    code: 'LICENSE_ISSUANCE',
    name: 'Issuing a license',
    nameZh: '证照核发',
    description: 'Checking an applicant\'s identity, address and existing licenses to issue, renew or replace a license or permit.',
    legalBasis: `Administrative Licensing Law of the PRC (2019 amendment), Art. 31 and 34; Road Traffic Safety Law of the PRC, Art. 19; ${PIPL}`,
  },
  {
    code: 'CASE_PROCESSING',
    name: 'Handling an application',
    nameZh: '政务服务事项办理',
    description: 'Using data the government already holds to handle a citizen\'s application, instead of asking for it again.',
    legalBasis: `Regulations on Optimizing the Business Environment (State Council Decree No. 722), Art. 35; Provisions of the State Council on Online Government Services (Decree No. 716), Art. 13; ${PIPL}`,
  },
  {
    code: 'BENEFIT_ELIGIBILITY',
    name: 'Checking entitlement to a benefit',
    nameZh: '待遇资格审核',
    description: 'Checking household, income-related and family facts to decide whether a citizen is entitled to a subsidy or allowance.',
    legalBasis: `Interim Measures for Social Assistance (State Council Decree No. 649), Art. 11 and 63; ${PIPL}`,
  },
  {
    code: 'STATISTICS',
    name: 'Official statistics',
    nameZh: '政府统计',
    description: 'Counting and aggregating records for official statistics; results never identify a person.',
    legalBasis: `Statistics Law of the PRC (2009 revision), Art. 7 and 9; Implementing Regulations of the Statistics Law (State Council Decree No. 681), Art. 30; ${PIPL}`,
  },
  {
    code: 'IDENTITY_VERIFICATION',
    name: 'Verifying identity',
    nameZh: '身份核验',
    description: 'Confirming that a person is who they say they are, and that their registration is current.',
    legalBasis: `Resident Identity Card Law of the PRC (2011 amendment), Art. 14 and 15; ${PIPL}`,
  },
  {
    code: 'HOUSING_ALLOCATION',
    name: 'Allocating public housing',
    nameZh: '保障性住房配租',
    description: 'Checking household size, registered address and existing housing to allocate public rental housing.',
    legalBasis: `Measures for the Administration of Public Rental Housing (MOHURD Order No. 11), Art. 7 and 9; ${PIPL}`,
  },
  {
    code: 'MARKET_SUPERVISION',
    name: 'Supervising market entities',
    nameZh: '市场主体监管',
    description: 'Checking who legally represents a registered enterprise and how to reach it, for registration, inspections and credit supervision of market entities.',
    legalBasis: `Regulations on the Administration of the Registration of Market Entities (State Council Decree No. 746); Interim Regulations on Enterprise Information Publicity (State Council Decree No. 654); ${PIPL}`,
  },
  {
    code: 'RATING_FOLLOW_UP',
    name: 'Answering a service rating',
    nameZh: '差评整改回访',
    description: 'Reading a citizen\'s rating of 1 or 2 and its comment to look into the service and answer them (SPEC §6a).',
    legalBasis: `General Office of the State Council, Opinions on Establishing a "Good and Bad Review" System for Government Services (Guo Ban Fa [2019] No. 51), Part 3; ${PIPL}`,
  },
];

const NAME: DataItemEntry = { key: 'applicant_name', label: 'Full name', labelZh: '姓名', required: true, field: 'Citizen.name' };
const BIRTH_DATE: DataItemEntry = { key: 'birth_date', label: 'Date of birth', labelZh: '出生日期', required: true, field: 'Citizen.birthDate' };
const ADDRESS: DataItemEntry = { key: 'registered_address', label: 'Registered address', labelZh: '户籍地址', required: true, field: 'Citizen.address' };
const PHONE: DataItemEntry = { key: 'phone', label: 'Mobile phone', labelZh: '手机号码', required: true, field: 'Citizen.phone' };
const EMAIL: DataItemEntry = { key: 'email', label: 'E-mail', labelZh: '电子邮箱', required: false, field: 'Citizen.email' };
const HOUSEHOLD: DataItemEntry = { key: 'household', label: 'Household register (hukou) and members', labelZh: '户口簿及家庭成员', required: true, field: 'Citizen.household' };
const PHOTO: DataItemEntry = { key: 'photo', label: 'Passport-style photo', labelZh: '证件照片', required: true, field: null };
const BANK_ACCOUNT: DataItemEntry = { key: 'bank_account', label: 'Bank account for payment', labelZh: '收款银行账户', required: true, field: null };
const DRIVING_LICENSE: DataItemEntry = { key: 'driving_license', label: 'Valid driving license', labelZh: '有效的机动车驾驶证', required: true, field: 'License.status', licenseKind: 'DRIVING' };
const BUSINESS_LICENSE: DataItemEntry = { key: 'business_license', label: 'Valid business license', labelZh: '有效的营业执照', required: true, field: 'License.status', licenseKind: 'BUSINESS' };
const FOOD_PERMIT: DataItemEntry = { key: 'food_business_permit', label: 'Valid food business permit', labelZh: '有效的食品经营许可证', required: true, field: 'License.status', licenseKind: 'FOOD_BUSINESS' };

// What the enterprise registry already holds about the enterprise applied for.
const ENTERPRISE_NAME: DataItemEntry = { key: 'enterprise_name', label: 'Registered name of the enterprise', labelZh: '企业名称', required: true, field: 'Enterprise.name' };
const CREDIT_CODE: DataItemEntry = { key: 'credit_code', label: 'Unified social credit code', labelZh: '统一社会信用代码', required: true, field: 'Enterprise.id' };
const ENTERPRISE_KIND: DataItemEntry = { key: 'enterprise_kind', label: 'Legal form of the enterprise', labelZh: '企业类型', required: true, field: 'Enterprise.kind' };
const ENTERPRISE_ADDRESS: DataItemEntry = { key: 'enterprise_address', label: 'Registered address of the enterprise', labelZh: '企业住所', required: true, field: 'Enterprise.address' };
const REPRESENTATIVE: DataItemEntry = { key: 'legal_representative', label: 'Legal representative', labelZh: '法定代表人', required: true, field: 'Enterprise.legalRepresentativeName' };
const ENTERPRISE_PHONE: DataItemEntry = { key: 'enterprise_phone', label: 'Contact phone of the enterprise', labelZh: '企业联系电话', required: true, field: 'Enterprise.contactPhone' };
const REGISTERED_SCOPE: DataItemEntry = { key: 'registered_scope', label: 'Registered business scope', labelZh: '登记的经营范围', required: true, field: 'Enterprise.businessScope' };
const REGISTERED_CAPITAL: DataItemEntry = { key: 'registered_capital', label: 'Registered capital (yuan)', labelZh: '注册资本（元）', required: true, field: 'Enterprise.registeredCapital' };
const ENTERPRISE_ACCOUNT: DataItemEntry = { key: 'enterprise_account', label: 'Basic bank account of the enterprise', labelZh: '企业基本存款账户', required: true, field: null };

export const SERVICES: readonly ServiceEntry[] = [
  {
    code: 'BUSINESS_LICENSE_APPLICATION',
    name: 'Business license for an individual business',
    nameZh: '个体工商户设立登记',
    theme: 'starting-a-business',
    // The business does not exist yet: a citizen applies for themself.
    serviceObject: 'PERSON',
    department: 'market-regulation',
    timeLimitDays: 3,
    description: 'Register an individual business (个体工商户) and receive its business license.',
    dataItems: [
      NAME,
      ADDRESS,
      PHONE,
      { key: 'business_name', label: 'Business name', labelZh: '个体工商户名称', required: true, field: null },
      { key: 'business_scope', label: 'Business scope', labelZh: '经营范围', required: true, field: null },
      { key: 'business_premises', label: 'Address of the business premises', labelZh: '经营场所地址', required: true, field: null },
      EMAIL,
    ],
  },
  {
    code: 'BIRTH_REGISTRATION',
    name: 'Registering a newborn in the household',
    nameZh: '新生儿出生登记（入户）',
    theme: 'having-a-child',
    serviceObject: 'PERSON',
    department: 'registry',
    timeLimitDays: 5,
    description: 'Register a newborn child in a parent\'s household register (出生登记).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'birth_certificate', label: 'Medical birth certificate number', labelZh: '出生医学证明编号', required: true, field: null },
      { key: 'child_name', label: 'Name of the child', labelZh: '新生儿姓名', required: true, field: null },
    ],
  },
  {
    code: 'CHILDCARE_SUBSIDY',
    name: 'Childcare subsidy',
    nameZh: '育儿补贴申领',
    theme: 'having-a-child',
    serviceObject: 'PERSON',
    department: 'civil-affairs',
    timeLimitDays: 20,
    description: 'Yearly childcare subsidy (育儿补贴) for each child under three years old.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'birth_certificate', label: 'Medical birth certificate number', labelZh: '出生医学证明编号', required: true, field: null },
      BANK_ACCOUNT,
    ],
  },
  {
    code: 'NEWBORN_MEDICAL_INSURANCE',
    name: 'Medical insurance enrolment for a newborn',
    nameZh: '新生儿参加城乡居民基本医疗保险',
    theme: 'having-a-child',
    serviceObject: 'PERSON',
    department: 'service-center',
    timeLimitDays: 5,
    description: 'Enrol a newborn in resident basic medical insurance (新生儿参保登记).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      PHONE,
      { key: 'child_name', label: 'Name of the child', labelZh: '新生儿姓名', required: true, field: null },
      BANK_ACCOUNT,
    ],
  },
  {
    code: 'DRIVING_LICENSE_RENEWAL',
    name: 'Driving license renewal',
    nameZh: '机动车驾驶证期满换证',
    theme: 'driving',
    serviceObject: 'PERSON',
    department: 'licensing',
    timeLimitDays: 5,
    description: 'Renew a driving license that expires within 90 days (机动车驾驶证期满换证).',
    dataItems: [
      NAME,
      BIRTH_DATE,
      ADDRESS,
      PHONE,
      DRIVING_LICENSE,
      PHOTO,
      { key: 'health_declaration', label: 'Declaration of physical fitness to drive', labelZh: '驾驶人身体条件证明', required: true, field: null },
    ],
  },
  {
    code: 'DRIVING_LICENSE_REPLACEMENT',
    name: 'Replacing a lost driving license',
    nameZh: '机动车驾驶证遗失补证',
    theme: 'driving',
    serviceObject: 'PERSON',
    department: 'licensing',
    timeLimitDays: 3,
    description: 'Replace a lost or damaged driving license (驾驶证补证).',
    dataItems: [NAME, ADDRESS, PHONE, DRIVING_LICENSE, PHOTO],
  },
  {
    code: 'TAXI_DRIVER_PERMIT',
    name: 'Taxi and ride-hailing driver permit',
    nameZh: '出租汽车（网约车）驾驶员从业资格证核发',
    theme: 'driving',
    serviceObject: 'PERSON',
    department: 'licensing',
    timeLimitDays: 20,
    description: 'Permit to drive a taxi or a ride-hailing car (网络预约出租汽车驾驶员证); needs three years of driving experience.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      ADDRESS,
      PHONE,
      DRIVING_LICENSE,
      PHOTO,
      { key: 'criminal_record_declaration', label: 'Declaration on criminal and traffic records', labelZh: '无犯罪及交通违法记录承诺书', required: true, field: null },
    ],
  },
  {
    code: 'RESIDENTIAL_BUILDING_PERMIT',
    name: 'Permit to build a family house',
    nameZh: '农村村民住宅建设审批',
    theme: 'building',
    serviceObject: 'PERSON',
    department: 'licensing',
    timeLimitDays: 20,
    description: 'Permit for a village household to build or rebuild its own house (农村村民住宅建设许可).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'land_use_certificate', label: 'Homestead land use certificate', labelZh: '宅基地使用权证', required: true, field: null },
      { key: 'site_plan', label: 'Site plan and drawings', labelZh: '建房平面图及设计图', required: true, field: null },
    ],
  },
  {
    code: 'HOME_RENOVATION_FILING',
    name: 'Filing a home renovation',
    nameZh: '住宅室内装饰装修登记',
    theme: 'building',
    serviceObject: 'PERSON',
    department: 'housing',
    timeLimitDays: 5,
    description: 'File a planned renovation of a flat before work starts (住宅装饰装修备案).',
    dataItems: [
      NAME,
      PHONE,
      { key: 'property_certificate', label: 'Property ownership certificate number', labelZh: '不动产权证书编号', required: true, field: null },
      { key: 'renovation_plan', label: 'Renovation plan', labelZh: '装饰装修方案', required: true, field: null },
      { key: 'contractor', label: 'Renovation contractor', labelZh: '装饰装修施工单位', required: false, field: null },
    ],
  },
  {
    code: 'PUBLIC_RENTAL_HOUSING',
    name: 'Public rental housing',
    nameZh: '公共租赁住房申请',
    theme: 'housing',
    serviceObject: 'PERSON',
    department: 'housing',
    timeLimitDays: 30,
    description: 'Apply for a public rental flat (公共租赁住房) for a household with low income and no home of its own.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'income_statement', label: 'Household income statement', labelZh: '家庭收入情况说明', required: true, field: null },
      { key: 'housing_status', label: 'Declaration of current housing', labelZh: '现住房情况申报', required: true, field: null },
    ],
  },

  // ---- enterprise services: a legal representative applies for the enterprise

  {
    code: 'BUSINESS_START_SUBSIDY',
    name: 'One-off business start-up subsidy',
    nameZh: '一次性创业补贴申领',
    theme: 'starting-a-business',
    serviceObject: 'ENTERPRISE',
    department: 'service-center',
    timeLimitDays: 20,
    description: 'A one-off subsidy (一次性创业补贴) for a business started in the last year that employs people, paid to the business.',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      REPRESENTATIVE,
      ENTERPRISE_ADDRESS,
      ENTERPRISE_PHONE,
      BUSINESS_LICENSE,
      { key: 'employment_contracts', label: 'Employment contracts of staff', labelZh: '员工劳动合同', required: true, field: null },
      ENTERPRISE_ACCOUNT,
    ],
  },
  {
    code: 'EMPLOYER_INSURANCE_REGISTRATION',
    name: 'Social insurance registration of a new employer',
    nameZh: '新设用人单位社会保险登记',
    theme: 'starting-a-business',
    serviceObject: 'ENTERPRISE',
    department: 'service-center',
    timeLimitDays: 5,
    description: 'Register a newly established enterprise as an employer for social insurance (单位社会保险登记).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      ENTERPRISE_KIND,
      REPRESENTATIVE,
      ENTERPRISE_ADDRESS,
      ENTERPRISE_PHONE,
      { key: 'staff_list', label: 'List of insured staff', labelZh: '参保职工名单', required: true, field: null },
      ENTERPRISE_ACCOUNT,
    ],
  },
  {
    code: 'FOOD_BUSINESS_PERMIT',
    name: 'Food business permit',
    nameZh: '食品经营许可',
    theme: 'food-safety',
    serviceObject: 'ENTERPRISE',
    department: 'licensing',
    timeLimitDays: 10,
    description: 'Permit to sell or serve food (食品经营许可证), for a business that already holds a business license.',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      REPRESENTATIVE,
      ENTERPRISE_ADDRESS,
      ENTERPRISE_PHONE,
      BUSINESS_LICENSE,
      { key: 'premises_layout', label: 'Floor plan of the premises', labelZh: '经营场所平面布局图', required: true, field: null },
      { key: 'food_safety_officer', label: 'Food safety officer and health certificate', labelZh: '食品安全管理人员及健康证明', required: true, field: null },
    ],
  },
  {
    code: 'FOOD_BUSINESS_PERMIT_RENEWAL',
    name: 'Food business permit renewal',
    nameZh: '食品经营许可延续',
    theme: 'food-safety',
    serviceObject: 'ENTERPRISE',
    department: 'licensing',
    timeLimitDays: 10,
    description: 'Renew a food business permit before its five years run out (食品经营许可延续).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      REPRESENTATIVE,
      ENTERPRISE_PHONE,
      FOOD_PERMIT,
      { key: 'self_inspection_report', label: 'Food safety self-inspection report', labelZh: '食品安全自查报告', required: true, field: null },
    ],
  },
  {
    code: 'PUBLIC_PLACE_HEALTH_PERMIT',
    name: 'Hygiene permit for a public place',
    nameZh: '公共场所卫生许可',
    theme: 'operating-permits',
    serviceObject: 'ENTERPRISE',
    department: 'licensing',
    timeLimitDays: 20,
    description: 'Hygiene permit for a hair salon, beauty parlour, hotel or bathhouse (公共场所卫生许可证).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      REPRESENTATIVE,
      ENTERPRISE_ADDRESS,
      ENTERPRISE_PHONE,
      BUSINESS_LICENSE,
      { key: 'hygiene_inspection_report', label: 'Hygiene inspection report of the premises', labelZh: '经营场所卫生检测报告', required: true, field: null },
      { key: 'staff_health_certificates', label: 'Health certificates of staff', labelZh: '从业人员健康证明', required: true, field: null },
    ],
  },
  {
    code: 'OUTDOOR_ADVERTISING_PERMIT',
    name: 'Shop sign and outdoor advertising permit',
    nameZh: '户外广告及门店招牌设置许可',
    theme: 'operating-permits',
    serviceObject: 'ENTERPRISE',
    department: 'housing',
    timeLimitDays: 20,
    description: 'Permit to put up a shop sign or an outdoor advertisement (户外广告设施设置许可).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      ENTERPRISE_ADDRESS,
      ENTERPRISE_PHONE,
      BUSINESS_LICENSE,
      { key: 'sign_design', label: 'Design and size of the sign', labelZh: '招牌设计图及尺寸', required: true, field: null },
      { key: 'site_photos', label: 'Photos of the site', labelZh: '设置地点照片', required: true, field: null },
    ],
  },
  {
    code: 'ENTERPRISE_CHANGE_REGISTRATION',
    name: 'Registering a change of an enterprise',
    nameZh: '企业变更登记',
    theme: 'running-a-business',
    serviceObject: 'ENTERPRISE',
    department: 'market-regulation',
    timeLimitDays: 3,
    description: 'Register a change of name, address, business scope, capital or legal representative (企业变更登记).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      ENTERPRISE_KIND,
      REPRESENTATIVE,
      ENTERPRISE_ADDRESS,
      REGISTERED_SCOPE,
      REGISTERED_CAPITAL,
      { key: 'change_details', label: 'What changes, and the new values', labelZh: '变更事项及变更后内容', required: true, field: null },
      { key: 'shareholder_resolution', label: 'Resolution of the shareholders or investors', labelZh: '股东会决议或投资人决定', required: false, field: null },
    ],
  },
  {
    code: 'SIMPLIFIED_DEREGISTRATION',
    name: 'Simplified deregistration of an enterprise',
    nameZh: '企业简易注销登记',
    theme: 'closing-a-business',
    serviceObject: 'ENTERPRISE',
    department: 'market-regulation',
    timeLimitDays: 3,
    description: 'Deregister an enterprise without debts after a 20-day public notice (简易注销登记).',
    dataItems: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      REPRESENTATIVE,
      ENTERPRISE_PHONE,
      BUSINESS_LICENSE,
      { key: 'investors_commitment', label: 'Commitment of all investors that no debts remain', labelZh: '全体投资人承诺书（无未结清债务）', required: true, field: null },
    ],
  },
];

/** Upserts both catalogues; idempotent, and safe when several hub instances start at once. */
export async function ensureReferenceData(dbs: Databases): Promise<void> {
  await dbs.hub.db
    .insert(purposes)
    .values(PURPOSES.map((p) => ({ ...p })))
    .onConflictDoUpdate({
      target: purposes.code,
      set: { name: sql`excluded.name`, nameZh: sql`excluded.name_zh`, description: sql`excluded.description`, legalBasis: sql`excluded.legal_basis` },
    });

  const cases = dbs.cases.db;
  await cases
    .insert(services)
    .values(SERVICES.map(({ dataItems: _items, ...service }) => service))
    .onConflictDoUpdate({
      target: services.code,
      set: {
        name: sql`excluded.name`,
        nameZh: sql`excluded.name_zh`,
        theme: sql`excluded.theme`,
        department: sql`excluded.department`,
        timeLimitDays: sql`excluded.time_limit_days`,
        description: sql`excluded.description`,
        serviceObject: sql`excluded.service_object`,
      },
    });
  // Upsert-then-prune rather than delete-then-insert: two instances starting
  // together would otherwise collide on the primary key.
  await cases
    .insert(serviceDataItems)
    .values(
      SERVICES.flatMap((service) =>
        service.dataItems.map((item, position) => ({
          serviceCode: service.code,
          key: item.key,
          position,
          label: item.label,
          labelZh: item.labelZh,
          required: item.required,
          field: item.field,
          licenseKind: item.licenseKind ?? null,
        })),
      ),
    )
    .onConflictDoUpdate({
      target: [serviceDataItems.serviceCode, serviceDataItems.key],
      set: {
        position: sql`excluded.position`,
        label: sql`excluded.label`,
        labelZh: sql`excluded.label_zh`,
        required: sql`excluded.required`,
        field: sql`excluded.field`,
        licenseKind: sql`excluded.license_kind`,
      },
    });
  for (const service of SERVICES) {
    await cases
      .delete(serviceDataItems)
      .where(and(eq(serviceDataItems.serviceCode, service.code), notInArray(serviceDataItems.key, service.dataItems.map((item) => item.key))));
  }
}
