import { defineCheck } from '../check.js';
import { judgeAllowlist, judgeNoBanner } from './exposure-judgements.js';
import { judgePrivateEndpoint } from './private-endpoint-judgement.js';

/** network.allowlist: denied vantage points are kept out before login, allowed ones get through. */
export const allowlist = defineCheck({
  id: 'network.allowlist',
  evidenceTitle: 'what each vantage point saw',
  read: (context) => context.vantageObservations(),
  judge: judgeAllowlist,
});

/** network.no-banner: denied vantage points hear not one byte from the server. */
export const noBanner = defineCheck({
  id: 'network.no-banner',
  evidenceTitle: 'what each vantage point saw',
  read: (context) => context.vantageObservations(),
  judge: judgeNoBanner,
});

/** network.private-endpoint: the host name resolves to private addresses only. */
export const privateEndpoint = defineCheck({
  id: 'network.private-endpoint',
  evidenceTitle: 'every answer for the host name',
  read: (context) => context.resolution(),
  judge: judgePrivateEndpoint,
});
