/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-copy.h: bulk loading with COPY ... FROM STDIN (the demo data, moving an
 * installation between stores): rows are buffered and sent in large chunks. */
#pragma once

#include "postgres/ks-pg-db.h"

G_BEGIN_DECLS

typedef struct _KsPgCopy KsPgCopy;

/* Starts COPY table (columns...) FROM STDIN on the calling thread's connection
 * (columns: NULL-terminated). Nothing else may run on that connection until the
 * copy ends. */
KsPgCopy *ks_pg_copy_begin (KsPgDb             *db,
                            const char         *table,
                            const char * const *columns,
                            GError            **error);

/* Adds a row: one text value a column, NULL for SQL NULL. Values are sent as
 * they are (any byte but NUL); the server checks them as they arrive and says
 * so at the end. On failure (the connection lost), call ks_pg_copy_abort(). */
gboolean  ks_pg_copy_row   (KsPgCopy           *copy,
                            const char * const *values,
                            GError            **error);

/* Ends the copy and frees it. n_rows (may be NULL) is set to the rows the server
 * took. On failure no row of this copy is in the table. */
gboolean  ks_pg_copy_end   (KsPgCopy           *copy,
                            gint64             *n_rows,
                            GError            **error);

/* Gives up: no row of this copy goes in. Frees it. */
void      ks_pg_copy_abort (KsPgCopy           *copy);

G_END_DECLS
