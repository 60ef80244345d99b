import { randomBytes } from 'node:crypto';
import { defineCheck, CannotObserve } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../../sessions/login-attempt.js';
import { passwordFor } from '../../targets/secret-store.js';

/** Wrong passwords the probe may spend: enough to trip a policy of up to four, few enough to be harmless. */
export const LOCKOUT_ATTEMPT_BUDGET = 5;
/** A refusal this slow is a deliberate delay (PostgreSQL auth_delay), not network or hashing time. */
export const DELIBERATE_DELAY_MS = 250;

export interface LockoutEvidence {
  account: string;
  attemptBudget: number;
  attemptsMade: number;
  deliberateDelayFromMs: number;
  attempts: Array<
    Pick<LoginAttemptEvidence, 'outcome' | 'serverCode' | 'elapsedMs'> & {
      /**
       * How long the application account's right password took, logging in at the same moment as
       * this wrong one: load slows both alike, so the pair shows the delay whatever the machine is
       * doing. Absent without the application's password, and in evidence from before.
       */
      pairedLoginMs?: number;
    }
  >;
  /**
   * How long the application account's successful login took over the same transport: a refusal
   * is a deliberate delay only when it is clearly slower than a login that worked, so a busy server
   * or machine cannot pass for a lockout policy.
   */
  acceptedLoginMs?: number;
  note: string;
}

/**
 * auth.lockout (intrusive): up to LOCKOUT_ATTEMPT_BUDGET wrong passwords, one after another, for
 * the declared sacrificial account. Passes when the server starts answering "locked", or when
 * every refusal comes only after a deliberate delay.
 */
