import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Databases } from '../db/databases.js';
import { purposes } from '../hub/tables.js';
import { serviceDataItems, services } from '../sources/cases/tables.js';

/**
 * Reference data: the purpose catalogue (hub) and the service catalogue
 * (cases). Every deployment has it, demo data or not (SPEC §1), so the hub
 * upserts it on every start; codes are stable and never reused.
 */

export type DepartmentId = 'registry' | 'licensing' | 'civil-affairs' | 'service-center' | 'housing';
export type LicenseKind = 'DRIVING' | 'BUSINESS' | 'FOOD_BUSINESS' | 'CONSTRUCTION' | 'TAXI';
export type ServiceTheme = 'starting-a-business' | 'having-a-child' | 'driving' | 'building' | 'housing';

export interface PurposeEntry {
  code: string;
  name: string;
  description: string;
  legalBasis: string;
}

export interface DataItemEntry {
  key: string;
  label: string;
  required: boolean;
  /** The graph field that already holds the item, or null when the citizen must supply it. */
  field: string | null;
  /** For `License.*` fields: the kind of license meant. */
  licenseKind?: LicenseKind;
}

export interface ServiceEntry {
  code: string;
  name: string;
  theme: ServiceTheme;
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
    description: 'Checking an applicant\'s identity, address and existing licenses to issue, renew or replace a license or permit.',
    legalBasis: `Administrative Licensing Law of the PRC (2019 amendment), Art. 31 and 34; Road Traffic Safety Law of the PRC, Art. 19; ${PIPL}`,
  },
  {
    code: 'CASE_PROCESSING',
    name: 'Handling an application',
    description: 'Using data the government already holds to handle a citizen\'s application, instead of asking for it again.',
    legalBasis: `Regulations on Optimizing the Business Environment (State Council Decree No. 722), Art. 35; Provisions of the State Council on Online Government Services (Decree No. 716), Art. 13; ${PIPL}`,
  },
  {
    code: 'BENEFIT_ELIGIBILITY',
    name: 'Checking entitlement to a benefit',
    description: 'Checking household, income-related and family facts to decide whether a citizen is entitled to a subsidy or allowance.',
    legalBasis: `Interim Measures for Social Assistance (State Council Decree No. 649), Art. 11 and 63; ${PIPL}`,
  },
  {
    code: 'STATISTICS',
    name: 'Official statistics',
    description: 'Counting and aggregating records for official statistics; results never identify a person.',
    legalBasis: `Statistics Law of the PRC (2009 revision), Art. 7 and 9; Implementing Regulations of the Statistics Law (State Council Decree No. 681), Art. 30; ${PIPL}`,
  },
  {
    code: 'IDENTITY_VERIFICATION',
    name: 'Verifying identity',
    description: 'Confirming that a person is who they say they are, and that their registration is current.',
    legalBasis: `Resident Identity Card Law of the PRC (2011 amendment), Art. 14 and 15; ${PIPL}`,
  },
  {
    code: 'HOUSING_ALLOCATION',
    name: 'Allocating public housing',
    description: 'Checking household size, registered address and existing housing to allocate public rental housing.',
    legalBasis: `Measures for the Administration of Public Rental Housing (MOHURD Order No. 11), Art. 7 and 9; ${PIPL}`,
  },
];

const NAME: DataItemEntry = { key: 'applicant_name', label: 'Full name', required: true, field: 'Citizen.name' };
const BIRTH_DATE: DataItemEntry = { key: 'birth_date', label: 'Date of birth', required: true, field: 'Citizen.birthDate' };
const ADDRESS: DataItemEntry = { key: 'registered_address', label: 'Registered address', required: true, field: 'Citizen.address' };
const PHONE: DataItemEntry = { key: 'phone', label: 'Mobile phone', required: true, field: 'Citizen.phone' };
const EMAIL: DataItemEntry = { key: 'email', label: 'E-mail', required: false, field: 'Citizen.email' };
const HOUSEHOLD: DataItemEntry = { key: 'household', label: 'Household register (hukou) and members', required: true, field: 'Citizen.household' };
const PHOTO: DataItemEntry = { key: 'photo', label: 'Passport-style photo', required: true, field: null };
const BANK_ACCOUNT: DataItemEntry = { key: 'bank_account', label: 'Bank account for payment', required: true, field: null };
const DRIVING_LICENSE: DataItemEntry = { key: 'driving_license', label: 'Valid driving license', required: true, field: 'License.status', licenseKind: 'DRIVING' };
const BUSINESS_LICENSE: DataItemEntry = { key: 'business_license', label: 'Valid business license', required: true, field: 'License.status', licenseKind: 'BUSINESS' };

