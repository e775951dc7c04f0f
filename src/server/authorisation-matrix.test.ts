/**
 * The authorisation matrix (issue 11): every route of the running app (its route table, API and
 * pages), tried by everyone who might knock: nobody, the professional who owns the fixture's signal,
 * a colleague in the same organisation, that organisation's coordinator, a professional and a
 * coordinator of another organisation, the organisation's record system without a professional,
 * each kind of municipality staff, a revoked API client, a professional whose organisation's
 * covenant is suspended, and a deactivated professional. What each of them gets is written in the
 * one table below; a route the table does not name fails the suite, so a new endpoint cannot ship
 * without its row.
 *
 * The outcomes:
 *   ok   let in: anything but the refusals below (200, 201, 204, a redirect elsewhere, and for a
 *        write the 400/409/422 its probe body earns: see below)
 *   400  refused as a bad request before any handler: the record system without Sluis-Professional-Id
 *        on a professional's route, a form without the field that says what to do, a required query
 *        parameter missing (an allowed caller's probe can get it too: the matrix notes it as it is)
 *   401  unauthenticated (API; a page form posted with a session that ended)
 *   403  forbidden     404  not found (also: not yours)
 *   in   sent to sign in (a page: 303 to /inloggen)
 *   -    not tried: a web session for an API-only identity (the record system, the revoked client)
 *
 * The API identities send a token (and Sluis-Professional-Id where they act for a professional); the
 * page identities a signed-in session, made through the real sign-in pages before the covenant was
 * suspended or the professional deactivated. Paths with an id take real ids of a small fixture: the
 * owner's signal, their match with a partner organisation (so the other organisation is outside it),
 * their case consultation, a rights request, the owner organisation and its covenant, and spare
 * professionals, staff members and API clients for the forms that act without fields.
 *
 * Writes change nothing the matrix relies on: an API write carries a body with an unknown field,
 * which the schema refuses (422) after the caller is authenticated and before a handler runs, so
 * for API writes the matrix checks the caller and its role, and ownership is checked on the reads
 * (the write services' own ownership checks are in their tests, e.g. api-clients/authorisation.test.ts);
 * a page form is posted with its CSRF token and no fields, which every form refuses as incomplete, and
 * the few forms without fields point at things the fixture can spare. Runs on PGlite only: it
 * exercises the HTTP layer's checks over ~250 routes × 13 callers, which do not differ between the
 * engines, and the services' queries behind them run on both engines in their own tests.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { cookiesOf, createWebAccount, csrfIn, type InjectSession, signInByInject, webAdministrator } from '../test-support/web.ts';

const WHO = [
  'anon',
  'owner',
  'colleague',
  'coord',
  'other',
  'otherCoord',
  'system',
  'admin',
  'officer',
  'privacy',
  'revoked',
  'suspended',
  'deactivated',
] as const;
type Who = (typeof WHO)[number];
type Outcome = 'ok' | '400' | '401' | '403' | '404' | 'in' | '-';

/**
 * Route → outcome per caller, in the order of WHO: non(e) own(er) col(league) c(oo)rd(inator) oth(er organisation's
 * professional) o(ther) c(oor)d(inator) sys(tem: the record system for its organisation) adm(inistrator) (escalation)
 * off(icer) pr(i)v(acy officer) rev(oked client) sus(pended covenant) dea(ctivated professional).
 * After a change, `SLUIS_MATRIX_PRINT=1` prints the rows as observed, to compare (never to paste unread).
 */
