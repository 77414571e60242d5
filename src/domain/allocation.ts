// cl. 16: a payment settles, as of its value date, (1) unpaid penalties oldest first, (2) overdue
// principal oldest first, (3) current debt; what remains is prepayment and settles later charges,
// in the same order, as they arrive. D-7: an entry that corrects another one (names it in
// `corrects`) first cancels what is still owed on that entry; only what it gives back of an entry
// already paid is a credit, allocated like a payment. A correction of a credit (a payment moved to
// another account, or reversed by the bank) takes the money back: first what is left of the credit
// unallocated, then what the credit settled, last settled first, which is owed again from the
// correction's value date. Allocation is a pure function of the ledger:
// replaying the entries in value-date order gives the same answer whatever order they were imported in.
import type { Entry } from './entries.js';
import type { IsoDate } from './dates.js';
import type { Tiyn } from './money.js';

export interface Allocation {
  creditId: number;
  debitId: number;
  amount: Tiyn;
  /** The value date from which the charge counts as settled by this credit. */
  asOf: IsoDate;
}

export interface AllocationState {
  allocations: Allocation[];
  /** What is still owed on each charge (only charges with something owed). */
  unpaid: Map<number, Tiyn>;
  /** What is left of each credit (only credits with something left): the prepayment. */
  unallocated: Map<number, Tiyn>;
}

interface Open {
  entry: Entry;
  left: Tiyn;
  /** A credit's settlements, in the order made: what a correction of it re-opens, last first. */
  settled?: Settlement[];
}

interface Settlement {
  debit: Open;
  amount: Tiyn;
  record: Allocation | null;
}

const isCorrection = (e: Entry): boolean => e.corrects !== undefined && e.corrects !== null;

/**
 * Within a day: penalties, other charges, corrections of charges, credits and their corrections;
 * then by id. A correction comes after what it corrects on the same day and cancels it before the
 * day's payments are spread.
 */
function dayClass(e: Entry): number {
  if (isCorrection(e)) return e.amount > 0 ? 2 : 3;
  if (e.amount < 0) return e.kind === 'penalty' ? 0 : 1;
  return 3;
}

/**
 * Among a day's credits, a correction of a credit (the only corrections below zero) comes right
 * after the credit it corrects (ordered by that credit's id, then after it): a payment taken back on
 * its own value date is undone before the day's later credits are spread, so they settle what they
 * would have settled had it never come.
 */
const creditRank = (e: Entry): number => (isCorrection(e) && e.amount < 0 ? e.corrects! : e.id);

/**
 * Replay order: by value date; within a day charges before credits (a day's payment meets the day's
 * charges), each class in a fixed order, so the split between penalties, principal and prepayment
 * never depends on the order in which entries were posted.
 */
export function replayOrder(a: Entry, b: Entry): number {
  if (a.valueDate !== b.valueDate) return a.valueDate < b.valueDate ? -1 : 1;
  const ca = dayClass(a);
  const cb = dayClass(b);
  if (ca !== cb) return ca - cb;
  const ra = creditRank(a);
  const rb = creditRank(b);
  if (ra !== rb) return ra - rb;
  // the credit before its corrections, then the corrections by id
  const sa = ra === a.id ? 0 : 1;
  const sb = rb === b.id ? 0 : 1;
  if (sa !== sb) return sa - sb;
  return a.id - b.id;
}

/**
 * The allocation as a stream: entries are fed one by one in replay order (the caller's duty:
 * `replayOrder`), and the state after the last one fed can be read at any point. `allocate` feeds a
 * whole ledger at once; the penalty replay feeds it a day at a time (domain/penalty.ts).
 *
 * A correction dated before the entry it corrects (a credit account's recalculated day, before the
 * monthly fee dated at the month's end) takes effect when that entry arrives.
 */