export const SERVICES: readonly ServiceEntry[] = [
  {
    code: 'BUSINESS_LICENSE_APPLICATION',
    name: 'Business license for an individual business',
    theme: 'starting-a-business',
    department: 'licensing',
    timeLimitDays: 3,
    description: 'Register an individual business (个体工商户) and receive its business license.',
    dataItems: [
      NAME,
      ADDRESS,
      PHONE,
      { key: 'business_name', label: 'Business name', required: true, field: null },
      { key: 'business_scope', label: 'Business scope', required: true, field: null },
      { key: 'business_premises', label: 'Address of the business premises', required: true, field: null },
      EMAIL,
    ],
  },
  {
    code: 'FOOD_BUSINESS_PERMIT',
    name: 'Food business permit',
    theme: 'starting-a-business',
    department: 'licensing',
    timeLimitDays: 10,
    description: 'Permit to sell or serve food (食品经营许可证), for a business that already holds a business license.',
    dataItems: [
      NAME,
      PHONE,
      BUSINESS_LICENSE,
      { key: 'premises_layout', label: 'Floor plan of the premises', required: true, field: null },
      { key: 'food_safety_officer', label: 'Food safety officer and health certificate', required: true, field: null },
    ],
  },
  {
    code: 'BUSINESS_START_SUBSIDY',
    name: 'One-off business start-up subsidy',
    theme: 'starting-a-business',
    department: 'service-center',
    timeLimitDays: 20,
    description: 'A one-off subsidy (一次性创业补贴) for a citizen who started a business in the last year and employs people.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      ADDRESS,
      PHONE,
      BUSINESS_LICENSE,
      { key: 'employment_contracts', label: 'Employment contracts of staff', required: true, field: null },
      BANK_ACCOUNT,
    ],
  },
  {
    code: 'BIRTH_REGISTRATION',
    name: 'Registering a newborn in the household',
    theme: 'having-a-child',
    department: 'registry',
    timeLimitDays: 5,
    description: 'Register a newborn child in a parent\'s household register (出生登记).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'birth_certificate', label: 'Medical birth certificate number', required: true, field: null },
      { key: 'child_name', label: 'Name of the child', required: true, field: null },
    ],
  },
  {
    code: 'CHILDCARE_SUBSIDY',
    name: 'Childcare subsidy',
    theme: 'having-a-child',
    department: 'civil-affairs',
    timeLimitDays: 20,
    description: 'Yearly childcare subsidy (育儿补贴) for each child under three years old.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'birth_certificate', label: 'Medical birth certificate number', required: true, field: null },
      BANK_ACCOUNT,
    ],
  },
  {
    code: 'NEWBORN_MEDICAL_INSURANCE',
    name: 'Medical insurance enrolment for a newborn',
    theme: 'having-a-child',
    department: 'service-center',
    timeLimitDays: 5,
    description: 'Enrol a newborn in resident basic medical insurance (新生儿参保登记).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      PHONE,
      { key: 'child_name', label: 'Name of the child', required: true, field: null },
      BANK_ACCOUNT,
    ],
  },
  {
    code: 'DRIVING_LICENSE_RENEWAL',
    name: 'Driving license renewal',
    theme: 'driving',
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
      { key: 'health_declaration', label: 'Declaration of physical fitness to drive', required: true, field: null },
    ],
  },
  {
    code: 'DRIVING_LICENSE_REPLACEMENT',
    name: 'Replacing a lost driving license',
    theme: 'driving',
    department: 'licensing',
    timeLimitDays: 3,
    description: 'Replace a lost or damaged driving license (驾驶证补证).',
    dataItems: [NAME, ADDRESS, PHONE, DRIVING_LICENSE, PHOTO],
  },
  {
    code: 'TAXI_DRIVER_PERMIT',
    name: 'Taxi and ride-hailing driver permit',
    theme: 'driving',
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
      { key: 'criminal_record_declaration', label: 'Declaration on criminal and traffic records', required: true, field: null },
    ],
  },
  {
    code: 'RESIDENTIAL_BUILDING_PERMIT',
    name: 'Permit to build a family house',
    theme: 'building',
    department: 'licensing',
    timeLimitDays: 20,
    description: 'Permit for a village household to build or rebuild its own house (农村村民住宅建设许可).',
    dataItems: [
      NAME,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'land_use_certificate', label: 'Homestead land use certificate', required: true, field: null },
      { key: 'site_plan', label: 'Site plan and drawings', required: true, field: null },
    ],
  },
  {
    code: 'HOME_RENOVATION_FILING',
    name: 'Filing a home renovation',
    theme: 'building',
    department: 'housing',
    timeLimitDays: 5,
    description: 'File a planned renovation of a flat before work starts (住宅装饰装修备案).',
    dataItems: [
      NAME,
      PHONE,
      { key: 'property_certificate', label: 'Property ownership certificate number', required: true, field: null },
      { key: 'renovation_plan', label: 'Renovation plan', required: true, field: null },
      { key: 'contractor', label: 'Renovation contractor', required: false, field: null },
    ],
  },
  {
    code: 'PUBLIC_RENTAL_HOUSING',
    name: 'Public rental housing',
    theme: 'housing',
    department: 'housing',
    timeLimitDays: 30,
    description: 'Apply for a public rental flat (公共租赁住房) for a household with low income and no home of its own.',
    dataItems: [
      NAME,
      BIRTH_DATE,
      HOUSEHOLD,
      ADDRESS,
      PHONE,
      { key: 'income_statement', label: 'Household income statement', required: true, field: null },
      { key: 'housing_status', label: 'Declaration of current housing', required: true, field: null },
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
      set: { name: sql`excluded.name`, description: sql`excluded.description`, legalBasis: sql`excluded.legal_basis` },
    });

  const cases = dbs.cases.db;
  await cases
    .insert(services)
    .values(SERVICES.map(({ dataItems: _items, ...service }) => service))
    .onConflictDoUpdate({
      target: services.code,
      set: {
        name: sql`excluded.name`,
        theme: sql`excluded.theme`,
        department: sql`excluded.department`,
        timeLimitDays: sql`excluded.time_limit_days`,
        description: sql`excluded.description`,
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
