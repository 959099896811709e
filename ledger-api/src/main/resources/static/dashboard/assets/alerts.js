// Alerts: filter by province, level, code, open or cleared; each explained with its rule, figures and threshold.
import { alertCard } from './alerts-common.js';
import { api, el, param, provinceName, section, start, t, table } from './app.js';

const CODES = ['COMMITMENT_HIGH', 'EXHAUSTION_FORECAST', 'LOW_REDEMPTION', 'LAPSE_RATE', 'ESCALATING_SUPPORT',
  'FORWARD_LIABILITY', 'PAYMENT_ARREARS', 'BENEFICIARY_CONCENTRATION', 'PROVIDER_CONCENTRATION'];

start('alerts', async () => {
  const wanted = { province: param('province') || '', level: param('level') || '', code: param('code') || '',
    status: param('status') || '' };
  const query = new URLSearchParams();
  if (wanted.province) query.set('province', wanted.province);
  if (wanted.status) query.set('status', wanted.status);
  const [provinces, all] = await Promise.all([api('/provinces'), api('/alerts?' + query)]);
  const alerts = all.filter((a) => (!wanted.level || a.level === wanted.level) && (!wanted.code || a.code === wanted.code));
  const select = (name, options) => el('label', { for: 'filter-' + name }, t(name),
    el('select', { id: 'filter-' + name, name }, el('option', { value: '' }, t('any')),
      options.map(([value, label]) => el('option', { value, selected: wanted[name] === value }, label))));
  const filters = el('form', { class: 'filters', method: 'get', action: '/dashboard/alerts.html', id: 'alert-filters' },
    select('province', provinces.provinces.map((p) => [p.province, provinceName(p.province)])),
    select('level', ['WARNING', 'CRITICAL'].map((l) => [l, t(l)])),
    select('code', CODES.map((c) => [c, c])),
    select('status', [['OPEN', t('open')], ['CLEARED', t('cleared')]]),
    el('button', { type: 'submit', id: 'filter-apply' }, t('apply')));
  const rows = alerts.map((a) => ({ ...a, levelLabel: t(a.level), provinceLabel: provinceName(a.province),
    rule: t('rule_' + a.code) }));
  return [
    filters,
    section('alert-list', t('alerts') + ` (${alerts.length})`,
      table('alert-table', t('alerts'), [
        { key: 'raisedAt', label: t('raisedAt'), type: 'date' }, { key: 'clearedAt', label: t('clearedAt'), type: 'date' },
        { key: 'provinceLabel', label: t('province') }, { key: 'programId', label: t('program') },
        { key: 'levelLabel', label: t('level') }, { key: 'code', label: t('code') }, { key: 'message', label: t('explanation') }],
      rows, { file: 'alerts' }),
      el('div', {}, alerts.map(alertCard))),
  ];
});
