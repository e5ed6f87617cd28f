/**
 * The citizen's page, /me (SPEC §2, §6): who read my data, when, why, under
 * which case; my cases; reads of the enterprises I represent; reporting a read
 * I do not recognise, and the data steward's answer.
 *
 * Signing in. The hub does not sign citizens in itself: a portal (a consumer
 * registered with `portal: true`) does, and hands the page a citizen JWT
 * (`role: "citizen"`, `sub`: the national ID, `consumer`: the portal's id) by
 * opening `/me#token=<jwt>`. The page reads the fragment once, before it
 * renders, keeps the token in this tab's session storage, and removes it from
 * the address with history.replaceState; a fragment is never sent to a server,
 * so no access log holds it. "Sign out" (or closing the tab) forgets it; an
 * expired token brings the sign-in back with a sentence saying so. In
 * development a token can be pasted instead (`npm run token -- --role citizen
 * --sub <national ID>` prints one).
 */
import { createRoot } from 'react-dom/client';
import { startI18n } from '../src/i18n.js';
import { takeTokenFromAddress } from './session.js';
import { MyData } from './MyData.js';
import '../src/styles.css';
import './me.css';

takeTokenFromAddress();
startI18n();
createRoot(document.getElementById('root')!).render(<MyData />);
