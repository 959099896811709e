// A voucher: status, amounts, redemptions and its history.
import { api, dateTime, el, money, param, percent, section, start, t, table } from './app.js';
import { historySection } from './history.js';

const id = param('id') || '';

start(() => t('voucher') + ' ' + id, async () => {
  const v = await api('/vouchers/' + encodeURIComponent(id));
  const cur = v.faceValue.currency;
  const facts = [
    ['code', v.voucherId], ['program', el('a', { href: '/dashboard/program.html?id=' + encodeURIComponent(v.programId) }, v.programId)],
    ['province', el('a', { href: '/dashboard/province.html?code=' + v.province }, v.province)],
    ['status', t(v.status)], ['beneficiary', v.beneficiary ? v.beneficiary.name + ' (' + v.beneficiary.id + ')' : '–'],
    ['faceValue', money(v.faceValue.amount, cur)], ['redeemed', money(v.redeemed.amount, cur)],
    ['remaining', money(v.remaining.amount, cur)], ['released', v.released ? money(v.released.amount, cur) : '–'],
    ['coverageRatio', percent(v.coverageRatio)], ['expiresAt', dateTime(v.expiresAt, v.province)],
  ];
  const redemptions = (v.redemptions || []).map((r) => ({ redemptionId: r.redemptionId, providerId: r.providerId,
    subsidy: r.subsidy.amount, currency: r.subsidy.currency, statusLabel: t(r.status) }));
  return [
    el('dl', { class: 'facts', id: 'voucher-facts' }, facts.map(([k, value]) => [el('dt', {}, t(k)), el('dd', { 'data-key': k }, value)])),
    section('redemptions', t('redemptions'), table('redemption-table', t('redemptions'), [
      { key: 'redemptionId', label: t('redemption') }, { key: 'providerId', label: t('provider') },
      { key: 'subsidy', label: t('subsidy'), type: 'money' }, { key: 'statusLabel', label: t('status') }],
    redemptions, { file: id + '-redemptions' })),
    historySection('vouchers', id, v, v.province),
  ];
});
