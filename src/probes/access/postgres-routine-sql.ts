/**
 * SQL fragments the PostgreSQL routine readers share, so that a routine is named the same way in
 * every finding (least-privilege's definer routines, app-not-superuser's superuser routines and
 * dblink's functions) and an extension's routine is told apart the same way.
 */

/** schema.name(identity arguments), each identifier quoted as it must be written: `routine` is a pg_proc alias, `namespace` a pg_namespace one. */
export function routineSignature(routine: string, namespace: string): string {
  return `quote_ident(${namespace}.nspname) || '.' || quote_ident(${routine}.proname) || '(' || pg_get_function_identity_arguments(${routine}.oid) || ')'`;
}

/** Whether the routine belongs to an extension (pg_depend 'e'): its vendor's, Azure's on Azure. */
export function isExtensionMember(routine: string): string {
  return `EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = ${routine}.oid AND d.deptype = 'e')`;
}
