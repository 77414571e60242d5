// The database schema. Amounts are integer tiyn; dates are ISO 'YYYY-MM-DD' text (Asia/Almaty
// billing days); timestamps are ISO instants in UTC. The ledger is append-only (triggers in the
// custom migration refuse UPDATE and DELETE); every entry carries an idempotency key, so a retried
// job cannot post the same fact twice.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ENTRY_KINDS, keepsItsSignSql, type EntryKind } from '../domain/entries.js';
import { DOCUMENT_KINDS, OUTBOX_STATES } from '../domain/outbox.js';
import { ACCESS_CAUSES } from '../domain/accounts.js';
import { SUSPENSE_REASONS } from '../domain/matching.js';

const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** The operator: requisites printed on invoices, and the rule settings the contract leaves to it. */
export const operator = sqliteTable(
  'operator',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    bin: text('bin').notNull(),
    iban: text('iban').notNull(),
    bank: text('bank').notNull(),
    bic: text('bic').notNull(),
    kbe: text('kbe').notNull(),
    knp: text('knp').notNull(),
    address: text('address').notNull(),
    phone: text('phone').notNull(),
    site: text('site').notNull(),
    email: text('email').notNull(),
    invoicePrefix: text('invoice_prefix').notNull(),
    /** cl. 23.7: penalty per overdue day, as a decimal fraction ("0.005" = 0.5%). */
    penaltyRate: text('penalty_rate').notNull().default('0.005'),
    /** cl. 23.7: at most this many penalty days per invoice. */
    penaltyCapDays: integer('penalty_cap_days').notNull().default(30),
    /** cl. 23.5: days after the due date before a credit account is suspended for debt. */
    graceDays: integer('grace_days').notNull().default(0),
    /** D-13: the VAT rate versions as the operator's settings give them, JSON `[{"from":"2026-01-01","rate":"0.16"}]` (`null` rate: not a VAT payer); those in force are in vat_rates. */
    vatRates: text('vat_rates').notNull().default('[{"from":"0001-01-01","rate":"0.12"},{"from":"2026-01-01","rate":"0.16"}]'),
    /** D-13: whether penalties are VAT turnover (default not). */
    vatOnPenalties: integer('vat_on_penalties').notNull().default(0),
    /** How to pay, as the operator lists it (bank transfer, Kaspi, terminals): a JSON array of texts printed on invoices and notices. */
    paymentChannels: text('payment_channels').notNull().default('[]'),
    /** The operator's bank accounts (IBANs) as a JSON array: a statement must be of one of them (docs/payments.md); `[]`: the iban alone. */
    accounts: text('accounts').notNull().default('[]'),
    updatedAt: text('updated_at')
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [check('operator_single_row', sql`${t.id} = 1`)],
);

/**
 * Versions of the penalty settings (cl. 23.7): the version in force on day D is the latest with
 * effective_from ≤ D. The rate of a penalty day is that day's; an invoice's cap is the one in force
 * on its first overdue day. A change made on the operator applies from the first day no penalty run
 * has done yet (db/operator.ts), so days already charged keep their rate when they are recomputed.
 */
export const penaltyRules = sqliteTable(
  'penalty_rules',
  {
    effectiveFrom: text('effective_from').primaryKey(),
    rate: text('rate').notNull(),
    capDays: integer('cap_days').notNull(),
    createdAt: createdAt(),
  },
  (t) => [check('penalty_rules_cap', sql`${t.capDays} >= 0`)],
);

/**
 * Versions of the VAT rate (D-13): the rate of a turnover on day D is the latest with effective_from
 * ≤ D; a null rate: not a VAT payer. A change made on the operator applies from the first day not yet
 * invoiced (db/operator.ts), so an issued invoice keeps the VAT it was issued with.
 */
export const vatRates = sqliteTable('vat_rates', {
  effectiveFrom: text('effective_from').primaryKey(),
  rate: text('rate'),
  createdAt: createdAt(),
});

export const tariffs = sqliteTable('tariffs', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** cl. 28: a discontinued tariff moves its accounts to the successor from this date. */
  discontinuedOn: text('discontinued_on'),
  successorCode: text('successor_code'),
  createdAt: createdAt(),
});

