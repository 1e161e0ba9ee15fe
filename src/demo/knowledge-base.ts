// The demo's knowledge base: three categories and ten articles in Italian and English, made
// by the domain verbs as a technician writes them — most for everyone, one for signed-in
// contacts, one only for Rossi Impianti, one still a draft.
import type { Em } from '../db/orm.js';
import { actingAs, actorOf } from '../domain/actor.js';
import { Customer } from '../domain/customer/customer.js';
import { KbCategory } from '../domain/kb/article.js';
import { createArticle, createCategory } from '../domain/kb/articles.js';
import { Technician } from '../domain/technician/technician.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import type { DemoStep } from './seed.js';

interface DemoArticle { title: string; language: 'it' | 'en'; visibility?: 'everyone' | 'contacts' | 'customers'; status?: 'draft' | 'published'; body: string }

const CATEGORIES: Array<{ name: string; description: string; articles: DemoArticle[] }> = [
  {
    name: 'Rete e VPN', description: 'Collegarsi all’ufficio da casa e dai cantieri. / Connecting to the office from anywhere.', articles: [
      { title: 'Collegarsi alla VPN dell’ufficio', language: 'it', body: 'Per lavorare da casa serve la VPN.\n\n## Installare il client\n\nScarica il client dal portale e installalo.\n\n## Primo accesso\n\nUsa le credenziali che ti abbiamo inviato per email.\n\n## Se la connessione cade\n\nControlla la rete Wi-Fi e riavvia il client. Perché succede? Spesso la linea è lenta.\n\n## Chi contattare\n\nApri un ticket dal portale.' },
      { title: 'Connecting to the office VPN', language: 'en', body: 'Working from home needs the VPN.\n\n## Install the client\n\nDownload the client and install it.\n\n## First sign-in\n\nUse the credentials we emailed you.\n\n## When the connection drops\n\nCheck the Wi-Fi and restart the client.' },
      { title: 'Indirizzo del gateway VPN di Rossi Impianti', language: 'it', visibility: 'customers', body: 'Il gateway VPN di **Rossi Impianti** è `vpn.rossi.demo.test`, porta 443.\n\nNon condividere questo indirizzo fuori dall’azienda.' },
      { title: 'Wi-Fi per gli ospiti', language: 'it', visibility: 'contacts', body: 'La rete **Ospiti** è separata da quella aziendale. La password cambia ogni lunedì: chiedila in reception.' },
    ],
  },
  {
    name: 'Stampanti', description: 'Stampanti, etichettatrici e scanner. / Printers, label printers and scanners.', articles: [
      { title: 'La stampante non stampa', language: 'it', body: '1. Controlla che sia accesa e collegata alla rete.\n2. Guarda se ci sono fogli inceppati.\n3. Riavvia la stampante.\n\nSe il problema resta, apri un ticket con il modello della stampante.' },
      { title: 'Printer shows as offline', language: 'en', body: 'A printer that shows **offline** has usually lost its network address.\n\n- Restart the printer\n- Remove and add it again in *Settings > Printers*\n\nSee also [the vendor’s guide](https://support.example.com/printers).' },
      { title: 'Sostituire il toner', language: 'it', status: 'draft', body: 'Bozza: aggiungere le foto dei passaggi.' },
    ],
  },
  {
    name: 'Account ed email', description: 'Password, caselle di posta, accesso al portale. / Passwords, mailboxes, portal access.', articles: [
      { title: 'Reimpostare la password del portale', language: 'it', body: 'Dalla pagina di accesso scegli **Password dimenticata?**, inserisci la tua email e segui il link che ricevi. Il link vale un’ora.' },
      { title: 'Resetting your portal password', language: 'en', body: 'On the sign-in page choose **Forgot password?**, enter your email and follow the link you receive. The link is valid for one hour.' },
      { title: 'Configurare la posta su smartphone', language: 'it', body: '## iPhone\n\nImpostazioni > Posta > Account > Aggiungi account.\n\n## Android\n\nApri Gmail > Aggiungi un altro indirizzo email > Exchange.\n\n## Impostazioni del server\n\nServer IMAP `imap.demo.test`, porta 993, SSL.' },
      { title: 'Setting up email on a phone', language: 'en', body: '## iPhone\n\nSettings > Mail > Accounts > Add Account.\n\n## Android\n\nOpen Gmail > Add another address > Exchange.\n\n## Server settings\n\nIMAP server `imap.demo.test`, port 993, SSL.' },
    ],
  },
];

export function knowledgeBaseSteps(): DemoStep[] {
  return [{
    name: 'a knowledge base of 3 categories and 11 articles (Italian and English)',
    async run(em: Em, tenant: Tenant): Promise<boolean> {
      if (await em.count(KbCategory, {})) return false;
      const author = await em.findOneOrFail(Technician, { role: 'admin' }, { orderBy: { id: 'asc' } });
      const rossi = await em.findOne(Customer, { name: 'Rossi Impianti' });
      await actingAs(actorOf(author), async () => {
        for (const [position, c] of CATEGORIES.entries()) {
          const category = await createCategory(em, tenant, { name: c.name, description: c.description, position: position * 10 });
          for (const a of c.articles) {
            const visibility = a.visibility === 'customers' && !rossi ? 'contacts' : (a.visibility ?? 'everyone');
            await createArticle(em, tenant, {
              title: a.title, body: a.body, category: category.id, language: a.language, status: a.status ?? 'published',
              visibility, customers: rossi ? [rossi.id] : [],
            });
          }
        }
      });
      return true;
    },
  }];
}
