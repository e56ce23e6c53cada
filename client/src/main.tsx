import { render } from 'preact';
import { App } from './app.js';
import { initI18n } from './i18n.js';
import { startRouter } from './router.js';
import { loadSession } from './session.js';
import { startSpatialNav } from './spatial-nav.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/content.css';
import './styles/rooms.css';
import './styles/viewer.css';
import './styles/viewer-controls.css';
import './styles/viewer-panels.css';
import './styles/viewer-list.css';
import './styles/polls.css';
import './styles/polls-ballot.css';
import './styles/polls-staff.css';
import './styles/polls-side.css';

async function start(): Promise<void> {
  await initI18n();
  startRouter();
  startSpatialNav();
  void loadSession();
  const root = document.getElementById('app');
  if (!root) throw new Error('missing #app element');
  root.textContent = '';
  render(<App />, root);
}

void start();