/** Price versions of a tariff: the version in force on day D is the latest with effective_from ≤ D. */
export const tariffPrices = sqliteTable(
  'tariff_prices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tariffCode: text('tariff_code')
      .notNull()
      .references(() => tariffs.code),
    effectiveFrom: text('effective_from').notNull(),
    /** cl. 23.14: when the change was announced (null for the tariff's first price). */
    announcedOn: text('announced_on'),
    monthlyFee: integer('monthly_fee').notNull(),
    portFee: integer('port_fee').notNull(),
    installationFee: integer('installation_fee').notNull(),
    /** cl. 23.10: a third-party service bundled into the tariff, charged monthly as its own line (0 = none). */
    thirdPartyFee: integer('third_party_fee').notNull().default(0),
    thirdPartyName: text('third_party_name'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tariff_prices_version').on(t.tariffCode, t.effectiveFrom),
    check('tariff_prices_non_negative', sql`${t.monthlyFee} >= 0 AND ${t.portFee} >= 0 AND ${t.installationFee} >= 0`),
  ],
);

export const subscribers = sqliteTable('subscribers', {
  iin: text('iin').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: text('updated_at'),
});

export const accounts = sqliteTable(
  'accounts',
  {
    /** The personal account number (дербес шот / лицевой счёт). */
    account: text('account').primaryKey(),
    iin: text('iin')
      .notNull()
      .references(() => subscribers.iin),
    method: text('method', { enum: ['advance', 'credit'] }).notNull(),
    tariffCode: text('tariff_code')
      .notNull()
      .references(() => tariffs.code),
    status: text('status', { enum: ['active', 'suspended', 'terminated'] })
      .notNull()
      .default('active'),
    suspendReason: text('suspend_reason', { enum: ['funds', 'debt'] }),
    connectedOn: text('connected_on').notNull(),
    terminatedOn: text('terminated_on'),
    terminatedBy: text('terminated_by', { enum: ['operator', 'subscriber'] }),
    /** cl. 35: the subscriber asked to terminate on this date, but rented equipment is still out: charges run to its hand-over. */
    terminationRequestedOn: text('termination_requested_on'),
    premisesOwned: integer('premises_owned', { mode: 'boolean' }).notNull(),
    address: text('address').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** Cached sum of the account's ledger entries, kept by the one posting function; `esep verify` checks it. */
    balance: integer('balance').notNull().default(0),
    /** The last day the daily debit job has decided for this advance account (fee or port reservation). */
    debitedThrough: text('debited_through'),
    /** cl. 22.10: equipment must be back by this date after termination. */
    equipmentReturnBy: text('equipment_return_by'),
    /** cl. 17.4: a positive balance after termination by the subscriber is paid out by this date. */
    refundDueOn: text('refund_due_on'),
    createdAt: createdAt(),
    updatedAt: text('updated_at'),
  },
  (t) => [
    index('accounts_iin').on(t.iin),
    // The keyset pagers of the per-account jobs walk one method in account order (no sort per page).
    index('accounts_method_account').on(t.method, t.account),
    check('accounts_suspend_reason', sql`(${t.status} = 'suspended') = (${t.suspendReason} IS NOT NULL)`),
  ],
);

/** Equipment handed to an account, with its cost from the acceptance act (cl. 22.10, 35). */
export const equipment = sqliteTable(
  'equipment',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    serial: text('serial').notNull(),
    model: text('model'),
    cost: integer('cost').notNull(),
    rented: integer('rented', { mode: 'boolean' }).notNull().default(true),
    handedOutOn: text('handed_out_on').notNull(),
    returnedOn: text('returned_on'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('equipment_account_serial').on(t.account, t.serial)],
);

export { ENTRY_KINDS, type EntryKind };

/**
 * The ledger: every change of what an account owes. Append-only. amount > 0 is in the subscriber's
 * favour (payment, credit), amount < 0 is a charge. `key` is the entry's idempotency key.
 */
