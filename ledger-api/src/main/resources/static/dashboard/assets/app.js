// What every page shares: who is signed in, language and unit, calls to the JSON API (with the session and the CSRF
// cookie), exact money formatting, dates in the province's time zone, sortable tables with a CSV download, charts.
import { MESSAGES, PROVINCE_ZH } from './i18n.js';

const LANG_KEY = 'ledger.lang';
const UNIT_KEY = 'ledger.unit';
export const UNITS = { yuan: 0, wan: 4, yi: 8 };

export const state = { me: null, lang: 'en', unit: 'yuan', zones: {}, names: {} };

export function t(key) {
  return (MESSAGES[state.lang] && MESSAGES[state.lang][key]) ?? MESSAGES.en[key] ?? key;
}

export function provinceName(code) {
  if (state.lang === 'zh' && PROVINCE_ZH[code]) return PROVINCE_ZH[code];
  return state.names[code] || code;
}

/** GET a JSON answer of the API; a refusal throws an Error carrying the HTTP status. */
export async function api(path) {
  const response = await fetch('/api/v1' + path, { credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' } });
  if (response.status === 401) {
    window.location.assign('/login');
    throw Object.assign(new Error('unauthenticated'), { status: 401 });
  }
  if (!response.ok) throw Object.assign(new Error(`${response.status} ${path}`), { status: response.status });
  return response.json();
}

export function param(name) {
  return new URLSearchParams(window.location.search).get(name);
}

export function csrfToken() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
}

// ------------------------------------------------------------------------------------------------ numbers and dates

/**
 * A decimal string of the API ("12345.67") shown exactly: divided by 10^shift (the 万元 / 亿元 unit), rounded half up
 * to two decimals, grouped for the language. BigInt arithmetic, never floating point.
 */
export function decimal(text, shift = 0, decimals = 2) {
  if (text === null || text === undefined || text === '') return '–';
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.substring(1) : text).split('.');
  const scale = fraction.length + shift;
  let units = BigInt(whole + fraction);
  const drop = scale - decimals;
  if (drop > 0) {
    const divisor = 10n ** BigInt(drop);
    units = (units + divisor / 2n) / divisor;
  } else if (drop < 0) {
    units *= 10n ** BigInt(-drop);
  }
  const base = 10n ** BigInt(decimals);
  const integer = units / base;
  const rest = (units % base).toString().padStart(decimals, '0');
  const grouped = new Intl.NumberFormat(state.lang === 'zh' ? 'zh-CN' : 'en-US').format(integer);
  return (negative && units !== 0n ? '-' : '') + grouped + (decimals > 0 ? '.' + rest : '');
}

const SYMBOLS = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$' };

/** Money with its currency's symbol; CNY in the chosen unit (元, 万元, 亿元). */
export function money(amount, currency) {
  if (amount === null || amount === undefined) return '–';
  const shift = currency === 'CNY' ? UNITS[state.unit] : 0;
  return (SYMBOLS[currency] || currency + ' ') + decimal(amount, shift);
}

/** The unit suffix a CNY column header carries, e.g. "(万元)". */
export function unitLabel(currency) {
  if (currency !== 'CNY') return `(${currency})`;
  return `(${t({ yuan: 'unitYuan', wan: 'unitWan', yi: 'unitYi' }[state.unit])})`;
}

/** A ratio string "0.0740" as a percentage "7.40 %". */
export function percent(ratio) {
  if (ratio === null || ratio === undefined) return '–';
  return decimal(ratio, -2) + ' %';
}

export function zoneOf(province) {
  return state.zones[province] || 'UTC';
}

/** An instant shown in the province's time zone, with the zone's name. */
export function dateTime(iso, province) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: zoneOf(province), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export function monthOf(iso, province) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zoneOf(province), year: 'numeric', month: '2-digit' })
    .formatToParts(new Date(iso));
  return parts.find((p) => p.type === 'year').value + '-' + parts.find((p) => p.type === 'month').value;
}

// ------------------------------------------------------------------------------------------------ DOM helpers

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function section(id, title, ...children) {
  return el('section', { id, 'aria-labelledby': id + '-title' }, el('h2', { id: id + '-title' }, title), ...children);
}

