/** The writers' room styles (on top of the proposals styles it reuses). */
import '../proposals/styles.js';
import './writers.css';
import './detail.css';
import './actions.css';
