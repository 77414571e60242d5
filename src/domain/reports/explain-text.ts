// The words of the reconciliation statement: each rule's explanation (domain/explain.ts) said in
// English (JSON, terminal), Russian and Kazakh (the PDF). Only wording lives here; the figures are
// the rules' own.
import type { EntryKind } from '../entries.js';
import type { ExplainLine, Settled, Why } from '../explain.js';
import { Dec, formatTenge, type Tiyn } from '../money.js';
import { dayOfMonth, periodOf, type IsoDate } from '../dates.js';

export type Lang = 'en' | 'ru' | 'kk';

const KIND_NAMES: Record<EntryKind, Record<Lang, string>> = {
  installation: { en: 'installation', ru: 'подключение', kk: 'қосылу' },
  monthly_fee: { en: 'monthly fee', ru: 'абонентская плата', kk: 'абоненттік төлем' },
  daily_fee: { en: 'daily fee', ru: 'ежедневная абонентская плата', kk: 'күнделікті абоненттік төлем' },
  port_reservation: { en: 'port reservation', ru: 'бронирование порта', kk: 'портты брондау' },
  third_party: { en: 'bundled service', ru: 'услуга в пакете', kk: 'топтамадағы қызмет' },
  equipment: { en: 'equipment', ru: 'оборудование', kk: 'жабдық' },
  backbill: { en: 'back-billing', ru: 'доначисление', kk: 'қосымша есептеу' },
  adjustment: { en: 'adjustment', ru: 'корректировка', kk: 'түзету' },
  recalc: { en: 'recalculation', ru: 'перерасчёт', kk: 'қайта есептеу' },
  penalty: { en: 'penalty', ru: 'пеня', kk: 'өсімпұл' },
  payment: { en: 'payment', ru: 'оплата', kk: 'төлем' },
  refund: { en: 'refund', ru: 'возврат', kk: 'қайтару' },
  transfer: { en: 'transfer', ru: 'перевод', kk: 'аудару' },
};

export function kindName(kind: EntryKind, lang: Lang): string {
  return KIND_NAMES[kind][lang];
}

const t = (v: Tiyn) => formatTenge(v, { symbol: false });
/** 26.11: a day as the statement shows it (the year is in the line's date). */
const dm = (d: IsoDate) => `${d.slice(8, 10)}.${d.slice(5, 7)}`;
/** "1–31.10", "1–3.10", "26.11–25.12", "26.11". */
export function dayRange(from: IsoDate, to: IsoDate): string {
  if (from === to) return dm(from);
  if (periodOf(from) === periodOf(to)) return `${dayOfMonth(from)}–${dayOfMonth(to)}.${dm(to).slice(3)}`;
  return `${dm(from)}–${dm(to)}`;
}
/** "0.005" → "0,5%". */
export const percent = (rate: string) => `${new Dec(rate).mul(100).toString().replace('.', ',')}%`;

function settledText(s: Settled, lang: Lang): string {
  const range = dayRange(s.from, s.to);
  if (s.what === 'penalties') {
    const inv = s.invoice ? { en: ` of invoice ${s.invoice}`, ru: ` по счёту ${s.invoice}`, kk: ` (${s.invoice} шоты)` }[lang] : '';
    return `${{ en: 'penalties', ru: 'пени', kk: 'өсімпұлдар' }[lang]} ${range}${inv} (${t(s.amount)})`;
  }
  const inv = s.invoice ? { en: `, invoice ${s.invoice}`, ru: `, счёт ${s.invoice}`, kk: `, ${s.invoice} шоты` }[lang] : '';
  return `${kindName(s.kind, lang)} ${range}${inv} (${t(s.amount)})`;
}

function settledList(list: readonly Settled[], lang: Lang): string {
  const then = { en: ', then ', ru: ', затем ', kk: ', содан кейін ' }[lang];
  return list.map((s) => settledText(s, lang)).join(then);
}

