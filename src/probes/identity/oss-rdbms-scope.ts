/** The audience of Entra ID access tokens for Azure Database for PostgreSQL and MySQL. */
export const OSS_RDBMS_AUDIENCE = 'https://ossrdbms-aad.database.windows.net';

/** The scope a client asks Entra ID for to log in to Azure Database for PostgreSQL and MySQL. */
export const OSS_RDBMS_SCOPE = `${OSS_RDBMS_AUDIENCE}/.default`;