export function message(text, kind = 'info') {
  return el('p', { class: 'message ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/**
 * A sortable table with a CSV download. columns: {key, label, type: text|money|rate|int|date|link, currency?,
 * province?, href?}; a money column takes the row's currency (row.currency) unless it names one. The CSV holds the
 * API's own figures (decimal strings, not the unit shown), UTF-8 with a byte order mark.
 */
export function table(id, caption, columns, rows, options = {}) {
  let sortKey = null;
  let ascending = true;
  const body = el('tbody');
  const head = el('tr');
  const tableNode = el('table', { id, class: 'figures' }, el('caption', {}, caption), el('thead', {}, head), body);
  const render = () => {
    const sorted = [...rows];
    if (sortKey) {
      const column = columns.find((c) => c.key === sortKey);
      sorted.sort((a, b) => compare(value(a, column), value(b, column), column) * (ascending ? 1 : -1));
    }
    body.replaceChildren(...sorted.map((row) => el('tr', {},
      columns.map((c) => el(c.type === 'text' || c.type === 'link' || !c.type ? 'td' : 'td',
        { class: numeric(c) ? 'num' : null, 'data-key': c.key }, cell(row, c))))));
    if (options.footer) body.append(options.footer);
  };
  for (const column of columns) {
    const button = el('button', { type: 'button', class: 'sort', 'data-sort': column.key }, column.label);
    const th = el('th', { scope: 'col', class: numeric(column) ? 'num' : null, 'aria-sort': 'none' }, button);
    button.addEventListener('click', () => {
      ascending = sortKey === column.key ? !ascending : true;
      sortKey = column.key;
      head.querySelectorAll('th').forEach((h) => h.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      render();
    });
    head.append(th);
  }
  render();
  const download = el('button', { type: 'button', class: 'csv', 'data-csv': id,
    onclick: () => downloadCsv(options.file || id, columns, rows) }, t('downloadCsv'));
  return el('div', { class: 'table-block' }, el('div', { class: 'table-wrap' }, tableNode), download);
}

function numeric(column) {
  return ['money', 'rate', 'int', 'decimal'].includes(column.type);
}

function value(row, column) {
  return column.get ? column.get(row) : row[column.key];
}

function compare(a, b, column) {
  if (numeric(column)) {
    return (a === null || a === undefined ? -Infinity : Number(a)) - (b === null || b === undefined ? -Infinity : Number(b));
  }
  return String(a ?? '').localeCompare(String(b ?? ''), state.lang === 'zh' ? 'zh-CN' : 'en');
}

function cell(row, column) {
  if (column.render) return column.render(row);
  const v = value(row, column);
  switch (column.type) {
    case 'money': return money(v, column.currency || row.currency);
    case 'rate': return percent(v);
    case 'int': return v === null || v === undefined ? '–' : decimal(String(v), 0, 0);
    case 'decimal': return v === null || v === undefined ? '–' : String(v);
    case 'date': return dateTime(v, column.province || row.province);
    case 'label': return t(v);
    case 'link': return el('a', { href: column.href(row) }, column.text ? column.text(row) : v);
    default: return v === null || v === undefined ? '–' : String(v);
  }
}

/** The table's rows as CSV: header labels, then each row's raw API values. */
export function csvText(columns, rows) {
  const quote = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
  };
  const lines = [columns.map((c) => quote(c.label + (c.type === 'money' ? ` [${c.currency || t('currency')}]` : '')))];
  for (const row of rows) lines.push(columns.map((c) => quote(value(row, c))));
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

function downloadCsv(name, columns, rows) {
  const blob = new Blob(['\uFEFF' + csvText(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name + '.csv', class: 'hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ------------------------------------------------------------------------------------------------ charts

const pendingCharts = [];

/** Draws the charts made since the last call; a chart needs its box in the page to know its size. */
function drawCharts() {
  pendingCharts.splice(0).forEach((draw) => draw());
}

/** An ECharts chart (SVG renderer, so it prints sharply) in a labelled figure, drawn once the page shows it. */
export function chart(id, title, option, height = 320) {
  const box = el('div', { id, class: 'chart', role: 'img', 'aria-label': title, style: `height:${height}px` });
  const figure = el('figure', { class: 'chart-figure' }, box, el('figcaption', {}, title));
  pendingCharts.push(() => {
    const instance = window.echarts.init(box, null, { renderer: 'svg' });
    instance.setOption({
      animation: false, aria: { enabled: true }, textStyle: { color: '#1f2933' },
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 10, right: 20, top: 40, bottom: 10, containLabel: true }, ...option,
    });
    window.addEventListener('resize', () => instance.resize());
    box.dataset.series = String(option.series.length);
  });
  return figure;
}

/** Amount strings as chart numbers in the chosen unit (a picture only; the tables carry the exact figures). */
export function chartValue(amount, currency) {
  if (amount === null || amount === undefined) return null;
  const shift = currency === 'CNY' ? UNITS[state.unit] : 0;
  return Number(amount) / 10 ** shift;
}

// ------------------------------------------------------------------------------------------------ page frame

/**
 * Sets up a page: who is signed in, the language (chosen before, or the browser's Accept-Language as the server saw
 * it), the header with navigation, language and unit switches and sign-out; then renders the page's content. A
 * switch re-renders the content in place.
 */
export async function start(titleKey, render) {
  state.me = await api('/me');
  state.lang = localStorage.getItem(LANG_KEY) || state.me.language || 'en';
  state.unit = localStorage.getItem(UNIT_KEY) || 'yuan';
  for (const place of state.me.jurisdictions) {
    state.zones[place.code] = place.zone;
    state.names[place.code] = place.name;
  }
  const main = document.getElementById('main');
  const draw = async () => {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.getElementById('header').replaceChildren(header());
    main.dataset.ready = 'false';
    main.setAttribute('aria-busy', 'true');
    main.replaceChildren(message(t('loading')));
    const title = typeof titleKey === 'function' ? titleKey() : t(titleKey);
    document.title = title + ' · ' + t('appName');
    try {
      const content = await render();
      main.replaceChildren(el('h1', {}, typeof titleKey === 'function' ? titleKey() : t(titleKey)), ...content);
      drawCharts();
      document.title = (typeof titleKey === 'function' ? titleKey() : t(titleKey)) + ' · ' + t('appName');
    } catch (error) {
      main.replaceChildren(el('h1', {}, title),
        message(error.status === 404 ? t('notFound') : t('loadFailed') + ': ' + error.message, 'error'));
    }
    main.setAttribute('aria-busy', 'false');
    main.dataset.ready = 'true';
    // The first complete render of this page, for anyone measuring it (performance.getEntriesByName).
    if (performance.getEntriesByName('ledger-ready').length === 0) performance.mark('ledger-ready');
  };
  state.redraw = draw;
  await draw();
}

function header() {
  const me = state.me;
  const officer = me.role === 'PROVINCE_OFFICER';
  const nav = el('nav', { 'aria-label': t('appName') },
    el('a', { href: officer ? '/dashboard/province.html?code=' + me.province : '/dashboard/', id: 'nav-home' },
      officer ? provinceName(me.province) : t('overview')),
    el('a', { href: '/dashboard/alerts.html', id: 'nav-alerts' }, t('alerts')),
    el('a', { href: '/dashboard/approvals.html', id: 'nav-approvals' }, t('approvals')),
    el('a', { href: '/swagger-ui/index.html', id: 'nav-api' }, t('apiDocs')));
  const language = el('select', { id: 'lang-switch', 'aria-label': t('language') },
    el('option', { value: 'zh', selected: state.lang === 'zh' }, '简体中文'),
    el('option', { value: 'en', selected: state.lang === 'en' }, 'English'));
  language.addEventListener('change', () => {
    state.lang = language.value;
    localStorage.setItem(LANG_KEY, state.lang);
    state.redraw();
  });
  const unit = el('select', { id: 'unit-switch', 'aria-label': t('unit') },
    ['yuan', 'wan', 'yi'].map((u) => el('option', { value: u, selected: state.unit === u },
      t({ yuan: 'unitYuan', wan: 'unitWan', yi: 'unitYi' }[u]))));
  unit.addEventListener('change', () => {
    state.unit = unit.value;
    localStorage.setItem(UNIT_KEY, state.unit);
    state.redraw();
  });
  const signOut = el('form', { method: 'post', action: '/logout', class: 'sign-out' },
    el('input', { type: 'hidden', name: '_csrf', value: csrfToken() }),
    el('button', { type: 'submit', id: 'sign-out' }, t('signOut')));
  return el('div', { class: 'bar' },
    el('a', { href: '/dashboard/', class: 'brand' }, t('appName')), nav,
    el('div', { class: 'controls' },
      el('span', { id: 'whoami' }, t('signedInAs') + ': ' + me.name),
      el('label', { class: 'switch' }, t('language'), language),
      el('label', { class: 'switch' }, t('unit'), unit), signOut));
}
