/**
 * The Nigerian banks the stand-in knows, with their real NIBSS codes, as `GET /bank` lists
 * them, and the made-up holder of any account at one of them.
 */
import { createHash } from 'node:crypto';

export interface Bank {
  id: number;
  name: string;
  slug: string;
  code: string;
  longcode: string;
}

/**
 * The codes are the banks' real ones. Ids and long codes are modelled on Paystack's list (its
 * resolve example gives Guaranty Trust Bank the id 9) but not checked against it: a client
 * should key on `code`, never on `id`.
 */
export const BANKS: readonly Bank[] = [
  { id: 1, name: 'Access Bank', slug: 'access-bank', code: '044', longcode: '044150149' },
  {
    id: 7,
    name: 'First Bank of Nigeria',
    slug: 'first-bank-of-nigeria',
    code: '011',
    longcode: '011151003',
  },
  {
    id: 9,
    name: 'Guaranty Trust Bank',
    slug: 'guaranty-trust-bank',
    code: '058',
    longcode: '058152036',
  },
  {
    id: 14,
    name: 'Stanbic IBTC Bank',
    slug: 'stanbic-ibtc-bank',
    code: '221',
    longcode: '221159522',
  },
  {
    id: 18,
    name: 'United Bank For Africa',
    slug: 'united-bank-for-africa',
    code: '033',
    longcode: '033153513',
  },
  { id: 20, name: 'Wema Bank', slug: 'wema-bank', code: '035', longcode: '035150103' },
  { id: 21, name: 'Zenith Bank', slug: 'zenith-bank', code: '057', longcode: '057150013' },
  { id: 67, name: 'Kuda Bank', slug: 'kuda-bank', code: '50211', longcode: '' },
  {
    id: 171,
    name: 'OPay Digital Services Limited (OPay)',
    slug: 'paycom',
    code: '999992',
    longcode: '',
  },
  { id: 303, name: 'Moniepoint MFB', slug: 'moniepoint-mfb-ng', code: '50515', longcode: '' },
];

const byCode = new Map(BANKS.map((bank) => [bank.code, bank]));

export const findBank = (code: string): Bank | undefined => byCode.get(code);

/** A NUBAN is ten digits. */
export const NUBAN = /^\d{10}$/;

const LISTED_AT = '2016-07-14T10:04:29.000Z';

/** One entry of `GET /bank`. */
export function bankJson(bank: Bank) {
  return {
    id: bank.id,
    name: bank.name,
    slug: bank.slug,
    code: bank.code,
    longcode: bank.longcode,
    gateway: null,
    pay_with_bank: false,
    supports_transfer: true,
    available_for_direct_debit: false,
    active: true,
    country: 'Nigeria',
    currency: 'NGN',
    type: 'nuban',
    is_deleted: false,
    createdAt: LISTED_AT,
    updatedAt: LISTED_AT,
  };
}

const SURNAMES = [
  'ADEBAYO',
  'OKAFOR',
  'BELLO',
  'EZE',
  'OGUNLEYE',
  'IBRAHIM',
  'NWOSU',
  'ADEYEMI',
  'OKONKWO',
  'ABUBAKAR',
  'OLAWALE',
  'CHUKWU',
  'ETIM',
  'BALOGUN',
  'MUSA',
  'ANYANWU',
];
const GIVEN_NAMES = [
  'CHIOMA',
  'TUNDE',
  'AISHA',
  'EMEKA',
  'FOLAKE',
  'IFEANYI',
  'NGOZI',
  'SEGUN',
  'HAUWA',
  'KELECHI',
  'YETUNDE',
  'OBINNA',
  'ZAINAB',
  'DAYO',
  'AMAKA',
  'BABAJIDE',
];

/** The holder of an account number: made up, but the same number always gives the same name. */
export function accountName(accountNumber: string): string {
  const [a = 0, b = 0, c = 0] = createHash('sha256').update(accountNumber).digest();
  const given = GIVEN_NAMES.length;
  // The middle name is never the first name again.
  const middle = (b + 1 + (c % (given - 1))) % given;
  return [SURNAMES[a % SURNAMES.length], GIVEN_NAMES[b % given], GIVEN_NAMES[middle]].join(' ');
}
