// A program: its figures and rules, issues and redemptions per month, the largest beneficiary and provider groups
// with their shares and HHI, redemption and lapse rates, its alert history, and a paged, searchable list of its
// vouchers or housing grants.
import { alertCard } from './alerts-common.js';
import { api, chart, chartValue, el, param, percent, section, start, t, table, unitLabel, money } from './app.js';

const id = param('id') || '';
let name = id;
const PAGE = 20;

start(() => name, async () => {
  const base = '/programs/' + encodeURIComponent(id);
  const [program, activity, alerts] = await Promise.all([api(base), api(base + '/activity'),
    api('/alerts?programId=' + encodeURIComponent(id))]);
  name = program.name;
  const cur = program.currency;
  const content = [];
  const f = program.figures;
  content.push(section('figures', t('figuresOf'), table('program-figures', t('figuresOf'),
    ['appropriated', 'committed', 'disbursed', 'paid', 'payable', 'released', 'available']
      .map((k) => ({ key: k, label: t(k), type: 'money' }))
      .concat([{ key: 'executionRate', label: t('executionRate'), type: 'rate' }]), [f], { file: id + '-figures' }),
  el('dl', { class: 'facts', id: 'program-facts' },
    el('dt', {}, t('code')), el('dd', {}, program.programId),
    el('dt', {}, t('province')), el('dd', {}, el('a', { href: '/dashboard/province.html?code=' + program.province }, program.province)),
    el('dt', {}, t('city')), el('dd', {}, program.city ?? '–'),
    el('dt', {}, t('kind')), el('dd', {}, t(program.kind)),
    el('dt', {}, t('status')), el('dd', {}, t(program.status)),
    el('dt', {}, t('redemptionRate')), el('dd', { id: 'redemption-rate' }, percent(activity.redemptionRate)),
    el('dt', {}, t('lapseRate')), el('dd', { id: 'lapse-rate' }, percent(activity.lapseRate)))));
  content.push(section('rules', t('rules'), el('dl', { class: 'facts' }, Object.entries(program.rules || {}).map(([k, v]) =>
    [el('dt', {}, k), el('dd', {}, rule(v, cur))]))));
  const months = activity.months.map((m) => ({ ...m, currency: cur }));
  const housing = program.kind === 'HOUSING_SUBSIDY';
  content.push(section('activity', t('activity'),
    chart('chart-activity', t('activity') + ' ' + unitLabel(cur), {
      xAxis: { type: 'category', data: months.map((m) => m.month) }, yAxis: { type: 'value' },
      series: housing
        ? [{ name: t('housingPaid'), type: 'bar', data: months.map((m) => chartValue(m.housingPaid, cur)) }]
        : [{ name: t('issuedValue'), type: 'bar', data: months.map((m) => chartValue(m.issuedValue, cur)) },
          { name: t('redeemedValue'), type: 'bar', data: months.map((m) => chartValue(m.redeemedValue, cur)) }],
    }),
    table('activity-table', t('activity'), [{ key: 'month', label: t('month') },
      ...(housing ? [{ key: 'grants', label: t('grants'), type: 'int' }, { key: 'housingPaid', label: t('housingPaid'), type: 'money' }]
        : [{ key: 'issued', label: t('issued'), type: 'int' }, { key: 'issuedValue', label: t('issuedValue'), type: 'money' },
          { key: 'redemptions', label: t('redemptions'), type: 'int' }, { key: 'redeemedValue', label: t('redeemedValue'), type: 'money' }])],
    months, { file: id + '-activity' })));
  if (!housing) {
    const shares = (rows) => rows.map((r) => ({ ...r, currency: cur }));
    const shareColumns = [{ key: 'group', label: t('group') }, { key: 'amount', label: t('redeemedValue'), type: 'money' },
      { key: 'share', label: t('share'), type: 'rate' }];
    content.push(section('beneficiaries', t('beneficiaries'),
      el('p', { id: 'beneficiary-hhi' }, t('hhi') + ': ' + (activity.beneficiaryHhi ?? '–')),
      table('beneficiary-table', t('beneficiaries'), shareColumns, shares(activity.beneficiaryGroups), { file: id + '-beneficiaries' })));
    content.push(section('providers', t('providers'),
      el('p', { id: 'provider-hhi' }, t('hhi') + ': ' + (activity.providerHhi ?? '–')),
      table('provider-table', t('providers'), shareColumns, shares(activity.providerGroups), { file: id + '-providers' })));
  }
  const history = [...alerts].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
  content.push(section('alert-history', t('alertHistory'), history.length
    ? el('ol', { class: 'timeline' }, history.map((a) => el('li', {}, alertCard(a)))) : el('p', {}, t('none'))));
  content.push(housing ? listing('grants', t('housingGrants'), base + '/housing-grants',
    [{ key: 'grantId', label: t('code'), type: 'link', href: (r) => '/dashboard/grant.html?id=' + encodeURIComponent(r.grantId) },
      { key: 'statusLabel', label: t('status') }, { key: 'startMonth', label: t('startMonth') },
      { key: 'monthlyRent', label: t('monthlyRent'), type: 'money' }, { key: 'committed', label: t('committed'), type: 'money' },
      { key: 'paid', label: t('paid'), type: 'money' }, { key: 'released', label: t('released'), type: 'money' },
      { key: 'grantedAt', label: t('grantedAt'), type: 'date' }], program)
    : listing('vouchers', t('vouchers'), base + '/vouchers',
      [{ key: 'voucherId', label: t('code'), type: 'link', href: (r) => '/dashboard/voucher.html?id=' + encodeURIComponent(r.voucherId) },
        { key: 'statusLabel', label: t('status') }, { key: 'faceValue', label: t('faceValue'), type: 'money' },
        { key: 'redeemed', label: t('redeemed'), type: 'money' }, { key: 'remaining', label: t('remaining'), type: 'money' },
        { key: 'issuedAt', label: t('issuedAt'), type: 'date' }, { key: 'expiresAt', label: t('expiresAt'), type: 'date' }], program));
  return content;
});

function rule(value, currency) {
  if (value && typeof value === 'object' && 'amount' in value) return money(value.amount, value.currency || currency);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A paged list with a search box; each page is one request to the API. */
function listing(key, title, path, columns, program) {
  const holder = el('div', { id: key + '-list' });
  const search = el('input', { type: 'search', id: key + '-search', name: 'q' });
  const form = el('form', { class: 'filters', role: 'search' },
    el('label', { for: key + '-search' }, t('search'), search), el('button', { type: 'submit' }, t('filter')));
  let offset = 0;
  const load = async () => {
    const q = search.value.trim();
    const page = await api(`${path}?offset=${offset}&limit=${PAGE}` + (q ? '&q=' + encodeURIComponent(q) : ''));
    const rows = page.items.map((r) => ({ ...r, currency: program.currency, province: program.province, statusLabel: t(r.status) }));
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    const current = Math.floor(offset / PAGE) + 1;
    holder.replaceChildren(table(key + '-table', title, columns, rows, { file: program.programId + '-' + key }),
      el('div', { class: 'pager' },
        el('button', { type: 'button', disabled: offset === 0, onclick: () => { offset -= PAGE; load(); } }, t('previous')),
        el('span', { id: key + '-page' }, `${current} / ${pages} (${page.total})`),
        el('button', { type: 'button', disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; load(); } }, t('next'))));
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); offset = 0; load(); });
  load();
  return section(key, title, form, holder);
}