// biome-ignore format: a table, one row per route, one column per caller
const MATRIX: Record<string, string> = {
  //                                                                          non own col crd oth ocd sys adm off prv rev sus dea
  // The API: a token (and Sluis-Professional-Id when acting for a professional)
  'GET /api/v1/openapi.json':                                                'ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok',
  'POST /api/v1/signals':                                                    '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/signals':                                                     '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/signals/search':                                             '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/signals/:id':                                                 '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'POST /api/v1/signals/:id/end':                                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/signals/:id/extend':                                         '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/signals/:id/bsn':                                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/signals/:id/informing':                                      '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/signals/:id/information-letter':                              '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'GET /api/v1/matches':                                                     '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/matches/:id':                                                 '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'GET /api/v1/organisations':                                               '401 ok  ok  ok  ok  ok  ok  ok  ok  ok  401 403 ok',
  'GET /api/v1/organisations/:id':                                           '401 ok  ok  ok  ok  ok  ok  ok  ok  ok  401 403 ok',
  'POST /api/v1/organisations':                                              '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PATCH /api/v1/organisations/:id':                                         '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/organisations/:id/covenants':                                 '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/organisations/:id/covenants':                                '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PATCH /api/v1/covenants/:id':                                             '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/covenants/:id/suspend':                                      '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/covenants/:id/resume':                                       '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/covenants/:id/end':                                          '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/organisations/:id/professionals':                             '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/organisations/:id/professionals':                            '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PATCH /api/v1/professionals/:id':                                         '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/professionals/:id/web-invitation':                           '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/organisations/:id/api-clients':                               '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/organisations/:id/api-clients':                              '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/api-clients/:id/revoke':                                     '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/api-clients/:id/tokens':                                     '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/api-clients/:id/tokens/:tokenId/revoke':                     '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/settings':                                                    '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PATCH /api/v1/settings':                                                  '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/audit-events':                                                '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/audit-events/search':                                        '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/setup':                                                      'ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok',
  'POST /api/v1/staff-members':                                              '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PATCH /api/v1/staff-members/:id':                                         '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/events':                                                      '401 ok  ok  ok  ok  ok  ok  403 403 403 401 403 ok',
  'GET /api/v1/webhook-subscriptions':                                       '401 ok  ok  ok  ok  ok  ok  403 403 403 401 403 ok',
  'POST /api/v1/webhook-subscriptions':                                      '401 ok  ok  ok  ok  ok  ok  403 403 403 401 403 ok',
  'POST /api/v1/webhook-subscriptions/:id/rotate-secret':                    '401 404 404 404 404 404 404 403 403 403 401 403 404',
  'DELETE /api/v1/webhook-subscriptions/:id':                                '401 404 404 404 404 404 404 403 403 403 401 403 404',
  'GET /api/v1/deliveries':                                                  '401 ok  ok  ok  ok  ok  ok  ok  403 403 401 403 ok',
  'POST /api/v1/deliveries/:id/retry':                                       '401 400 400 400 400 400 400 400 403 403 401 403 400',
  'GET /api/v1/dev-mailbox':                                                 '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'GET /api/v1/matches/:id/coordination':                                    '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'POST /api/v1/matches/:id/coordination':                                   '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/matches/:id/contact':                                        '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/escalations':                                                 '401 403 403 403 403 403 403 403 ok  403 401 403 403',
  'GET /api/v1/escalations/:matchId':                                        '401 403 403 403 403 403 403 403 404 403 401 403 403',
  'POST /api/v1/escalations/:matchId/appoint':                               '401 403 403 403 403 403 403 403 ok  403 401 403 403',
  'POST /api/v1/escalations/:matchId/resolve':                               '401 403 403 403 403 403 403 403 ok  403 401 403 403',
  'GET /api/v1/follow-up':                                                   '401 403 403 403 403 403 403 400 400 403 401 403 403',
  'POST /api/v1/case-consultations':                                         '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/case-consultations':                                          '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/case-consultations/:id':                                      '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'PATCH /api/v1/case-consultations/:id':                                    '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/participants':                        '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'DELETE /api/v1/case-consultations/:id/participants/:participantId':       '401 404 404 404 404 404 400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/declaration':                         '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/decline':                             '401 ok  404 404 404 404 400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/consents':                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/reasoning':                           '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/informing':                           '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/sharings':                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/meetings':                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'PUT /api/v1/case-consultations/:id/meetings/:meetingId/attendees':        '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/action-points':                       '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/action-points/:actionPointId/done':   '401 404 404 404 404 404 400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/identify':                            '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/case-consultations/:id/close':                               '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'GET /api/v1/case-consultation-figures':                                   '401 403 403 403 403 403 403 400 400 403 401 403 403',
  'GET /api/v1/rights-requests':                                             '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests':                                            '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/rights-requests/:id':                                         '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests/:id/status':                                 '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests/:id/extension':                              '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests/:id/decision':                               '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests/:id/letter':                                 '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/signals/:id/rights-requests':                                '401 ok  ok  ok  ok  ok  400 403 403 403 401 403 403',
  'POST /api/v1/rights-requests/:id/execution':                              '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/rights-requests/:id/restriction-lifting':                    '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/rights-requests/:id/inspection':                              '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/rights-requests/:id/inspection-letter':                       '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/municipality-contacts':                                       '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'PUT /api/v1/municipality-contacts/:municipalityCode':                     '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'DELETE /api/v1/municipality-contacts/:municipalityCode':                  '401 403 403 403 403 403 403 404 403 403 401 403 403',
  'GET /api/v1/excluded-addresses':                                          '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/excluded-addresses':                                         '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'POST /api/v1/excluded-addresses/import':                                  '401 403 403 403 403 403 403 ok  403 403 401 403 403',
  'DELETE /api/v1/excluded-addresses/:id':                                   '401 403 403 403 403 403 403 400 403 403 401 403 403',
  'GET /api/v1/data-breaches':                                               '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/data-breaches':                                              '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/data-breaches/:id':                                           '401 403 403 403 403 403 403 404 403 404 401 403 403',
  'PATCH /api/v1/data-breaches/:id':                                         '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'POST /api/v1/data-breaches/:id/notices':                                  '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/processing-activities':                                       '401 403 403 403 403 403 403 ok  403 ok  401 403 403',
  'GET /api/v1/audit-events/logbook':                                        '401 403 403 403 403 403 403 400 403 400 401 403 403',
  'GET /api/v1/policy-figures':                                              '401 403 403 403 403 403 403 400 403 400 401 403 403',
  // The pages: a signed-in session (the record system and the revoked client have none)
  'GET /assets/utrecht-tokens.css':                                          'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/utrecht-components.css':                                      'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/sluis.css':                                                   'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/sluis.js':                                                    'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/icon.svg':                                                    'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/icon-192.png':                                                'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/icon-512.png':                                                'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /manifest.webmanifest':                                               'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /sw.js':                                                              'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /assets/thema.css':                                                   'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /inloggen':                                                           'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'POST /inloggen':                                                          'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'GET /inloggen/code':                                                      'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   in  in',
  'POST /inloggen/code':                                                     'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'GET /inloggen/koppelen':                                                  'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   in  in',
  'POST /inloggen/koppelen':                                                 'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'POST /sessie/verlengen':                                                  '401 ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'POST /uitloggen':                                                         'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /account':                                                            'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   in  in',
  'GET /account/mail':                                                       'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   in  in',
  'POST /account/overal-uitloggen':                                          'in  in  in  in  in  in  -   in  in  in  -   401 401',
  'GET /wachtwoord/vergeten':                                                'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'POST /wachtwoord/vergeten':                                               'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'GET /wachtwoord/instellen':                                               'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'POST /wachtwoord/instellen':                                              'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   401 401',
  'GET /inrichten':                                                          '404 404 404 404 404 404 -   404 404 404 -   404 404',
  'POST /inrichten':                                                         '404 404 404 404 404 404 -   404 404 404 -   401 401',
  'GET /offline':                                                            'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /privacy':                                                            'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /toegankelijkheid':                                                   'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /':                                                                   'in  ok  ok  ok  ok  ok  -   ok  ok  ok  -   in  in',
  'GET /signalen/nieuw':                                                     'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'POST /signalen/nieuw':                                                    'in  ok  ok  ok  ok  ok  -   403 403 403 -   401 401',
  'GET /signalen':                                                           'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'GET /signalen/zoeken':                                                    'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'POST /signalen/zoeken':                                                   'in  ok  ok  ok  ok  ok  -   403 403 403 -   401 401',
  'GET /signalen/:id':                                                       'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /signalen/:id/beeindigen':                                            'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/:id/beeindigen':                                           'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /matches/:id':                                                        'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /matches/:id/regie/opschalen':                                        'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /matches/:id/regie/overdragen':                                       'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /matches/:id/regie':                                                 'in  400 404 404 404 404 -   403 403 403 -   401 401',
  'GET /matches/:id/contact':                                                'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /matches/:id/contact':                                               'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen':                                                    'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'GET /casusoverleggen/:id':                                                'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /casusoverleggen/:id/verslag':                                        'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /casusoverleggen/:id/verslag/pdf':                                    'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /casusoverleggen/:id/informatietekst':                                'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/verklaring':                                    'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'POST /casusoverleggen/:id/afwijzen':                                      'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/nieuw':                                              'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'POST /casusoverleggen/nieuw':                                             'in  ok  ok  ok  ok  ok  -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/toestemming':                                    'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/toestemming':                                   'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/afweging':                                       'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/afweging':                                      'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/informeren':                                     'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/informeren':                                    'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/delen':                                          'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/delen':                                         'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/bijeenkomst':                                    'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/bijeenkomst':                                   'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/actiepunt':                                      'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/actiepunt':                                     'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/bijeenkomsten/:meetingId/aanwezig':              'in  404 404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/bijeenkomsten/:meetingId/aanwezig':             'in  404 404 404 404 404 -   403 403 403 -   401 401',
  'POST /casusoverleggen/:id/actiepunten/:actionPointId/klaar':              'in  404 404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/deelnemer':                                      'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/deelnemer':                                     'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/voorzitter':                                     'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/voorzitter':                                    'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/op-naam':                                        'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/op-naam':                                       'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/deelnemers/:participantId/verwijderen':          'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/deelnemers/:participantId/verwijderen':         'in  404 404 404 404 404 -   403 403 403 -   401 401',
  'GET /casusoverleggen/:id/afsluiten':                                      'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /casusoverleggen/:id/afsluiten':                                     'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /organisaties':                                                       'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'GET /organisaties/:id':                                                   'in  ok  ok  ok  ok  ok  -   403 403 403 -   in  in',
  'GET /hulp':                                                               'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /signalen/:id/verlengen':                                             'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/:id/verlengen':                                            'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /signalen/:id/bsn':                                                   'in  404 404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/:id/bsn':                                                  'in  404 404 404 404 404 -   403 403 403 -   401 401',
  'GET /signalen/:id/informeren':                                            'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/:id/informeren':                                           'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /signalen/:id/informatiebrief':                                       'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /signalen/:id/informatiebrief.pdf':                                   'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'GET /signalen/nieuw-ongeboren':                                           'in  404 404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/nieuw-ongeboren':                                          'in  404 404 404 404 404 -   403 403 403 -   401 401',
  'GET /signalen/:id/verzoek':                                               'in  ok  404 404 404 404 -   403 403 403 -   in  in',
  'POST /signalen/:id/verzoek':                                              'in  ok  404 404 404 404 -   403 403 403 -   401 401',
  'GET /organisatie':                                                        'in  403 403 ok  403 ok  -   403 403 403 -   in  in',
  'GET /organisatie/professionals':                                          'in  403 403 ok  403 ok  -   403 403 403 -   in  in',
  'POST /organisatie/professionals':                                         'in  403 403 ok  403 ok  -   403 403 403 -   401 401',
  'POST /organisatie/professionals/:id/uitnodigen':                          'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/professionals/:id/deactiveren':                          'in  403 403 ok  403 404 -   403 403 403 -   in  in',
  'POST /organisatie/professionals/:id/deactiveren':                         'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/professionals/:id/tweede-factor':                        'in  403 403 ok  403 404 -   403 403 403 -   in  in',
  'POST /organisatie/professionals/:id/tweede-factor':                       'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/professionals/:id/overdragen':                           'in  403 403 ok  403 404 -   403 403 403 -   in  in',
  'POST /organisatie/professionals/:id/overdragen':                          'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/profiel':                                                'in  403 403 ok  403 ok  -   403 403 403 -   in  in',
  'POST /organisatie/profiel':                                               'in  403 403 ok  403 ok  -   403 403 403 -   401 401',
  'GET /organisatie/koppelingen':                                            'in  403 403 ok  403 ok  -   403 403 403 -   in  in',
  'POST /organisatie/koppelingen/sleutels':                                  'in  403 403 ok  403 ok  -   403 403 403 -   401 401',
  'GET /organisatie/koppelingen/sleutels/:id/intrekken':                     'in  403 403 ok  403 404 -   403 403 403 -   in  in',
  'POST /organisatie/koppelingen/sleutels/:id/intrekken':                    'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/koppelingen/sleutels/:id/vervangen':                     'in  403 403 ok  403 404 -   403 403 403 -   in  in',
  'POST /organisatie/koppelingen/sleutels/:id/vervangen':                    'in  403 403 ok  403 404 -   403 403 403 -   401 401',
  'GET /organisatie/koppelingen/sleutels/:id/oud/:tokenId/intrekken':        'in  403 403 404 403 404 -   403 403 403 -   in  in',
  'POST /organisatie/koppelingen/sleutels/:id/oud/:tokenId/intrekken':       'in  403 403 404 403 404 -   403 403 403 -   401 401',
  'POST /organisatie/koppelingen/webhooks':                                  'in  403 403 ok  403 ok  -   403 403 403 -   401 401',
  'POST /organisatie/koppelingen/webhooks/:id/geheim':                       'in  403 403 404 403 404 -   403 403 403 -   401 401',
  'GET /organisatie/koppelingen/webhooks/:id/verwijderen':                   'in  403 403 404 403 404 -   403 403 403 -   in  in',
  'POST /organisatie/koppelingen/webhooks/:id/verwijderen':                  'in  403 403 404 403 404 -   403 403 403 -   401 401',
  'GET /organisatie/afleveringen':                                           'in  403 403 ok  403 ok  -   403 403 403 -   in  in',
  'POST /organisatie/afleveringen/:id/opnieuw':                              'in  403 403 404 403 404 -   403 403 403 -   401 401',
  'GET /beheer':                                                             'in  403 403 403 403 403 -   ok  ok  403 -   in  in',
  'GET /beheer/mailbox':                                                     'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/organisaties/:id/convenant/:covenantId/regie':               'in  403 403 403 403 403 -   400 403 403 -   401 401',
  'GET /beheer/organisaties':                                                'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'GET /beheer/organisaties/nieuw':                                          'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/organisaties/nieuw':                                         'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/organisaties/:id':                                            'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'GET /beheer/organisaties/:id/bewerken':                                   'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/organisaties/:id/bewerken':                                  'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'POST /beheer/organisaties/:id/convenant':                                 'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/organisaties/:id/convenant/:covenantId/beeindigen':           'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/organisaties/:id/convenant/:covenantId/:action':             'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'POST /beheer/organisaties/:id/professionals/:professionalId/coordinator': 'in  403 403 403 403 403 -   404 403 403 -   401 401',
  'POST /beheer/organisaties/:id/professionals/:professionalId/uitnodigen':  'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/organisaties/:id/coordinator-uitnodigen':                     'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/organisaties/:id/coordinator-uitnodigen':                    'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/instellingen':                                                'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/instellingen':                                               'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/instellingen/regie':                                          'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/instellingen/regie':                                         'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/instellingen/privacy':                                        'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/instellingen/privacy':                                       'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/verhuizingen':                                                'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/verhuizingen':                                               'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'POST /beheer/verhuizingen/verwijderen':                                   'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/uitgesloten-adressen':                                        'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/uitgesloten-adressen':                                       'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'POST /beheer/uitgesloten-adressen/inlezen':                               'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'POST /beheer/uitgesloten-adressen/verwijderen':                           'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/medewerkers':                                                 'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/medewerkers':                                                'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/medewerkers/:id':                                             'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/medewerkers/:id':                                            'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/medewerkers/:id/deactiveren':                                 'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/medewerkers/:id/deactiveren':                                'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/medewerkers/:id/tweede-factor':                               'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/medewerkers/:id/tweede-factor':                              'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/audit':                                                       'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'GET /beheer/audit/export':                                                'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'GET /beheer/persoon':                                                     'in  403 403 403 403 403 -   ok  403 403 -   in  in',
  'POST /beheer/persoon':                                                    'in  403 403 403 403 403 -   ok  403 403 -   401 401',
  'GET /beheer/datalekken':                                                  'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /beheer/datalekken/nieuw':                                            'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'POST /beheer/datalekken/nieuw':                                           'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'GET /beheer/datalekken/:id':                                              'in  403 403 403 403 403 -   404 403 404 -   in  in',
  'POST /beheer/datalekken/:id/beoordeling':                                 'in  403 403 403 403 403 -   404 403 404 -   401 401',
  'POST /beheer/datalekken/:id/ap':                                          'in  403 403 403 403 403 -   404 403 404 -   401 401',
  'POST /beheer/datalekken/:id/personen':                                    'in  403 403 403 403 403 -   404 403 404 -   401 401',
  'POST /beheer/datalekken/:id/partners':                                    'in  403 403 403 403 403 -   404 403 404 -   401 401',
  'GET /beheer/beleidscijfers':                                              'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /beheer/beleidscijfers/export':                                       'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /beheer/verwerkingsregister':                                         'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /beheer/verwerkingsregister/logboek':                                 'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /regie':                                                              'in  403 403 403 403 403 -   403 ok  403 -   in  in',
  'GET /regie/matches/:id':                                                  'in  403 403 403 403 403 -   403 404 403 -   in  in',
  'POST /regie/matches/:id/regisseur':                                       'in  403 403 403 403 403 -   403 404 403 -   401 401',
  'POST /regie/matches/:id/afsluiten':                                       'in  403 403 403 403 403 -   403 404 403 -   401 401',
  'GET /regie/opvolging':                                                    'in  403 403 403 403 403 -   ok  ok  403 -   in  in',
  'GET /privacy/verzoeken':                                                  'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /privacy/verzoeken/nieuw':                                            'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'POST /privacy/verzoeken/nieuw':                                           'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'GET /privacy/verzoeken/:id':                                              'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'GET /privacy/verzoeken/:id/inzage/:format':                               'in  403 403 403 403 403 -   ok  403 ok  -   in  in',
  'POST /privacy/verzoeken/:id/in-behandeling':                              'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/afhandelen':                                  'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/verlengen':                                   'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/besluit':                                     'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/uitvoeren':                                   'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/beperking-opheffen':                          'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'POST /privacy/verzoeken/:id/brief':                                       'in  403 403 403 403 403 -   ok  403 ok  -   401 401',
  'GET /health':                                                             'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  'GET /ready':                                                              'ok  ok  ok  ok  ok  ok  -   ok  ok  ok  -   ok  ok',
  // Only the monitoring system's own bearer token (SLUIS_METRICS_TOKEN) reads the metrics: no user or record system does.
  'GET /metrics':                                                            '401 401 401 401 401 401 -   401 401 401 -   401 401',
};