export const ledger = sqliteTable(
  'ledger',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    valueDate: text('value_date').notNull(),
    kind: text('kind', { enum: ENTRY_KINDS }).notNull(),
    amount: integer('amount').notNull(),
    key: text('key').notNull(),
    invoiceId: integer('invoice_id'),
    paymentId: integer('payment_id'),
    runId: integer('run_id'),
    memo: text('memo'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_key').on(t.key),
    index('ledger_account_date').on(t.account, t.valueDate),
    // partial: the daily rows, most of the ledger, link to no payment and no invoice
    index('ledger_payment').on(t.paymentId).where(sql`${t.paymentId} IS NOT NULL`),
    index('ledger_invoice').on(t.invoiceId).where(sql`${t.invoiceId} IS NOT NULL`),
    check('ledger_amount_not_zero', sql`${t.amount} <> 0`),
    // a CHECK, not an insert trigger: any trigger on the ledger's inserts doubles their cost (migration 0014)
    check('ledger_kind_sign', sql.raw(keepsItsSignSql())),
  ],
);

/**
 * D-7: an entry that corrects (reverses or reduces) another one names it here, one row per
 * correcting entry, posted with it. Append-only like the ledger; a trigger refuses a correction of
 * another account, of the same sign, or beyond what is left of the entry it corrects.
 */
export const ledgerLinks = sqliteTable(
  'ledger_links',
  {
    entryId: integer('entry_id')
      .primaryKey()
      .references(() => ledger.id),
    correctsId: integer('corrects_id')
      .notNull()
      .references(() => ledger.id),
  },
  (t) => [index('ledger_links_corrects').on(t.correctsId), check('ledger_links_not_self', sql`${t.entryId} <> ${t.correctsId}`)],
);

/**
 * The service a prorated charge covers (cl. 13: a monthly fee or a bundle item for the days of
 * service): from, to, its days of the month's n, and a bundle item's third-party name. One row per
 * such entry, posted with it.
 */
export const ledgerSpans = sqliteTable(
  'ledger_spans',
  {
    entryId: integer('entry_id')
      .primaryKey()
      .references(() => ledger.id),
    serviceFrom: text('service_from').notNull(),
    serviceTo: text('service_to').notNull(),
    serviceDays: integer('service_days').notNull(),
    periodDays: integer('period_days').notNull(),
    name: text('name'),
  },
  (t) => [check('ledger_spans_days', sql`${t.serviceDays} BETWEEN 1 AND ${t.periodDays} AND ${t.serviceFrom} <= ${t.serviceTo}`)],
);

export const invoices = sqliteTable(
  'invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `{prefix}-{YYYY}-{seq:06}` (invoiceNumber): made from the three columns below, never read back. */
    number: text('number').notNull(),
    /** The operator's invoice prefix when the invoice was issued: each prefix is its own series. */
    prefix: text('prefix').notNull().default(''),
    year: integer('year').notNull(),
    /** Gapless per prefix and year, from 1 (docs/invoices.md). */
    seq: integer('seq').notNull(),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    period: text('period').notNull(),
    final: integer('final', { mode: 'boolean' }).notNull().default(false),
    issuedOn: text('issued_on').notNull(),
    dueOn: text('due_on').notNull(),
    openingBalance: integer('opening_balance').notNull(),
    charges: integer('charges').notNull(),
    credits: integer('credits').notNull(),
    payments: integer('payments').notNull(),
    penalties: integer('penalties').notNull(),
    closingBalance: integer('closing_balance').notNull(),
    /** Net charges of the period, penalties excluded: what penalty and termination rules look at. */
    principal: integer('principal').notNull(),
    amountDue: integer('amount_due').notNull(),
    advisedTopup: integer('advised_topup'),
    /** D-13: the VAT included in the period's service charges, all rates together; null when the operator was not a VAT payer in the period (or the invoice predates migration 0012). */
    vat: integer('vat'),
    file: text('file'),
    /** The highest ledger id the figures were computed from: a reissue and `verify` recompute from exactly these entries. */
    ledgerThrough: integer('ledger_through'),
    runId: integer('run_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_number').on(t.number),
    uniqueIndex('invoices_prefix_year_seq').on(t.prefix, t.year, t.seq),
    uniqueIndex('invoices_account_period').on(t.account, t.period),
  ],
);