/** The rule of a line in words, without the clause. */
export function ruleText(line: ExplainLine, lang: Lang): string {
  const w: Why = line.why;
  const range = dayRange(line.date, line.to);
  const kind = (k: EntryKind) => kindName(k, lang);
  let text: string;
  switch (w.rule) {
    case 'daily_fee':
      text = {
        en: `${range} daily fee ${t(w.monthlyFee)} × d/${w.daysInMonth}, cumulative rounding`,
        ru: `${range} ежедневная абонентская плата ${t(w.monthlyFee)} × d/${w.daysInMonth}, нарастающим итогом с округлением`,
        kk: `${range} күнделікті абоненттік төлем ${t(w.monthlyFee)} × d/${w.daysInMonth}, жинақталған дөңгелектеумен`,
      }[lang];
      break;
    case 'port_reservation':
      text = w.asDecidedThen
        ? {
            en: `${range} port reservation ${t(w.portFee)} a day: the balance known then was below the day's fee; service suspended`,
            ru: `${range} бронирование порта ${t(w.portFee)} в день: известный тогда остаток был меньше дневной платы; услуги приостановлены`,
            kk: `${range} портты брондау күніне ${t(w.portFee)}: сол кезде белгілі қалдық күнделікті төлемнен аз болды; қызмет тоқтатылды`,
          }[lang]
        : {
            en: `${range} port reservation ${t(w.portFee)} a day: balance ${t(w.balanceAtStart)} at the start of ${dm(w.from)} below the day's fee ${t(w.dayFee)}; service suspended`,
            ru: `${range} бронирование порта ${t(w.portFee)} в день: остаток ${t(w.balanceAtStart)} на начало ${dm(w.from)} меньше дневной платы ${t(w.dayFee)}; услуги приостановлены`,
            kk: `${range} портты брондау күніне ${t(w.portFee)}: ${dm(w.from)} басындағы қалдық ${t(w.balanceAtStart)} күнделікті төлемнен ${t(w.dayFee)} аз; қызмет тоқтатылды`,
          }[lang];
      break;
    case 'installation':
      text = { en: `${range} installation fee, once, on connection`, ru: `${range} плата за подключение, один раз при подключении`, kk: `${range} қосылу үшін төлем, қосылған кезде бір рет` }[lang];
      break;
    case 'monthly_fee': {
      const s = w.span;
      text = {
        en: `${dayRange(s.from, s.to)} monthly fee ${t(w.monthlyFee)} × ${s.days}/${s.periodDays}`,
        ru: `${dayRange(s.from, s.to)} абонентская плата ${t(w.monthlyFee)} × ${s.days}/${s.periodDays}`,
        kk: `${dayRange(s.from, s.to)} абоненттік төлем ${t(w.monthlyFee)} × ${s.days}/${s.periodDays}`,
      }[lang];
      break;
    }
    case 'third_party': {
      const s = w.span;
      const name = s.name ? ` «${s.name}»` : '';
      text = {
        en: `${dayRange(s.from, s.to)} bundled service${name} ${t(w.fee)} × ${s.days}/${s.periodDays}`,
        ru: `${dayRange(s.from, s.to)} услуга в пакете${name} ${t(w.fee)} × ${s.days}/${s.periodDays}`,
        kk: `${dayRange(s.from, s.to)} топтамадағы қызмет${name} ${t(w.fee)} × ${s.days}/${s.periodDays}`,
      }[lang];
      break;
    }
    case 'equipment': {
      const what = `${w.serial}${w.model ? ` (${w.model})` : ''}`;
      text = {
        en: `${range} equipment ${what} not returned by ${dm(w.returnBy)}: charged at its cost`,
        ru: `${range} оборудование ${what} не возвращено до ${dm(w.returnBy)}: взыскана его стоимость`,
        kk: `${range} жабдық ${what} ${dm(w.returnBy)} дейін қайтарылмады: оның құны есептелді`,
      }[lang];
      break;
    }
    case 'backbill':
      text = { en: `${range} undercharge found later, charged`, ru: `${range} доначисление выявленной недоплаты`, kk: `${range} кейін анықталған есептелмеген берешек` }[lang];
      break;
    case 'recalc':
      text = {
        en: `${dm(w.day)} ${kind(w.correctedKind)} credited back: service not provided`,
        ru: `${dm(w.day)} возврат: ${kind(w.correctedKind)}, услуга не оказана`,
        kk: `${dm(w.day)} ${kind(w.correctedKind)} қайтарылды: қызмет көрсетілмеді`,
      }[lang];
      break;
    case 'adjustment':
      text = { en: `${range} credit in the subscriber's favour`, ru: `${range} зачисление в пользу абонента`, kk: `${range} абонент пайдасына есепке алу` }[lang];
      break;
    case 'penalty': {
      const days = w.dayFrom === w.dayTo ? `${w.dayFrom}` : `${w.dayFrom}–${w.dayTo}`;
      const each = w.dayFrom === w.dayTo ? '' : { en: ' a day', ru: ' в день', kk: ' күніне' }[lang];
      text = {
        en: `${range} penalty ${percent(w.rate)} × ${t(w.unpaidPrincipal)} unpaid principal of invoice ${w.invoice}${each}, day ${days} of ${w.capDays}`,
        ru: `${range} пеня ${percent(w.rate)} × ${t(w.unpaidPrincipal)} неоплаченной суммы счёта ${w.invoice}${each}, день ${days} из ${w.capDays}`,
        kk: `${range} өсімпұл ${percent(w.rate)} × ${w.invoice} шотының төленбеген сомасы ${t(w.unpaidPrincipal)}${each}, ${w.capDays} күннің ${days}-күні`,
      }[lang];
      break;
    }
    case 'penalty_as_posted': {
      const inv = w.invoice ?? '—';
      text = {
        en: `${dm(w.day)} penalty on invoice ${inv}, as computed on the facts known then; the rule gives ${t(w.expectedNow)} for the day now`,
        ru: `${dm(w.day)} пеня по счёту ${inv}, как начислена по известным тогда фактам; по правилу сейчас за день ${t(w.expectedNow)}`,
        kk: `${dm(w.day)} ${inv} шоты бойынша өсімпұл, сол кездегі деректер бойынша; ереже бойынша қазір күніне ${t(w.expectedNow)}`,
      }[lang];
      break;
    }
    case 'penalty_corrected': {
      const inv = w.invoice ?? '—';
      text = {
        en: `${dm(w.day)} penalty on invoice ${inv} recomputed, payments counted by their value date: ${t(w.expectedNow)} for the day`,
        ru: `${dm(w.day)} пеня по счёту ${inv} пересчитана с учётом оплат по дате валютирования: ${t(w.expectedNow)} за день`,
        kk: `${dm(w.day)} ${inv} шоты бойынша өсімпұл төлемдер күнімен қайта есептелді: күніне ${t(w.expectedNow)}`,
      }[lang];
      break;
    }
    case 'penalty_recomputed': {
      const inv = w.invoice ?? '—';
      text = {
        en: `${range} penalties on invoice ${inv}: ${t(w.posted)} as computed on the facts known then, recomputed to ${t(w.now)} with payments counted by their value date`,
        ru: `${range} пени по счёту ${inv}: ${t(w.posted)} по известным тогда фактам, пересчитаны в ${t(w.now)} с учётом оплат по дате валютирования`,
        kk: `${range} ${inv} шоты бойынша өсімпұл: сол кездегі деректер бойынша ${t(w.posted)}, төлемдер күнімен ${t(w.now)} болып қайта есептелді`,
      }[lang];
      break;
    }
    case 'termination_reversal':
      text = {
        en: `${dm(w.day)} ${kind(w.correctedKind)} reversed: terminated on ${dm(w.terminatedOn)}`,
        ru: `${dm(w.day)} сторно: ${kind(w.correctedKind)}, договор расторгнут ${dm(w.terminatedOn)}`,
        kk: `${dm(w.day)} ${kind(w.correctedKind)} кері қайтарылды: шарт ${dm(w.terminatedOn)} бұзылды`,
      }[lang];
      break;
    case 'termination_credit':
      text = {
        en: `${kind(w.correctedKind)} of the days from ${dm(w.terminatedOn)} credited back: terminated on ${dm(w.terminatedOn)}`,
        ru: `возврат: ${kind(w.correctedKind)} за дни с ${dm(w.terminatedOn)}, договор расторгнут ${dm(w.terminatedOn)}`,
        kk: `${dm(w.terminatedOn)} бастап күндер үшін ${kind(w.correctedKind)} қайтарылды: шарт ${dm(w.terminatedOn)} бұзылды`,
      }[lang];
      break;
    case 'restoration_reversal':
      text = {
        en: `${dm(w.day)} port reservation reversed: service restored by a payment`,
        ru: `${dm(w.day)} сторно: бронирование порта, услуги возобновлены после оплаты`,
        kk: `${dm(w.day)} портты брондау кері қайтарылды: төлемнен кейін қызмет қалпына келтірілді`,
      }[lang];
      break;
    case 'correction':
      text = {
        en: `correction of the ${kind(w.correctedKind)} of ${dm(w.day)}`,
        ru: `корректировка: ${kind(w.correctedKind)} за ${dm(w.day)}`,
        kk: `${dm(w.day)} ${kind(w.correctedKind)} түзетілді`,
      }[lang];
      break;
    case 'payment': {
      const parts: string[] = [];
      if (w.settled.length > 0) parts.push(`${{ en: 'settled: ', ru: 'погашено: ', kk: 'өтелді: ' }[lang]}${settledList(w.settled, lang)}`);
      if (w.left > 0) parts.push(`${{ en: 'left as prepayment ', ru: 'остаток аванса ', kk: 'аванс қалдығы ' }[lang]}${t(w.left)}`);
      text = `${{ en: 'payment', ru: 'оплата', kk: 'төлем' }[lang]} ${range}${parts.length ? `: ${parts.join('; ')}` : ''}`;
      break;
    }
    case 'payment_reversed':
      text = { en: `${range} payment moved away from the account`, ru: `${range} оплата перенесена с лицевого счёта`, kk: `${range} төлем дербес шоттан ауыстырылды` }[lang];
      break;
    case 'refund':
      text = { en: `${range} prepayment paid out`, ru: `${range} возврат аванса`, kk: `${range} аванс қайтарылды` }[lang];
      break;
    case 'transfer':
      text =
        w.direction === 'in'
          ? { en: `${range} moved in from another account on request`, ru: `${range} перевод с другого лицевого счёта по заявлению`, kk: `${range} өтініш бойынша басқа дербес шоттан аударылды` }[lang]
          : { en: `${range} moved to another account on request`, ru: `${range} перевод на другой лицевой счёт по заявлению`, kk: `${range} өтініш бойынша басқа дербес шотқа аударылды` }[lang];
      break;
    case 'as_posted':
      text = { en: `${range} ${kind(line.kind)}, as posted`, ru: `${range} ${kind(line.kind)}, как начислено`, kk: `${range} ${kind(line.kind)}, есептелгендей` }[lang];
      break;
  }
  if (line.settled && line.settled.length > 0) text += `; ${{ en: 'settled: ', ru: 'погашено: ', kk: 'өтелді: ' }[lang]}${settledList(line.settled, lang)}`;
  return text;
}

/** "… (23.7)": the rule with its clause, as the statement prints it. */
export function ruleWithClause(line: ExplainLine, lang: Lang): string {
  const text = ruleText(line, lang);
  return line.why.clause ? `${text} (${line.why.clause})` : text;
}
