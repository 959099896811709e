// A housing grant: status, schedule month by month, and its history.
import { api, el, money, param, section, start, t, table } from './app.js';
import { historySection } from './history.js';

const id = param('id') || '';

start(() => t('grant') + ' ' + id, async () => {
  const g = await api('/housing-grants/' + encodeURIComponent(id));
  const cur = g.monthlyRent.currency;
  const facts = [
    ['code', g.grantId], ['program', el('a', { href: '/dashboard/program.html?id=' + encodeURIComponent(g.programId) }, g.programId)],
    ['province', el('a', { href: '/dashboard/province.html?code=' + g.province }, g.province)],
    ['status', t(g.status)], ['recipient', g.recipient ? g.recipient.personRef + ' (' + g.recipient.category + ')' : '–'],
    ['startMonth', g.startMonth], ['monthlyRent', money(g.monthlyRent.amount, cur)],
  ];
  const months = (g.schedule || []).map((m) => ({ month: m.month, grantYear: m.grantYear, rate: m.rate,
    committed: m.committed.amount, paid: m.paid.amount, released: m.released.amount, currency: cur, statusLabel: t(m.status) }));
  return [
    el('dl', { class: 'facts', id: 'grant-facts' }, facts.map(([k, value]) => [el('dt', {}, t(k)), el('dd', { 'data-key': k }, value)])),
    section('schedule', t('schedule'), table('schedule-table', t('schedule'), [
      { key: 'month', label: t('month') }, { key: 'grantYear', label: t('fiscalYear'), type: 'int' },
      { key: 'rate', label: t('rate'), type: 'decimal' }, { key: 'committed', label: t('committed'), type: 'money' },
      { key: 'paid', label: t('paid'), type: 'money' }, { key: 'released', label: t('released'), type: 'money' },
      { key: 'statusLabel', label: t('status') }], months, { file: id + '-months' })),
    historySection('housing-grants', id, g, g.province),
  ];
});