/** Incoming bank payments, matched to an account or waiting in suspense. */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The bank transaction's identity (format and bank reference): the same row imported twice is one payment. */
    identity: text('identity').notNull(),
    format: text('format').notNull(),
    bankRef: text('bank_ref').notNull(),
    valueDate: text('value_date').notNull(),
    amount: integer('amount').notNull(),
    account: text('account').references(() => accounts.account),
    /** 'reversed': applied once, then reversed by the bank (a 'reversal' row names it in reverses_payment_id). */
    status: text('status', { enum: ['applied', 'suspense', 'reversal', 'reversed'] }).notNull(),
    matchedBy: text('matched_by'),
    payerIin: text('payer_iin'),
    payerName: text('payer_name'),
    purpose: text('purpose'),
    file: text('file'),
    line: integer('line'),
    /** Why it waits in suspense: a code of domain/matching.ts (SUSPENSE_REASONS); null otherwise, and for payments imported before migration 0015. */
    suspenseReason: text('suspense_reason', { enum: SUSPENSE_REASONS }),
    /** What the bank wrote in the account column ('' when nothing); null for payments imported before migration 0015. */
    accountHint: text('account_hint'),
    /** The accounts a suspense reason is about (the unknown numbers, the accounts named, the IIN's accounts), a JSON array. */
    reasonAccounts: text('reason_accounts'),
    /** The operator's account the statement is of, into which the money came (normalised IBAN); null for the generic CSV and before migration 0017. */
    statementAccount: text('statement_account'),
    importedAt: createdAt(),
    assignedAt: text('assigned_at'),
    /** A bank reversal (status 'reversal'): the payment it reverses once linked (docs/payments.md, «Undoing a mistake»); null otherwise. */
    reversesPaymentId: integer('reverses_payment_id'),
  },
  (t) => [
    uniqueIndex('payments_identity').on(t.identity),
    index('payments_status').on(t.status),
    // the same money through two formats (domain/statement.ts, sameMoney): account, value date, amount, document number
    index('payments_same_money').on(t.statementAccount, t.valueDate, t.amount, t.bankRef).where(sql`${t.statementAccount} IS NOT NULL`),
    // one reversal per payment
    uniqueIndex('payments_reverses').on(t.reversesPaymentId),
  ],
);

/**
 * A payment taken off the account it was on (docs/payments.md, «Undoing a mistake»): moved to another
 * account, returned to suspense, or reversed by the bank. The history behind `payments.account` and
 * `status`; `esep verify` checks the ledger against it.
 */
export const paymentMoves = sqliteTable(
  'payment_moves',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    paymentId: integer('payment_id')
      .notNull()
      .references(() => payments.id),
    /** The n-th move of the payment, from 1: its ledger keys carry it (domain/keys.ts). */
    n: integer('n').notNull(),
    fromAccount: text('from_account')
      .notNull()
      .references(() => accounts.account),
    /** The account it went to; null: to suspense (unassign) or back to the bank (reverse). */
    toAccount: text('to_account').references(() => accounts.account),
    by: text('by', { enum: ['move', 'unassign', 'reverse'] }).notNull(),
    /** The value date of the entry that took it off from_account: the payment's own (move, unassign), the reversal's (reverse). */
    valueDate: text('value_date').notNull(),
    /** The command's --date: the day of the restorations, suspensions and today's decision that followed. */
    onDate: text('on_date').notNull(),
    /** The bank reversal row behind a 'reverse'. */
    reversalId: integer('reversal_id').references(() => payments.id),
    runId: integer('run_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payment_moves_payment_n').on(t.paymentId, t.n),
    check('payment_moves_to', sql`(${t.by} = 'move') = (${t.toAccount} IS NOT NULL)`),
    check('payment_moves_reversal', sql`(${t.by} = 'reverse') = (${t.reversalId} IS NOT NULL)`),
  ],
);

/**
 * The totals a statement states of itself, per section (a 1C СекцияРасчСчет, an xlsx sheet), beside
 * the sums of the rows read, as the import checked them (they agree, or the file was refused).
 */
export const statementSections = sqliteTable(
  'statement_sections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id'),
    file: text('file').notNull(),
    format: text('format').notNull(),
    section: text('section').notNull(),
    line: integer('line').notNull(),
    account: text('account'),
    dateFrom: text('date_from'),
    dateTo: text('date_to'),
    opening: integer('opening'),
    statedIn: integer('stated_in'),
    statedOut: integer('stated_out'),
    closing: integer('closing'),
    readIn: integer('read_in').notNull(),
    readOut: integer('read_out').notNull(),
    importedAt: createdAt(),
  },
  (t) => [index('statement_sections_dates').on(t.dateFrom, t.dateTo)],
);