type Fixture = {
  t: TestApp;
  api: Record<Who, Record<string, string>>;
  web: Partial<Record<Who, InjectSession>>;
  anonymous: { cookie: string; csrf: string };
  ids: Record<string, string>;
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let f: Fixture;

before(async () => {
  database = await createTestDatabase('pglite');
  const t = await createTestApp(database, { metricsToken: 'metrics-token-of-the-matrix-0123456789abcdef' });
  const [a, b, partner, paused] = [await t.organisation(), await t.organisation(), await t.organisation(), await t.organisation()];
  const colleague = await t.colleague(a);
  const coordinator = await t.colleague(a);
  const otherCoordinator = await t.colleague(b);
  const deactivated = await t.colleague(a);
  // Things the forms without fields act on, so that acting on them changes nothing the other rows use.
  const spareProfessional = await t.colleague(a);
  const dismissedProfessional = await t.colleague(a);
  const spareStaff = await t.services.staff.create(t.admin, { name: 'Reserve', email: `r-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
  const dismissedStaff = await t.services.staff.create(t.admin, {
    name: 'Vertrekt',
    email: `v-${randomUUID()}@gemeente.example`,
    roles: ['escalation_officer'],
  });
  const spareClient = await t.services.apiClients.createForOrganisation(t.admin, a.id, 'spare record system');
  const spareWebClient = await t.services.apiClients.createForOrganisation(t.admin, a.id, 'another spare record system');
  await t.services.db
    .updateTable('professionals')
    .set({ coordinator: true })
    .where('id', 'in', [coordinator.professionalId, otherCoordinator.professionalId])
    .execute();
  const officer = await t.services.staff.create(t.admin, { name: 'Functionaris', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
  const privacy = await t.services.staff.create(t.admin, { name: 'Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
  const revokedClient = await t.services.apiClients.createForOrganisation(t.admin, a.id, 'old record system');
  await t.services.apiClients.revoke(t.admin, revokedClient.id);

  // The owner's signal, matched by the partner organisation's (the other organisation is outside the match).
  const bsn = randomBsn();
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
  assert.equal(filed.statusCode, 201, filed.body);
  const partnered = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: partner.headers, payload: adultSignal(bsn) });
  assert.equal(partnered.statusCode, 201, partnered.body);
  const matchId: string = partnered.json().match.id;
  const consultation = await t.app.inject({
    method: 'POST',
    url: '/api/v1/case-consultations',
    headers: a.headers,
    payload: { kind: 'identifying', purpose: 'Afstemmen', consultationOn: '2026-03-10', legalTask: 'Jeugdhulp', link: { matchId } },
  });
  assert.equal(consultation.statusCode, 201, consultation.body);
  const rightsRequest = await t.app.inject({
    method: 'POST',
    url: '/api/v1/rights-requests',
    headers: t.adminHeaders,
    payload: {
      person: { identifiedBy: 'bsn', bsn, dateOfBirth: '1980-05-17' },
      kind: 'inspection',
      receivedOn: '2026-03-10',
      through: 'person',
      requester: 'person',
      identityCheck: 'id_document_seen',
    },
  });
  assert.equal(rightsRequest.statusCode, 201, rightsRequest.body);

  const as = (organisation: TestOrganisation, professionalId: string) => ({
    authorization: `Bearer ${organisation.token}`,
    'sluis-professional-id': professionalId,
  });
  const staffHeaders = (token: string) => ({ authorization: `Bearer ${token}` });
  const api: Fixture['api'] = {
    anon: {},
    owner: a.headers,
    colleague: colleague.headers,
    coord: coordinator.headers,
    other: b.headers,
    otherCoord: otherCoordinator.headers,
    system: { authorization: `Bearer ${a.token}` },
    admin: t.adminHeaders,
    officer: staffHeaders(officer.token),
    privacy: staffHeaders(privacy.token),
    revoked: { authorization: `Bearer ${revokedClient.token}`, 'sluis-professional-id': a.professionalId },
    suspended: paused.headers,
    deactivated: as(a, deactivated.professionalId),
  };
  const session = async (holder: { professionalId: string } | { staffMemberId: string }) => signInByInject(t, await createWebAccount(t, holder));
  const web: Fixture['web'] = {
    owner: await session({ professionalId: a.professionalId }),
    colleague: await session({ professionalId: colleague.professionalId }),
    coord: await session({ professionalId: coordinator.professionalId }),
    other: await session({ professionalId: b.professionalId }),
    otherCoord: await session({ professionalId: otherCoordinator.professionalId }),
    admin: await signInByInject(t, await webAdministrator(t)),
    officer: await session({ staffMemberId: officer.id }),
    privacy: await session({ staffMemberId: privacy.id }),
    suspended: await session({ professionalId: paused.professionalId }),
    deactivated: await session({ professionalId: deactivated.professionalId }),
  };
  // Only now: their sessions were made while they could still sign in.
  await t.services.covenants.transition(t.admin, paused.covenantId, 'suspend', 'Matrix');
  await t.services.professionals.update(t.admin, deactivated.professionalId, { active: false });

  const start = await t.app.inject({ method: 'GET', url: '/inloggen' });
  const anonymous = { cookie: cookiesOf(start.headers['set-cookie']).join('; '), csrf: csrfIn(start.body) };
  const ids = {
    signal: filed.json().signal.id as string,
    match: matchId,
    consultation: consultation.json().id as string,
    rightsRequest: rightsRequest.json().id as string,
    organisation: a.id,
    covenant: a.covenantId,
    professional: spareProfessional.professionalId,
    dismissedProfessional: dismissedProfessional.professionalId,
    apiClient: spareClient.id,
    webApiClient: spareWebClient.id,
    staffMember: spareStaff.id,
    dismissedStaff: dismissedStaff.id,
  };
  f = { t, api, web, anonymous, ids };
});

after(async () => {
  await f?.t.close();
  await database?.drop();
});

/** The value for each path parameter: the fixture's thing of that kind, or a fresh uuid where the matrix needs none. */
function urlOf(route: { url: string }): string {
  const { ids } = f;
  const byPrefix: [RegExp, string][] = [
    [/^\/(api\/v1\/signals|signalen)\/:id/, ids.signal!],
    [/^\/(api\/v1\/matches|matches|regie\/matches)\/:id/, ids.match!],
    [/^\/api\/v1\/escalations\/:matchId/, ids.match!],
    [/^\/(api\/v1\/case-consultations|casusoverleggen)\/:id/, ids.consultation!],
    [/^\/(api\/v1\/rights-requests|privacy\/verzoeken)\/:id/, ids.rightsRequest!],
    [/^\/(api\/v1\/organisations|beheer\/organisaties|organisaties)\/:id/, ids.organisation!],
    [/^\/api\/v1\/covenants\/:id/, ids.covenant!],
    [/^\/(api\/v1\/professionals|organisatie\/professionals)\/:id/, ids.professional!],
    [/^\/organisatie\/professionals\/:id\/deactiveren/, ids.dismissedProfessional!],
    [/^\/beheer\/medewerkers\/:id\/deactiveren/, ids.dismissedStaff!],
    [/^\/api\/v1\/api-clients\/:id/, ids.apiClient!],
    [/^\/organisatie\/koppelingen\/sleutels\/:id/, ids.webApiClient!],
    [/^\/(api\/v1\/staff-members|beheer\/medewerkers)\/:id/, ids.staffMember!],
  ];
  const first = byPrefix.find(([pattern]) => pattern.test(route.url))?.[1];
  let used = false;
  return route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'covenantId') return ids.covenant!;
    if (name === 'professionalId') return ids.professional!;
    if (name === 'format') return 'json';
    // A covenant step that needs a reason: the empty form is refused before anything changes.
    if (name === 'action') return 'opschorten';
    if (name === 'municipalityCode') return '0599';
    if (!used && first) {
      used = true;
      return first;
    }
    return randomUUID();
  });
}

function outcomeOf(response: LightMyRequestResponse): Outcome {
  const status = response.statusCode;
  if (status === 303 && String(response.headers.location ?? '').startsWith('/inloggen')) return 'in';
  if (status === 400 || status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  return 'ok';
}

/** Sessions end last: signing out (everywhere) would take the session the following routes use. */
const ENDS_SESSION = ['POST /account/overal-uitloggen', 'POST /uitloggen'];

async function tryRoute(method: string, url: string, who: Who): Promise<Outcome> {
  const isApi = url.startsWith('/api/');
  const target = urlOf({ url });
  if (isApi) {
    const write = method !== 'GET';
    const response = await f.t.app.inject({
      method: method as 'GET',
      url: target,
      headers: { ...f.api[who], ...(write && { 'content-type': 'application/json' }) },
      ...(write && { payload: JSON.stringify({ matrixProbe: true }) }),
    });
    return outcomeOf(response);
  }
  const session = f.web[who];
  if (who !== 'anon' && !session) return '-';
  const cookie = session?.cookie ?? f.anonymous.cookie;
  if (method === 'GET') return outcomeOf(await f.t.app.inject({ method: 'GET', url: target, headers: { cookie } }));
  const response = await f.t.app.inject({
    method: method as 'POST',
    url: target,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session?.csrf ?? f.anonymous.csrf }).toString(),
  });
  return outcomeOf(response);
}

test('every route of the app has its row in the authorisation matrix, and every caller gets what the row says', async () => {
  const routes = f.t.app.routeTable.map((route) => `${route.method} ${route.url}`);
  const missing = routes.filter((route) => !(route in MATRIX));
  const stale = Object.keys(MATRIX).filter((route) => !routes.includes(route));
  const ordered = [...routes].sort((x, y) => ENDS_SESSION.indexOf(x) - ENDS_SESSION.indexOf(y));
  const observed: Record<string, string> = {};
  const wrong: string[] = [];
  for (const route of ordered) {
    const [method, url] = route.split(' ') as [string, string];
    const cells: Outcome[] = [];
    for (const who of WHO) cells.push(await tryRoute(method, url, who));
    observed[route] = cells.join(' ');
    const expected = MATRIX[route]?.trim().split(/\s+/);
    if (!expected) continue;
    WHO.forEach((who, i) => {
      if (expected[i] !== cells[i]) wrong.push(`${route}: ${who} expected ${expected[i]}, got ${cells[i]}`);
    });
  }
  if (process.env.SLUIS_MATRIX_PRINT === '1') {
    for (const route of routes)
      console.log(
        `  '${route}': '${observed[route]!.split(' ')
          .map((c) => c.padEnd(3))
          .join(' ')
          .trimEnd()}',`,
      );
  }
  assert.deepEqual(missing, [], `routes without a row in the authorisation matrix (add one, with the outcome for every caller):\n${missing.join('\n')}`);
  assert.deepEqual(stale, [], 'rows for routes the app no longer has');
  assert.deepEqual(wrong, [], 'callers who got something else than the matrix says');
});
