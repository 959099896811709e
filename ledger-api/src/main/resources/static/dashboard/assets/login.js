// The sign-in form: labels in the chosen language (or the browser's), the CSRF token from its cookie, and why the
// last attempt failed.
import { MESSAGES } from './i18n.js';

const lang = localStorage.getItem('ledger.lang') || ((navigator.language || '').startsWith('zh') ? 'zh' : 'en');
const m = MESSAGES[lang];
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
document.title = m.signIn + ' · ' + m.appName;
document.getElementById('login-title').textContent = m.signInTitle;
document.getElementById('username-label').textContent = m.username;
document.getElementById('password-label').textContent = m.password;
document.getElementById('sign-in').textContent = m.signIn;
document.getElementById('login-hint').textContent = m.demoHint;
const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
document.getElementById('csrf').value = cookie ? decodeURIComponent(cookie.substring(11)) : '';
const query = new URLSearchParams(window.location.search);
const note = query.has('error') ? m.badLogin : query.has('locked') ? m.lockedLogin : query.has('logout') ? m.loggedOut : null;
if (note) {
  const box = document.getElementById('login-message');
  box.textContent = note;
  box.classList.remove('hidden');
}
