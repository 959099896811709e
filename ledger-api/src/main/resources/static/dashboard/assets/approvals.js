// Four eyes: the approval requests of the caller's scope, pending first; a second person approves or rejects here.
import { api, csrfToken, el, message, param, provinceName, section, start, state, t, table } from './app.js';

const STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'];

/** POST to the API with the session's CSRF token; answers the JSON body, or throws with the problem's detail. */
async function post(path, body) {
  const response = await fetch('/api/v1' + path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest',
      'X-XSRF-TOKEN': csrfToken() },
    body: JSON.stringify(body || {}),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(json.detail || String(response.status)), { code: json.code });
  return json;
}

function age(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  return days > 0 ? `${days}${t('daysShort')} ${hours}${t('hoursShort')}` : `${hours}${t('hoursShort')}`;
}

/** Approve and reject buttons for a pending request the caller may decide (not its maker, not an auditor). */
function decide(request, outcome) {
  const me = state.me;
  if (request.status !== 'PENDING' || me.role === 'AUDITOR') return '–';
  const approve = el('button', { type: 'button', class: 'approve', 'data-approve': request.requestId,
    disabled: request.maker === me.name, title: request.maker === me.name ? t('ownRequest') : null }, t('approve'));
  const reason = el('input', { type: 'text', class: 'reason', 'aria-label': t('reason'), placeholder: t('reason'),
    'data-reason': request.requestId, maxlength: 200 });
  const reject = el('button', { type: 'button', class: 'reject', 'data-reject': request.requestId }, t('reject'));
  const act = async (path, body) => {
    try {
      await post('/approvals/' + request.requestId + path, body);
      await state.redraw();
    } catch (error) {
      outcome.replaceChildren(message((error.code ? error.code + ': ' : '') + error.message, 'error'));
    }
  };
  approve.addEventListener('click', () => act('/approval'));
  reject.addEventListener('click', () => act('/rejection', { reason: reason.value.trim() || t('rejectedHere') }));
  return el('span', { class: 'decide' }, approve, reason, reject);
}

start('approvals', async () => {
  const wanted = { status: param('status') || 'PENDING', province: param('province') || '' };
  const query = new URLSearchParams();
  if (wanted.status) query.set('status', wanted.status);
  if (wanted.province) query.set('province', wanted.province);
  const [provinces, requests] = await Promise.all([api('/provinces'), api('/approvals?' + query)]);
  const select = (name, options) => el('label', { for: 'filter-' + name }, t(name),
    el('select', { id: 'filter-' + name, name },
      name === 'province' ? el('option', { value: '' }, t('any')) : null,
      options.map(([value, label]) => el('option', { value, selected: wanted[name] === value }, label))));
  const filters = el('form', { class: 'filters', method: 'get', action: '/dashboard/approvals.html',
    id: 'approval-filters' },
    select('status', STATUSES.map((s) => [s, t('request_' + s)])),
    select('province', provinces.provinces.map((p) => [p.province, provinceName(p.province)])),
    el('button', { type: 'submit', id: 'filter-apply' }, t('apply')));
  const outcome = el('div', { id: 'approval-outcome', role: 'status' });
  const rows = requests.map((r) => ({ ...r, currency: r.amount.currency, amountValue: r.amount.amount,
    actionLabel: t('action_' + r.action), statusLabel: t('request_' + r.status), provinceLabel: provinceName(r.province),
    ageLabel: age(r.ageSeconds) }));
  return [
    filters,
    outcome,
    section('approval-list', t('approvals') + ` (${requests.length})`,
      table('approval-table', t('approvals'), [
        { key: 'requestedAt', label: t('requestedAt'), type: 'date' },
        { key: 'provinceLabel', label: t('province') },
        { key: 'programId', label: t('program'), type: 'link', href: (r) => '/dashboard/program.html?id=' + r.programId },
        { key: 'actionLabel', label: t('action') },
        { key: 'amountValue', label: t('amount'), type: 'money' },
        { key: 'maker', label: t('maker') },
        { key: 'ageLabel', label: t('age') },
        { key: 'expiresAt', label: t('expiresAt'), type: 'date' },
        { key: 'statusLabel', label: t('status') },
        { key: 'checker', label: t('checker') },
        { key: 'requestId', label: t('decision'), get: (r) => r.requestId, render: (r) => decide(r, outcome) }],
      rows, { file: 'approvals' })),
  ];
});
