// A province: the SPEC §5 budget by city and by kind, the burn-up of the last 24 months (from the series endpoint),
// forward liabilities by fiscal year, open alerts explained, and its programs.
import { alertCard } from './alerts-common.js';
import { api, chart, chartValue, el, monthOf, param, provinceName, section, start, t, table, unitLabel } from './app.js';

const FIGURES = ['appropriated', 'committed', 'disbursed', 'paid', 'payable', 'released', 'available'];
const code = (param('code') || '').toUpperCase();

start(() => provinceName(code) + ' (' + code + ')', async () => {
  const path = '/provinces/' + encodeURIComponent(code);
  const [budget, series, programs, alerts] = await Promise.all([
    api(path + '/budget'), api(path + '/budget/series?interval=month'),
    api('/programs?province=' + encodeURIComponent(code)), api('/alerts?status=OPEN&province=' + encodeURIComponent(code)),
  ]);
  const content = [];
  const figureColumns = FIGURES.map((f) => ({ key: f, label: t(f), type: 'money' }));
  for (const c of budget.currencies) {
    const cur = c.currency;
    const withCurrency = (rows) => rows.map((r) => ({ ...r, currency: cur }));
    content.push(section('budget-' + cur, t('figuresOf') + ' · ' + cur, table('budget-table-' + cur, t('total'), [
      { key: 'currency', label: t('currency') }, ...figureColumns,
      { key: 'executionRate', label: t('executionRate'), type: 'rate' }], [c], { file: code + '-' + cur + '-budget' })));
    const cities = withCurrency(c.byCity).map((r) => ({ ...r, city: r.city ?? '–' }));
    const kinds = withCurrency(c.byKind).map((r) => ({ ...r, kindLabel: t(r.kind) }));
    content.push(section('by-city-' + cur, t('byCity') + ' · ' + cur,
      table('city-table-' + cur, t('byCity'), [{ key: 'city', label: t('city') }, ...figureColumns,
        { key: 'executionRate', label: t('executionRate'), type: 'rate' }], cities, { file: code + '-' + cur + '-cities' }),
      el('div', { class: 'charts' },
        chart('chart-city-' + cur, t('byCity') + ' ' + unitLabel(cur), stacked(cities.map((r) => r.city), cities, cur)),
        chart('chart-kind-' + cur, t('byKind') + ' ' + unitLabel(cur), stacked(kinds.map((r) => r.kindLabel), kinds, cur)))));
    content.push(section('by-kind-' + cur, t('byKind') + ' · ' + cur,
      table('kind-table-' + cur, t('byKind'), [{ key: 'kindLabel', label: t('kind') }, ...figureColumns,
        { key: 'executionRate', label: t('executionRate'), type: 'rate' }], kinds, { file: code + '-' + cur + '-kinds' })));
    content.push(burnUp(series, cur));
    const liabilities = c.forwardLiabilities.map((l) => ({ ...l, currency: cur }));
    content.push(section('liabilities-' + cur, t('forwardLiabilities') + ' · ' + cur,
      table('liability-table-' + cur, t('forwardLiabilities'), [{ key: 'year', label: t('fiscalYear') },
        { key: 'amount', label: t('amount'), type: 'money' }], liabilities, { file: code + '-' + cur + '-liabilities' }),
      chart('chart-liabilities-' + cur, t('forwardLiabilities') + ' ' + unitLabel(cur), {
        xAxis: { type: 'category', data: liabilities.map((l) => String(l.year)) }, yAxis: { type: 'value' },
        series: [{ name: t('amount'), type: 'bar', data: liabilities.map((l) => chartValue(l.amount, cur)) }],
      }, 260)));
  }
  content.push(section('open-alerts', t('openAlerts'),
    alerts.length ? el('div', {}, alerts.map(alertCard)) : el('p', {}, t('none'))));
  const programRows = programs.programs.map((p) => ({ ...p.figures, programId: p.programId, name: p.name,
    kindLabel: t(p.kind), city: p.city ?? '–', statusLabel: t(p.status), currency: p.currency }));
  content.push(section('programs', t('programs'), table('program-table', t('programs'), [
    { key: 'name', label: t('name'), type: 'link', href: (r) => '/dashboard/program.html?id=' + encodeURIComponent(r.programId) },
    { key: 'programId', label: t('code') }, { key: 'kindLabel', label: t('kind') }, { key: 'city', label: t('city') },
    { key: 'statusLabel', label: t('status') }, { key: 'currency', label: t('currency') }, ...figureColumns,
    { key: 'executionRate', label: t('executionRate'), type: 'rate' }], programRows, { file: code + '-programs' })));
  return content;
});

function stacked(categories, rows, currency) {
  return {
    xAxis: { type: 'category', data: categories }, yAxis: { type: 'value' },
    series: ['committed', 'disbursed', 'available'].map((f) => ({ name: t(f), type: 'bar', stack: 'appropriated',
      data: rows.map((r) => chartValue(r[f], currency)) })),
  };
}

/** Appropriated against committed + disbursed, disbursed and paid, at the end of each month. */
function burnUp(series, currency) {
  const rows = series.points.map((point) => {
    const c = point.currencies.find((x) => x.currency === currency);
    const zero = '0.00';
    return { at: point.asOf, province: series.province, month: monthOf(new Date(Date.parse(point.asOf) - 1), series.province), currency,
      appropriated: c ? c.appropriated : zero, committed: c ? c.committed : zero,
      disbursed: c ? c.disbursed : zero, paid: c ? c.paid : zero,
      committedDisbursed: c ? addCents(c.committed, c.disbursed) : zero };
  });
  const line = (key) => ({ name: t(key), type: 'line', data: rows.map((r) => chartValue(r[key], currency)) });
  return section('burn-up-' + currency, t('burnUp') + ' · ' + currency,
    chart('chart-burnup-' + currency, t('burnUp') + ' ' + unitLabel(currency), {
      xAxis: { type: 'category', data: rows.map((r) => r.month) }, yAxis: { type: 'value' },
      series: [line('appropriated'), line('committedDisbursed'), line('disbursed'), line('paid')],
    }),
    table('burnup-table-' + currency, t('burnUp'), [{ key: 'at', label: t('eventTime'), type: 'date' },
      { key: 'month', label: t('month') }, ...['appropriated', 'committed', 'disbursed', 'paid', 'committedDisbursed']
        .map((f) => ({ key: f, label: t(f), type: 'money' }))], rows, { file: series.province + '-' + currency + '-burn-up' }));
}

function addCents(a, b) {
  const s = (BigInt(a.replace('.', '')) + BigInt(b.replace('.', ''))).toString().padStart(3, '0');
  return s.slice(0, -2) + '.' + s.slice(-2);
}
