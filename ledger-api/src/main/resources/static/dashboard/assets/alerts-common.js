// One alert explained in plain language: which rule fired, its figures and threshold, when it was raised and cleared.
import { dateTime, el, t } from './app.js';

export function alertCard(alert) {
  const figures = Object.entries(alert.figures || {});
  return el('article', { class: 'alert-card ' + alert.level, 'data-alert': alert.alertId },
    el('h3', {}, `${t(alert.level)} · ${alert.code}` + (alert.programId ? ' · ' + alert.programId : '')),
    el('p', {}, t('rule') + ': ' + t('rule_' + alert.code)),
    el('p', {}, alert.message),
    el('dl', { class: 'facts' },
      figures.map(([k, v]) => [el('dt', {}, k === 'threshold' ? t('threshold') : k), el('dd', {}, v)]),
      el('dt', {}, t('raisedAt')), el('dd', {}, dateTime(alert.raisedAt, alert.province)),
      el('dt', {}, t('clearedAt')), el('dd', {}, alert.clearedAt ? dateTime(alert.clearedAt, alert.province) : t('open'))));
}
