// National overview: every province × currency with its figures and open alerts, totals per currency, a stacked bar
// chart per currency. A province officer is sent to their own province's page.
import { api, chart, chartValue, el, provinceName, section, start, state, t, table, unitLabel } from './app.js';

const FIGURES = ['appropriated', 'committed', 'disbursed', 'paid', 'available'];

start('overview', async () => {
  if (state.me.role === 'PROVINCE_OFFICER') {
    window.location.replace('/dashboard/province.html?code=' + encodeURIComponent(state.me.province));
    return [];
  }
  const [provinces, alerts] = await Promise.all([api('/provinces'), api('/alerts?status=OPEN')]);
  const rows = [];
  for (const p of provinces.provinces) {
    for (const c of p.currencies) {
      const open = alerts.filter((a) => a.province === p.province && a.currency === c.currency);
      rows.push({ ...c, province: p.province, name: provinceName(p.province),
        critical: open.filter((a) => a.level === 'CRITICAL').length,
        warning: open.filter((a) => a.level === 'WARNING').length });
    }
  }
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  const content = [];
  const columns = [
    { key: 'name', label: t('province'), type: 'link', href: (r) => '/dashboard/province.html?code=' + r.province },
    { key: 'province', label: t('code') },
    { key: 'currency', label: t('currency') },
    ...FIGURES.map((f) => ({ key: f, label: t(f), type: 'money' })),
    { key: 'executionRate', label: t('executionRate'), type: 'rate' },
    { key: 'critical', label: t('openCritical'), type: 'int' },
    { key: 'warning', label: t('openWarning'), type: 'int' },
  ];
  content.push(section('provinces', t('byProvince'), table('province-table', t('byProvince'), columns, rows,
    { file: 'provinces' })));
  content.push(section('totals', t('totalsByCurrency'), table('totals-table', t('totalsByCurrency'), [
    { key: 'currency', label: t('currency') },
    ...FIGURES.map((f) => ({ key: f, label: t(f), type: 'money' })),
  ], currencies.map((currency) => totals(currency, rows.filter((r) => r.currency === currency))), { file: 'totals' })));
  const charts = el('div', { class: 'charts' });
  for (const currency of currencies) {
    const list = rows.filter((r) => r.currency === currency);
    const stack = ['committed', 'disbursed', 'available'];
    charts.append(chart('chart-' + currency, t('byProvince') + ' ' + unitLabel(currency), {
      xAxis: { type: 'category', data: list.map((r) => r.name) },
      yAxis: { type: 'value' },
      series: stack.map((f) => ({ name: t(f), type: 'bar', stack: 'appropriated',
        data: list.map((r) => chartValue(r[f], currency)) })),
    }));
  }
  content.push(section('charts', t('chartOf'), charts));
  return content;
});

/** Sums decimal strings exactly (in cents, as BigInt). */
function totals(currency, rows) {
  const sum = (key) => {
    const cents = rows.reduce((acc, r) => acc + BigInt(r[key].replace('.', '')), 0n);
    const s = cents.toString().padStart(3, '0');
    return s.slice(0, -2) + '.' + s.slice(-2);
  };
  const out = { currency };
  for (const f of FIGURES) out[f] = sum(f);
  return out;
}