/** Documents sent to a subscriber besides invoices: the termination notice with the debt demand (cl. 23.8). */
export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    kind: text('kind', { enum: ['termination'] }).notNull(),
    /** The outgoing number (cl. 23.8), `{prefix}-N-{YYYY}-{seq:05}` by the notice's year; null on notices written before migration 0012. */
    number: text('number'),
    /** The termination date the notice is about. */
    issuedOn: text('issued_on').notNull(),
    /** What is demanded: unpaid principal and penalties at termination (tiyn). */
    debt: integer('debt').notNull(),
    penaltyDebt: integer('penalty_debt').notNull(),
    equipmentReturnBy: text('equipment_return_by'),
    file: text('file').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notices_account_kind_day').on(t.account, t.kind, t.issuedOn), uniqueIndex('notices_number').on(t.number)],
);

/**
 * Email delivery (cl. 14, 23.8): one message per document and recipient. `recipient` is '' when the
 * account has no email (state no_address: delivered on paper). `message_id` is made when the row is
 * queued and kept for every resend. States and transitions: src/domain/outbox.ts.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    docKind: text('doc_kind', { enum: DOCUMENT_KINDS }).notNull(),
    /** invoices.id or notices.id. */
    docId: integer('doc_id').notNull(),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    /** The invoice's period, or the month of the notice: what `esep outbox --period` selects. */
    period: text('period').notNull(),
    recipient: text('recipient').notNull(),
    state: text('state', { enum: OUTBOX_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** ISO instant before which a transient failure is not retried; null = at the next run. */
    nextAttemptAt: text('next_attempt_at'),
    lastAttemptAt: text('last_attempt_at'),
    /** The server's last reply (or the connection error), kept for `esep outbox`. */
    lastReply: text('last_reply'),
    /** When our SMTP server accepted it (cl. 23.8: a notice counts as delivered from then, bounce or not). */
    sentAt: text('sent_at'),
    messageId: text('message_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_document_recipient').on(t.docKind, t.docId, t.recipient),
    uniqueIndex('outbox_message_id').on(t.messageId),
    index('outbox_state').on(t.state, t.nextAttemptAt),
    // the messages a send still has to try, in id order: its pager reads these and no others
    index('outbox_pending').on(t.docKind, t.id).where(sql`${t.state} IN ('queued', 'sending')`),
    index('outbox_period').on(t.period, t.docKind),
    check('outbox_no_address', sql`(${t.state} = 'no_address') = (${t.recipient} = '')`),
  ],
);

/** Suspensions, restorations and terminations, for the network team (`esep access`). */
export const accessEvents = sqliteTable(
  'access_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    account: text('account')
      .notNull()
      .references(() => accounts.account),
    at: text('at').notNull(),
    valueDate: text('value_date').notNull(),
    event: text('event', { enum: ['suspend', 'restore', 'terminate'] }).notNull(),
    /** What the event is for, as a code the rules read: `funds` or `debt` (suspend, restore), `operator` or `subscriber` (terminate). */
    cause: text('cause', { enum: ACCESS_CAUSES }),
    /** The same for people, with the clause. */
    reason: text('reason').notNull(),
    key: text('key').notNull(),
    runId: integer('run_id'),
  },
  (t) => [
    uniqueIndex('access_events_key').on(t.key),
    index('access_events_date').on(t.valueDate),
    // the terminate job asks, per account, since when it has been suspended
    index('access_events_account').on(t.account, t.valueDate),
  ],
);

/** The job journal: one row per run of a job, written with its work. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    scope: text('scope').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    outcome: text('outcome', { enum: ['running', 'ok', 'failed', 'interrupted'] }).notNull(),
    counts: text('counts').notNull().default('{}'),
    message: text('message'),
    pid: integer('pid'),
  },
  (t) => [index('job_runs_job').on(t.job, t.scope)],
);

/** The one lock that keeps two writing jobs from running at once. */
export const jobLocks = sqliteTable('job_locks', {
  name: text('name').primaryKey(),
  pid: integer('pid').notNull(),
  host: text('host').notNull(),
  job: text('job').notNull(),
  acquiredAt: text('acquired_at').notNull(),
});
