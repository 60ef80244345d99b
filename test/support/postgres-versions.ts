import { SYSTEM_POSTGRES_MAJOR, missingPostgresBuilds, pinnedPostgresBuilds, postgresCacheRoot } from '../../src/lab/postgres-versions.js';

/**
 * Which pinned PostgreSQL builds a test may start. In CI (CI=true) a missing build is a failure,
 * since CI fetches them first (.ci/run); on a developer's machine the tests for it are skipped
 * with the command that fetches it.
 */
export interface VersionAvailability {
  present: number[];
  missing: number[];
  /** Set when some are missing: what to run to get them. */
  message?: string;
  /** True when a missing build must fail the run rather than skip. */
  required: boolean;
}

export function postgresVersionAvailability(): VersionAvailability {
  const pinned = Object.keys(pinnedPostgresBuilds()).map(Number);
  const missing = missingPostgresBuilds();
  const present = pinned.filter((major) => !missing.includes(major));
  const message =
    missing.length === 0
      ? undefined
      : `PostgreSQL ${missing.join(', ')} (pinned in lab-versions.json) not in the version cache ${postgresCacheRoot()}: run scripts/fetch-postgres-versions.sh`;
  return { present, missing, message, required: process.env.CI === 'true' };
}

/** One PostgreSQL a lab test runs on: the skip reason when its build is missing, and the startLocalServer option that picks it. */
export interface LabPostgresMajor {
  major: number;
  skip?: string;
  versionOption: { postgresVersion?: number };
}

/** The machine's PostgreSQL and the given pinned majors (by default the oldest and newest), for tests that must hold on each. */
export function labPostgresMajors(others: readonly number[] = [13, 18]): LabPostgresMajor[] {
  const availability = postgresVersionAvailability();
  return [SYSTEM_POSTGRES_MAJOR, ...others].map((major) => ({
    major,
    skip: major !== SYSTEM_POSTGRES_MAJOR && !availability.present.includes(major) ? (availability.message ?? `PostgreSQL ${major} is not pinned`) : undefined,
    versionOption: major === SYSTEM_POSTGRES_MAJOR ? {} : { postgresVersion: major },
  }));
}
