import { describe, expect, it } from 'vitest';
import { accountsInPurpose, matchPayment, suspenseWords, type AccountLookup } from '../../src/domain/matching.js';
import { readStatementAmount, readStatementDate } from '../../src/domain/statement.js';

const lookup: AccountLookup = {
  exists: (a) => ['1001', '1002', 'A-17'].includes(a),
  accountsOfIin: (iin) => ({ '900101300007': ['1001'], '020711500349': ['1003', '1004'] })[iin] ?? [],
};

describe('account numbers in the purpose text', () => {
  it.each([
    ['Оплата за интернет л/с 1001', ['1001']],
    ['ЛС-1001', ['1001']],
    ['лс1001', ['1001']],
    ['Л.С. 1001', ['1001']],
    ['лицевой счет 1001', ['1001']],
    ['лицевой счёт №1001', ['1001']],
    ['по лицевому счету: 1001', ['1001']],
    ['лиц.сч. 1001', ['1001']],
    ['дербес шот 1001', ['1001']],
    ['Дербес шоты № 1001 үшін', ['1001']],
    ['д/ш 1001', ['1001']],
    ['Д.Ш.-A-17', ['A-17']],
    ['л/с 1001, л/с 1002 и снова ЛС 1001', ['1001', '1002']],
    ['Оплата 1001', []],
    ['плс 1001', []],
    ['Класс 1001', []],
  ])('%s', (purpose, expected) => {
    expect(accountsInPurpose(purpose)).toEqual(expected);
  });
});

describe('matching order (SPEC section 5)', () => {
  it('takes the account column first, then the purpose, then an IIN with one account', () => {
    expect(matchPayment({ account: '1002', payerIin: '900101300007', purpose: 'л/с 1001' }, lookup)).toEqual({ account: '1002', by: 'account' });
    expect(matchPayment({ account: '9999', payerIin: '900101300007', purpose: 'л/с 1002' }, lookup)).toEqual({ account: '1002', by: 'purpose' });
    expect(matchPayment({ account: null, payerIin: '900101300007', purpose: 'л/с 5555' }, lookup)).toEqual({ account: '1001', by: 'iin' });
  });

  it('sends to suspense what it cannot tell, with the reason as a code and the accounts it is about', () => {
    expect(matchPayment({ account: null, payerIin: '020711500349', purpose: 'Төлем' }, lookup)).toEqual({ account: null, reason: 'iin_several', accounts: ['1003', '1004'] });
    expect(matchPayment({ account: null, payerIin: null, purpose: 'л/с 1001 и л/с 1002' }, lookup)).toEqual({ account: null, reason: 'purpose_several', accounts: ['1001', '1002'] });
    expect(matchPayment({ account: '77', payerIin: null, purpose: null }, lookup)).toEqual({ account: null, reason: 'unknown_account', accounts: ['77'] });
    expect(matchPayment({ account: null, payerIin: null, purpose: 'за интернет л/с 99999' }, lookup)).toEqual({ account: null, reason: 'unknown_account', accounts: ['99999'] });
    expect(matchPayment({ account: null, payerIin: null, purpose: 'Оплата за интернет' }, lookup)).toEqual({ account: null, reason: 'no_account', accounts: [] });
    // an IIN that holds no account says nothing more than no IIN
    expect(matchPayment({ account: '', payerIin: '111111111111', purpose: null }, lookup)).toEqual({ account: null, reason: 'no_account', accounts: [] });
    // an unknown number is the reason even when the IIN holds several accounts: the accountant sees the number the payer wrote
    expect(matchPayment({ account: '99999', payerIin: '020711500349', purpose: null }, lookup)).toEqual({ account: null, reason: 'unknown_account', accounts: ['99999'] });
  });

  it('a purpose naming two accounts goes to suspense, never to the account the payer IIN holds (a third one)', () => {
    // IIN 900101300007 holds 1001 alone; the purpose names 1002 and A-17: ambiguous, the IIN must not decide
    expect(matchPayment({ account: null, payerIin: '900101300007', purpose: 'л/с 1002, л/с A-17' }, lookup)).toEqual({
      account: null,
      reason: 'purpose_several',
      accounts: ['1002', 'A-17'],
    });
    // one known and one unknown number: the known one is the account
    expect(matchPayment({ account: null, payerIin: '900101300007', purpose: 'л/с 1002, л/с 5555' }, lookup)).toEqual({ account: '1002', by: 'purpose' });
  });

  it('words for people from the code', () => {
    expect(suspenseWords('no_account', { accounts: [], payerIin: null })).toBe('no account number found');
    expect(suspenseWords('unknown_account', { accounts: ['99999'], payerIin: null })).toBe('account 99999 unknown');
    expect(suspenseWords('purpose_several', { accounts: ['1001', '1002'], payerIin: null })).toBe('the purpose names 2 accounts (1001, 1002)');
    expect(suspenseWords('iin_several', { accounts: ['1003', '1004'], payerIin: '020711500349' })).toBe('IIN 020711500349 holds 2 accounts (1003, 1004)');
    expect(suspenseWords(null, { accounts: [], payerIin: null })).toBe('not recorded (before this version)');
  });
});

describe('statement cells', () => {
  it('reads dates as banks write them and refuses the rest', () => {
    expect(readStatementDate('2026-11-16')).toBe('2026-11-16');
    expect(readStatementDate('16.11.2026')).toBe('2026-11-16');
    expect(readStatementDate('1.2.2026 09:05')).toBe('2026-02-01');
    expect(readStatementDate('16.11.2026 14:32:10')).toBe('2026-11-16');
    expect(readStatementDate('2026-11-16T14:32:10')).toBe('2026-11-16');
    for (const bad of ['31.11.2026', '2026-13-01', '16/11/2026', '16.11.26', '', 'вчера']) expect(readStatementDate(bad)).toBeUndefined();
  });

  it('reads amounts exactly: text with spaces and commas, spreadsheet numbers by their decimal form', () => {
    // "2 500,50" = 2 500 tenge 50 tiyn = 250 050 tiyn
    expect(readStatementAmount('2 500,50')).toBe(250_050);
    expect(readStatementAmount('−5 000,00')).toBe(-500_000);
    expect(readStatementAmount('5 000,00 KZT')).toBe(500_000);
    expect(readStatementAmount(2500.5)).toBe(250_050);
    expect(() => readStatementAmount(0.1 + 0.2)).toThrow(/not an amount/); // 0.30000000000000004
    expect(() => readStatementAmount('5.000,00')).toThrow();
  });
});
