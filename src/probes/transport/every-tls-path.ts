import type { Check } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { worstOf } from '../../controls/verdict.js';
import type { TlsNegotiation } from '../../targets/target.js';
import type { DirectTlsEvidence } from '../../tls/direct-tls.js';

/** The evidence of a transport check on each path to TLS the server accepts. */
export interface PathsEvidence<Evidence> {
  /** PostgreSQL: whether direct TLS is a second way in; absent for MySQL, which has one path. */
  directTls?: DirectTlsEvidence;
  paths: Array<{ negotiation: TlsNegotiation; evidence: Evidence }>;
}

const PATH_NAME: Record<TlsNegotiation, string> = { postgres: 'SSLRequest path', direct: 'direct TLS path' };

/**
 * A transport check judged on every way into TLS: PostgreSQL 17+ also accepts TLS as the very first
 * bytes (direct TLS, ALPN "postgresql"), a second handshake with its own settings. The control
 * fails if either path fails; a server that does not accept direct TLS is judged on the SSLRequest
 * path alone, and the evidence says so; when that could not be told, a pass is only undecided.
 */
export function onEveryTlsPath<Evidence, C extends Check<Evidence>>(check: C & Check<Evidence>): Omit<C, 'read' | 'judge' | 'shown'> & Check<PathsEvidence<Evidence>> {
  const { read, judge, shown, ...rest } = check;
  return {
    // Whatever else the check carries (its TLS version, its time budget) stays.
    ...rest,
    async read(context, signal) {
      const [directTls, primary] = await Promise.all([context.directTls(), read(context, signal)]);
      const paths: PathsEvidence<Evidence>['paths'] = [{ negotiation: 'postgres', evidence: primary }];
      if (directTls?.outcome === 'accepted') paths.push({ negotiation: 'direct', evidence: await read(context.onPath('direct'), signal) });
      return { ...(directTls ? { directTls } : {}), paths };
    },
    judge({ directTls, paths }, target) {
      const judged = paths.map(({ negotiation, evidence }) => ({ negotiation, judgement: judge(evidence, target) }));
      if (!directTls) return judged[0].judgement;
      const verdict = worstOf(judged.map(({ judgement }) => judgement.verdict))!;
      const reasons = judged.length === 1 ? judged[0].judgement.reason : judged.map(({ negotiation, judgement }) => `${PATH_NAME[negotiation]}: ${judgement.reason}`).join(' | ');
      // How the direct ClientHello was answered is in the evidence (directTls); repeated in every transport reason it buried the finding.
      if (directTls.outcome === 'not-accepted') return { verdict: verdict as Judgement['verdict'], reason: `${reasons} (direct TLS is not accepted, so the SSLRequest path is the only way in)` };
      if (directTls.outcome === 'undecided' && verdict === 'passed') return undecided(`${reasons}; but whether the server also accepts direct TLS could not be told (${directTls.reason})`);
      return verdict === 'passed' ? passed(reasons) : verdict === 'failed' ? failed(reasons) : undecided(reasons);
    },
    shown: ({ directTls, paths }) => ({
      ...(directTls ? { directTls } : {}),
      paths: paths.map(({ negotiation, evidence }) => ({ path: PATH_NAME[negotiation], evidence: shown ? shown(evidence) : evidence })),
    }),
  };
}