export class Allocator {
  private readonly penalties: Open[] = [];
  private readonly principal: Open[] = [];
  private readonly credits: Open[] = [];
  /** Every entry fed that can still be corrected, by id, with what is left open of it (0 once settled). */
  private readonly fed = new Map<number, Open>();
  private readonly waiting = new Map<number, Entry[]>();
  private made: Allocation[] = [];
  /** How many times a correction of a credit re-opened charges it had settled (the penalty replay asks: domain/penalty.ts). */
  reopened = 0;

  /** Every allocation made and still standing (one re-opened in full is gone). */
  get allocations(): Allocation[] {
    if (this.made.some((a) => a.amount === 0)) this.made = this.made.filter((a) => a.amount > 0);
    return this.made;
  }

  /** `record`: keep every allocation made (off when only what is left matters). */
  constructor(private readonly record = true) {}

  feed(entry: Entry): void {
    if (isCorrection(entry) && !this.fed.has(entry.corrects!)) {
      const list = this.waiting.get(entry.corrects!) ?? [];
      list.push(entry);
      this.waiting.set(entry.corrects!, list);
      return;
    }
    const open = isCorrection(entry) ? this.correct(entry) : this.plain(entry, entry.amount);
    this.fed.set(entry.id, open);
    const corrections = this.waiting.get(entry.id);
    if (corrections) {
      this.waiting.delete(entry.id);
      for (const c of corrections) this.feed(c);
    }
  }

  /**
   * D-7: cancel what is still open of the corrected entry. A correction of a charge gives the rest
   * on as a credit; a correction of a credit re-opens the rest of what that credit settled, last
   * settled first, owed again from the correction's value date (and settled at once by any
   * prepayment there is). Only what is left beyond both goes on as a plain entry of its sign.
   */
  private correct(entry: Entry): Open {
    const target = this.fed.get(entry.corrects!)!;
    let rest = Math.abs(entry.amount);
    if (Math.sign(target.entry.amount) === -Math.sign(entry.amount) && target.left > 0) {
      const cancel = Math.min(rest, target.left);
      target.left -= cancel;
      rest -= cancel;
      if (this.record) {
        const [creditId, debitId] = entry.amount > 0 ? [entry.id, target.entry.id] : [target.entry.id, entry.id];
        this.made.push({ creditId, debitId, amount: cancel, asOf: entry.valueDate > target.entry.valueDate ? entry.valueDate : target.entry.valueDate });
      }
    }
    if (rest > 0 && entry.amount < 0 && target.entry.amount > 0) rest = this.reopen(target, rest, entry.valueDate);
    return this.plain(entry, rest * Math.sign(entry.amount));
  }

  /** Takes back up to `amount` of what `credit` settled, last settled first; returns what it could not. */
  private reopen(credit: Open, amount: Tiyn, date: IsoDate): Tiyn {
    const settled = credit.settled ?? [];
    const reopened: Open[] = [];
    let rest = amount;
    for (let i = settled.length - 1; i >= 0 && rest > 0; i--) {
      const s = settled[i]!;
      const back = Math.min(rest, s.amount);
      if (back <= 0) continue;
      s.amount -= back;
      if (s.record) s.record.amount -= back;
      s.debit.left += back;
      rest -= back;
      if (!reopened.includes(s.debit)) reopened.push(s.debit);
    }
    if (reopened.length === 0) return rest;
    this.reopened++;
    for (const debit of reopened) {
      const queue = debit.entry.kind === 'penalty' ? this.penalties : this.principal;
      if (queue.includes(debit)) continue;
      const at = queue.findIndex((o) => replayOrder(debit.entry, o.entry) < 0);
      queue.splice(at < 0 ? queue.length : at, 0, debit);
    }
    // what is owed again meets the prepayment there is, as a charge arriving that day would
    for (let i = 0; i < this.credits.length; ) {
      const other = this.credits[i]!;
      this.drain(this.penalties, other, date);
      this.drain(this.principal, other, date);
      if (other.left === 0) this.credits.splice(i, 1);
      else i++;
    }
    return rest;
  }

