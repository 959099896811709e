// A voucher's or grant's history, a page at a time: from GET /{kind}/{id}/history?after=&limit= when the ledger has it,
// otherwise from the view's own history array (the same entries), paged here.
import { api, el, section, t, table } from './app.js';

const PAGE = 20;

export function historySection(kind, id, view, province) {
  const holder = el('div', { id: 'history-list' });
  const pages = [null]; // the "after" of each page seen so far
  let index = 0;
  let paged = true;
  const show = (entries, hasNext) => {
    const rows = entries.map((e) => ({ ...e, province, details: JSON.stringify(e.data ?? {}) }));
    holder.replaceChildren(table('history-table', t('history'), [
      { key: 'globalIndex', label: '#', type: 'int' }, { key: 'eventTime', label: t('eventTime'), type: 'date' },
      { key: 'type', label: t('eventType') }, { key: 'principal', label: t('principal') },
      { key: 'details', label: t('details') }], rows, { file: id + '-history' }),
    el('div', { class: 'pager' },
      el('button', { type: 'button', disabled: index === 0, onclick: () => { index--; load(); } }, t('previous')),
      el('span', { id: 'history-page' }, String(index + 1)),
      el('button', { type: 'button', disabled: !hasNext, onclick: () => { index++; load(); } }, t('next'))));
  };
  const load = async () => {
    if (paged) {
      try {
        const after = pages[index];
        const page = await api(`/${kind}/${encodeURIComponent(id)}/history?limit=${PAGE}` + (after === null ? '' : '&after=' + after));
        pages[index + 1] = page.next;
        show(page.items, page.next !== null && page.next !== undefined);
        return;
      } catch (error) {
        if (error.status !== 404) throw error;
        paged = false; // this ledger has no paged history yet: page the view's array
      }
    }
    const all = view.history || [];
    show(all.slice(index * PAGE, (index + 1) * PAGE), (index + 1) * PAGE < all.length);
  };
  load();
  return section('history', t('history'), holder);
}

