// The it catalogue: one file per area of the product; a key is area.screen.purpose.
import common from './common.js';
import layout from './layout.js';
import errors from './errors.js';
import validation from './validation.js';
import auth from './auth.js';
import signup from './signup.js';
import profile from './profile.js';
import dashboard from './dashboard.js';
import tickets from './tickets.js';
import customers from './customers.js';
import contacts from './contacts.js';
import emailSettings from './emailSettings.js';
import templates from './templates.js';
import incomingMail from './incomingMail.js';
import admin from './admin.js';
import portal from './portal.js';
import mail from './mail.js';
import defaults from './defaults.js';
import inbound from './inbound.js';
import terms from './terms.js';
import rules from './rules.js';
import ruleEngine from './ruleEngine.js';
import kb from './kb.js';
import imports from './imports.js';
import entra from './entra.js';

export default { common, layout, errors, validation, auth, signup, profile, dashboard, tickets, customers, contacts, emailSettings, templates, incomingMail, admin, portal, mail, defaults, inbound, terms, rules, ruleEngine, kb, imports, entra };