  private plain(entry: Entry, amount: Tiyn): Open {
    if (amount < 0) {
      const debit: Open = { entry, left: -amount };
      for (let i = 0; i < this.credits.length && debit.left > 0; ) {
        const credit = this.credits[i]!;
        this.settle(credit, debit, entry.valueDate);
        if (credit.left === 0) this.credits.splice(i, 1);
        else i++;
      }
      if (debit.left > 0) (entry.kind === 'penalty' ? this.penalties : this.principal).push(debit);
      return debit;
    }
    const credit: Open = { entry, left: amount, settled: [] };
    this.drain(this.penalties, credit, entry.valueDate);
    this.drain(this.principal, credit, entry.valueDate);
    if (credit.left > 0) this.credits.push(credit);
    return credit;
  }

  /** The charges other than penalties with something still owed, oldest first. */
  openPrincipal(): readonly { readonly entry: Entry; readonly left: Tiyn }[] {
    return this.principal.filter((o) => o.left > 0);
  }

  state(): AllocationState {
    const unpaid = new Map<number, Tiyn>();
    for (const open of [...this.penalties, ...this.principal]) if (open.left > 0) unpaid.set(open.entry.id, open.left);
    const unallocated = new Map<number, Tiyn>();
    for (const open of this.credits) if (open.left > 0) unallocated.set(open.entry.id, open.left);
    // a correction whose entry has not come yet (read as of a day before it) is, until then, a plain
    // credit (or charge) of its own: balance = prepayment − debt − penalty debt holds on every day
    for (const list of this.waiting.values()) {
      for (const e of list) (e.amount > 0 ? unallocated : unpaid).set(e.id, Math.abs(e.amount));
    }
    return { allocations: this.allocations, unpaid, unallocated };
  }

  private settle(credit: Open, debit: Open, date: IsoDate): void {
    const amount = Math.min(credit.left, debit.left);
    if (amount <= 0) return;
    credit.left -= amount;
    debit.left -= amount;
    const record = this.record ? { creditId: credit.entry.id, debitId: debit.entry.id, amount, asOf: date } : null;
    if (record) this.made.push(record);
    credit.settled?.push({ debit, amount, record });
  }

  private drain(queue: Open[], credit: Open, date: IsoDate): void {
    while (credit.left > 0 && queue.length > 0) {
      const head = queue[0]!;
      this.settle(credit, head, date);
      if (head.left === 0) queue.shift();
    }
  }
}

/**
 * Allocates every credit to charges by cl. 16. Principal is settled oldest first; overdue principal
 * is always older than current debt (invoices are by period), so "oldest first" serves both (2) and (3).
 * Entries after `asOf` (when given) are left out.
 */
export function allocate(entries: readonly Entry[], asOf?: IsoDate): AllocationState {
  const allocator = new Allocator();
  for (const entry of entries.filter((e) => asOf === undefined || e.valueDate <= asOf).sort(replayOrder)) allocator.feed(entry);
  return allocator.state();
}

export interface DebtSummary {
  /** Sum of entries. */
  balance: Tiyn;
  /** Unpaid principal (every unpaid charge but penalties). */
  debt: Tiyn;
  /** Unpaid penalties. */
  penaltyDebt: Tiyn;
  /** Credits not yet spent. */
  prepayment: Tiyn;
}

/** What an account owes and holds as of a date; balance = prepayment − debt − penaltyDebt always. */
export function summarise(entries: readonly Entry[], asOf?: IsoDate): DebtSummary {
  const state = allocate(entries, asOf);
  const kindOf = new Map(entries.map((e) => [e.id, e.kind] as const));
  let debt = 0;
  let penaltyDebt = 0;
  for (const [id, left] of state.unpaid) {
    if (kindOf.get(id) === 'penalty') penaltyDebt += left;
    else debt += left;
  }
  let prepayment = 0;
  for (const left of state.unallocated.values()) prepayment += left;
  let balance = 0;
  for (const e of entries) if (asOf === undefined || e.valueDate <= asOf) balance += e.amount;
  return { balance, debt, penaltyDebt, prepayment };
}