export const lockout = defineCheck<LockoutEvidence>({
  id: 'auth.lockout',
  evidenceTitle: 'wrong passwords in a row',
  async read(context, signal) {
    const user = context.target.lockoutUser;
    if (!user) throw new CannotObserve('declare lockoutUser, a sacrificial account: the harness never spends wrong passwords on the application account');
    const transport = await context.loginTransport();
    const attempts: LockoutEvidence['attempts'] = [];
    const appPassword = context.target.user ? passwordFor(context.target.name) : undefined;
    for (let attempt = 0; attempt < LOCKOUT_ATTEMPT_BUDGET; attempt++) {
      // Past the deadline the control is undecided already: no further wrong password is spent.
      signal.throwIfAborted();
      // The application account logs in with its right password at the same moment: a refusal is
      // slowed on purpose only if it is slower than that login, made under the very same load.
      const [login, paired] = await Promise.all([
        attemptLogin(context.target, { user, password: `wrong-${randomBytes(12).toString('base64url')}` }, transport, IDENTITY_ONLY),
        appPassword === undefined ? undefined : attemptLogin(context.target, { user: context.target.user!, password: appPassword }, transport, IDENTITY_ONLY),
      ]);
      attempts.push({ outcome: login.outcome, serverCode: login.serverCode, elapsedMs: login.elapsedMs, ...(paired?.outcome === 'accepted' ? { pairedLoginMs: paired.elapsedMs } : {}) });
      if (login.outcome !== 'refused-by-authentication') break;
    }
    const accepted = await context.login(transport);
    return {
      account: user,
      attemptBudget: LOCKOUT_ATTEMPT_BUDGET,
      attemptsMade: attempts.length,
      deliberateDelayFromMs: DELIBERATE_DELAY_MS,
      attempts,
      ...(accepted?.outcome === 'accepted' ? { acceptedLoginMs: accepted.elapsedMs } : {}),
      note: 'a locked account may stay locked until an administrator unlocks it (MariaDB: FLUSH PRIVILEGES)',
    };
  },
  judge({ account: user, attempts, deliberateDelayFromMs, acceptedLoginMs }) {
    if (attempts.length === 0) return undecided(`no wrong password was tried for "${user}"`);
    const locked = attempts.findIndex((login) => login.outcome === 'locked');
    const last = attempts[attempts.length - 1];
    const refusals = attempts.filter((login) => login.outcome === 'refused-by-authentication');
    const fastest = Math.min(...refusals.map((login) => login.elapsedMs));
    if (locked >= 0) return passed(`"${user}" was locked after ${locked} wrong passwords (attempt ${locked + 1} answered ${attempts[locked].serverCode ?? 'locked'})`);
    if (last.outcome === 'accepted') return failed(`a wrong password for "${user}" was accepted`);
    if (last.outcome !== 'refused-by-authentication') return undecided(`attempt ${attempts.length} for "${user}" ended without an answer: ${describeLoginEnd(last, { withMessage: false })}`);
    // Each refusal is set beside a successful login, the one made at the same moment where there is
    // one (load slows both alike), else the run's one successful login, made earlier under other load.
    // A login that works does more than a refusal (the session starts), so a deliberate delay of at
    // least DELIBERATE_DELAY_MS shows as a refusal clearly later than that login: half the delay
    // later is shown delayed; within a quarter of it, or before the delay could even have run, the
    // answer came undelayed. In between, a load spike on the yardstick alone can put a delayed
    // refusal there (a hardened lab server under load: 588 ms beside a login of 518 ms, then
    // 565-664 ms beside 72-214 ms): such an answer disproves nothing, and proves nothing.
    const yardstick = (login: LockoutEvidence['attempts'][number]) => login.pairedLoginMs ?? acceptedLoginMs;
    /** How far past the login beside it a refusal must come: never sooner than the delay itself could run. */
    const laterThanLoginBy = (login: LockoutEvidence['attempts'][number], shareOfDelay: number) => {
      const success = yardstick(login);
      return success === undefined ? deliberateDelayFromMs : Math.max(deliberateDelayFromMs, success + deliberateDelayFromMs * shareOfDelay);
    };
    const delayedFrom = (login: LockoutEvidence['attempts'][number]) => laterThanLoginBy(login, 1 / 2);
    const undelayedBelow = (login: LockoutEvidence['attempts'][number]) => laterThanLoginBy(login, 1 / 4);
    const paired = refusals.every((login) => login.pairedLoginMs !== undefined);
    const compared = paired
      ? `; the application account's right password, at the same moments, took ${refusals.map((login) => login.pairedLoginMs).join(', ')} ms`
      : acceptedLoginMs === undefined
        ? ''
        : `; a successful login took ${acceptedLoginMs} ms`;
    const delayed = refusals.filter((login) => login.elapsedMs >= delayedFrom(login));
    const undelayed = refusals.filter((login) => login.elapsedMs < undelayedBelow(login));
    if (undelayed.length === 0) {
      // A slow refusal with no successful login to set beside it may be load alone: a server with
      // no delay at all answered five wrong passwords in 252-344 ms on a busy lab machine.
      const unmeasured = refusals.filter((login) => yardstick(login) === undefined).length;
      if (unmeasured > 0) {
        return undecided(
          `every one of ${refusals.length} wrong passwords for "${user}" was answered after at least ${fastest} ms, but no successful login was made to compare ${unmeasured === refusals.length ? 'them' : `${unmeasured} of them`} with, so a deliberate delay cannot be told from a slow or busy server: declare the application account's password (user and its password variable) for a login made at the same moment`,
        );
      }
      if (delayed.length === refusals.length) return passed(`every one of ${refusals.length} wrong passwords for "${user}" was answered only after a delay (at least ${fastest} ms${compared})`);
      const unclear = attempts.flatMap((login, index) =>
        login.outcome === 'refused-by-authentication' && login.elapsedMs < delayedFrom(login) ? [`attempt ${index + 1} in ${login.elapsedMs} ms beside a login of ${yardstick(login)} ms`] : [],
      );
      // Most answers shown delayed and none undelayed: a delay is what the server does. Fewer, and
      // load could have made the pattern; it is not called a delay.
      // Only beside logins made at the same moments: under no delay at all, a refusal came at most 23 ms
      // later than the right password beside it (lab PostgreSQL, 2 cores busy with 3 to 40 loops: 105
      // pairs, 11-1088 ms), while the run's one login, made at another moment, was 19-496 ms.
      if (!paired) {
        return undecided(`${refusals.length} wrong passwords for "${user}" did not lock it, and no answer came without a delay, but ${unclear.join(', ')} came later than the login by less than the ${deliberateDelayFromMs / 2} ms that shows a delay, and that login was the run's one successful login, made at another moment under other load, not one beside each wrong password: ${delayed.length} of ${refusals.length} clearly after one${compared}`);
      }
      if (delayed.length * 2 > refusals.length) {
        return passed(
          `${delayed.length} of ${refusals.length} wrong passwords for "${user}" were answered only after a delay (at least ${Math.min(...delayed.map((login) => login.elapsedMs))} ms${compared}), and none without one: ${unclear.join(', ')}, later than the login but by less than the ${deliberateDelayFromMs / 2} ms that shows a delay`,
        );
      }
      return undecided(`${refusals.length} wrong passwords for "${user}" did not lock it, and no answer came without a delay, but only ${delayed.length} clearly after one: ${unclear.join(', ')}, later than the login beside ${unclear.length === 1 ? 'it' : 'them'} by less than the ${deliberateDelayFromMs / 2} ms that shows a delay${compared}`);
    }
    if (delayed.length === 0) return failed(`${refusals.length} wrong passwords in a row for "${user}" neither locked it nor slowed the answers (fastest ${fastest} ms${compared})`);
    // Some answers were slow and some not: say which, since "neither slowed" would contradict the evidence beside it.
    const quick = attempts.flatMap((login, index) =>
      login.outcome === 'refused-by-authentication' && login.elapsedMs < undelayedBelow(login) ? [`attempt ${index + 1} in ${login.elapsedMs} ms (a delayed answer takes at least ${Math.round(delayedFrom(login))} ms here)`] : [],
    );
    const slowTimes = delayed.map((login) => login.elapsedMs);
    return failed(
      `${refusals.length} wrong passwords in a row for "${user}" did not lock it, and not every answer came after a delay: ${quick.join(', ')} (fastest ${fastest} ms${compared}); ${delayed.length} others took ${Math.min(...slowTimes)}-${Math.max(...slowTimes)} ms`,
    );
  },
});
