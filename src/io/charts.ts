// The month report's charts: vega-lite specifications compiled and rendered to SVG in Node (no
// browser, no canvas: vega's headless view), drawn into the PDF by svg-to-pdfkit. Amounts reach a
// chart as tenge numbers for plotting only; every figure printed as text comes from the reports.
import type { TopLevelSpec } from 'vega-lite';
import { toTengeString, type Tiyn } from '../domain/money.js';
import type { DayTotals, StatusCounts } from '../domain/reports/month.js';
import type { AgeBucket } from '../domain/reports/aging.js';
import { dayOfMonth, type IsoDate } from '../domain/dates.js';

/** The fonts of the PDF (DejaVu, as the invoice): the SVG names the family, the PDF maps it to its embedded font. */
export const CHART_FONT = 'DejaVu Sans';

const plot = (tiyn: Tiyn) => Number(toTengeString(tiyn));

const CONFIG = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: { labelLimit: 0, labelFontSize: 8, titleFontSize: 8, grid: true, gridColor: '#e6e6e6', domainColor: '#999999', tickColor: '#999999' },
  legend: { labelFontSize: 8, titleFontSize: 8, orient: 'top' as const, title: null, labelLimit: 0, columns: 2 },
  title: { fontSize: 9, anchor: 'start' as const, fontWeight: 'bold' as const },
};

/** Charges (service and penalties) and payments of each day of the month. */
export function chargesPaymentsSpec(days: readonly DayTotals[], width = 470, height = 120): TopLevelSpec {
  const values = days.flatMap((d) => [
    { day: dayOfMonth(d.day), series: 'Есептелді / Начислено', tenge: plot(d.charges + d.penalties) },
    { day: dayOfMonth(d.day), series: 'Төленді / Оплачено', tenge: plot(d.payments) },
  ]);
  return {
    width,
    height,
    config: CONFIG,
    title: 'Күн сайынғы есептеулер мен төлемдер, ₸ / Начисления и оплаты по дням, ₸',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: 'Күні / День', axis: { labelAngle: 0 } },
      xOffset: { field: 'series' },
      y: { field: 'tenge', type: 'quantitative', title: null, axis: { format: ',.0f' } },
      color: { field: 'series', type: 'nominal', scale: { range: ['#4c78a8', '#59a14f'] } },
    },
  };
}

const BUCKET_TITLES: Record<AgeBucket, string> = {
  not_due: 'Мерзімі келмеген / Не наступил',
  d1_30: '1–30',
  d31_60: '31–60',
  d61_90: '61–90',
  over_90: '> 90',
};

/** Unpaid principal by age at the end of the month, penalties as their own bar. */
export function agingSpec(buckets: Record<AgeBucket, Tiyn>, penalties: Tiyn, width = 210, height = 120): TopLevelSpec {
  const values = [
    ...(Object.keys(BUCKET_TITLES) as AgeBucket[]).map((b, i) => ({ bucket: BUCKET_TITLES[b], order: i, tenge: plot(buckets[b]), what: 'principal' })),
    { bucket: 'Өсімпұл / Пени', order: 5, tenge: plot(penalties), what: 'penalties' },
  ];
  return {
    width,
    height,
    config: CONFIG,
    title: 'Қарыз мерзімі бойынша, ₸ / Долг по срокам, ₸',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'bucket', type: 'nominal', sort: { field: 'order' }, title: null },
      x: { field: 'tenge', type: 'quantitative', title: null, axis: { format: ',.0f', tickCount: 4 } },
      color: { field: 'what', type: 'nominal', scale: { range: ['#e15759', '#f28e2b'] }, legend: null },
    },
  };
}

/** Accounts active, suspended and terminated at the end of each day. */
export function statusSpec(status: readonly ({ day: IsoDate } & StatusCounts)[], width = 210, height = 120): TopLevelSpec {
  const names: Record<keyof StatusCounts, string> = { active: 'Белсенді / Активны', suspended: 'Тоқтатылған / Приостановлены', terminated: 'Бұзылған / Расторгнуты' };
  const values = status.flatMap((s) => (Object.keys(names) as (keyof StatusCounts)[]).map((k, i) => ({ day: dayOfMonth(s.day), status: names[k], order: i, accounts: s[k] })));
  return {
    width,
    height,
    config: CONFIG,
    title: 'Шоттар күйі бойынша / Счета по статусу',
    data: { values },
    mark: { type: 'area' },
    encoding: {
      x: { field: 'day', type: 'quantitative', title: 'Күні / День', scale: { nice: false } },
      y: { field: 'accounts', type: 'quantitative', stack: 'zero', title: null },
      color: { field: 'status', type: 'nominal', sort: Object.values(names), scale: { range: ['#59a14f', '#edc948', '#bab0ac'] } },
      order: { field: 'order' },
    },
  };
}

/** A vega-lite specification as SVG text, rendered headless. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  // vega is large: loaded only when a chart is drawn
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
