/** The proposals screens' styles, imported once by the pages that show proposals. */
import '../styles/proposals.css';
import './cards.css';
import './votes.css';
import './form.css';
import './detail.css';
