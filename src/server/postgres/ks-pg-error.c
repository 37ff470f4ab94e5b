/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-error.c: libpq's failures as KS_ERROR GErrors (see ks-pg-error.h). */
#include "postgres/ks-pg-error.h"

#include "ks-error.h"

#include <string.h>

gboolean
ks_pg_sqlstate_is_retryable (const char *sqlstate)
{
  return sqlstate != NULL &&
         (strcmp (sqlstate, KS_PG_SERIALIZATION_FAILURE) == 0 ||
          strcmp (sqlstate, KS_PG_DEADLOCK_DETECTED) == 0);
}

gboolean
ks_pg_sqlstate_is_unavailable (const char *sqlstate)
{
  if (sqlstate == NULL)
    return TRUE;                                   /* no answer from the server */
  return g_str_has_prefix (sqlstate, "08") ||      /* connection exception */
         g_str_has_prefix (sqlstate, "53") ||      /* insufficient resources */
         strcmp (sqlstate, "57P01") == 0 ||        /* admin shutdown */
         strcmp (sqlstate, "57P02") == 0 ||        /* crash shutdown */
         strcmp (sqlstate, "57P03") == 0 ||        /* cannot connect now (starting) */
         strcmp (sqlstate, "57014") == 0 ||        /* statement cancelled (timeout) */
         strcmp (sqlstate, "55P03") == 0 ||        /* lock not available */
         strcmp (sqlstate, "25006") == 0 ||        /* read-only transaction: a standby */
         ks_pg_sqlstate_is_retryable (sqlstate);
}

/* libpq messages end with a newline and may run over several lines; the first
 * line is the one worth showing. */
static char *
first_line (const char *message)
{
  const char *nl;

  if (message == NULL || *message == '\0')
    return g_strdup ("no message");
  nl = strchr (message, '\n');
  return nl ? g_strndup (message, nl - message) : g_strdup (message);
}

gboolean
ks_pg_fail (PGconn    *conn,
            PGresult  *res,
            GError   **error)
{
  const char *sqlstate = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = first_line (primary ? primary
                                         : res && *PQresultErrorMessage (res)
                                           ? PQresultErrorMessage (res)
                                           : conn ? PQerrorMessage (conn) : NULL);
  gboolean lost = conn == NULL || PQstatus (conn) != CONNECTION_OK;

  if (lost || ks_pg_sqlstate_is_unavailable (sqlstate))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                   "The database is not available just now (%s). Try again in a few seconds.",
                   message);
      return FALSE;
    }
  g_set_error (error, KS_ERROR,
               g_str_has_prefix (sqlstate, "23") ? KS_ERROR_CONFLICT : KS_ERROR_FAILED,
               "Database error: %s", message);
  return FALSE;
}

gboolean
ks_pg_fail_connect (PGconn  *conn,
                    GError **error)
{
  g_autofree char *message = first_line (conn ? PQerrorMessage (conn) : "out of memory");

  g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
               "Could not connect to the database (%s). Check that PostgreSQL is running and "
               "that the connection settings are right; the server keeps trying.", message);
  return FALSE;
}
